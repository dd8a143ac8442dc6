/**
 * `deno task bench` prints the headline figures first (`figures.ts`: checker
 * overhead, per-step cost, campaign runs/s on 1 and 2 workers, exploration,
 * and the default workload's steps per CPU-second, each checkout in processes
 * of its own), beside a base worktree's when `PAGERSIM_BENCH_BASE` names one
 * (`PAGERSIM_BENCH_BASE=/tmp/pagersim-base deno task bench` after
 * `git worktree add /tmp/pagersim-base HEAD~1`). The other bench files time
 * the loops, campaigns and each exploration pruning in Deno's table.
 *
 * @module
 */

import { formatFigures, measure, roots, stepsSideBySide } from "./figures.ts";

const { roots: r, labels } = roots();
for (const line of formatFigures(await measure(r, 1), labels)) console.log(line);
for (const line of await stepsSideBySide(3, 5)) console.log(line);
