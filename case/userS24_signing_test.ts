// userS24's chunk store (case/testdata/userS24): a receiver hands READs to two workers through a
// Mutex + CondVar queue (`queue nonempty`); the workers share a chunk cache. Two planted bugs:
// chunk_store_bug.ts drops the cache lock for a zx_vmo_get_size and then waits on `chunk loaded`
// without looking again (a broadcast in that window is lost), queue_bug.ts has a worker wait on
// `queue nonempty` while a packet is queued. Both signed `lost-wakeup:condvar queue nonempty`: the
// hand-off named every thread parked on the queue's condvar, the worker whose READ was answered
// too, and never the one that took the other READ and sleeps on `chunk loaded`; so in one service
// the second bug would have been deduplicated as known.
import { strict as assert } from "node:assert";
import { replayedCase, verdictMessage } from "./_replay_fixture.ts";
import { signScenarioRun } from "../fuzz/engine.ts";
import { SCENARIO_KIND, scenarioCheckers } from "./kinds.ts";
import { loadServiceModule } from "./store.ts";
import { loadScenarioFile } from "../cli/sim.ts";
import { withService } from "../scenario/bind.ts";
import { clipDetail, toEnvelope } from "./investigate.ts";
import type { KindRun } from "./kind.ts";
import type { Scenario } from "../scenario/schema.ts";

const DATA = "case/testdata/userS24";
const DIR = new URL("./testdata/userS24/corpus", import.meta.url).pathname;

const CHUNK = "lost-wakeup:condvar chunk loaded";
const QUEUE = "lost-wakeup:condvar queue nonempty";

/** The case named `name`, replayed as recorded (verdict and trace hash). */
async function replayed(name: string): Promise<KindRun & { input: Scenario }> {
  const { run, input } = await replayedCase(DIR, name);
  return { ...run, input: input as Scenario };
}

/** A scenario file run against `service` with `seed` and `decisions`, as repro runs it. */
async function ran(
  scenario: string,
  service: string,
  seed: number,
  decisions: number[],
): Promise<KindRun> {
  const input = withService(await loadScenarioFile(`${DATA}/${scenario}`), "user");
  return SCENARIO_KIND.run(input, { seed, decisions }, {
    monitors: scenarioCheckers("kernel+service"),
    services: { user: await loadServiceModule(`${DATA}/${service}`) },
  });
}

const message = verdictMessage;

/** The `; parked holding a packet: ...` tail of a run's message: the threads the signature names. */
function blamed(run: KindRun): string {
  return /; parked holding a packet: (.*)$/.exec(message(run))?.[1] ?? "";
}

Deno.test("userS24 chunk_store_bug: the fuzz case signs the worker parked on chunk loaded", async () => {
  // t1 queued READ #1 and #2; t2 took #1, answered it (supply at step 24) and waits on `queue
  // nonempty` again; t3 took #2 and sleeps on `chunk loaded`, the broadcast missed.
  const run = await replayed("lost-wakeup-condvar-queue-nonempty-chunk-store-bug-a611b211.json");
  assert.equal(signScenarioRun(run), CHUNK);
  assert.equal(
    blamed(run),
    't3 "chunk-worker-2" waits on futex 0x4000000c (condvar chunk loaded), handed a packet by ' +
      't1 "p0.svc"',
  );
});

Deno.test("userS24 queue_bug: a packet nobody was woken for still signs queue nonempty", async () => {
  // Three READs handed off; the workers answered #1 and #2 and both wait on `queue nonempty`
  // with #3 in the queue (the third signal found no waiter).
  const run = await replayed("lost-wakeup-condvar-queue-nonempty-queue-bug-4e3efa72.json");
  assert.equal(signScenarioRun(run), QUEUE);
  assert.match(blamed(run), /^t2 "chunk-worker-1" .*\(condvar queue nonempty\).* & t3 /);
});

Deno.test("userS24 chunk_store_bug: the property's failure (Q2) blames t3 too", async () => {
  // CHUNK_SERVICE=./chunk_store_bug.ts fast-check failure (prop_bug.json, its replay line's seed
  // and decisions): neither worker was woken by a futex wake (each wait returned BAD_STATE, the
  // condvar having moved), t3 took READ #2 from the queue all the same.
  const run = await ran(
    "prop_bug.json",
    "chunk_store_bug.ts",
    0,
    [0, 2, 0, 3, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 0, 1, 0, 1, 0, 1, 0, 1],
  );
  assert.match(message(run), /^Q2: /);
  assert.equal(signScenarioRun(run), CHUNK);
  assert.match(
    blamed(run),
    /^t3 "chunk-worker-2" waits on futex 0x4000000c \(condvar chunk loaded\)/,
  );
});

Deno.test("userS24 chunk_store_bug: explore's counterexample (2 preemptions) blames t3 too", async () => {
  const run = await ran(
    "small.json",
    "chunk_store_bug.ts",
    0,
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  );
  assert.equal(signScenarioRun(run), CHUNK);
  assert.equal(
    blamed(run),
    't3 "chunk-worker-2" waits on futex 0x4000000c (condvar chunk loaded), handed a packet by ' +
      't1 "fs.svc"',
  );
});

Deno.test("userS24 chunk_store_bug: a mutex unlock's wake hands no packet off", async () => {
  // Fuzz run 791 (seed 1, 5000 runs) on the worktree's first fix: the receiver unlocks mutex
  // queue after each signal, and that wake counted as a hand-off through the mutex's futex, whose
  // "workers" (both, having waited on the mutex) looked as if they had left a queue's wait: t2,
  // its READ answered, was named beside t3 (`condvar chunk loaded & condvar queue nonempty`).
  const run = await replayed(
    "lost-wakeup-condvar-chunk-loaded-condvar-queue-nonempty-chunk-store-bug-2dbcc8ab.json",
  );
  assert.match(message(run), /^Q2: /);
  assert.equal(signScenarioRun(run), CHUNK);
  assert.equal(
    blamed(run),
    't3 "chunk-worker-2" waits on futex 0x4000000c (condvar chunk loaded), handed a packet by ' +
      't1 "p1.svc"',
  );
});

Deno.test("userS24: a case's description keeps who is parked and on what", async () => {
  // The fuzz summary's `found by` line (and repro's `replaying:`) was cut at 240 characters, just
  // before `; parked holding a packet: ...`. Since userS29b the description holds the message
  // whole, and the summary cuts it (clipDetail) only on a terminal: the cut keeps the cause.
  const run = await replayed("lost-wakeup-condvar-queue-nonempty-chunk-store-bug-a611b211.json");
  const c = toEnvelope(SCENARIO_KIND, run.input, 1, run, {
    checkers: "kernel+service",
    found: { by: "fuzz", campaignSeed: 1, run: 380 },
  }, CHUNK);
  assert.ok(message(run).length > 240);
  assert.ok(c.description.endsWith(`(${message(run)})`), c.description);
  assert.match(
    clipDetail(c.description),
    /^found by fuzz campaign 1, run 380: lost-wakeup:condvar chunk loaded \(P1: t1 "p0\.svc" took a READ .*…; parked holding a packet: t3 "chunk-worker-2" waits on futex 0x4000000c \(condvar chunk loaded\), handed a packet by t1 "p0\.svc"\)$/,
  );
  // Two threads parked: the message before the cause is cut to 60 characters, the cause at its
  // end, the first thread it names whole (the line stopped at `(condvar queue …`).
  const q = await replayed("lost-wakeup-condvar-queue-nonempty-queue-bug-4e3efa72.json");
  const d = toEnvelope(SCENARIO_KIND, q.input, 1, q, {
    checkers: "kernel+service",
    found: { by: "fuzz", campaignSeed: 1, run: 7 },
  }, QUEUE).description;
  assert.match(
    clipDetail(d),
    /…; parked holding a packet: t2 "chunk-worker-1" waits on futex 0x40000004 \(condvar queue nonempty\), never woken for a packet t1 "p0\.svc" handed off & t3 .*…$/,
  );
});
