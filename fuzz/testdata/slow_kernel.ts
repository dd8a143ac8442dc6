/**
 * A slow but finite kernel variant for watchdog tests of program campaigns: each supply first
 * does a fixed amount of pure computation (a second or more) (a count of iterations, never time: the run stays
 * deterministic), so a run that supplies takes well past a short run limit, inside
 * zx_pager_supply_pages, and still ends.
 *
 * @module
 */

import { Kernel, type KernelOptions, type PagerProxy, PageSource } from "../../mod.ts";

/** Iterations of the busy loop before each supply. */
export const SPIN = 1_000_000_000;

class SlowSource extends PageSource {
  override onPagesSupplied(start: number, end: number): void {
    let x = 1;
    for (let i = 0; i < SPIN; i++) x = (x * 1103515245 + 12345) | 0;
    if (x === 0) throw new Error("unreachable: keeps the loop from being optimized away");
    super.onPagesSupplied(start, end);
  }
}

class SlowKernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new SlowSource(vmoKoid, proxy, this.sink, model.nextId);
  }
}

/** The variant. */
export function makeKernel(options: KernelOptions): Kernel {
  return new SlowKernel(options);
}
