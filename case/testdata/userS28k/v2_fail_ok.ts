// userS28k's v2_fail_ok.ts (a copy, import made relative).
// Variant 2: OP_FAIL swallows the pager's error: waiters are woken with ZX_OK (they retry the
// lookup and ask again) instead of the code the pager passed.
import {
  Kernel,
  type KernelOptions,
  type PagerProxy,
  PageSource,
  type Status,
} from "../../../mod.ts";
import { ZX_OK } from "../../../kernel/constants.ts";

class SwallowFailSource extends PageSource {
  override onPagesFailed(start: number, end: number, _error: Status): void {
    super.onPagesFailed(start, end, ZX_OK);
  }
}

class SwallowFailKernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new SwallowFailSource(vmoKoid, proxy, this.sink, model.nextId);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new SwallowFailKernel(options);
}
