/**
 * The trace hash alone, over the events of one plain default batch (seeds 1, 2, ... until 10,000
 * steps, as `bench/_overhead_worker.ts` runs it): the batch is run once with its traces kept, then
 * each run's events are hashed anew by a fresh `Trace` that keeps nothing, ROUNDS times; prints
 * the least CPU time of a round and the last run's hash (the same on any two checkouts whose hashes
 * agree). A checkout's modules are loaded by path, so an edited copy of `sim/trace.ts` in a
 * worktree reads against main in turns:
 *
 *     deno run --allow-read tools/trace_hash_cost.ts [CHECKOUT] [ROUNDS]
 *
 * @module
 */

import { cpuSeconds } from "./_bench_runner.ts";

const USAGE = "usage: deno run --allow-read tools/trace_hash_cost.ts [CHECKOUT] [ROUNDS]";

if (import.meta.main) {
  const dir = Deno.args[0];
  const rounds = Number(Deno.args[1] ?? 200);
  if (!(rounds > 0)) {
    console.error(`error: bad ROUNDS "${Deno.args[1]}"\n${USAGE}`);
    Deno.exit(2);
  }
  const root = dir === undefined
    ? new URL("../", import.meta.url)
    : new URL(`file://${dir.replace(/\/?$/, "/")}`);
  const loops = await import(new URL("bench/_loops.ts", root).href);
  const run = await import(new URL("scenario/interpreter.ts", root).href);
  const { Trace } = await import(new URL("sim/trace.ts", root).href);
  const runs: { step: number; event: unknown }[][] = [];
  let steps = 0, events = 0;
  for (let s = 1; steps < 10_000; s++) {
    const r = run.runScenario(loops.DEFAULT, { seed: s, keepTrace: true, monitors: [] });
    steps += r.steps;
    runs.push(r.trace.entries);
    events += r.trace.entries.length;
  }
  let best = Number.POSITIVE_INFINITY, hash = "";
  for (let i = 0; i < rounds; i++) {
    const t0 = cpuSeconds();
    for (const entries of runs) {
      const t = new Trace(false, true);
      for (const { step, event } of entries) {
        t.step = step;
        t.emit(event);
      }
      hash = t.hash;
    }
    best = Math.min(best, (cpuSeconds() - t0) * 1000);
  }
  console.log(
    `${runs.length} runs, ${steps} steps, ${events} events: least ${
      best.toFixed(2)
    } ms of CPU a round of ${rounds}, last run's hash ${hash}`,
  );
}
