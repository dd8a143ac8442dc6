/**
 * What each kernel checker costs on its own: the default scenario's batch of 10,000 steps (seeds
 * 1, 2, ...) with no checker, with all of them, and with each one alone (sharing a journal of its
 * own), interleaved for about SECONDS, CPU time, least of the rounds; printed as milliseconds, a
 * ratio to the plain batch and the marginal cost over it. The figure `checker overhead` of
 * `bench/figures.ts` is the "all" row; this one says where it goes (issue 17). The last row,
 * "all + 10 no-ops", adds ten checkers of ten classes that hear every event after the step and
 * do nothing with it: what the journal's dispatch costs per checker call (megamorphic, as the
 * real checkers' calls are), printed in nanoseconds a call. The rows "all - NAME" run every
 * checker but NAME: what leaving that one out saves inside the full set (printed after them),
 * where a checker alone may cost another amount (its journal share and caches differ).
 *
 * @example
 * ```sh
 * deno run --allow-read --allow-env --allow-sys tools/checker_costs.ts 60
 * ```
 *
 * @module
 */

import process from "node:process";
import { DEFAULT } from "../bench/_loops.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { shareJournal, StepMonitor } from "../properties/_step_monitor.ts";
import type { Monitor } from "../sim/world.ts";
import { numericArgs } from "./_numeric_args.ts";

const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** One batch of at least 10,000 steps under the checker set `make` builds per run. */
function batch(make: () => Monitor[]): number {
  let steps = 0;
  for (let s = 1; steps < 10_000; s++) {
    steps += runScenario(DEFAULT, { seed: s, keepTrace: false, monitors: make() }).steps;
  }
  return steps;
}

/** How many events the no-op checkers were handed. */
let noOpCalls = 0;

/** Ten checker classes of their own (ten shapes, as the real checkers'), hearing every event. */
const NO_OPS: (new () => StepMonitor)[] = Array.from(
  { length: 10 },
  (_, i) =>
    class extends StepMonitor {
      readonly name = `no-op-${i}`;
      protected override onStepEvent(): void {
        noOpCalls++;
      }
    },
);

const USAGE =
  "usage: deno run --allow-read --allow-env --allow-sys tools/checker_costs.ts [SECONDS]";

if (import.meta.main) {
  const seconds = numericArgs(USAGE).numbers[0] ?? 40;
  const names = kernelInvariants().map((m) => m.name);
  const sets: [string, () => Monitor[]][] = [["none", () => []], ["all", () => kernelInvariants()]];
  names.forEach((n, i) => sets.push([n, () => shareJournal([kernelInvariants()[i]])]));
  names.forEach((n) =>
    sets.push([`all - ${n}`, () => shareJournal(kernelInvariants().filter((m) => m.name !== n))])
  );
  const noOps = "all + 10 no-ops";
  sets.push([noOps, () => shareJournal([...kernelInvariants(), ...NO_OPS.map((C) => new C())])]);
  for (const [, make] of sets) batch(make); // warm-up
  const best = new Map<string, number>();
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    for (const [name, make] of sets) {
      const t = cpu();
      batch(make);
      best.set(name, Math.min(best.get(name) ?? Infinity, cpu() - t));
    }
  }
  noOpCalls = 0;
  batch(sets[sets.length - 1][1]);
  const callsPerBatch = noOpCalls;
  const plain = best.get("none") ?? 1;
  const all = best.get("all") ?? plain;
  for (const [name, us] of best) {
    const saves = name.startsWith("all - ") ? `  saves ${((all - us) / 1000).toFixed(1)} ms` : "";
    console.log(
      `${name.padEnd(36)} ${(us / 1000).toFixed(1).padStart(7)} ms  ${(us / plain).toFixed(2)}x  ` +
        `+${((us - plain) / 1000).toFixed(1)} ms${saves}`,
    );
  }
  const extra = (best.get(noOps) ?? 0) - (best.get("all") ?? 0);
  console.log(
    `dispatch: ${(extra * 1000 / callsPerBatch).toFixed(1)} ns a checker call ` +
      `(${callsPerBatch} no-op calls a batch)`,
  );
}
