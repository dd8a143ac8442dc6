/**
 * The check of a failing `pagerProperty`'s printed replay line (pager_property.ts installs the
 * fast-check plugin that calls it, once, for the failure fast-check reports): the line is run as
 * the user would paste it, and the words say when it replays something else.
 *
 * @module
 */

import type { CaseResult } from "./check_case.ts";
import { replayArgs, type ReportOptions } from "./failure_report.ts";
import { signatureOf } from "./signature.ts";
import { runnableDeno } from "./_runnable_deno.ts";

/** What checking a failure's printed replay line needs: the case, its flags, the options. */
export interface PendingCheck {
  /** The failing (shrunk) case and its run. */
  readonly result: CaseResult;
  /** How its replay line names the caller's modules and checkers. */
  readonly flags: Pick<ReportOptions, "service" | "kernel" | "checkers" | "contract">;
  /** The names of the property's services (`services`' keys). */
  readonly services: readonly string[];
}

/**
 * Runs the failure's printed replay line once, as the user would paste it (`deno task repro ...`
 * in the test's working directory), and words what it found: null when it replays the failure
 * (the same trace hash), else the note under the line. A sync property's replay line names
 * `serviceModule`, whose own service `repro` runs; the function in `services` may be another
 * (trial37: a copy whose bug is in a helper, under the correct module's URL, failed the property
 * with a deadlock, and its line replayed a pass, exit 0). Without permission to run deno, the note
 * says the line was not checked.
 *
 * @hostSide runs a subprocess after the property's runs, for the report's words
 */
export function replayCheckNote(pending: PendingCheck): string | null {
  const { result, flags, services } = pending;
  const deno = runnableDeno();
  if (deno === null) {
    return `  (this line was not run to check that it replays this failure: the test may not run ` +
      `deno. With --allow-run=deno (or -A) the property runs it once, for the shrunk case, and ` +
      `says here when it replays something else, as when the function in services is not ` +
      `serviceModule's service)`;
  }
  let cwd: string | undefined;
  try {
    cwd = Deno.cwd();
  } catch {
    cwd = undefined;
  }
  const out = new Deno.Command(deno, {
    args: replayArgs(result, flags),
    ...(cwd !== undefined ? { cwd } : {}),
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  const text = new TextDecoder().decode(out.stdout);
  const hash = /^trace-hash: (\S+)$/m.exec(text)?.[1];
  if (hash === result.run.traceHash) return null;
  if (hash === undefined) {
    const err = new TextDecoder().decode(out.stderr).trim().split("\n").filter((l) => l !== "");
    return `  (this line was run once to check it, and did not replay the case (exit ${out.code}` +
      `${err.length > 0 ? `: ${err[err.length - 1]}` : ""}): it could not be checked)`;
  }
  const verdict = /^verdict: (.*)$/m.exec(text)?.[1] ?? "no verdict";
  const signature = /^signature: (.*)$/m.exec(text)?.[1];
  const got = verdict.startsWith("pass")
    ? `replays a pass (${verdict}): this failure is not in it`
    : signature !== undefined && signature !== signatureOf(result.verdict, result.run.verdict)
    ? `replays another failure (${signature}), not this one`
    : `replays this failure by another trace (trace hash ${hash}, not ${result.run.traceHash})`;
  const why = [
    ...(typeof flags.service === "string"
      ? [
        `serviceModule's service (${flags.service}) is not the function the property ran ` +
        `(a copy whose bug is in a helper reads the same to the property's source check)`,
      ]
      : []),
    ...(typeof flags.kernel === "string"
      ? [`kernelModule's makeKernel (${flags.kernel}) is not the makeKernel the property ran`]
      : []),
    `the code under test keeps state from one run into the next`,
  ];
  const fix = typeof flags.service === "string"
    ? `use guardedPagerProperty, which runs serviceModule's own service and refuses another ` +
      `function, or name as serviceModule the module that exports ${
        services.length === 1 ? `services.${services[0]}` : "the services"
      }`
    : `name as kernelModule the module that exports the makeKernel the property ran`;
  return `  (checked: this line, run as printed, ${got}. Either ${why.join(", or ")}; ${fix})`;
}
