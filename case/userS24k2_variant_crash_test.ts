// userS24k: a kernel variant's own crash (a typo only an unchecked cast let through) showed up as
// `thread-fault:TypeError@k_type_error.ts:13`, worded like a kernel bug the checkers found. The
// case's description, and sim's and repro's output, now say it is a crash of the variant.
import { strict as assert } from "node:assert";
import { toEnvelope } from "./investigate.ts";
import { variantCrashSite } from "../sim/variant_crash.ts";
import { SCENARIO_KIND } from "./kinds.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { parseScenario } from "../scenario/schema.ts";
import { signatureOf } from "../properties/signature.ts";
import { makeKernel } from "./testdata/userS24k2/k_crash.ts";
import { denoOutput } from "../cli/_deno_output.ts";

const DATA = "case/testdata/userS24k2";

const scenario = async () =>
  parseScenario(
    JSON.parse(await Deno.readTextFile("case/testdata/userS24k/s_two_readers_detach.json")),
  );

Deno.test("a fault thrown in the variant's own code is described as a crash of the variant", async () => {
  const input = await scenario();
  const run = SCENARIO_KIND.run(input, { seed: 1 }, { monitors: kernelInvariants, makeKernel });
  assert.equal(run.verdict.kind, "thread-fault");
  const signature = signatureOf(run.verdict) ?? "";
  assert.equal(
    signature,
    "thread-fault:TypeError@k_crash.ts:CrashingSource.detach",
    "the variant's method",
  );
  const c = toEnvelope(SCENARIO_KIND, input, 1, run, {
    checkers: "kernel",
    found: { by: "fuzz", campaignSeed: 1, run: 0 },
  }, signature);
  assert.match(
    c.description,
    /TypeError: this\.outstandng is not a function; a crash of the kernel variant's own code \(k_crash\.ts:9, called by the kernel model\), not a pager semantics failure/,
  );
});

Deno.test("a service's own exception is not called a crash of a kernel variant", () => {
  const stack = "Error: boom\n    at serve (file:///me/fs.ts:8:3)\n    at World.step (" +
    new URL("../sim/world.ts", import.meta.url).href + ":651:17)";
  assert.equal(variantCrashSite(stack), null);
  // Nor the kernel model's own exception.
  const model = "TypeError: x\n    at VmoPages.detach (" +
    new URL("../kernel/vmo_pages.ts", import.meta.url).href + ":1:1)";
  assert.equal(variantCrashSite(model), null);
});

Deno.test("sim says the fault is the variant's crash and to deno check it", async () => {
  const r = await denoOutput([
    "run",
    "--allow-read",
    "--allow-env=INIT_CWD",
    "--allow-run=deno",
    "cli/sim.ts",
    "--kernel",
    `${DATA}/k_crash.ts`,
    "--scenario",
    "case/testdata/userS24k/s_two_readers_detach.json",
    "--seed",
    "1",
  ]);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(
    r.out,
    /^note: a crash of the kernel variant's own code \(k_crash\.ts:9, called by the kernel model\), .*deno check the variant/m,
  );
});
