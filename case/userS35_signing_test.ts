// userS35 (trial35, case/testdata/userS35): a chunk-store pager written from the README alone (a
// receiver queues READs, Mutex + CondVar `queue nonempty`, for two workers; a READ whose chunk
// another worker is loading is coalesced, dropped, as that load will answer it). Both planted
// bugs (chunkstore_partial.ts supplies only its own READ's range; chunkstore_lateclear.ts forgets
// its chunk one syscall after the supply) leave a READ a woken worker took off the queue and
// dropped. Both signed `lost-wakeup:condvar queue nonempty` (friction 1), though the trace shows
// every signal woke a worker: the model named the workers back on the queue's condition variable
// as handed a packet nobody was woken for. A hand-off whose every wake woke a waiter, made once
// the packet was queued, is no lost wake-up: the run signs as its check, P1
// (`invariant:answers-every-read`), as the README's "One bug, one signature" promises.
import { strict as assert } from "node:assert";
import { readCaseFile, resolveContext } from "./store.ts";
import { replayWith } from "./replay.ts";
import { scenarioCheckers } from "./kinds.ts";
import { signatureOf } from "../properties/signature.ts";
import type { Verdict } from "../sim/world.ts";

const DIR = new URL("./testdata/userS35/corpus/", import.meta.url).pathname;

/** The case's run under `checkers` (its own set when not given): message and signature. */
async function replay(name: string, checkers?: string) {
  const file = `${DIR}${name}`;
  const c = await readCaseFile(file);
  const ctx = await resolveContext(c, file);
  const r = replayWith(
    c,
    checkers === undefined ? ctx : { ...ctx, monitors: scenarioCheckers(checkers) },
  );
  const v: Verdict = r.run.verdict;
  return {
    v,
    hash: r.traceHash,
    message: "message" in v ? String(v.message) : "",
    signature: signatureOf(v, r.run.raw),
  };
}

const PARTIAL = "lost-wakeup-condvar-queue-nonempty-chunkstore-partial-6194866a.json";
const LATE_CLEAR = "lost-wakeup-condvar-queue-nonempty-chunkstore-lateclear-56fad82f.json";

Deno.test("partial-supply: a READ a woken worker took and dropped is P1's, not a lost wake-up", async () => {
  // Trace: t1 signals at step 9 for READ #1 and at 12 for READ #2, each under the queue's lock
  // with the READ pushed first; t2 (woken at 11) takes the lock at step 13 and READ #1, t3 (woken
  // at 14) the lock and READ #2; t3 loads chunk 0 and supplies page 0 only; t2 finds chunk 0
  // loading, drops READ #1 (page 1) and waits again at step 19. Every hand-off was followed by a
  // worker taking the lock without waiting: no wake-up was lost.
  const { v, hash, message, signature } = await replay(PARTIAL);
  assert.equal(hash, "3738de620258d753"); // the run the trial recorded
  assert.equal(v.kind === "invariant" && v.invariant, "answers-every-read", message);
  assert.match(
    message,
    /^P1: t1 "p0\.svc" took a READ for vmo1005 page 1 \(READ #1 \[1,2\), taken at step 8\) and queued it through futex 0x40000004 \(condvar queue nonempty\) \(t1 now waits on port 1004\); nobody answered it, though a worker took the lock it was queued under after each hand-off \(no wake-up was lost\): its waiters: t2 "chunk-w1" \(took that lock at step 13, now waits on futex 0x40000004 \(condvar queue nonempty\)\), t3 "chunk-w2" \(took that lock at step 14, now waits on futex 0x40000004 \(condvar queue nonempty\)\); t4 "w0" waits on it$/,
  );
  assert.doesNotMatch(message, /parked holding a packet/);
  assert.equal(signature, "invariant:answers-every-read");
});

Deno.test("late-clear: the READ re-read after an OP_FAIL, coalesced into a load that is over, is P1's", async () => {
  const { v, message, signature } = await replay(LATE_CLEAR);
  assert.equal(v.kind === "invariant" && v.invariant, "answers-every-read", message);
  assert.match(
    message,
    /no wake-up was lost\): its waiters: .*t3 "chunk-w2" \(took that lock at step 18,/,
  );
  assert.equal(signature, "invariant:answers-every-read");
});

Deno.test("the kernel's hang check on the same runs keeps its own signature", async () => {
  for (const name of [PARTIAL, LATE_CLEAR]) {
    const { v, message, signature } = await replay(name, "kernel");
    assert.equal(v.kind === "invariant" && v.invariant, "no-lost-requests", message);
    assert.match(message, /, never answered; also parked: /);
    assert.equal(signature, "invariant:no-lost-requests", name);
  }
});

Deno.test("a signal made before the packet is queued is still a lost wake-up (userS28s fs_a2)", async () => {
  // fs_a2.ts signals, then calls zx_vmo_get_size, then queues: the worker its signal woke ran in
  // between, found the queue empty and waited again. Its wake woke a waiter, but not after the
  // packet was there: the hand-off is not sure, and the lost wake-up keeps its signature.
  const file = new URL(
    "./testdata/userS28s/corpus/lost-wakeup-condvar-queue-nonempty-fs-a2-5a4d5798.json",
    import.meta.url,
  ).pathname;
  const c = await readCaseFile(file);
  const r = replayWith(c, await resolveContext(c, file));
  assert.equal(signatureOf(r.run.verdict, r.run.raw), "lost-wakeup:condvar queue nonempty");
  const v = r.run.verdict;
  assert.match("message" in v ? v.message : "", /parked holding a packet: t2 "worker-a1"/);
});
