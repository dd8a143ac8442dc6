/**
 * The default batch under all kernel checkers in several checkouts, paired round by round: each
 * checkout in a worker of its own (`_overhead_worker.ts`), one checked batch per checkout per
 * round, the order rotating from round to round, so every checkout sees the same load within a
 * round. Prints, per checkout, the median and quartiles of its per-round ratio to the first
 * checkout's batch, and its least batch ÷ the first's least. Name the first checkout twice for a
 * self-control: its ratio says how far apart one tree reads against itself.
 *
 * `overhead_ab.ts` compares the least batches of two checkouts; on a loaded machine a least
 * batch moves by ±5% with no code changed, which hides a change of a few percent. A median of
 * per-round ratios of batches a few hundred milliseconds apart moves far less.
 *
 * @example
 * ```sh
 * deno run --allow-read --allow-env --allow-sys bench/checked_ab.ts 120 /tmp/main /tmp/main .
 * ```
 *
 * With `--plain` first, the batches run no checker: the default scenario's plain steps, the
 * per-step cost's workload (`tools/step_cost.ts`), paired the same way.
 *
 * @module
 */

import { ask, start } from "./_overhead_client.ts";

const USAGE = "usage: deno run --allow-read --allow-env --allow-sys bench/checked_ab.ts " +
  "[--plain] SECONDS BASE OTHER...";

/** The `q` quantile (0..1) of `xs`, sorted in place (nearest rank). */
export function quantile(xs: number[], q: number): number {
  xs.sort((a, b) => a - b);
  return xs[Math.min(xs.length - 1, Math.max(0, Math.round(q * (xs.length - 1))))];
}

if (import.meta.main) {
  const plain = Deno.args[0] === "--plain";
  const args = plain ? Deno.args.slice(1) : Deno.args;
  const seconds = Number(args[0]);
  const dirs = args.slice(1);
  if (!(seconds > 0) || dirs.length < 2) {
    console.error(USAGE);
    Deno.exit(2);
  }
  const roots = dirs.map((d) => new URL(d.endsWith("/") ? d : `${d}/`, `file://${Deno.cwd()}/`));
  const workers: Worker[] = [];
  for (const r of roots) workers.push(await start(r));
  // One plain and one checked batch each to warm up (not counted).
  for (const w of workers) {
    await ask(w, false);
    await ask(w, true);
  }
  const ratios: number[][] = roots.map(() => []);
  const least = roots.map(() => Infinity);
  const steps = roots.map(() => -1);
  const until = performance.now() + seconds * 1000;
  let rounds = 0;
  while (performance.now() < until) {
    const micros: number[] = [];
    for (let k = 0; k < workers.length; k++) {
      const i = (rounds + k) % workers.length;
      const t = await ask(workers[i], !plain);
      if (steps[i] >= 0 && steps[i] !== t.steps) throw new Error(`${dirs[i]}: steps moved`);
      steps[i] = t.steps;
      micros[i] = t.micros;
      least[i] = Math.min(least[i], t.micros);
    }
    for (let i = 0; i < workers.length; i++) ratios[i].push(micros[i] / micros[0]);
    rounds++;
  }
  for (const w of workers) w.terminate();
  console.log(
    `${
      plain ? "plain" : "checked"
    } batch (CPU time, ${rounds} rounds, one batch per checkout per round, order ` +
      `rotating), each ÷ ${dirs[0]} in the same round:`,
  );
  for (let i = 0; i < roots.length; i++) {
    const r = ratios[i];
    console.log(
      `  ${dirs[i]}: median ${quantile(r, 0.5).toFixed(3)} (quartiles ${
        quantile(r, 0.25).toFixed(3)
      }-${quantile(r, 0.75).toFixed(3)}), least ${(least[i] / 1000).toFixed(1)} ms ` +
        `(÷ first's least ${(least[i] / least[0]).toFixed(3)}), ${steps[i]} steps`,
    );
  }
}
