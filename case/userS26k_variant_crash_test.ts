// userS26k: a TypeError in a kernel variant's onPagesSupplied (v6_typo.ts) left the supply half
// done, and the page-state checker's judgement of that state (K26 "became clean without a
// supply") became the verdict: sim printed it, without the TypeError or its stack, under the
// signature `thread-fault:TypeError@v6_typo.ts:8`, and the case expected `invariant:page-state`.
// A crash in populate (v7_typo_populate.ts, in the user's variants/ folder inside pagersim's
// tree) read as the writer thread's own fault. The crash of the variant's code is the verdict now.
import { strict as assert } from "node:assert";
import { toEnvelope } from "./investigate.ts";
import { SCENARIO_KIND } from "./kinds.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { verdictLabel } from "../properties/check_case.ts";
import { signatureOf } from "../properties/signature.ts";
import { parseScenario } from "../scenario/schema.ts";
import { describeVerdict } from "../sim/world.ts";
import { variantCrashSite } from "../sim/variant_crash.ts";
import { makeKernel as v6 } from "./testdata/userS26k/v6_typo.ts";
import { denoOutput } from "../cli/_deno_output.ts";

const DATA = "case/testdata/userS26k";
const V6_CASE = `${DATA}/corpus_v6/thread-fault-typeerror-v6-typo-ts-8-v6-typo-b9a081b7.json`;

Deno.test("a variant's crash in the supply path is the verdict, not the checker's view of it", async () => {
  const c = JSON.parse(await Deno.readTextFile(V6_CASE));
  const input = parseScenario(c.input);
  const run = SCENARIO_KIND.run(input, { seed: c.seed, decisions: c.decisions }, {
    monitors: kernelInvariants,
    makeKernel: v6,
  });
  assert.equal(run.verdict.kind, "thread-fault", describeVerdict(run.verdict));
  const signature = signatureOf(run.verdict, run.raw) ?? "";
  assert.equal(signature, "thread-fault:TypeError@v6_typo.ts:WakeFirstSource.onPagesSupplied");
  // The verdict, the signature and the case's expectation agree.
  const envelope = toEnvelope(SCENARIO_KIND, input, c.seed, run, {
    checkers: "kernel",
    found: { by: "fuzz", campaignSeed: 1, run: 1 },
  }, signature);
  assert.equal(envelope.expected, "thread-fault");
  assert.equal(verdictLabel(run.verdict), "thread-fault");
  assert.match(envelope.description, /a crash of the kernel variant's own code \(v6_typo\.ts:10/);
  assert.doesNotMatch(envelope.description, /K26/);
  assert.match(
    describeVerdict(run.verdict),
    /^kernel variant crashed at step \d+, in the kernel under thread t1 "p0\.svc": TypeError: this\.outstandng is not a function.* at v6_typo\.ts:10 \(the variant's own code threw/,
  );
});

Deno.test("a variant in a folder of its own inside pagersim's tree is the user's code", () => {
  const root = new URL("../", import.meta.url).href;
  const stack = "TypeError: this.outstandng is not a function\n" +
    `    at TypoSource.populate (${root}variants/v7_typo_populate.ts:5:23)\n` +
    `    at VmoPages.requestPages (${root}kernel/vmo_pages.ts:310:27)\n` +
    `    at fileOp (${root}scenario/interpreter.ts:536:32)`;
  assert.equal(variantCrashSite(stack), "v7_typo_populate.ts:5");
  // pagersim's own modules calling the kernel are still not a variant.
  const own = stack.replace(`${root}variants/`, `${root}scenario/`);
  assert.equal(variantCrashSite(own), null);
});

Deno.test("repro of the user's case prints the crash and its stack, and no longer 'reproduces' K26", async () => {
  const r = await denoOutput([
    "run",
    "--allow-read",
    "--allow-env=INIT_CWD",
    "cli/repro.ts",
    V6_CASE,
  ]);
  assert.match(r.out, /^verdict: kernel variant crashed at step 6, .*at v6_typo\.ts:10 /m, r.out);
  assert.match(r.out, /^TypeError: this\.outstandng is not a function/m);
  assert.match(r.out, /^ +at WakeFirstSource\.onPagesSupplied \(.*\/v6_typo\.ts:10:\d+\)$/m);
  // The user's case recorded the checker's verdict: it no longer passes for reproduced.
  // ...and names the signature it is filed under beside the check (userS31a).
  assert.match(
    r.out,
    /^expected: invariant:page-state \(signature thread-fault:TypeError@v6_typo\.ts:8\): NOT reproduced \(got thread-fault\)$/m,
  );
  assert.match(
    r.out,
    /^note: the same run, .* deno task corpus accept '?case\/testdata\/userS26k\/corpus_v6\/thread-fault-.*\.json'? re-records it as the crash$/m,
  );
  assert.equal(r.code, 1);
});

Deno.test("sim on a variant crashing in populate names the variant, not the writer thread", async () => {
  const r = await denoOutput([
    "run",
    "--allow-read",
    "--allow-env=INIT_CWD",
    "--allow-run=deno",
    "cli/sim.ts",
    "--kernel",
    `${DATA}/v7_typo_populate.ts`,
    "--seed",
    "1",
  ]);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(
    r.out,
    /^verdict: kernel variant crashed at step 3, in the kernel under thread t3 "writer": TypeError: this\.outstandng is not a function at v7_typo_populate\.ts:14 /m,
  );
  assert.doesNotMatch(r.out, /faulted at step/);
});
