// userS30b (case/testdata/userS30b): a README-only user's log-structured writeback service. Its
// copy lfs_pager_coalesce.ts drops a writeback request the receiver takes while the writer is
// busy with a pass (it sets no `pending` flag and signals nobody). `sim --scenario coalesce.json
// --seed 28` fails W3 on the request t1 took at step 53, and the user asked why W3 judged it at
// all, since the README said a request taken "while another service thread was part-way through a
// writeback pass" is folded into it. Why: the writer t2 had queried vmo1005 ("a") at step 30, then
// (step 43) begun vmo1006 ("b") and at step 48 waited on its page-in barrier, a condition variable;
// W3 counts a pass ended at a condition-variable wait until its next query, BEGIN or END (step 55),
// so at step 53 no pass was in flight to fold into. The verdict is right: page 0 of "a" was
// dirtied at step 33, after the pass's query, which reports only the ranges Dirty before it
// (pager_query_dirty_ranges.md), and nobody queried "a" again. The message used to end "(a writer
// never woken?)" though the writer was running; it now says what happened.
import { strict as assert } from "node:assert";
import { scenarioCheckers } from "./kinds.ts";
import { loadServiceModule } from "./store.ts";
import { withService } from "../scenario/bind.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { parseScenario } from "../scenario/schema.ts";
import { settleVerdict } from "../properties/check_case.ts";
import type { Verdict } from "../sim/world.ts";

const DIR = new URL("./testdata/userS30b/", import.meta.url);
const COALESCE = withService(
  parseScenario(JSON.parse(Deno.readTextFileSync(new URL("coalesce.json", DIR)))),
  "user",
);

/** `deno task sim --scenario coalesce.json --service FILE --seed SEED`, in process. */
async function sim(file: string, seed: number): Promise<{ verdict: Verdict; traceHash: string }> {
  const service = await loadServiceModule(new URL(file, DIR).pathname);
  const monitors = scenarioCheckers("kernel+service")();
  const raw = runScenario(COALESCE, { seed, services: { user: service }, monitors });
  return { verdict: settleVerdict(raw, monitors), traceHash: raw.traceHash };
}

Deno.test("userS30b: W3 on the request taken during the writer's page-in barrier names that wait, not a writer never woken", async () => {
  const { verdict, traceHash } = await sim("lfs_pager_coalesce.ts", 28);
  assert.equal(traceHash, "8dc22a764a9d55ab"); // the run of sim_coalesce_28.txt
  assert.equal(verdict.kind, "invariant");
  const v = verdict as Verdict & { invariant: string; message: string };
  assert.equal(v.invariant, "writeback-served");
  assert.equal(
    v.message,
    "W3: t1 took a writeback request from port1004 at step 53, when vmo1005 page 0 was Dirty; " +
      "no service thread queried its dirty ranges or began writing it back after it, and it is " +
      "still Dirty at the quiescent end (t1 signalled no condition variable with it in hand; t2 " +
      "had last queried vmo1005 at step 30, then waited on futex 0x40000008 (condvar no page-ins) " +
      "at step 48 and had not queried, begun or ended a writeback since: a condition-variable " +
      "wait ends a pass for W3, so the request was not folded into it)",
  );
});

Deno.test("userS30b: the correct lfs_pager.ts (pending set, writer signalled, for every request) passes coalesce.json", async () => {
  for (const seed of [28, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) {
    const { verdict } = await sim("lfs_pager.ts", seed);
    assert.equal(verdict.kind, "pass", `seed ${seed}: ${JSON.stringify(verdict)}`);
  }
});
