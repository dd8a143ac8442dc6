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

for (
  const key of [
    "kernel/pager_proxy.ts:56:12:ConditionalExpression:true",
    "kernel/pager_proxy.ts:51:12:ConditionalExpression:true",
  ]
) {
  Deno.test(`no-lost-requests: the kernel's undeliverable is checked against the trace (${key})`, async () => {
    const m = await mirror();
    const run = (await mirrorCampaignRun(m)) as (k: number) => Any;
    assert.equal(run(0).kind, "pass", "run 0 unmutated");
    const v: Any = m.withMutant(key, () => run(0));
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "no-lost-requests", JSON.stringify(v));
    assert.match(
      v.message,
      /^undeliverable: the kernel says vmo\d+ is undeliverable, but by the trace port\d+ still has an open handle/,
    );
  });
}
