// Variant 1b: careful batching. A READ is widened past the faulted range, up to 4 more pages,
// but only over pages that are absent and not already requested, and never past the VMO's end.
import { Kernel, type KernelOptions } from "../../../mod.ts";
import { VmoPages } from "../../../kernel/vmo_pages.ts";

const EXTRA = 4;
type Args = Parameters<VmoPages["requestPages"]>;

class BatchingPages extends VmoPages {
  protected override *requestPages(...args: Args): ReturnType<VmoPages["requestPages"]> {
    const [t, root, w, type, start, end] = args;
    let wide = end;
    if (type === "READ" && root.source !== null) {
      const sizePages = Math.floor(root.size / root.pageSize);
      const busy = root.source.outstanding("READ");
      while (
        wide < end + EXTRA && wide < sizePages && root.slots[wide] === undefined &&
        !busy.some((r) => r.start <= wide && wide < r.end)
      ) wide++;
    }
    return yield* super.requestPages(t, root, w, type, start, wide);
  }
}

class BatchingKernel extends Kernel {
  protected override createPages(): VmoPages {
    return new BatchingPages(this);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new BatchingKernel(options);
}
