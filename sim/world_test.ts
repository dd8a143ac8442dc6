import { strict as assert } from "node:assert";
import { assert as kernelAssert } from "../kernel/assert.ts";
import {
  ZX_ERR_TIMED_OUT,
  ZX_OK,
  ZX_PAGER_VMO_READ,
  ZX_TIME_INFINITE,
} from "../kernel/constants.ts";
import type { KernelEvent, PagePacket } from "../kernel/events.ts";
import type { KernelYield } from "../kernel/kernel.ts";
import { isRead, type PagerService, supplyFromBacking, vmoForKey } from "../services/service.ts";
import { runScenario, type ScenarioRun } from "../scenario/interpreter.ts";
import { parseScenario, type ScenarioInput } from "../scenario/schema.ts";
import { randomStrategy } from "./strategy.ts";
import type { ThreadBody } from "./sys.ts";
import { describeVerdict, InvariantViolation, type Verdict, World } from "./world.ts";

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

/** One pager, one 2-page VMO, one reader of both pages, served by `service`. */
function oneReader(service: string, extra: Partial<ScenarioInput> = {}): ScenarioInput {
  return {
    pagers: [{ name: "fs", service: { kind: "custom", name: service } }],
    vmos: [{ name: "a", pager: "fs", pages: 2 }],
    threads: [{ name: "reader", ops: [{ op: "read", vmo: "a", page: 0, pages: 2 }] }],
    ...extra,
  };
}

function run(input: ScenarioInput, services: Record<string, PagerService>, seed: number) {
  return runScenario(parseScenario(input), { seed, services });
}

function events(r: ScenarioRun): KernelEvent[] {
  return r.trace.entries.map((e) => e.event);
}

function readsQueued(r: ScenarioRun): PagePacket[] {
  return events(r).flatMap((e) =>
    e.k === "packet-queued" && e.packet.command === ZX_PAGER_VMO_READ ? [e.packet] : []
  );
}

/** Serves the first READ, then throws (a bug in a pager service). */
const throwingService: PagerService = function* (sys, ctx) {
  const [st] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
  if (st === ZX_OK) throw new Error("backing store exploded");
};

/** Never answers: reads every packet and drops it. */
const silentService: PagerService = function* (sys, ctx) {
  for (;;) {
    const [st] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
  }
};

/** Serves nothing at all: exits at once. */
// deno-lint-ignore require-yield
const absentService: PagerService = function* () {
  return;
};

/** Supplies a READ only when the same range was requested a second time. */
const secondAskService: PagerService = function* (sys, ctx) {
  const seen = new Set<string>();
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (!isRead(packet)) continue;
    const id = `${packet.key}/${packet.offset}/${packet.length}`;
    if (!seen.has(id)) {
      seen.add(id);
      continue;
    }
    const vmo = vmoForKey(ctx, packet.key)!;
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  }
};

Deno.test("a service that throws is its thread's fault, with its stack and step, and ends the run", () => {
  for (const seed of SEEDS) {
    const r = run(oneReader("boom"), { boom: throwingService }, seed);
    const v = r.verdict;
    assert.equal(v.kind, "thread-fault", `seed ${seed}`);
    if (v.kind !== "thread-fault") continue;
    assert.equal(v.thread, "fs.svc");
    assert.equal(v.tid, r.world.threads.find((t) => t.name === "fs.svc")!.tid);
    assert.match(v.message, /Error: backing store exploded/);
    assert.match(v.stack, /backing store exploded/);
    assert.match(v.stack, /world_test\.ts/, "the stack points into the service's own code");
    assert.ok(v.step > 0);
    assert.equal(r.steps, v.step, "nothing ran after the fault");
    const reader = r.world.threads.find((t) => t.name === "reader")!;
    assert.equal(reader.end.kind, "running", "the reader never got its pages");
    const svc = r.world.threads.find((t) => t.name === "fs.svc")!;
    assert.deepEqual(svc.end, { kind: "fault", message: v.message });
  }
});

Deno.test("a thread that makes syscalls forever ends with a step-budget verdict", () => {
  const world = new World({ strategy: randomStrategy(3), maxSteps: 777 });
  world.spawn("spinner", "workload", function* (sys): ThreadBody {
    const [, port] = yield* sys.portCreate(0);
    for (;;) {
      const [st] = yield* sys.portWait(port, 0); // zero deadline: times out at once, never parks
      assert.equal(st, ZX_ERR_TIMED_OUT);
    }
  });
  const r = world.run();
  assert.deepEqual(r.verdict, { kind: "step-budget", step: 777 });
  assert.equal(r.steps, 777);
  assert.equal(world.threads[0].steps, 777);
});

Deno.test("yielding a non-syscall value is a thread fault that names the value", () => {
  const world = new World({ strategy: randomStrategy(1) });
  world.spawn("sloppy", "workload", function* (sys): ThreadBody {
    yield* sys.portCreate(0);
    yield 5 as unknown as KernelYield; // `yield` where `yield*` was meant
  });
  const r = world.run();
  assert.equal(r.verdict.kind, "thread-fault");
  if (r.verdict.kind !== "thread-fault") return;
  assert.equal(r.verdict.thread, "sloppy");
  assert.match(r.verdict.message, /TypeError: yielded 5 instead of a syscall, .*\(use yield\* /);
  assert.equal(r.verdict.step, 1, "faulted on its first scheduled step");
});

Deno.test("yielding garbage before the first syscall is a thread fault at step 0", () => {
  const world = new World({ strategy: randomStrategy(1) });
  world.spawn("eager-sloppy", "workload", function* (): ThreadBody {
    yield { kind: "sleep" } as unknown as KernelYield;
  });
  const r = world.run();
  assert.equal(r.verdict.kind, "thread-fault");
  if (r.verdict.kind !== "thread-fault") return;
  assert.match(r.verdict.message, /yielded \{"kind":"sleep"\} instead of a syscall/);
  assert.equal(r.verdict.step, 0);
  assert.equal(r.steps, 0);
});

Deno.test("a kernel assertion is a kernel-assertion verdict naming the step and thread", () => {
  for (const seed of SEEDS) {
    const world = new World({ strategy: randomStrategy(seed) });
    world.spawn("mutant", "workload", function* (sys): ThreadBody {
      const [, pager] = yield* sys.pagerCreate(0);
      const [, port] = yield* sys.portCreate(0);
      const [, vmo] = yield* sys.pagerCreateVmo(pager, 0, port, 1, sys.pageSize);
      const reader = world.spawn("reader", "workload", function* (rs): ThreadBody {
        yield* rs.vmoRead(vmo, 0, rs.pageSize);
      });
      while (reader.k.waiter === null) yield* sys.handleClose(0);
      // A mutant: tells the kernel a thread parked on a page request exited.
      sys.kernel.threadExited(reader.k);
    });
    const r = world.run();
    const v = r.verdict;
    assert.equal(v.kind, "kernel-assertion", `seed ${seed}`);
    if (v.kind !== "kernel-assertion") continue;
    assert.equal(v.message, "t2 exited while waiting");
    assert.equal(v.tid, 1, "attributed to the thread whose step broke it");
    assert.equal(v.step, r.steps);
    assert.match(v.stack, /KernelAssertionError/);
  }
});

Deno.test("an end-of-run judgement is reported at the end of the run, not as thread t0's step", () => {
  const world = new World({
    strategy: randomStrategy(1),
    monitors: [{
      name: "at-end",
      atEnd() {
        throw new InvariantViolation("at-end", 't2 "reader" still waits');
      },
    }],
  });
  world.spawn("writer", "workload", function* (sys): ThreadBody {
    yield* sys.handleClose(0);
  });
  const r = world.run();
  assert.equal(r.verdict.kind, "invariant");
  assert.equal(
    describeVerdict(r.verdict),
    `invariant at-end broken at the end of the run, after step ${r.steps}: t2 "reader" still waits`,
  );
  const stepped: Verdict = { kind: "invariant", invariant: "x", message: "m", step: 3, tid: 2 };
  assert.equal(describeVerdict(stepped), "invariant x broken at step 3 (t2): m");
});

Deno.test("a kernel assertion thrown inside a thread's own code is still a kernel assertion", () => {
  const world = new World({ strategy: randomStrategy(1) });
  world.spawn("checker", "workload", function* (sys): ThreadBody {
    yield* sys.handleClose(0);
    kernelAssert(sys.now < 0, () => "K0: virtual time went backwards");
  });
  const r = world.run();
  assert.equal(r.verdict.kind, "kernel-assertion");
  if (r.verdict.kind !== "kernel-assertion") return;
  assert.equal(r.verdict.message, "K0: virtual time went backwards");
  assert.equal(r.verdict.step, 1);
});

Deno.test("a reader blocked with no service left is a hang naming it and its request", () => {
  for (const seed of SEEDS) {
    const r = run(oneReader("absent"), { absent: absentService }, seed);
    const v = r.verdict;
    assert.equal(v.kind, "hang", `seed ${seed}`);
    if (v.kind !== "hang") continue;
    const reader = r.names.threadTid.get("reader")!;
    assert.deepEqual(v.blocked.map((b) => [b.tid, b.thread]), [[reader, "reader"]]);
    const koid = r.names.vmoKoid.get("a")!;
    assert.match(v.blocked[0].on, new RegExp(`^vmo ${koid}: READ request #\\d+ pages \\[0,2\\)`));
    assert.ok(v.step < 10, "an all-parked world is a hang at once, not after the liveness bound");
  }
});

Deno.test("a hang report names a service parked on its port too", () => {
  const r = run(oneReader("silent"), { silent: silentService }, 1);
  assert.equal(r.verdict.kind, "hang");
  if (r.verdict.kind !== "hang") return;
  const ons = r.verdict.blocked.map((b) => `${b.thread}: ${b.on}`);
  assert.equal(ons.length, 2);
  assert.ok(ons.some((s) => /^fs\.svc: port \d+$/.test(s)), ons.join("; "));
  assert.ok(ons.some((s) => /^reader: vmo \d+: READ request/.test(s)), ons.join("; "));
});

Deno.test("suspending and resuming a blocked reader sends its READ again (spec 3.5, P20)", () => {
  const suspended: ScenarioInput = oneReader("second-ask", {
    vmos: [{ name: "a", pager: "fs", pages: 1 }],
    threads: [{ name: "reader", ops: [{ op: "read", vmo: "a", page: 0, pages: 1 }] }],
    events: [{ do: "suspend", target: "reader", notBefore: 20 }],
  });
  for (const seed of SEEDS) {
    const r = run(suspended, { "second-ask": secondAskService }, seed);
    assert.equal(r.verdict.kind, "pass", `seed ${seed}: ${JSON.stringify(r.verdict)}`);
    const reads = readsQueued(r);
    assert.equal(reads.length, 2, "the same READ, twice");
    assert.deepEqual(reads[0], reads[1]);
    assert.equal(reads[0].offset, 0);
    assert.equal(reads[0].length, r.world.kernel.pageSize);
    const what = events(r).flatMap((e) => e.k === "thread" ? [e.what] : []);
    assert.deepEqual(what.slice(0, 2), ["suspended", "resumed"]);
    assert.deepEqual(r.outcomes.map((o) => o.status), [ZX_OK]);
  }
  // Without the suspend the READ is sent once, so this service never supplies: a hang.
  const plain = run({ ...suspended, events: [] }, { "second-ask": secondAskService }, 1);
  assert.equal(plain.verdict.kind, "hang");
  assert.equal(readsQueued(plain).length, 1);
});

Deno.test("the overtime timeout fails a pager wait with TIMED_OUT in virtual ticks", () => {
  const overtime = oneReader("silent", { overtimeTicks: 5000 });
  for (const seed of SEEDS) {
    const r = run(overtime, { silent: silentService }, seed);
    assert.equal(r.verdict.kind, "pass", `seed ${seed}`);
    assert.deepEqual(r.outcomes.map((o) => o.status), [ZX_ERR_TIMED_OUT]);
    assert.ok(r.steps < 20, `${r.steps} steps: time jumped instead of stepping to the deadline`);
    assert.ok(r.world.kernel.now >= 5000, `now = ${r.world.kernel.now}`);
    const wake = events(r).find((e) => e.k === "wake");
    assert.deepEqual(wake && wake.k === "wake" && [wake.status, wake.why], [
      ZX_ERR_TIMED_OUT,
      "overtime",
    ]);
  }
  const none = run(oneReader("silent", { overtimeTicks: 0 }), { silent: silentService }, 1);
  assert.equal(none.verdict.kind, "hang", "no overtime: the reader waits forever");
});

Deno.test("virtual time jumps to the earliest deadline when every thread is parked", () => {
  const world = new World({ strategy: randomStrategy(9) });
  const woke: number[] = [];
  for (const [name, deadline] of [["late", 900_000], ["early", 40_000]] as const) {
    world.spawn(name, "workload", function* (sys): ThreadBody {
      const [, port] = yield* sys.portCreate(0);
      const [st] = yield* sys.portWait(port, deadline);
      assert.equal(st, ZX_ERR_TIMED_OUT);
      woke.push(sys.now);
    });
  }
  const r = world.run();
  assert.equal(r.verdict.kind, "pass");
  assert.ok(r.steps <= 8, `${r.steps} steps`);
  assert.equal(woke.length, 2);
  assert.ok(woke[0] >= 40_000 && woke[0] < 40_010, `first wake at ${woke[0]}`);
  assert.ok(woke[1] >= 900_000 && woke[1] < 900_010, `second wake at ${woke[1]}`);
});

Deno.test("every verdict kind has a one-line description", () => {
  const cases: [Verdict, RegExp][] = [
    [{ kind: "pass", step: 3 }, /^pass after 3 steps$/],
    [
      { kind: "invariant", invariant: "K8", message: "m", step: 4, tid: 2 },
      /^invariant K8 broken at step 4 \(t2\): m$/,
    ],
    [
      { kind: "kernel-assertion", message: "m", stack: "", step: 5, tid: 1 },
      /^kernel assertion failed at step 5/,
    ],
    [
      { kind: "thread-fault", tid: 1, thread: "svc", message: "m", stack: "", step: 6 },
      /^thread t1 "svc" faulted at step 6: m$/,
    ],
    [
      { kind: "hang", step: 7, blocked: [{ tid: 2, thread: "r", role: "workload", on: "x" }] },
      /^hang at step 7: t2 "r" waits on x$/,
    ],
    [{ kind: "step-budget", step: 8 }, /^step budget exhausted after 8 steps$/],
  ];
  for (const [v, re] of cases) {
    const text = describeVerdict(v);
    if (!re.test(text)) throw new Error(`${v.kind}: ${text}`);
  }
});

Deno.test("Sys.checkpoint: monitors hear it from the calling thread; it is no step and not traced", () => {
  const trace = (checkpoint: boolean) => {
    const heard: string[] = [];
    const world = new World({
      strategy: randomStrategy(5),
      monitors: [{ name: "ear", onCheckpoint: (tid, key) => void heard.push(`t${tid} ${key}`) }],
    });
    for (const name of ["a", "b"]) {
      world.spawn(name, "workload", function* (sys): ThreadBody {
        for (let i = 0; i < 3; i++) {
          if (checkpoint) sys.checkpoint(`${name} at ${i}`);
          yield* sys.portCreate(0);
        }
      });
    }
    const result = world.run();
    return { heard, hash: result.traceHash, steps: result.steps };
  };
  const on = trace(true), off = trace(false);
  assert.deepEqual(on.heard.filter((h) => h.startsWith("t1")), [
    "t1 a at 0",
    "t1 a at 1",
    "t1 a at 2",
  ]);
  assert.equal(on.heard.length, 6);
  assert.equal(on.hash, off.hash);
  assert.equal(on.steps, off.steps);
  assert.deepEqual(off.heard, []);
});

Deno.test("a verdict quotes thread names, so a generated name like t1 never reads as a tid", () => {
  // Campaign scenarios name workload threads t0, t1, ...: the reader named "t1" is thread 2.
  const r = run(
    {
      ...oneReader("silent"),
      threads: [{ name: "t1", ops: [{ op: "read", vmo: "a", page: 0 }] }],
    },
    { silent: silentService },
    1,
  );
  assert.equal(r.verdict.kind, "hang");
  const text = describeVerdict(r.verdict);
  assert.match(text, /; t2 "t1" waits on vmo \d+: READ/);
  assert.doesNotMatch(text, /t2 t1/);
});
