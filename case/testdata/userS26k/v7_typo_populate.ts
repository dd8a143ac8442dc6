// userS26k's v7_typo_populate.ts (a copy, import made relative): populate calls a misspelt method through an any cast.
import {
  Kernel,
  type KernelOptions,
  type PagerProxy,
  PageSource,
  type RequestType,
  type Status,
  type Waiter,
} from "../../../mod.ts";
class TypoSource extends PageSource {
  override populate(waiter: Waiter, type: RequestType, start: number, end: number): Status {
    // deno-lint-ignore no-explicit-any
    if ((this as any).outstandng(type).length > 99) return 0;
    return super.populate(waiter, type, start, end);
  }
}
class TypoKernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new TypoSource(vmoKoid, proxy, this.sink, model.nextId);
  }
}
export function makeKernel(options: KernelOptions): Kernel {
  return new TypoKernel(options);
}
