/**
 * kind32: what a futex word is for (a `Mutex`'s lock word, a `CondVar`'s sequence word) is
 * recorded where services/sync.ts labels it (`Futexes.label(addr, kind, name)`) and read back with
 * `Futexes.kindOf`, never from the label's text: a lock or condition variable may be named
 * anything. Before, P1, W3, the wait-for graph and the hang report read the kind off
 * `describe(addr)` (`.includes("(condvar ")`, `/\(mutex [^()]*\)$/`), so a mutex named
 * `blob cache (condvar chunk verified)` was taken for a condition variable (its unlock a hand-off
 * of the READ its taker dropped), and a condition variable whose name holds a parenthesis for no
 * condition variable at all.
 */
import { strict as assert } from "node:assert";
import { runScenario } from "../scenario/interpreter.ts";
import { scenarioCheckers } from "./kinds.ts";
import { settleVerdict } from "../properties/check_case.ts";
import { signatureOf } from "../fuzz/signature.ts";
import {
  CondVar,
  isRead,
  Mutex,
  type PagerService,
  parseScenario,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../mod.ts";
import { Futexes } from "../kernel/futex.ts";
import { World } from "../sim/world.ts";
import { randomStrategy } from "../sim/strategy.ts";
import type { Sys } from "../sim/sys.ts";
import { PacketHolders } from "../properties/wait_for.ts";

/** A mutex whose name reads like a condition variable's label. */
const MISLEADING = "blob cache (condvar chunk verified)";

Deno.test("a futex's kind is what it was labelled as, whatever its name says", () => {
  const f = new Futexes();
  const lock = f.alloc(0);
  const cv = f.alloc(0);
  const bare = f.alloc(0);
  f.label(lock, "mutex", MISLEADING);
  f.label(cv, "condvar", "loaded (mutex m)");
  assert.equal(f.kindOf(lock), "mutex");
  assert.equal(f.kindOf(cv), "condvar");
  assert.equal(f.kindOf(bare), undefined);
  // The words hang reports print are the same as before: the kind, then the name.
  assert.equal(f.describe(lock), `futex 0x40000000 (mutex ${MISLEADING})`);
  assert.equal(f.describe(cv), "futex 0x40000004 (condvar loaded (mutex m))");
  assert.equal(f.describe(bare), "futex 0x40000008");
});

/** The receiver's lock, shared with the pager's other service thread. */
const shared = new WeakMap<object, { lock: Mutex; threads: number }>();

/**
 * Two service threads share a mutex named {@linkcode MISLEADING}. The first takes each READ, holds
 * the lock across a sleep and unlocks it (waking the other thread when it waits for the lock), and
 * drops the READ: back to its port. The other only takes and releases the lock, sleeping between.
 */
const unlockingPager: PagerService = function* (sys, ctx) {
  let s = shared.get(ctx);
  if (s === undefined) {
    s = { lock: new Mutex(sys, MISLEADING), threads: 0 };
    shared.set(ctx, s);
  }
  const { lock } = s;
  const receiver = s.threads++ === 0;
  const sleepWord = sys.futexWord(0);
  const sleep = (ticks: number) => sys.futexWait(sleepWord, 0, 0, sys.now + ticks);
  if (!receiver) {
    for (;;) {
      yield* lock.lock(sys);
      yield* lock.unlock(sys);
      yield* sleep(1);
    }
  }
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (!isRead(packet)) continue;
    yield* lock.lock(sys);
    yield* sleep(2);
    yield* lock.unlock(sys); // a mutex's wake: it hands nothing over
  }
};

Deno.test("a mutex named like a condition variable hands nothing over at its unlock (P1)", () => {
  const base = JSON.parse(
    Deno.readTextFileSync(new URL("./testdata/userS31a/slow_read.json", import.meta.url)),
  );
  const scenario = parseScenario({
    ...base,
    name: "kind32: a dropped READ, its taker's mutex contended",
    pagers: [{ ...base.pagers[0], threads: 2 }],
  });
  let contended = 0;
  for (let seed = 0; seed < 10; seed++) {
    const monitors = scenarioCheckers("kernel+service")();
    const r = runScenario(scenario, { seed, monitors, services: { user: unlockingPager } });
    const v = settleVerdict(r, monitors);
    assert.equal(signatureOf(v, r.verdict), "invariant:answers-every-read", `seed ${seed}`);
    const message = v.kind === "invariant" ? v.message : "";
    // Before kind32, all 10 runs read "t1 took its READ and queued it through futex
    // 0x40000000 (mutex blob cache (condvar chunk verified)) (t1 now waits on port ...): its
    // waiters: t2 ...".
    assert.doesNotMatch(message, /queued it through/, `seed ${seed}`);
    assert.match(message, /took its READ \(t1 now waits on port \d+\)/, `seed ${seed}`);
    // The other thread did wait for the lock the receiver held: the unlock woke a waiter.
    if (/t2 .*zx_futex_wait\(0x40000000,/.test(r.trace.text())) contended++;
  }
  assert.ok(contended > 0, "no run contended the lock");
});

Deno.test("a condition variable whose name holds parentheses still holds a service thread's packet", () => {
  const world = new World({ pageSize: 64, strategy: randomStrategy(1) });
  world.spawn("svc", "service", function* (sys: Sys) {
    const m = new Mutex(sys, "svc lock");
    const c = new CondVar(sys, "loaded (mutex m)");
    yield* m.lock(sys);
    yield* c.wait(sys, m); // nobody signals it
  });
  world.spawn("client", "workload", function* (sys: Sys) {
    const m = new Mutex(sys, "client lock");
    const c = new CondVar(sys, "reply");
    yield* m.lock(sys);
    yield* c.wait(sys, m);
  });
  assert.equal(world.run().verdict.kind, "hang");
  const holders = new PacketHolders();
  holders.hear({ k: "packet-dequeued", tid: 1, port: 0, vmo: 0, id: 0, packet: {} as never });
  // Before kind32: null (the wait's words did not match `(condvar [^()]*)$`).
  assert.equal(
    holders.parked(world),
    't1 "svc" waits on futex 0x40000004 (condvar loaded (mutex m))',
  );
});
