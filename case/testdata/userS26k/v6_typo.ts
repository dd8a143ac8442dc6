// userS26k's v6_typo.ts (a copy, import made relative): onPagesSupplied calls a misspelt method through an any cast.
// Variant 2a: a supply wakes only the first waiter of a request (the primary); waiters that
// coalesced into it (overlap) are forgotten.
import { Kernel, type KernelOptions, type PagerProxy, PageSource } from "../../../mod.ts";

class WakeFirstSource extends PageSource {
  override onPagesSupplied(start: number, end: number): void {
    for (
      // deno-lint-ignore no-explicit-any
      const r of (this as any).outstandng("READ") as typeof this.outstanding extends
        (...a: never[]) => infer R ? R : never
    ) {
      if (r.start < end && start < r.end) r.overlap = []; // "only the primary needs waking"
    }
    super.onPagesSupplied(start, end);
  }
}

class WakeFirstKernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new WakeFirstSource(vmoKoid, proxy, this.sink, model.nextId);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new WakeFirstKernel(options);
}
