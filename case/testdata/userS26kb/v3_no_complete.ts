// Variant 3: detach forgets the COMPLETE packet ("the pager asked for the detach, it knows").
import { Kernel, type KernelOptions, PagerProxy } from "../../../mod.ts";

class NoCompleteProxy extends PagerProxy {
  override complete(): void {
    // skipped: no COMPLETE packet
  }
}

class NoCompleteKernel extends Kernel {
  protected override createPagerProxy(...args: Parameters<Kernel["createPagerProxy"]>): PagerProxy {
    const m = super.createPagerProxy(...args);
    return new NoCompleteProxy(m.vmoKoid, m.port, m.key, m.pageSize, m.sink);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new NoCompleteKernel(options);
}
