/**
 * Scheduler and kernel throughput, side by side in one process. Every case
 * takes (at least) {@linkcode STEPS} steps per iteration, so Deno's "x times
 * slower than" column is the per-step cost ratio against the fixed floor
 * (`bench/_floor.ts`: the bare generator loop as issue 17 measured it), and
 * steps/s is `STEPS * iter/s`.
 *
 * Run: `deno task bench` (or `deno bench --allow-read bench/`).
 *
 * @module
 */

import { bareLoop, STEPS, THREADS, workloadLoop, worldLoop } from "./_loops.ts";
import { floorLoop } from "./_floor.ts";

const group = `${STEPS} steps, ${THREADS} threads`;

Deno.bench({
  name: "fixed floor: bare generators, seedrandom@3.0.5 pick",
  group,
  baseline: true,
  fn: () => void floorLoop(STEPS),
});

Deno.bench({
  name: "bare generators, seeded random pick",
  group,
  fn: () => void bareLoop(STEPS, "rng"),
});

Deno.bench({
  name: "bare generators, round-robin",
  group,
  fn: () => void bareLoop(STEPS, "round-robin"),
});

Deno.bench({
  name: "world scheduler, empty threads (raw scheduling points)",
  group,
  fn: () => void worldLoop(STEPS, "raw"),
});

Deno.bench({
  name: "world scheduler, empty threads, fair round-robin strategy",
  group,
  fn: () => void worldLoop(STEPS, "raw", "round-robin"),
});

Deno.bench({
  name: "world + kernel, zx_handle_close(0) loop",
  group,
  fn: () => void worldLoop(STEPS, "syscall"),
});

Deno.bench({
  name: "default read/supply workload (runScenario, keepTrace false)",
  group,
  fn: () => void workloadLoop(STEPS),
});
