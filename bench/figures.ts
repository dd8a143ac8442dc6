/**
 * The headline performance figures, measured in one process, alternating
 * between this checkout and (when `PAGERSIM_BENCH_BASE` names a git worktree
 * of another commit, e.g. `git worktree add /tmp/pagersim-base HEAD~1`) that
 * one, so both sides see the same machine load:
 *
 * - `checker overhead`: default-scenario steps/s without checkers ÷ with all
 *   kernel checkers;
 * - `per-step cost`: bare generator loop steps/s ÷ default-workload steps/s
 *   (no checkers);
 * - campaign runs/s on 1 and 2 workers (the same fixed runs);
 * - exhaustive exploration of `explore/testdata/default_small.json` to 2
 *   preemptions: executions per bound (deterministic) and wall time.
 *
 * `deno task bench` prints them (`bench/figures_bench.ts`); run alone with
 * `deno run --allow-read --allow-env=PAGERSIM_BENCH_BASE bench/figures.ts [SECONDS]`.
 *
 * @module
 */

/** One checkout's figures. */
export interface Figures {
  readonly checkerOverhead: number;
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
    bare: (() => loops.bareLoop(loops.STEPS, "rng")) as Loop,
    plain: workload(false),
    checked: workload(true),
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

/**
 * Measures each checkout's figures: the step loops best of three rounds,
 * alternating checkouts within each round; then campaigns; then exploration.
 */
export async function measure(roots: readonly URL[], seconds: number): Promise<Figures[]> {
  const mods = await Promise.all(roots.map(load));
  const best = mods.map(() => ({ bare: 0, plain: 0, checked: 0 }));
  for (let round = 0; round < 3; round++) {
    for (const [i, m] of mods.entries()) {
      best[i].bare = Math.max(best[i].bare, rate(m.bare, seconds));
      best[i].plain = Math.max(best[i].plain, rate(m.plain, seconds));
      best[i].checked = Math.max(best[i].checked, rate(m.checked, seconds));
    }
  }
  const out = mods.map((_, i) => ({
    checkerOverhead: best[i].plain / best[i].checked,
    perStepCost: best[i].bare / best[i].plain,
  } as Record<string, unknown>));
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
    `checker overhead: ${col((x) => `${x.checkerOverhead.toFixed(2)}x`)}`,
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
  const base = Deno.env.get("PAGERSIM_BENCH_BASE");
  if (base === undefined || base === "") {
    return { roots: [here], labels: ["this checkout (set PAGERSIM_BENCH_BASE for a base)"] };
  }
  const dir = base.endsWith("/") ? base : `${base}/`;
  return {
    roots: [here, new URL(`file://${dir.startsWith("/") ? "" : `${Deno.cwd()}/`}${dir}`)],
    labels: ["this checkout", `base ${base}`],
  };
}

if (import.meta.main) {
  const seconds = Number(Deno.args[0] ?? 1);
  const { roots: r, labels } = roots();
  for (const line of formatFigures(await measure(r, seconds), labels)) console.log(line);
}
