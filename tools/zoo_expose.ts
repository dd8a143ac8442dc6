/**
 * Finds, shrinks and records a schedule that exposes a zoo bug in its hint
 * scenario: the corpus case that keeps pagersim honest about the bug.
 *
 * Run `deno run --allow-read --allow-write tools/zoo_expose.ts [DIR]` to (re)write
 * `DIR/zoo-<id>.json` for every bug (default `corpus`).
 *
 * @module
 */

import { parseScenario, type Scenario } from "../scenario/schema.ts";
import { runScenario, type StrategyName } from "../scenario/interpreter.ts";
import { checkCase, settleVerdict, verdictLabel } from "../properties/check_case.ts";
import { CASE_FORMAT, type CaseEnvelope } from "../case/envelope.ts";
import { writeCase } from "../case/store.ts";
import { shrinkCase } from "../case/shrink.ts";
import { ZOO, type ZooBug, zooContext } from "../zoo/registry.ts";
import { runCommand, scriptArgs } from "../cli/args.ts";

/** Strategies tried, in order, to expose a bug in its hint. */
const TRIES: readonly { strategy: StrategyName; depth?: number }[] = [
  { strategy: "random" },
  { strategy: "pct", depth: 1 },
  { strategy: "pct", depth: 2 },
  { strategy: "pct", depth: 3 },
];

/** A failing run of a bug's hint scenario: its decisions and seed, or null within `seeds` seeds. */
export function exposeBug(
  bug: ZooBug,
  seeds = 2000,
): { scenario: Scenario; decisions: number[]; seed: number } | null {
  const ctx = zooContext(bug.id);
  const scenario = parseScenario(bug.scenario, bug.id);
  for (let seed = 0; seed < seeds; seed++) {
    for (const t of TRIES) {
      const monitors = ctx.monitors();
      const run = runScenario(scenario, {
        seed,
        strategy: t.strategy,
        pctDepth: t.depth,
        monitors,
        services: ctx.services,
        makeKernel: ctx.makeKernel,
        keepTrace: false,
      });
      if (settleVerdict(run, monitors).kind !== "pass") {
        return { scenario, decisions: [...run.decisions], seed };
      }
    }
  }
  return null;
}

/** The shrunk corpus case that exposes `bug`, expected to fail with its checker's verdict. */
export function zooCase(bug: ZooBug): CaseEnvelope<Scenario> {
  const ctx = zooContext(bug.id);
  const found = exposeBug(bug);
  if (found === null) throw new Error(`${bug.id}: no exposing schedule found in its hint`);
  const check = (scenario: Scenario, decisions: readonly number[]) =>
    checkCase(
      { scenario, decisions, seed: found.seed },
      { monitors: ctx.monitors, services: ctx.services, makeKernel: ctx.makeKernel },
    );
  const label = verdictLabel(check(found.scenario, found.decisions).verdict);
  const shrunk = shrinkCase({ scenario: found.scenario, decisions: found.decisions }, {
    fails: (c) => {
      const r = check(c.scenario, c.decisions);
      return verdictLabel(r.verdict) === label && r.run.decisions;
    },
    maxAttempts: 3000,
  });
  const final = check(shrunk.case.scenario, shrunk.case.decisions);
  return {
    format: CASE_FORMAT,
    kind: "scenario",
    description: `zoo bug ${bug.id} (depth ${bug.depth}): ${bug.description}; ` +
      `pagersim must keep catching it (${bug.caughtBy})`,
    input: shrunk.case.scenario,
    decisions: [...final.run.decisions],
    seed: found.seed,
    checkers: ctx.checkers,
    expected: verdictLabel(final.verdict),
    traceHash: final.run.traceHash,
    bug: bug.id,
    found: { by: "zoo" },
  };
}

const USAGE = `usage: deno run --allow-read --allow-write=corpus tools/zoo_expose.ts [DIR]

Writes each zoo bug's expected-failure case into DIR (default corpus) as zoo-<bug>.json.

options:
  --help    print this help and exit (nothing is written)`;

/** @hostSide the command-line entry point: reads its arguments, writes the corpus */
async function main(): Promise<number> {
  const args = scriptArgs(Deno.args, USAGE, 1);
  if (args === null) return 0;
  const dir = args[0] ?? "corpus";
  for (const bug of ZOO) {
    const kase = zooCase(bug);
    const path = await writeCase(dir, kase, `zoo-${bug.id}.json`);
    console.log(`${kase.expected.padEnd(40)} ${kase.decisions.length} decisions  ${path}`);
  }
  return 0;
}

if (import.meta.main) await runCommand(USAGE, main);
