// Variant 2b: a supply that touches a request resolves (and wakes) the whole request,
// although only part of its pages were installed: waiters wake before their pages are in.
import { Kernel, type KernelOptions, type PagerProxy, PageSource } from "../../../mod.ts";

class EagerWakeSource extends PageSource {
  override onPagesSupplied(start: number, end: number): void {
    let lo = start, hi = end;
    for (const r of this.outstanding("READ")) {
      if (r.start < end && start < r.end) {
        lo = Math.min(lo, r.start);
        hi = Math.max(hi, r.end);
      }
    }
    super.onPagesSupplied(lo, hi);
  }
}

class EagerWakeKernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new EagerWakeSource(vmoKoid, proxy, this.sink, model.nextId);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new EagerWakeKernel(options);
}
