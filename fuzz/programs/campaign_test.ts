import { strict as assert } from "node:assert";
import fc from "fast-check";
import { ProgramFuzzer } from "./campaign.ts";
import { signProgramRun } from "../engine.ts";
import { investigate } from "../../case/investigate.ts";
import { PROGRAM_KIND } from "../../case/kinds.ts";
import { readCaseFile, replayCase, writeCase } from "../../case/store.ts";
import { replayWith } from "../../case/replay.ts";
import { programCheckers } from "../../case/kinds.ts";
import { programArbitrary } from "../../program/generate.ts";
import { MUTANTS, ReplaceLeaksKernel } from "../../zoo/mutants.ts";
import { callCount, type Program } from "../../program/program.ts";
import { shrinkProgram } from "../../case/shrink.ts";
import { runProgram } from "../../program/run.ts";

Deno.test("a program campaign on the model runs clean under the program's contract", () => {
  const fuzzer = new ProgramFuzzer({ seed: 11, guided: true, checks: "contract" });
  let failed = 0;
  while (fuzzer.runs < 2000) if (fuzzer.step().failed) failed++;
  assert.equal(failed, 0);
  assert.ok(fuzzer.seen.size > 1000, `${fuzzer.seen.size} signatures`);
});

Deno.test({
  name: "novelty guidance reaches more kernel states than fresh programs in the same runs",
  // KNOWN REGRESSION, open: after level 3 added the VMAR calls to the program vocabulary the claim
  // no longer holds (seed 5, 4000 runs: guided 10405, fresh 11009). This test measures a property
  // of the guidance, not of the oracle; it is ignored, not retuned, until guidance is fixed (see
  // the stop note: guided runs are longer and chase thread endings, not pager states).
  ignore: true,
}, () => {
  // Guidance pays off only once its queue has grown. With thread states signed one by one (not
  // their whole multiset, whose combinations swamped the queue after the kernel audit), at 4000
  // runs guided/fresh is 9971/9787, 10793/10048, 10796/9981 (seeds 1, 3, 5); at 1500 runs
  // fresh programs still lead on every seed 1-6 (sum 36114 guided vs 40668).
  const reach = (guided: boolean) => {
    const f = new ProgramFuzzer({ seed: 5, guided, checks: "contract" });
    while (f.runs < 4000) f.step();
    return f.seen.size;
  };
  const guided = reach(true), unguided = reach(false);
  assert.ok(guided > unguided, `guided ${guided}, unguided ${unguided}`);
});

Deno.test("programArbitrary composes with fc.assert; its shrunk leak shrinks further to at most two calls", () => {
  // The program's own contract only: properties/ monitors have their own tests.
  const contract = { monitors: () => [] };
  fc.assert(
    fc.property(programArbitrary(), (p) => runProgram(p, contract).verdict.kind === "pass"),
    {
      numRuns: 150,
      seed: 4,
    },
  );
  const r = fc.check(
    fc.property(
      programArbitrary(),
      (p) =>
        runProgram(p, { ...contract, makeKernel: (o) => new ReplaceLeaksKernel(o) }).verdict
          .kind === "pass",
    ),
    { numRuns: 500, seed: 4 },
  );
  assert.equal(r.failed, true);
  const cx = r.counterexample![0];
  // The same search without shrinking: fast-check's shrinking must make the program smaller.
  const unshrunk = fc.check(
    fc.property(
      programArbitrary(),
      (p) =>
        runProgram(p, { ...contract, makeKernel: (o) => new ReplaceLeaksKernel(o) }).verdict
          .kind === "pass",
    ),
    { numRuns: 500, seed: 4, endOnFailure: true },
  ).counterexample![0];
  assert.ok(
    callCount(cx) < callCount(unshrunk),
    `fast-check shrank ${callCount(unshrunk)} calls to ${callCount(cx)}`,
  );
  const leaks = (p: Program) =>
    runProgram(p, { ...contract, makeKernel: (o) => new ReplaceLeaksKernel(o) }).verdict.kind !==
      "pass";
  const shrunk = shrinkProgram({ program: cx, decisions: [] }, { fails: (c) => leaks(c.program) });
  assert.ok(leaks(shrunk.case.program));
  assert.ok(callCount(shrunk.case.program) <= 2, JSON.stringify(shrunk.case.program));
});

Deno.test("a finding becomes a program case that replays with its verdict and trace hash", async () => {
  const fuzzer = new ProgramFuzzer({
    seed: 1,
    guided: true,
    checks: "contract",
    makeKernel: MUTANTS["replace-leaks"],
  });
  let failure = null;
  while (failure === null && fuzzer.runs < 1000) failure = fuzzer.step().failure;
  assert.ok(failure !== null);
  const dir = await Deno.makeTempDir({ dir: "/tmp" });
  const r = await investigate(PROGRAM_KIND, failure.program, failure.decisions, {
    seed: failure.seed,
    ctx: { monitors: programCheckers("contract"), makeKernel: MUTANTS["replace-leaks"] },
    meta: { checkers: "contract", bug: "replace-leaks", found: { by: "test" } },
    sign: signProgramRun,
    originalTraceHash: failure.traceHash,
    persist: (c) => writeCase(dir, c),
  });
  assert.equal(r.status, "found");
  const file = r.status === "found" ? r.file : null;
  assert.ok(file !== null);
  const c = await readCaseFile(file);
  assert.equal(c.bug, "replace-leaks", "the case records its mutant");
  const onMutant = await replayCase(c, file);
  assert.ok(onMutant.ok, "replays alone, against the mutant it names");
  const onModel = replayWith(c, { monitors: programCheckers("contract") });
  assert.notEqual(onModel.verdict, c.expected, "the model itself does not leak");
  await Deno.remove(dir, { recursive: true });
});
