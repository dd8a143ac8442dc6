/**
 * `--kernel PATH` and `makeKernel` beyond `fuzz`: `explore`, `conformance`
 * and the `pagerProperty` API run a kernel variant, and findings against one
 * never go to the regression corpus by default.
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { pagerProperty } from "../properties/pager_property.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { Kernel, type KernelOptions } from "../kernel/kernel.ts";
import { makeKernel as variant } from "./testdata/variant_kernel.ts";

const DENO = Deno.execPath();

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const o = await new Deno.Command(DENO, { args, stdout: "piped", stderr: "piped" }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: o.code, out: text(o.stdout), err: text(o.stderr) };
}

Deno.test("pagerProperty runs the kernel its makeKernel builds", () => {
  let built = 0;
  const make = (o: KernelOptions): Kernel => {
    built++;
    return new Kernel(o);
  };
  fc.assert(pagerProperty(kernelInvariants, { makeKernel: make, scenario: { maxThreads: 1 } }), {
    numRuns: 5,
  });
  assert.ok(built >= 5, `${built} kernels built`);
});

Deno.test("conformance --kernel runs the cases against the variant; a bad module is one line", async () => {
  const onVariant = await run([
    "run",
    "--allow-read",
    "cli/conformance.ts",
    "--kernel",
    "fuzz/testdata/variant_kernel.ts",
  ]);
  assert.equal(onVariant.code, 1, "the variant's bug fails some cases");
  assert.match(onVariant.out, /kernel fuzz\/testdata\/variant_kernel\.ts/);
  const bad = await run([
    "run",
    "--allow-read",
    "cli/conformance.ts",
    "--kernel",
    "fuzz/testdata/lossy_service.ts",
  ]);
  assert.equal(bad.code, 2);
  assert.equal(bad.err.trim().split("\n").length, 1, bad.err);
  assert.match(bad.err, /exports no makeKernel/);
});

Deno.test("explore --kernel needs a named corpus", async () => {
  const r = await run([
    "run",
    "--allow-read",
    "--allow-write",
    "cli/explore.ts",
    "--preemptions",
    "0",
    "--kernel",
    "fuzz/testdata/variant_kernel.ts",
  ]);
  assert.equal(r.code, 2);
  assert.match(r.err, /--kernel needs --corpus DIR/);
  assert.ok(variant({}) instanceof Kernel);
});
