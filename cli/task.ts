/**
 * The tasks that run Deno's own runners (`test`, `bench`, `stress`, `e2e`,
 * `nightly`, `nightly:programs`): deno.json runs each as `deno run --allow-run=deno
 * cli/task.ts NAME deno test ...`, with the task's own permissions on the
 * `deno test` (or `deno bench`) command after the name, so `deno task bench
 * --help` prints this task's usage and runs nothing (it printed Deno's own
 * help before); any other arguments are appended to the command, which runs
 * with the terminal and the environment of the task, and its exit status is the
 * task's. The wrapper itself may only start `deno`.
 *
 * @module
 */

/** Each wrapped task's usage: what it runs, and what its arguments do. */
export const TASK_HELP: Readonly<Record<string, string>> = {
  test: `usage: deno task test [FILE|DIR...] [--filter TEXT] [deno test options]

The whole suite: properties, conformance, corpus replay, unit tests and the doc examples.
Arguments go to deno test: a file or folder runs only its tests, --filter TEXT the tests
whose name holds TEXT; \`deno test --help\` lists its other options (--coverage=DIR, ...).`,
  bench: `usage: deno task bench [FILE...] [--filter TEXT] [deno bench options]

The benchmarks, side by side as ratios: the headline figures first (bench/figures_bench.ts:
checker overhead, per-step cost, campaign runs/s, exploration), then Deno's table of the
loops, campaigns and each exploration pruning. PAGERSIM_BENCH_BASE=DIR (a git worktree of
another revision) measures it beside this checkout. Arguments go to deno bench.`,
  stress: `usage: deno task stress [--filter TEXT] [deno test options]

The nightly size of fuzz/corpus_stress_test.ts: 100 rounds of two campaigns writing one
corpus directory at once (deno task test runs 5); every file must parse and no finding
may be missing. PAGERSIM_STRESS_ROUNDS in the task sets the count. Arguments go to deno test.`,
  e2e: `usage: deno task e2e [--filter TEXT] [deno test options]

The HTML trace and a campaign's coverage report opened in headless Chromium (needs Debian's
chromium). Arguments go to deno test.`,
  nightly: `usage: deno task nightly [--filter TEXT] [deno test options]

The full budgets of the test files whose heavy blocks deno task test samples (PAGERSIM_NIGHTLY=1,
tools/nightly.ts): every split-search comparison of explore/explore_test.ts, the full search of
the judge's 1000 programs for each mutant of program/contract_mutants_test.ts (printing each
mutant's first killer as a "pin:" line for program/contract_killers.json), all 100 judge seeds of the dirty-state scenarios run
unmutated (properties/dirty_state_mutants_test.ts; CI runs 10), the lock-order searches of
services/sync_test.ts up to two preemptions (CI: one, within which the inversion is found), the
10,000 PCT runs of sim/virtual_time_test.ts (CI: 2,000), the README's fxfs_pager sample summary
against its command's 10,000 runs (cli/readme_summary_test.ts; CI checks its shape), the determinism lint test that deno task check already runs in CI,
and nine end-to-end tests CI leaves out for time, each beside a faster one it runs (session 36: another project's kernel
variant, a campaign's unbounded allocation, a 3-preemption explore of a shrunk case, a known signature at a copy's path,
repro of a never-yielding service, the held-requests oracle at bound 1, a changed module's --current-code and corpus
accept, the fxfs port's campaign without its barrier, sim's confirmation of a slow run). Arguments go to deno test.`,
  "nightly:programs": `usage: deno task nightly:programs [--filter TEXT] [deno test options]

Program fuzzing hunting each seeded kernel mutant with seeds 1-5 (zoo/mutants_test.ts; up
to 100,000 runs each; deno task test uses one seed), printing the runs each needed.
PAGERSIM_MUTANT_SEEDS in the task sets the seeds. Arguments go to deno test.`,
};

/**
 * A line a wrapped task prints on stderr before it starts its runner, where the runner can be
 * silent for minutes: `deno test` type-checks every test module before its first result (about
 * 2-3 minutes of `Check` on a cold cache on a busy 2-core machine; later runs reuse the cache).
 */
export const TASK_NOTE: Readonly<Record<string, string>> = {
  test: "deno task test: Deno type-checks the test modules before the first result " +
    "(minutes on a cold cache on a small machine; later runs reuse its cache)",
};

/** True when `args` asks for help (`--help` or `-h`, as Deno's runners take them). */
export function wantsHelp(args: readonly string[]): boolean {
  return args.some((a) => a === "--help" || a === "-h");
}

/**
 * The `deno ...` command of a task line of deno.json, wrapped or not (environment assignments
 * before it left out), as its words: `deno test --allow-read ...`; null if the line runs no such
 * command.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { taskCommand } from "./task.ts";
 * assert.deepEqual(
 *   taskCommand("X=1 deno run --allow-run=deno cli/task.ts stress deno test --allow-read a_test.ts"),
 *   ["deno", "test", "--allow-read", "a_test.ts"],
 * );
 * assert.deepEqual(taskCommand("deno test --doc"), ["deno", "test", "--doc"]);
 * ```
 */
export function taskCommand(line: string): string[] | null {
  const words = line.split(/\s+/).filter((w) => w !== "");
  while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) words.shift();
  const wrapper = words.findIndex((w) => w.endsWith("cli/task.ts"));
  const command = wrapper < 0 ? words : words.slice(wrapper + 2);
  return command[0] === "deno" ? command : null;
}

async function main(args: string[]): Promise<number> {
  const [name, deno, ...rest] = args;
  const help = name === undefined ? undefined : TASK_HELP[name];
  if (help === undefined || deno !== "deno" || rest.length === 0) {
    console.error(
      `error: cli/task.ts ${name ?? ""}: not a task it wraps (${
        Object.keys(TASK_HELP).join(", ")
      }), or no deno command after it\nusage: deno run --allow-run=deno cli/task.ts NAME deno ARGS...`,
    );
    return 2;
  }
  if (wantsHelp(rest)) {
    console.log(help);
    return 0;
  }
  const note = TASK_NOTE[name];
  if (note !== undefined) console.error(note);
  const child = new Deno.Command("deno", { args: rest }).spawn();
  return (await child.status).code;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
