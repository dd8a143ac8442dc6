// Mistake 2: zx_pager_detach_vmo "fast path": when the VMO has no outstanding requests,
// just mark the source detached and drop clean pages, forgetting to queue COMPLETE.
import { Kernel, type KernelOptions } from "../../../mod.ts";
import type { KThread, Vmo } from "../../../kernel/objects.ts";
import { sourceOf } from "../../../kernel/vmo_pages.ts";
import type { Syscall } from "../../../mod.ts";

class M2Kernel extends Kernel {
  protected override *detachVmo(t: KThread, vmo: Vmo): Syscall<void> {
    const src = sourceOf(vmo);
    if (src.detached || src.outstanding("READ").length > 0 || src.outstanding("DIRTY").length > 0) {
      return yield* super.detachVmo(t, vmo);
    }
    src.detach(); // nothing to wake, nothing to withdraw... and no COMPLETE either
    for (let p = 0; p < vmo.slots.length; p++) {
      const s = vmo.slots[p] as { state?: string } | undefined;
      if (vmo.pins.has(p)) continue;
      if (s !== undefined && typeof s === "object" && s.state === "clean") vmo.slots[p] = undefined;
    }
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new M2Kernel(options);
}
