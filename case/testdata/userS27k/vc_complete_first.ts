// userS27k's vc_complete_first.ts (a copy, import made relative).
// Variant (c): detach queues COMPLETE before withdrawing the outstanding request packets.
import { Kernel, type KernelOptions, type PagerProxy, PageSource } from "../../../mod.ts";

class CompleteFirstSource extends PageSource {
  #proxy: PagerProxy;
  constructor(
    vmoKoid: number,
    proxy: PagerProxy,
    sink: ConstructorParameters<typeof PageSource>[2],
    nextId: ConstructorParameters<typeof PageSource>[3],
  ) {
    super(vmoKoid, proxy, sink, nextId);
    this.#proxy = proxy;
  }
  override detach(): void {
    this.#proxy.complete(); // BUG: COMPLETE first
    super.detach();
  }
}

class CompleteFirstKernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new CompleteFirstSource(vmoKoid, proxy, this.sink, model.nextId);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new CompleteFirstKernel(options);
}
