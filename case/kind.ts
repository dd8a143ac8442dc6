/**
 * The one seam between a kind of input and the case machinery: a scenario
 * (`scenario/`) and a syscall program (`program/`) are both a {@linkcode CaseKind}.
 * Reading, writing, replaying, shrinking and investigating a case are written
 * once against this interface, in the spirit of the strategy seam
 * (`sim/strategy.ts`).
 *
 * @module
 */

import type { ReplayPick, SchedulePick } from "../sim/strategy.ts";
import type { Kernel, KernelOptions } from "../kernel/kernel.ts";
import type { PagerService } from "../services/service.ts";
import type { Monitor, RunResult, Verdict } from "../sim/world.ts";

/** A kind of input's name. */
export type KindName = "scenario" | "program";
/** The names of the kinds of input. */
export const KIND_NAMES: readonly ["scenario", "program"] = ["scenario", "program"];

/** How a case's runs are made: checkers, named services, kernel variant. */
export interface RunContext {
  /** Fresh checkers for one run (they keep state). */
  readonly monitors: () => readonly Monitor[];
  /** Services for `custom` service kinds, by name. */
  readonly services?: Readonly<Record<string, PagerService>>;
  /** Builds the kernel (a kernel variant). Default: the model as specified. */
  readonly makeKernel?: (options: KernelOptions) => Kernel;
  /**
   * Told which thread's code is about to run, at which step (sim/world.ts `watch`): the guard of
   * `sim` and `repro` names a thread that never yields with it. Only watches.
   */
  readonly watch?: (step: number, tid: number, entry: number) => void;
  /** Stop just before this thread runs at this step (sim/world.ts `stopBefore`; scenario runs). */
  readonly stopBefore?: { readonly step: number; readonly tid: number };
}

/** One run of an input. */
export interface KindRunOptions {
  /** Seeds the strategy and the replay fallback. */
  readonly seed: number;
  /** A decision list to replay; absent: the strategy draws. */
  readonly decisions?: readonly number[];
  /**
   * Scenario runs replaying `decisions`: each choice the replay answers is appended here
   * (`sim/strategy.ts` `replayStrategy`'s `picks`), for `cli/_decisions.ts` to judge the list.
   */
  readonly replayPicks?: ReplayPick[];
  /** Strategy when not replaying. Default random. */
  readonly strategy?: { readonly kind: "random" } | {
    readonly kind: "pct";
    readonly depth: number;
  };
  /** Keep trace entries (signatures, printing, divergence). Default true. */
  readonly keepTrace?: boolean;
  /**
   * Follow this schedule (recorded on another input) instead of replaying
   * `decisions`: `sim/strategy.ts` `followStrategy`, how shrinking keeps an
   * interleaving across a cut of the input.
   */
  readonly follow?: readonly SchedulePick[];
  /** Appends the run's picks, by what they chose, before any fair phase (`recordingStrategy`). */
  readonly schedule?: SchedulePick[];
}

/** A settled run of an input: its verdict already judged by the checkers. */
export type KindRun = RunResult & {
  /** The run's own verdict before the checkers settled it (a thread's exception stays one). */
  readonly raw?: Verdict;
};

/** What a kind's schema does: parse (throwing) or check an input document. */
export interface InputSchema<I> {
  /** The validated input, defaults filled in; throws on a bad document. */
  parse(doc: unknown): I;
  /** The validated input, or the issues, each with the path of its field. */
  safeParse(doc: unknown):
    | { readonly success: true; readonly data: I }
    | {
      readonly success: false;
      readonly error: {
        readonly issues: readonly {
          readonly path: readonly PropertyKey[];
          readonly message: string;
        }[];
      };
    };
}

/** A kind of input: how to validate, run, cut, measure and name it. */
export interface CaseKind<I> {
  /** The kind's name, as a case's `kind` field. */
  readonly name: KindName;
  /** The input's own format tag (`pagersim/scenario@1`, `pagersim/program@1`). */
  readonly format: string;
  /** Validates an input document (a zod schema fits). */
  readonly schema: InputSchema<I>;
  /** The checker sets a case of this kind can name, the first the default. */
  readonly checkerSets: readonly string[];
  /** Fresh checkers of a set (one of `checkerSets`). */
  checkers(set: string): () => readonly Monitor[];
  /** Runs the input once and settles its verdict with the context's checkers. */
  run(input: I, options: KindRunOptions, ctx: RunContext): KindRun;
  /** Candidates one cut smaller, biggest cuts first; each is valid. */
  cuts(input: I): Iterable<I>;
  /**
   * Whether the context's code can be given `input` at all (a scenario inside
   * the contracts of the services that run it); shrinking skips a cut it
   * refuses. Absent: every valid input.
   */
  admits?(input: I, ctx: RunContext): boolean;
  /**
   * The schedule a cut input follows (`KindRunOptions.follow`), from the one recorded on the input
   * before the cut: picks of threads the cut renamed or merged go to the threads that now do their
   * work (a scenario's pager cut from 4 service threads to 1: every `fs.svcK` pick goes to
   * `fs.svc`). Absent: the schedule as recorded.
   */
  followAfterCut?(schedule: readonly SchedulePick[], from: I, to: I): readonly SchedulePick[];
  /** How big an input is (what shrinking reduces, decisions not counted). */
  size(input: I): number;
  /** The step limit a run of the input has (a case records it in its `limits`). */
  stepLimit(input: I): number;
  /** A short label for people. */
  label(input: I): string;
}
