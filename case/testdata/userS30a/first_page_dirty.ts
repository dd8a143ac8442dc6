// my_kernel.ts — userS30a's kernel variant.
// Change: OP_DIRTY (and spurious DIRTY resolution) counts only the FIRST page of each run
// against outstanding DIRTY requests, as if PageSource::OnPagesDirtied forgot the loop over the
// range. A DIRTY request of 2+ pages answered by one OP_DIRTY over its whole range is left with
// pages pending: it never completes, and the writer parked on it is never woken.
import { Kernel, type KernelOptions, type PagerProxy, PageSource } from "../../../mod.ts";

class FirstPageDirtySource extends PageSource {
  override onPagesDirtied(start: number, end: number): void {
    super.onPagesDirtied(start, Math.min(end, start + 1)); // the bug: only one page counted
  }
}

class FirstPageDirtyKernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new FirstPageDirtySource(vmoKoid, proxy, this.sink, model.nextId);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new FirstPageDirtyKernel(options);
}
