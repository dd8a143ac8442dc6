// userS28c's kernel variant (session 29, helper sig29): a supply fills the pages but never
// completes the request they answer, so its reader is never woken and the request stays
// outstanding. Was a bare no-lost-requests hang naming the reader; single-supply K28 names the
// request and the supply that owed its completion.
import { Kernel, type KernelOptions, type PagerProxy, PageSource } from "../../../mod.ts";

/** The request tracking of one pager VMO, whose supplies complete nothing. */
class NeverCompleteSource extends PageSource {
  override onPagesSupplied(_start: number, _end: number): void {}
}

/** The kernel model, building each pager VMO's page source through the seam. */
class NeverCompleteKernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new NeverCompleteSource(vmoKoid, proxy, this.sink, model.nextId);
  }
}

/** What `--kernel` loads: a new kernel for each run. */
export function makeKernel(options: KernelOptions): Kernel {
  return new NeverCompleteKernel(options);
}
