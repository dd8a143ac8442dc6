/**
 * A decision list given on the command line (`sim --decisions`, `repro --decisions`), judged
 * against the run that replayed it: a list is followed as given or the command says so. An
 * entry out of range for the choice it answers (the replay reads it modulo the number of
 * candidates, so `9` at a choice of 5 runs candidate 4), an entry the run never read, or one
 * its fair liveness phase picked otherwise, is an error (exit 2, before any trace): the run
 * would not be the schedule the list names. A list that runs out is not: past its end the seed
 * picks (documented: a shrunk case's list, a property's drawn list), and a note says how many.
 *
 * @module
 */

import type { ReplayPick } from "../sim/strategy.ts";
import { InputError } from "./args.ts";
import { LONG_LIST } from "./_output.ts";

/** What a command prints of a list it followed: nothing, or one `note:` line. */
export type ListVerdict = { readonly note: string | null };

/**
 * Judges `list` against the run that replayed it: `picks`, the choices its replay answered
 * (`replayStrategy`'s `picks`: the list's entries first, then the seed's), and `decisions`,
 * every pick the run made (its fair liveness phase's too). Throws {@linkcode InputError}
 * naming the first entry the run did not follow; otherwise the note for a list that ran out.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { judgeDecisionList } from "./_decisions.ts";
 * const picks = [{ n: 5, step: 0, kind: "thread" as const }, { n: 2, step: 1, kind: "thread" as const }];
 * assert.throws(
 *   () => judgeDecisionList([9, 1], picks, [4, 1], 0),
 *   /entry 0 is 9, but the choice it answers \(step 0: which thread runs\) has 5 candidates/,
 * );
 * assert.equal(judgeDecisionList([4, 1], picks, [4, 1], 0).note, null);
 * assert.match(judgeDecisionList([4], picks, [4, 1], 3).note ?? "", /other 1 pick came from seed 3/);
 * assert.match(
 *   judgeDecisionList([4], picks, [4, 1, 0, 1], 3).note ?? "",
 *   /other 3 picks came past the list's end: 1 from seed 3, then 2 from its fair liveness phase/,
 * );
 * ```
 */
export function judgeDecisionList(
  list: readonly number[],
  picks: readonly ReplayPick[],
  decisions: readonly number[],
  seed: number,
): ListVerdict {
  const read = Math.min(list.length, picks.length);
  const keep = (i: number) =>
    i === 0
      ? `--decisions "" lets seed ${seed} pick them all`
      : `--decisions ${list.slice(0, i).join(",")} replays the entries before it and lets seed ` +
        `${seed} pick the rest`;
  const fits =
    "A list replays as given on the scenario, service and seed of the run that printed it";
  for (let i = 0; i < read; i++) {
    const { n, step, kind } = picks[i];
    if (list[i] < n) continue;
    const what = kind === "thread" ? "which thread runs" : "a service's random draw";
    throw new InputError(
      `--decisions: entry ${i} is ${list[i]}, but the choice it answers (step ${step}: ${what}) ` +
        `has ${n} candidates (0..${n - 1}): the run would depart from the list there ` +
        `(${list[i]} mod ${n} = ${list[i] % n}). ${fits}; ${keep(i)}`,
    );
  }
  for (let i = read; i < list.length; i++) {
    if (i >= decisions.length) {
      throw new InputError(
        `--decisions: the list has ${list.length} entries, but the run made ${decisions.length} ` +
          `choices: entries ${i}..${list.length - 1} were never used. ${fits}; the part it ` +
          `followed: --decisions ${list.slice(0, i).join(",") || '""'}`,
      );
    }
    if (decisions[i] !== list[i]) {
      throw new InputError(
        `--decisions: entry ${i} is ${list[i]}, but the run had turned fair by then (its ` +
          `liveness phase picks round-robin, not from the list) and picked ${decisions[i]}. ` +
          `${fits}; --decisions ${list.slice(0, i).join(",") || '""'} replays the run up to ` +
          `its fair phase (which needs no list)`,
      );
    }
  }
  const seeded = picks.length - list.length;
  if (seeded <= 0) return { note: null };
  // The fair liveness phase's picks follow the seed's: the decision-list line counts them too
  // (userS29a: "the run's other 3 picks came from seed" beside "decision-list (13 entries)").
  const fair = decisions.length - picks.length;
  const count = (n: number) => `${n} ${n === 1 ? "pick" : "picks"}`;
  return {
    note: `note: --decisions gave ${list.length} ${list.length === 1 ? "entry" : "entries"}; ` +
      (fair <= 0
        ? `the run's other ${count(seeded)} came from seed ${seed} (past the list's end), `
        : `the run's other ${count(seeded + fair)} came past the list's end: ${seeded} from ` +
          `seed ${seed}, then ${fair} from its fair liveness phase (round-robin), `) +
      `${
        decisions.length > LONG_LIST
          ? "which the replay line below picks again"
          : "all in the decision-list line below"
      }`,
  };
}
