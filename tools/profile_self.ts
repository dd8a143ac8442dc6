/**
 * Self time per function of a V8 CPU profile (`deno run --cpu-prof`), summed
 * over every node of the same function (name, file, line), largest first:
 *
 *     deno run --allow-read tools/profile_self.ts PROFILE.cpuprofile [TOP]
 *
 * Prints `self ms  share%  function  file:line` for the TOP (default 40)
 * costliest functions and the profile's total sampled time. The numbers are
 * sampled: read them as shares, not as exact costs.
 *
 * @module
 */
const USAGE = "usage: deno run --allow-read tools/profile_self.ts PROFILE.cpuprofile [TOP]";

/** One node of a V8 `.cpuprofile`. */
export interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly children?: readonly number[];
}

/** The parts of a V8 `.cpuprofile` this script (and `tools/profile_inclusive.ts`) reads. */
export interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** A node's function as the reports print it: `name  folder/file.ts:LINE`. */
export function frameKey(n: ProfileNode): string {
  const f = n.callFrame;
  const file = f.url === "" ? "(native)" : f.url.replace(/^.*\/(?=[^/]+\/[^/]+$)/, "");
  return `${f.functionName || "(anonymous)"}  ${file}:${f.lineNumber + 1}`;
}

/** The V8 CPU profile at `path`; on a bad file, one error line with `usage` and exit 2. */
export async function readProfile(path: string, usage: string): Promise<Profile> {
  let profile: Profile;
  try {
    profile = JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    console.error(`error: cannot read ${path}: ${e instanceof Error ? e.message : e}\n${usage}`);
    Deno.exit(2);
  }
  if (!Array.isArray(profile.nodes) || !Array.isArray(profile.samples)) {
    console.error(`error: ${path} is not a V8 CPU profile\n${usage}`);
    Deno.exit(2);
  }
  return profile;
}

/** Prints the total and the first `top` rows as `ms  share%  function  file:line`. */
export function printRows(rows: readonly [string, number][], totalMs: number, top: number): void {
  console.log(`total sampled: ${totalMs.toFixed(0)} ms`);
  for (const [key, ms] of rows.slice(0, top)) {
    console.log(
      `${ms.toFixed(1).padStart(9)}  ${(100 * ms / totalMs).toFixed(1).padStart(5)}%  ${key}`,
    );
  }
}

/**
 * Self time in milliseconds per function key (`name  file:line`) of `profile`,
 * largest first, and the total sampled milliseconds.
 */
export function selfTimes(profile: Profile): { rows: [string, number][]; totalMs: number } {
  const keyOf = new Map<number, string>();
  for (const n of profile.nodes) keyOf.set(n.id, frameKey(n));
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i] ?? 0;
    const key = keyOf.get(profile.samples[i]) ?? "(unknown)";
    self.set(key, (self.get(key) ?? 0) + us);
    total += us;
  }
  const rows = [...self.entries()].map(([k, us]): [string, number] => [k, us / 1000]);
  rows.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return { rows, totalMs: total / 1000 };
}

if (import.meta.main) {
  const [path, topArg, ...rest] = Deno.args;
  const top = topArg === undefined ? 40 : Number(topArg);
  if (path === undefined || rest.length > 0 || !Number.isInteger(top) || top <= 0) {
    console.error(`error: ${path === undefined ? "missing PROFILE" : "bad arguments"}\n${USAGE}`);
    Deno.exit(2);
  }
  const profile = await readProfile(path, USAGE);
  const { rows, totalMs } = selfTimes(profile);
  printRows(rows, totalMs, top);
}
