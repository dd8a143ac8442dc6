/**
 * `deno task sim`: runs one scenario under one schedule and prints its trace,
 * ending with `trace-hash: <hex>`. The same arguments print the same bytes on
 * every machine.
 *
 * @module
 */

import { SCENARIO_CHECKERS, scenarioCheckers } from "../case/kinds.ts";
import { settleVerdict } from "../properties/check_case.ts";
import {
  COVERAGE_FLAG,
  LINT_FLAG,
  lintMode,
  lintModules,
  rerunWithCoverage,
} from "./_quality_hooks.ts";
import { DEFAULT_SCENARIO } from "../scenario/default.ts";
import { runScenario, type StrategyName } from "../scenario/interpreter.ts";
import { type RunResult, StoppedBefore } from "../sim/world.ts";
import { parseScenario, type Scenario, ScenarioError } from "../scenario/schema.ts";
import {
  decisionListLine,
  humanLinesToStderr,
  printOutcome,
  printTrace,
  replayDecisionsArg,
  REPLAYED_WHOLE,
  type TraceForm,
} from "./_output.ts";
import { HandleReuseNote } from "./_handle_note.ts";
import {
  guardStopAt,
  guardWatch,
  limitsOf,
  reportStopped,
  runConfirmed,
  stuckLines,
} from "./_guard.ts";
import { campaignLimits, RUN_LIMIT_FLAGS } from "./_run_limits.ts";
import type { PagerService } from "../services/service.ts";
import {
  CONTRACT_JSON_FLAG,
  fittedDefault,
  loadModuleFlags,
  moduleFlags,
} from "./_module_flags.ts";
import { shellQuote } from "../properties/failure_report.ts";
import { readJsonFile } from "../case/store.ts";
import { withService } from "../scenario/bind.ts";
import { assertInContract } from "../scenario/contract.ts";
import { NAMED_SERVICES } from "../zoo/registry.ts";
import { signScenarioRun } from "../fuzz/engine.ts";
import type { ReplayPick } from "../sim/strategy.ts";
import { judgeDecisionList } from "./_decisions.ts";
import {
  choiceError,
  type FlagSpec,
  InputError,
  intFlag,
  parseFlags,
  runCommand,
  usage,
  UsageError,
} from "./args.ts";

const FLAGS: Record<string, FlagSpec> = {
  seed: { type: "string", value: "N", help: "seed of the strategy (default 0)" },
  strategy: { type: "string", value: "NAME", help: "random | pct (default random)" },
  "pct-depth": { type: "string", value: "D", help: "PCT bug depth d (default 2)" },
  scenario: {
    type: "string",
    value: "FILE",
    path: true,
    help: "scenario JSON file (default: the built-in scenario)",
  },
  decisions: { type: "string", value: "LIST", help: "replay this decision list, e.g. 0,2,1" },
  ...moduleFlags({
    service: "serve every pager with this service module",
    kernel: "run a kernel variant: a module exporting makeKernel(options)",
  }),
  ...CONTRACT_JSON_FLAG,
  checkers: {
    type: "string",
    value: "SET",
    help: "kernel | kernel+service (default: kernel+service with --service, as fuzz; else kernel)",
  },
  ...LINT_FLAG,
  ...COVERAGE_FLAG,
  trace: {
    type: "string",
    value: "FORM",
    help:
      "text | json | none (default text); json: stdout is one JSON object a line (the legend, then each event), every other line goes to stderr; an html page: deno task repro --seed N --trace html",
  },
  ...RUN_LIMIT_FLAGS,
  help: { type: "boolean", help: "show this help" },
};

/** The usage text. */
export const USAGE: string = usage("deno task sim", "[options]", FLAGS) + `

Runs the scenario once and prints the trace; the last line is trace-hash: <hex>.
With --service the run is judged as deno task fuzz judges it: the kernel invariants
and the service obligations (--checkers kernel+service), unless --checkers says otherwise.
Exit status: 0 pass, 1 the run failed (its verdict says why), 2 bad input.`;

/** Reads and validates a scenario file; errors name the file and the bad field. */
export async function loadScenarioFile(path: string): Promise<Scenario> {
  const json = await readJsonFile(path, InputError);
  // A case holds its scenario under "input" (pagersim/case@2) or "scenario" (pagersim/case@1).
  const o = typeof json === "object" && json !== null ? json as Record<string, unknown> : {};
  const doc = o.kind === "scenario" && "input" in o ? o.input : "scenario" in o ? o.scenario : json;
  try {
    return parseScenario(doc, path);
  } catch (e) {
    if (e instanceof ScenarioError) throw new InputError(e.message);
    throw e;
  }
}

/**
 * Parses "0,2,1" into a decision list ("" is the empty list). An empty entry is refused, not
 * dropped: "1,,2" read as 2 entries would replay another run than the one pasted (userS25).
 *
 * @example
 * ```ts
 * import { parseDecisions } from "./sim.ts";
 * console.assert(parseDecisions("0, 2,1").join() === "0,2,1" && parseDecisions("").length === 0);
 * ```
 */
export function parseDecisions(text: string): number[] {
  if (text.trim() === "") return [];
  return text.split(",").map((s) => s.trim()).map((s, i) => {
    if (s === "") {
      throw new UsageError(
        `--decisions: entry ${i} is empty ("${text}"): a list is numbers separated by single ` +
          `commas (give --decisions "" for an empty list)`,
      );
    }
    if (!/^\d+$/.test(s)) {
      throw new UsageError(`--decisions: entry ${i} ("${s}") is not a non-negative integer`);
    }
    return Number(s);
  });
}

/** The command (`cli/_guard.ts` runs it in a guarded worker). */
export async function main(): Promise<number> {
  const { values } = parseFlags(Deno.args, FLAGS);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const limits = campaignLimits(values); // validated here; the guard applied them
  const seed = intFlag(values, "seed", 0);
  const strategy = (values.strategy ?? "random") as string;
  if (strategy !== "random" && strategy !== "pct") {
    throw choiceError("strategy", strategy, ["random", "pct"]);
  }
  const pctDepth = intFlag(values, "pct-depth", 2, 1, 64);
  const form = (values.trace ?? "text") as string;
  if (form === "html") {
    // sim writes no files (it runs with read permission only); repro runs the same seed and does.
    throw new UsageError(
      "--trace html is repro's: sim writes no files. The same run as a page: deno task repro " +
        "--seed N [--scenario FILE] [--service PATH] [--decisions LIST] --trace html [--out FILE]",
    );
  }
  if (!["text", "json", "none"].includes(form)) {
    throw choiceError("trace", form, ["text", "json", "none"]);
  }
  // stdout is the trace's JSON lines alone; every other line goes to stderr (userS29b).
  if (form === "json") humanLinesToStderr();
  let scenario = values.scenario !== undefined
    ? await loadScenarioFile(values.scenario as string)
    : parseScenario(DEFAULT_SCENARIO, "default scenario");
  const services: Record<string, PagerService> = { ...NAMED_SERVICES };
  const { service, makeKernel } = await loadModuleFlags(values);
  if (service !== undefined) {
    services.user = service;
    scenario = withService(scenario, "user");
  }
  // The checker set fuzz and repro use: a service's obligations are checked whenever one runs.
  const checkers = (values.checkers ??
    (values.service !== undefined ? "kernel+service" : "kernel")) as string;
  if (!(SCENARIO_CHECKERS as readonly string[]).includes(checkers)) {
    throw choiceError("checkers", checkers, SCENARIO_CHECKERS);
  }
  const decisions = values.decisions !== undefined
    ? parseDecisions(values.decisions as string)
    : undefined;

  // A service held to a contract is never given a scenario outside it: one line naming the clause.
  // The built-in default, written for no contract, is fitted to it instead (one line says how).
  if (values.scenario === undefined) scenario = fittedDefault(scenario, services);
  assertInContract(
    scenario,
    services,
    (values.scenario as string | undefined) ?? "default scenario",
  );
  // The guard's second replay of a run that never yielded: the same run, ending before the step.
  const stopAt = guardStopAt();
  if (stopAt !== null && stopAt.step >= 2) scenario = { ...scenario, maxSteps: stopAt.step - 1 };
  const handles = new HandleReuseNote();
  const monitors = [...scenarioCheckers(checkers)(), handles];
  const replayPicks: ReplayPick[] = [];
  let raw;
  try {
    raw = runScenario(scenario, {
      watch: guardWatch(),
      // A thread stuck at step 0 or 1: no step budget ends the run before it; stop at the thread.
      ...(stopAt !== null && stopAt.step < 2 ? { stopBefore: stopAt } : {}),
      seed,
      strategy: strategy as StrategyName,
      pctDepth,
      decisions,
      replayPicks,
      services,
      makeKernel,
      monitors,
    });
  } catch (e) {
    if (!(e instanceof StoppedBefore) || stopAt === null) throw e;
    const { world, thread } = e;
    console.log(`scenario: ${String(scenario.name ?? values.scenario ?? "(unnamed)")}`);
    printTrace({ threads: world.threads, trace: world.trace } as unknown as RunResult, "text");
    const detail = {
      role: thread.role,
      module: values.service as string | undefined,
      kernel: (values.kernel as string | undefined) ?? null,
    };
    for (const line of stuckLines(stopAt, thread.name, limits, true, detail)) console.log(line);
    return 1;
  }
  // A list is followed as given, or the run is refused before its trace (cli/_decisions.ts); the
  // guard's replay that stops early (stopAt) reads only part of it.
  const listNote = decisions !== undefined && stopAt === null
    ? judgeDecisionList(decisions, replayPicks, raw.decisions, seed).note
    : null;
  // Judged as repro and fuzz judge it: a hang or fault the checkers explain is their verdict.
  const run = { ...raw, verdict: settleVerdict(raw, monitors) };
  const strategyText = decisions !== undefined
    ? "replay"
    : strategy === "pct"
    ? `pct(d=${pctDepth})`
    : "random";
  // With --service every pager runs the user's module, whatever service the scenario names.
  const named = String(scenario.name ?? values.scenario ?? "(unnamed)");
  console.log(
    `scenario: ${
      values.service === undefined
        ? named
        : `${named.replace(", eager service", "")}; every pager served by ${values.service}`
    }`,
  );
  console.log(`seed: ${seed}  strategy: ${strategyText}`);
  if (listNote !== null) console.log(listNote);
  printTrace(run, form as TraceForm);
  if (stopAt !== null) {
    // A step-budget stop, or the tail's; a stop before step 2 ends by StoppedBefore, caught above.
    const reached = stopAt.step >= 2 && raw.steps === stopAt.step - 1;
    const name = run.world.threads.find((t) => t.tid === stopAt.tid)?.name;
    const role = run.world.threads.find((t) => t.tid === stopAt.tid)?.role;
    const detail = {
      role,
      module: values.service as string | undefined,
      kernel: (values.kernel as string | undefined) ?? null,
    };
    for (const line of stuckLines(stopAt, name, limits, reached, detail)) console.log(line);
    console.log(`steps: ${run.steps}  decisions: ${run.decisions.length}`);
    console.log(decisionListLine(run.decisions, run.steps, REPLAYED_WHOLE));
    return 1;
  }
  const handleNote = handles.note();
  if (handleNote !== null) console.log(handleNote);
  const scenarioArg = values.scenario !== undefined ? ` --scenario ${values.scenario}` : "";
  const serviceArg = values.service !== undefined ? ` --service ${values.service}` : "";
  const contractArg = values["contract-json"] !== undefined
    ? ` --contract-json ${shellQuote(values["contract-json"] as string)}`
    : "";
  const kernelArg = values.kernel !== undefined ? ` --kernel ${values.kernel}` : "";
  const checkersArg = values.checkers !== undefined ? ` --checkers ${checkers}` : "";
  // Without it the line is refused by the lint that let this run go on (exit 2 as printed).
  const lintArg = values["lint-warn"] === true ? " --lint-warn" : "";
  printOutcome(
    run,
    `deno task sim${scenarioArg}${serviceArg}${contractArg}${kernelArg}${lintArg}${checkersArg} --seed ${seed}${
      replayDecisionsArg(run.decisions, values.decisions as string | undefined, strategy, pctDepth)
    }`,
    // Signed as a campaign signs the run (fuzz/engine.ts): the same line fuzz's summary counts.
    signScenarioRun({ ...run, raw: raw.verdict }),
    REPLAYED_WHOLE,
  );
  console.log(`trace-hash: ${run.traceHash}`);
  return run.verdict.kind === "pass" ? 0 : 1;
}

if (import.meta.main) {
  await runCommand(USAGE, async () => {
    if (Deno.args.includes("--help")) return await main();
    // Before the guard: linting and the coverage rerun take longer than one run may.
    const { values } = parseFlags(Deno.args, FLAGS);
    // The lines this process prints (a hang's report) go to stderr too under --trace json.
    if (values.trace === "json") humanLinesToStderr();
    const covered = rerunWithCoverage(values, import.meta.url);
    if (covered !== null) return await covered;
    await lintModules(values, lintMode(values));
    const limits = limitsOf(Deno.args);
    const o = await runConfirmed(import.meta.url, limits);
    if (o.kind === "done") return o.code;
    await reportStopped(import.meta.url, limits, o, "deno task sim", Deno.args, true);
    return 1;
  });
}
