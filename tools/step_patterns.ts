/**
 * What the default batch's steps carry (issue 17): the batch of `tools/checker_profile.ts` (the
 * default scenario, seeds 1, 2, ... until 10,000 steps), each step as the kinds of its kernel
 * events in order (a `call` or `ret` with its syscall's name), counted; the TOP most common
 * (default 40), with the step and event counts. A checker that could skip a step would skip it
 * by such a shape: this says how many steps each shape is.
 *
 * @example
 * ```sh
 * deno run --allow-read tools/step_patterns.ts 40
 * ```
 *
 * @module
 */

import type { KernelEvent } from "../kernel/events.ts";
import { DEFAULT } from "../bench/_loops.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { StepMonitor } from "../properties/_step_monitor.ts";

/** Counts each step's shape: its events' kinds, in order, `call:NAME` and `ret:NAME` named. */
class StepShapes extends StepMonitor {
  readonly name = "step-shapes";
  readonly counts = new Map<string, number>();
  events = 0;
  #shape: string[] = [];

  protected override onStepEvent(e: KernelEvent): void {
    this.events++;
    this.#shape.push(e.k === "call" || e.k === "ret" ? `${e.k}:${e.name}` : e.k);
  }

  protected override endStep(): void {
    const key = this.#shape.join(",");
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.#shape = [];
  }
}

/** The shapes of the default batch's steps, most common first, and its step and event counts. */
export function stepPatterns(): { rows: [string, number][]; steps: number; events: number } {
  const shapes = new StepShapes();
  let steps = 0;
  for (let s = 1; steps < 10_000; s++) {
    steps += runScenario(DEFAULT, { seed: s, keepTrace: false, monitors: [shapes] }).steps;
  }
  const rows = [...shapes.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return { rows, steps, events: shapes.events };
}

if (import.meta.main) {
  const top = Number(Deno.args[0] ?? 40);
  if (!Number.isInteger(top) || top < 1) {
    console.error("usage: deno run --allow-read tools/step_patterns.ts [TOP]");
    Deno.exit(2);
  }
  const { rows, steps, events } = stepPatterns();
  console.log(`${steps} steps, ${events} events, ${rows.length} shapes`);
  for (const [shape, n] of rows.slice(0, top)) {
    console.log(`${String(n).padStart(6)}  ${shape === "" ? "(no event)" : shape}`);
  }
}
