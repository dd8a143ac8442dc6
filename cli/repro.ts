/**
 * `deno task repro`: replays a case, a seed, or a campaign run exactly, and
 * prints its trace (text, JSON lines, or one self-contained HTML file). A
 * case names everything its replay needs (kind, checkers, seeded bug, service
 * and kernel modules), so `deno task repro FILE` takes no other flag; for a
 * case it checks the recorded verdict and trace hash.
 *
 * @module
 */

import { dirname, join, relative, resolve } from "node:path";
import { type Monitor, type RunResult, StoppedBefore } from "../sim/world.ts";
import { variantCrashSite } from "../sim/variant_crash.ts";
import { COVERAGE_FLAG, lintModules, rerunWithCoverage } from "./_quality_hooks.ts";
import { HandleReuseNote } from "./_handle_note.ts";
import {
  campaignReplayCommand,
  expectsText,
  recordedSignature,
  replayCommand,
} from "../case/envelope.ts";
import type { KindRun, RunContext } from "../case/kind.ts";
import { KINDS, SCENARIO_CHECKERS, scenarioCheckers } from "../case/kinds.ts";
import { jsonErrorText, readCaseFile, resolveContext } from "../case/store.ts";
import { executePlan, planRun } from "../fuzz/campaign.ts";
import { CONFIRM_FACTOR, signProgramRun, signScenarioRun } from "../fuzz/engine.ts";
import { hangKind, kernelUnderTest } from "../fuzz/signature.ts";
import { generateScenario } from "../scenario/generate.ts";
import { verdictLabel } from "../properties/check_case.ts";
import { shellQuote } from "../properties/failure_report.ts";
import { withService } from "../scenario/bind.ts";
import { DEFAULT_SCENARIO } from "../scenario/default.ts";
import type { ScenarioRun } from "../scenario/interpreter.ts";
import { parseScenario, type Scenario } from "../scenario/schema.ts";
import type { PagerService } from "../services/service.ts";
import { contractOf } from "../scenario/service_contract.ts";
import { assertInContract } from "../scenario/contract.ts";
import { bug, BUG_IDS, NAMED_SERVICES } from "../zoo/registry.ts";
import {
  decisionListLine,
  failingStep,
  humanLinesToStderr,
  printOutcome,
  printTrace,
  replayDecisionsArg,
  REPLAYED_WHOLE,
  scenarioVmos,
  type TraceForm,
} from "./_output.ts";
import {
  commandLine,
  confirmLimit,
  guardLimits,
  type GuardOutcome,
  guardStopAt,
  guardWatch,
  limitsOf,
  reportStopped,
  runConfirmed,
  type StuckAt,
  stuckLines,
} from "./_guard.ts";
import { campaignLimits, RUN_LIMIT_FLAGS } from "./_run_limits.ts";
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
import { loadScenarioFile, parseDecisions } from "./sim.ts";
import { judgeDecisionList } from "./_decisions.ts";
import type { ReplayPick } from "../sim/strategy.ts";
import {
  CONTRACT_JSON_FLAG,
  fittedDefault,
  loadModuleFlags,
  moduleFlags,
} from "./_module_flags.ts";

const FLAGS: Record<string, FlagSpec> = {
  seed: {
    type: "string",
    value: "N",
    help: "replay this seed (with --scenario, or the default scenario)",
  },
  scenario: { type: "string", value: "FILE", path: true, help: "scenario for --seed" },
  "scenario-json": { type: "string", value: "JSON", help: "the scenario itself, for --seed" },
  strategy: { type: "string", value: "NAME", help: "random | pct, for --seed (default random)" },
  "pct-depth": { type: "string", value: "D", help: "PCT depth for --seed (default 2)" },
  "current-code": {
    type: "boolean",
    help: "replay a case against its service/kernel modules as they are now, even if changed " +
      "(does my fix make it pass? exit 0 if the run passes)",
  },
  checkers: {
    type: "string",
    value: "SET",
    help: "override the checker set (default: the case's; for runs as fuzz picks them)",
  },
  decisions: { type: "string", value: "LIST", help: "replay this decision list instead" },
  campaign: { type: "string", value: "S", help: "replay run --run K of campaign seed S" },
  run: { type: "string", value: "K", help: "the campaign run index, with --campaign" },
  mode: {
    type: "string",
    value: "KIND",
    help: "scenarios (default): the campaign's kind; a program campaign's runs replay from the " +
      "case files it wrote",
  },
  ...moduleFlags({
    service: "serve every pager with this service module (a case names its own)",
    kernel: "a kernel variant module exporting makeKernel(options) (a case names its own)",
  }),
  ...CONTRACT_JSON_FLAG,
  ...COVERAGE_FLAG,
  // A line copied from sim, fuzz or explore may carry it (userS28k: "unknown flag").
  "lint-warn": {
    type: "boolean",
    help: "accepted, and changes nothing: repro always reports determinism lint findings on " +
      "--service or --kernel as warnings and replays",
  },
  zoo: { type: "string", value: "ID", help: "run against a seeded bug (zoo/registry.ts)" },
  trace: {
    type: "string",
    value: "FORM",
    help:
      "text | json | html | none (default text); json: stdout is one JSON object a line (the legend, then each event), every other line goes to stderr",
  },
  out: {
    type: "string",
    value: "FILE",
    path: true,
    help: "where --trace html writes (default trace.html)",
  },
  ...RUN_LIMIT_FLAGS,
  help: { type: "boolean", help: "show this help" },
};

/** The usage text. */
export const USAGE: string =
  usage("deno task repro", "FILE | --seed N | --campaign S --run K [options]", FLAGS) +
  `

Replays exactly and prints the trace; the last line is trace-hash: <hex>. For a
case, also checks the recorded verdict and trace hash.
Exit status: 0 as expected (a case reproduced, or a run passed), 1 otherwise, 2 bad input.
So a case's replay exits 0 when its recorded failure is reproduced, while
--campaign S --run K (or --seed N) of the same failure exits 1: a run has no
recorded verdict, so only a pass is "as expected".
--campaign replays a scenario campaign's run. A program campaign's run K
depends on which worker ran it and what that worker's fuzzer had found, so it
is not replayable from S and K: replay the case file the campaign wrote
(deno task repro CORPUS/programs/NAME.json, its summary's "replay:" line).`;

/**
 * Why `--campaign S --run K --mode programs` is refused, and what replays such a run: a program
 * campaign's workers each mutate what their own fuzzer found (fuzz/engine.ts `ProgramRunner`), so
 * run K is not a function of S and K; its failures are written as case files.
 */
export const PROGRAM_RUN_REPLAY: string =
  "--mode programs: a program campaign's run K cannot be replayed from --campaign S --run K " +
  "(program K depends on which worker ran it and what that worker's fuzzer had found); replay " +
  "the case file the campaign wrote: deno task repro CORPUS/programs/NAME.json (its summary's " +
  '"replay:" line)';

/** What one replay mode produced. */
interface Replayed {
  readonly run: KindRun;
  readonly scenario: Scenario | null;
  readonly title: string;
  readonly replay: string;
  /** The recorded verdict label and trace hash; `shown` is how it is printed (its signature, sub-code included, where it extends the label). */
  readonly expected: { verdict: string; traceHash: string; shown: string } | null;
  /** A case's limits as this replay applies them, for people (absent: not a case). */
  readonly limits?: string;
  /** With --current-code: what the case recorded, and whether its modules changed since. */
  readonly recorded?: string;
  readonly changed?: boolean;
  /** A case's own decision list's length (what `corpus list` and a campaign count). */
  readonly caseDecisions?: number;
  /** The case file replayed (absent: not a case). */
  readonly file?: string;
  /** A `--decisions` list that ran out: the note saying the seed picked the rest. */
  readonly note?: string | null;
}

/** The command (`cli/_guard.ts` runs it in a guarded worker). */
export async function main(): Promise<number> {
  const { values, positionals } = parseFlags(Deno.args, FLAGS, true, 0);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const flagLimits = campaignLimits(values, false); // validated here; the guard applied them
  // What the guard applied: the flags, else the case's recorded limits, else the defaults.
  const limits = guardLimits() ?? flagLimits;
  if (positionals.length > 1) {
    throw new UsageError(`one case file at a time, got ${positionals.length}`);
  }
  const form = (values.trace ?? "text") as string;
  if (!["text", "json", "html", "none"].includes(form)) {
    throw choiceError("trace", form, ["text", "json", "html", "none"]);
  }
  // stdout is the trace's JSON lines alone; every other line goes to stderr (userS29b).
  if (form === "json") humanLinesToStderr();
  const modes = [
    positionals.length === 1,
    values.seed !== undefined || values.decisions !== undefined,
    values.campaign !== undefined,
  ];
  if (modes.filter(Boolean).length !== 1) {
    throw new UsageError(await modesRefusal(positionals, values));
  }
  const mode = values.mode as string | undefined;
  if (mode !== undefined) {
    if (mode !== "scenarios" && mode !== "programs") {
      throw choiceError("mode", mode, ["scenarios", "programs"]);
    }
    if (values.campaign === undefined) throw new UsageError("--mode is for --campaign S --run K");
    if (mode === "programs") throw new UsageError(PROGRAM_RUN_REPLAY);
  }
  const zoo = values.zoo as string | undefined;
  if (zoo !== undefined && !BUG_IDS.includes(zoo)) {
    throw new UsageError(`--zoo must be a seeded bug id (${BUG_IDS.join(", ")}); got "${zoo}"`);
  }
  if (zoo !== undefined && (values.service !== undefined || values.kernel !== undefined)) {
    throw new UsageError("--zoo excludes --service and --kernel");
  }
  const checkerFlag = values.checkers as string | undefined;
  if (values["current-code"] && positionals.length !== 1) {
    throw new UsageError("--current-code is for a case FILE");
  }

  let r;
  try {
    r = positionals.length === 1
      ? await replayFile(positionals[0], values, checkerFlag)
      : await replayRun(values, checkerFlag, zoo);
  } catch (e) {
    const stopAt = guardStopAt();
    if (!(e instanceof StoppedBefore) || stopAt === null) throw e;
    // The guard's replay of a thread that never yielded while starting: the setup before it.
    const { world, thread } = e;
    printTrace({ threads: world.threads, trace: world.trace } as unknown as RunResult, "text");
    const detail = {
      role: thread.role,
      module: (values.service as string | undefined) ?? caseService,
      kernel: (values.kernel as string | undefined) ?? caseKernel,
    };
    for (const line of stuckLines(stopAt, thread.name, limits, true, detail)) console.log(line);
    return 1;
  }

  console.log(`replaying: ${r.title}`);
  if (r.note != null) console.log(r.note);
  if (r.limits !== undefined) console.log(`limits: ${r.limits}`);
  if (form === "html") {
    if (r.scenario === null) throw new UsageError("--trace html is for scenario runs");
    const run = r.run as ScenarioRun; // a scenario kind's run is its interpreter's run, settled
    const out = (values.out as string | undefined) ?? "trace.html";
    const { renderTraceHtml } = await import("../report/trace_html.ts");
    const html = renderTraceHtml({
      title: r.title,
      scenario: r.scenario,
      entries: run.trace.entries,
      verdict: run.verdict,
      failingStep: failingStep(run),
      traceHash: run.traceHash,
      names: {
        threads: run.world.threads.map((t) => ({ tid: t.tid, name: t.name, role: t.role })),
        vmos: scenarioVmos(run),
      },
    });
    try {
      await Deno.writeTextFile(out, html);
    } catch (e) {
      throw new InputError(`--out ${out}: cannot write: ${(e as Error).message}`);
    }
    console.log(`html trace: ${out}`);
  } else {
    printTrace(r.run, form as TraceForm);
  }
  const stopAt = guardStopAt();
  if (stopAt !== null) {
    // A step-budget stop, or the tail's; a stop before step 2 ends by StoppedBefore, caught above.
    const reached = stopAt.step >= 2 && r.run.steps === stopAt.step - 1;
    const thread = r.run.threads?.find((t) => t.tid === stopAt.tid);
    const detail = {
      role: thread?.role,
      module: (values.service as string | undefined) ?? caseService,
      kernel: (values.kernel as string | undefined) ?? caseKernel,
    };
    for (const line of stuckLines(stopAt, thread?.name, limits, reached, detail)) {
      console.log(line);
    }
    console.log(`steps: ${r.run.steps}  decisions: ${r.run.decisions.length}`);
    console.log(decisionListLine(r.run.decisions, r.run.steps, REPLAYED_WHOLE));
    return 1;
  }
  const signature = (r.scenario !== null ? signScenarioRun : signProgramRun)(r.run);
  const handleNote = lastNote?.note() ?? null;
  if (handleNote !== null) console.log(handleNote);
  printOutcome(r.run, r.replay, signature, REPLAYED_WHOLE);
  const caseLine = r.caseDecisions === undefined
    ? null
    : caseDecisionsLine(r.caseDecisions, r.run.decisions.length);
  if (caseLine !== null) console.log(caseLine);
  if (r.recorded !== undefined) {
    const when = r.changed === true ? "against the old code" : "its modules unchanged since";
    const now = r.run.verdict.kind === "pass" ? "pass" : signature ?? verdictLabel(r.run.verdict);
    console.log(`recorded (${when}): ${r.recorded}; now: ${now}`);
  }
  let ok = r.run.verdict.kind === "pass";
  if (r.expected !== null) {
    const verdictOk = verdictLabel(r.run.verdict) === r.expected.verdict;
    const hashOk = r.run.traceHash === r.expected.traceHash;
    const got = verdictOk ? "reproduced" : `NOT reproduced (got ${verdictLabel(r.run.verdict)})`;
    console.log(`expected: ${r.expected.shown}: ${got}`);
    console.log(`recorded trace-hash: ${r.expected.traceHash}: ${hashOk ? "match" : "MISMATCH"}`);
    const v = r.run.verdict;
    if (!verdictOk && hashOk && v.kind === "thread-fault" && variantCrashSite(v.stack) !== null) {
      // userS26k: cases written before a variant's crash took precedence over a checker's verdict.
      console.log(
        `note: the same run, but the case records what a checker said of the state the kernel ` +
          `variant's crash left, which pagersim used to report in the crash's place; ` +
          `deno task corpus accept ${shellQuote(r.file ?? "FILE")} re-records it as the crash`,
      );
    }
    ok = verdictOk && hashOk;
  }
  console.log(`trace-hash: ${r.run.traceHash}`);
  return ok ? 0 : 1;
}

type Values = Record<string, string | boolean | undefined>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`--scenario-json: not valid JSON: ${jsonErrorText(e, text)}`);
  }
}

/** The handle note of the last run started (cli/_handle_note.ts). */
let lastNote: HandleReuseNote | null = null;

/** A scenario run's checkers and the handle note's watcher (which never judges). */
function noting(
  monitors: () => readonly Monitor[],
  scenario: boolean,
): () => readonly Monitor[] {
  if (!scenario) return monitors;
  return () => {
    lastNote = new HandleReuseNote();
    return [...monitors(), lastNote];
  };
}

/**
 * The service module a case file names, as a path from where the case's was given (sim names
 * its `--service` so in a `stuck:` line: `(blobfs/spin.ts)`; userS26s: repro's named none).
 */
let caseService: string | undefined;
/** The kernel module a case file names, likewise (a hang inside a syscall names it). */
let caseKernel: string | undefined;

/** A case file of any kind and format: everything it needs comes from the case. */
async function replayFile(file: string, values: Values, checkerFlag?: string): Promise<Replayed> {
  const c = await readCaseFile(file);
  if (c.service !== undefined) caseService = join(dirname(file), c.service.path);
  if (c.kernel !== undefined) caseKernel = join(dirname(file), c.kernel.path);
  const kind = KINDS[c.kind];
  if (checkerFlag !== undefined && !kind.checkerSets.includes(checkerFlag)) {
    throw new UsageError(
      `--checkers for a ${c.kind} case must be ${
        kind.checkerSets.join(" or ")
      }, got "${checkerFlag}"`,
    );
  }
  const currentCode = values["current-code"] === true;
  let changed = false;
  const resolved = await resolveContext(
    c,
    file,
    currentCode
      ? {
        notice: (m) => {
          changed = true;
          console.log(`notice: ${m}`);
        },
      }
      : undefined,
  );
  // A case replays with the modules it names: another one under the same command line would
  // look like a replay that lost its determinism (--current-code replays its own, as changed).
  for (const [flag, named] of [["service", c.service], ["kernel", c.kernel]] as const) {
    if (values[flag] !== undefined && named !== undefined) {
      throw new UsageError(
        `--${flag}: ${file} names its own ${flag} module (${named.path}); a case replays with it ` +
          `(to try the case's module as it is now, --current-code)`,
      );
    }
  }
  const flags = await loadModuleFlags(values);
  const ctx: RunContext = {
    ...resolved,
    monitors: noting(
      checkerFlag !== undefined ? kind.checkers(checkerFlag) : resolved.monitors,
      c.kind === "scenario",
    ),
    services: flags.service !== undefined
      ? { ...resolved.services, user: flags.service }
      : resolved.services,
    makeKernel: flags.makeKernel ?? resolved.makeKernel,
    watch: guardWatch(),
    ...stopBeforeStart(),
  };
  // --service on a case that names none serves its pagers with the module, as for a run.
  const bound = c.kind === "scenario" && values.service !== undefined && c.service === undefined
    ? withService(c.input as Scenario, "user")
    : c.input;
  // The step limit the case's run had (a scenario's maxSteps: the same unless edited by hand).
  const stepped = c.kind === "scenario" && c.limits !== undefined
    ? { ...bound as Scenario, maxSteps: c.limits.maxSteps }
    : bound;
  const input = c.kind === "scenario" ? capSteps(stepped as Scenario) : stepped;
  const applied = guardLimits() ?? campaignLimits(values, false);
  const limits = `max-steps ${kind.stepLimit(stepped)}, run-timeout ${applied.runTimeout}s, ` +
    `memory ${applied.memoryMb} MiB, confirm-timeout ${confirmLimit(applied)}s (${
      c.limits === undefined
        ? "the case records none: the defaults, or the flags"
        : "as the case records them, unless a flag overrides one"
    })`;
  if (c.kind === "scenario") assertInContract(input as Scenario, ctx.services, file, "input.");
  const run = kind.run(input, { seed: c.seed, decisions: c.decisions }, ctx);
  return {
    run,
    scenario: c.kind === "scenario" ? input as Scenario : null,
    title: `${file}: ${c.description}`,
    limits,
    replay: replayCommand(file) + (changed ? " --current-code" : ""),
    file,
    // Under --current-code the recorded outcome is history, not an expectation, whether or not
    // the module changed: the run's own verdict decides (exit 0 only if it passes now).
    expected: currentCode ? null : {
      verdict: c.expected,
      traceHash: c.traceHash,
      // The signature carries the checker's sub-code (`invariant:packet-discipline:K4`); one that
      // does not extend the verdict is named beside it, as `corpus list` does (userS31a read
      // `expected: invariant:quiescent-end` of a case filed as `dropped-after-error:...`).
      shown: expectsText(c),
    },
    // The recorded failure as its signature, sub-code included, as the `now:` side says it
    // (userS29a: a lost-wakeup case read "recorded: invariant:answers-every-read; now: lost-wakeup:
    // ..."); a case that expects pass says pass (one an older accept left a signature in too).
    ...(currentCode ? { recorded: recordedSignature(c), changed } : {}),
    caseDecisions: c.decisions.length,
  };
}

/** A campaign run or a seed: the same context flags a campaign takes, the same default checkers. */
async function replayRun(
  values: Values,
  checkerFlag: string | undefined,
  zoo?: string,
): Promise<Replayed> {
  const services: Record<string, PagerService> = { ...NAMED_SERVICES };
  const seeded = zoo !== undefined ? bug(zoo) : undefined;
  Object.assign(services, seeded?.services);
  const flags = await loadModuleFlags(values);
  if (flags.service !== undefined) services.user = flags.service;
  const makeKernel = flags.makeKernel ?? seeded?.kernel;
  // As `deno task fuzz` picks them: the bug's set, kernel+service with a service, else kernel.
  const checkers = checkerFlag ??
    (seeded !== undefined
      ? seeded.checkers
      : values.service !== undefined
      ? "kernel+service"
      : "kernel");
  if (!(SCENARIO_CHECKERS as readonly string[]).includes(checkers)) {
    throw choiceError("checkers", checkers, SCENARIO_CHECKERS);
  }
  const bind = (s: Scenario): Scenario => {
    if (values.service !== undefined) return withService(s, "user");
    const named = Object.keys(seeded?.services ?? {});
    return named.length === 1 ? withService(s, named[0]) : s;
  };
  const ctx: RunContext = {
    monitors: noting(scenarioCheckers(checkers), true),
    services,
    makeKernel,
    watch: guardWatch(),
    ...stopBeforeStart(),
  };
  const contractArg = values["contract-json"] !== undefined
    ? ` --contract-json ${shellQuote(values["contract-json"] as string)}`
    : "";
  const extra = [
    values.service !== undefined ? ` --service ${values.service}` : "",
    contractArg,
    values.kernel !== undefined ? ` --kernel ${values.kernel}` : "",
    zoo !== undefined ? ` --zoo ${zoo}` : "",
    checkerFlag !== undefined ? ` --checkers ${checkerFlag}` : "",
  ].join("");
  if (values.campaign !== undefined) {
    const seed = intFlag(values, "campaign", 0, 0, 2 ** 31 - 1);
    if (values.run === undefined) throw new UsageError("--campaign needs --run K");
    const k = intFlag(values, "run", 0, 0);
    const plan = planRun(seed, k);
    // As the campaign drew it: inside the contract the service module holds itself to.
    const scenario = capSteps(bind(generateScenario(plan, contractOf(flags.service)?.contract)));
    const outcome = executePlan(plan, scenario, ctx);
    const run = KINDS.scenario.run(
      scenario,
      { seed: plan.runSeed, decisions: outcome.decisions },
      ctx,
    );
    const how = plan.strategy.kind === "pct" ? `pct d=${plan.strategy.depth}` : "random";
    return {
      run,
      scenario,
      title: `campaign ${seed}, run ${k} (${how})`,
      replay: campaignReplayCommand({
        seed,
        run: k,
        service: values.service as string | undefined,
        kernel: values.kernel as string | undefined,
        bug: zoo,
        checkers: checkerFlag,
      }) + contractArg,
      expected: null,
    };
  }
  if (values.scenario !== undefined && values["scenario-json"] !== undefined) {
    throw new UsageError("give --scenario FILE or --scenario-json JSON, not both");
  }
  const given = capSteps(bind(
    values.scenario !== undefined
      ? await loadScenarioFile(values.scenario as string)
      : values["scenario-json"] !== undefined
      ? parseScenario(parseJson(values["scenario-json"] as string), "--scenario-json")
      : parseScenario(DEFAULT_SCENARIO, "default scenario"),
  ));
  // The default fitted to the service's contract, as sim fits it: sim's replay lines replay here.
  const scenario = values.scenario === undefined && values["scenario-json"] === undefined
    ? fittedDefault(given, services)
    : given;
  assertInContract(
    scenario,
    services,
    (values.scenario as string | undefined) ??
      (values["scenario-json"] !== undefined ? "--scenario-json" : "default scenario"),
  );
  const seed = intFlag(values, "seed", 0);
  const strategy = (values.strategy ?? "random") as string;
  if (strategy !== "random" && strategy !== "pct") {
    throw choiceError("strategy", strategy, ["random", "pct"]);
  }
  const decisions = values.decisions !== undefined
    ? parseDecisions(values.decisions as string)
    : undefined;
  const replayPicks: ReplayPick[] = [];
  const run = KINDS.scenario.run(scenario, {
    seed,
    decisions,
    replayPicks,
    strategy: strategy === "pct"
      ? { kind: "pct", depth: intFlag(values, "pct-depth", 2, 1, 64) }
      : { kind: "random" },
  }, ctx);
  // A list is followed as given, or refused before the trace, as sim refuses it (cli/_decisions.ts);
  // the guard's replay that stops early (capSteps) reads only part of it.
  const note = decisions !== undefined && guardStopAt() === null
    ? judgeDecisionList(decisions, replayPicks, run.decisions, seed).note
    : null;
  const scenarioArg = values.scenario
    ? ` --scenario ${values.scenario}`
    : values["scenario-json"] !== undefined
    ? ` --scenario-json ${shellQuote(values["scenario-json"] as string)}`
    : "";
  return {
    run,
    scenario,
    title: `${scenario.name ?? "scenario"}, seed ${seed}`,
    replay: `deno task repro${scenarioArg}${extra} --seed ${seed}${
      replayDecisionsArg(
        run.decisions,
        values.decisions as string | undefined,
        strategy,
        intFlag(values, "pct-depth", 2, 1, 64),
      )
    }`,
    expected: null,
    note,
  };
}

/**
 * The scenario as the guard's second replay of a hang runs it ({@linkcode guardStopAt}): its step
 * budget ends just before the step whose thread never yielded; unchanged otherwise.
 */
function capSteps(s: Scenario, stopAt: StuckAt | null = guardStopAt()): Scenario {
  return stopAt === null || stopAt.step < 2 ? s : { ...s, maxSteps: stopAt.step - 1 };
}

/**
 * A hang at step 0 or 1 (no step budget ends a run before it): the run stops at the thread
 * instead (`stopBefore`), and the command prints what it had ({@linkcode StoppedBefore}).
 */
function stopBeforeStart(): { stopBefore?: StuckAt } {
  const stopAt = guardStopAt();
  return stopAt !== null && stopAt.step < 2 ? { stopBefore: stopAt } : {};
}

/**
 * The guard's limits for a replay: a flag given wins; else, for a case file, the limits its run
 * had (`limits` in the case: its confirmation limit too, where recorded); else the defaults
 * (`fromFlags`). An unreadable case is left to the command, which reports it.
 *
 * @example
 * ```ts
 * import { caseLimits } from "./repro.ts";
 * const defaults = { runTimeout: 5, memoryMb: 512, confirmTimeout: 50 };
 * const l = await caseLimits(["corpus/fxfs-no-page-in-barrier.json"], defaults);
 * console.assert(l.confirmTimeout === 50); // an old case records no limits
 * ```
 */
export async function caseLimits(
  args: readonly string[],
  fromFlags: { runTimeout: number; memoryMb: number; confirmTimeout: number },
): Promise<{ runTimeout: number; memoryMb: number; confirmTimeout: number }> {
  const { positionals } = parseFlags([...args], FLAGS, true, 0);
  if (positionals.length !== 1) return fromFlags;
  const recorded = await readCaseFile(positionals[0]).then((c) => c.limits, () => undefined);
  if (recorded === undefined) return fromFlags;
  const given = (name: string) => args.some((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  const runTimeout = given("run-timeout") ? fromFlags.runTimeout : recorded.runTimeout;
  return {
    runTimeout,
    memoryMb: given("memory") ? fromFlags.memoryMb : recorded.memoryMb,
    // A case written before confirmation limits were recorded: the default for its run limit.
    confirmTimeout: given("confirm-timeout")
      ? fromFlags.confirmTimeout
      : recorded.confirmTimeout ?? CONFIRM_FACTOR * runTimeout,
  };
}

/**
 * Why repro refuses the replays it was given (none, or more than one of a case FILE, --seed N /
 * --decisions LIST, --campaign S --run K): what was given, what goes together, and for a case
 * with --decisions (userS25 read "repro --decisions alike" so), the command that replays the
 * case's scenario under that list.
 */
async function modesRefusal(
  positionals: readonly string[],
  values: Record<string, string | boolean | undefined>,
): Promise<string> {
  const given = [
    ...positionals.map((f) => `a case FILE (${f})`),
    ...["seed", "decisions"].filter((f) => values[f] !== undefined)
      .map((f) => `--${f} ${values[f]}`),
    ...(values.campaign !== undefined ? [`--campaign ${values.campaign} --run ${values.run}`] : []),
  ];
  const allowed = "give one of: a case FILE alone (it replays its own decisions); --seed N " +
    "[--decisions LIST] (--decisions alone: seed 0) with --scenario FILE, --scenario-json JSON " +
    "or the built-in scenario; --campaign S --run K";
  const got = given.length === 0 ? "nothing to replay" : given.join(" and ");
  const head = `repro replays one run, got ${got}: ${allowed}`;
  if (positionals.length !== 1 || values.campaign !== undefined) return head;
  const file = positionals[0];
  let c;
  try {
    c = await readCaseFile(file);
  } catch {
    return head;
  }
  if (c.kind !== "scenario") return head;
  const root = Deno.cwd();
  // A case's module path is relative to the case file (old cases: to the project root).
  const module = (ref: { path: string; sha256: string | null }) =>
    relative(
      root,
      ref.sha256 === null ? resolve(root, ref.path) : resolve(dirname(file), ref.path),
    );
  const words = [
    "--scenario",
    file,
    "--seed",
    String(values.seed ?? c.seed),
    ...(c.service !== undefined ? ["--service", module(c.service)] : []),
    ...(c.kernel !== undefined ? ["--kernel", module(c.kernel)] : []),
    ...(c.bug !== undefined ? ["--zoo", c.bug] : []),
    "--checkers",
    c.checkers,
    ...(values.decisions !== undefined ? ["--decisions", String(values.decisions)] : []),
  ];
  return `${head}. The case's scenario under other decisions: ${
    commandLine("deno task repro", words)
  }`;
}

/** After the guard stopped a replay: does that reproduce what the case (if one) expects? */
async function stoppedVerdict(
  o: Exclude<GuardOutcome, { kind: "done" }>,
): Promise<number> {
  const { positionals, values } = parseFlags(Deno.args, FLAGS, true, 0);
  if (positionals.length !== 1) return 1;
  const c = await readCaseFile(positionals[0]);
  // A stop inside a syscall is the kernel's hang where its code is under test: a variant's
  // (userS27k; named by --kernel or the case) or a program's; else the service's (session 34).
  const variant = values.kernel !== undefined || c.kernel !== undefined ? "variant" : null;
  const kind = o.kind === "out-of-memory"
    ? o.kind
    : hangKind(o.at, kernelUnderTest(variant, c.kind === "program"));
  const ok = c.expected === kind;
  // A stop at the run limit is out-of-memory when the worker's own last heap sample held half its
  // limit (cli/_guard.ts), a hang otherwise. Before trial32's report a heap hog whose threads kept
  // yielding was written as a hang (`never yielded`); before userS25's, a stop after the process
  // had grown (timing) as out-of-memory.
  const stale = !ok && c.expected === "service-hang" && kind === "out-of-memory"
    ? `: the replay filled the worker's heap while its threads kept yielding, which is ` +
      `out-of-memory; this case was written by an earlier pagersim that signed a heap hog a ` +
      `service-hang. Its finding is the out-of-memory above: a campaign or explore writes it so now`
    : !ok && c.expected === "out-of-memory" && kind === "service-hang"
    ? `: the replay stood still with the worker's heap below half its limit, which is a hang; ` +
      `this case may have been written by an earlier pagersim that signed a stop after the ` +
      `process had grown (timing) out-of-memory. Its finding is the hang above`
    : "";
  console.log(
    `expected: ${c.expected}: ${ok ? "reproduced" : `NOT reproduced (got ${kind})${stale}`}`,
  );
  return ok ? 0 : 1;
}

/**
 * What a stopped replay of a case file knows of it: the kernel variant the case names, and
 * whether it is a program (a program's hang read "before any thread ran" with no variant named,
 * though its threads ran, userS28k). Nothing for a replay of no case file.
 */
async function stoppedCase(
  args: readonly string[],
): Promise<{ kernel?: string | null; program?: boolean }> {
  const { positionals } = parseFlags(args, FLAGS, true, 0);
  if (positionals.length !== 1) return {};
  try {
    const c = await readCaseFile(positionals[0]);
    return {
      // null: the case runs pagersim's own kernel model (a stop inside one of its syscalls is
      // then the service's hang, properties/signature.ts kernelUnderTest).
      kernel: c.kernel !== undefined ? join(dirname(positionals[0]), c.kernel.path) : null,
      program: c.kind === "program",
    };
  } catch {
    return {};
  }
}

if (import.meta.main) {
  await runCommand(USAGE, async () => {
    if (Deno.args.includes("--help")) return await main();
    // Before the guard: linting and the coverage rerun take longer than one run may.
    const { values } = parseFlags(Deno.args, FLAGS, true, 0);
    // The lines this process prints (a hang's report) go to stderr too under --trace json.
    if (values.trace === "json") humanLinesToStderr();
    const covered = rerunWithCoverage(values, import.meta.url);
    if (covered !== null) return await covered;
    // A replay runs as printed: lint findings are warnings here, never a flag to remember.
    await lintModules(values, "warn");
    const limits = await caseLimits(Deno.args, limitsOf(Deno.args));
    const o = await runConfirmed(import.meta.url, limits);
    if (o.kind === "done") return o.code;
    await reportStopped(
      import.meta.url,
      limits,
      o,
      "deno task repro",
      Deno.args,
      true,
      await stoppedCase(Deno.args),
    );
    return await stoppedVerdict(o);
  });
}

/**
 * The line that says how the case's decision list and the run's picks compare, when they differ
 * (null when the counts agree). `corpus list` and the campaign's summary count the case's list;
 * a run may make more picks (the rest follow from the case's seed) or, replayed against other
 * code (`--current-code`), fewer: it ended before it used them all (userS32a read "its other -16
 * follow from the case's seed"). Its entry count is said as one (userS26s read "case decisions:
 * 0" as a one-entry list).
 *
 * ```ts
 * import { caseDecisionsLine } from "./repro.ts";
 * console.assert(caseDecisionsLine(53, 37) ===
 *   "case decision-list: 53 entries (the run made 37 picks and ended: the case's last 16 entries went unused)");
 * console.assert(caseDecisionsLine(4, 4) === null);
 * ```
 */
export function caseDecisionsLine(caseDecisions: number, runDecisions: number): string | null {
  if (caseDecisions === runDecisions) return null;
  const entries = `${caseDecisions} entr${caseDecisions === 1 ? "y" : "ies"}`;
  if (runDecisions < caseDecisions) {
    const unused = caseDecisions - runDecisions;
    return `case decision-list: ${entries} (the run made ${runDecisions} pick${
      runDecisions === 1 ? "" : "s"
    } and ended: the case's last ${unused === 1 ? "entry" : `${unused} entries`} went unused)`;
  }
  return `case decision-list: ${entries} (` +
    (caseDecisions === 0
      ? `empty: all ${runDecisions} of the run's picks follow`
      : `the run's first ${caseDecisions} picks; its other ${
        runDecisions - caseDecisions
      } follow`) +
    " from the case's seed)";
}
