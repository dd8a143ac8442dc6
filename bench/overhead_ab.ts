/**
 * The checker overhead of this checkout beside a base worktree's, measured in one process with
 * each checkout in a worker of its own (a heap of its own, as `figures.ts` wants) and the two
 * taking turns batch by batch: plain, checked, the other's plain, checked, ... The turns are a
 * few hundred milliseconds apart, not seconds, so on a loaded machine both sides see the same
 * load. One worker runs at a time, so the process's CPU time over a batch is that batch's.
 * Prints each side's least plain and checked batch times, their ratio (`checker overhead`) and
 * the checked time of this checkout ÷ the base's.
 *
 * @example
 * ```sh
 * PAGERSIM_BENCH_BASE=/tmp/base deno run --allow-read --allow-env --allow-sys \
 *   bench/overhead_ab.ts 60
 * ```
 *
 * @module
 */

import { ask, start } from "./_overhead_client.ts";

const USAGE = "usage: PAGERSIM_BENCH_BASE=DIR deno run --allow-read --allow-env --allow-sys " +
  "bench/overhead_ab.ts [SECONDS]";

if (import.meta.main) {
  const seconds = Number(Deno.args[0] ?? 60);
  const base = Deno.env.get("PAGERSIM_BENCH_BASE");
  if (!(seconds > 0) || base === undefined || base === "") {
    console.error(USAGE);
    Deno.exit(2);
  }
  const dir = base.endsWith("/") ? base : `${base}/`;
  const roots = [
    new URL("../", import.meta.url),
    new URL(dir.startsWith("/") ? `file://${dir}` : `file://${Deno.cwd()}/${dir}`),
  ];
  const workers = await Promise.all(roots.map(start));
  const best = roots.map(() => ({ plain: Infinity, checked: Infinity }));
  for (const w of workers) await ask(w, false), await ask(w, true); // warm-up
  let rounds = 0;
  const until = performance.now() + seconds * 1000;
  while (rounds < 3 || performance.now() < until) {
    for (const [i, w] of workers.entries()) {
      const p = await ask(w, false), c = await ask(w, true);
      if (p.steps !== c.steps) {
        throw new Error(`the checkers changed the steps: ${p.steps} ${c.steps}`);
      }
      best[i].plain = Math.min(best[i].plain, p.micros);
      best[i].checked = Math.min(best[i].checked, c.micros);
    }
    rounds++;
  }
  for (const w of workers) w.terminate();
  const labels = ["this checkout", `base ${base}`];
  for (const [i, b] of best.entries()) {
    console.log(
      `checker overhead (CPU time, least of ${rounds} rounds taking turns batch by batch), ` +
        `${labels[i]}: ${(b.checked / b.plain).toFixed(2)}x (${(b.plain / 1000).toFixed(1)} ms ` +
        `plain, ${(b.checked / 1000).toFixed(1)} ms checked)`,
    );
  }
  console.log(
    `checked batch, this checkout ÷ base: ${(best[0].checked / best[1].checked).toFixed(3)}; ` +
      `plain batch: ${(best[0].plain / best[1].plain).toFixed(3)}`,
  );
}
