// Mistake 1: "simplify" OP_FAIL: whatever error the pager passes, waiters are woken with ZX_ERR_IO.
import { Kernel, type KernelOptions } from "../../../mod.ts";
import { type Status, ZX_ERR_IO } from "../../../kernel/constants.ts";
import { PageSource } from "../../../kernel/page_source.ts";
import type { PagerProxy } from "../../../kernel/pager_proxy.ts";

class NormalizingSource extends PageSource {
  override onPagesFailed(start: number, end: number, _error: Status): void {
    super.onPagesFailed(start, end, ZX_ERR_IO);
  }
}

class M1Kernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const base = super.createPageSource(vmoKoid, proxy);
    return new NormalizingSource(vmoKoid, proxy, this.sink, base.nextId);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new M1Kernel(options);
}
