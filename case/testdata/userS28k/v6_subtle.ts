// userS28k's v6_subtle.ts (a copy, import made relative).
// Variant 6: (subtle; described in the report only)
import {
  Kernel,
  type KernelOptions,
  type PagerProxy,
  PageSource,
  type Status,
  type Waiter,
} from "../../../mod.ts";

class InheritSource extends PageSource {
  override cancel(waiter: Waiter, why: Status): void {
    const req = waiter.request;
    if (req !== null && req.primary === waiter && req.overlap.length >= 2) {
      // "optimisation": the heir takes the request; the rest of the overlap list is rebuilt
      // from the waiters still parked... but the rebuild skips the last one.
      req.overlap = req.overlap.slice(0, req.overlap.length - 1);
    }
    super.cancel(waiter, why);
  }
}

class InheritKernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new InheritSource(vmoKoid, proxy, this.sink, model.nextId);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new InheritKernel(options);
}
