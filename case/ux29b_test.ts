// userS29b's kernel variant (case/testdata/ux29b/my_kernel.ts, a README-only user's
// `--kernel MODULE`): `onPagesSupplied` counts a supply of 2+ pages as one page longer, so the
// READ request (or the part of one) just past the supply completes before its page arrives.
// Scenario fuzzing found it in a few hundred runs; `--mode programs` in none of 6,000, though
// its summary showed the method called 736 times in 2000 runs: a program's supply answers a
// packet's whole range (nothing just past it is outstanding) or a random range whose neighbour
// no parked reader waits on. The checker was on all along (program runs judge single-supply's
// `resolve-count`); the request layout (program/generate.ts `requestLayout`) now answers some
// readers with a multi-page supply ending just before the reader's last page, then that page.
import { strict as assert } from "node:assert";
import { ProgramFuzzer } from "../fuzz/programs/campaign.ts";
import { runProgram } from "../program/run.ts";
import { makeKernel as offByOne } from "./testdata/ux29b/my_kernel.ts";

Deno.test("a short program campaign finds userS29b's off-by-one supply count (seeds 1-3, within 300 runs)", () => {
  for (const seed of [1, 2, 3]) {
    // The CLI's fuzzer seed for `--seed N --workers 1` (fuzz/engine.ts ProgramRunner).
    const f = new ProgramFuzzer({
      seed: `${seed}/s0/w0/g0`,
      guided: true,
      checks: "kernel",
      makeKernel: offByOne,
      portfolio: true,
    });
    let step = f.step();
    while (step.failure === null && f.runs < 300) step = f.step();
    const failure = step.failure;
    assert.ok(failure !== null, `seed ${seed}: not found in 300 runs`);
    assert.equal(failure.signature, "invariant:single-supply:K30", `seed ${seed}`);
    // The rule, from the run replayed: the request completed with a page still absent.
    const { seed: s, decisions, program } = failure;
    const v = runProgram(program, { seed: s, decisions, makeKernel: offByOne }).verdict;
    assert.ok(v.kind === "invariant" && v.message.startsWith("K30: "), JSON.stringify(v));
    // The same program passes on the model kernel (the layout is sound).
    assert.equal(runProgram(program, { seed: s, decisions }).verdict.kind, "pass", `seed ${seed}`);
  }
});
