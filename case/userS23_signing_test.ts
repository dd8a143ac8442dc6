// userS23's tiny file store (case/testdata/userS23): one bug, one signature. Its lock-order copy
// (tinyfs_lockorder.ts: the workers take mutexes queue and store in opposite orders) and its
// lost wake-up copy (tinyfs_lostwake.ts: a worker checks the queue, drops the lock, and waits
// without checking again) each became several corpus cases under the checks that caught them;
// each case here replays as the campaign recorded it and must now sign as its bug.
import { strict as assert } from "node:assert";
import { replayedCase, verdictMessage } from "./_replay_fixture.ts";
import { signScenarioRun } from "../fuzz/engine.ts";

const DIR = new URL("./testdata/userS23/corpus", import.meta.url).pathname;

/** The case named `name`, replayed as recorded: its signature and its verdict's message. */
async function replayed(name: string): Promise<{ signature: string | null; message: string }> {
  const { run } = await replayedCase(DIR, name);
  return { signature: signScenarioRun(run), message: verdictMessage(run) };
}

const DEADLOCK = "deadlock:mutex queue & mutex store";
const LOST_WAKEUP = "lost-wakeup:condvar queue nonempty";

Deno.test("userS23 lock order: the campaign's deadlock case still signs deadlock", async () => {
  const { signature } = await replayed(
    "deadlock-mutex-queue-mutex-store-tinyfs-lockorder-10993f80.json",
  );
  assert.equal(signature, DEADLOCK);
});

Deno.test("userS23 lock order: W3 at a quiescent end with a wait-for cycle signs deadlock (explore)", async () => {
  // explore --preemptions 1 of scenarios/tiny_wb.json: #31 t2 blocks on mutex store owned by t3,
  // #32 t3 blocks on mutex queue owned by t2; the writeback t1 queued is never served, and W3
  // signed it `invariant:writeback-served:W3 ... (a writer never woken?)`.
  const { signature, message } = await replayed(
    "invariant-writeback-served-w3-tinyfs-lockorder-554c341d-2.json",
  );
  assert.match(message, /^W3: .*; wait-for cycle: t\d+ "tinyfs-worker-\d" waits on futex/);
  assert.equal(signature, DEADLOCK);
});

Deno.test("userS23 lock order: W3 of the fuzz campaign (16 runs) signs deadlock", async () => {
  const { signature } = await replayed(
    "invariant-writeback-served-w3-tinyfs-lockorder-554c341d.json",
  );
  assert.equal(signature, DEADLOCK);
});

Deno.test("userS23 lock order: a waiter left after a wake still has the mutex's holder (P1)", async () => {
  // #71 t3 cas futex word 0x40000000: 0 -> 177: t3 took mutex queue through the fast path after
  // a wake that cleared the futex's owner; t2, still parked there, was reported with no owner, so
  // no cycle was seen and P1 signed `invariant:answers-every-read`.
  const { signature, message } = await replayed(
    "invariant-answers-every-read-tinyfs-lockorder-4a237f1d.json",
  );
  assert.match(
    message,
    /t2 "tinyfs-worker-1" waits on futex 0x40000000 \(mutex queue\) held by t3/,
  );
  assert.match(message, /; wait-for cycle: /);
  assert.equal(signature, DEADLOCK);
});

Deno.test("userS23 lock order: the same at a hang (no-lost-requests) signs deadlock", async () => {
  const { signature, message } = await replayed(
    "invariant-no-lost-requests-tinyfs-lockorder-e25ca824.json",
  );
  assert.match(message, /\(mutex queue\) held by t3/);
  assert.equal(signature, DEADLOCK);
});

Deno.test("userS23 lost wake-up: the campaign's lost-wakeup case still signs lost-wakeup", async () => {
  const { signature } = await replayed(
    "lost-wakeup-condvar-queue-nonempty-tinyfs-lostwake-fa3eb6b2.json",
  );
  assert.equal(signature, LOST_WAKEUP);
});

Deno.test("userS23 lost wake-up: W3 of a writeback handed through the condvar signs lost-wakeup", async () => {
  // The receiver t1 took the writeback packet, queued it and signalled `queue nonempty`; both
  // workers are parked on it at the quiescent end.
  const { signature, message } = await replayed(
    "invariant-writeback-served-w3-tinyfs-lostwake-1850debc.json",
  );
  assert.match(
    message,
    /^W3: .*; parked holding a packet: .*\(condvar queue nonempty\), never woken for a packet t1 "p0\.svc" handed off/,
  );
  assert.equal(signature, LOST_WAKEUP);
});

Deno.test("userS23 lost wake-up: a READ timing out names its taker and the workers it was queued for", async () => {
  // t1 took the READ at step 98 and queued it through the condvar; a worker took it from the
  // queue and spent the request's life waiting on mutex store. The message named only
  // `t1 "p0.svc" waits on port 1004`.
  const { signature, message } = await replayed(
    "invariant-answers-every-read-tinyfs-lostwake-3a9747bc.json",
  );
  assert.match(
    message,
    /^P1: t5 zx_vmo_read timed out waiting for the pager on READ #2 \[0,1\), taken at step 40; t1 "p0\.svc" took its READ and queued it through futex 0x40000004 \(condvar queue nonempty\) \(t1 now waits on port 1004\), though a worker took the lock it was queued under after each hand-off \(no wake-up was lost\); its waiters: t2 "tinyfs-worker-1" \(took that lock at step 57, now [^)]*\), t3 "tinyfs-worker-2" \(took that lock at step 101, now [^)]*\)/,
  );
  // (Session 35: every hand-off was followed by a worker taking the queue's lock, so the message
  // says no wake-up was lost, and when each did: t2's look at step 57 took this READ.)
  // Nothing is parked on the condvar as it timed out: no lost wake-up shows at that step.
  assert.equal(signature, "invariant:answers-every-read");
});
