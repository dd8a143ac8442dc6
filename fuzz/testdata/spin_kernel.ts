// A kernel variant that never returns from a supply (as userS27k's vh_hostile.ts on a supply of
// 3 pages or more): its loop is the kernel's, inside zx_pager_supply_pages, not the service's.
// It blocks in `Atomics.wait` on a cell nothing notifies: to the watchdog a supply that never
// returns, as a busy loop, without burning a core for each run limit (session 37: CI time).
import { Kernel, type KernelOptions, type PagerProxy, PageSource } from "../../mod.ts";

class SpinSource extends PageSource {
  override onPagesSupplied(start: number, end: number): void {
    if (end > start) { for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); }
    super.onPagesSupplied(start, end);
  }
}

class SpinKernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new SpinSource(vmoKoid, proxy, this.sink, model.nextId);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new SpinKernel(options);
}
