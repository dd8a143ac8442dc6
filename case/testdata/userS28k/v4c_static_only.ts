// userS28k's v4c_static_only.ts (a copy, imports made relative).
// Variant 4c: hidden state in a static class field only.
import { Kernel, type KernelOptions, type PagerProxy, PageSource } from "../../../mod.ts";

class TiredSource extends PageSource {
  static seen = 0;
  override onPagesSupplied(start: number, end: number): void {
    TiredSource.seen++;

    if (TiredSource.seen > 40) return; // worn out
    super.onPagesSupplied(start, end);
  }
}

class TiredKernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new TiredSource(vmoKoid, proxy, this.sink, model.nextId);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new TiredKernel(options);
}
