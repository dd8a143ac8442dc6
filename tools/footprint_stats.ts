/**
 * How often the explorer's footprints call two steps dependent, and which token makes them so:
 * runs a scenario under seeded random (or PCT) schedules, records every step's footprint the way
 * `explore/` does (`FootprintRecorder`), and over every pair of steps of different threads in
 * one run prints the share that share a token, and per token class (`o:<ObjectKind>`, `p`
 * a page of a VMO, `t` thread, `h` handle, `f` futex, `time`) how many dependent pairs that class alone makes
 * dependent (no token of another class in common). A diagnostic: nothing reads its figures.
 *
 * @example
 * ```sh
 * deno run --allow-read tools/footprint_stats.ts --runs 50
 * deno run --allow-read tools/footprint_stats.ts --scenario explore/testdata/default_small.json --strategy pct
 * ```
 *
 * @module
 */

import type { KernelEvent } from "../kernel/events.ts";
import { Kernel } from "../kernel/kernel.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { parseScenario, type Scenario } from "../scenario/schema.ts";
import { DEFAULT_SCENARIO } from "../scenario/default.ts";
import { loadScenarioFile } from "../cli/sim.ts";
import { pctStrategy, randomStrategy, type Strategy } from "../sim/strategy.ts";
import type { Monitor, World } from "../sim/world.ts";
import {
  conflictingTokens,
  conflicts,
  type Footprint,
  FootprintRecorder,
  isRead,
  plainOf,
} from "../explore/footprint.ts";
import { type FlagSpec, intFlag, parseFlags, runCommand, usage, UsageError } from "../cli/args.ts";

const FLAGS: Record<string, FlagSpec> = {
  scenario: { type: "string", value: "FILE", help: "the scenario (default: the built-in one)" },
  runs: { type: "string", value: "N", help: "runs (seeds 0..N-1, default 20)" },
  strategy: { type: "string", value: "S", help: "random (default) | pct" },
  help: { type: "boolean", help: "show this help" },
};

const USAGE = usage("deno run --allow-read tools/footprint_stats.ts", "[options]", FLAGS);

/** One recorded step. */
interface Step {
  readonly tid: number;
  readonly fp: Footprint;
}

/** Records each step's footprint and what kind of object each koid is. */
class Recorder implements Monitor {
  readonly name = "footprint-stats";
  recorder: FootprintRecorder | null = null;
  kernel: Kernel | null = null;
  readonly steps: Step[] = [];
  readonly kinds = new Map<number, string>();

  onEvent(e: KernelEvent): void {
    if ("tid" in e && e.tid === 0) return;
    this.recorder?.add(e);
  }

  afterStep(world: World): void {
    const t = world.running;
    if (t === null || this.recorder === null) return;
    this.steps.push({ tid: t.tid, fp: this.recorder.take(t.tid) });
    this.recorder.noteHandles();
    for (const [, entry] of world.kernel.handles) {
      this.kinds.set(entry.object.koid, entry.object.constructor.name);
    }
    this.kinds.set(world.kernel.rootVmar.koid, "RootVmar");
  }
}

/** The class a token counts under. */
function tokenClass(tok: string, kinds: ReadonlyMap<number, string>): string {
  if (isRead(tok)) return `read ${tokenClass(plainOf(tok), kinds)}`;
  if (tok.startsWith("o")) return `o:${kinds.get(Number(tok.slice(1))) ?? "?"}`;
  if (tok === "time" || tok === "*") return tok;
  if (tok.startsWith("p")) return "p"; // a page of a VMO: p<koid>.<page>
  return tok.replace(/[0-9-]+$/, "");
}

async function main(): Promise<number> {
  const { values } = parseFlags(Deno.args, FLAGS);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const runs = intFlag(values, "runs", 20, 1);
  const which = (values.strategy as string | undefined) ?? "random";
  if (which !== "random" && which !== "pct") throw new UsageError(`unknown --strategy ${which}`);
  const scenario: Scenario = values.scenario !== undefined
    ? await loadScenarioFile(values.scenario as string)
    : parseScenario(DEFAULT_SCENARIO, "default scenario");
  let pairs = 0, dependent = 0, steps = 0;
  const alone = new Map<string, number>();
  const any = new Map<string, number>();
  const perStep = new Map<string, number>();
  for (let seed = 0; seed < runs; seed++) {
    const rec = new Recorder();
    const strategy: Strategy = which === "pct"
      ? pctStrategy(seed, { depth: 3, steps: 200 })
      : randomStrategy(seed);
    runScenario(scenario, {
      strategy,
      monitors: [rec],
      keepTrace: false,
      makeKernel: (o) => {
        const k = new Kernel(o);
        rec.kernel = k;
        rec.recorder = new FootprintRecorder(k, false);
        return k;
      },
    });
    const s = rec.steps;
    steps += s.length;
    for (const x of s) {
      for (const c of new Set([...x.fp].map((t) => tokenClass(t, rec.kinds)))) {
        perStep.set(c, (perStep.get(c) ?? 0) + 1);
      }
    }
    for (let i = 0; i < s.length; i++) {
      for (let j = i + 1; j < s.length; j++) {
        if (s[i].tid === s[j].tid) continue;
        pairs++;
        if (!conflicts(s[i].fp, s[j].fp)) continue;
        dependent++;
        const shared = new Set<string>();
        // The tokens that make the pair conflict: a shared write, or one's read of the other's write.
        for (const t of s[i].fp) {
          if (conflictingTokens(t).some((c) => s[j].fp.has(c))) {
            shared.add(tokenClass(plainOf(t), rec.kinds));
          }
        }
        for (const c of shared) any.set(c, (any.get(c) ?? 0) + 1);
        if (shared.size === 1) {
          const c = [...shared][0];
          alone.set(c, (alone.get(c) ?? 0) + 1);
        }
      }
    }
  }
  const pct = (n: number, d: number) => `${(100 * n / Math.max(1, d)).toFixed(1)}%`;
  console.log(
    `${runs} runs (${which}), ${steps} steps; pairs of steps of different threads: ${pairs}, ` +
      `dependent ${dependent} (${pct(dependent, pairs)})`,
  );
  console.log("token class | steps with it | dependent pairs sharing it | sharing only it");
  const classes = [...new Set([...perStep.keys(), ...any.keys()])].sort();
  for (const c of classes) {
    console.log(
      `${c} | ${pct(perStep.get(c) ?? 0, steps)} | ${pct(any.get(c) ?? 0, dependent)} | ${
        pct(alone.get(c) ?? 0, dependent)
      }`,
    );
  }
  return 0;
}

if (import.meta.main) runCommand(USAGE, main);
