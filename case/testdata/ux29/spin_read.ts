// A kernel variant that loops inside every zx_vmo_read: the Vmo row of a conformance pair hangs,
// its Vmar twin (same id; it reads through a mapping) passes. Session 29: the guarded run asked
// its worker for rows by id, so a pair's second row ran its first row again.
import { Kernel, type KernelOptions } from "../../../mod.ts";

class SpinReadKernel extends Kernel {
  protected override *vmoRead(
    ...args: Parameters<Kernel["vmoRead"]>
  ): ReturnType<Kernel["vmoRead"]> {
    // Session 37: the loop blocks in Atomics.wait on a cell nothing notifies (it spun): the same
    // row that never returns to the guard, without burning a core for each limit.
    const cell = new Int32Array(new SharedArrayBuffer(4));
    for (;;) {
      if (args.length < 0) return yield* super.vmoRead(...args);
      Atomics.wait(cell, 0, 0);
    }
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new SpinReadKernel(options);
}
