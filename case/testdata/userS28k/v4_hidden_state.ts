// userS28k's v4_hidden_state.ts (a copy, imports made relative).
// Variant 4: hidden state across runs. A module-level counter of supplies: after the 40th supply
// this module has seen (in any run of the process), supplies stop waking anyone. The first runs of
// a process pass; later ones fail, depending on what ran before in the same worker.
import { Kernel, type KernelOptions, type PagerProxy, PageSource } from "../../../mod.ts";

let suppliesSeen = 0;

class TiredSource extends PageSource {
  override onPagesSupplied(start: number, end: number): void {
    suppliesSeen++;
    if (suppliesSeen > 40) return; // "worn out": the supply counts for nothing
    super.onPagesSupplied(start, end);
  }
}

class TiredKernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new TiredSource(vmoKoid, proxy, this.sink, model.nextId);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new TiredKernel(options);
}
