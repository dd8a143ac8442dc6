// userS25 (case/testdata/userS25): a chunk pool (a receiver hands READs to two workers through a
// Mutex + CondVar queue, `queue nonempty`) and a kernel variant, written from the README alone.
// Findings that blamed the wrong party or the wrong cause:
// 1. first_page_fail.ts fails only the first page of an OP_FAIL range: the reader parked on the
//    second page was never woken, and the run signed `lost-wakeup:condvar queue nonempty` (a
//    service bug) though the service's OP_FAIL over that page returned ZX_OK (K14w's to judge).
import { strict as assert } from "node:assert";
import { projectRoot, readCorpus, replayCase } from "./store.ts";
import { signScenarioRun } from "../fuzz/engine.ts";
import type { KindRun } from "./kind.ts";
import type { Scenario } from "../scenario/schema.ts";

const TREE = await projectRoot(new URL("../", import.meta.url).pathname);
const DIR = new URL("./testdata/userS25/corpus", import.meta.url).pathname;

/** The case named `name`, replayed as recorded (verdict and trace hash). */
async function replayed(name: string): Promise<KindRun & { input: Scenario }> {
  const { cases, errors } = await readCorpus(DIR);
  assert.deepEqual(errors, []);
  const found = cases.find((c) => c.file.endsWith(name));
  assert.ok(found !== undefined, name);
  const r = await replayCase(found.case, found.file, TREE);
  assert.ok(r.ok, `${name}: ${r.verdict} (recorded ${found.case.expected})`);
  return { ...r.run, input: found.case.input as Scenario };
}

function message(run: KindRun): string {
  return "message" in run.verdict ? run.verdict.message : "";
}

Deno.test("userS25 first_page_fail: a reader the service's ZX_OK OP_FAIL left parked is K14w's, not a lost wake-up", async () => {
  // Found as lost-wakeup-condvar-queue-nonempty-chunk-pool-first-page-fail-11d5cee2.json: t3's
  // supply could not allocate, so supplyFromBacking OP_FAILed the chunk [0, +128) with
  // BAD_STATE; the variant failed page 0 alone and t4, parked at page 1, slept on.
  const run = await replayed(
    "invariant-syscall-contract-k14w-chunk-pool-first-page-fail-11d5cee2.json",
  );
  assert.equal(signScenarioRun(run), "invariant:syscall-contract:K14w");
  assert.equal(
    run.verdict.kind === "invariant" ? run.verdict.step : -1,
    10,
    "at the OP_FAIL's step",
  );
  assert.equal(
    message(run),
    "K14w: t4 zx_vmo_read of vmo1005 parked at page 1, which OP_FAIL [0, +128) failed with " +
      "ZX_ERR_BAD_STATE (the OP_FAIL returned ZX_OK); it was not woken",
  );
});
