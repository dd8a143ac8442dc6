// userS27k's va_fail_midrange_ok.ts (a copy, import made relative).
// Variant (a): OP_FAIL whose range does not start at offset 0 of the VMO is treated as
// "resolved" (waiters woken with ZX_OK to refault) instead of failed with the pager's error.
// Realistic mistake: comparing the failed start against the VMO start instead of the request's.
import {
  Kernel,
  type KernelOptions,
  type PagerProxy,
  PageSource,
  type Status,
} from "../../../mod.ts";

class MidFailSource extends PageSource {
  override onPagesFailed(start: number, end: number, error: Status): void {
    if (start > 0) {
      super.onPagesSupplied(start, end); // BUG: wakes with ZX_OK
    } else {
      super.onPagesFailed(start, end, error);
    }
  }
}

class MidFailKernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new MidFailSource(vmoKoid, proxy, this.sink, model.nextId);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new MidFailKernel(options);
}
