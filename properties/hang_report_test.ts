import { strict as assert } from "node:assert";
import { ZX_OK, ZX_TIME_INFINITE } from "../kernel/constants.ts";
import { isRead, type PagerService } from "../services/service.ts";
import { CondVar, Mutex } from "../services/sync.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { parseScenario, type ScenarioInput } from "../scenario/schema.ts";
import { settleVerdict } from "./check_case.ts";
import { checkerSet } from "./checker_sets.ts";

/**
 * Takes the first READ, then waits on a condition variable nobody signals (a lost wake-up in the
 * service's own block cache): the faulting thread waits in the kernel, the cause waits on a
 * futex of the service's, which a hang report must name too. With `poll`, the same lost wake-up
 * in a batching service: after taking the READ it polls its port (deadline 0, TIMED_OUT: nothing
 * more to batch) before it parks. It still holds the READ it took.
 */
function lostWakeupService(poll: boolean): PagerService {
  return function* (sys, ctx) {
    const lock = new Mutex(sys, "cache");
    const loaded = new CondVar(sys, "block loaded");
    for (;;) {
      const [st, p] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
      if (st !== ZX_OK) return;
      if (!isRead(p)) continue;
      if (poll) yield* sys.portWait(ctx.port, 0); // anything adjacent to batch? (no)
      yield* lock.lock(sys);
      yield* loaded.wait(sys, lock); // the loader already broadcast: nobody ever will again
    }
  };
}
const lostWakeup = lostWakeupService(false);
const batchingLostWakeup = lostWakeupService(true);

function scenario(extra: Partial<ScenarioInput> = {}) {
  return parseScenario({
    pageSize: 64,
    liveness: { afterSteps: 100, bound: 500 },
    pagers: [{ name: "fs", service: { kind: "custom", name: "lost" } }],
    vmos: [{ name: "a", pager: "fs", pages: 1 }],
    threads: [{ name: "t0", ops: [{ op: "read", vmo: "a", page: 0 }] }],
    ...extra,
  });
}

function verdictOf(
  set: string,
  extra: Partial<ScenarioInput> = {},
  service: PagerService = lostWakeup,
) {
  const monitors = (checkerSet(set) ?? (() => []))();
  const run = runScenario(scenario(extra), { seed: 1, services: { lost: service }, monitors });
  const v = settleVerdict(run, monitors);
  assert.equal(v.kind, "invariant", JSON.stringify(v));
  return v.kind === "invariant" ? v : assert.fail("unreachable");
}

const CONDVAR = /t1 "fs\.svc" (now )?waits on futex 0x[0-9a-f]+ \(condvar block loaded\)/;

Deno.test("a hang names the service thread parked on its own condvar, not only the client", () => {
  const v = verdictOf("kernel");
  assert.equal(v.invariant, "no-lost-requests");
  assert.match(v.message, /^K29: hang at step \d+: t2 "t0" waits on vmo \d+: READ/);
  assert.match(
    v.message,
    /; parked holding a packet: t1 "fs\.svc" waits on futex 0x[0-9a-f]+ \(condvar block loaded\)$/,
  );
});

Deno.test("an unanswered READ says where the thread that took it is parked", () => {
  const v = verdictOf("kernel+service");
  assert.equal(v.invariant, "answers-every-read");
  assert.match(
    v.message,
    /^P1: t1 "fs\.svc" took a READ for vmo\d+ page 0 \(READ #1 \[0,1\), taken at step 3\) and never answered it \(t1 now waits on futex 0x[0-9a-f]+ \(condvar block loaded\)\); t2 "t0" waits on it; parked holding a packet: t1 "fs\.svc" waits on futex 0x[0-9a-f]+ \(condvar block loaded\)$/,
  );
});

Deno.test("requests left at quiescence name the threads parked on service waits", () => {
  // A fail-instead-of-block read sends its request and returns: the workload ends, the request
  // stays with a service thread parked on the condvar.
  const v = verdictOf("kernel+service", {
    threads: [{ name: "t0", ops: [{ op: "read", vmo: "a", page: 0 }], failInsteadOfBlock: true }],
  });
  assert.equal(v.invariant, "quiescent-end");
  assert.match(
    v.message,
    /^Q2: vmo\d+ has 1 outstanding request\(s\) at quiescence \(READ #\d+ pages \[0,1\): taken by t\d+ "[^"]+", never answered\); parked holding a packet: /,
  );
  assert.match(v.message, CONDVAR);
});

Deno.test("a thread that polled its port after taking a READ still holds it: parked on a condvar, it is the lost wake-up", () => {
  for (const set of ["kernel", "kernel+service"]) {
    const v = verdictOf(set, {}, batchingLostWakeup);
    assert.match(
      v.message,
      /; parked holding a packet: t1 "fs\.svc" waits on futex 0x[0-9a-f]+ \(condvar block loaded\)$/,
      set,
    );
  }
});

/**
 * Two threads of one service deadlock through a page request: the writer takes the store lock and
 * reads the file (its READ goes to the port); the port thread takes that READ and waits for the
 * store lock to serve it. A README-only user's write-back cache did this and was signed
 * `quiescent-end:Q2` (session 20, friction 5): the thread that took a request's packet now holds
 * the request in the wait-for graph, so the cycle is named and the failure signs as a deadlock.
 */
const pageRequestDeadlock: PagerService = function* (sys, ctx) {
  const store = new Mutex(sys, "store");
  sys.spawn("writer", function* (w) {
    yield* store.lock(w); // uncontended: taken before the writer's first scheduling point
    yield* w.vmoRead(ctx.vmos[0].handle, 0, 64);
    yield* store.unlock(w);
  });
  for (;;) {
    const [st, p] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (!isRead(p)) continue;
    yield* store.lock(sys); // held by the writer, which waits for this very READ
    yield* store.unlock(sys);
  }
};

Deno.test("a service thread holding a READ's packet and waiting on a lock its requester holds is a named wait-for cycle, signed as a deadlock", async () => {
  const { signatureOf } = await import("../fuzz/signature.ts");
  const monitors = (checkerSet("kernel+service") ?? (() => []))();
  const run = runScenario(
    scenario({
      threads: [{ name: "t0", failInsteadOfBlock: true, ops: [{ op: "read", vmo: "a", page: 0 }] }],
    }),
    { seed: 1, services: { lost: pageRequestDeadlock }, monitors },
  );
  const v = settleVerdict(run, monitors);
  assert.equal(v.kind, "invariant", JSON.stringify(v));
  assert.match(
    v.kind === "invariant" ? v.message : "",
    /; wait-for cycle: t\d "[^"]+" waits on .*\(mutex store\) owned by t\d -> t\d "[^"]+" waits on vmo \d+: READ request #\d+ .*taken by t\d -> t\d$/,
  );
  assert.equal(
    signatureOf(v, run.verdict),
    "deadlock:READ request & mutex store",
  );
});

Deno.test("a Mutex waiter left behind by a wake is held by the thread the word names: the cycle stands", async () => {
  // t1 holds mutex m while t2 and then t3 (holding mutex n) wait on it. t1's unlock wakes t2,
  // which clears the futex's owner (as upstream's zx_futex_wake does) and takes m by a CAS: t3,
  // still parked on m, waits on t2 though the kernel names no owner; t2 then waits on n, which
  // t3 holds. userS23's lock-order deadlock (#71 t3 cas 0x40000000 0 -> 177) signed as a lost
  // request for want of this edge.
  const { World } = await import("../sim/world.ts");
  const { randomStrategy } = await import("../sim/strategy.ts");
  const { signatureOf } = await import("./signature.ts");
  let hung = 0, held = 0;
  for (let seed = 0; seed < 40; seed++) {
    const world = new World({ pageSize: 64, strategy: randomStrategy(seed) });
    let m: Mutex | undefined, n: Mutex | undefined;
    world.spawn("a", "workload", function* (sys) {
      m = new Mutex(sys, "m");
      n = new Mutex(sys, "n");
      yield* m.lock(sys);
      for (let i = 0; i < 4; i++) yield* sys.portCreate(0);
      yield* m.unlock(sys);
    });
    world.spawn("b", "workload", function* (sys) {
      if (m === undefined || n === undefined) throw new Error("a starts first");
      yield* m.lock(sys);
      yield* sys.portCreate(0);
      yield* n.lock(sys);
      yield* n.unlock(sys);
      yield* m.unlock(sys);
    });
    world.spawn("c", "workload", function* (sys) {
      if (m === undefined || n === undefined) throw new Error("a starts first");
      yield* n.lock(sys);
      yield* sys.portCreate(0);
      yield* m.lock(sys);
      yield* m.unlock(sys);
      yield* n.unlock(sys);
    });
    const v = world.run().verdict;
    if (v.kind !== "hang") continue;
    hung++;
    assert.equal(signatureOf(v), "deadlock:mutex m & mutex n", JSON.stringify(v));
    if (v.blocked.some((b) => / \(mutex m\) held by t2$/.test(b.on))) held++;
  }
  // Some schedules park t3 before t2 (the kernel names the owner then); some leave t3 behind.
  assert.ok(held > 0, `no seed of ${hung} deadlocked left a waiter behind a wake`);
});

/**
 * The writer takes the store lock and reads page 1 while the port thread, having taken the
 * client's READ of page 0, waits for the store lock: the writer's READ is queued on the port
 * behind it and nobody has taken it. Its port's only receiver is parked on the writer's lock, so
 * the READ waits on that receiver and the cycle closes (userS24s: 11 of 39 failing runs of a
 * writeback service signed `invariant:answers-every-read` for want of this edge). With `forget`,
 * the port thread drops the client's READ and parks on a condition variable nobody signals: the
 * writer's READ waits on it all the same, but nothing it waits on leads back, so no cycle.
 */
function queuedDeadlockService(forget: boolean): PagerService {
  return function* (sys, ctx) {
    const store = new Mutex(sys, "store");
    const idle = new CondVar(sys, "idle");
    sys.spawn("writer", function* (w) {
      yield* store.lock(w); // uncontended: taken before the writer's first scheduling point
      for (let i = 0; i < 6; i++) yield* w.portCreate(0); // let the client's READ go first
      yield* w.vmoRead(ctx.vmos[0].handle, 64, 64);
      yield* store.unlock(w);
    });
    for (;;) {
      const [st, p] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
      if (st !== ZX_OK) return;
      if (!isRead(p)) continue;
      if (forget) {
        const m = new Mutex(sys, "idle lock");
        yield* m.lock(sys);
        yield* idle.wait(sys, m);
      }
      yield* store.lock(sys); // held by the writer, whose READ is queued behind this packet
      yield* store.unlock(sys);
    }
  };
}

for (const forget of [false, true]) {
  Deno.test(`a READ queued behind a packet its port's only receiver took ${forget ? "while that receiver waits on nothing the requester holds is no deadlock" : "and waits on a lock its requester holds is a deadlock"}`, async () => {
    const { signatureOf } = await import("./signature.ts");
    let queued = 0;
    for (let seed = 0; seed < 12; seed++) {
      const monitors = (checkerSet("kernel+service") ?? (() => []))();
      const run = runScenario(
        scenario({ vmos: [{ name: "a", pager: "fs", pages: 2 }] }),
        { seed, services: { lost: queuedDeadlockService(forget) }, monitors },
      );
      const v = settleVerdict(run, monitors);
      if (v.kind === "pass") continue;
      const message = "message" in v ? v.message : "";
      const sig = signatureOf(v, run.verdict);
      if (forget) {
        assert.doesNotMatch(message, /wait-for cycle/, message);
        assert.equal(sig, "lost-wakeup:condvar idle", message);
        // The writer's READ of page 1 still waits, unanswered and untaken: the run was the case.
        if (/t\d "writer" waits on vmo \d+: READ request #\d+ pages \[1,2\)/.test(message)) {
          queued++;
        }
      } else {
        assert.equal(sig, "deadlock:READ request & mutex store", message);
        if (/READ request #\d+ pages \[1,2\) .*queued on port \d+ for t\d -> t\d$/.test(message)) {
          queued++;
        }
      }
    }
    assert.ok(queued > 0, "no seed failed with the writer's READ queued");
  });
}
