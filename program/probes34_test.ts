// The campaign judge's probes of helper gap34b (program/probes34.ts; docs/mutation.md, "Open keys
// of shard 4 on 237c931"): each passes unmutated and fails on the mutant it was written for,
// switched on in an instrumented mirror of the project (mutate/mutant_mirror.ts).
import { strict as assert } from "node:assert";
import { sharedMirror } from "../mutate/mutant_mirror.ts";
import { ZX_ERR_BAD_STATE, ZX_OK } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const mirror = sharedMirror(["kernel/vmo_pages.ts", "kernel/loans.ts"]);

/** The probe passes unmutated (every call as predicted) and fails under `key` as `expect` says. */
async function judged(
  name: string,
  key: string,
  expect: { kind: string; invariant?: string; message: RegExp },
) {
  const m = await mirror();
  const probes = await m.load("program/probes34.ts") as Any;
  const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
  const run = (name: string) => runProgram(probes[name](), { seed: 0, monitors: programMonitors });
  const base = run(name);
  assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
  const v: Any = m.withMutant(key, () => run(name).verdict);
  assert.equal(v.kind, expect.kind, JSON.stringify(v));
  if (expect.invariant !== undefined) {
    assert.equal(v.invariant, expect.invariant, JSON.stringify(v));
  }
  assert.match(v.message, expect.message);
  return base;
}

Deno.test("userReadPagesProgram passes unmutated; a read that returns after its first page's copy out fails R2", async () => {
  const base = await judged(
    "userReadPagesProgram",
    "kernel/vmo_pages.ts:469:15:ConditionalExpression:true",
    {
      kind: "invariant",
      invariant: "read-content",
      message:
        /^R2: t\d+ zx_vmo_read returned ZX_OK having copied 4096 of the 8192 bytes into its user buffer$/,
    },
  );
  assert.ok(base.results[0].every((r: Any) => r.status === ZX_OK));
});

Deno.test("loanReclaimPinProgram passes unmutated; a stale frame reclaimed without leaving its page trips the loan pool", async () => {
  await judged("loanReclaimPinProgram", "kernel/loans.ts:152:7:CallExpression:;", {
    kind: "kernel-assertion",
    message: /^free frame \d+ is free$/,
  });
});

Deno.test("cloneSlicePinProgram passes unmutated; a pin of a slice at an offset that pins from the wrong clone page fails read-content", async () => {
  await judged(
    "cloneSlicePinProgram",
    "kernel/vmo_pages.ts:703:18:ArithmeticOperator:start - off",
    {
      kind: "invariant",
      invariant: "read-content",
      message:
        /^R1: t\d+ read byte 0x0 of its VMO \(the kernel says vmo\d+\) = 0x0; the model of its content says 0x37$/,
    },
  );
});

Deno.test("suspendRunOnProgram passes unmutated; a suspendable wait begun with a suspend pending that parks fails K11", async () => {
  const base = await judged("suspendRunOnProgram", "kernel/vmo_pages.ts:355:46:CallExpression:;", {
    kind: "invariant",
    invariant: "wake-discipline",
    message: /^K11: t\d+ was woken with ZX_OK from a pager wait at tick \d+ and has not run since/,
  });
  // The read, held up by the suspend, still completes once the thread is resumed.
  assert.equal(base.results[0].at(-1).status, ZX_OK);
});

Deno.test("referenceResizeProgram passes unmutated; a reference that keeps its size when its parent grows fails the contract", async () => {
  const base = await judged(
    "referenceResizeProgram",
    "kernel/vmo_pages.ts:1336:39:ConditionalExpression:false",
    {
      kind: "invariant",
      invariant: "program-contract",
      message:
        /^t0#5 zx_vmo_get_size reports size 4096 of a reference of a resizable pager VMO whose size is 12288: a reference follows its parent's resizes/,
    },
  );
  const sizes = base.results[0].filter((_: Any, i: number) => i === 5 || i === 12);
  assert.deepEqual(sizes.map((r: Any) => r.value), [12288, 8192]);
});

Deno.test("sliceUnpinDetachProgram passes unmutated; an unpin through a slice at an offset that keeps the pin fails K13", async () => {
  const base = await judged(
    "sliceUnpinDetachProgram",
    "kernel/vmo_pages.ts:805:35:ArithmeticOperator:end - off",
    {
      kind: "invariant",
      invariant: "page-state",
      message: /^K13: vmo\d+ page 1 is clean after detach$/,
    },
  );
  // The detach dropped both clean pages: the read needs the pager.
  assert.equal(base.results[0].at(-1).status, ZX_ERR_BAD_STATE);
});
