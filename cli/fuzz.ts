/**
 * `deno task fuzz`: a campaign over generated scenarios and schedules
 * (default) or over syscall programs (`--mode programs`), on all cores, for a
 * time or run budget. Shows progress, writes each new failure, shrunk, to the
 * corpus, prints a summary, and exits 1 if any run failed, 2 on a harness error.
 *
 * @module
 */

// First: Ctrl-C while the modules below load gets one line, not a silent exit.
import { ownCorpusHint } from "./_corpus_hint.ts";
import { variantCallLines } from "../fuzz/variant_calls.ts";
import { releaseStartupSignals } from "./_startup_signals.ts";
import { DELIVERY_KINDS } from "../scenario/contract.ts";
import {
  COVERAGE_FLAG,
  LINT_FLAG,
  lintMode,
  lintModules,
  type LintWarnings,
  rerunWithCoverage,
} from "./_quality_hooks.ts";
import { CAMPAIGN_FLAGS, campaignBudget, campaignLimits } from "./_campaign_flags.ts";
import { moduleFlags, variantCorpusRefusal } from "./_module_flags.ts";
import { type CampaignFinding, type CampaignSummary, runCampaign } from "../fuzz/orchestrate.ts";
import type { InputKind } from "../fuzz/engine.ts";
import { neverReachedLines, SOMETIMES } from "../fuzz/sometimes.ts";
import { PROGRAM_SOMETIMES } from "../fuzz/programs/sometimes.ts";
import { PROGRAM_CHECKERS, SCENARIO_CHECKERS } from "../case/kinds.ts";
import { clipDetail } from "../case/investigate.ts";
import {
  CaseFileError,
  caseFileStates,
  corpusWriteProblem,
  insideProject,
  knownCases,
  loadKernelModule,
  loadServiceModule,
  moduleRef,
  readCaseFile,
  readCorpus,
  rebaseCase,
  writeCase,
  writeCaseOutcome,
} from "../case/store.ts";
import {
  campaignReplayCommand,
  type CaseEnvelope,
  type CaseError,
  type ModuleRef,
  replayCommand,
  type UnshrunkWhy,
  unshrunkWords,
} from "../case/envelope.ts";
import {
  choiceError,
  earlyInterrupt,
  type FlagSpec,
  InputError,
  parseFlags,
  runCommand,
  usage,
  UsageError,
} from "./args.ts";
import { bug, ZOO_IDS } from "../zoo/registry.ts";
import { MUTANTS } from "../zoo/mutants.ts";
import { redrawText } from "./_redraw.ts";

const FLAGS: Record<string, FlagSpec> = {
  mode: {
    type: "string",
    value: "MODE",
    help: "scenarios (default: generated scenarios) | programs (syscall programs)",
  },
  runs: {
    type: "string",
    value: "N",
    help: "runs in all, every worker together (exact and reproducible for scenarios)",
  },
  shard: {
    type: "string",
    value: "I/N",
    help: "run only shard I of N of the run indices (e.g. 0/4)",
  },
  ...moduleFlags({
    service: "scenarios: test your own pager service module",
    kernel: "run a kernel variant: a module exporting makeKernel(options) (needs --corpus)",
  }),
  ...LINT_FLAG,
  ...COVERAGE_FLAG,
  zoo: { type: "string", value: "ID", help: "scenarios: run against a zoo bug (zoo/registry.ts)" },
  mutant: {
    type: "string",
    value: "NAME",
    help: `programs: fuzz a kernel mutant (needs --corpus): ${Object.keys(MUTANTS).join(", ")}`,
  },
  corpus: {
    type: "string",
    value: "DIR",
    path: true,
    help: "where new failures are written (default corpus; program cases in DIR/programs)",
  },
  checkers: {
    type: "string",
    value: "SET",
    help: "scenarios: kernel | kernel+service (default: kernel; kernel+service with --service)",
  },
  checks: {
    type: "string",
    value: "SET",
    help: "programs: kernel (invariants + contract, default) | contract",
  },
  unguided: { type: "boolean", help: "programs: fresh random programs only (no novelty queue)" },
  ...CAMPAIGN_FLAGS,
};

const USAGE = usage("deno task fuzz", "[options]", FLAGS) + `

Explores inputs and schedules (uniform random and PCT at depths 1-3; scenarios
with swarm-selected fault families, programs guided by novel kernel states).
A failing run is signed and compared with the known signatures first; each new
one is shrunk and written to the corpus. A run that does not finish within
--run-timeout is run again (its own worker) with --confirm-timeout: only if it does not
finish then either is it a finding of its own (service-hang: no yield;
kernel-hang: no yield when its thread is inside a syscall), else a
slow run the summary lists; a worker at the --memory heap limit goes silent: its
last heap sample at half the limit or more makes the stop out-of-memory at once
(naming the thread running and its step), else it is a service-hang whose text
notes the process's growth. The campaign goes on. --seconds bounds it to about --run-timeout
past the budget (once more per worker at worst): a confirmation run the budget
cuts at the run limit is written as an unconfirmed hang.
Replay a case with: deno task repro FILE.
Exit status: 0 no failure, 1 a failure was found (also when interrupted), 2 bad\ninput, 130 interrupted with no failure found.`;

/**
 * A corpus file's problem in the campaign's warning: the file, then the message, which names the
 * field itself (a user saw `decisions: decisions: Invalid input...`); a JSON error says
 * `not valid JSON: ...`, as repro and `corpus list` do.
 */
export function skippedLine(e: CaseError): string {
  const named = e.message.startsWith(`${e.field}: `) || e.message.startsWith("not valid JSON: ");
  return `  ${e.file}: ${named ? "" : `${e.field}: `}${e.message}`;
}

/** Parses "I/N". */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new UsageError(`--shard must look like I/N (e.g. 0/4), got "${text}"`);
  const index = Number(m[1]), count = Number(m[2]);
  if (count < 1 || index >= count) throw new UsageError(`--shard ${text}: need 0 <= I < N`);
  return { index, count };
}

let fallbackDir: Promise<string> | null = null;

/**
 * Set once the corpus has refused a write (or the start found it unwritable and said so): later
 * findings go straight to the temporary folder, each named by its own `new failure` line and the
 * summary, with no `error: writing` line per write (trial32 finding 12: an immutable corpus got a
 * warning at the start, then one error line for every write of every finding).
 */
let corpusRefused = false;

/** The campaign's one temporary folder for cases its corpus refused, created the first time. */
function fallback(): Promise<string> {
  fallbackDir ??= Deno.makeTempDir({ prefix: "pagersim-findings-" });
  return fallbackDir;
}

/**
 * Writes a finding to the corpus; a case the corpus refuses (not writable, say) goes to a fresh
 * temporary directory instead (once per campaign; `TMPDIR` chooses where), saying so, and its
 * replay line names that file: scenario and program cases alike (a program run has no
 * `--campaign/--run` replay at all). The module paths a case records (`--service`, `--kernel`)
 * are rewritten relative to that directory, so it replays from there.
 */
export async function persistWithFallback(
  dir: string,
  c: Parameters<typeof writeCase>[1],
): Promise<{ file: string; written: boolean }> {
  if (corpusRefused) {
    const to = await fallback();
    return { file: await writeCase(to, rebaseCase(c, dir, to)), written: true };
  }
  try {
    const { path, written } = await writeCaseOutcome(dir, c);
    return { file: path, written };
  } catch (e) {
    try {
      const to = await fallback();
      const file = await writeCase(to, rebaseCase(c, dir, to));
      corpusRefused = true;
      console.log(
        `error: writing ${dir}: ${(e as Error).message}; the case went to ${file}, and this ` +
          `campaign's later findings go to ${to} without trying ${dir} again`,
      );
      return { file, written: true };
    } catch (f) {
      // Both refusals: the corpus's is the one the user can fix.
      throw new Error(
        `writing ${dir}: ${(e as Error).message}; nor in a temporary folder: ${
          (f as Error).message
        }`,
      );
    }
  }
}

/**
 * Writes a campaign's finding to corpus `dir` (or the temporary fallback), and keeps `kept` (the
 * case each signature's file holds where the campaign's own was not written) up to date: not
 * written, the file already held a case of the finding no larger (another campaign's writing the
 * same corpus, an earlier one's, a shrink cut short), and the campaign's lines and summary
 * describe that case, which their replay line replays.
 */
export async function writeFinding(
  dir: string,
  f: Pick<CampaignFinding, "signature" | "case">,
  kept: Map<string, HeldCase>,
): Promise<{ file: string; written: boolean; held?: HeldCase }> {
  const { file, written } = await persistWithFallback(dir, f.case);
  if (written) {
    kept.delete(f.signature);
    return { file, written };
  }
  const held = await readCaseFile(file).then(heldCase, () => undefined);
  if (held === undefined) return { file, written };
  kept.set(f.signature, held);
  return { file, written, held };
}

/**
 * The case a corpus file holds in place of one the campaign did not write there (its file
 * already held a case of the same finding no larger: another campaign's, or an earlier one's,
 * a shrink cut short among them), as the campaign's lines describe it.
 */
export interface HeldCase {
  /** Its decision count. */
  readonly decisions: number;
  /** Who found it (`found by fuzz campaign 1, shrunk from run 41`). */
  readonly foundBy: string;
  /** Its failure (`signature (detail)`), from its description. */
  readonly failure: string;
  /** Its shrinking was cut short (`found.shrinkCut`): a campaign that meets it shrinks it on. */
  readonly cut: boolean;
  /**
   * Not shrunk (`found.unshrunk`: written as it ran; session 33, userS33a: after a SIGKILL the
   * next campaign's line did not say so): why, as {@linkcode unshrunkWords} says; absent: shrunk.
   */
  readonly unshrunk?: string;
}

/** What a held case's line adds of its unfinished shrinking, or "". */
function heldShrinkWords(h: HeldCase): string {
  if (h.cut) return "; its shrinking was cut short";
  return h.unshrunk !== undefined ? `; it is not shrunk${h.unshrunk}` : "";
}

/**
 * What a case file holds, as a {@linkcode HeldCase}.
 *
 * @example
 * ```ts
 * import { heldCase } from "./fuzz.ts";
 * const h = heldCase({
 *   description: "found by fuzz campaign 1, shrunk from run 41: invariant:x (detail)",
 *   decisions: [1, 0],
 *   found: { shrinkCut: true },
 * });
 * console.assert(h.foundBy === "found by fuzz campaign 1, shrunk from run 41");
 * console.assert(h.failure === "invariant:x (detail)" && h.decisions === 2 && h.cut);
 * ```
 */
export function heldCase(
  c: Pick<CaseEnvelope, "description" | "decisions"> & {
    readonly found?: {
      readonly shrinkCut?: boolean;
      readonly unshrunk?: boolean;
      readonly unshrunkWhy?: UnshrunkWhy;
    };
  },
): HeldCase {
  const m = /^(found by [^:]*): /.exec(c.description);
  return {
    decisions: c.decisions.length,
    foundBy: m?.[1] ?? "written earlier",
    failure: m !== null ? c.description.slice(m[0].length) : c.description,
    cut: c.found?.shrinkCut === true,
    ...(c.found?.unshrunk === true ? { unshrunk: unshrunkWords(c.found) } : {}),
  };
}

/**
 * The line a campaign prints the moment a new failure is first written, before it is shrunk: a
 * campaign killed while shrinking it (SIGKILL runs no code, so no summary) has printed where
 * the case is and its replay, which replays the unshrunk case alone. Its case not written
 * anywhere, the line gives what replays it without a file: a scenario run's `--campaign S --run
 * K` command, or a program case itself (a program run has no replay without its case). Not
 * written because the file already held a case of the finding no larger (`held`: userS32a, after
 * an interrupted shrink the file held the cut case, and the line said "written unshrunk"), it
 * says that the file holds that case.
 *
 * @example
 * ```ts
 * import { foundLine } from "./fuzz.ts";
 * const f = { signature: "invariant:answers-every-read", k: 6, stage: "unshrunk" } as const;
 * console.assert(
 *   foundLine(f, { file: "corpus/x.json" }) ===
 *     "new failure invariant:answers-every-read (run 6), written unshrunk before shrinking it: " +
 *       "deno task repro corpus/x.json",
 * );
 * const lost = foundLine(f, { error: "EROFS", replay: "deno task repro --campaign 1 --run 6" });
 * console.assert(lost.endsWith("not written (EROFS): replay: deno task repro --campaign 1 --run 6"));
 * const held = { decisions: 10, foundBy: "found by fuzz campaign 1", failure: "x", cut: true };
 * console.assert(foundLine(f, { file: "corpus/x.json", held }).includes("not written: corpus/x.json"));
 * ```
 */
export function foundLine(
  f: Pick<CampaignFinding, "signature" | "k" | "stage">,
  where:
    | { readonly file: string; readonly held?: HeldCase }
    | { readonly error: string; readonly replay: string },
): string {
  const head = `new failure ${f.signature} (run ${f.k}), `;
  if ("file" in where && where.held !== undefined) {
    const h = where.held;
    return head + `not written: ${where.file} already holds a case of it no larger (` +
      `${h.decisions} decisions, ${h.foundBy}${heldShrinkWords(h)}), which stays; ${
        f.stage === "unshrunk"
          ? `run ${f.k} is shrunk now, and its shrunk case replaces that one if no larger`
          : `run ${f.k}'s case is not kept`
      }: ${replayCommand(where.file)}`;
  }
  if ("file" in where) {
    return head + (f.stage === "unshrunk"
      ? "written unshrunk before shrinking it: "
      : "written as it ran (not shrunk): ") +
      replayCommand(where.file);
  }
  return `${head}not written (${where.error}): replay: ${where.replay}`;
}

/**
 * The line said when a finding's shrunk case was not written because its file already holds a
 * case of the same finding no larger (another campaign's writing the same corpus, or an earlier
 * one's): the summary's `shrunk to size N` is this campaign's case, the file holds the kept one.
 *
 * @example
 * ```ts
 * import { keptLine } from "./fuzz.ts";
 * const f = { signature: "invariant:answers-every-read", k: 2, case: { input: {}, decisions: [1] } };
 * console.assert(keptLine(f, "c/x.json").startsWith("kept c/x.json: it already holds a case of"));
 * ```
 */
export function keptLine(
  f: {
    readonly signature: string;
    readonly k: number;
    readonly case: { readonly decisions: readonly number[] };
  },
  file: string,
  held?: HeldCase,
): string {
  const what = held !== undefined
    ? `${held.decisions} decisions, ${held.foundBy}`
    : "another campaign's, or an earlier one's";
  return `kept ${file}: it already holds a case of ${f.signature} (${what}) no larger than run ` +
    `${f.k}'s shrunk case (${f.case.decisions.length} decisions), which was not written: the ` +
    "summary's replay line replays the kept case";
}

/** What `--json` says of a finding's case held in place of the campaign's own ({@linkcode jsonSummary}). */
export interface HeldCaseJson {
  /** Always false: the file holds another campaign's case (or an earlier one's). */
  readonly thisCampaigns: false;
  /** Who found the held case (`found by fuzz campaign 1, shrunk from run 41`). */
  readonly foundBy: string;
  /** The held case's shrinking was cut short. */
  readonly cut: boolean;
  /** This campaign's own description of the finding (run k's failure). */
  readonly ownDescription: string;
  /** This campaign's own shrunk case's decision count (not written). */
  readonly ownDecisions: number;
  /** This campaign's own shrunk case's failure. */
  readonly ownShrunkFailure?: string;
}

/**
 * The summary `--json` prints: as the campaign returned it, but a finding whose case was not
 * written because its file holds a case of it no larger (`kept`) describes the case that file
 * holds, as the text summary does: `description`, `decisions` and `shrunkFailure` are the held
 * case's, and `heldCase` says it is not this campaign's, with this campaign's own description and
 * decision count (session 33: the JSON described the campaign's own case, the file held another).
 *
 * @example
 * ```ts
 * import { jsonSummary } from "./fuzz.ts";
 * const held = { decisions: 10, foundBy: "found by fuzz campaign 1, run 41", failure: "x (a)", cut: false };
 * const s = { findings: [{ signature: "x", file: "c/x.json", description: "found by fuzz campaign 2, run 5: x (b)", decisions: 44 }] };
 * const j = jsonSummary(s, new Map([["x", held]]));
 * console.assert(j.findings[0].description === "found by fuzz campaign 1, run 41: x (a)");
 * console.assert(j.findings[0].heldCase?.thisCampaigns === false);
 * ```
 */
export function jsonSummary<
  F extends {
    readonly signature: string;
    readonly file: string;
    readonly description: string;
    readonly decisions: number;
    readonly shrunkFailure?: string;
  },
  S extends { readonly findings: readonly F[] },
>(
  summary: S,
  kept: ReadonlyMap<string, HeldCase>,
): Omit<S, "findings"> & { findings: (F & { heldCase?: HeldCaseJson })[] } {
  return {
    ...summary,
    findings: summary.findings.map((f) => {
      const held = f.file !== "(not written)" ? kept.get(f.signature) : undefined;
      if (held === undefined) return f;
      const { shrunkFailure: _own, ...rest } = f;
      return {
        ...rest,
        description: `${held.foundBy}: ${held.failure}`,
        decisions: held.decisions,
        shrunkFailure: held.failure,
        heldCase: {
          thisCampaigns: false as const,
          foundBy: held.foundBy,
          cut: held.cut,
          ownDescription: f.description,
          ownDecisions: f.decisions,
          ...(f.shrunkFailure !== undefined ? { ownShrunkFailure: f.shrunkFailure } : {}),
        },
      } as F & { heldCase: HeldCaseJson };
    }),
  };
}

/** Slow runs listed one by one in a summary; the rest are counted. */
const SLOW_RUNS_LISTED = 10;

/**
 * The summary's slow runs: runs the wall-clock run limit stopped that were no hang (run again
 * in a worker of their own with the confirmation limit, they finished) or were not confirmed; none is a finding.
 */
export function slowRunLines(s: CampaignSummary): string[] {
  if (s.slowRuns.length === 0) return [];
  const lines = [
    `slow runs ${s.slowRuns.length} (stopped at the run limit, run again in a worker of its own with the ` +
    `${s.confirmTimeout}s confirmation limit: not findings unless stopped again):`,
  ];
  for (const r of s.slowRuns.slice(0, SLOW_RUNS_LISTED)) {
    const how = r.seconds !== null
      ? `finished in ${r.seconds.toFixed(1)}s when run again: ${
        r.outcome === "pass" ? "passed" : `failed, ${r.outcome}`
      }`
      : `not confirmed (${r.note ?? "not run again"})`;
    lines.push(
      `  run ${r.k}: stopped after ${r.stoppedAfter.toFixed(1)}s; ${how}` +
        (r.replay !== null ? `; replay: ${r.replay}` : ""),
    );
  }
  if (s.slowRuns.length > SLOW_RUNS_LISTED) {
    lines.push(`  ... ${s.slowRuns.length - SLOW_RUNS_LISTED} more (--json lists every one)`);
  }
  return lines;
}

/**
 * The summary's note on the modules `--lint-warn` let run: what the lint found, and that a replay
 * line may not replay its run where a finding can cause that (a dropped generator call cannot).
 *
 * @example
 * ```ts
 * import { lintNote } from "./fuzz.ts";
 * const note = lintNote({ modules: "svc.ts", summary: "1 host timer", breaksReplay: true });
 * console.assert(note.endsWith("a replay line below may not replay its run"));
 * ```
 */
export function lintNote(
  lint: { readonly modules: string; readonly summary: string; readonly breaksReplay: boolean },
): string {
  return `note: --lint-warn ran ${lint.modules} with ${lint.summary} (determinism lint, listed ` +
    `at the start)${lint.breaksReplay ? ": a replay line below may not replay its run" : ""}`;
}

/**
 * The summary's word on the findings an interrupt (or the budget's end) left unshrunk or cut
 * short: which case files they are and how they get shrunk later. No command shrinks a case
 * file by itself; such a case is not counted as known, so the next campaign that meets its
 * signature (this one again: the same seed reaches the same run) shrinks it and replaces the file.
 *
 * @example
 * ```ts
 * import { unfinishedLines } from "./fuzz.ts";
 * const f = { file: "c/x.json", shrunk: false, shrinkCut: false, k: 6 };
 * const lines = unfinishedLines({ interrupted: true, seed: 1, findings: [f] });
 * console.assert(lines[0].startsWith("not shrunk to the end (the interrupt came first): run 6: c/x.json;"));
 * console.assert(lines[0].endsWith("this one again (--seed 1 and the same flags) meets run 6 again"));
 * console.assert(unfinishedLines({ interrupted: true, seed: 1, findings: [] }).length === 0);
 * ```
 */
export function unfinishedLines(
  s: {
    readonly interrupted: boolean;
    readonly seed: number;
    readonly findings: readonly {
      readonly file: string;
      readonly shrunk: boolean;
      readonly shrinkCut: boolean;
      readonly k: number;
      readonly notShrunk?: string;
    }[];
  },
): string[] {
  // A finding never to be shrunk (a hang, nondeterminism) says why on its own line.
  const left = s.findings.filter((f) =>
    f.file !== "(not written)" && (f.shrinkCut || (!f.shrunk && f.notShrunk === undefined))
  );
  if (left.length === 0) return [];
  const one = left.length === 1;
  return [
    `not shrunk to the end${s.interrupted ? " (the interrupt came first)" : ""}: ${
      left.map((f) => `run ${f.k}: ${f.file}`).join(", ")
    }; ${one ? "it replays" : "each replays"} as written. No command shrinks a case file ` +
    `alone; ${one ? "it is" : "they are"} not counted as known, so the next campaign that ` +
    `meets ${one ? "its signature shrinks it and replaces the file" : "theirs shrinks them"}: ` +
    `this one again (--seed ${s.seed} and the same flags) meets run ${left[0].k} again`,
  ];
}

/** The summary as plain text lines. */
export function summaryText(
  s: CampaignSummary,
  extra: {
    mutant?: string | null;
    /** The corpus case file of each signature known before the campaign. */
    knownFiles?: ReadonlyMap<string, string>;
    /**
     * The determinism lint's findings on the modules that `--lint-warn` let run: every
     * replay line is then said to be one that may not replay (when a finding can break a
     * replay; a dropped generator call cannot).
     */
    lintWarnings?: {
      readonly modules: string;
      readonly summary: string;
      readonly breaksReplay: boolean;
    } | null;
    /**
     * The summary goes to a terminal: a finding's description longer than 240 characters is cut
     * at a word boundary ({@linkcode clipDetail}) and says where the whole text is (its case
     * file). Off a terminal (a saved summary, read later) nothing is cut (userS29b).
     */
    terminal?: boolean;
    /**
     * Per signature, the case its file holds where the campaign's own case was not written there
     * (the file held one of the finding no larger): the summary describes that case, not the
     * campaign's (userS32a: `shrunk to size 56 ... (44 decisions): FILE` and `the shrunk case
     * fails: ...` of a file holding another campaign's 10-decision case, another message).
     */
    kept?: ReadonlyMap<string, HeldCase>;
  } = {},
): string {
  const shown = (text: string, where: string) =>
    extra.terminal !== true || text.length <= 240
      ? text
      : `${clipDetail(text)} [cut to fit: ${where}]`;
  // Where run k's own failure is whole: the case file holds it only while the case is unshrunk
  // (userS29c: the pointer named a file holding the shrunk run's failure, another text).
  const runWhole = (f: CampaignSummary["findings"][number]) =>
    f.shrunkFailure === undefined
      ? `the whole text is the description in ${f.file}`
      : f.runReplay !== undefined
      ? `${f.runReplay} prints it whole`
      : "the whole text is findings[].description of --json";
  const lines = [
    `${s.kind === "programs" ? "program " : ""}campaign seed ${s.seed}, shard ${s.shard}, ` +
    `${s.workers} workers${extra.mutant ? `, mutant ${extra.mutant}` : ""}${
      s.interrupted ? " (interrupted)" : ""
    }`,
    `runs ${s.runs} in ${s.seconds.toFixed(1)}s (${s.runsPerSecond.toFixed(0)} runs/s; ` +
    `${s.steadyRunsPerSecond.toFixed(0)} once every worker ran), ${s.steps} steps`,
    `failing runs ${s.failingRuns}${
      s.stopped > 0
        ? ` (${s.stopped} stopped by the watchdog, ${
          s.stoppedSeconds.toFixed(1)
        }s of workers' time)`
        : ""
    }, new distinct failures ${s.findings.length}`,
    `memory (rss) ${s.rssMiB.first.toFixed(0)} MiB at start, ${s.rssMiB.max.toFixed(0)} max, ` +
    `${s.rssMiB.last.toFixed(0)} at end (${s.rssMiB.samples} samples)`,
    ...slowRunLines(s),
  ];
  // userS27k: with --workers 1 the runs stood still ~2 minutes at "runs 686 of 1000" while a
  // case shrank; the progress line now shows the shrink, and the summary what it cost.
  if (s.shrinking.cases > 0) {
    // Session 33 (userS33a): after SIGINT the line said "replayed and shrunk" of a shrink the
    // interrupt cut short (the finding's own line said "not shrunk to the end").
    const cut = s.findings.filter((f) => f.shrinkCut).length;
    const how = cut === 0
      ? "replayed and shrunk"
      : cut >= s.shrinking.cases
      ? "replayed, shrinking cut short,"
      : `replayed and shrunk (${cut} cut short)`;
    lines.push(
      `shrinking: ${s.shrinking.cases} failing run${s.shrinking.cases === 1 ? "" : "s"} ` +
        `${how} in ${s.shrinking.seconds.toFixed(1)}s` +
        (s.workers === 1
          ? " (with --workers 1 no run went on meanwhile: --max-shrink N caps each shrink)"
          : " (of the workers' time)"),
    );
  }
  const lint = extra.lintWarnings ?? null;
  if (lint !== null && s.occurrences.length > 0) lines.push(lintNote(lint));
  if (s.occurrences.length > 0) {
    lines.push("failing runs by signature:");
    const found = new Set(s.findings.map((f) => f.signature));
    for (const o of s.occurrences) {
      lines.push(`  ${String(o.runs).padStart(7)}  ${o.signature}`);
      // Known signatures too: every failure seen can be replayed (its new findings' case
      // files are below).
      if (o.notReplayable !== undefined) {
        lines.push(
          `           first run ${o.run}; no replay line: ${o.notReplayable} (the errors below)`,
        );
      } else if (!found.has(o.signature) && o.replay !== null) {
        lines.push(
          `           first run ${o.run}, replay: ${o.replay}` +
            (lint !== null ? " (may not replay: --lint-warn)" : ""),
        );
      }
      // A known failure's case is already in the corpus: its shrunk replay.
      const file = found.has(o.signature) ? undefined : extra.knownFiles?.get(o.signature);
      if (file !== undefined) lines.push(`           known case: deno task repro ${file}`);
    }
  }
  for (const f of s.findings) {
    // The file holds another case of the finding (this campaign's was not written there).
    const held = f.file !== "(not written)" ? extra.kept?.get(f.signature) : undefined;
    lines.push(`  ${f.signature}`);
    lines.push(`    ${shown(f.description, runWhole(f))}`);
    lines.push(
      `    run ${f.k}, ${f.occurrences} failing runs; ` +
        (f.shrunk
          ? `shrunk to size ${f.size.to} (from ${f.size.from}; ${f.decisions} decisions from ` +
            `${f.shrunkFrom}${
              f.shrinkCut
                ? `; cut short by the campaign's ${s.interrupted ? "interrupt" : "end"}, ` +
                  "which kept the smallest case the shrink had met: the next campaign that " +
                  "meets it shrinks it further"
                : ""
            })`
          : `size ${f.size.to} (not shrunk${
            f.notShrunk !== undefined ? `: ${f.notShrunk}` : ""
          })`) +
        (held === undefined
          ? `: ${f.file}`
          : `, not written: ${f.file} holds a case of it no larger, which was kept (` +
            `${held.decisions} decisions, ${held.foundBy}${heldShrinkWords(held)})`),
    );
    if (f.unconfirmed) {
      lines.push(
        `    unconfirmed: the campaign's budget ended during its ${s.confirmTimeout}s confirmation ` +
          "run; the case is not counted as known, so the next campaign that meets it confirms it " +
          "(and its replay confirms it too)",
      );
    }
    // The line above gives run K's own failure; the shrunk case fails on its own VMOs and pages.
    if (held !== undefined) {
      lines.push(
        `    the kept case fails: ${
          shown(held.failure, `the whole text is the description in ${f.file}`)
        }`,
      );
    } else if (f.shrunkFailure !== undefined) {
      lines.push(
        `    the shrunk case fails: ${
          shown(f.shrunkFailure, `the whole text is the description in ${f.file}`)
        }`,
      );
    }
    if (f.replay !== null) lines.push(`    replay: ${f.replay}`);
  }
  lines.push(...unfinishedLines(s));
  if (s.afterHang.length > 0) {
    lines.push(
      `  runs stopped at the run limit after the hang was found, not run again (most likely the ` +
        `same hang; neither findings nor slow runs): ${s.afterHang.length} (${
          s.afterHang.slice(0, SLOW_RUNS_LISTED).map((k) => `run ${k}`).join(", ")
        }${s.afterHang.length > SLOW_RUNS_LISTED ? ", ..." : ""})`,
    );
  }
  if (s.spinningCap) {
    lines.push(
      `  ended before its budget: ${s.spinning} stopped thread${s.spinning === 1 ? "" : "s"} ` +
        `may still be spinning in code that never yields, more than --workers ${s.workers}. ` +
        "Deno cannot stop a thread that never yields (it runs on until this process ends), so " +
        "the campaign starts no worker past that: they would share the cores with the spinning " +
        "ones. The hang is written above; fix it (replay the case) and run the campaign again.",
    );
  }
  if (s.kind === "scenarios" && s.spinningCap) {
    // userS26s: after the hang above ended the campaign at run 4, every interleaving count and
    // delivery read 0 and 18 counters were "never reached": the service was never exercised.
    lines.push(
      `coverage: not shown: the hang above ended the campaign after ${s.runs} run${
        s.runs === 1 ? "" : "s"
      } (${s.steps} steps), so its interleaving counts, never-reached list and deliveries ` +
        "would describe those runs alone (partial)",
    );
    if (s.contract !== null) lines.push(`contract: ${s.contract.text}`);
  } else if (s.kind === "scenarios") {
    lines.push("sometimes (runs that reached each interleaving):");
    for (const k of Object.keys(SOMETIMES)) {
      lines.push(`  ${String(s.sometimes[k] ?? 0).padStart(7)}  ${k}`);
    }
    if (s.neverReached.length > 0 && s.interrupted) {
      lines.push(interruptedNeverReached(s, Object.keys(SOMETIMES).length, "interleavings"));
    } else if (s.neverReached.length > 0) {
      lines.push(`never reached: ${s.neverReached.join(", ")}`);
      // A README-only user read a 0 as a problem with a service that never fails a range.
      lines.push(...neverReachedLines(s.neverReached));
    }
    if (s.excludedByContract.length > 0) {
      lines.push(`ruled out by the contract: ${s.excludedByContract.join(", ")}`);
    }
    lines.push(
      `delivered to the services: ${
        DELIVERY_KINDS.map((k) => `${k} ${s.delivered[k] ?? 0}`).join(", ")
      }`,
    );
    if (s.contract !== null) {
      const o = s.contract.outOfContract;
      lines.push(`contract: ${s.contract.text}`);
      lines.push(
        `out-of-contract inputs delivered: ${o.total}${
          Object.keys(o.byKind).length > 0
            ? ` (${Object.entries(o.byKind).map(([k, n]) => `${k} ${n}`).join(", ")})`
            : ""
        }`,
      );
    } else if (s.service !== null) {
      // Only a --service declares a contract or none (session 29: a campaign of a --kernel
      // variant alone was told "the service declares none").
      lines.push("contract: none (the service declares none: every input the generators draw)");
    }
  } else {
    lines.push("sometimes (runs that reached each program event):");
    for (const k of Object.keys(PROGRAM_SOMETIMES)) {
      lines.push(`  ${String(s.sometimes[k] ?? 0).padStart(7)}  ${k}`);
    }
    if (s.neverReached.length > 0) {
      lines.push(
        s.interrupted
          ? interruptedNeverReached(s, Object.keys(PROGRAM_SOMETIMES).length, "program events")
          : `never reached: ${s.neverReached.join(", ")}`,
      );
    }
    lines.push(`distinct kernel-state signatures ${s.signatures}`);
    lines.push(
      `signatures over time: ${
        s.timeline.map((p) => `${p.seconds}s ${p.signatures} (${p.runs} runs)`).join(", ")
      }`,
    );
  }
  if (s.variantCalls !== null) {
    lines.push(...variantCallLines(s.variantCalls, s.runs, s.kind, s.workersStopped));
  }
  for (const n of s.notes ?? []) lines.push(`note: ${n}`);
  for (const e of s.errors) lines.push(`error: ${e}`);
  return lines.join("\n");
}

/** Never-reached items an interrupted campaign's summary names; the rest are counted. */
const NEVER_REACHED_LISTED = 3;

/**
 * The never-reached line of an interrupted campaign: how many of the `of` counters (`what`) no run
 * reached, the first few, and where the whole list is (session 29: a Ctrl-C after a few runs
 * printed every counter, each with what it needs, as if the campaign had run its budget).
 *
 * @example
 * ```ts
 * import { interruptedNeverReached } from "./fuzz.ts";
 * const line = interruptedNeverReached({ neverReached: ["a", "b", "c", "d"], runs: 2 }, 8, "interleavings");
 * console.assert(line.startsWith("never reached: 4 of 8 interleavings in the 2 runs before the interrupt (a, b, c, ...;"));
 * ```
 */
export function interruptedNeverReached(
  s: Pick<CampaignSummary, "neverReached" | "runs">,
  of: number,
  what: string,
): string {
  const n = s.neverReached.length;
  const first = s.neverReached.slice(0, NEVER_REACHED_LISTED).join(", ") +
    (n > NEVER_REACHED_LISTED ? ", ..." : "");
  return `never reached: ${n} of ${of} ${what} in the ${s.runs} run${
    s.runs === 1 ? "" : "s"
  } before the interrupt (${first}; the whole list: --json's neverReached, and what each ` +
    "needs: fuzz/sometimes.ts)";
}

/** Flags that belong to one mode only. */
const ONLY: Record<string, InputKind> = {
  service: "scenarios",
  zoo: "scenarios",
  checkers: "scenarios",
  mutant: "programs",
  checks: "programs",
  unguided: "programs",
};

async function main(): Promise<number> {
  const { values } = parseFlags(Deno.args, FLAGS);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  // The coverage rerun's child answers a signal itself; here, earlyInterrupt takes over.
  releaseStartupSignals();
  const covered = rerunWithCoverage(values, import.meta.url, ["--v8-flags=--single-threaded-gc"]);
  if (covered !== null) return await covered;
  // Ctrl-C before the campaign starts (reading the corpus, checking the service): nothing has
  // run and nothing is lost, and the user is told so (the campaign installs its own listener).
  const early = earlyInterrupt("fuzz");
  try {
    return await campaign(values, early);
  } finally {
    early.remove();
  }
}

/**
 * The one line of a campaign interrupted before any run finished, or null: a user's Ctrl-C at
 * 0.7 s printed a 45-line summary of `runs 0`.
 */
export function interruptedBeforeAnyRun(
  s: Pick<CampaignSummary, "interrupted" | "runs" | "failingRuns">,
  corpus: string,
): string | null {
  if (!s.interrupted || s.runs > 0 || s.failingRuns > 0) return null;
  return `fuzz: interrupted before any run finished: nothing was found, nothing was written ` +
    `(the corpus is ${corpus})`;
}

/** Validates the flags, starts the campaign and prints its summary. */
async function campaign(
  values: Record<string, string | boolean | undefined>,
  early: { remove(): void },
): Promise<number> {
  const mode = (values.mode ?? "scenarios") as string;
  if (mode !== "scenarios" && mode !== "programs") {
    throw choiceError("mode", mode, ["scenarios", "programs"]);
  }
  const kind = mode as InputKind;
  for (const [flag, only] of Object.entries(ONLY)) {
    if (values[flag] !== undefined && only !== kind) {
      throw new UsageError(`--${flag} is for --mode ${only}, not --mode ${kind}`);
    }
  }
  const { seconds, runs, workers, seed, maxShrink } = campaignBudget(values);
  if (values.checkers !== undefined && values.checks !== undefined) {
    throw new UsageError("give --checkers (scenarios) or --checks (programs), not both");
  }
  const { runTimeout, memoryMb, confirmTimeout } = campaignLimits(values);
  const shard = values.shard !== undefined
    ? parseShard(values.shard as string)
    : { index: 0, count: 1 };
  const servicePath = (values.service as string | undefined) ?? null;
  const kernelPath = (values.kernel as string | undefined) ?? null;
  const zoo = (values.zoo as string | undefined) ?? null;
  const mutant = (values.mutant as string | undefined) ?? null;
  if (zoo !== null && !ZOO_IDS.includes(zoo)) {
    throw new UsageError(`--zoo must be one of ${ZOO_IDS.join(", ")}; got "${zoo}"`);
  }
  if (zoo !== null && servicePath !== null) {
    throw new UsageError("--zoo and --service exclude each other");
  }
  if (kernelPath !== null && (zoo !== null || mutant !== null)) {
    throw new UsageError(`--kernel excludes --${zoo !== null ? "zoo" : "mutant"}`);
  }
  if (mutant !== null && !(mutant in MUTANTS)) {
    throw new UsageError(
      `--mutant must be one of ${Object.keys(MUTANTS).join(", ")}, got "${mutant}"`,
    );
  }
  // Findings against a kernel variant are not regressions of this kernel: never corpus/ by default.
  if ((kernelPath !== null || mutant !== null) && values.corpus === undefined) {
    throw new UsageError(variantCorpusRefusal(kernelPath !== null ? "kernel" : "mutant"));
  }
  const corpus = (values.corpus as string | undefined) ?? "corpus";
  const sets: readonly string[] = kind === "scenarios" ? SCENARIO_CHECKERS : PROGRAM_CHECKERS;
  const checkers = (values.checkers ?? values.checks ??
    (zoo !== null
      ? bug(zoo).checkers
      : servicePath !== null
      ? "kernel+service"
      : "kernel")) as string;
  if (!sets.includes(checkers)) {
    throw choiceError(kind === "scenarios" ? "checkers" : "checks", checkers, sets);
  }
  const dir = kind === "programs" ? `${corpus}/programs` : corpus;
  // Where findings go is settled before any run (a missing corpus is created): a corpus that
  // cannot be written is said now, not after the campaign it would have cost. A path that is a
  // file is a mistake: refused. A folder this process may not write in (read-only, say): its
  // findings go to a temporary folder, created now; with none either, a scenario finding is
  // printed with its --campaign/--run replay, and a program campaign, whose runs replay only from
  // their case files, does not start.
  const problem = await corpusWriteProblem(dir);
  let corpusNote: string | null = null;
  if (problem !== null) {
    if (problem.notAFolder) throw new InputError(`--corpus ${corpus}: ${problem.message}`);
    const to = await fallback().then((d) => ({ dir: d }), (e: Error) => ({ error: e.message }));
    if ("dir" in to) {
      corpusRefused = true; // said once, here: every finding goes straight there
      corpusNote = `warning: --corpus ${corpus}: ${problem.message}: this campaign's findings ` +
        `go to ${to.dir} instead (each finding's replay line names its file there)`;
    } else if (kind === "programs") {
      throw new InputError(
        `--corpus ${corpus}: ${problem.message}, nor can a temporary folder be made ` +
          `(${to.error}): a program run replays only from its case file, so no campaign runs`,
      );
    } else {
      corpusNote = `warning: --corpus ${corpus}: ${problem.message}, nor can a temporary ` +
        `folder be made (${to.error}): no finding can be written; each is printed with its ` +
        "deno task repro --campaign S --run K line, which needs no file";
    }
  }
  // Fail fast, in one line, before workers start; cases name each module relative to the corpus,
  // with its content hash.
  const modules: { service?: ModuleRef; kernel?: ModuleRef } = {};
  let lintWarnings: LintWarnings | null = null;
  try {
    // Outside the project tree: refused before the module is read, linted or run (as sim does).
    if (servicePath !== null) await insideProject(servicePath, "--service");
    if (kernelPath !== null) await insideProject(kernelPath, "--kernel");
    // Both user modules, in one lint: a kernel variant's module state outlives a run in a
    // worker as a service's does.
    lintWarnings = await lintModules(values, lintMode(values));
    if (servicePath !== null) {
      await loadServiceModule(servicePath);
      modules.service = await moduleRef(servicePath, dir);
    }
    if (kernelPath !== null) {
      await loadKernelModule(kernelPath);
      modules.kernel = await moduleRef(kernelPath, dir);
    }
  } catch (e) {
    if (e instanceof CaseFileError) throw new InputError(e.message);
    throw e;
  }
  // Known-ness is per context: a signature another service (another module path, even with the
  // same bytes), the plain kernel, another bug or checker set already has in the corpus says
  // nothing about this one.
  const skipped: CaseError[] = [];
  const knownFiles = await knownCases(dir, { bug: zoo ?? mutant, ...modules, checkers }, skipped);
  const known = [...knownFiles.keys()].sort();
  const tty = Deno.stdout.isTerminal() && !values.json;
  const encoder = new TextEncoder();
  if (!values.json) {
    console.log(
      `fuzz${
        kind === "programs" ? " --mode programs" : ""
      }: seed ${seed}, shard ${shard.index}/${shard.count}, ` +
        `${workers} workers, budget ${seconds !== null ? `${seconds}s` : ""}${
          seconds !== null && runs !== null ? " or " : ""
        }${runs !== null ? `${runs} runs` : ""}, run limit ${runTimeout}s (confirmed at ` +
        `${confirmTimeout}s) / ${memoryMb} MiB` +
        `${servicePath ? `, service ${servicePath}` : ""}${
          kernelPath ? `, kernel ${kernelPath}` : ""
        }` +
        `${mutant ? `, mutant ${mutant}` : ""}, corpus ${dir} (${known.length} known for ` +
        `this context)`,
    );
  }
  if (corpusNote !== null) console.error(corpusNote);
  // A hand-edited or damaged file is no known finding: say so, not only `corpus list`; nor is a
  // case that parses but cannot be replayed (its module is missing), which `corpus list` calls
  // invalid too (trial35).
  const states = await caseFileStates(await corpusCaseFiles(dir));
  const bad = [...new Set(skipped.map((e) => e.file))];
  const count = bad.length + states.unreplayable.length;
  if (count > 0) {
    console.error(
      `warning: ${count} file(s) of ${dir} are not valid cases and count as no known ` +
        `finding (deno task corpus list ${dir} says what is wrong):\n` +
        [...skipped.map(skippedLine), ...states.unreplayable.map((l) => `  ${l}`)].join("\n"),
    );
  }
  // A case written against code that has changed since is no known finding (its context is
  // the code's content hash), and repro refuses it as it stands: say so before the run
  // (userS30b: the header said "(1 known for this context)" of a corpus `corpus list` called
  // "1 valid, 1 stale", and the stale case's signature was new to the campaign).
  const stale = states.stale;
  if (stale.length > 0) {
    console.error(
      `note: ${stale.length} case(s) of ${dir} were written against code that has changed ` +
        `since (${stale.slice(0, 3).join(", ")}${
          stale.length > 3 ? ` and ${stale.length - 3} more` : ""
        }): they count as no known finding, so a campaign of the changed code writes its own ` +
        `case for their signatures; \`deno task repro FILE\` refuses them as they ` +
        `stand (--current-code replays one against the code as it is now, \`deno task corpus ` +
        `accept FILE\` re-records it; \`deno task corpus list ${dir}\` says what changed)`,
    );
  }
  const bugId = zoo ?? mutant;
  // Each new failure is said the moment it is first written (stderr under --json, whose stdout
  // is the summary alone), above the progress line a terminal redraws.
  const announced = new Set<string>();
  const kept = new Map<string, HeldCase>();
  let ownHint = kind === "scenarios" ? ownCorpusHint(dir, servicePath) : null;
  const announce = (text: string) => {
    if (values.json) console.error(text);
    else if (tty) Deno.stdout.writeSync(encoder.encode(`\r\x1b[2K${text}\n`));
    else console.log(text);
  };
  const summary = await runCampaign({
    kind,
    seed,
    shard,
    workers,
    seconds,
    runs,
    servicePath,
    kernelPath,
    known,
    maxShrink,
    checkers,
    bug: bugId,
    modules,
    guided: !values.unguided,
    runTimeout,
    memoryMb,
    confirmTimeout,
    persist: async (f) => {
      const first = f.stage !== "shrunk" && !announced.has(f.signature);
      announced.add(f.signature);
      try {
        const { file, written, held } = await writeFinding(dir, f, kept);
        if (first) announce(foundLine(f, { file, held }));
        else if (!written && f.stage === "shrunk") announce(keptLine(f, file, held));
        // Once, at the first case of a user's service in pagersim's own corpus/ (trial37).
        if (written && !corpusRefused && ownHint !== null) {
          announce(ownHint);
          ownHint = null;
        }
        return file;
      } catch (e) {
        if (first) {
          const error = (e as Error).message;
          announce(foundLine(f, {
            error,
            replay: kind === "scenarios"
              ? campaignReplayCommand({
                seed,
                run: f.k,
                service: servicePath,
                kernel: kernelPath,
                bug: bugId,
                checkers,
              })
              : `save this case as a .json file and run deno task repro FILE: ${
                JSON.stringify(f.case)
              }`,
          }));
        }
        throw e;
      }
    },
    progressEvery: tty ? 0.5 : 5,
    // Not before: the campaign loads the service module before it handles signals itself.
    listening: () => early.remove(),
    progress: (line, final) => {
      if (values.json) return;
      // The redrawn line fits the terminal; the last one stays, whole.
      if (tty) {
        Deno.stdout.writeSync(encoder.encode(final ? `\r\x1b[2K${line}\n` : redrawText(line)));
      } else console.log(line);
    },
  });
  const none = interruptedBeforeAnyRun(summary, dir);
  if (values.json) console.log(JSON.stringify(jsonSummary(summary, kept), null, 2));
  else if (none !== null) console.error(none);
  else {
    console.log(
      summaryText(summary, {
        mutant,
        knownFiles,
        lintWarnings: lintWarnings !== null && lintWarnings.count > 0 ? lintWarnings : null,
        terminal: tty,
        kept,
      }),
    );
  }
  if (summary.failingRuns > 0) return 1;
  // A harness error (a worker that crashed, a case not written) is never a pass.
  if (summary.errors.length > 0) {
    console.error(`fuzz: ${summary.errors.length} harness error(s) above: not a pass`);
    return 2;
  }
  return summary.interrupted ? 130 : 0;
}

/** The case files of corpus `dir` (none if it cannot be read: the campaign said why). */
async function corpusCaseFiles(dir: string): Promise<string[]> {
  try {
    return (await readCorpus(dir)).cases.map((c) => c.file);
  } catch {
    return [];
  }
}

if (import.meta.main) await runCommand(USAGE, main);
