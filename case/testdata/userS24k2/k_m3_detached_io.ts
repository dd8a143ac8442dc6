// Mistake 3: a fault on a detached VMO reports ZX_ERR_IO ("the backing store is gone")
// instead of ZX_ERR_BAD_STATE.
import { Kernel, type KernelOptions } from "../../../mod.ts";
import { type Status, ZX_ERR_IO } from "../../../kernel/constants.ts";
import { PageSource, type RequestType, type Waiter } from "../../../kernel/page_source.ts";
import type { PagerProxy } from "../../../kernel/pager_proxy.ts";

class DetachedIoSource extends PageSource {
  override populate(waiter: Waiter, type: RequestType, start: number, end: number): Status {
    if (this.detached) return ZX_ERR_IO;
    return super.populate(waiter, type, start, end);
  }
}

class M3Kernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const base = super.createPageSource(vmoKoid, proxy);
    return new DetachedIoSource(vmoKoid, proxy, this.sink, base.nextId);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new M3Kernel(options);
}
