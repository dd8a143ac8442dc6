/**
 * A slow but finite kernel variant for watchdog tests of program campaigns: a run's first supply
 * first does a fixed amount of pure computation (a second or more) (a count of iterations, never
 * time: the run stays deterministic), so a run that supplies takes well past a short run limit,
 * inside zx_pager_supply_pages, and still ends. Only the first (one per kernel, so per run): a
 * stopped worker cannot be stopped in the loop (Deno 2.9.6) and ran every later supply's loop to
 * the end of its run, ~18 CPU-s over ~25 s after fuzz/confirm_test.ts ended (session 36), in the
 * suite's process.
 *
 * @module
 */

import { Kernel, type KernelOptions, type PagerProxy, PageSource } from "../../mod.ts";

/** Iterations of the busy loop before each supply. */
export const SPIN = 1_000_000_000;

class SlowSource extends PageSource {
  constructor(
    koid: number,
    proxy: PagerProxy,
    sink: ConstructorParameters<typeof PageSource>[2],
    nextId: ConstructorParameters<typeof PageSource>[3],
    readonly kernel: SlowKernel,
  ) {
    super(koid, proxy, sink, nextId);
  }

  override onPagesSupplied(start: number, end: number): void {
    if (!this.kernel.spun) {
      this.kernel.spun = true;
      let x = 1;
      for (let i = 0; i < SPIN; i++) x = (x * 1103515245 + 12345) | 0;
      if (x === 0) throw new Error("unreachable: keeps the loop from being optimized away");
    }
    super.onPagesSupplied(start, end);
  }
}

class SlowKernel extends Kernel {
  /** Whether this run's first supply has spun. */
  spun = false;

  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new SlowSource(vmoKoid, proxy, this.sink, model.nextId, this);
  }
}

/** The variant. */
export function makeKernel(options: KernelOptions): Kernel {
  return new SlowKernel(options);
}
