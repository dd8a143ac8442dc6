/**
 * The headline performance figures of this checkout and (when
 * `PAGERSIM_BENCH_BASE` names a git worktree of another commit, e.g.
 * `git worktree add /tmp/pagersim-base HEAD~1`) that one, taking turns so
 * both sides see the same machine load:
 *
 * - `checker overhead`: CPU time of the default scenario with all kernel
 *   checkers ÷ without, the same seeds (the same steps) on both sides, run
 *   interleaved in short batches in this process and timed by
 *   `process.cpuUsage()` (user + system), so other processes' load on the
 *   machine does not enter the ratio ({@linkcode checkerOverhead});
 * - `per-step cost`: the fixed floor's steps/s (`bench/_floor.ts`: bare
 *   generators picked by seedrandom@3.0.5, as issue 17 measured it; this
 *   checkout's floor for every side) ÷ default-workload steps/s (no checkers);
 * - campaign runs/s on 1 and 2 workers (the same fixed runs);
 * - exhaustive exploration of `explore/testdata/default_small.json` to 2
 *   preemptions: executions per bound (deterministic) and wall time;
 * - the default workload's steps per CPU-second ({@linkcode stepsSideBySide}),
 *   the fastest batch and sustained.
 *
 * Each checkout is measured in processes of its own: two checkouts in one
 * process would share a heap, and the garbage one side makes slows the
 * other's collections (that hid a 2x regression of the model).
 *
 * `deno task bench` prints them (`bench/figures_bench.ts`); run alone with
 * `deno run --allow-read --allow-run=deno --allow-env=PAGERSIM_BENCH_BASE bench/figures.ts
 * [SECONDS]`, or only the checker overhead with the same permissions and `overhead [SECONDS]`
 * (beside the base's when it names one), or only the steps per CPU-second with
 * `steps [TURNS] [SECONDS]`.
 *
 * @module
 */

import process from "node:process";
import { floorLoop } from "./_floor.ts";

/** One checkout's figures. */
export interface Figures {
  readonly checkerOverhead: number;
  /** The same as a ratio of all rounds' CPU time (more exposed to the machine's load). */
  readonly checkerOverheadTotal: number;
  readonly perStepCost: number;
  readonly campaign1: number;
  readonly campaign2: number;
  readonly exploreExecutions: readonly number[];
  readonly exploreSeconds: number;
  readonly exploreSummary: string;
}

type Loop = () => number;

/** The modules a checkout offers, loaded from its root directory URL. */
async function load(root: URL) {
  const at = (p: string) => new URL(p, root).href;
  // The first of these paths the checkout has (modules moved between commits).
  const first = async (...paths: string[]) => {
    for (const p of paths) {
      try {
        await Deno.stat(new URL(p, root));
        return await import(at(p));
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
    }
    throw new Error(`${root.pathname}: none of ${paths.join(", ")}`);
  };
  const loops = await import(at("bench/_loops.ts"));
  const run = await first("scenario/interpreter.ts", "sim/run.ts");
  const inv = await import(at("properties/kernel_invariants.ts"));
  const campaign = await import(at("bench/_campaign.ts"));
  const exp = await import(at("explore/explore.ts"));
  const sc = await first("scenario/schema.ts", "sim/scenario.ts");
  const small = sc.parseScenario(
    JSON.parse(await Deno.readTextFile(new URL("explore/testdata/default_small.json", root))),
    "default_small",
  );
  /** A batch of the default scenario on seeds `from, from + 1, ...` (at least 10,000 steps). */
  const batch = (checkers: boolean) => (from: number): { steps: number; next: number } => {
    let steps = 0, s = from;
    for (; steps < 10_000; s++) {
      steps += run.runScenario(loops.DEFAULT, {
        seed: s,
        keepTrace: false,
        monitors: checkers ? inv.kernelInvariants() : [],
      }).steps;
    }
    return { steps, next: s };
  };
  const workload = (checkers: boolean): Loop => () => {
    let total = 0;
    for (let s = 1; total < 20_000; s++) {
      const r = run.runScenario(loops.DEFAULT, {
        seed: s,
        keepTrace: false,
        monitors: checkers ? inv.kernelInvariants() : [],
      });
      total += r.steps;
    }
    return total;
  };
  return {
    bare: floorLoop as Loop,
    plain: workload(false),
    plainBatch: batch(false),
    checkedBatch: batch(true),
    campaign: campaign.campaignRunsPerSecond as (w: number, runs: number) => Promise<number>,
    explore: () => exp.explore(small, { preemptions: 2 }),
  };
}

/** Steps per second of `loop`, run for about `seconds` after a warm-up. */
function rate(loop: Loop, seconds: number): number {
  loop();
  let steps = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    steps += loop();
    elapsed = performance.now() - start;
  }
  return steps / (elapsed / 1000);
}

/** CPU microseconds (user + system) this process has used. */
function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** A batch of seeds from `from` on: the steps it took and the next seed. */
type Batch = (from: number) => { steps: number; next: number };

/**
 * The checker overhead as CPU time: one fixed batch of the default scenario
 * (seeds 1, 2, ... until 10,000 steps) without and with the checkers, the two
 * interleaved (plain, checked, plain, ...) for about `seconds`, each timed by
 * `process.cpuUsage()`. Both sides take the same steps (the checkers never
 * change a passing run). CPU time, not wall time, and the least of each
 * side's rounds: another process on a loaded machine takes cores, which costs
 * this process no CPU time, and what it does to caches only ever adds time, so
 * the fastest round of each side is the one least disturbed. `ratio` is
 * checked ÷ plain of those least times; `total` the ratio of the sums.
 */
export function checkerOverhead(
  plain: Batch,
  checked: Batch,
  seconds: number,
): { ratio: number; total: number; rounds: number; plainCpu: number; checkedCpu: number } {
  plain(1), checked(1); // warm-up
  let plainCpu = 0, checkedCpu = 0, rounds = 0, plainMin = Infinity, checkedMin = Infinity;
  const start = performance.now();
  while (rounds < 3 || performance.now() - start < seconds * 1000) {
    const t0 = cpuMicros();
    const a = plain(1);
    const t1 = cpuMicros();
    const b = checked(1);
    const t2 = cpuMicros();
    if (a.steps !== b.steps) {
      throw new Error(`the checkers changed the steps: ${a.steps} ${b.steps}`);
    }
    plainCpu += t1 - t0;
    checkedCpu += t2 - t1;
    plainMin = Math.min(plainMin, t1 - t0);
    checkedMin = Math.min(checkedMin, t2 - t1);
    rounds++;
  }
  return {
    ratio: checkedMin / plainMin,
    total: checkedCpu / plainCpu,
    rounds,
    plainCpu: plainMin,
    checkedCpu: checkedMin,
  };
}

/**
 * Runs this module's `mode` for the checkout at `root` in a process of its own and returns
 * what it printed, parsed as JSON (a number or an object); a failed child is an error.
 */
async function inOwnProcess(mode: string, root: URL, seconds: number): Promise<unknown> {
  const out = await new Deno.Command("deno", {
    args: ["run", "--allow-read", import.meta.url, mode, root.href, `${seconds}`],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`bench/figures.ts ${mode} ${root.href} failed`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/**
 * Measures each checkout's figures, each in processes of its own (needs
 * `--allow-run=deno`): two turns per checkout, taking turns, each figure's
 * best turn counting (the most steps per second, the least overhead, the
 * least wall time). One process for all checkouts would share one heap, and
 * the garbage one side makes slows the other's collections.
 */
export async function measure(roots: readonly URL[], seconds: number): Promise<Figures[]> {
  const best: (Figures | null)[] = roots.map(() => null);
  for (let turn = 0; turn < 2; turn++) {
    for (const [i, root] of roots.entries()) {
      const f = await inOwnProcess("figures-one", root, seconds) as Figures;
      const b = best[i];
      best[i] = b === null ? f : {
        ...f,
        checkerOverhead: Math.min(b.checkerOverhead, f.checkerOverhead),
        checkerOverheadTotal: Math.min(b.checkerOverheadTotal, f.checkerOverheadTotal),
        perStepCost: Math.min(b.perStepCost, f.perStepCost),
        campaign1: Math.max(b.campaign1, f.campaign1),
        campaign2: Math.max(b.campaign2, f.campaign2),
        exploreSeconds: Math.min(b.exploreSeconds, f.exploreSeconds),
      };
    }
  }
  return best.map((b) => {
    if (b === null) throw new Error("bench/figures.ts: no figures measured");
    return b;
  });
}

/** One checkout's figures, in this process: the step loops, checker overhead, campaigns, exploration. */
export async function measureHere(roots: readonly URL[], seconds: number): Promise<Figures[]> {
  const mods = await Promise.all(roots.map(load));
  const best = mods.map(() => ({ bare: 0, plain: 0 }));
  for (let round = 0; round < 3; round++) {
    for (const [i, m] of mods.entries()) {
      best[i].bare = Math.max(best[i].bare, rate(m.bare, seconds));
      best[i].plain = Math.max(best[i].plain, rate(m.plain, seconds));
    }
  }
  const out = mods.map((_, i) => ({
    perStepCost: best[i].bare / best[i].plain,
  } as Record<string, unknown>));
  for (const [i, m] of mods.entries()) {
    const o = checkerOverhead(m.plainBatch, m.checkedBatch, 3 * seconds);
    out[i].checkerOverhead = o.ratio;
    out[i].checkerOverheadTotal = o.total;
  }
  for (const [i, m] of mods.entries()) {
    out[i].campaign1 = await m.campaign(1, 1500);
    out[i].campaign2 = await m.campaign(2, 1500);
  }
  for (const [i, m] of mods.entries()) {
    const start = performance.now();
    const r = m.explore();
    out[i].exploreSeconds = (performance.now() - start) / 1000;
    out[i].exploreExecutions = r.bounds.map((b: { executions: number }) => b.executions);
    out[i].exploreSummary = r.summary;
  }
  return out as unknown as Figures[];
}

/** The figures as text lines, this checkout's first and any other's beside them. */
export function formatFigures(figs: readonly Figures[], labels: readonly string[]): string[] {
  const col = (f: (x: Figures) => string) => figs.map(f).join("  |  ");
  return [
    `figures: ${labels.join("  |  ")}`,
    `checker overhead (CPU time, interleaved): ${
      col((x) =>
        `${x.checkerOverhead.toFixed(2)}x (all rounds: ${x.checkerOverheadTotal.toFixed(2)}x)`
      )
    }`,
    `per-step cost: ${col((x) => `${x.perStepCost.toFixed(1)}x`)}`,
    `campaign runs/s, 1 worker: ${col((x) => x.campaign1.toFixed(0))}`,
    `campaign runs/s, 2 workers: ${col((x) => x.campaign2.toFixed(0))}`,
    `explore default_small, K=2, executions per bound: ${
      col((x) => x.exploreExecutions.join("/"))
    }`,
    `explore default_small, K=2, wall time: ${col((x) => `${x.exploreSeconds.toFixed(1)} s`)}`,
  ];
}

/** This checkout's root, and the base worktree's if `PAGERSIM_BENCH_BASE` names one. */
export function roots(): { roots: URL[]; labels: string[] } {
  const here = new URL("../", import.meta.url);
  // Without env access (`--allow-read` only) there is no base: this checkout alone.
  const env = Deno.permissions.querySync({ name: "env", variable: "PAGERSIM_BENCH_BASE" });
  const base = env.state === "granted" ? Deno.env.get("PAGERSIM_BENCH_BASE") : undefined;
  if (base === undefined || base === "") {
    return { roots: [here], labels: ["this checkout (set PAGERSIM_BENCH_BASE for a base)"] };
  }
  const dir = base.endsWith("/") ? base : `${base}/`;
  return {
    roots: [here, new URL(`file://${dir.startsWith("/") ? "" : `${Deno.cwd()}/`}${dir}`)],
    labels: ["this checkout", `base ${base}`],
  };
}

/**
 * Default-workload steps per CPU-second (no checkers) of the checkout at
 * `root`: seeds 1, 2, ... until 10,000 steps, run again and again for about
 * `seconds` after a warm-up; the fastest batch counts (see
 * {@linkcode checkerOverhead} for why CPU time and the least time).
 */
export async function stepsPerCpuSecond(root: URL, seconds: number): Promise<number> {
  const m = await load(root);
  m.plainBatch(1); // warm-up
  let least = Infinity, steps = 0;
  const start = performance.now();
  for (let rounds = 0; rounds < 3 || performance.now() - start < seconds * 1000; rounds++) {
    const t0 = cpuMicros();
    steps = m.plainBatch(1).steps;
    least = Math.min(least, cpuMicros() - t0);
  }
  return steps / (least / 1e6);
}

/**
 * Default-workload steps per CPU-second (no checkers) of the checkout at
 * `root`, sustained: after a warm-up of 300 runs, fresh seeds from 1,000 on,
 * run back to back for about `seconds`; all steps ÷ all CPU time, garbage
 * collection included. What a long campaign sees, where
 * {@linkcode stepsPerCpuSecond} (the same 200 runs again and again, the
 * fastest batch) shows the model's best pace.
 */
export async function sustainedStepsPerCpuSecond(root: URL, seconds: number): Promise<number> {
  const m = await load(root);
  let seed = m.plainBatch(1).next; // warm-up: seeds 1, 2, ... until 10,000 steps
  while (seed < 300) seed = m.plainBatch(seed).next;
  seed = 1_000;
  let steps = 0;
  const start = performance.now(), t0 = cpuMicros();
  while (performance.now() - start < seconds * 1000) {
    const b = m.plainBatch(seed);
    steps += b.steps;
    seed = b.next;
  }
  return steps / ((cpuMicros() - t0) / 1e6);
}

/**
 * The default workload's steps per CPU-second ({@linkcode stepsPerCpuSecond}
 * and {@linkcode sustainedStepsPerCpuSecond}) of this checkout and the base
 * worktree, as report lines. Each checkout runs
 * in processes of its own (needs `--allow-run=deno`), taking turns: `rounds`
 * turns each of about `seconds`; each side's best turn counts. Not one process
 * for both: they would share one heap, and the garbage one side makes would
 * slow the other's collections (that hid a 2x regression of the model).
 */
export async function stepsSideBySide(rounds: number, seconds: number): Promise<string[]> {
  const { roots: r, labels } = roots();
  const one = async (mode: string, root: URL): Promise<number> => {
    const x = await inOwnProcess(mode, root, seconds);
    if (typeof x !== "number" || !(x > 0)) {
      throw new Error(`bench/figures.ts ${mode} ${root.href} printed no positive figure`);
    }
    return x;
  };
  const best = r.map(() => 0), sustained = r.map(() => 0);
  for (let i = 0; i < rounds; i++) {
    for (const [j, root] of r.entries()) {
      best[j] = Math.max(best[j], await one("steps-one", root));
      sustained[j] = Math.max(sustained[j], await one("sustained-one", root));
    }
  }
  const line = (what: string, xs: number[]) =>
    xs.map((x, j) =>
      `default workload steps per CPU-second (no checkers; ${what}; best of ${rounds} turns of ` +
      `${seconds} s, own process), ${labels[j]}: ${x.toFixed(0)}` +
      (j === 0 ? "" : ` (this checkout ÷ this one: ${(xs[0] / x).toFixed(3)})`)
    );
  return [
    ...line("fastest batch of seeds 1-200", best),
    ...line("sustained, fresh seeds, GC included", sustained),
  ];
}

if (import.meta.main && Deno.args[0] === "steps-one") {
  // One checkout's figure, in a process of its own (the `steps` mode below starts these).
  console.log(await stepsPerCpuSecond(new URL(Deno.args[1]), Number(Deno.args[2])));
} else if (import.meta.main && Deno.args[0] === "figures-one") {
  // One checkout's headline figures as JSON, in a process of its own (`measure` starts these).
  console.log(
    JSON.stringify((await measureHere([new URL(Deno.args[1])], Number(Deno.args[2])))[0]),
  );
} else if (import.meta.main && Deno.args[0] === "sustained-one") {
  console.log(await sustainedStepsPerCpuSecond(new URL(Deno.args[1]), Number(Deno.args[2])));
} else if (import.meta.main && Deno.args[0] === "steps") {
  // `PAGERSIM_BENCH_BASE=/tmp/base deno run --allow-read --allow-run=deno
  // --allow-env=PAGERSIM_BENCH_BASE bench/figures.ts steps [ROUNDS] [SECONDS]`
  for (const line of await stepsSideBySide(Number(Deno.args[1] ?? 5), Number(Deno.args[2] ?? 8))) {
    console.log(line);
  }
} else if (import.meta.main && Deno.args[0] === "overhead-one") {
  // One checkout's checker overhead as JSON, in a process of its own (the `overhead` mode).
  const m = await load(new URL(Deno.args[1]));
  console.log(JSON.stringify(checkerOverhead(m.plainBatch, m.checkedBatch, Number(Deno.args[2]))));
} else if (import.meta.main && Deno.args[0] === "overhead") {
  // Only the checker overhead: `deno run --allow-read --allow-run=deno
  // --allow-env=PAGERSIM_BENCH_BASE bench/figures.ts overhead 20`; each checkout in processes
  // of its own, taking turns of 4 s; each side's least times count.
  const seconds = Number(Deno.args[1] ?? 10);
  const { roots: r, labels } = roots();
  const best = r.map(() => ({ plain: Infinity, checked: Infinity, rounds: 0 }));
  const turn = Math.min(4, seconds);
  for (let t = 0; t < seconds; t += turn) {
    for (const [i, root] of r.entries()) {
      const o = await inOwnProcess("overhead-one", root, turn) as ReturnType<
        typeof checkerOverhead
      >;
      best[i].plain = Math.min(best[i].plain, o.plainCpu);
      best[i].checked = Math.min(best[i].checked, o.checkedCpu);
      best[i].rounds += o.rounds;
    }
  }
  for (const [i, x] of best.entries()) {
    console.log(
      `checker overhead (CPU time, least of ${x.rounds} interleaved rounds, own processes), ` +
        `${labels[i]}: ${(x.checked / x.plain).toFixed(2)}x (${(x.plain / 1000).toFixed(1)} ms ` +
        `plain, ${(x.checked / 1000).toFixed(1)} ms checked)`,
    );
  }
} else if (import.meta.main) {
  const seconds = Number(Deno.args[0] ?? 1);
  const { roots: r, labels } = roots();
  for (const line of formatFigures(await measure(r, seconds), labels)) console.log(line);
}
