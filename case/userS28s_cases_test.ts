// userS28s (case/testdata/userS28s): an fxfs-like pager service written from the README alone (a
// receiver per service thread hands READ/DIRTY packets to two workers through a Mutex + CondVar
// queue; bugs/ holds its planted variants). Findings:
// 1. bugs/fs_a2.ts signals the queue's condition variable before it pushes the packet (a lost
//    wake-up). A campaign signed 132 runs `lost-wakeup:condvar queue nonempty` and 3 runs
//    `dropped-after-error:ZX_PAGER_OP_DIRTY:ZX_ERR_NOT_FOUND`: in those, an OP_DIRTY after an
//    eviction answered DIRTY request #3 (the kernel completed it and returned NOT_FOUND, a normal
//    outcome) and was blamed for READ #4 of the same page, which the missed wake-up left
//    unanswered: the failed answer was matched to the request by page range alone.
import { strict as assert } from "node:assert";
import { projectRoot, readCorpus, replayCase } from "./store.ts";
import { signScenarioRun } from "../fuzz/engine.ts";
import type { KindRun } from "./kind.ts";

const TREE = await projectRoot(new URL("../", import.meta.url).pathname);
const DIR = new URL("./testdata/userS28s/corpus", import.meta.url).pathname;

/** The case named `name`, replayed as recorded (verdict and trace hash). */
async function replayed(name: string): Promise<KindRun> {
  const { cases, errors } = await readCorpus(DIR);
  assert.deepEqual(errors, []);
  const found = cases.find((c) => c.file.endsWith(name));
  assert.ok(found !== undefined, name);
  const r = await replayCase(found.case, found.file, TREE);
  assert.ok(r.ok, `${name}: ${r.verdict} (recorded ${found.case.expected})`);
  return r.run;
}

const message = (run: KindRun): string => "message" in run.verdict ? run.verdict.message : "";

Deno.test("userS28s fs_a2: a failed OP_DIRTY that answered another (DIRTY) request is not blamed for a READ a lost wake-up left", async () => {
  // Found as dropped-after-error-zx-pager-op-dirty-zx-err-not-found-fs-a2-5a4d5798.json.
  const run = await replayed("lost-wakeup-condvar-queue-nonempty-fs-a2-5a4d5798.json");
  assert.equal(signScenarioRun(run), "lost-wakeup:condvar queue nonempty");
  assert.doesNotMatch(message(run), /failed answer/);
  assert.match(
    message(run),
    /; parked holding a packet: t2 "worker-a1" waits on futex 0x[0-9a-f]+ \(condvar queue nonempty\), handed a packet by t1 "p0\.svc"/,
  );
  // The other 132 runs' case signs the same.
  const other = await replayed("lost-wakeup-condvar-queue-nonempty-fs-a2-73a6ff64.json");
  assert.equal(signScenarioRun(other), "lost-wakeup:condvar queue nonempty");
});
