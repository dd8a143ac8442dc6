// userS29b's my_kernel.ts (a copy, imports made relative).
// Kernel variant: off-by-one in counting a multi-page supply against READ requests.
// A supply of [start,end) with 2+ pages is counted as [start,end+1): a request whose last
// page is the one just past the supply completes (its waiters woken) before that page arrives.
import { Kernel, type KernelOptions, type PagerProxy, PageSource } from "../../../mod.ts";

class OffByOneSource extends PageSource {
  override onPagesSupplied(start: number, end: number): void {
    if (end - start >= 2) super.onPagesSupplied(start, end + 1); // BUG: counts one page too many
    else super.onPagesSupplied(start, end);
  }
}

class OffByOneKernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new OffByOneSource(vmoKoid, proxy, this.sink, model.nextId);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new OffByOneKernel(options);
}
