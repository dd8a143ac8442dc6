// syscall-contract `fail-instead-of-block` (properties/_fail_instead_of_block.ts): a thread in the
// fail-instead-of-block mode that parks on a page request inside a VMO syscall fails the run. The
// rule's own cases on a stub world, then the kernel mutant it kills on one campaign run of the
// mutate judge (campaign seed 1), switched on in an instrumented mirror of kernel/vmo_pages.ts.
// The mutant survived every checker before the rule (full run on 3a0112d, shard 1 of 8).
import { strict as assert } from "node:assert";
import { mirrorCampaignRun, type MutantMirror, mutantMirror } from "../mutate/mutant_mirror.ts";
import { blockedInsteadOfFailing } from "./_fail_instead_of_block.ts";
import type { Call } from "./_step_monitor.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/** A world of one thread in `mode`, parked on `waiter` (null: no pager wait). */
function world(failInsteadOfBlock: boolean, waiter: { suspendable: boolean } | null): Any {
  return { threads: [{ k: { failInsteadOfBlock, waiter } }] };
}

const BLOCK = {
  k: "block",
  tid: 1,
  on: "vmo 1005: READ request #1 pages [0,1) at page 0",
} as const;
const call = (name: string): Call => ({ tid: 1, name, args: [], step: 3 });

Deno.test("fail-instead-of-block: only a pager wait inside a syscall's own access is a problem", () => {
  const pager = { suspendable: true };
  const problem = blockedInsteadOfFailing(BLOCK, call("zx_vmo_read"), world(true, pager));
  assert.match(
    problem ?? "",
    /^t1 runs in the fail-instead-of-block mode but parked in zx_vmo_read/,
  );
  assert.ok(blockedInsteadOfFailing(BLOCK, call("zx_vmo_op_range"), world(true, pager)));
  // Not judged: a thread that blocks by default, a wait that is no pager wait, a user page fault
  // through a mapping, and a fault on a syscall's user buffer (its waiter holds suspend off).
  assert.equal(blockedInsteadOfFailing(BLOCK, call("zx_vmo_read"), world(false, pager)), null);
  assert.equal(blockedInsteadOfFailing(BLOCK, call("zx_port_wait"), world(true, null)), null);
  assert.equal(blockedInsteadOfFailing(BLOCK, call("mem_read"), world(true, pager)), null);
  assert.equal(
    blockedInsteadOfFailing(BLOCK, call("zx_vmo_read"), world(true, { suspendable: false })),
    null,
  );
});

let shared: Promise<MutantMirror> | undefined;

function mirror(): Promise<MutantMirror> {
  shared ??= mutantMirror("kernel/vmo_pages.ts").then((m) => {
    globalThis.addEventListener("unload", () => m.dispose());
    return m;
  });
  return shared;
}

const CASES: [key: string, run: number, what: string][] = [
  ["kernel/vmo_pages.ts:474:33:BlockStatement:{}", 72, "a read parks instead of failing"],
  ["kernel/vmo_pages.ts:531:33:BlockStatement:{}", 199, "a COMMIT parks instead of failing"],
];

Deno.test("fail-instead-of-block kills the kernel's blocking fail-instead-of-block calls on campaign runs", async (t) => {
  const m = await mirror();
  const run = (await mirrorCampaignRun(m)) as (k: number) => Any;
  for (const [key, k, what] of CASES) {
    await t.step(what, () => {
      assert.equal(run(k).kind, "pass", `run ${k} unmutated`);
      const v: Any = m.withMutant(key, () => run(k));
      assert.equal(v.kind, "invariant", JSON.stringify(v));
      assert.equal(v.invariant, "syscall-contract", JSON.stringify(v));
      assert.match(v.message, /^fail-instead-of-block: /);
    });
  }
});
