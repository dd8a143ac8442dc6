/**
 * This checkout's campaign runs against another checkout's, paired in one process: the bench's
 * runs (seed 7, runs 0..1499, kernel checkers, `fuzz/engine.ts` `ScenarioRunner`) in batches of
 * BATCH runs, the two checkouts taking turns batch by batch for ROUNDS rounds, each batch timed
 * in CPU seconds (`process.cpuUsage()`); each side's least time per batch counts. Turns a minute
 * apart see different machine load; batches side by side see nearly the same.
 *
 *     deno run --allow-read --v8-flags=--single-threaded-gc tools/campaign_ab.ts OTHER [ROUNDS] [BATCH]
 *
 * Each side runs in a worker of its own (its own heap and module instances), and the side that
 * goes first alternates from batch to batch: in one heap the second side paid the first one's
 * garbage and found the module-level memos and the JIT's feedback the first had warmed, so this
 * checkout against itself read 1.051 at `3 100` and 0.751 at `1 500`. One worker runs at a
 * time, so the process's CPU time over a batch is that batch's. Give OTHER as this checkout to
 * read the noise floor (the ratio of a checkout against itself).
 *
 * Prints each side's runs per CPU-second (1500 ÷ the sum over batches of their least times), the
 * ratio, and each side's steps per CPU-second (checkouts whose scenario generators differ run
 * different campaigns under the same seed, of different sizes).
 *
 * @module
 */
import type { BatchAnswer, BatchAsk } from "./_campaign_ab_worker.ts";

const USAGE =
  "usage: deno run --allow-read --v8-flags=--single-threaded-gc tools/campaign_ab.ts OTHER [ROUNDS] [BATCH]";
const RUNS = 1500;

/** Asks `w` for runs `from..to-1` and waits for their CPU time. */
function ask(w: Worker, batch: BatchAsk): Promise<BatchAnswer> {
  return new Promise((resolve) => {
    w.onmessage = (m: MessageEvent<BatchAnswer>) => resolve(m.data);
    w.postMessage(batch);
  });
}

/** A worker running the checkout at `root`'s campaign runs, once it is ready. */
async function start(root: URL): Promise<Worker> {
  const w = new Worker(new URL(`_campaign_ab_worker.ts#${root.href}`, import.meta.url), {
    type: "module",
  });
  const ready = await new Promise<BatchAnswer>((resolve) => {
    w.onmessage = (m: MessageEvent<BatchAnswer>) => resolve(m.data);
  });
  if (ready.steps < 0) {
    w.terminate();
    throw new Error(`${root.pathname} is not a pagersim checkout (${ready.error})`);
  }
  return w;
}

if (import.meta.main) {
  const [other, roundsArg, batchArg] = Deno.args;
  const rounds = Number(roundsArg ?? 5), batch = Number(batchArg ?? 100);
  if (
    other === undefined || !Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(batch) ||
    batch < 1 || batch > RUNS
  ) {
    console.error(`error: ${other === undefined ? "missing OTHER" : "bad arguments"}\n${USAGE}`);
    Deno.exit(2);
  }
  let roots: URL[];
  try {
    roots = [new URL("../", import.meta.url), new URL(`file://${Deno.realPathSync(other)}/`)];
  } catch {
    console.error(`error: ${other} does not exist\n${USAGE}`);
    Deno.exit(2);
  }
  let sides: Worker[];
  try {
    sides = await Promise.all(roots.map(start));
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    Deno.exit(2);
  }
  const batches = Math.ceil(RUNS / batch);
  const least = sides.map(() => new Array<number>(batches).fill(Infinity));
  const totalSteps = [0, 0];
  for (const s of sides) await ask(s, { from: 0, to: 100 }); // warm-up
  let turn = 0;
  for (let r = 0; r < rounds; r++) {
    for (let b = 0; b < batches; b++, turn++) {
      const runs = { from: b * batch, to: Math.min(RUNS, (b + 1) * batch) };
      const steps: number[] = [];
      for (const i of turn % 2 === 0 ? [0, 1] : [1, 0]) {
        const a = await ask(sides[i], runs);
        steps[i] = a.steps;
        least[i][b] = Math.min(least[i][b], a.seconds);
      }
      if (r === 0) {
        totalSteps[0] += steps[0];
        totalSteps[1] += steps[1];
      }
    }
  }
  for (const s of sides) s.terminate();
  const seconds = least.map((l) => l.reduce((a, x) => a + x, 0));
  const rate = seconds.map((s) => RUNS / s);
  const stepRate = seconds.map((s, i) => totalSteps[i] / s);
  console.log(
    `campaign runs per CPU-second, seed 7 runs 0..${RUNS - 1}, least of ${rounds} paired rounds ` +
      `per batch of ${batch} (own workers, first side alternating): this checkout ` +
      `${rate[0].toFixed(1)}, ${other} ${rate[1].toFixed(1)} (ratio ${
        (rate[0] / rate[1]).toFixed(3)
      }); steps per CPU-second ${stepRate[0].toFixed(0)} and ${stepRate[1].toFixed(0)} ` +
      `(${totalSteps[0]} and ${totalSteps[1]} steps: the runs differ when the checkouts' ` +
      `generators do)`,
  );
}
