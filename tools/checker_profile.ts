/**
 * Where a checked run's CPU time goes (issue 17): `run SECONDS` runs the default scenario's batch
 * of 10,000 steps (seeds 1, 2, ...) under all kernel checkers for about SECONDS, to be profiled
 * with `deno run --cpu-prof`; `summary FILE [TOP]` prints a `.cpuprofile`'s self time per function
 * (name, file and line), the largest first, with each one's share of the sampled time.
 *
 * @example
 * ```sh
 * deno run --allow-read --allow-env --allow-sys --cpu-prof --cpu-prof-dir=/tmp/prof \
 *   tools/checker_profile.ts run 20
 * deno run --allow-read tools/checker_profile.ts summary /tmp/prof/*.cpuprofile 40
 * ```
 *
 * @module
 */

import { DEFAULT } from "../bench/_loops.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";

const USAGE = "usage: deno run --allow-read [--allow-env --allow-sys --cpu-prof] " +
  "tools/checker_profile.ts run SECONDS | summary FILE.cpuprofile [TOP]";

/** One node of a V8 `.cpuprofile`. */
interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}

/** The parts of a V8 `.cpuprofile` the summary reads. */
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/**
 * Self time per function of `profile`, in microseconds, the largest first: each sample's time
 * delta goes to the function on top of the stack then.
 *
 * @example
 * ```ts
 * import { selfTimes } from "./checker_profile.ts";
 * const frame = (functionName: string) => ({ functionName, url: "file:///a.ts", lineNumber: 0 });
 * const rows = selfTimes({
 *   nodes: [{ id: 1, callFrame: frame("f") }, { id: 2, callFrame: frame("g") }],
 *   samples: [1, 2, 2],
 *   timeDeltas: [5, 10, 10],
 * });
 * console.assert(rows[0].name === "g a.ts:1" && rows[0].micros === 20);
 * ```
 */
export function selfTimes(profile: Profile): { name: string; micros: number }[] {
  const names = new Map<number, string>();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const file = f.url === "" ? "" : ` ${f.url.split("/").pop()}:${f.lineNumber + 1}`;
    names.set(n.id, `${f.functionName === "" ? "(anonymous)" : f.functionName}${file}`);
  }
  const total = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const name = names.get(id) ?? "(unknown)";
    total.set(name, (total.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return [...total].map(([name, micros]) => ({ name, micros }))
    .sort((a, b) => b.micros - a.micros || (a.name < b.name ? -1 : 1));
}

if (import.meta.main) {
  const [mode, arg, top] = Deno.args;
  if (mode === "run" && /^\d+$/.test(arg ?? "")) {
    const until = performance.now() + Number(arg) * 1000;
    let steps = 0;
    while (performance.now() < until) {
      for (let s = 1, n = 0; n < 10_000; s++) {
        const r = runScenario(DEFAULT, { seed: s, keepTrace: false, monitors: kernelInvariants() });
        n += r.steps;
        steps += r.steps;
      }
    }
    console.log(`${steps} checked steps`);
  } else if (mode === "summary" && arg !== undefined && /^\d*$/.test(top ?? "")) {
    let profile: Profile;
    try {
      profile = JSON.parse(await Deno.readTextFile(arg));
    } catch (e) {
      console.error(`error: ${arg}: ${e instanceof Error ? e.message : e}`);
      Deno.exit(1);
    }
    const rows = selfTimes(profile);
    const sum = rows.reduce((a, r) => a + r.micros, 0);
    for (const r of rows.slice(0, Number(top ?? 40) || 40)) {
      console.log(
        `${(r.micros / 1000).toFixed(0).padStart(7)} ms ${(100 * r.micros / sum).toFixed(1)}%  ` +
          r.name,
      );
    }
  } else {
    console.error(USAGE);
    Deno.exit(2);
  }
}
