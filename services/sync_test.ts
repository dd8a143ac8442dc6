import { lockingService, TWO_READERS } from "../examples/testdata/lock_inversion_service.ts";
import { NIGHTLY } from "../tools/nightly.ts";
import { strict as assert } from "node:assert";
import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_CANCELED,
  ZX_ERR_TIMED_OUT,
  ZX_EVENT_SIGNALED,
  ZX_OK,
  ZX_PKT_TYPE_SIGNAL_ONE,
  ZX_TIME_INFINITE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_ZERO_CHILDREN,
} from "../kernel/constants.ts";
import type { SignalPacket } from "../kernel/events.ts";
import { Event, type KThread } from "../kernel/objects.ts";
import { Kernel } from "../kernel/kernel.ts";
import type { CallArgs } from "../kernel/syscalls.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { explore } from "../explore/explore.ts";
import { finals } from "../explore/_final_states.ts";
import { Names, stateFingerprint, ThreadHistories } from "../explore/state_hash.ts";
import { parseScenario } from "../scenario/schema.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { fairStrategy, randomStrategy } from "../sim/strategy.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";
import { describeVerdict, type Monitor, World } from "../sim/world.ts";
import { type PagerService, serveReads, supplyFromBacking } from "./service.ts";
import { CondVar, Mutex } from "./sync.ts";

function world(): World {
  return new World({ pageSize: 64, strategy: fairStrategy() });
}

Deno.test("futex: wait parks until a wake; a stale value is BAD_STATE; wake_count wakes the oldest", () => {
  const w = world();
  let word = 0;
  const got: string[] = [];
  w.spawn("owner", "workload", function* (sys: Sys): ThreadBody {
    word = sys.futexWord(0);
    got.push(`stale ${yield* sys.futexWait(word, 1, 0, ZX_TIME_INFINITE)}`);
    yield* sys.portCreate(0);
    yield* sys.portCreate(0);
    yield* sys.futexWake(word, 1);
    yield* sys.portCreate(0);
    yield* sys.futexWake(word, 5);
  });
  for (const name of ["w1", "w2"]) {
    w.spawn(name, "workload", function* (sys: Sys): ThreadBody {
      got.push(`${name} ${yield* sys.futexWait(word, 0, 0, ZX_TIME_INFINITE)}`);
    });
  }
  const run = w.run();
  assert.equal(run.verdict.kind, "pass", describeVerdict(run.verdict));
  assert.deepEqual(got, [`stale ${ZX_ERR_BAD_STATE}`, `w1 ${ZX_OK}`, `w2 ${ZX_OK}`]);
  assert.match(run.trace.text(), /t2 blocks on futex 0x40000000/);
});

Deno.test("futex: a deadline ends the wait with TIMED_OUT and leaves the queue", () => {
  const w = world();
  let st = 0;
  w.spawn("sleeper", "workload", function* (sys: Sys): ThreadBody {
    const word = sys.futexWord(7);
    st = yield* sys.futexWait(word, 7, 0, sys.now + 10);
    assert.equal(sys.kernel.futexes.stateKey(), "7");
  });
  assert.equal(w.run().verdict.kind, "pass");
  assert.equal(st, ZX_ERR_TIMED_OUT);
});

Deno.test("wait_one: parks until the event is signalled, and ends CANCELED when its handle closes", () => {
  const w = world();
  let event = 0, other = 0;
  const got: number[] = [];
  w.spawn("waiter", "workload", function* (sys: Sys): ThreadBody {
    [, event] = yield* sys.eventCreate(0);
    [, other] = yield* sys.eventCreate(0);
    const [st, observed] = yield* sys.objectWaitOne(event, ZX_EVENT_SIGNALED, ZX_TIME_INFINITE);
    got.push(st, observed);
    const [st2] = yield* sys.objectWaitOne(other, ZX_EVENT_SIGNALED, ZX_TIME_INFINITE);
    got.push(st2);
  });
  w.spawn("signaller", "workload", function* (sys: Sys): ThreadBody {
    yield* sys.portCreate(0);
    yield* sys.objectSignal(event, 0, ZX_EVENT_SIGNALED);
    yield* sys.portCreate(0);
    yield* sys.portCreate(0);
    yield* sys.handleClose(other);
  });
  const run = w.run();
  assert.equal(run.verdict.kind, "pass", describeVerdict(run.verdict));
  assert.deepEqual(got, [ZX_OK, ZX_EVENT_SIGNALED, ZX_ERR_CANCELED]);
});

Deno.test("ZX_VMO_ZERO_CHILDREN: inactive while a slice lives, and an async wait's packet says when it went", () => {
  const w = world();
  const got: string[] = [];
  w.spawn("fs", "workload", function* (sys: Sys): ThreadBody {
    const [, port] = yield* sys.portCreate(0);
    const [, pager] = yield* sys.pagerCreate(0);
    const [, pagerPort] = yield* sys.portCreate(0);
    const [, vmo] = yield* sys.pagerCreateVmo(pager, 0, pagerPort, 1, 4 * 64);
    const [made, child] = yield* sys.vmoCreateChild(vmo, ZX_VMO_CHILD_SLICE, 0, 64);
    assert.equal(made, ZX_OK);
    const [st] = yield* sys.objectWaitOne(vmo, ZX_VMO_ZERO_CHILDREN, 0);
    got.push(`with child: ${st === ZX_ERR_TIMED_OUT ? "inactive" : "active"}`);
    assert.equal(yield* sys.objectWaitAsync(vmo, port, 42, ZX_VMO_ZERO_CHILDREN, 0), ZX_OK);
    const [none] = yield* sys.portWait(port, 0);
    got.push(`before close: ${none === ZX_ERR_TIMED_OUT ? "no packet" : "packet"}`);
    yield* sys.handleClose(child);
    const [ok, packet] = yield* sys.portWait(port, 0);
    const p = packet as SignalPacket;
    assert.equal(ok, ZX_OK);
    got.push(`after close: type ${p.type} key ${p.key} observed ${p.signal.observed}`);
  });
  const run = w.run();
  assert.equal(run.verdict.kind, "pass", describeVerdict(run.verdict));
  assert.deepEqual(got, [
    "with child: inactive",
    "before close: no packet",
    `after close: type ${ZX_PKT_TYPE_SIGNAL_ONE} key 42 observed ${ZX_VMO_ZERO_CHILDREN}`,
  ]);
  assert.match(run.trace.text(), /observes signals 0x8 of koid \d+ \(packet key 42\)/);
});

Deno.test("Mutex and CondVar: a producer hands items to a consumer under the lock", () => {
  const w = world();
  const items: number[] = [];
  const taken: number[] = [];
  let lock: Mutex | undefined, cv: CondVar | undefined;
  w.spawn("consumer", "workload", function* (sys: Sys): ThreadBody {
    lock = new Mutex(sys, "queue");
    cv = new CondVar(sys, "nonempty");
    for (let n = 0; n < 3; n++) {
      yield* lock.lock(sys);
      while (items.length === 0) yield* cv.wait(sys, lock);
      taken.push(items.shift() ?? -1);
      yield* lock.unlock(sys);
    }
  });
  w.spawn("producer", "workload", function* (sys: Sys): ThreadBody {
    for (let n = 1; n <= 3; n++) {
      if (lock === undefined || cv === undefined) throw new Error("consumer starts first");
      yield* lock.lock(sys);
      items.push(n);
      yield* cv.signal(sys);
      yield* lock.unlock(sys);
      yield* sys.portCreate(0);
    }
  });
  const run = w.run();
  assert.equal(run.verdict.kind, "pass", describeVerdict(run.verdict));
  assert.deepEqual(taken, [1, 2, 3]);
});

Deno.test("sys.spawn: workers get the next tids in spawn order and a started event", () => {
  const w = world();
  const tids: number[] = [];
  w.spawn("boss", "service", function* (sys: Sys): ThreadBody {
    tids.push(sys.spawn("a", function* () {}), sys.spawn("b", function* () {}));
    yield* sys.portCreate(0);
  });
  w.spawn("client", "workload", function* (sys: Sys): ThreadBody {
    yield* sys.portCreate(0);
  });
  w.run();
  assert.deepEqual(tids, [2, 3]);
  assert.deepEqual(w.threads.map((t) => `${t.tid} ${t.name} ${t.role}`), [
    "1 boss service",
    "2 a service",
    "3 b service",
    "4 client workload",
  ]);
  assert.match(w.trace.text(), /t2 started[\s\S]*t3 started/);
});

// The inversion is found within one preemption (its 270th execution), so a search of every
// schedule up to one preemption catches it: CI's bound for it and for the one-order service below
// (whose search up to two was 17 s of CI's log); `deno task nightly` searches two.
const ONE_ORDER_BOUND = NIGHTLY ? 2 : 1;

Deno.test("explore finds the lock-order inversion of a two-thread service and names the wait-for cycle", () => {
  const r = explore(TWO_READERS, {
    preemptions: ONE_ORDER_BOUND,
    services: { locking: lockingService(true) },
  });
  assert.equal(r.outcome, "fail");
  const ce = r.counterexample;
  assert.ok(ce !== null);
  const text = describeVerdict(ce.verdict);
  console.log(`  ${r.executions} executions; ${text}`);
  assert.match(
    text,
    /wait-for cycle: t(\d) "[^"]+" waits on futex 0x[0-9a-f]+ \(mutex (inode|cache)\) owned by t(\d) -> t\3 "[^"]+" waits on futex 0x[0-9a-f]+ \(mutex (inode|cache)\) owned by t\1 -> t\1$/,
  );
  // The counterexample replays to the same hang.
  const again = runScenario(TWO_READERS, {
    decisions: ce.decisions,
    services: { locking: lockingService(true) },
  });
  assert.equal(again.verdict.kind, "hang");
  assert.equal(again.traceHash, ce.traceHash);
});

Deno.test(`explore: the same service with one lock order passes every schedule up to ${ONE_ORDER_BOUND} preemptions`, () => {
  const r = explore(TWO_READERS, {
    preemptions: ONE_ORDER_BOUND,
    services: { locking: lockingService(false) },
  });
  console.log(`  ${r.summary}`);
  assert.equal(
    r.outcome,
    "pass",
    r.counterexample ? describeVerdict(r.counterexample.verdict) : "",
  );
});

Deno.test("state hash: futex words and waiters, event signals and async waits are kernel state", () => {
  const w = world();
  let word = 0, event = 0, port = 0;
  w.spawn("t", "workload", function* (sys: Sys): ThreadBody {
    word = sys.futexWord(0);
    [, event] = yield* sys.eventCreate(0);
    [, port] = yield* sys.portCreate(0);
    yield* sys.portCreate(0);
  });
  w.run();
  const names = new Names();
  const h = new ThreadHistories();
  const print = () => stateFingerprint(w, h, names);
  const base = print();
  const k = w.kernel;
  k.futexes.store(word, 1);
  const afterWord = print();
  assert.notEqual(afterWord, base, "a futex word's value");
  const entry = k.handles.entry(event);
  assert.ok(entry !== undefined);
  assert.ok(entry.object instanceof Event);
  entry.object.signals = ZX_EVENT_SIGNALED;
  const afterSignal = print();
  assert.notEqual(afterSignal, afterWord, "an event's signals");
  k.futexes.enqueue(word, w.threads[0].k, null);
  const afterWaiter = print();
  assert.notEqual(afterWaiter, afterSignal, "a futex's waiters");
  const portEntry = k.handles.entry(port);
  assert.ok(portEntry !== undefined);
  k.asyncWaits.add({
    object: entry.object,
    handle: event,
    port: portEntry.object as never,
    key: 3,
    signals: 1 << 24,
    options: 0,
  }, 0);
  assert.notEqual(print(), afterWaiter, "a pending async wait");
});

/**
 * What a run ends with, without virtual time: when this test was written (main abc748a, virtual
 * time in rounds) exploration's own final-state fingerprints held the tick, which differed
 * between equivalent schedules (708 plain vs 608 with DPOR; 112 and 112 without the tick). Main
 * bed2c6e has since changed how the clock is hashed; this key stays clock-free either way.
 */
function finalKey(world: World): string {
  const threads = world.threads.map((t) => `${t.tid}:${t.end.kind}:${t.steps}`).join(",");
  const slots = world.kernel.pagerVmos.map((v) =>
    v.slots.map((x) => (x === undefined ? "-" : "p")).join("")
  ).join("|");
  return `${world.kernel.futexes.stateKey()} ${threads} ${slots}`;
}

Deno.test("explore with a locking service: DPOR reaches the final states a plain search does", () => {
  const services = { locking: lockingService(false) };
  const all = (options: Parameters<typeof explore>[1]) => {
    const states = new Set<string>();
    const recorder: Monitor = { name: "final-states", atEnd: (w) => void states.add(finalKey(w)) };
    const r = explore(TWO_READERS, {
      ...options,
      services,
      monitors: () => [...kernelInvariants(), recorder],
    });
    return { r, states };
  };
  const plain = all({ preemptions: 1, reduction: false, stateHash: false });
  const reduced = all({ preemptions: 1, stateHash: false });
  console.log(
    `  plain: ${plain.r.executions} executions, ${plain.states.size} final states; ` +
      `dpor: ${reduced.r.executions} executions, ${reduced.states.size}`,
  );
  assert.equal(plain.r.outcome, "pass");
  assert.equal(reduced.r.outcome, "pass");
  assert.deepEqual([...reduced.states].sort(), [...plain.states].sort());
});

/** A kernel whose futex wait skips the value check (it waits as if the word still matched). */
class NoValueCheckKernel extends Kernel {
  protected override futexWait(t: KThread, ...args: CallArgs<"zx_futex_wait">) {
    const [addr, , owner, deadline] = args;
    const found = this.futexes.valid(addr) ? this.futexes.load(addr) : 0;
    return super.futexWait(t, addr, found, owner, deadline);
  }
}

Deno.test("futex-discipline: a kernel that parks on a stale futex value is caught (futex-value)", () => {
  const body = function* (sys: Sys): ThreadBody {
    const word = sys.futexWord(1);
    yield* sys.futexWait(word, 0, 0, sys.now + 5);
  };
  const good = new World({ pageSize: 64, strategy: fairStrategy(), monitors: kernelInvariants() });
  good.spawn("t", "workload", body);
  assert.equal(good.run().verdict.kind, "pass");
  const bad = new World({
    pageSize: 64,
    strategy: fairStrategy(),
    monitors: kernelInvariants(),
    makeKernel: (o) => new NoValueCheckKernel(o),
  });
  bad.spawn("t", "workload", body);
  const v = bad.run().verdict;
  assert.equal(v.kind, "invariant");
  assert.match(
    describeVerdict(v),
    /futex-discipline.*futex-value: t1 zx_futex_wait\(0x40000000, 0\): the word held 1, yet it returned ZX_ERR_TIMED_OUT/,
  );
});

/** A kernel whose wait_one wakes on any active signal, not only the ones asked for. */
class AnySignalKernel extends Kernel {
  protected override objectWaitOne(t: KThread, ...args: CallArgs<"zx_object_wait_one">) {
    const [handle, , deadline] = args;
    return super.objectWaitOne(t, handle, 0xffff_ffff, deadline);
  }
}

Deno.test("futex-discipline: a wait_one that returns OK without the signals it waited for is caught (wait-observed)", () => {
  const bad = new World({
    pageSize: 64,
    strategy: fairStrategy(),
    monitors: kernelInvariants(),
    makeKernel: (o) => new AnySignalKernel(o),
  });
  bad.spawn("t", "workload", function* (sys: Sys): ThreadBody {
    const [, pager] = yield* sys.pagerCreate(0);
    const [, port] = yield* sys.portCreate(0);
    const [, vmo] = yield* sys.pagerCreateVmo(pager, 0, port, 1, 64);
    // ZX_VMO_ZERO_CHILDREN is active; user signal 0 is not (and never is on a VMO here).
    yield* sys.objectWaitOne(vmo, 1 << 24, sys.now + 5);
  });
  const v = bad.run().verdict;
  assert.equal(v.kind, "invariant");
  assert.match(
    describeVerdict(v),
    /wait-observed: t1 zx_object_wait_one for 0x1000000 observed 0x8 and returned ZX_OK/,
  );
});

/**
 * A service whose worker polls the VMO's ZX_VMO_ZERO_CHILDREN while the main
 * thread closes the VMO's only clone, and writes what it saw to a futex word:
 * the two orders end in different states.
 */
const closeVersusPoll: PagerService = function* (sys: Sys, ctx) {
  const vmo = ctx.vmos[0].handle;
  const [, clone] = yield* sys.vmoCreateChild(vmo, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, 64);
  const seen = sys.futexWord(0);
  sys.spawn("poller", function* (s: Sys): ThreadBody {
    const [st] = yield* s.objectWaitOne(vmo, ZX_VMO_ZERO_CHILDREN, 0);
    s.atomicStore(seen, st === ZX_OK ? 1 : 2);
  });
  yield* sys.handleClose(clone);
  yield* serveReads(sys, ctx, (p, v) => supplyFromBacking(sys, ctx, v, p.offset, p.length));
};

Deno.test("explore: a clone's death and a wait on its parent's ZX_VMO_ZERO_CHILDREN do not commute", () => {
  const scenario = parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs", service: { kind: "custom", name: "cvp" } }],
    vmos: [{ name: "file", pager: "fs", pages: 1 }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "file", page: 0 }] }],
  });
  const services = { cvp: closeVersusPoll };
  const plain = finals(scenario, { reduction: false, stateHash: false, services }, 2).states;
  const dpor = finals(scenario, { services }, 2).states;
  assert.ok(plain.size >= 2);
  assert.deepEqual([...dpor].sort(), [...plain].sort());
});

Deno.test("Mutex: one holder at a time, however three threads contend (woken waiters that lose the race wait again)", () => {
  // A mutex's whole contract (libsync's sync_mutex_t): `lock` returns only to the one thread
  // that now holds it. A waiter woken by an unlock may find the lock taken again by a thread that
  // came in meanwhile; it must wait again, not go in.
  let entered = 0;
  for (let seed = 0; seed < 40; seed++) {
    const w = new World({ pageSize: 64, strategy: randomStrategy(seed) });
    let lock: Mutex | undefined;
    let inside = 0, most = 0, done = 0;
    const body = (first: boolean) =>
      function* (sys: Sys): ThreadBody {
        if (first) lock = new Mutex(sys, "m");
        else yield* sys.portCreate(0); // a scheduling point: the first thread makes the lock
        const m = lock!;
        for (let n = 0; n < 3; n++) {
          yield* m.lock(sys);
          most = Math.max(most, ++inside);
          entered++;
          yield* sys.portCreate(0); // a scheduling point while holding it
          inside--;
          yield* m.unlock(sys);
        }
        done++;
      };
    w.spawn("a", "workload", body(true));
    w.spawn("b", "workload", body(false));
    w.spawn("c", "workload", body(false));
    const run = w.run();
    assert.equal(run.verdict.kind, "pass", `seed ${seed}: ${describeVerdict(run.verdict)}`);
    assert.equal(done, 3, `seed ${seed}`);
    assert.equal(most, 1, `seed ${seed}: two threads held the lock at once`);
  }
  assert.equal(entered, 40 * 9);
});

for (const how of ["signal", "broadcast"] as const) {
  Deno.test(`CondVar: a ${how} made between a waiter's unlock and its futex wait is not lost`, () => {
    // A condition variable's contract (libsync's sync_condition_t, on a futex sequence word): a
    // waiter that released the mutex is woken by any signal or broadcast made after that, even
    // one made before it reached zx_futex_wait: the wake changes the word, so the wait finds a
    // stale value (ZX_ERR_BAD_STATE) instead of parking with nobody left to wake it; the wait
    // itself returns ZX_OK (sync_condition_timedwait: ZX_OK unless the deadline passed).
    for (let seed = 0; seed < 12; seed++) {
      const w = new World({ pageSize: 64, strategy: randomStrategy(seed) });
      let lock: Mutex | undefined, cv: CondVar | undefined;
      let ready = false;
      const waits: number[] = [];
      w.spawn("waiter", "workload", function* (sys: Sys): ThreadBody {
        lock = new Mutex(sys, "m");
        cv = new CondVar(sys, "ready");
        yield* lock.lock(sys);
        yield* sys.portCreate(0); // a scheduling point while holding it: the setter contends
        while (!ready) waits.push(yield* cv.wait(sys, lock));
        yield* lock.unlock(sys);
      });
      w.spawn("setter", "workload", function* (sys: Sys): ThreadBody {
        yield* sys.portCreate(0); // a scheduling point: the waiter makes the lock first
        if (lock === undefined || cv === undefined) throw new Error("waiter starts first");
        yield* lock.lock(sys);
        ready = true;
        yield* cv[how](sys);
        yield* lock.unlock(sys);
      });
      const run = w.run();
      assert.equal(run.verdict.kind, "pass", `seed ${seed}: ${describeVerdict(run.verdict)}`);
      assert.deepEqual(waits, waits.map(() => ZX_OK), `seed ${seed}`);
    }
  });
}

Deno.test("CondVar.wait: TIMED_OUT at its deadline with no signal, ZX_OK when signalled; the mutex is held again", () => {
  // sync_condition_timedwait: ZX_ERR_TIMED_OUT when the deadline passes first, else ZX_OK; either
  // way the caller holds the mutex again on return.
  const w = world();
  const got: string[] = [];
  let lock: Mutex | undefined, cv: CondVar | undefined;
  w.spawn("waiter", "workload", function* (sys: Sys): ThreadBody {
    lock = new Mutex(sys, "m");
    cv = new CondVar(sys, "c");
    yield* lock.lock(sys);
    got.push(`alone ${yield* cv.wait(sys, lock, sys.now + 10)} held ${lock.held(sys)}`);
    got.push(`signalled ${yield* cv.wait(sys, lock)} held ${lock.held(sys)}`);
    yield* lock.unlock(sys);
  });
  w.spawn("signaller", "workload", function* (sys: Sys): ThreadBody {
    while (got.length === 0) yield* sys.portCreate(0);
    yield* lock!.lock(sys);
    yield* cv!.signal(sys);
    yield* lock!.unlock(sys);
  });
  const run = w.run();
  assert.equal(run.verdict.kind, "pass", describeVerdict(run.verdict));
  assert.deepEqual(got, [`alone ${ZX_ERR_TIMED_OUT} held true`, `signalled ${ZX_OK} held true`]);
});
