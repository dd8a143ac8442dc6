// The README's kernel variant (examples/kernel_variant.ts, "Writing a kernel variant"): it loads
// and runs through sim as the README says, replays the model's runs where its change is not on
// the path, and its change is what the checkers catch where it is.
import { strict as assert } from "node:assert";
import {
  isComplete,
  isRead,
  kernelInvariants,
  parseScenario,
  runScenario,
  type ServiceContext,
  type Sys,
  type ThreadBody,
  vmoForKey,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../mod.ts";
import { ZX_ERR_BAD_STATE, ZX_PAGER_OP_FAIL } from "../kernel/constants.ts";
import { denoOutput } from "../cli/_deno_output.ts";
import { makeKernel } from "./kernel_variant.ts";

const sim = (args: string[]) =>
  denoOutput([
    "run",
    "--allow-read",
    "--allow-env=INIT_CWD",
    "--allow-run=deno",
    "cli/sim.ts",
    ...args,
  ]);
const hash = (out: string) => /^trace-hash: (\S+)$/m.exec(out)?.[1];

Deno.test("README: sim --kernel examples/kernel_variant.ts loads the variant and replays the model's run", async () => {
  const model = await sim([]);
  const variant = await sim(["--kernel", "examples/kernel_variant.ts"]);
  assert.equal(variant.code, 0, variant.out + variant.err);
  assert.match(variant.out, /^replay: deno task sim --kernel examples\/kernel_variant\.ts /m);
  // The default scenario fails no range: the variant keeps the model's steps and trace events.
  assert.equal(hash(variant.out), hash(model.out));
});

/** Fails every READ with ZX_ERR_BAD_STATE. */
function* failReads(sys: Sys, ctx: ServiceContext): ThreadBody {
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (isComplete(packet) || !isRead(packet)) continue;
    const vmo = vmoForKey(ctx, packet.key);
    if (vmo === undefined) continue;
    yield* sys.pagerOpRange(
      ctx.pager,
      ZX_PAGER_OP_FAIL,
      vmo.handle,
      packet.offset,
      packet.length,
      ZX_ERR_BAD_STATE,
    );
  }
}

Deno.test("README: the variant's change (OP_FAIL wakes with ZX_ERR_IO) breaks the syscall contract", () => {
  const scenario = parseScenario({
    pagers: [{ name: "fs", service: { kind: "custom", name: "fail" } }],
    vmos: [{ name: "file", pager: "fs", pages: 1 }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "file", page: 0 }] }],
  });
  // Fresh checkers for each run: they keep what they saw of the run they watch.
  const options = () => ({ seed: 1, monitors: kernelInvariants(), services: { fail: failReads } });
  assert.equal(runScenario(scenario, options()).verdict.kind, "pass", "the model passes");
  const run = runScenario(scenario, { ...options(), makeKernel });
  assert.equal(run.verdict.kind, "invariant", JSON.stringify(run.verdict));
  assert.match(
    run.verdict.message,
    /^K14: t\d+ zx_vmo_read got ZX_ERR_IO, never passed to OP_FAIL/,
  );
});

Deno.test("README: the kernel variant it shows is examples/kernel_variant.ts, line for line", async () => {
  const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
  const block = readme.split("```ts ignore\n").map((b) => b.split("```")[0])
    .find((b) => b.startsWith("// examples/kernel_variant.ts\n"));
  assert.ok(block, "the README shows the variant");
  const file = await Deno.readTextFile(new URL("./kernel_variant.ts", import.meta.url));
  assert.equal(block.slice(block.indexOf("\n") + 1), file);
});

// The README once said the conformance rows all pass this variant (a user trial's, before PX9);
// userS25 saw PX9 fail, rightly: the variant's change is what that row pins down.
Deno.test("README: conformance --kernel examples/kernel_variant.ts fails PX9 FailErrorCode alone of the OP_FAIL rows, with ZX_ERR_IO for the pager's error", async () => {
  const r = await denoOutput([
    "run",
    "--allow-read",
    "--allow-env=INIT_CWD",
    "cli/conformance.ts",
    "--kernel",
    "examples/kernel_variant.ts",
    "--filter",
    "Fail",
  ]);
  assert.equal(r.code, 1, r.out + r.err);
  assert.deepEqual(r.out.split("\n").filter((l) => l.includes("FAIL ")), [
    '  FAIL PX9 FailErrorCode [seed 1: thread t1 "main" faulted at step 24: ConformanceFailure: ' +
    't4 "commit[0,11)": got ZX_ERR_IO, want ZX_ERR_IO_DATA_INTEGRITY]',
  ]);
});
