// userS28k's v5_spin.ts (a copy, imports made relative).
// Variant 5: an infinite loop inside a kernel call. OP_FAIL walks the failed range page by page
// to fail each page on its own, but forgets to advance when the range is longer than one page.
import {
  Kernel,
  type KernelOptions,
  type PagerProxy,
  PageSource,
  type Status,
} from "../../../mod.ts";

class PageWiseFailSource extends PageSource {
  override onPagesFailed(start: number, end: number, error: Status): void {
    let p = start;
    while (p < end) {
      if (end - start > 1) continue; // bug: p is never advanced for a multi-page range
      super.onPagesFailed(p, p + 1, error);
      p++;
    }
  }
}

class PageWiseFailKernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new PageWiseFailSource(vmoKoid, proxy, this.sink, model.nextId);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new PageWiseFailKernel(options);
}
