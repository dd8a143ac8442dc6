import { strict as assert } from "node:assert";
import { ProgramFuzzer } from "../fuzz/programs/campaign.ts";
import { MUTANTS } from "./mutants.ts";

/** Fuzzes a mutant with a fixed seed until the first finding (deterministic: no clock). */
function findIn(mutant: string, maxRuns: number) {
  const fuzzer = new ProgramFuzzer({
    seed: 1,
    guided: true,
    checks: "contract",
    makeKernel: MUTANTS[mutant],
  });
  while (fuzzer.runs < maxRuns) {
    const s = fuzzer.step();
    if (s.finding !== null) return { finding: s.finding, runs: fuzzer.runs };
  }
  return null;
}

const EXPECTED: Record<string, RegExp> = {
  "detached-supply-not-found":
    /zx_pager_supply_pages returned ZX_ERR_NOT_FOUND, which the spec does not allow/,
  "replace-leaks": /program-lifetime.*handles left open after cleanup/,
  "write-without-right": /zx_vmo_write returned .*; the handle model says ZX_ERR_ACCESS_DENIED/,
};

for (const [mutant, signature] of Object.entries(EXPECTED)) {
  Deno.test(`program fuzzing finds mutant ${mutant} and shrinks it to a few calls`, () => {
    // Seeds 1-3 need 28k-63k runs for the rarest mutant since level 2 joined the vocabulary.
    const found = findIn(mutant, 100_000);
    assert.ok(found !== null, `${mutant} not found in 100000 runs`);
    assert.match(found.finding.signature, signature);
    assert.ok(found.finding.shrunkCalls <= 7, `shrunk to ${found.finding.shrunkCalls} calls`);
    assert.ok(found.finding.shrunkCalls < found.finding.originalCalls);
  });
}
