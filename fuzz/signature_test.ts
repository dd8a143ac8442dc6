/**
 * Signatures of deadlocks: one lock-order inversion is one signature, whichever
 * check caught it and whichever thread of the cycle it reached first.
 */
import { strict as assert } from "node:assert";
import { signatureOf } from "./signature.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { scenarioCheckers } from "../case/kinds.ts";
import { settleVerdict } from "../properties/check_case.ts";
import { lockingService, TWO_READERS } from "../examples/testdata/lock_inversion_service.ts";
import { blockService, twoReaders } from "../examples/testdata/lost_wakeup_service.ts";
import type { Verdict } from "../sim/world.ts";
import {
  CondVar,
  DEFAULT_SCENARIO,
  isRead,
  Mutex,
  type PagePacket,
  type PagerService,
  parseScenario,
  type Scenario,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
  vmoForKey,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../mod.ts";
import blobPager from "../examples/testdata/blob_pager.ts";
import trialBlobPager from "../examples/testdata/trial_lost_wakeup/blob_pager.ts";

const CYCLE_23 = "t2 reader waits on futex 0x40000004 (mutex cache) owned by t3 -> " +
  "t3 reader waits on futex 0x40000000 (mutex inode) owned by t2 -> t2";
const CYCLE_32 = "t3 reader waits on futex 0x40000000 (mutex inode) owned by t2 -> " +
  "t2 reader waits on futex 0x40000004 (mutex cache) owned by t3 -> t3";

function invariant(name: string, message: string, lostWakeup?: readonly string[]): Verdict {
  return {
    kind: "invariant",
    invariant: name,
    message,
    step: 40,
    tid: 1,
    ...(lostWakeup === undefined ? {} : { facts: { lostWakeup } }),
  };
}

Deno.test("one wait-for cycle signs alike across the liveness checks and rotations", () => {
  const signs = [
    invariant("no-lost-requests", `vmo 4 page 0 waited 200 steps; wait-for cycle: ${CYCLE_23}`),
    invariant(
      "answers-every-read",
      `READ of vmo 4 [0,1) never answered; wait-for cycle: ${CYCLE_32}`,
    ),
    invariant(
      "quiescent-end",
      `Q2: vmo4 has 1 outstanding request(s) at quiescence; wait-for cycle: ${CYCLE_23}`,
    ),
    {
      kind: "hang" as const,
      step: 40,
      blocked: [
        { tid: 1, thread: "client", role: "workload" as const, on: "vmo 4: page 0" },
        {
          tid: 2,
          thread: "reader",
          role: "service" as const,
          on: "futex 0x40000004 (mutex cache) owned by t3",
        },
        {
          tid: 3,
          thread: "reader",
          role: "service" as const,
          on: "futex 0x40000000 (mutex inode) owned by t2",
        },
      ],
    },
  ].map((v) => signatureOf(v));
  assert.equal(new Set(signs).size, 1, signs.join("\n"));
  assert.equal(signs[0], "deadlock:mutex cache & mutex inode");
});

Deno.test("other cycles, and liveness failures without one, sign apart", () => {
  const other = "t2 a waits on futex 0x40000008 (mutex dir) owned by t3 -> " +
    "t3 b waits on futex 0x40000000 (mutex inode) owned by t2 -> t2";
  assert.notEqual(
    signatureOf(invariant("no-lost-requests", `x; wait-for cycle: ${CYCLE_23}`)),
    signatureOf(invariant("no-lost-requests", `x; wait-for cycle: ${other}`)),
  );
  assert.equal(
    signatureOf(invariant("no-lost-requests", "vmo 4 page 0 waited")),
    "invariant:no-lost-requests",
  );
  // A chain that ends at a thread that is not blocked is no cycle.
  const chain: Verdict = {
    kind: "hang",
    step: 9,
    blocked: [{
      tid: 2,
      thread: "w",
      role: "workload",
      on: "futex 0x40000000 (mutex a) owned by t5",
    }],
  };
  assert.equal(signatureOf(chain), "hang:futex # (mutex a) owned by t#");
});

Deno.test("a lock-order inversion's runs sign as one deadlock, and a sound service has none", () => {
  const scenario = TWO_READERS;
  const found = new Set<string>();
  let failing = 0;
  for (let seed = 0; seed < 200; seed++) {
    for (const checkers of ["kernel", "kernel+service"] as const) {
      const r = runScenario(scenario, {
        seed,
        strategy: "pct",
        monitors: scenarioCheckers(checkers)(),
        services: { locking: lockingService(true) },
      });
      const sig = signatureOf(r.verdict);
      if (sig === null) continue;
      failing++;
      found.add(sig);
    }
  }
  console.log(`  ${failing} of 400 runs deadlock: ${[...found].join(", ")}`);
  assert.ok(failing > 0, "some schedule deadlocks");
  for (let seed = 0; seed < 200; seed++) {
    const r = runScenario(scenario, {
      seed,
      strategy: "pct",
      monitors: scenarioCheckers("kernel+service")(),
      services: { locking: lockingService(false) },
    });
    assert.equal(r.verdict.kind, "pass", `one lock order, seed ${seed}`);
  }
  assert.deepEqual([...found].filter((s) => !s.startsWith("deadlock:")), [], [...found].join("\n"));
  assert.equal(found.size, 1, [...found].join("\n"));
});

const PARKED = "t2 worker-2 waits on futex 0x40000004 (condvar block loaded)";

Deno.test("a service thread parked on a condition variable with a packet signs as one lost wake-up", () => {
  const loaded = ["condvar block loaded"];
  const signs = [
    invariant(
      "no-lost-requests",
      `hang: t5 r1 waits on vmo 4; parked holding a packet: ${PARKED}`,
      loaded,
    ),
    invariant(
      "answers-every-read",
      `P1: t2 took a READ for vmo4 page 1 and never answered it; parked holding a packet: ${PARKED}`,
      loaded,
    ),
    invariant(
      "quiescent-end",
      `Q2: vmo4 has 1 outstanding request(s) at quiescence; parked holding a packet: ${PARKED}`,
      loaded,
    ),
  ].map((v) => signatureOf(v));
  assert.deepEqual(new Set(signs), new Set(["lost-wakeup:condvar block loaded"]));
  // Another condition variable is another bug; a cycle is a deadlock first.
  assert.equal(
    signatureOf(invariant(
      "no-lost-requests",
      "x; parked holding a packet: t3 w waits on futex " +
        "0x40000008 (condvar queue) & t2 w waits on futex 0x40000004 (condvar block loaded)",
      ["condvar queue", "condvar block loaded"],
    )),
    "lost-wakeup:condvar block loaded & condvar queue",
  );
  assert.equal(
    signatureOf(invariant("no-lost-requests", `x; wait-for cycle: ${CYCLE_23}`)),
    "deadlock:mutex cache & mutex inode",
  );
});

Deno.test("a lost wake-up's runs sign as one finding whichever check caught them; a sound service has none", () => {
  const found = new Set<string>();
  const caughtBy = new Set<string>();
  for (let seed = 0; seed < 150; seed++) {
    for (const checkers of ["kernel", "kernel+service"] as const) {
      for (const failInsteadOfBlock of [false, true]) {
        const run = (lost: boolean) => {
          const monitors = scenarioCheckers(checkers)();
          const r = runScenario(twoReaders(failInsteadOfBlock), {
            seed,
            strategy: seed % 2 === 0 ? "pct" : "random",
            monitors,
            services: { "lost-wakeup": blockService(lost) },
          });
          return settleVerdict(r, monitors);
        };
        const v = run(true);
        const sig = signatureOf(v);
        assert.equal(run(false).kind, "pass", `the sound service, seed ${seed}`);
        if (sig === null) continue;
        found.add(sig);
        caughtBy.add(v.kind === "invariant" ? v.invariant : v.kind);
      }
    }
  }
  assert.deepEqual([...found], ["lost-wakeup:condvar block loaded"], [...found].join("\n"));
  assert.ok(caughtBy.size >= 2, [...caughtBy].join(", "));
});

/** `scenario` with every pager served by the custom service `user`. */
function servedByUser(scenario: Scenario): Scenario {
  return {
    ...scenario,
    pagers: scenario.pagers.map((p) => ({
      ...p,
      service: { ...p.service, kind: "custom" as const, name: "user" },
    })),
  };
}

/** The signatures of the failing runs of `service` over `seeds` seeds (PCT and random in turn). */
function failingSignatures(scenario: Scenario, service: PagerService, seeds: number): string[] {
  const out: string[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const monitors = scenarioCheckers("kernel+service")();
    const r = runScenario(scenario, {
      seed,
      strategy: seed % 2 === 0 ? "random" : "pct",
      monitors,
      services: { user: service },
    });
    const sig = signatureOf(settleVerdict(r, monitors), r.verdict);
    if (sig !== null) out.push(sig);
  }
  return out;
}

Deno.test("a packet a receiver hands to workers through a condition variable and never wakes them for signs as a lost wake-up", () => {
  // The README trial's blob pager: its workers wait before they look at the queue.
  const scenario = servedByUser(parseScenario(DEFAULT_SCENARIO));
  const signs = failingSignatures(scenario, trialBlobPager, 100);
  assert.ok(signs.length > 0, "no seed lost a wake-up");
  assert.deepEqual(new Set(signs), new Set(["lost-wakeup:condvar queue nonempty"]));
  // The same pager with a predicate loop.
  assert.deepEqual(failingSignatures(scenario, blobPager, 100), []);
  // Caught by a request timing out while every service thread is parked: the same finding.
  const timed = servedByUser(parseScenario({ ...DEFAULT_SCENARIO, overtimeTicks: 20 }));
  const timedSigns = failingSignatures(timed, trialBlobPager, 40);
  assert.ok(timedSigns.length > 0, "no request timed out");
  assert.deepEqual(new Set(timedSigns), new Set(["lost-wakeup:condvar queue nonempty"]));
});

Deno.test("a request that times out while a worker still serves its handed packet is no lost wake-up", () => {
  // An overtime of 5 ticks is shorter than the sound blob pager takes to answer, so its requests
  // time out (P1) while a worker is busy with the packet and the other idles on the condvar.
  const scenario = servedByUser(parseScenario({ ...DEFAULT_SCENARIO, overtimeTicks: 5 }));
  const signs = failingSignatures(scenario, blobPager, 60);
  assert.ok(signs.length > 0, "no request timed out");
  assert.deepEqual(new Set(signs), new Set(["invariant:answers-every-read"]));
});

Deno.test("a packet the receiver drops, never handed off, keeps its check's signature while workers idle on the condition variable", () => {
  // blob_pager.ts's receiver and workers, but the receiver drops every second READ.
  const dropping: PagerService = function* (sys, ctx) {
    const lock = new Mutex(sys, "queue");
    const nonEmpty = new CondVar(sys, "queue nonempty");
    const queue: PagePacket[] = [];
    const worker = function* (s: Sys): ThreadBody {
      for (;;) {
        yield* lock.lock(s);
        while (queue.length === 0) yield* nonEmpty.wait(s, lock);
        const packet = queue.shift();
        yield* lock.unlock(s);
        const vmo = packet === undefined ? undefined : vmoForKey(ctx, packet.key);
        if (packet !== undefined && vmo !== undefined) {
          yield* supplyFromBacking(s, ctx, vmo, packet.offset, packet.length);
        }
      }
    };
    sys.spawn("blob-worker-1", worker);
    let reads = 0;
    for (;;) {
      const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
      if (st !== ZX_OK) return;
      if (!isRead(packet) || reads++ % 2 === 1) continue;
      yield* lock.lock(sys);
      queue.push(packet);
      yield* nonEmpty.signal(sys);
      yield* lock.unlock(sys);
    }
  };
  const signs = failingSignatures(servedByUser(parseScenario(DEFAULT_SCENARIO)), dropping, 40);
  assert.ok(signs.length > 0, "no seed dropped a request");
  assert.deepEqual(signs.filter((s) => s.startsWith("lost-wakeup:")), [], signs.join("\n"));
});

Deno.test("a lost wake-up's signature comes from the check's facts, not its message's words (session 33)", () => {
  // A real run of the lost-wakeup example, as a campaign signs it.
  let v: Verdict | undefined;
  for (let seed = 0; seed < 40 && v === undefined; seed++) {
    const monitors = scenarioCheckers("kernel+service")();
    const r = runScenario(twoReaders(false), {
      seed,
      strategy: seed % 2 === 0 ? "pct" : "random",
      monitors,
      services: { "lost-wakeup": blockService(true) },
    });
    const settled = settleVerdict(r, monitors);
    if (signatureOf(settled)?.startsWith("lost-wakeup:")) v = settled;
  }
  assert.ok(v !== undefined && v.kind === "invariant", "no seed lost the wake-up");
  assert.equal(signatureOf(v), "lost-wakeup:condvar block loaded");
  assert.deepEqual(v.facts?.lostWakeup, ["condvar block loaded"]);
  // The message reworded (its marker and the futex's words): the same signature.
  const reworded = v.message.replace("; parked holding a packet: ", "; holding a packet, parked: ")
    .replace("(condvar block loaded)", "[cv 'block loaded']");
  assert.notEqual(reworded, v.message);
  assert.equal(signatureOf({ ...v, message: reworded }), "lost-wakeup:condvar block loaded");
  // The words alone, with no facts behind them (a lock that merely reads like a condvar): no
  // lost wake-up, the check's own signature.
  const { facts: _facts, ...bare } = v;
  assert.equal(signatureOf(bare), `invariant:${v.invariant}`);
});
