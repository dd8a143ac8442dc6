// Variant 2c: a supply wakes the waiters first, drops the VMO lock (a scheduling point), and
// only then installs the pages ("wake early to cut latency").
import { Kernel, type KernelOptions } from "../../../mod.ts";
import { sourceOf, VmoPages } from "../../../kernel/vmo_pages.ts";

type InsertArgs = Parameters<VmoPages["insertSupplied"]>;

class WakeFirstPages extends VmoPages {
  protected override *insertSupplied(...args: InsertArgs): ReturnType<VmoPages["insertSupplied"]> {
    const [, vmo, base, pages] = args;
    const src = sourceOf(vmo);
    if (!src.detached) src.onPagesSupplied(base, base + pages.length); // wake now
    // deno-lint-ignore no-explicit-any
    yield { kind: "syscall" } as any; // lock dropped: others may run before the insert
    return yield* super.insertSupplied(...args);
  }
}

class WakeThenInstallKernel extends Kernel {
  protected override createPages(): VmoPages {
    return new WakeFirstPages(this);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new WakeThenInstallKernel(options);
}
