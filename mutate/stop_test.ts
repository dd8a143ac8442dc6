// A mutant that loops for ever, allocating, through its own code (the resize grow loop of
// kernel/vmo_pages.ts counting down: `p--`): the pool ends such a run by setting the worker's stop
// flag, because `Worker.terminate()` leaves a busy worker running (measured on Deno 2.9.6: a loop
// went on 2 s after terminate, and the first nightly of f110028 died of it: every mutant after
// the hog was ended at the memory budget, 74 of them reported `timeout`, then the process ran
// out of memory). Here the loop runs in this thread and a helper worker sets the flag.
import { strict as assert } from "node:assert";
import { mutantMirror } from "./mutant_mirror.ts";
import { armHitLimit, disarmHitLimit, HIT_LIMIT, strykerNs } from "./ns.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const HOG = "kernel/vmo_pages.ts:1328:59:UpdateOperator:p--";

Deno.test("a mutant looping through its own code stops at its next hit once the stop flag is set", async () => {
  const m = await mutantMirror("kernel/vmo_pages.ts");
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const setter = new Worker(
    `data:application/javascript,${
      encodeURIComponent(
        "self.onmessage = (e) => { const f = new Int32Array(e.data); " +
          "setTimeout(() => Atomics.store(f, 0, 1), 300); };",
      )
    }`,
    { type: "module" },
  );
  try {
    const { Kernel } = await m.load("kernel/kernel.ts") as Any;
    const { runSync } = await m.load("kernel/yields.ts") as Any;
    const k = new Kernel({ pageSize: 64 });
    const [t] = k.createThread("main", 1);
    const [, pager] = runSync(k.zx_pager_create(t, 0));
    const [, port] = runSync(k.zx_port_create(t, 0));
    const [, vmo] = runSync(k.zx_pager_create_vmo(t, pager, 2, /* RESIZABLE */ port, 1, 64));
    const grow = () => runSync(k.zx_vmo_set_size(t, vmo, 128));
    assert.equal(grow(), 0, "unmutated, the grow is ZX_OK"); // and the flag is not set yet
    armHitLimit(stop);
    setter.postMessage(stop.buffer);
    const t0 = performance.now();
    let thrown: unknown = null;
    try {
      m.withMutant(HOG, () => runSync(k.zx_vmo_set_size(t, vmo, 256)));
    } catch (e) {
      thrown = e;
    }
    const ms = performance.now() - t0;
    assert.match(String(thrown), /Hit count limit reached/);
    // Stopped by the flag, long before the hit limit itself.
    assert.ok((strykerNs().hitCount ?? 0) < HIT_LIMIT, `${strykerNs().hitCount} hits`);
    assert.ok(ms < 20_000, `${ms} ms`);
  } finally {
    disarmHitLimit();
    setter.terminate();
    m.dispose();
  }
});
