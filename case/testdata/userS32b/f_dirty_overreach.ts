// trial32b's variant (a copy from /work/userS32b/variants, its "pagersim" import made relative).
// Bug (f): the DIRTY request's range runs one page too far (the "first contiguous run of
// not-yet-Dirty content" loop checks the page after the run before stopping), so the pager is
// asked to dirty a page that is already Dirty (or absent).
import {
  Kernel,
  type KernelOptions,
  type PagerProxy,
  PageSource,
  type RequestType,
  type Status,
  type Waiter,
} from "../../../mod.ts";

class DirtyOverreachSource extends PageSource {
  override populate(waiter: Waiter, type: RequestType, start: number, end: number): Status {
    return super.populate(waiter, type, start, type === "DIRTY" ? end + 1 : end); // BUG
  }
}

class DirtyOverreachKernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new DirtyOverreachSource(vmoKoid, proxy, this.sink, model.nextId);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new DirtyOverreachKernel(options);
}
