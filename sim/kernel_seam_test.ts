import { strict as assert } from "node:assert";
import { Kernel, type KernelOptions } from "../kernel/kernel.ts";
import type { KThread } from "../kernel/objects.ts";
import { ZX_ERR_IO, ZX_OK } from "../kernel/constants.ts";
import { parseScenario } from "../scenario/schema.ts";
import { runScenario } from "../scenario/interpreter.ts";

/** A kernel variant: every successful zx_vmo_read reports ZX_ERR_IO. */
class LyingKernel extends Kernel {
  override *zx_vmo_read(t: KThread, handle: number, offset: number, length: number) {
    const [st, bytes] = yield* super.zx_vmo_read(t, handle, offset, length);
    return [st === ZX_OK ? ZX_ERR_IO : st, bytes] as [number, Uint8Array];
  }
}

Deno.test("a kernel variant plugs in through makeKernel and changes what threads see", () => {
  const scenario = parseScenario({
    pagers: [{ name: "fs" }],
    vmos: [{ name: "a", pager: "fs", pages: 1 }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
  });
  const plain = runScenario(scenario, { seed: 1 });
  const mutant = runScenario(scenario, {
    seed: 1,
    makeKernel: (o: KernelOptions) => new LyingKernel(o),
  });
  assert.equal(plain.outcomes[0].status, ZX_OK);
  assert.equal(mutant.outcomes[0].status, ZX_ERR_IO);
  assert.ok(mutant.world.kernel instanceof LyingKernel);
});
