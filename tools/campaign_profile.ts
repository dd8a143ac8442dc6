/**
 * Runs the bench's campaign runs (seed 7, runs `FROM..TO-1`, kernel checkers, no user service)
 * in this process, one after another, the way a campaign worker runs them (`fuzz/engine.ts`
 * `ScenarioRunner`), with no worker pool: the path to profile with `--cpu-prof`, and to
 * compare passing runs' outcomes between checkouts.
 *
 *     deno run --allow-read --cpu-prof --cpu-prof-dir=/tmp/prof tools/campaign_profile.ts [FROM] [TO] [CHECKOUT]
 *     deno run --allow-read tools/profile_self.ts /tmp/prof/*.cpuprofile
 *
 * With CHECKOUT (another worktree, e.g. a base), its modules run instead of this one's.
 *
 * Prints the runs per CPU-second of this loop (`process.cpuUsage()`, user + system, so other
 * processes' load does not enter it; after the first 100 runs as warm-up) and a digest of every
 * run's signature and steps, and a failing run's trace hash (equal digests: the same runs).
 *
 * @module
 */
import { type BenchRunner, benchRunner, cpuSeconds } from "./_bench_runner.ts";

const USAGE = "usage: deno run --allow-read tools/campaign_profile.ts [FROM] [TO] [CHECKOUT]";
const from = Number(Deno.args[0] ?? 0), to = Number(Deno.args[1] ?? 1500);
if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to <= from) {
  console.error(`error: bad range "${Deno.args.join(" ")}"\n${USAGE}`);
  Deno.exit(2);
}
const root = Deno.args[2] === undefined
  ? new URL("../", import.meta.url)
  : new URL(`file://${Deno.realPathSync(Deno.args[2])}/`);
let bench: BenchRunner;
try {
  bench = await benchRunner(root);
} catch (e) {
  console.error(`error: ${root.pathname} is not a pagersim checkout (${(e as Error).message})`);
  Deno.exit(2);
}
const { runner, record } = bench;
let digest = 0x811c9dc5, failing = 0, steps = 0, t0 = cpuSeconds(), timed = 0;
const mix = (s: string) => {
  for (let i = 0; i < s.length; i++) digest = Math.imul(digest ^ s.charCodeAt(i), 0x01000193);
};
for (let k = from; k < to; k++) {
  if (k === from + Math.min(100, Math.floor((to - from) / 2))) {
    t0 = cpuSeconds();
    timed = 0;
  }
  const r = runner.run(k, record);
  const f = runner.failing();
  mix(`${k}:${r.signature}:${r.steps}:${f?.traceHash ?? ""}\n`);
  if (r.signature !== null) failing++;
  steps += r.steps;
  timed++;
}
const s = cpuSeconds() - t0;
console.log(
  `runs ${from}..${to - 1}: ${(timed / s).toFixed(1)} runs per CPU-second (last ${timed} runs), ` +
    `${steps} steps, ${failing} failing, digest ${(digest >>> 0).toString(16)}`,
);
