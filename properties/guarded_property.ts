/**
 * The pager property under a watchdog: {@linkcode guardedPagerProperty} is
 * {@linkcode pagerProperty} with its runs in a `node:worker_threads` worker that imports the
 * service module the property names (`serviceModule`), so a service that loops without ever
 * yielding fails the property with the finding `sim` gives (`service-hang: no yield`, naming the
 * thread, the step and the module, and a `replay:` line that `deno task repro` runs as printed)
 * instead of hanging `deno test` (session 35, trial35: a property over such a service hung the
 * test with no output). The run limit, the confirmation run and the heap limit are `sim`'s
 * (`cli/_guard.ts`, README "Fuzz campaigns"); the worker that never yielded is replaced for the
 * next case. When the test may run deno and read, the watchdog and the worker run in a child
 * process (`_guarded_host.ts`), killed after a hang, so the thread that never yielded ends with
 * it; else in the test's process, where it spins until the process ends (Deno 2.9.6 cannot stop
 * a thread busy in a loop, tools/busy_worker_terminate.ts). Scenarios and decision lists are drawn, and ordinary failures shrunk, in the test's
 * thread by the same arbitraries as `pagerProperty`'s; a hang is not shrunk (every shrinking run
 * would run into the same limit, as a campaign's hang is not), and no case runs after it.
 *
 * @module
 */

import type { IAsyncPropertyWithHooks, Random, Stream, Value } from "npm:fast-check@4.11.0";
import { pagerProperty, type PagerPropertyOptions, replayFlags } from "./pager_property.ts";
import { checkerSetName } from "./checker_sets.ts";
import { contractOf, type ServiceContract } from "../scenario/service_contract.ts";
import { type CaseResult } from "./check_case.ts";
import { inlineReplay, pasteablePath } from "./failure_report.ts";
import { moduleLoadFailure } from "./_load_failure.ts";
import { hangSignature, kernelUnderTest, OUT_OF_MEMORY } from "./signature.ts";
import { entryWords, grewNote, heapFullWords, neverYielded, type StuckAt } from "../sim/stuck.ts";
import { IN_SYSCALL, type Monitor } from "../sim/world.ts";
import type { Scenario } from "../scenario/schema.ts";
import type { PagerService } from "../services/service.ts";
import type { GuardedWorkerData } from "./_guarded_worker.ts";
import { WORKER_ENV } from "../sim/worker_env.ts";
import {
  type Drawn,
  type GuardRunner,
  type Limits,
  type Outcome,
  Runner,
  type Stopped,
} from "./_guarded_runner.ts";
import { HOST_MARK, type HostInit, type HostRequest, lines } from "./_guarded_host.ts";
import { runnableDeno } from "./_runnable_deno.ts";

/** The run limit's default, seconds: `sim`'s and a campaign's `--run-timeout` (fuzz/engine.ts). */
export const GUARD_RUN_TIMEOUT = 5;
/** The confirmation limit's default, as a multiple of the run limit (fuzz/engine.ts). */
export const GUARD_CONFIRM_FACTOR = 10;
/** The worker's heap limit's default, MiB: `--memory` (fuzz/engine.ts). */
export const GUARD_MEMORY_MB = 512;

/**
 * Options of {@linkcode guardedPagerProperty}: {@linkcode PagerPropertyOptions}' and the limits,
 * with `serviceModule` required when `services` names a service
 * ({@linkcode GuardedServiceOptions}): the worker runs the service from that module.
 */
export type GuardedPropertyOptions =
  & GuardedLimitOptions
  & (GuardedServiceOptions | GuardedNoServiceOptions);

/** {@linkcode PagerPropertyOptions}' options a guarded property takes as they are, and the limits. */
export interface GuardedLimitOptions extends
  Omit<
    PagerPropertyOptions,
    "makeKernel" | "onFailure" | "watch" | "services" | "serviceModule"
  > {
  /**
   * Wall-clock seconds one run may take (`--run-timeout`; default 5): a run past it is suspected
   * of a hang and run again under the confirmation limit.
   */
  readonly runTimeout?: number;
  /**
   * Seconds the suspected run is given when run again (`--confirm-timeout`; default 10 x
   * `runTimeout`): a hang only if it is stopped again. Equal to `runTimeout`: not run again (a
   * loaded machine can make a passing run that slow).
   */
  readonly confirmTimeout?: number;
  /** The worker's heap limit, MiB (`--memory`; default 512). */
  readonly memory?: number;
}

/** A guarded property over services of yours: `serviceModule` is required. */
export interface GuardedServiceOptions {
  /** Services for `custom` kinds, by name (each the module's service, or it held to a contract). */
  readonly services: Readonly<Record<string, PagerService>>;
  /**
   * The module that exports the service of `services` (its default export, or `service`), as a
   * path or a URL such as `new URL("./my_service.ts", import.meta.url)`: the worker imports it and
   * runs its service, and the `replay:` line passes it as `--service`.
   */
  readonly serviceModule: string | URL;
}

/** A guarded property over pagersim's own services only (no `services`). */
export interface GuardedNoServiceOptions {
  /** No services of yours (an empty map at most). */
  readonly services?: Readonly<Record<string, never>>;
  /** Unused without services. */
  readonly serviceModule?: string | URL;
}

/**
 * The failure of a guarded property's case: its report is the message (the one
 * {@linkcode PagerPropertyFailure} carries for the same case, or the watchdog's finding).
 */
export class GuardedPropertyFailure extends Error {
  /** Error name shown in reports: "GuardedPropertyFailure". */
  override name = "GuardedPropertyFailure";
  /** Builds the failure: its report, its signature and the case. */
  constructor(
    message: string,
    /** The failure's signature (`service-hang: no yield`, `invariant:...`), null if none. */
    readonly signature: string | null,
    /** The failing case: scenario, drawn decision list, seed. */
    readonly input: { scenario: Scenario; decisions: readonly number[]; seed: number },
  ) {
    super(message);
  }
}

/**
 * fast-check's own `IAsyncPropertyWithHooks<Ts>` under a local name: deno doc --lint flags types
 * from npm packages as private (denoland/deno#27364).
 *
 * @internal
 */
export type FcAsyncPropertyWithHooks<Ts> = IAsyncPropertyWithHooks<Ts>;

/**
 * A fast-check property over (scenario, decisions, seed) that every checker of the named set
 * `monitors` holds, each run in a worker under a watchdog: use it with `await fc.assert(...)`.
 * It takes {@linkcode pagerProperty}'s options, except what cannot cross into the worker (a
 * `makeKernel` function: name its module as `kernelModule`; `onFailure`), with
 * `serviceModule` required when `services` is given: the worker imports that module and serves
 * every name of `services` with its service (its default export, or `service`), held to the
 * contract the test held `services`' entry to. `monitors` must be a named set
 * (`checkersOf("kernel+service")`, ...): checkers of your own run only in `pagerProperty`.
 *
 * @example
 * ```ts
 * import fc from "npm:fast-check@4.11.0";
 * import { guardedPagerProperty } from "./guarded_property.ts";
 * import { checkerSet } from "./checker_sets.ts";
 * const kernel = checkerSet("kernel") ?? (() => []);
 * await fc.assert(guardedPagerProperty(kernel, { scenario: { maxThreads: 1 } }), { numRuns: 3 });
 * ```
 */
export function guardedPagerProperty(
  monitors: () => readonly Monitor[],
  options: GuardedPropertyOptions = {},
): FcAsyncPropertyWithHooks<[Scenario, number[], number]> {
  const given = options as GuardedPropertyOptions & Partial<PagerPropertyOptions>;
  if (given.makeKernel !== undefined) {
    throw new TypeError(
      "guardedPagerProperty: makeKernel is a function its worker cannot receive: give the " +
        "variant's module as kernelModule instead (the worker imports its makeKernel)",
    );
  }
  if (given.onFailure !== undefined) {
    throw new TypeError(
      "guardedPagerProperty: onFailure is not run (the cases run in a worker): the failure " +
        "fast-check reports is a GuardedPropertyFailure, with the case as its `input`",
    );
  }
  const checkers = checkerSetName(monitors);
  if (checkers === null) {
    throw new TypeError(
      'guardedPagerProperty: the checkers must be a named set (checkersOf("kernel"), ' +
        'checkersOf("kernel+service"), ...): its worker makes them by name; checkers of your ' +
        "own run in pagerProperty, in the test's thread",
    );
  }
  const names = Object.keys(options.services ?? {});
  if (names.length > 0 && options.serviceModule === undefined) {
    throw new TypeError(
      "guardedPagerProperty: give serviceModule, the module that exports your service " +
        '(new URL("./my_service.ts", import.meta.url)): the worker runs the service from it',
    );
  }
  refuseWithoutRead();
  const limits: Limits = {
    runTimeout: options.runTimeout ?? GUARD_RUN_TIMEOUT,
    confirmTimeout: Math.max(
      options.runTimeout ?? GUARD_RUN_TIMEOUT,
      options.confirmTimeout ?? GUARD_CONFIRM_FACTOR * (options.runTimeout ?? GUARD_RUN_TIMEOUT),
    ),
    memoryMb: options.memory ?? GUARD_MEMORY_MB,
  };
  // Drawn and shrunk here, by pagerProperty's own arbitraries (and the contract it draws inside).
  const inner = renamed(() => pagerProperty(monitors, options));
  const held: Record<string, ServiceContract | null> = {};
  for (const name of names) held[name] = contractOf(options.services?.[name])?.contract ?? null;
  const data: Omit<GuardedWorkerData, "progress"> = {
    ...(options.serviceModule !== undefined
      ? {
        serviceUrl: moduleUrl(options.serviceModule),
        serviceModule: String(options.serviceModule),
      }
      : {}),
    ...(options.kernelModule !== undefined
      ? { kernelUrl: moduleUrl(options.kernelModule), kernelModule: String(options.kernelModule) }
      : {}),
    services: held,
    checkers,
    ...(options.scenario !== undefined ? { scenario: options.scenario } : {}),
    ...(options.decisions !== undefined ? { decisions: options.decisions } : {}),
  };
  const deno = childDeno();
  const child = deno !== null;
  const runner: GuardRunner = deno !== null
    ? new ChildRunner(deno, data, limits)
    : new Runner(data, limits);
  /** Set by a hang: no case runs after it, and fast-check's shrinking of it finds no smaller. */
  let stopped = false;
  /** Why no case runs (serviceModule does not load, or is not the services' module), or null. */
  let checked: Promise<Error | null> | null = null;
  const property: IAsyncPropertyWithHooks<Drawn> = {
    isAsync: () => true,
    generate: (mrng: Random, runId?: number): Value<Drawn> => inner.generate(mrng, runId),
    shrink: (value: Value<Drawn>): Stream<Value<Drawn>> => inner.shrink(value),
    runBeforeEach: () => Promise.resolve(),
    runAfterEach: () => Promise.resolve(),
    beforeEach: () => {
      throw new TypeError("guardedPagerProperty: no beforeEach hooks (the cases run in a worker)");
    },
    afterEach: () => {
      throw new TypeError("guardedPagerProperty: no afterEach hooks (the cases run in a worker)");
    },
    run: async (v: Drawn) => {
      if (stopped) return null;
      // Before the first case: the module loads here, and its service is the one the test gave.
      checked ??= moduleRefusal(options);
      const refusal = await checked;
      if (refusal !== null) throw messageOnly(refusal);
      const input = { scenario: v[0], decisions: v[1], seed: v[2] };
      let out = await runner.exec(v, limits.runTimeout);
      if (out.kind === "load-error") throw loadError(out.message);
      if (out.kind === "service-hang" && limits.confirmTimeout > limits.runTimeout) {
        // Wall-clock time is not the run's own: a loaded machine stretches it. Run it again.
        console.error(confirmNote(limits, out.at));
        out = await runner.exec(v, limits.confirmTimeout);
        if (out.kind === "load-error") throw loadError(out.message);
        if (out.kind === "done") {
          console.error(
            `note: run again, it finished within the confirmation limit of ` +
              `${limits.confirmTimeout}s: the stop at the run limit was a slow run (a busy ` +
              `machine, or a long run), not a hang; the case's verdict is its own`,
          );
        }
      }
      if (out.kind === "done") {
        return out.failure === null ? null : {
          error: new GuardedPropertyFailure(out.failure.message, out.failure.signature, input),
        };
      }
      stopped = true;
      const at = out.at ?? null;
      const replayed = at !== null ? await runner.stopBefore(v, at, limits.confirmTimeout) : null;
      runner.close();
      const report = stoppedReport(out, v, replayed, limits, monitors, options, child);
      return { error: new GuardedPropertyFailure(report.message, report.signature, input) };
    },
  };
  return property;
}

/**
 * `e` with its stack cut to its own first line: a refusal's message says what happened and what
 * to do, and the frames under it were pagersim's (`moduleRefusal`, `Object.run`, fast-check's),
 * none the user's (trial37 friction 6).
 */
function messageOnly<E extends Error>(e: E): E {
  e.stack = `${e.name}: ${e.message}`;
  return e;
}

/** The refusal of a case whose worker (or child process) could not load the modules. */
function loadError(message: string): Error {
  return messageOnly(new Error(`guardedPagerProperty: ${message}`));
}

/**
 * Refuses, in one message, a test that may not read the worker's module: the worker (in the
 * test's process or a child) loads pagersim and the service module from files, and without
 * `--allow-read` its first case failed with Deno's `NotCapable: Requires read access to
 * ".../properties/_guarded_worker.ts"` and a stack of pagersim's frames (trial37 friction 12).
 *
 * @hostSide reads the test's permissions when the property is built, before any case
 */
function refuseWithoutRead(): void {
  const worker = new URL("./_guarded_worker.ts", import.meta.url);
  if (worker.protocol !== "file:") return;
  let state: Deno.PermissionState;
  try {
    state = Deno.permissions.querySync({ name: "read", path: worker }).state;
  } catch {
    return;
  }
  if (state === "granted") return;
  throw messageOnly(
    new Deno.errors.NotCapable(
      "guardedPagerProperty needs to read files: its cases run in a worker that loads pagersim " +
        "and your service module from them. Run the test with --allow-read, and with " +
        "--allow-run=deno too to run the cases in a child process, which the property kills " +
        "when a service never yields (without it, such a thread spins until the test ends): " +
        "deno test --allow-read --allow-run=deno FILE (or -A)",
    ),
  );
}

/**
 * `make()`, with a refusal worded for `pagerProperty` (`pagerProperty: ... exports a contract`)
 * naming `guardedPagerProperty`, the function the test called (trial36 friction 4).
 */
function renamed<T>(make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (!(e instanceof Error) || !e.message.startsWith("pagerProperty: ")) throw e;
    const Kind = e instanceof TypeError ? TypeError : Error;
    throw new Kind(`guardedPagerProperty: ${e.message.slice("pagerProperty: ".length)}`);
  }
}

/**
 * Why the property cannot run the test's services from `serviceModule`, or null: the module does
 * not load (where, as the commands' loader says it), or a service in `services` (unwrapped from
 * `withContract`) is not the module's service (its default export, or `service`), which the
 * worker would run in its place (trial36 friction 2: the buggy function with the correct
 * module's URL passed 300 runs of the correct one). A module that exports no service is left to
 * the worker, which says so.
 *
 * @hostSide imports the test's service module in the test's thread, before any case runs
 */
async function moduleRefusal(options: GuardedPropertyOptions): Promise<Error | null> {
  const m = options.serviceModule;
  const services = Object.entries(options.services ?? {});
  if (m === undefined || services.length === 0) return null;
  const module = typeof m === "string" ? m : pasteablePath(m);
  let mod: Record<string, unknown>;
  try {
    mod = await import(moduleUrl(m));
  } catch (e) {
    return new Error(`guardedPagerProperty: ${moduleLoadFailure("serviceModule", module, e)}`);
  }
  const which = mod.default !== undefined ? "default" : "service";
  const theirs = mod[which];
  if (typeof theirs !== "function") return null;
  const unwrap = (f: PagerService) => contractOf(f)?.service ?? f;
  const named = (f: PagerService) => f.name !== "" ? `function ${f.name}` : "an anonymous function";
  for (const [name, given] of services) {
    const fn = unwrap(given);
    const its = unwrap(theirs as PagerService);
    if (fn === its) continue;
    return new TypeError(
      `guardedPagerProperty: services.${name} (${named(fn)}) is not the service of ` +
        `serviceModule ${module} (its ${which} export, ${named(its)}${
          fn.name === its.name ? ", another function of the same name" : ""
        }): the cases run in a worker that imports serviceModule and runs its service, so the ` +
        `property would test that one, not services.${name}. Name the module that exports ` +
        `services.${name} as serviceModule (its default export, or \`service\`)`,
    );
  }
  return null;
}

/** A module given as a path or URL, as a URL the worker imports (a relative path: from cwd). */
function moduleUrl(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(module) && !/^[a-z]:[\\/]/i.test(module)) return module;
  const base = `file://${encodeURI(Deno.cwd().replace(/\/*$/, "/"))}`;
  return new URL(module.startsWith("/") ? `file://${encodeURI(module)}` : module, base).href;
}

/**
 * The note printed (stderr) when a run is stopped at the run limit and run again, as `sim`'s
 * (cli/_guard.ts `confirmNote`).
 */
function confirmNote(limits: Limits, at: StuckAt | null): string {
  const where = at !== null ? ` (t${at.tid} at step ${at.step} had not yielded)` : "";
  return `note: a property run went past its run limit of ${limits.runTimeout}s${where}; ` +
    `running it again with the confirmation limit of ${limits.confirmTimeout}s: a hang only if ` +
    `it is stopped again (a busy machine can make a passing run that slow). confirmTimeout ` +
    `equal to runTimeout skips the wait.`;
}

/** How the report names the limits that stopped a run (cli/_guard.ts `limitWords`). */
function limitText(limits: Limits): { ran: string; within: string } {
  const c = limits.confirmTimeout;
  return c > limits.runTimeout
    ? {
      ran: `, and run again past the --confirm-timeout ${c}s limit,`,
      within: `, nor when run again within --confirm-timeout ${c}s`,
    }
    : {
      ran: ` (not run again: --confirm-timeout ${c} is not above it)`,
      within: ` (not run again: --confirm-timeout ${c} is not above it)`,
    };
}

/**
 * The report of a run the watchdog stopped, in `sim`'s words (cli/_guard.ts `stoppedLine`,
 * `stuckLines`): the verdict naming the thread, the step and the module, the signature, the
 * case, the trace up to the stuck step, and the `replay:` line with the limits.
 */
function stoppedReport(
  o: Exclude<Outcome, { kind: "done" | "load-error" }>,
  v: Drawn,
  replayed: Stopped | null,
  limits: Limits,
  monitors: () => readonly Monitor[],
  options: GuardedPropertyOptions,
  child: boolean,
): { message: string; signature: string } {
  const [scenario, drawn, seed] = v;
  const flags = replayFlags(scenario, monitors, options);
  const module = flags.service ?? undefined;
  const kernel = flags.kernel !== undefined ? flags.kernel : null;
  const at = o.at ?? null;
  const signature = o.kind === "out-of-memory" ? OUT_OF_MEMORY : hangSignature(
    at,
    kernelUnderTest(kernel, false),
  );
  const why = o.kind === "out-of-memory"
    ? o.heapMiB === undefined
      ? `the run reached the --memory ${limits.memoryMb} MiB heap limit`
      : `${heapFullWords(at, o.heapMiB, limits.memoryMb, module, kernel)}; stopped at the ` +
        `--run-timeout ${limits.runTimeout}s run limit, not run again: the heap would fill again`
    : `${at === null ? "before any thread ran" : neverYielded(at, module, kernel)}: the run did ` +
      `not finish within --run-timeout ${limits.runTimeout}s${limitText(limits).within}${
        o.kind === "service-hang" && o.grew === true ? `; ${grewNote(limits.memoryMb)}` : ""
      }`;
  // The replay's own picks up to the stuck step, when its replay reached it: they replay as
  // given (a drawn list may hold entries the run never read, which repro refuses).
  const picks = replayed !== null && replayed.reached ? replayed.decisions : drawn;
  // inlineReplay reads the case and the run's picks only.
  const replay = inlineReplay(
    {
      input: { scenario, decisions: drawn, seed },
      run: { decisions: picks },
    } as unknown as CaseResult,
    flags,
  ) + limitFlags(limits);
  const lines = [
    `pagersim: ${signature} (${why})`,
    `verdict: ${o.kind === "out-of-memory" ? OUT_OF_MEMORY : "service-hang"}`,
    `signature: ${signature}`,
    ...(at !== null ? [`step: ${at.step}`] : []),
    `seed: ${seed}`,
    `decisions (${
      picks !== drawn && at !== null && replayed !== null
        ? picksWords(picks.length, replayed.before, at)
        : picks.length
    }): [${picks.join(",")}]`,
    ...(picks !== drawn
      ? [
        `  (the run's own picks, through step ${at?.step}; the drawn list was (${drawn.length}): [${
          drawn.join(",")
        }])`,
      ]
      : []),
    `scenario: ${JSON.stringify(scenario)}`,
    ...(replayed !== null && replayed.trace !== ""
      ? [
        at === null || at.step === 0
          ? "trace, the setup before step 0:"
          : `trace, steps ${replayed.from}..${at.step - 1}:`,
        replayed.trace,
      ]
      : []),
    ...(at !== null && o.kind === "service-hang"
      ? [stuckLine(at, replayed, limits, module, kernel)]
      : []),
    `replay: ${replay}`,
    `note: the property ran no case after this one and did not shrink it (every shrinking run ` +
    `would run into the same limit)${o.kind === "service-hang" ? spinNote(limits, child) : ""}`,
  ];
  return { message: lines.join("\n"), signature };
}

/**
 * What became of the worker threads that never yielded: the run's, and its confirmation run's
 * when it was run again (trial36: the note said one thread where two spun on).
 */
function spinNote(limits: Limits, child: boolean): string {
  const again = limits.confirmTimeout > limits.runTimeout;
  if (child) {
    return `; the worker thread${again ? "s" : ""} that never yielded (the run's${
      again ? " and its confirmation run's" : ""
    }) ended with the child process that ran ${again ? "them" : "it"}, killed`;
  }
  return `; the worker thread${again ? "s" : ""} that never yielded (the run's${
    again ? " and its confirmation run's" : ""
  }) spin${again ? "" : "s"} on until the test process ends (Deno cannot stop a thread that ` +
    `never yields; a test allowed to run deno and to read, --allow-run --allow-read, runs its ` +
    `cases in a child process, killed after a hang)`;
}

/**
 * The count of a stopped run's picks, in repro's words for its replay line (`decision-list (N
 * entries, up to step S)`, S the step before the stuck one): with the stuck step's pick of its
 * thread, which the line carries so that repro's replay reaches it, said apart (trial36: the
 * report said 12 where repro said 11).
 */
function picksWords(total: number, before: number, at: StuckAt): string {
  const upTo = at.step > 0 ? ` up to step ${at.step - 1}` : " before step 0";
  const entries = (n: number) => `${n} entr${n === 1 ? "y" : "ies"}`;
  return total === before
    ? `${entries(total)},${upTo}`
    : `${entries(total)}: ${before}${upTo}, as repro counts them, and step ${at.step}'s pick ` +
      `of t${at.tid}`;
}

/** The `stuck:` line, as `sim` prints it under the trace up to the stuck step. */
function stuckLine(
  at: StuckAt,
  replayed: Stopped | null,
  limits: Limits,
  module: string | undefined,
  kernel: string | null,
): string {
  const reached = replayed !== null && replayed.reached;
  const who = `t${at.tid}${reached && replayed.name !== undefined ? ` "${replayed.name}"` : ""}${
    reached && replayed.role !== undefined ? ` (${replayed.role})` : ""
  }`;
  const what = entryWords(at.entry, module, kernel);
  const when = at.step === 0
    ? "at step 0, while starting (a thread runs to its first syscall when it is created, before the first step)"
    : `at step ${at.step}`;
  const inSyscall = at.entry !== undefined && at.entry >= IN_SYSCALL;
  return `stuck: ${who} never yielded ${when}${what !== null ? `, running ${what}` : ""}: its ` +
    `code ran past the --run-timeout ${limits.runTimeout}s run limit${limitText(limits).ran} ` +
    `without ${inSyscall ? "returning from the syscall" : "making a syscall"}${
      replayed === null || replayed.trace === ""
        ? ""
        : reached
        ? `; the trace above is ${
          at.step === 0
            ? "the setup before it"
            : `the run up to step ${at.step - 1}, just before it`
        }`
        : `; the trace above is a replay that did not reach t${at.tid} at step ${at.step}: it ` +
          `may not be the stopped run's`
    }`;
}

/** The limit flags of a replay line: the run limit always, the others when not the defaults. */
function limitFlags(limits: Limits): string {
  return ` --run-timeout ${limits.runTimeout}${
    limits.confirmTimeout !== GUARD_CONFIRM_FACTOR * limits.runTimeout
      ? ` --confirm-timeout ${limits.confirmTimeout}`
      : ""
  }${limits.memoryMb !== GUARD_MEMORY_MB ? ` --memory ${limits.memoryMb}` : ""}`;
}

/** The child process's module, which hosts the runner (`_guarded_host.ts`). */
const HOST = new URL("./_guarded_host.ts", import.meta.url);

/**
 * The `deno` the property's runs are hosted with in a child process (`_guarded_host.ts`), which
 * it can kill with a thread that never yielded, or null: the runs are in a worker of the test's
 * process, where such a thread spins until the process ends. A child when the host is a file and
 * the test may read (the child imports the modules) and run this deno (`--allow-run`), or `deno`
 * by name (`--allow-run=deno`, as pagersim's own tasks allow it: the one on the PATH).
 */
function childDeno(): string | null {
  if (HOST.protocol !== "file:") return null;
  if (Deno.permissions.querySync({ name: "read" }).state !== "granted") return null;
  return runnableDeno();
}

/** A child process of the property's, and the reply its pending request waits for. */
interface Host {
  readonly child: Deno.ChildProcess;
  readonly stdin: WritableStreamDefaultWriter<Uint8Array>;
  /** Called with the reply to the pending request (null: the process ended first). */
  waiting: ((reply: { ok: unknown } | null) => void) | null;
  /** The end of its stderr, for a process that ends without a reply. */
  stderrTail: string;
}

/**
 * The config flag of the child process: the deno.json(c) nearest at or above the working
 * directory (the one `deno test` found there), or `--no-config` when there is none.
 */
function configFlag(): string[] {
  for (let dir = Deno.cwd();;) {
    for (const name of ["deno.json", "deno.jsonc"]) {
      const path = `${dir.replace(/\/$/, "")}/${name}`;
      try {
        if (Deno.statSync(path).isFile) return [`--config=${path}`];
      } catch {
        // keep looking
      }
    }
    const up = dir.replace(/\/[^/]*\/?$/, "") || "/";
    if (up === dir) return ["--no-config"];
    dir = up;
  }
}

/**
 * The runner in a child process (`_guarded_host.ts`), started at the first run, killed
 * (SIGKILL) when a run is stopped at its limit (its worker thread may spin: the next run starts a
 * new process), when the property has its hang's report, and when its runs went idle. The child
 * runs in the test's working directory, so it finds the same deno.json (the imports a service
 * module uses), allowed to read, the variables the worker is given (none), and nothing else.
 *
 * @hostSide starts and kills the child process that runs the cases: no run's outcome reads it
 */
class ChildRunner implements GuardRunner {
  #host: Host | null = null;
  #id = 0;
  #busy = false;

  constructor(
    /** The deno to run the child with ({@linkcode childDeno}). */
    readonly deno: string,
    readonly data: Omit<GuardedWorkerData, "progress">,
    readonly limits: Limits,
  ) {}

  async exec(v: Drawn, limitS: number): Promise<Outcome> {
    const reply = await this.#ask({ type: "run", value: v, limitS });
    if (!("ok" in reply)) return { kind: "load-error", message: reply.ended };
    const out = reply.ok as Outcome;
    // Stopped at its limit: its worker thread may spin on, and only the process's end stops it.
    if (out.kind !== "done") this.close();
    return out;
  }

  async stopBefore(v: Drawn, at: StuckAt, limitS: number): Promise<Stopped | null> {
    const reply = await this.#ask({ type: "stop-before", value: v, at, limitS });
    return "ok" in reply ? reply.ok as Stopped | null : null;
  }

  close(): void {
    const host = this.#host;
    this.#host = null;
    if (host === null) return;
    try {
      host.child.kill("SIGKILL");
    } catch {
      // It has ended already.
    }
  }

  #start(): Host {
    const env = Object.keys(WORKER_ENV);
    const child = new Deno.Command(this.deno, {
      args: [
        "run",
        "--quiet",
        "--no-prompt",
        "--allow-read",
        ...(env.length > 0 ? [`--allow-env=${env.join(",")}`] : []),
        // The test's deno.json, not the one deno would find from the host module's folder
        // (pagersim's): the service module's imports are mapped there ("In another project").
        ...configFlag(),
        HOST.href,
      ],
      cwd: Deno.cwd(),
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const host: Host = { child, stdin: child.stdin.getWriter(), waiting: null, stderrTail: "" };
    const init: HostInit = { data: this.data, limits: this.limits };
    host.stdin.write(new TextEncoder().encode(`${JSON.stringify(init)}\n`)).catch(() => {});
    const answer = (reply: { ok: unknown } | null) => {
      const take = host.waiting;
      host.waiting = null;
      take?.(reply);
    };
    void (async () => {
      try {
        for await (const line of lines(child.stdout)) {
          // The service's own output (a console.log in it), shown as the in-process worker's is.
          if (!line.startsWith(HOST_MARK)) console.log(line);
          else answer({ ok: JSON.parse(line.slice(HOST_MARK.length)) });
        }
      } catch {
        // Killed while it wrote.
      }
      if (this.#host === host) this.close();
      answer(null);
    })();
    void (async () => {
      try {
        for await (const chunk of child.stderr) {
          await Deno.stderr.write(chunk);
          host.stderrTail = (host.stderrTail + new TextDecoder().decode(chunk)).slice(-2000);
        }
      } catch {
        // Killed while it wrote.
      }
    })();
    return host;
  }

  /**
   * Sends the request to the child (started if none runs): `{ ok }`, its reply, or `{ ended }`
   * if the process ended first, with what it said on stderr.
   */
  #ask(request: HostRequest): Promise<{ ok: unknown } | { ended: string }> {
    const host = this.#host ?? (this.#host = this.#start());
    const id = ++this.#id;
    this.#busy = true;
    // A run in flight keeps the test's process alive; an idle child does not.
    host.child.ref();
    return new Promise((resolve) => {
      host.waiting = (reply) => {
        this.#busy = false;
        host.child.unref();
        this.#idleLater(id);
        const tail = host.stderrTail.trim();
        resolve(
          reply !== null ? reply : {
            ended: `its child process (deno run ${HOST.pathname}) ended without answering${
              tail !== "" ? `: ${tail}` : ""
            }`,
          },
        );
      };
      host.stdin.write(new TextEncoder().encode(`${JSON.stringify(request)}\n`)).catch(() => {});
    });
  }

  /** Kills the child once the property's runs went idle (as the in-process Runner's worker). */
  #idleLater(id: number): void {
    setTimeout(() => {
      if (!this.#busy && this.#id === id) this.close();
    }, 0);
  }
}
