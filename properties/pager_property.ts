/**
 * The pager property: for every drawn scenario, decision list and seed, the
 * run passes every checker. Usable in a user's own `fc.assert`; a failure
 * throws the report of the (shrunk) case.
 *
 * @module
 */

import type { Kernel, KernelOptions } from "../kernel/kernel.ts";
import fc, { type IPropertyWithHooks } from "npm:fast-check@4.11.0";
import type { Monitor } from "../sim/world.ts";
import type { PagerService } from "../services/service.ts";
import {
  decisionsArbitrary,
  type DecisionsArbitraryOptions,
  scenarioArbitrary,
  type ScenarioArbitraryOptions,
} from "./arbitraries.ts";
import { type CaseResult, checkCase } from "./check_case.ts";
import { formatFailure, pasteablePath, type ReportOptions } from "./failure_report.ts";
import { checkerSet, checkerSetName } from "./checker_sets.ts";
import { contractOf, givenService, type ServiceContract } from "../scenario/service_contract.ts";
import { moduleDefines } from "./service_source.ts";
import { type PendingCheck, replayCheckNote } from "./_replay_check.ts";

/**
 * fast-check's own `IPropertyWithHooks<Ts>` under a local name: deno doc
 * --lint flags types from npm packages as private (denoland/deno#27364).
 *
 * @internal
 */
export type FcPropertyWithHooks<Ts> = IPropertyWithHooks<Ts>;

/** Options of {@linkcode pagerProperty}. */
export interface PagerPropertyOptions {
  /** Shapes the drawn scenarios. */
  readonly scenario?: ScenarioArbitraryOptions;
  /** Shapes the drawn decision lists. */
  readonly decisions?: DecisionsArbitraryOptions;
  /** Services for `custom` kinds, by name. */
  readonly services?: Readonly<Record<string, PagerService>>;
  /**
   * The module that default-exports your service (of `services`), as a path or a URL such as
   * `new URL("./my_service.ts", import.meta.url)`: the failure's printed `replay:` line passes it
   * as `--service`. Without it the line shows a placeholder to replace.
   */
  readonly serviceModule?: string | URL;
  /**
   * Builds the kernel: a kernel variant (a `Kernel` subclass, e.g. what a
   * `--kernel` module's `makeKernel` returns). Default: the model as specified.
   * Pass `kernelModule` with it, or the failure's `replay:` line cannot name the variant.
   */
  readonly makeKernel?: (options: KernelOptions) => Kernel;
  /**
   * The module that exports `makeKernel` (the variant of `makeKernel`), as a path or a URL such as
   * `new URL("./my_kernel.ts", import.meta.url)`: the failure's printed `replay:` line passes it
   * as `--kernel`. Without it (and with `makeKernel`) the line names a placeholder that fails as
   * printed and says so: a line without `--kernel` would replay the unchanged model and pass.
   */
  readonly kernelModule?: string | URL;
  /** Called with every failing case (each shrink step too); the last call is the shrunk one. */
  readonly onFailure?: (result: CaseResult) => void;
  /**
   * Told which thread's code is about to run, at which step, in every run (sim/world.ts
   * `watch`): `guardedPagerProperty`'s worker (guarded_property.ts) passes its watchdog's.
   */
  readonly watch?: (step: number, tid: number, entry: number) => void;
}

/**
 * Thrown by the property for a failing case; carries the case.
 *
 * @example
 * ```ts
 * import { checkCase } from "./check_case.ts";
 * import { kernelInvariants } from "./kernel_invariants.ts";
 * import { PagerPropertyFailure } from "./pager_property.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * const result = checkCase({ scenario: parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 1 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
 * }), decisions: [], seed: 0 }, { monitors: kernelInvariants });
 * const e = new PagerPropertyFailure(result);
 * console.assert(e.result === result && e.message.includes("replay: deno task repro"));
 * ```
 */
export class PagerPropertyFailure extends Error {
  /** Error name shown in reports: "PagerPropertyFailure". */
  override name = "PagerPropertyFailure";
  /** Builds the failure of `result`; the message is its failure report. */
  constructor(
    /** The failing case and its settled run. */
    readonly result: CaseResult,
    /** How its replay line names the caller's service module and checker set. */
    replay: Pick<ReportOptions, "service" | "kernel" | "checkers" | "ownCheckers" | "contract"> =
      {},
  ) {
    super(formatFailure(result, replay));
  }
}

/**
 * A fast-check property over (scenario, decisions, seed) that every checker
 * made by `monitors` holds.
 *
 * @example
 * ```ts
 * import fc from "npm:fast-check@4.11.0";
 * import { pagerProperty } from "./pager_property.ts";
 * import { kernelInvariants } from "./kernel_invariants.ts";
 * fc.assert(pagerProperty(kernelInvariants, { scenario: { maxThreads: 1 } }), { numRuns: 5 });
 * ```
 */
export function pagerProperty(
  monitors: () => readonly Monitor[],
  options: PagerPropertyOptions = {},
): FcPropertyWithHooks<[import("../scenario/schema.ts").Scenario, number[], number]> {
  const run = (input: CaseResult["input"]) =>
    checkCase(input, {
      monitors,
      services: options.services,
      makeKernel: options.makeKernel,
      watch: options.watch,
    });
  // The first case that passed, to run again at the first failure: code under test that keeps
  // state between runs (a module-level counter, a static field) fails late and shrinks to a case
  // that passes alone (userS28k's variant "failed after 27 tests", with no word of the cause).
  let firstPass: { input: CaseResult["input"]; hash: string } | null = null;
  let stateNote: string | null | undefined;
  const inModule = new Map<string, boolean>();
  refuseContractNotHeld(options);
  installReplayCheck();
  return fc.property(
    scenarioArbitrary(withServiceContract(options)),
    decisionsArbitrary(options.decisions),
    fc.nat({ max: 1 << 16 }),
    (scenario, decisions, seed) => {
      const result = run({ scenario, decisions, seed });
      if (result.verdict.kind === "pass") {
        firstPass ??= { input: result.input, hash: result.run.traceHash };
        return;
      }
      options.onFailure?.(result);
      stateNote ??= carriedState(result, firstPass, run, options);
      const notInModule = serviceNotInModule(scenario, options, inModule);
      const flags = replayFlags(scenario, monitors, options);
      const failure = new PagerPropertyFailure(result, {
        ...flags,
        ...(stateNote !== null ? { nondeterminism: stateNote } : {}),
        ...(notInModule !== null ? { serviceNotInModule: notInModule } : {}),
      });
      // Checked once, for the failure fast-check reports (the shrunk one): not at every step.
      if (replayNamesCallersCode(result, flags)) {
        pendingChecks.set(failure, {
          result,
          flags,
          services: Object.keys(options.services ?? {}),
        });
      }
      throw failure;
    },
  );
}

/** The failures whose replay line is checked if fast-check reports them (the shrunk case). */
const pendingChecks = new WeakMap<Error, PendingCheck>();
let replayCheckInstalled = false;

/**
 * Installs, once, the fast-check plugin that checks a failing `pagerProperty`'s printed replay
 * line: its `onAllRunsComplete` hook is the one place that knows which failure is the final
 * (shrunk) one, before `fc.assert` builds its report from it (fast-check >= 4.10). Inert for
 * every other property and error. A run with `noGlobalPlugins: true`, or a test that imports
 * another copy of fast-check, keeps the line unchecked, as before.
 *
 * @hostSide checks a failure's printed line after the property's runs: no run's outcome reads it
 */
function installReplayCheck(): void {
  if (replayCheckInstalled) return;
  replayCheckInstalled = true;
  fc.installGlobalPlugin(() => ({
    onAllRunsComplete: (details: { errorInstance: unknown }) => {
      const e = details.errorInstance;
      const pending = e instanceof Error ? pendingChecks.get(e) : undefined;
      if (pending === undefined || !(e instanceof Error)) return;
      pendingChecks.delete(e);
      try {
        const note = replayCheckNote(pending);
        if (note !== null) appendToMessage(e, note);
      } catch {
        // The report stays as it was: a check that could not run says nothing wrong.
      }
    },
  }));
}

/**
 * Whether the failure's replay line loads code of the caller's (`--service` or `--kernel` naming
 * a module), which may not be the code the property ran, and the failure is one repro judges
 * (not a checker of the caller's own, which the line already says it passes).
 */
function replayNamesCallersCode(
  result: CaseResult,
  flags: ReturnType<typeof replayFlags>,
): boolean {
  if (typeof flags.service !== "string" && typeof flags.kernel !== "string") return false;
  const v = result.verdict;
  return !(v.kind === "invariant" && (flags.ownCheckers ?? []).includes(v.invariant));
}

/** Adds `note` as the message's last line (and to the stack's copy of the message). */
function appendToMessage(e: Error, note: string): void {
  const before = `${e.name}: ${e.message}`;
  e.message = `${e.message}\n${note}`;
  const stack = e.stack;
  if (typeof stack === "string" && stack.startsWith(before)) {
    e.stack = `${e.name}: ${e.message}${stack.slice(before.length)}`;
  }
}

/**
 * Whether the code under test carries state from run to run, by running again, at the first
 * failure, the first case that passed (it must run as it did) and the failing case (it must fail
 * the same way): the note saying so, or null when both run as before.
 *
 * @hostSide words a failure's report after the run: no run's outcome reads it
 */
function carriedState(
  failed: CaseResult,
  firstPass: { input: CaseResult["input"]; hash: string } | null,
  run: (input: CaseResult["input"]) => CaseResult,
  options: PagerPropertyOptions,
): string | null {
  let what: string | null = null;
  if (firstPass !== null) {
    const again = run(firstPass.input);
    if (again.run.traceHash !== firstPass.hash || again.verdict.kind !== "pass") {
      what = `the first case that passed (seed ${firstPass.input.seed}) run again now ${
        again.verdict.kind === "pass" ? "passes by another trace" : `fails (${again.verdict.kind})`
      }`;
    }
  }
  if (what === null) {
    const again = run(failed.input);
    if (again.run.traceHash !== failed.run.traceHash) {
      what = `the failing case run again ${
        again.verdict.kind === "pass" ? "passes" : "runs by another trace"
      }`;
    }
  }
  if (what === null) return null;
  const modules = [options.kernelModule, options.serviceModule].filter((m) => m !== undefined)
    .map((m) => pasteablePath(m));
  return `nondeterminism in the code under test: ${what}, so the service or kernel variant keeps ` +
    `state from one run into the next (a module-level variable, a static field): this failure ` +
    `may depend on the cases run before it and its replay may pass. Keep per-run state in the ` +
    `service function or the kernel object; the determinism lint names such state: ${
      modules.length > 0
        ? modules.map((m) => `deno task lint-service ${m}`).join("; ")
        : "deno task lint-service YOUR_MODULE.ts"
    }`;
}

/**
 * The first of the caller's services the failing scenario's pagers run whose source (the function
 * given to `withContract`, if held) is not in `serviceModule` nor a module of the caller's it
 * imports (properties/service_source.ts), or null: the failure's replay line runs the module's own
 * service, so it then says it may not be the function the property ran. `known` keeps what was
 * found, by service name (a shrink fails many times). A note, not a refusal: the source is found
 * by its text, and a bug in a helper the function calls leaves that text the same, so the check
 * never proves a match; what it finds missing is missing.
 *
 * @hostSide reads the caller's module texts after a run has failed, for the report's words
 */
function serviceNotInModule(
  scenario: import("../scenario/schema.ts").Scenario,
  options: PagerPropertyOptions,
  known: Map<string, boolean>,
): string | null {
  const m = options.serviceModule;
  if (m === undefined) return null;
  for (const p of scenario.pagers) {
    const name = p.service.kind === "custom" ? p.service.name : undefined;
    const svc = name === undefined ? undefined : options.services?.[name];
    if (name === undefined || svc === undefined) continue;
    if (!known.has(name)) known.set(name, moduleDefines(m, givenService(svc)) !== false);
    if (known.get(name) === false) return name;
  }
  return null;
}

/**
 * Refuses a property whose `serviceModule` exports a `contract` that the custom service drawn is
 * not held to (not bound with `withContract`, and no `scenario.contract`): the property would draw
 * scenarios the contract excludes, fail the service on them, and print a `replay:` line that
 * `deno task repro`, which holds the module to its contract, refuses as out of the contract
 * (trial35: resizable VMOs for a service whose contract says `resizable: false`). The property
 * cannot import the module (it is built synchronously), so it reads the module's text for the
 * export; a module it cannot read, or that re-exports everything from another (`export *`), is
 * taken as it was before.
 *
 * @hostSide reads the caller's module text at construction, before any run
 */
function refuseContractNotHeld(options: PagerPropertyOptions): void {
  const m = options.serviceModule;
  const scenario = options.scenario ?? {};
  if (m === undefined || scenario.contract !== undefined) return;
  const loose = (scenario.customServices ?? []).filter((name) => {
    const svc = options.services?.[name];
    return svc !== undefined && contractOf(svc) === undefined;
  });
  if (loose.length === 0) return;
  let text: string;
  try {
    text = Deno.readTextFileSync(
      m instanceof URL || !/^[a-z][a-z0-9+.-]*:/i.test(m) ? m : new URL(m),
    );
  } catch {
    return;
  }
  if (!exportsContract(text)) return;
  const path = pasteablePath(m);
  throw new Error(
    `pagerProperty: ${path} exports a contract, but services.${loose[0]} is not held to it, so ` +
      `the property would draw scenarios the contract excludes and print replay lines that ` +
      `deno task repro refuses (out of the contract). Hold the service to it: import svc, ` +
      `{ contract } from the module and pass services: { ${loose[0]}: withContract(svc, ` +
      `contract) } (withContract is exported by pagersim)`,
  );
}

/**
 * Whether a module's text exports a binding named `contract` (`export const contract`, `export {
 * contract }`, `export { c as contract }`, `export { contract } from "..."`), comments left out.
 *
 * @example
 * ```ts ignore
 * exportsContract("export const contract = { threads: { min: 1, max: 1 } };"); // true
 * exportsContract("// export const contract = {};\nexport { c as other };"); // false
 * ```
 */
function exportsContract(text: string): boolean {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  if (/\bexport\s+(?:const|let|var|function\*?|async\s+function\*?)\s*contract\b/.test(code)) {
    return true;
  }
  for (const list of code.matchAll(/\bexport\s*(?:type\s*)?\{([^}]*)\}/g)) {
    for (const item of list[1].split(",")) {
      const name = item.trim().split(/\s+as\s+/).pop()?.trim();
      if (name === "contract") return true;
    }
  }
  return false;
}

/**
 * The scenario options with the contract of the custom services drawn
 * (`scenario.customServices`) when they are held to one and the options
 * name none: a property never gives a contracted service a scenario outside
 * its contract. Custom services held to different contracts need an explicit
 * `scenario.contract`.
 */
function withServiceContract(options: PagerPropertyOptions): ScenarioArbitraryOptions {
  const scenario = options.scenario ?? {};
  if (scenario.contract !== undefined) return scenario;
  const contracts = new Map<string, ServiceContract>();
  for (const name of scenario.customServices ?? []) {
    const c = contractOf(options.services?.[name])?.contract;
    if (c !== undefined) contracts.set(JSON.stringify(c), c);
  }
  if (contracts.size > 1) {
    throw new Error(
      "pagerProperty: the custom services are held to different contracts; " +
        "pass the one to draw inside as scenario.contract",
    );
  }
  const [contract] = contracts.values();
  return contract === undefined ? scenario : { ...scenario, contract };
}

/**
 * What `deno task repro` needs beyond the scenario: `--service` when a pager runs one of the
 * caller's services (repro serves every pager with that module), and `--checkers` when the set
 * differs from repro's default (kernel+service with --service, else kernel).
 *
 * @hostSide words the printed replay line of a run that has ended: no outcome reads it
 * @internal exported for `guardedPagerProperty`'s replay line of a run its watchdog stopped
 */
export function replayFlags(
  scenario: import("../scenario/schema.ts").Scenario,
  monitors: () => readonly Monitor[],
  options: PagerPropertyOptions,
): Pick<ReportOptions, "service" | "kernel" | "checkers" | "ownCheckers" | "contract"> {
  const own = new Set(Object.keys(options.services ?? {}));
  const usesOwn = scenario.pagers.some((p) =>
    p.service.kind === "custom" && p.service.name !== undefined && own.has(p.service.name)
  );
  const m = options.serviceModule;
  // As the user pastes it: relative to the project root where `deno task` runs, when inside it.
  const service = !usesOwn ? undefined : m === undefined ? null : pasteablePath(m);
  // The variant the run used: a line without --kernel would replay the model and pass.
  const k = options.kernelModule;
  const kernel = k !== undefined
    ? pasteablePath(k)
    : options.makeKernel !== undefined
    ? null
    : undefined;
  const set = checkerSetName(monitors);
  const fallback = service !== undefined ? "kernel+service" : "kernel";
  // A set of the caller's own: the checkers repro runs are the named set's, the rest are theirs.
  const named = new Set((checkerSet("kernel+service")?.() ?? []).map((c) => c.name));
  const ownCheckers = set !== null ? [] : [
    ...new Set(monitors().map((c) => c.name).filter((n) => !named.has(n))),
  ];
  // A contract bound in the test, not by a --service module's loader: it may not be the module's
  // (which only an import, never synchronous, would tell), so the line carries it.
  const held = scenario.pagers.map((p) =>
    p.service.kind === "custom" && p.service.name !== undefined
      ? contractOf(options.services?.[p.service.name])
      : undefined
  ).find((b) => b !== undefined && b.module === undefined);
  return {
    ...(service !== undefined ? { service } : {}),
    ...(kernel !== undefined ? { kernel } : {}),
    ...(set !== null && set !== fallback ? { checkers: set } : {}),
    ...(ownCheckers.length > 0 ? { ownCheckers } : {}),
    ...(service !== undefined && held !== undefined ? { contract: held.contract } : {}),
  };
}
