// Test kernel (helper kfix26b, not a user's): a supply that reaches a scheduling point (drops
// the VMO lock) before it installs its pages, and only then installs them and resolves requests
// as the model does. Another thread may close the pager handle the supply named meanwhile: the
// call keeps what it resolved at entry (upstream holds a RefPtr to the dispatcher), so its
// handle check was passed; the detach the close made then fails the supply (ZX_ERR_BAD_STATE).
import { Kernel, type KernelOptions } from "../../../mod.ts";
import { VmoPages } from "../../../kernel/vmo_pages.ts";

type InsertArgs = Parameters<VmoPages["insertSupplied"]>;

class SlowSupplyPages extends VmoPages {
  protected override *insertSupplied(...args: InsertArgs): ReturnType<VmoPages["insertSupplied"]> {
    // deno-lint-ignore no-explicit-any
    yield { kind: "syscall" } as any;
    return yield* super.insertSupplied(...args);
  }
}

class SlowSupplyKernel extends Kernel {
  protected override createPages(): VmoPages {
    return new SlowSupplyPages(this);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new SlowSupplyKernel(options);
}
