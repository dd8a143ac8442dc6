/**
 * Inclusive time per function of a V8 CPU profile (`deno run --cpu-prof`): the time of every
 * sample whose stack holds the function (name, file, line), counted once per sample however
 * often the function recurs on it, largest first. `tools/profile_self.ts` gives self time; a
 * checked run's self time is flat (no checker function above ~3%), and what a checker's entry
 * point costs with everything it calls is what a cut must be weighed against:
 *
 *     deno run --allow-read tools/profile_inclusive.ts PROFILE.cpuprofile [TOP] [--under NAME]
 *
 * Prints `incl ms  share%  function  file:line` for the TOP (default 40) functions. With
 * `--under NAME`, the self time of the functions on the stacks under a function named NAME
 * (its own included), largest first: where that function's inclusive time goes (NAME may also
 * be a whole key as printed, `onStepEvent  properties/page_state.ts:256`, for one of several
 * functions of a name). Run the profile
 * with `--v8-flags=--no-turbo-inlining` for a checker's methods to keep frames of their own (with
 * inlining, the journal's dispatch, `#judgeStep`, holds the checkers' inlined `onStepEvent`s).
 * The numbers are sampled: read them as shares, not as exact costs.
 *
 * @module
 */
import {
  frameKey,
  printRows,
  type Profile,
  type ProfileNode,
  readProfile,
} from "./profile_self.ts";

export type { Profile };

const USAGE =
  "usage: deno run --allow-read tools/profile_inclusive.ts PROFILE.cpuprofile [TOP] [--under NAME]";

/**
 * Inclusive milliseconds per function key (`name  file:line`) of `profile`, largest first, and
 * the total sampled milliseconds. With `under`, instead the self milliseconds of the functions
 * of the samples whose stack holds a function named `under`.
 */
export function inclusiveTimes(
  profile: Profile,
  under?: string,
): { rows: [string, number][]; totalMs: number } {
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const times = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i] ?? 0;
    total += us;
    const leaf = byId.get(profile.samples[i]);
    if (leaf === undefined) continue;
    if (under !== undefined) {
      let inside = false;
      for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
        const node = byId.get(id);
        if (
          node !== undefined && (node.callFrame.functionName === under || frameKey(node) === under)
        ) {
          inside = true;
          break;
        }
      }
      if (inside) times.set(frameKey(leaf), (times.get(frameKey(leaf)) ?? 0) + us);
      continue;
    }
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id);
      if (node === undefined) break;
      const key = frameKey(node);
      if (seen.has(key)) continue;
      seen.add(key);
      times.set(key, (times.get(key) ?? 0) + us);
    }
  }
  const rows = [...times.entries()].map(([k, us]): [string, number] => [k, us / 1000]);
  rows.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return { rows, totalMs: total / 1000 };
}

if (import.meta.main) {
  const args = [...Deno.args];
  const at = args.indexOf("--under");
  const under = at < 0 ? undefined : args[at + 1];
  if (at >= 0) args.splice(at, 2);
  const [path, topArg, ...rest] = args;
  const top = topArg === undefined ? 40 : Number(topArg);
  if (
    path === undefined || rest.length > 0 || !Number.isInteger(top) || top <= 0 ||
    (at >= 0 && (under === undefined || under === ""))
  ) {
    console.error(`error: ${path === undefined ? "missing PROFILE" : "bad arguments"}\n${USAGE}`);
    Deno.exit(2);
  }
  const profile = await readProfile(path, USAGE);
  const { rows, totalMs } = inclusiveTimes(profile, under);
  printRows(rows, totalMs, top);
}
