/**
 * `deno task repro`: replays a corpus case, a seed, or a campaign run exactly,
 * and prints its trace (text, JSON lines, or one self-contained HTML file).
 * For a corpus case it checks the recorded verdict and trace hash.
 *
 * @module
 */

import { executePlan, generateScenario, planRun } from "../fuzz/campaign.ts";
import { checkCase, settleVerdict, verdictLabel } from "../properties/check_case.ts";
import { type CheckerSet, checkersOf } from "../properties/corpus.ts";
import { DEFAULT_SCENARIO } from "../sim/default_scenario.ts";
import { runScenario, type ScenarioRun, type StrategyName } from "../sim/run.ts";
import { parseScenario, type Scenario } from "../sim/scenario.ts";
import type { PagerService } from "../services/service.ts";
import { BUGGY_SERVICES } from "../properties/buggy_services.ts";
import { zooContext } from "../zoo/registry.ts";
import type { Monitor } from "../sim/world.ts";
import { failingStep, printOutcome, printTrace, type TraceForm } from "./_output.ts";
import {
  type FlagSpec,
  InputError,
  intFlag,
  parseFlags,
  runCommand,
  usage,
  UsageError,
} from "./args.ts";
import { loadScenarioFile, loadServiceModule, parseDecisions, withService } from "./sim.ts";
import { loadCaseFile } from "../fuzz/corpus_io.ts";
import { isProgramCase, parseProgramCase, replayProgramCase } from "../fuzz/programs/corpus.ts";
import { describeVerdict } from "../sim/world.ts";

const FLAGS: Record<string, FlagSpec> = {
  seed: {
    type: "string",
    value: "N",
    help: "replay this seed (with --scenario, or the default scenario)",
  },
  scenario: { type: "string", value: "FILE", help: "scenario for --seed" },
  strategy: { type: "string", value: "NAME", help: "random | pct, for --seed (default random)" },
  "pct-depth": { type: "string", value: "D", help: "PCT depth for --seed (default 2)" },
  checkers: {
    type: "string",
    value: "SET",
    help: "kernel | kernel+service (default: the case's, else kernel)",
  },
  decisions: { type: "string", value: "LIST", help: "replay this decision list instead" },
  campaign: { type: "string", value: "S", help: "replay run --run K of campaign seed S" },
  run: { type: "string", value: "K", help: "the campaign run index, with --campaign" },
  service: { type: "string", value: "PATH", help: "serve every pager with this service module" },
  trace: { type: "string", value: "FORM", help: "text | json | html | none (default text)" },
  out: { type: "string", value: "FILE", help: "where --trace html writes (default trace.html)" },
  paranoid: {
    type: "boolean",
    help: "compare every page after every step (slow; same verdict, found the same or sooner)",
  },
  help: { type: "boolean", help: "show this help" },
};

const USAGE = usage("deno task repro", "FILE | --seed N | --campaign S --run K [options]", FLAGS) +
  `

Replays exactly and prints the trace; the last line is trace-hash: <hex>. For a
corpus case, also checks the recorded verdict and trace hash.
Exit status: 0 as expected (a case reproduced, or a run passed), 1 otherwise, 2 bad input.`;

async function main(): Promise<number> {
  const { values, positionals } = parseFlags(Deno.args, FLAGS, true);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 1) {
    throw new UsageError(`one case file at a time, got ${positionals.length}`);
  }
  const form = (values.trace ?? "text") as string;
  if (!["text", "json", "html", "none"].includes(form)) {
    throw new UsageError(`--trace must be text, json, html or none, got "${form}"`);
  }
  const modes = [
    positionals.length === 1,
    values.seed !== undefined || values.decisions !== undefined,
    values.campaign !== undefined,
  ];
  if (modes.filter(Boolean).length !== 1) {
    throw new UsageError(
      "give exactly one of: a case FILE, --seed N (or --decisions), --campaign S --run K",
    );
  }
  const services: Record<string, PagerService> = {};
  const useService = async (s: Scenario) => {
    if (values.service === undefined) return s;
    services.user = await loadServiceModule(values.service as string);
    return withService(s, "user");
  };

  let run: ScenarioRun;
  let scenario: Scenario;
  let title: string;
  let expected: { verdict: string; traceHash: string } | null = null;
  const checkerFlag = values.checkers as string | undefined;
  if (checkerFlag !== undefined && checkerFlag !== "kernel" && checkerFlag !== "kernel+service") {
    throw new UsageError(`--checkers must be kernel or kernel+service, got "${checkerFlag}"`);
  }
  const checkerOptions = { paranoid: values.paranoid === true };
  const settled = (r: ScenarioRun, monitors: readonly Monitor[]): ScenarioRun => ({
    ...r,
    verdict: settleVerdict(r, monitors),
  });
  let replay: string;
  if (positionals.length === 1 && (await isProgramFile(positionals[0]))) {
    return await reproProgram(positionals[0], form as TraceForm);
  }
  if (positionals.length === 1) {
    const file = positionals[0];
    const c = await loadCaseFile(file);
    scenario = await useService(c.scenario as Scenario);
    const zoo = c.zoo === undefined ? undefined : zooContext(c.zoo);
    const r = checkCase(
      { scenario, decisions: c.decisions, seed: c.seed },
      {
        monitors: checkersOf((checkerFlag ?? c.checkers) as CheckerSet, checkerOptions),
        services: { ...BUGGY_SERVICES, ...services, ...zoo?.services },
        makeKernel: zoo?.makeKernel,
      },
    );
    run = { ...r.run, verdict: r.verdict };
    expected = { verdict: c.expected, traceHash: c.traceHash };
    title = `${file}: ${c.description}`;
    replay = `deno task repro ${file}`;
  } else if (values.campaign !== undefined) {
    const seed = intFlag(values, "campaign", 0, 0, 2 ** 31 - 1);
    if (values.run === undefined) throw new UsageError("--campaign needs --run K");
    const k = intFlag(values, "run", 0, 0);
    const plan = planRun(seed, k);
    scenario = await useService(generateScenario(plan));
    const monitors = checkersOf((checkerFlag ?? "kernel") as CheckerSet, checkerOptions);
    const outcome = executePlan(plan, scenario, { monitors, services });
    const m = monitors();
    run = settled(
      runScenario(scenario, {
        seed: plan.runSeed,
        decisions: outcome.decisions,
        monitors: m,
        services,
      }),
      m,
    );
    const how = plan.strategy.kind === "pct" ? `pct d=${plan.strategy.depth}` : "random";
    title = `campaign ${seed}, run ${k} (${how})`;
    replay = `deno task repro --campaign ${seed} --run ${k}`;
  } else {
    scenario = await useService(
      values.scenario !== undefined
        ? await loadScenarioFile(values.scenario as string)
        : parseScenario(DEFAULT_SCENARIO, "default scenario"),
    );
    const seed = intFlag(values, "seed", 0);
    const strategy = (values.strategy ?? "random") as string;
    if (strategy !== "random" && strategy !== "pct") {
      throw new UsageError(`--strategy must be random or pct, got "${strategy}"`);
    }
    const decisions = values.decisions !== undefined
      ? parseDecisions(values.decisions as string)
      : undefined;
    const m = checkersOf((checkerFlag ?? "kernel") as CheckerSet, checkerOptions)();
    run = settled(
      runScenario(scenario, {
        seed,
        strategy: strategy as StrategyName,
        pctDepth: intFlag(values, "pct-depth", 2, 1, 64),
        decisions,
        monitors: m,
        services,
      }),
      m,
    );
    title = `${scenario.name ?? "scenario"}, seed ${seed}`;
    const scenarioArg = values.scenario ? ` --scenario ${values.scenario}` : "";
    replay = `deno task repro${scenarioArg} --decisions ${run.decisions.join(",")}`;
  }

  console.log(`replaying: ${title}`);
  if (form === "html") {
    const out = (values.out as string | undefined) ?? "trace.html";
    const { renderTraceHtml } = await import("../report/trace_html.ts");
    const html = renderTraceHtml({
      title,
      scenario,
      entries: run.trace.entries,
      verdict: run.verdict,
      failingStep: failingStep(run),
      traceHash: run.traceHash,
      names: {
        threads: run.world.threads.map((t) => ({ tid: t.tid, name: t.name, role: t.role })),
        vmos: [...run.names.vmoKoid].map(([name, koid]) => ({ koid, name })),
      },
    });
    try {
      await Deno.writeTextFile(out, html);
    } catch (e) {
      throw new InputError(`--out ${out}: cannot write: ${(e as Error).message}`);
    }
    console.log(`html trace: ${out}`);
  } else {
    printTrace(run, form as TraceForm);
  }
  printOutcome(run, replay);
  let ok = run.verdict.kind === "pass";
  if (expected !== null) {
    const verdictOk = verdictLabel(run.verdict) === expected.verdict;
    const hashOk = run.traceHash === expected.traceHash;
    const got = verdictOk ? "reproduced" : `NOT reproduced (got ${verdictLabel(run.verdict)})`;
    console.log(`expected: ${expected.verdict}: ${got}`);
    console.log(`recorded trace-hash: ${expected.traceHash}: ${hashOk ? "match" : "MISMATCH"}`);
    ok = verdictOk && hashOk;
  }
  console.log(`trace-hash: ${run.traceHash}`);
  return ok ? 0 : 1;
}

/** True if the file holds a syscall-program case (`pagersim/program@1`). */
async function isProgramFile(file: string): Promise<boolean> {
  try {
    return isProgramCase(JSON.parse(await Deno.readTextFile(file)));
  } catch {
    return false; // loadCaseFile reports unreadable or malformed files
  }
}

/** Replays a syscall-program case and checks its recorded verdict and hash. */
async function reproProgram(file: string, form: TraceForm): Promise<number> {
  let c;
  try {
    c = parseProgramCase(JSON.parse(await Deno.readTextFile(file)), file);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  const r = replayProgramCase(c);
  console.log(`replaying: ${file}: program case`);
  if (form === "text") console.log(r.run.trace.text());
  console.log(`verdict: ${describeVerdict(r.run.verdict)}`);
  console.log(`decision-list: ${r.run.decisions.join(",")}`);
  console.log(`expected: ${r.reproduced ? "reproduced" : "NOT reproduced"}`);
  console.log(`recorded trace-hash: ${c.traceHash}: ${r.hashMatches ? "match" : "MISMATCH"}`);
  console.log(`trace-hash: ${r.run.traceHash}`);
  return r.reproduced && r.hashMatches ? 0 : 1;
}

if (import.meta.main) await runCommand(USAGE, main);
