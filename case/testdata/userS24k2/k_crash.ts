// A variant whose override crashes where the kernel model calls it (as userS24k's k_type_error.ts
// did, through a typo an unchecked cast let through): detach throws a TypeError.
import { Kernel, type KernelOptions } from "../../../mod.ts";
import { PageSource } from "../../../kernel/page_source.ts";
import type { PagerProxy } from "../../../kernel/pager_proxy.ts";

class CrashingSource extends PageSource {
  override detach(): void {
    throw new TypeError("this.outstandng is not a function");
  }
}

class CrashKernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const base = super.createPageSource(vmoKoid, proxy);
    return new CrashingSource(vmoKoid, proxy, this.sink, base.nextId);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new CrashKernel(options);
}
