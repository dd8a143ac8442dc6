/**
 * `deno task bench:zoo`: for every zoo bug and every strategy, the executions
 * and wall time to first detection (median and spread over campaign seeds)
 * and the shrunk counterexample length; the default campaign on 2 workers per
 * bug (found within 60 s, shrunk); throughput. Writes docs/benchmarks.md and
 * docs/benchmarks.svg.
 *
 * Strategies: uniform random and PCT at d = 1, 2, 3 on the bug's hint
 * scenario; the campaign's default portfolio with swarm over generated
 * scenarios; and the fc.scheduler baseline (bench/zoo_baseline.ts) on the
 * hint scenario. A strategy that does not find a bug within its budget counts
 * as the budget.
 *
 * Run: `deno task bench:zoo` (quick, about 5 minutes) or `deno task bench:zoo --full`.
 *
 * @module
 */

import { runScenario } from "../scenario/interpreter.ts";
import { parseScenario } from "../scenario/schema.ts";
import { settleVerdict } from "../properties/check_case.ts";
import { executePlan, planRun } from "../fuzz/campaign.ts";
import { generateScenario } from "../scenario/generate.ts";
import { runCampaign } from "../fuzz/orchestrate.ts";
import { withService } from "../scenario/bind.ts";
import { bug as seededBug, ZOO, type ZooBug } from "../zoo/registry.ts";
import { bugContext } from "../case/kinds.ts";
import { zooCase } from "../tools/zoo_expose.ts";
import { readResults, totals } from "../tools/journal_scores.ts";
import { baselineDetection } from "./zoo_baseline.ts";
import { throughputRows } from "./throughput_report.ts";
import { zooChart } from "./zoo_chart.ts";
import { type FlagSpec, parseFlags, runCommand, usage } from "../cli/args.ts";

const FLAGS: Record<string, FlagSpec> = {
  full: { type: "boolean", help: "the full budget (20000 executions or 10 s per sample; hours)" },
  help: { type: "boolean", help: "print this help and exit (nothing is run or written)" },
};
const USAGE = usage("deno task bench:zoo", "[--full]", FLAGS) + `

For every zoo bug and strategy: executions and time to first detection over 10 campaign
seeds, the 2-worker campaign, throughput. Rewrites docs/benchmarks.md and docs/benchmarks.svg.`;

/** Set from the command line before anything runs. */
let FULL = false;
/** Campaign seeds per (bug, strategy). */
const SEEDS = 10;
/** Budget per (bug, strategy, seed). */
let BUDGET = { runs: 2000, ms: 800 };

/** The strategies compared. */
export const STRATEGIES = [
  "random",
  "pct1",
  "pct2",
  "pct3",
  "portfolio",
  "campaign",
  "fc.scheduler",
] as const;
type StrategyId = typeof STRATEGIES[number];

interface Sample {
  readonly executions: number;
  readonly ms: number;
  readonly found: boolean;
}

/** Executions until a run of `bug` fails, one fresh run per call of `next`. */
function detect(next: (i: number) => boolean): Sample {
  const start = performance.now();
  for (let i = 0; i < BUDGET.runs; i++) {
    if (next(i)) return { executions: i + 1, ms: performance.now() - start, found: true };
    if (performance.now() - start > BUDGET.ms) break;
  }
  return { executions: BUDGET.runs, ms: BUDGET.ms, found: false };
}

async function sample(bug: ZooBug, strategy: StrategyId, seed: number): Promise<Sample> {
  const ctx = bugContext(seededBug(bug.id));
  const hint = parseScenario(bug.scenario, bug.id);
  if (strategy === "fc.scheduler") {
    const start = performance.now();
    const r = await baselineDetection(bug, seed, BUDGET.runs, BUDGET.ms);
    return r.found
      ? { executions: r.executions, ms: performance.now() - start, found: true }
      : { executions: BUDGET.runs, ms: BUDGET.ms, found: false };
  }
  if (strategy === "portfolio") {
    // The campaign's portfolio and swarm on the bug's own scenario: run k takes plan k's
    // strategy (random or PCT d=1..3) and keeps only the scenario's events its swarm switched on.
    return detect((k) => {
      const plan = planRun(seed, k);
      const scenario = {
        ...hint,
        events: hint.events.filter((e) => plan.swarm.events.includes(e.do)),
      };
      return executePlan(plan, scenario, ctx).verdict.kind !== "pass";
    });
  }
  if (strategy === "campaign") {
    return detect((k) => {
      const plan = planRun(seed, k);
      let scenario = generateScenario(plan);
      if (bug.kind === "service") scenario = withService(scenario, bug.id);
      return executePlan(plan, scenario, ctx).verdict.kind !== "pass";
    });
  }
  const depth = strategy === "random" ? undefined : Number(strategy.slice(3));
  return detect((i) => {
    const monitors = ctx.monitors();
    const run = runScenario(hint, {
      seed: seed * 1_000_003 + i,
      strategy: depth === undefined ? "random" : "pct",
      pctDepth: depth,
      monitors,
      services: ctx.services,
      makeKernel: ctx.makeKernel,
      keepTrace: false,
    });
    return settleVerdict(run, monitors).kind !== "pass";
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median, min and max of a list. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

function spread(xs: number[]): Spread {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

/** One cell: a bug under a strategy. */
export interface Cell {
  readonly executions: Spread;
  readonly ms: Spread;
  readonly found: number;
}

/** One bug's row of the detection table. */
export interface BugRow {
  readonly bug: ZooBug;
  readonly cells: Record<StrategyId, Cell>;
  readonly shrunkDecisions: number;
  readonly campaign2: {
    seconds: number;
    found: boolean;
    decisions: number;
    shrunkFrom: number;
    /** Threads + operations + events + decisions, before and after shrinking. */
    size: { from: number; to: number };
  };
}

async function campaignOnTwoWorkers(bug: ZooBug): Promise<BugRow["campaign2"]> {
  const s = await runCampaign({
    seed: 1,
    shard: { index: 0, count: 1 },
    workers: 2,
    seconds: 60,
    runs: null,
    servicePath: null,
    known: [],
    maxShrink: 2000,
    checkers: seededBug(bug.id).checkers,
    bug: bug.id,
    stopAfterFindings: 1,
    persist: () => Promise.resolve("(not written)"),
    progress: () => {},
    progressEvery: 60,
  });
  const f = s.findings[0];
  return {
    seconds: s.seconds,
    found: f !== undefined,
    decisions: f?.decisions ?? 0,
    shrunkFrom: f?.shrunkFrom ?? 0,
    size: f?.size ?? { from: 0, to: 0 },
  };
}

const fmt = (s: Spread, digits = 0) =>
  `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)})`;

/**
 * The mutation scores of the sample journals committed in `docs/` (issue 14), one row each:
 * what the tests kill of the non-equivalent mutants, what the campaign kills, and what share of
 * the tests' kills the campaign also makes (`tools/journal_scores.ts`).
 */
export function mutationSection(docs: URL): string[] {
  const files = [...Deno.readDirSync(docs)].map((e) => e.name)
    .filter((n) => /^mutation-sample-.*\.jsonl$/.test(n)).sort();
  const pct = (a: number, b: number) => b === 0 ? "-" : `${(100 * a / b).toFixed(1)}%`;
  const lines = [
    "## Mutation scores (`deno task mutate`, samples and full runs; docs/mutation.md)",
    "",
    "| journal | mutants | equivalent | tests kill | campaign kills | campaign / tests |",
    "|---|---|---|---|---|---|",
  ];
  for (const f of files) {
    const results = readResults(Deno.readTextFileSync(new URL(f, docs)));
    const t = totals(results);
    const live = t.n - t.equivalent;
    // A journal of one judge (a `--only` run) says nothing of the other.
    const judged = (j: "tests" | "campaign") => results.some((r) => r.judges[j] !== undefined);
    const tests = judged("tests") ? `${t.tests} (${pct(t.tests, live)})` : "-";
    const campaign = judged("campaign") ? `${t.campaign} (${pct(t.campaign, live)})` : "-";
    const both = judged("tests") && judged("campaign") ? pct(t.both, t.tests) : "-";
    lines.push(`| ${f} | ${t.n} | ${t.equivalent} | ${tests} | ${campaign} | ${both} |`);
  }
  // Full runs: a `mutation-full-TREE/` folder whose shard journals 1..N of N are all there,
  // merged (each mutant is in exactly one shard). Partial runs are left out: no row for them.
  const full = [...Deno.readDirSync(docs)].filter((e) => e.isDirectory)
    .map((e) => e.name).filter((n) => /^mutation-full-/.test(n)).sort();
  for (const dir of full) {
    const shards = [...Deno.readDirSync(new URL(`${dir}/`, docs))].map((e) => e.name)
      .map((n) => /^shard-(\d+)-of-(\d+)\.jsonl$/.exec(n)).filter((m) => m !== null);
    const count = shards.length === 0 ? 0 : Number(shards[0][2]);
    const ks = new Set(shards.filter((m) => Number(m[2]) === count).map((m) => Number(m[1])));
    if (count === 0 || ks.size !== count) continue;
    const results = shards.flatMap((m) =>
      readResults(Deno.readTextFileSync(new URL(`${dir}/${m[0]}`, docs)))
    );
    const t = totals(results);
    const live = t.n - t.equivalent;
    lines.push(
      `| ${dir}/ (full run, ${count} shards merged) | ${t.n} | ${t.equivalent} | ` +
        `${t.tests} (${pct(t.tests, live)}) | ${t.campaign} (${pct(t.campaign, live)}) | ` +
        `${pct(t.both, t.tests)} |`,
    );
  }
  lines.push(
    "",
    "Each journal is a uniform sample of its tree's mutants (the tree is in its name; in commit " +
      "order e9efc33, f110028, cb4d789, b724336, 9070cc1, later ones as they are committed; " +
      "a dash: that judge was not run); figures " +
      "measured while the shared backing bytes or the byte memo leaked between mutants are " +
      "marked in docs/mutation.md (cb4d789's campaign figure is an upper bound). A full run's " +
      "row merges its shards' journals, untriaged: the equivalents are those its tree listed, " +
      "and docs/mutation.md gives the triaged scores.",
    "",
  );
  return lines;
}

function markdown(rows: BugRow[], throughput: Awaited<ReturnType<typeof throughputRows>>): string {
  const lines: string[] = [];
  const deep = rows.filter((r) => r.bug.depth >= 2);
  const pctOf = (r: BugRow) => r.cells[`pct${Math.min(3, Math.max(1, r.bug.depth))}` as StrategyId];
  const ratio = (a: number, b: number) => (b / a).toFixed(1);
  lines.push(
    "# Benchmarks",
    "",
    `Generated by \`deno task bench:zoo${
      FULL ? " --full" : ""
    }\`. ${SEEDS} campaign seeds per (bug, strategy); ` +
      `budget ${BUDGET.runs} executions or ${BUDGET.ms} ms per (bug, strategy, seed); a bug not found within ` +
      "the budget counts as the budget. The machine may be shared: absolute numbers are noisy.",
    "",
    "## Detection: executions to first detection, median (min-max)",
    "",
    "random and pct(d) run the bug's hint scenario (zoo/registry.ts); portfolio is the campaign's default " +
      "portfolio (random + PCT d=1..3, one per run) with swarm (the scenario's fault events switched on or " +
      "off per run) on that same scenario; campaign is the whole default campaign, which must also find " +
      "the scenario: generated scenarios, no hint; fc.scheduler is the same hint as async code under " +
      "fast-check's scheduler, judged by a user's end-to-end oracle (bench/zoo_baseline.ts).",
    "",
    `| bug | kind | depth | caught by | ${STRATEGIES.join(" | ")} | shrunk decisions |`,
    `|---|---|---|---|${STRATEGIES.map(() => "---").join("|")}|---|`,
  );
  for (const r of rows) {
    lines.push(
      `| ${r.bug.id} | ${r.bug.kind} | ${r.bug.depth} | ${r.bug.caughtBy} | ${
        STRATEGIES.map((s) =>
          `${fmt(r.cells[s].executions)}${
            r.cells[s].found < SEEDS ? ` [${r.cells[s].found}/${SEEDS}]` : ""
          }`
        )
          .join(" | ")
      } | ${r.shrunkDecisions} |`,
    );
  }
  lines.push(
    "",
    "`[n/10]`: found within the budget for only n seeds.",
    "",
    "## Detection: wall time to first detection (ms), median (min-max)",
    "",
    `| bug | ${STRATEGIES.join(" | ")} |`,
    `|---|${STRATEGIES.map(() => "---").join("|")}|`,
  );
  for (const r of rows) {
    lines.push(`| ${r.bug.id} | ${STRATEGIES.map((s) => fmt(r.cells[s].ms, 1)).join(" | ")} |`);
  }
  lines.push(
    "",
    "![executions to detection](benchmarks.svg)",
    "",
    "## The default campaign on 2 workers (deno task fuzz --zoo ID --workers 2)",
    "",
    "| bug | found | seconds to first finding (incl. shrinking) | case size, shrunk (from) | decisions, shrunk (from) |",
    "|---|---|---|---|---|",
  );
  for (const r of rows) {
    const c = r.campaign2;
    lines.push(
      `| ${r.bug.id} | ${c.found ? "yes" : "NO"} | ${
        c.seconds.toFixed(1)
      } | ${c.size.to} (${c.size.from}) | ${c.decisions} (${c.shrunkFrom}) |`,
    );
  }
  const medianBaseline = median(rows.map((r) => r.cells["fc.scheduler"].ms.median));
  const medianCampaign = median(rows.map((r) => r.cells.campaign.ms.median));
  const medianPortfolio = median(rows.map((r) => r.cells.portfolio.ms.median));
  lines.push(
    "",
    "## Claims",
    "",
    `- Found by the default campaign on 2 workers within 60 s: ${
      rows.filter((r) => r.campaign2.found).length
    }/${rows.length}; ` +
      `shrunk: ${
        rows.filter((r) => r.campaign2.found && r.campaign2.size.to < r.campaign2.size.from).length
      }/${rows.length} (case size = threads + operations + events + decisions got smaller).`,
    `- Depth >= 2 bugs, median executions PCT (d = depth) vs uniform random: ${
      deep.map((r) =>
        `${r.bug.id} ${pctOf(r).executions.median} vs ${r.cells.random.executions.median} (${
          ratio(pctOf(r).executions.median, r.cells.random.executions.median)
        }x)`
      ).join("; ")
    }.`,
    `- Median over bugs of the median wall time to detection, same scenario: portfolio ${
      medianPortfolio.toFixed(1)
    } ms, fc.scheduler baseline ${medianBaseline.toFixed(1)} ms (${
      ratio(medianPortfolio, medianBaseline)
    }x less wall time; target 10x).`,
    `- The whole campaign, which also has to find the scenario (no hint): ${
      medianCampaign.toFixed(1)
    } ms, ` +
      `fc.scheduler baseline ${medianBaseline.toFixed(1)} ms (${
        ratio(medianCampaign, medianBaseline)
      }x); ` +
      `baseline found ${
        rows.filter((r) => r.cells["fc.scheduler"].found > 0).length
      }/${rows.length} bugs at all.`,
    "",
    "## Throughput",
    "",
    "| loop | steps/s | executions/s |",
    "|---|---|---|",
  );
  for (const t of throughput) {
    lines.push(
      `| ${t.name} | ${
        Number.isNaN(t.stepsPerSecond) ? "-" : Math.round(t.stepsPerSecond).toLocaleString("en-US")
      } | ${
        t.executionsPerSecond === null
          ? "-"
          : Math.round(t.executionsPerSecond).toLocaleString("en-US")
      } |`,
    );
  }
  lines.push(
    "",
    "The floor row is `bench/_floor.ts`, fixed. Issue 17's figures (per-step cost, checker " +
      "overhead, campaign runs per CPU-second), what each measures, its baseline and the " +
      "latest measurements: [performance.md](performance.md).",
    "",
    ...mutationSection(new URL("../docs/", import.meta.url)),
  );
  return lines.join("\n").trimEnd() + "\n";
}

async function main(): Promise<number> {
  const { values } = parseFlags(Deno.args, FLAGS);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  FULL = values.full === true;
  if (FULL) BUDGET = { runs: 20_000, ms: 10_000 };
  const rows: BugRow[] = [];
  for (const bug of ZOO) {
    const cells = {} as Record<StrategyId, Cell>;
    for (const strategy of STRATEGIES) {
      const samples: Sample[] = [];
      for (let seed = 1; seed <= SEEDS; seed++) samples.push(await sample(bug, strategy, seed));
      cells[strategy] = {
        executions: spread(samples.map((s) => s.executions)),
        ms: spread(samples.map((s) => s.ms)),
        found: samples.filter((s) => s.found).length,
      };
    }
    const shrunkDecisions = zooCase(bug).decisions.length;
    const campaign2 = await campaignOnTwoWorkers(bug);
    rows.push({ bug, cells, shrunkDecisions, campaign2 });
    console.log(
      `${bug.id.padEnd(32)} ${
        STRATEGIES.map((s) => `${s} ${cells[s].executions.median}`).join("  ")
      }  ` +
        `2 workers: ${campaign2.found ? `${campaign2.seconds.toFixed(1)}s` : "not found"}`,
    );
  }
  const throughput = await throughputRows(FULL ? 3 : 1, FULL ? 6000 : 2000);
  await Deno.writeTextFile("docs/benchmarks.md", markdown(rows, throughput));
  await Deno.writeTextFile("docs/benchmarks.svg", zooChart(rows, STRATEGIES, BUDGET.runs));
  console.log("wrote docs/benchmarks.md and docs/benchmarks.svg");
  return 0;
}

if (import.meta.main) await runCommand(USAGE, main);
