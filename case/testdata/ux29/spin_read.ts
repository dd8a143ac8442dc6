// A kernel variant that loops inside every zx_vmo_read: the Vmo row of a conformance pair hangs,
// its Vmar twin (same id; it reads through a mapping) passes. Session 29: the guarded run asked
// its worker for rows by id, so a pair's second row ran its first row again.
import { Kernel, type KernelOptions } from "../../../mod.ts";

class SpinReadKernel extends Kernel {
  protected override *vmoRead(
    ...args: Parameters<Kernel["vmoRead"]>
  ): ReturnType<Kernel["vmoRead"]> {
    for (;;) if (args.length < 0) return yield* super.vmoRead(...args);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new SpinReadKernel(options);
}
