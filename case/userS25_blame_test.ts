// userS25 (case/testdata/userS25): a chunk pool (a receiver hands READs to two workers through a
// Mutex + CondVar queue, `queue nonempty`) and a kernel variant, written from the README alone.
// Findings that blamed the wrong party or the wrong cause:
// 1. first_page_fail.ts fails only the first page of an OP_FAIL range: the reader parked on the
//    second page was never woken, and the run signed `lost-wakeup:condvar queue nonempty` (a
//    service bug) though the service's OP_FAIL over that page returned ZX_OK (K14w's to judge).
// 2. The receiver took two READs of one 2-page chunk before a detach; a worker answered each
//    with the chunk's supply: the second answer was called a P14 retry, as if the first had
//    answered both packets (a single thread answering them one by one passes).
// 3. A request dropped when its answer failed (chunk_pool_noclamp.ts OP_FAILs a range a shrink
//    cut: ZX_ERR_OUT_OF_RANGE) signed `lost-wakeup:condvar queue nonempty`, and the message never
//    named the failed call; nor, for a key reused after its COMPLETE (chunk_pool_key_reuse.ts),
//    the COMPLETE the service kept the key as gone by.
// 4. The planted lock-order deadlock (chunk_pool_deadlock.ts) also signed
//    `invariant:quiescent-end:Q3` when the deadlocked receiver left a COMPLETE in its port.
import { strict as assert } from "node:assert";
import { readCorpus } from "./store.ts";
import { replayedCase, verdictMessage } from "./_replay_fixture.ts";
import { signScenarioRun } from "../fuzz/engine.ts";
import { loadServiceModule } from "./store.ts";
import { SCENARIO_KIND, scenarioCheckers } from "./kinds.ts";
import { withService } from "../scenario/bind.ts";
import {
  CondVar,
  isRead,
  Mutex,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
  vmoForKey,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../mod.ts";
import { ZX_ERR_BAD_STATE } from "../kernel/constants.ts";
import type { PagePacket } from "../kernel/events.ts";
import type { KindRun } from "./kind.ts";
import type { Scenario } from "../scenario/schema.ts";

const DATA = "case/testdata/userS25";
const DIR = new URL("./testdata/userS25/corpus", import.meta.url).pathname;

/** The case named `name`, replayed as recorded (verdict and trace hash). */
async function replayed(name: string): Promise<KindRun & { input: Scenario }> {
  const { run, input } = await replayedCase(DIR, name);
  return { ...run, input: input as Scenario };
}

const message = verdictMessage;

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
  // Upstream completes a request an OP_FAIL's range covers whole, and wakes its waiters.
  assert.equal(
    message(run),
    "K14w: vmo1005 request #1 [1,2) is still outstanding after OP_FAIL [0, +128) " +
      "(ZX_ERR_BAD_STATE) covered it whole and returned ZX_OK",
  );
});

Deno.test("userS25 chunk pool: each of two handed-off READs of one chunk licenses its own answer (no P14)", async () => {
  // Found by explore as invariant-treats-bad-state-as-gone-p14-chunk-pool-6f5314e2.json: t1 took
  // READs [0,+64) and [64,+64) and queued both; t2 answered each with supply [0,+128), both
  // ZX_ERR_BAD_STATE after the detach.
  const run = await replayed("pass-chunk-pool-bad-state-6f5314e2.json");
  assert.equal(run.verdict.kind, "pass");
  const supplies = run.trace.entries.filter(({ event: e }) =>
    e.k === "ret" && e.name === "zx_pager_supply_pages"
  );
  assert.equal(supplies.length, 2, "both jobs were answered, each once");
});

/**
 * A receiver and one worker, as chunk_pool.ts hands off its READs, whose worker supplies its job
 * again when the supply gets ZX_ERR_BAD_STATE: one packet, two answers.
 */
function* retryingPool(sys: Sys, ctx: ServiceContext): ThreadBody {
  const lock = new Mutex(sys, "queue");
  const nonEmpty = new CondVar(sys, "queue nonempty");
  const queue: PagePacket[] = [];
  sys.spawn("worker", (s: Sys) =>
    (function* () {
      for (;;) {
        yield* lock.lock(s);
        while (queue.length === 0) yield* nonEmpty.wait(s, lock);
        const p = queue.shift()!;
        yield* lock.unlock(s);
        const vmo = vmoForKey(ctx, p.key);
        if (vmo === undefined) continue;
        const st = yield* supplyFromBacking(s, ctx, vmo, p.offset, p.length);
        if (st === ZX_ERR_BAD_STATE) yield* supplyFromBacking(s, ctx, vmo, p.offset, p.length);
      }
    })());
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (packet === null || !isRead(packet)) continue;
    yield* lock.lock(sys);
    queue.push(packet);
    yield* nonEmpty.signal(sys);
    yield* lock.unlock(sys);
  }
}

Deno.test("userS25 chunk pool: a worker that answers its one handed-off job again after BAD_STATE is a P14 retry", async () => {
  const { cases } = await readCorpus(DIR);
  const input = cases.find((c) => c.file.endsWith("pass-chunk-pool-bad-state-6f5314e2.json"))
    ?.case.input as Scenario;
  const one: Scenario = { ...input, threads: input.threads.slice(0, 1) };
  for (let seed = 0; seed < 60; seed++) {
    const run = SCENARIO_KIND.run(withService(one, "user"), { seed }, {
      monitors: scenarioCheckers("kernel+service"),
      services: { user: retryingPool },
    });
    if (run.verdict.kind === "pass") continue;
    assert.equal(signScenarioRun(run), "invariant:treats-bad-state-as-gone:P14", message(run));
    return;
  }
  assert.fail("no seed detached before the worker's first answer");
});

Deno.test("userS25 chunk_single: the same chunking, single-threaded, passes the same scenario", async () => {
  const { cases } = await readCorpus(DIR);
  const input = cases.find((c) => c.file.endsWith("pass-chunk-pool-bad-state-6f5314e2.json"))
    ?.case.input as Scenario;
  const single = await loadServiceModule(`${DATA}/chunk_single.ts`);
  for (let seed = 0; seed < 20; seed++) {
    const run = SCENARIO_KIND.run(withService(input, "user"), { seed }, {
      monitors: scenarioCheckers("kernel+service"),
      services: { user: single },
    });
    assert.equal(run.verdict.kind, "pass", `seed ${seed}: ${message(run)}`);
  }
});

Deno.test("userS25 chunk_pool_noclamp: a request dropped on its OP_FAIL's ZX_ERR_OUT_OF_RANGE names that answer and signs as a drop", async () => {
  // Found as lost-wakeup-condvar-queue-nonempty-chunk-pool-noclamp-e3743510.json.
  const run = await replayed(
    "dropped-after-error-zx-pager-op-fail-zx-err-out-of-range-chunk-pool-noclamp-e3743510.json",
  );
  assert.equal(signScenarioRun(run), "dropped-after-error:ZX_PAGER_OP_FAIL:ZX_ERR_OUT_OF_RANGE");
  assert.match(
    message(run),
    /^Q2: vmo1005 has 1 outstanding request\(s\) at quiescence \(READ #1 pages \[0,7\): taken by t1 "p1\.svc", never answered; left unanswered after a failed answer: step 11: t2 zx_pager_op_range\(0x30, ZX_PAGER_OP_FAIL, 0x60, 0x0, 0x700, ZX_ERR_IO\) -> ZX_ERR_OUT_OF_RANGE\);/,
  );
});

Deno.test("userS25 chunk_pool_key_reuse: a READ dropped for a key whose COMPLETE was taken names that COMPLETE", async () => {
  // The trial's first chunk_pool.ts (u25_fuzz1.txt): vmo1005 detached, t1 took its COMPLETE and
  // kept key 0x2 as gone; vmo1010, made with key 0x2, got a READ the worker dropped.
  const run = await replayed(
    "lost-wakeup-condvar-queue-nonempty-chunk-pool-key-reuse-34c8e12d.json",
  );
  assert.match(
    message(run),
    /; its key was reused after a COMPLETE: step 7: t1 took COMPLETE for key 0x2 \(vmo1005\) before this VMO's request #1; t4 "w0" waits on it$/,
  );
  // No answer failed, and no wake-up was lost: t1's signal at step 14 woke t2 (step 15), which
  // took the queue's lock, dropped the READ and waited again at step 17. Signed
  // `lost-wakeup:condvar queue nonempty` before session 35 (trial35, friction 1); now P1's
  // finding, the READ taken and never answered.
  assert.match(
    message(run),
    /nobody answered it, though a worker took the lock it was queued under after each hand-off \(no wake-up was lost\): its waiters: t2 "chunk-worker-0" \(took that lock at step 15, now waits on futex 0x40000004 \(condvar queue nonempty\)\)/,
  );
  assert.equal(signScenarioRun(run), "invariant:answers-every-read");
});

Deno.test("userS25 chunk_pool_deadlock: a COMPLETE the deadlocked receiver never took signs as the deadlock, not Q3", async () => {
  // Found as invariant-quiescent-end-q3-chunk-pool-deadlock-9c2d1d4d.json (6 of the campaign's
  // 243 failing runs; the other 230 signed the deadlock).
  const run = await replayed("deadlock-mutex-queue-mutex-stats-chunk-pool-deadlock-9c2d1d4d.json");
  assert.equal(signScenarioRun(run), "deadlock:mutex queue & mutex stats");
  assert.equal(
    message(run),
    "Q3: port1004 still holds COMPLETE for key 0x2 at quiescence: no service took it; wait-for " +
      'cycle: t1 "p0.svc" waits on futex 0x40000000 (mutex queue) owned by t2 -> t2 ' +
      '"chunk-worker-0" waits on futex 0x40000008 (mutex stats) owned by t1 -> t1',
  );
});
