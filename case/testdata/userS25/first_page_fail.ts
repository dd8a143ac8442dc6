// A kernel variant: OP_FAIL over several pages fails only the first page of the range
// (an off-by-range bug in request tracking). The rest of the request stays outstanding.
import {
  Kernel,
  type KernelOptions,
  type PagerProxy,
  PageSource,
  type Status,
} from "../../../mod.ts";

class FirstPageFailSource extends PageSource {
  override onPagesFailed(start: number, end: number, error: Status): void {
    super.onPagesFailed(start, Math.min(end, start + 1), error);
  }
}

class FirstPageFailKernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new FirstPageFailSource(vmoKoid, proxy, this.sink, model.nextId);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new FirstPageFailKernel(options);
}
