/**
 * What `deno task explore` tells a user of a bound's size before and while it runs (session 29,
 * exp29: a 3-thread pool service's `--preemptions 1` ran 595 s with no estimate). Pure
 * functions of counts the search reports and of a rate the command measures: nothing here is
 * read by the search, so no estimate can change a verdict or the search order.
 *
 * @module
 */

import { boundLabel } from "../explore/explore.ts";

/** A bound the search finished, as the estimate reads it: counts only. */
export interface FinishedBound {
  readonly bound: number;
  readonly executions: number;
}

/**
 * Bound 1's executions over bound 0's, the range used before any growth is seen: measured
 * 1.8-9.5 over the scenarios of `explore/testdata/` and exp29's pool services
 * (`case/testdata/exp29/`), so a margin either side. A rough guide: userS30b's writeback service
 * took 11.6x, userS31a's blob pager 12.7x (4017 executions after 317), userS32a's writeback
 * service 19.1x (12,620 executions after 661, `small.json --preemptions 1`), past its top; the
 * running line says so when a bound outgrows it.
 */
export const FIRST_GROWTH = { low: 1.5, high: 10 } as const;

/** The estimated size of the next bound, in executions. */
export interface BoundEstimate {
  /** The bound estimated. */
  readonly bound: number;
  readonly low: number;
  readonly high: number;
  /** Where the range comes from, in words. */
  readonly basis: string;
}

/**
 * The size of the bound after the last finished one, as a range of executions, or null before
 * any bound finished (bound 0's size is known only once it is searched). From bound 1 on: from
 * its own size (a bound runs again what the one before ran) to its size times the growth the
 * last bound showed over the one before (on every scenario measured, a bound grew by less than
 * the one before it did). Bound 1, with no growth seen yet: {@linkcode FIRST_GROWTH} times
 * bound 0.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { nextBoundEstimate } from "./_explore_estimate.ts";
 * assert.equal(nextBoundEstimate([]), null);
 * const one = nextBoundEstimate([{ bound: 0, executions: 1434 }]);
 * assert.deepEqual([one?.bound, one?.low, one?.high], [1, 2151, 14340]);
 * const two = nextBoundEstimate([{ bound: 0, executions: 828 }, { bound: 1, executions: 7892 }]);
 * assert.deepEqual([two?.bound, two?.low, two?.high], [2, 7892, 75222]);
 * ```
 */
export function nextBoundEstimate(done: readonly FinishedBound[]): BoundEstimate | null {
  const last = done.at(-1);
  if (last === undefined) return null;
  const next = last.bound + 1;
  const prev = done.at(-2);
  if (prev === undefined || prev.executions <= 0) {
    return {
      bound: next,
      low: Math.round(last.executions * FIRST_GROWTH.low),
      high: Math.round(last.executions * FIRST_GROWTH.high),
      basis: `bound 0's times ${FIRST_GROWTH.low}-${FIRST_GROWTH.high}, a rough guide: bound 1 ` +
        `took 1.8-19.1x bound 0's executions on the scenarios measured, README "Exploring a pool ` +
        `service"`,
    };
  }
  const growth = Math.max(1, last.executions / prev.executions);
  return {
    bound: next,
    low: last.executions,
    high: Math.round(last.executions * growth),
    basis: `bound ${boundLabel(last.bound)} took ${growth.toFixed(1)}x bound ` +
      `${boundLabel(prev.bound)}'s executions, and a bound has grown less than the one before ` +
      `it on every scenario measured`,
  };
}

/** Seconds (of a bound so far, or estimated) from which a line says how to cut the search. */
export const HINT_SECONDS = 30;

/** How to make a search smaller: said with every estimate a user may find too long. */
export const CUT_HINT = "to cut it: fewer threads (service threads count) or pages in the " +
  "scenario, --max-executions N (stops there: not exhaustive, exit 3), or a lower --preemptions";

/**
 * {@linkcode CUT_HINT} for a search already under `--max-executions` (trial35: the `next:` line of
 * a search run with `--max-executions 3000` advised `--max-executions N`): a lower limit.
 */
export const CUT_HINT_LIMITED = "to cut it: fewer threads (service threads count) or pages in " +
  "the scenario, a lower --max-executions, or a lower --preemptions";

/**
 * A duration for a person: seconds under two minutes, minutes under two hours, else hours.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { duration } from "./_explore_estimate.ts";
 * assert.equal(duration(42.4), "42 s");
 * assert.equal(duration(595), "10 min");
 * assert.equal(duration(4 * 3600), "4.0 h");
 * ```
 */
export function duration(seconds: number): string {
  if (seconds < 120) return `${Math.max(0, seconds).toFixed(0)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(0)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/**
 * The line printed when a bound ends and the next one starts (stdout): the next bound's
 * estimated executions, the time they take at the finished bound's rate, what
 * `--max-executions` leaves of them, and, when the estimate's high end is
 * {@linkcode HINT_SECONDS} or more at that rate, how to cut the search.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { nextBoundLine, nextBoundEstimate } from "./_explore_estimate.ts";
 * const e = nextBoundEstimate([{ bound: 0, executions: 1434 }])!;
 * const line = nextBoundLine(e, 130, undefined);
 * assert.match(line, /^next: bound 1: about 2151-14340 executions, 17 s-110 s at bound 0's 130 executions\/s/);
 * assert.match(line, /to cut it: fewer threads/);
 * assert.doesNotMatch(nextBoundLine(e, 5000, undefined), /to cut it/);
 * assert.match(nextBoundLine(e, 130, 3000), /the --max-executions limit stops it after 3000 more/);
 * assert.doesNotMatch(nextBoundLine(e, 130, 3000), /--max-executions N/);
 * ```
 */
export function nextBoundLine(
  e: BoundEstimate,
  rate: number,
  limitLeft: number | undefined,
): string {
  const time = rate > 0
    ? `, ${duration(e.low / rate)}-${duration(e.high / rate)} at bound ${
      boundLabel(e.bound - 1)
    }'s ${rate.toFixed(0)} executions/s`
    : "";
  const left = limitLeft !== undefined && limitLeft < e.high
    ? `; the --max-executions limit stops it after ${limitLeft} more`
    : "";
  const hint = limitLeft !== undefined ? CUT_HINT_LIMITED : CUT_HINT;
  const cut = !(rate > 0) || e.high / rate >= HINT_SECONDS ? `; ${hint}` : "";
  return `next: bound ${boundLabel(e.bound)}: about ${e.low}-${e.high} executions${time} ` +
    `(${e.basis})${left}${cut}`;
}

/**
 * What a running bound's progress line says of its size: for the first bound that no estimate
 * can be made yet; else the range the bounds before gave and the time left to its ends at the
 * current rate, or, once past its high end, that the estimate was too low.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { runningEstimate } from "./_explore_estimate.ts";
 * const e = { bound: 1, low: 2000, high: 14000, basis: "..." };
 * assert.equal(
 *   runningEstimate(e, 1000, 100),
 *   "about 2000-14000 executions expected in this bound (from the bounds before): 10 s-2 min more at this rate",
 * );
 * assert.match(runningEstimate(e, 15000, 100), /past the 14000 executions estimated/);
 * assert.match(runningEstimate(null, 10, 100), /^no estimate yet/);
 * ```
 */
export function runningEstimate(e: BoundEstimate | null, executions: number, rate: number): string {
  if (e === null) {
    return `no estimate yet: the first bound's size is known only once it is searched (each ` +
      `later bound is estimated from the ones before)`;
  }
  if (executions >= e.high) {
    return `past the ${e.high} executions estimated for this bound (the estimate was too low): ` +
      `no estimate`;
  }
  const range = `about ${e.low}-${e.high} executions expected in this bound (from the bounds ` +
    `before)`;
  if (!(rate > 0)) return range;
  const from = Math.max(0, e.low - executions) / rate;
  const to = (e.high - executions) / rate;
  return `${range}: ${duration(from)}-${duration(to)} more at this rate`;
}

/**
 * The line (stderr, once per bound, beside the progress line rather than in it: a redrawn line
 * must stay short) saying how to cut a bound that has run {@linkcode HINT_SECONDS} or more, or by
 * its estimate has that long left; null while it is not such a bound.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { cutHintLine } from "./_explore_estimate.ts";
 * assert.equal(cutHintLine(0, 10, null, 500, 50), null);
 * assert.match(cutHintLine(0, 31, null, 1500, 50) ?? "", /^hint: bound 0 has run 31 s; to cut it: /);
 * const e = { bound: 1, low: 2000, high: 14000, basis: "..." };
 * assert.match(cutHintLine(1, 5, e, 500, 100) ?? "", /^hint: bound 1 may run 2 min more at this rate/);
 * ```
 */
export function cutHintLine(
  bound: number,
  boundSeconds: number,
  e: BoundEstimate | null,
  executions: number,
  rate: number,
): string | null {
  const left = e !== null && rate > 0 && executions < e.high ? (e.high - executions) / rate : 0;
  if (left >= HINT_SECONDS) {
    return `hint: bound ${boundLabel(bound)} may run ${duration(left)} more at this rate (the ` +
      `high end of its estimate); ${CUT_HINT}`;
  }
  if (boundSeconds >= HINT_SECONDS) {
    return `hint: bound ${boundLabel(bound)} has run ${duration(boundSeconds)}; ${CUT_HINT}`;
  }
  return null;
}
