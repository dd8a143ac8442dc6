// The judge's program verdicts from a mutant mirror, for the tests that judge mutants on the
// mutate judge's programs (contract_mutants_test.ts, oracle_gap_k_test.ts,
// range_content_mutants_test.ts, clone_chain_test.ts, child_births_test.ts): one copy of how a `program:K` probe runs program `k`.
import { type MutantMirror, mutantMirror } from "../../mutate/mutant_mirror.ts";
import { strict as assert } from "node:assert";
import { strykerNs } from "../../mutate/ns.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/**
 * Program `k`'s verdict as the judge's `program:K` probe gives it, from the mirror `m`: drawn
 * afresh for every run (its schedule's strategy is a seeded generator that a run consumes: a
 * drawing run again schedules differently after every run before it), unmutated, then run with
 * `key` on if one is given.
 */
export async function mirrorProgramVerdict(
  m: MutantMirror,
): Promise<(k: number, key?: string) => Any> {
  const { judgeProgram } = await m.load("mutate/judges.ts") as Any;
  const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
  return (k, key) => {
    const { program, ...how } = judgeProgram(k);
    const run = () => runProgram(program, { ...how, monitors: programMonitors }).verdict;
    return key === undefined ? run() : m.withMutant(key, run);
  };
}

/**
 * One mirror of `files` for a whole test file, made on first use and removed when the file
 * unloads, with {@linkcode mirrorProgramVerdict}'s verdict from it: the gap tests' shared
 * fixture (gap_a_test.ts, gap_v_test.ts, oracle_gap_k_test.ts, oracle_gap_o_test.ts).
 */
export function sharedProgramMirror(
  files: readonly string[],
): () => Promise<{ m: MutantMirror; verdict: (k: number, key?: string) => Any }> {
  let shared: Promise<{ m: MutantMirror; verdict: (k: number, key?: string) => Any }> | undefined;
  return () =>
    shared ??= (async () => {
      const m = await mutantMirror([...files]);
      globalThis.addEventListener("unload", () => m.dispose());
      return { m, verdict: await mirrorProgramVerdict(m) };
    })();
}

/**
 * The first of the judge's programs `0..n-1` that passes unmutated and fails the program
 * contract with `key` on, or `undefined`: the killer a gap test asks for.
 */
export function firstContractKiller(
  verdict: (k: number, key?: string) => Any,
  key: string,
  n: number,
): number | undefined {
  for (let k = 0; k < n; k++) {
    if (verdict(k).kind !== "pass") continue;
    const v = verdict(k, key);
    if (v.kind === "invariant" && v.invariant === "program-contract") return k;
  }
  return undefined;
}

/**
 * The first of the judge's programs `0..n-1` that fails syscall-contract with the static mutant
 * `key` of kernel/constants.ts on, or undefined: a fresh mirror loads with it on, as mutate
 * gives a static mutant a fresh worker (zx_status_test.ts, status_names_test.ts).
 */
export async function staticConstantsKiller(
  key: string,
  n: number,
): Promise<{ k: number; why: string } | undefined> {
  const m = await mutantMirror("kernel/constants.ts");
  const ns = strykerNs();
  try {
    ns.activeMutant = m.idOf(key);
    const verdict = await mirrorProgramVerdict(m);
    for (let k = 0; k < n; k++) {
      const v = verdict(k);
      if (v.kind === "invariant" && v.invariant === "syscall-contract") {
        return { k, why: JSON.stringify(v) };
      }
    }
    return undefined;
  } finally {
    ns.activeMutant = undefined;
    m.dispose();
  }
}

/**
 * A mutant case of {@linkcode stepsKillOnFirstPrograms}: the mutant's key, the step's name, the
 * message its first failing program must give, and the verdict: an invariant's name (the default
 * `defaultInvariant`) or a verdict kind such as `thread-fault`.
 */
export type FirstProgramsCase = readonly [
  key: string,
  what: string,
  message: RegExp,
  invariant?: string,
];

/**
 * One mirror of kernel/vmo_pages.ts and kernel/objects.ts, the judge's first `programs` programs
 * (all must pass unmutated), and a step per case: the first program that fails with the case's
 * mutant on fails as the case says (clone_chain_test.ts, child_births_test.ts).
 */
export async function stepsKillOnFirstPrograms(
  t: Deno.TestContext,
  programs: number,
  cases: readonly FirstProgramsCase[],
  defaultInvariant?: string,
): Promise<void> {
  const m = await mutantMirror(["kernel/vmo_pages.ts", "kernel/objects.ts"]);
  try {
    const verdict = await mirrorProgramVerdict(m);
    const all = Array.from({ length: programs }, (_, k) => k);
    const passing = all.filter((k) => verdict(k).kind === "pass");
    assert.equal(passing.length, programs, "every program passes unmutated");
    for (const [key, what, message, invariant = defaultInvariant] of cases) {
      await t.step(what, () => {
        const failed = passing.map((k) => verdict(k, key)).find((v) => v.kind !== "pass");
        assert.ok(failed !== undefined, `no program of the first ${programs} fails with ${key}`);
        if (invariant === undefined) assert.equal(failed.kind, "invariant", JSON.stringify(failed));
        else if (failed.kind === "invariant") {
          assert.equal(failed.invariant, invariant, JSON.stringify(failed));
        } else assert.equal(failed.kind, invariant, JSON.stringify(failed));
        assert.match(failed.message, message);
      });
    }
  } finally {
    m.dispose();
  }
}
