// The stranding exemptions of no-lost-requests, answers-every-read and quiescent-end rest on the
// checkers' own model of "no packet of this VMO can reach the pager" (properties/
// _delivery_model.ts: the port's last handle closed by the trace, a `packet-dropped` naming the
// VMO), no longer on the kernel's `PagerProxy.undeliverable`; the kernel's word is only compared
// with the model, and a disagreement fails (code `undeliverable`). The mutants below make the
// kernel call every VMO undeliverable: they survived the campaign before (the kernel's word was
// taken; docs/mutation.md, helper gap23 and lever24), and are now killed on a campaign run of
// the mutate judge (campaign seed 1) that passes unmutated.
import { strict as assert } from "node:assert";
import { mirrorCampaignRun, sharedMirror } from "../mutate/mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const mirror = sharedMirror("kernel/pager_proxy.ts");

// Each mutant, the campaign run that kills it, and the start of the no-lost-requests message.
const CASES: [string, number, RegExp][] = [
  [
    "kernel/pager_proxy.ts:81:12:ConditionalExpression:true",
    0,
    /^undeliverable: the kernel says vmo\d+ is undeliverable, but by the trace port\d+ still has an open handle/,
  ],
  [
    "kernel/pager_proxy.ts:70:12:ConditionalExpression:true",
    0,
    /^undeliverable: the kernel says vmo\d+ is undeliverable, but by the trace port\d+ still has an open handle/,
  ],
  // The other way: a kernel that says a VMO whose port died can still be served.
  [
    "kernel/pager_proxy.ts:81:12:LogicalOperator:this.port.dead && this.stuck",
    36,
    /^undeliverable: the kernel says vmo\d+ is not undeliverable, but by the trace every handle of port\d+ was closed/,
  ],
];

for (const [key, k, message] of CASES) {
  Deno.test(`no-lost-requests: the kernel's undeliverable is checked against the trace (${key})`, async () => {
    const m = await mirror();
    const run = (await mirrorCampaignRun(m)) as (k: number) => Any;
    assert.equal(run(k).kind, "pass", `run ${k} unmutated`);
    const v: Any = m.withMutant(key, () => run(k));
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "no-lost-requests", JSON.stringify(v));
    assert.match(v.message, message);
  });
}
