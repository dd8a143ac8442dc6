// The step monitors of a checker set share one journal and one listener: an event costs one call
// however many checkers look, every member still hears every event in the world's order, and a
// member left out of the run (a filtered set) neither hears events nor takes the others' with it.
import { strict as assert } from "node:assert";
import type { KernelEvent } from "../kernel/events.ts";
import { Page, PageTouches } from "../kernel/objects.ts";
import { parseScenario } from "../scenario/schema.ts";
import { runScenario } from "../scenario/interpreter.ts";
import type { Monitor, World } from "../sim/world.ts";
import { type Call, shareJournal, StepMonitor } from "./_step_monitor.ts";

/** Records what it is told: immediate events (tagged by name, into a shared log) and step events. */
class Recorder extends StepMonitor {
  readonly stepEvents: KernelEvent[] = [];
  constructor(readonly name: string, readonly log: string[]) {
    super();
  }
  protected override immediate(e: KernelEvent): void {
    this.log.push(`${this.name}:${e.k}`);
  }
  protected override onStepEvent(e: KernelEvent, _call: Call | undefined): void {
    this.stepEvents.push(e);
  }
}

const SCENARIO = parseScenario({
  pageSize: 64,
  pagers: [{ name: "fs" }],
  vmos: [{ name: "a", pager: "fs", pages: 2 }],
  threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 2 }] }],
});

Deno.test("a shared journal gives the world one listener; each member hears every event in order", () => {
  const log: string[] = [];
  const [a, b, c] = shareJournal([
    new Recorder("a", log),
    new Recorder("b", log),
    new Recorder("c", log),
  ]);
  // Left out of the run, as a filtered checker set leaves a member out.
  const monitors: Monitor[] = [b, c];
  const run = runScenario(SCENARIO, { seed: 1, monitors });
  assert.equal(run.verdict.kind, "pass");
  assert.deepEqual(monitors.map((m) => m.onEvent !== undefined), [true, false]);
  const events = run.trace.entries.map((e) => e.event);
  assert.ok(events.length > 10);
  assert.deepEqual(b.stepEvents, events);
  assert.deepEqual(c.stepEvents, events);
  assert.equal(a.stepEvents.length, 0);
  // Immediate checks run per event in the world's monitor order, never for the absent member.
  assert.deepEqual(log, events.flatMap((e) => [`b:${e.k}`, `c:${e.k}`]));
});

Deno.test("page touches: a page made in the step is not recorded; an older one is, with its bytes", () => {
  const touches = new PageTouches();
  touches.enabled = true;
  touches.clear();
  const fresh = new Page(new Uint8Array([1, 2, 3, 4]), "dirty", touches);
  fresh.data[0] = 9;
  assert.deepEqual([...touches.pages()], []);
  assert.equal(touches.before(fresh), undefined);
  touches.clear(); // the next step: `fresh` is an older page now
  fresh.data[1] = 8;
  fresh.data[2] = 7;
  assert.deepEqual([...touches.pages()], [fresh]);
  assert.deepEqual([...(touches.before(fresh) ?? [])], [9, 2, 3, 4]);
  touches.clear(); // copies are reused across steps: the next step's copy holds its own bytes
  const other = new Page(new Uint8Array([5, 5, 5, 5]), "clean", touches);
  touches.clear();
  other.data[0] = 0;
  fresh.data[3] = 6;
  assert.deepEqual([...(touches.before(other) ?? [])], [5, 5, 5, 5]);
  assert.deepEqual([...(touches.before(fresh) ?? [])], [9, 8, 7, 4]);
});

/** Logs each step it judges (its endStep), by name, into a shared log. */
class StepLogger extends StepMonitor {
  constructor(readonly name: string, readonly log: string[]) {
    super();
  }
  protected override endStep(world: { step: number }): void {
    this.log.push(`${this.name}@${world.step}`);
  }
}

Deno.test("step hooks: an unbroken run of a journal's members gets one hook, the leader's; a broken one, one each", () => {
  const plainLog: string[] = [];
  const plain: Monitor = { name: "plain", afterStep: (w) => plainLog.push(`plain@${w.step}`) };
  // Unbroken: [a, b] then a monitor of no journal.
  const log1: string[] = [];
  const [a, b] = shareJournal([new StepLogger("a", log1), new StepLogger("b", log1)]);
  const run1 = runScenario(SCENARIO, { seed: 1, monitors: [a, b, plain] });
  assert.equal(run1.verdict.kind, "pass");
  const steps = run1.steps;
  assert.ok(steps > 3);
  // The world asked each once, after every onEvent (the mode is settled now): the leader's hook
  // judges both, b has none.
  const world = {} as World;
  assert.equal(typeof a.stepHook(world), "function");
  assert.equal(b.stepHook(world), null);
  const judged = Array.from({ length: steps }, (_, i) => [`a@${i + 1}`, `b@${i + 1}`]).flat();
  assert.deepEqual(log1.slice(0, judged.length), judged);
  assert.equal(plainLog.length, steps);
  // Broken by a monitor between them: each member judges its own steps, in the world's order.
  const log2: string[] = [];
  const [c, d] = shareJournal([new StepLogger("c", log2), new StepLogger("d", log2)]);
  const run2 = runScenario(SCENARIO, { seed: 1, monitors: [c, plain, d] });
  assert.equal(run2.verdict.kind, "pass");
  assert.equal(run2.steps, steps);
  const each = Array.from({ length: steps }, (_, i) => [`c@${i + 1}`, `d@${i + 1}`]).flat();
  assert.deepEqual(log2.slice(0, each.length), each);
});

/** A {@linkcode Recorder} that judges the `call` and `ret` events of `zx_vmo_read` only. */
class ReadsOnly extends Recorder {
  protected override readonly stepCalls = (name: string): boolean => name === "zx_vmo_read";
}

Deno.test("stepCalls: a member is handed the call and ret events of the names it judges only, the rest all", () => {
  const log: string[] = [];
  const [all, reads, after] = shareJournal([
    new Recorder("all", log),
    new ReadsOnly("reads", log),
    new Recorder("after", log),
  ]);
  const run = runScenario(SCENARIO, { seed: 1, monitors: [all, reads, after] });
  assert.equal(run.verdict.kind, "pass");
  const events = run.trace.entries.map((e) => e.event);
  const names = new Set(events.flatMap((e) => e.k === "call" ? [e.name] : []));
  assert.ok(names.has("zx_vmo_read") && names.size > 1, [...names].join());
  // The unfiltered members around it still hear everything; the filter is its own.
  assert.deepEqual(all.stepEvents, events);
  assert.deepEqual(after.stepEvents, events);
  assert.deepEqual(
    reads.stepEvents,
    events.filter((e) => (e.k !== "call" && e.k !== "ret") || e.name === "zx_vmo_read"),
  );
  // Immediate checks are not filtered by name.
  assert.equal(log.filter((l) => l.startsWith("reads:")).length, events.length);
});
