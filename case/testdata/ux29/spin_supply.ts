// A kernel variant that loops inside every supply of more than one page (a README-only user's
// variant of session 29: most conformance rows supply, so most rows loop).
import { Kernel, type KernelOptions, type PagerProxy, PageSource } from "../../../mod.ts";

class SpinSupplySource extends PageSource {
  override onPagesSupplied(start: number, end: number): void {
    let p = start;
    while (p < end) {
      if (end - start > 1) continue; // bug: p is never advanced for a multi-page supply
      super.onPagesSupplied(p, p + 1);
      p++;
    }
  }
}

class SpinSupplyKernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new SpinSupplySource(vmoKoid, proxy, this.sink, model.nextId);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new SpinSupplyKernel(options);
}
