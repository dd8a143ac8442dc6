// userS24s's first writeback service (case/testdata/userS24s/wb_pager_v1.ts, from userS24w): a
// flush holds mutex `io` while it reads the VMO, faulting on a page only the service thread can
// supply, and that thread waits on `io` for its own READ. `fuzz --runs 3000 --seed 1` signed 28
// runs `deadlock:READ request & mutex io` and 11 `invariant:answers-every-read`: in those the
// flush's READ (#6) was still queued on the port behind the packet t1 took, so no thread had taken
// it and the wait-for graph had no edge out of the flush thread. A packet queued on a port whose
// receivers are all parked waits on them (properties/wait_for.ts `withPortReceivers`).
import { strict as assert } from "node:assert";
import { replayedCase, verdictMessage } from "./_replay_fixture.ts";
import { signScenarioRun } from "../fuzz/engine.ts";
import type { KindRun } from "./kind.ts";

const DIR = new URL("./testdata/userS24s/corpus", import.meta.url).pathname;

const DEADLOCK = "deadlock:READ request & mutex io";

/** The case named `name`, replayed (its verdict reproduced; the trace hash as recorded). */
async function replayed(name: string): Promise<KindRun> {
  return (await replayedCase(DIR, name)).run;
}

const message = verdictMessage;

Deno.test("userS24s wb_pager_v1: a flush's READ queued behind the service thread's packet is a deadlock", async () => {
  // t1 took READ #5 and waits on mutex io, owned by t10 (env5.writeback), whose vmo_read raised
  // READ #6, queued on port 1004, whose only receiver is t1.
  const run = await replayed("invariant-answers-every-read-wb-pager-v1-bc2dd13a.json");
  assert.equal(signScenarioRun(run), DEADLOCK);
  assert.match(
    message(run),
    /; wait-for cycle: t1 "p0\.svc" waits on futex 0x40000000 \(mutex io\) owned by t10 -> t10 "env5\.writeback\(p0\)" waits on vmo 1008: READ request #6 pages \[0,1\) at page 0 queued on port 1004 for t1 -> t1$/,
  );
});

Deno.test("userS24s wb_pager_v1: the taken-READ deadlock still signs the same", async () => {
  const run = await replayed("deadlock-read-request-mutex-io-wb-pager-v1-1d2579b5.json");
  assert.equal(signScenarioRun(run), DEADLOCK);
  assert.match(message(run), /READ request #5 pages \[0,1\) at page 0 taken by t1 -> t1$/);
});

Deno.test("userS24s wb_pager_v1: a flush whose READ wait timed out in the cycle still signs the deadlock", async () => {
  // Found by this worktree's rerun of the user's campaign (3 of 39 runs): t8 (env4.writeback)
  // joined READ #3, which t1 took, and t1 waits on mutex io, owned by t8; the overtime timeout
  // ended t8's wait, and P1 is judged after it, with t8 no longer parked. Its wait still counts.
  const run = await replayed("invariant-answers-every-read-wb-pager-v1-6d565d32.json");
  assert.equal(signScenarioRun(run), DEADLOCK);
  assert.match(
    message(run),
    /^P1: t8 zx_vmo_read timed out .*; wait-for cycle: t1 "p0\.svc" waits on futex 0x40000000 \(mutex io\) owned by t8 -> t8 "env4\.writeback\(p0\)" waits on vmo 1005: READ request #3 pages \[0,1\) \(timed out\) taken by t1 -> t1$/,
  );
});

Deno.test("userS24s wb_pager_v1: a flush whose queued READ the timeout withdrew still signs the deadlock", async () => {
  // The rerun with the fix above (1 of 39 runs left): t7 (env2.writeback) raised READ #6, queued
  // on port 1006 for t2, which waits on mutex io, owned by t7; the overtime timeout cancelled #6
  // and withdrew its packet before P1 was judged. The port it was withdrawn from still counts.
  const run = await replayed("invariant-answers-every-read-wb-pager-v1-withdrawn.json");
  assert.equal(signScenarioRun(run), DEADLOCK);
  assert.match(
    message(run),
    /; wait-for cycle: t2 "p1\.svc" waits on futex 0x40000004 \(mutex io\) owned by t7 -> t7 "env2\.writeback\(p1\)" waits on vmo 1008: READ request #6 pages \[2,3\) \(timed out\) queued on port 1006 for t2 -> t2$/,
  );
});
