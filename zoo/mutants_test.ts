import { strict as assert } from "node:assert";
import { ProgramFuzzer } from "../fuzz/programs/campaign.ts";
import { signProgramRun } from "../fuzz/engine.ts";
import { investigate } from "../case/investigate.ts";
import { PROGRAM_KIND, programCheckers } from "../case/kinds.ts";
import { callCount, type Program } from "../program/program.ts";
import { MUTANTS } from "./mutants.ts";

/** Fuzzes a mutant with a fixed seed until the first failure and investigates it (no clock). */
async function findIn(mutant: string, seed: number, maxRuns: number) {
  const fuzzer = new ProgramFuzzer({
    seed,
    guided: true,
    checks: "contract",
    makeKernel: MUTANTS[mutant],
  });
  while (fuzzer.runs < maxRuns) {
    const f = fuzzer.step().failure;
    if (f === null) continue;
    const r = await investigate(PROGRAM_KIND, f.program, f.decisions, {
      seed: f.seed,
      ctx: { monitors: programCheckers("contract"), makeKernel: MUTANTS[mutant] },
      meta: { checkers: "contract", bug: mutant, found: { by: "test" } },
      sign: signProgramRun,
      originalTraceHash: f.traceHash,
    });
    assert.equal(r.status, "found");
    if (r.status !== "found") return null;
    return {
      finding: {
        signature: r.signature,
        originalCalls: callCount(f.program),
        shrunkCalls: callCount(r.case.input as Program),
      },
      runs: fuzzer.runs,
    };
  }
  return null;
}

const EXPECTED: Record<string, RegExp> = {
  "detached-supply-not-found":
    /zx_pager_supply_pages returned ZX_ERR_NOT_FOUND, which the spec does not allow/,
  // The leaked handle shows as a handle left open, or (a leaked pager handle keeps its VMOs
  // attached) as a reader still waiting once every handle the program knows of closed; which
  // comes first depends on the seed's program stream (seed 3 found the second once issue 16's
  // level-3 calls joined the vocabulary; seed 1 finds the first, and with user buffers seeds 3
  // and 5 find it at their first or second run).
  "replace-leaks":
    /program-lifetime.*(handles left open after cleanup|after every handle closed, program threads still wait)/,
  "write-without-right": /zx_vmo_write returned .*; the handle model says ZX_ERR_ACCESS_DENIED/,
};

/**
 * The seeds each mutant is hunted with. How many runs a seed needs varies widely
 * (detached-supply-not-found, seeds 1-5: 81,433, 19,839, 208, 24,046 and 65,200
 * runs, up to 5 minutes each, before issue 16 added sub-regions and BTI pinning to the
 * vocabulary; seed 3 needed 6,415 after it, then none of 100,000 once zx_vmar_map's table
 * listed BAD_STATE; seed 1 needed 6,517, then 85,077 once user buffers joined the vocabulary,
 * when seeds 2-5 needed 28,182, 16,544, over 30,000 and 2,713 runs, seed 5's finding shrinking
 * only to 13 calls; seed 3 needed 16,544, then over 40,000 once program fuzzing drew contiguous
 * VMOs, when seeds 1, 2, 4, 5, 6 needed 21,841, 20,936, 16,804, 37,822 and 8,983), so the suite
 * uses one fast seed and shows that a finding is made and shrunk: 6 until program fuzzing drew
 * `zx_pager_op_range`'s data for its op, when seed 6's write-without-right finding shrank only
 * to 10 calls; now 3 (detached-supply-not-found at run 83, replace-leaks at 1,
 * write-without-right at 168; at 620, 1 and 928 once fresh programs drew request layouts,
 * fuzz/programs/campaign.ts `REQUEST_LAYOUTS`; at 2,929, 1 and 1,342 once the layout split some
 * of its supplies in two, session 29's ux29b). `deno task nightly:programs` hunts with seeds 1-5,
 * each within the 100,000-run cap, and prints what each needed.
 */
const SEEDS = (Deno.env.get("PAGERSIM_MUTANT_SEEDS") ?? "3").split(",").map(Number);

for (const [mutant, signature] of Object.entries(EXPECTED)) {
  for (const seed of SEEDS) {
    Deno.test(`program fuzzing finds mutant ${mutant} (seed ${seed}) and shrinks it to a few calls`, async () => {
      const found = await findIn(mutant, seed, 100_000);
      assert.ok(found !== null, `${mutant} not found in 100000 runs of seed ${seed}`);
      console.log(`${mutant}, seed ${seed}: found at run ${found.runs}`);
      assert.match(found.finding.signature, signature);
      assert.ok(found.finding.shrunkCalls <= 7, `shrunk to ${found.finding.shrunkCalls} calls`);
      assert.ok(found.finding.shrunkCalls < found.finding.originalCalls);
    });
  }
}
