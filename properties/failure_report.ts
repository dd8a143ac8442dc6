/**
 * The report of a failing case, which is its own regression case: the
 * invariant, the step, the shrunk scenario and decision list, the seed, the
 * trace around the failing step and the command that replays it.
 *
 * @module
 */

import { describeVerdict } from "../sim/world.ts";
import { signatureOf } from "./signature.ts";
import type { CaseResult } from "./check_case.ts";
import { threadStack } from "./thread_stack.ts";

/** Options of {@linkcode formatFailure}. */
export interface ReportOptions {
  /** Where the case was written, for the replay command. Default: none, the replay names the case inline. */
  readonly file?: string;
  /** Steps of trace shown before the failing step. Default 12. */
  readonly before?: number;
  /**
   * The scenario's pagers run a service of the caller's: the module that exports it (a path, as
   * `--service` takes it), or `null` when unknown (the replay then shows
   * {@linkcode SERVICE_PLACEHOLDER} and says what to put there). Default: none needed.
   */
  readonly service?: string | null;
  /**
   * The run used a kernel variant: the module that exports its `makeKernel` (a path, as
   * `--kernel` takes it), or `null` when unknown (the replay then shows
   * {@linkcode KERNEL_PLACEHOLDER}, which fails as printed, and says what to put there: without
   * `--kernel` the line would replay the unchanged model and pass). Default: the model.
   */
  readonly kernel?: string | null;
  /**
   * What a property found when it ran cases again at its first failure: the code under test keeps
   * state between runs (`nondeterminism in the code under test: ...`), printed after the verdict.
   */
  readonly nondeterminism?: string;
  /** The checker set the case was judged by, when the replay must name it (`--checkers`). */
  readonly checkers?: string;
  /**
   * The names of the caller's own checkers the case was judged by besides a named set: the
   * replay command cannot run them, so the report says so and how to replay with them instead.
   */
  readonly ownCheckers?: readonly string[];
  /**
   * The contract the caller held its service to with `withContract` when the `service` module
   * may export another: the replay passes it as `--contract-json`, which replaces the module's
   * export for that run. Default: none (repro holds the module to its own export).
   */
  readonly contract?: unknown;
  /**
   * A service of the caller's, `services.NAME`, whose source is not in the `service` module (nor
   * a module of the caller's it imports): the replay line runs that module's own service, which
   * may not be the function the run ran (trial36: a buggy copy passed with the correct module's
   * URL failed the property, and its replay line passed). Default: none.
   */
  readonly serviceNotInModule?: string;
}

/** The project tree these modules live in (where `deno task` runs pagersim's commands). */
const PROJECT_ROOT = new URL("../", import.meta.url);

/**
 * The project the commands run in: the nearest directory at or above the working directory
 * holding a deno.json(c) (`deno task` runs there), or `null` when none is found or the file
 * system may not be read. In another project (README, "In another project") it is that project,
 * not pagersim's checkout.
 *
 * @hostSide names a module in a printed replay line, after the run: no run's outcome reads it
 */
function workingProject(): URL | null {
  try {
    let dir = Deno.cwd().replace(/\/+$/, "");
    for (;;) {
      for (const name of ["deno.json", "deno.jsonc"]) {
        try {
          if (Deno.statSync(`${dir}/${name}`).isFile) return new URL(`file://${encodeURI(dir)}/`);
        } catch (e) {
          if (!(e instanceof Deno.errors.NotFound)) throw e;
        }
      }
      const up = dir.slice(0, dir.lastIndexOf("/"));
      if (up === dir || dir === "") return null;
      dir = up;
    }
  } catch {
    return null;
  }
}

/**
 * The path a printed command names a module by: relative to the project root where `deno task
 * repro` runs when `module` (a `file:` URL, or an absolute path) lies inside it, so the line
 * pastes as printed from anywhere in the project and on another machine; otherwise the absolute
 * path; a relative path as given (already what the user typed); a URL of another scheme as it
 * is. That root is `root` when given; else the project of the working directory (a user's own
 * project that runs pagersim's commands through tasks of its own), then pagersim's checkout.
 *
 * @example
 * ```ts
 * import { pasteablePath } from "./failure_report.ts";
 * const url = new URL("../examples/my_service.ts", import.meta.url);
 * console.assert(pasteablePath(url, new URL("../", import.meta.url)) === "examples/my_service.ts");
 * console.assert(pasteablePath("/elsewhere/s.ts") === "/elsewhere/s.ts");
 * ```
 */
export function pasteablePath(module: string | URL, root?: URL): string {
  let url: URL;
  if (module instanceof URL) url = module;
  else if (module.startsWith("/")) url = new URL(`file://${encodeURI(module)}`);
  else if (/^[a-z][a-z0-9+.-]*:/i.test(module)) url = new URL(module);
  else return module;
  if (url.protocol !== "file:") return url.href;
  const path = decodeURIComponent(url.pathname);
  const roots = root !== undefined ? [root] : [workingProject(), PROJECT_ROOT];
  for (const r of roots) {
    if (r === null || r.protocol !== "file:") continue;
    const base = decodeURIComponent(r.pathname);
    if (path.startsWith(base) && path.length > base.length) return path.slice(base.length);
  }
  return path;
}

/** Shown for `--service` when the module serving a failing property's pagers is unknown. */
export const SERVICE_PLACEHOLDER = "YOUR_SERVICE_MODULE.ts";

/** Shown for `--kernel` when the variant module a failing property ran is unknown. */
export const KERNEL_PLACEHOLDER = "YOUR_KERNEL_MODULE.ts";

/** A shell word: single-quoted, with any single quote closed, escaped and reopened. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * The command that replays a case with nothing written: its scenario inline,
 * its seed and decision list (kernel checkers; a property with other checkers
 * or its own services replays in code with `checkCase`).
 */
export function inlineReplay(
  result: CaseResult,
  options: Pick<ReportOptions, "service" | "kernel" | "checkers" | "contract"> = {},
): string {
  return `deno ${
    replayWords(result, options).map((w) => w.quote || w.arg === "" ? shellQuote(w.arg) : w.arg)
      .join(" ")
  }`;
}

/**
 * The arguments after `deno` of {@linkcode inlineReplay}'s line, as the shell passes them to it
 * (unquoted): what a property runs to check that its printed line replays its failure.
 *
 * @internal
 */
export function replayArgs(
  result: CaseResult,
  options: Pick<ReportOptions, "service" | "kernel" | "checkers" | "contract"> = {},
): string[] {
  return replayWords(result, options).map((w) => w.arg);
}

/** The words of the replay line after `deno`, each with whether the line quotes it. */
function replayWords(
  result: CaseResult,
  options: Pick<ReportOptions, "service" | "kernel" | "checkers" | "contract">,
): { arg: string; quote: boolean }[] {
  const { scenario, seed } = result.input;
  // The run's own picks, not the drawn list: a drawn list that ran out (fast-check often shrinks
  // it to []) left the rest to seeded picks, and the printed line names every pick the run made.
  const decisions = result.run.decisions;
  const plain = (...args: string[]) => args.map((arg) => ({ arg, quote: false }));
  const flag = (name: string, arg: string) => [{ arg: name, quote: false }, { arg, quote: true }];
  return [
    ...plain("task", "repro"),
    ...flag("--scenario-json", JSON.stringify(scenario)),
    ...(options.service === undefined
      ? []
      : flag("--service", options.service ?? SERVICE_PLACEHOLDER)),
    ...(options.kernel === undefined ? [] : flag("--kernel", options.kernel ?? KERNEL_PLACEHOLDER)),
    ...(options.service === undefined || options.contract === undefined
      ? []
      : flag("--contract-json", JSON.stringify(options.contract))),
    ...(options.checkers !== undefined ? plain("--checkers", options.checkers) : []),
    ...plain("--seed", String(seed), "--decisions", decisions.join(",")),
  ];
}

/** The corpus file name a failing case gets: invariant, then its trace hash. */
export function caseFileName(result: CaseResult): string {
  const v = result.verdict;
  const what = v.kind === "invariant" ? v.invariant : v.kind;
  return `${what}-${result.run.traceHash}.json`;
}

/**
 * Formats a failure for people; the same data goes to the corpus as JSON
 * (see `toCorpusCase`).
 *
 * @example
 * ```ts
 * import { checkCase } from "./check_case.ts";
 * import { formatFailure } from "./failure_report.ts";
 * import { kernelInvariants } from "./kernel_invariants.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * const scenario = parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 1 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
 * });
 * const r = checkCase({ scenario, decisions: [0], seed: 0 }, { monitors: kernelInvariants });
 * console.assert(formatFailure(r).includes("deno task repro"));
 * ```
 */
export function formatFailure(result: CaseResult, options: ReportOptions = {}): string {
  const v = result.verdict;
  const step = v.step;
  const from = Math.max(0, step - (options.before ?? 12));
  const { scenario, decisions: drawn, seed } = result.input;
  const decisions = result.run.decisions;
  const trace = result.run.trace.text(from, step);
  const same = drawn.length === decisions.length && drawn.every((d, i) => d === decisions[i]);
  return [
    `pagersim: ${describeVerdict(v)}`,
    ...(options.nondeterminism !== undefined ? [`note: ${options.nondeterminism}`] : []),
    v.kind === "invariant" ? `invariant: ${v.invariant}` : `verdict: ${v.kind}`,
    // The failure's name as repro, a campaign and a corpus sign it (a deadlock, whichever
    // liveness check caught it).
    ...signatureLine(signatureOf(v, result.run.verdict)),
    // A thread's exception with the frames of its own code, as sim prints it (session 35: a
    // property's report gave the message alone, and the service's line was not in it).
    ...("stack" in v && v.stack ? [threadStack(v.stack)] : []),
    `step: ${step}`,
    `seed: ${seed}`,
    `decisions (${decisions.length}): [${decisions.join(",")}]`,
    ...(same ? [] : [
      `  (the run's own picks, which replay it; the drawn list was (${drawn.length}): ` +
      `[${drawn.join(",")}]${
        drawn.length < decisions.length
          ? `, and seed ${seed} picked past its end`
          : `, of which the run used ${decisions.length}`
      })`,
    ]),
    `trace hash: ${result.run.traceHash}`,
    `scenario: ${JSON.stringify(scenario)}`,
    `trace, steps ${from}..${step}:`,
    trace === "" ? "  (trace not kept)" : trace,
    `replay: ${
      options.file !== undefined ? `deno task repro ${options.file}` : inlineReplay(result, options)
    }`,
    ...(options.file === undefined && options.service === null
      ? [
        `  (replace ${SERVICE_PLACEHOLDER} with the path of the module that exports your service, ` +
        `or pass pagerProperty's serviceModule option so this line names it)`,
      ]
      : []),
    ...(typeof options.service === "string" && options.serviceNotInModule !== undefined
      ? [
        `  (services.${options.serviceNotInModule}'s source is not in ${options.service} or a ` +
        `module of yours it imports: this line runs that module's own service, which may not be ` +
        `the function the property ran, and then may pass. Pass as serviceModule the module ` +
        `services.${options.serviceNotInModule} comes from)`,
      ]
      : []),
    ...(options.file === undefined && options.kernel === null
      ? [
        `  (this run used a kernel variant (makeKernel) that this line cannot name: replace ` +
        `${KERNEL_PLACEHOLDER} with the path of the module that exports its makeKernel, or pass ` +
        `pagerProperty's kernelModule option so this line names it; without --kernel the line ` +
        `would replay the unchanged model, not the variant)`,
      ]
      : []),
    ...ownCheckersNote(v, options),
  ].join("\n");
}

/** The `signature:` line, as repro prints it; none for a pass. */
function signatureLine(signature: string | null): string[] {
  return signature === null ? [] : [`signature: ${signature}`];
}

/**
 * The lines saying a replay command runs without the caller's own checkers (a property's
 * monitors beyond a named set): a user's replay of a failure only its own checker saw ran
 * `verdict: pass` and exit 0, with nothing said.
 */
function ownCheckersNote(v: CaseResult["verdict"], options: ReportOptions): string[] {
  const own = options.ownCheckers ?? [];
  if (own.length === 0 || options.file !== undefined) return [];
  const theirs = v.kind === "invariant" && own.includes(v.invariant);
  return [
    `  (this replay judges by repro's checkers (${
      options.checkers ?? (options.service !== undefined ? "kernel+service" : "kernel")
    }) only: your own checker${own.length > 1 ? "s" : ""} ${own.join(", ")} ${
      own.length > 1 ? "are" : "is"
    } not part of it${
      theirs ? `, and this failure is ${v.invariant}'s, so the replay passes` : ""
    }. To replay with ${
      own.length > 1 ? "them" : "it"
    }, run your property again with the seed and path fast-check prints with this ` +
    `failure: fc.assert(property, { seed, path, endOnFailure: true }))`,
  ];
}
