/**
 * This checkout's campaign runs against another checkout's, paired in one process: the bench's
 * runs (seed 7, kernel checkers, `fuzz/engine.ts` `ScenarioRunner`) in batches of BATCH runs,
 * the two checkouts taking turns batch by batch for ROUNDS rounds, each batch timed in CPU
 * seconds (`process.cpuUsage()`); each side's least time per batch counts. Turns a minute
 * apart see different machine load; batches side by side see nearly the same.
 *
 *     deno run --allow-read --v8-flags=--single-threaded-gc tools/campaign_ab.ts OTHER [ROUNDS] [BATCH]
 *
 * Prints each side's runs per CPU-second (sum over batches of their least times) and the ratio.
 *
 * @module
 */
import { benchRunner, cpuSeconds } from "./_bench_runner.ts";

const USAGE =
  "usage: deno run --allow-read --v8-flags=--single-threaded-gc tools/campaign_ab.ts OTHER [ROUNDS] [BATCH]";
const [other, roundsArg, batchArg] = Deno.args;
const rounds = Number(roundsArg ?? 5), batch = Number(batchArg ?? 100);
if (other === undefined || !Number.isInteger(rounds) || rounds < 1 || !(batch >= 1)) {
  console.error(`error: ${other === undefined ? "missing OTHER" : "bad arguments"}\n${USAGE}`);
  Deno.exit(2);
}

/** A function that runs campaign runs `from..to-1` of the checkout at `root`. */
async function runnerOf(root: URL): Promise<(from: number, to: number) => number> {
  const { runner, record } = await benchRunner(root);
  return (from, to) => {
    let steps = 0;
    for (let k = from; k < to; k++) steps += runner.run(k, record).steps;
    return steps;
  };
}

let roots: URL[];
try {
  roots = [new URL("../", import.meta.url), new URL(`file://${Deno.realPathSync(other)}/`)];
} catch {
  console.error(`error: ${other} does not exist\n${USAGE}`);
  Deno.exit(2);
}
const sides = await Promise.all(roots.map(runnerOf));
const cpu = cpuSeconds;
const batches = 1500 / batch;
const least = sides.map(() => new Array<number>(Math.ceil(batches)).fill(Infinity));
for (const s of sides) s(0, 100); // warm-up
for (let r = 0; r < rounds; r++) {
  for (let b = 0; b < batches; b++) {
    for (const [i, s] of sides.entries()) {
      const t0 = cpu();
      s(b * batch, Math.min(1500, (b + 1) * batch));
      least[i][b] = Math.min(least[i][b], cpu() - t0);
    }
  }
}
const rate = least.map((l) => 1500 / l.reduce((a, x) => a + x, 0));
console.log(
  `campaign runs per CPU-second, seed 7 runs 0..1499, least of ${rounds} paired rounds per ` +
    `batch of ${batch}: this checkout ${rate[0].toFixed(1)}, ${other} ${rate[1].toFixed(1)} ` +
    `(ratio ${(rate[0] / rate[1]).toFixed(3)})`,
);
