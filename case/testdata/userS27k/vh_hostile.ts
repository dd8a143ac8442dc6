// userS27k's vh_hostile.ts (a copy, import made relative).
// Hostile: throws in a hot path (a multi-page supply) and loops forever on a 3+-page supply.
import { Kernel, type KernelOptions, type PagerProxy, PageSource } from "../../../mod.ts";

class HostileSource extends PageSource {
  override onPagesSupplied(start: number, end: number): void {
    if (end - start >= 3) { for (;;) { /* spin */ } }
    if (end - start === 2) throw new Error("hostile: two-page supply");
    super.onPagesSupplied(start, end);
  }
}

class HostileKernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new HostileSource(vmoKoid, proxy, this.sink, model.nextId);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new HostileKernel(options);
}
