/**
 * Kernel mutants: {@linkcode Kernel} subclasses with one planted bug each,
 * plugged in through `makeKernel`, each overriding one step or one call
 * (no path of the model is copied). Program fuzzing must find every one and
 * shrink it to a few calls; they are the fuzzer's own test of its oracles.
 *
 * @module
 */

import {
  type Status,
  ZX_ERR_BAD_STATE,
  ZX_ERR_NOT_FOUND,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_RIGHT_WRITE,
} from "../kernel/constants.ts";
import { Kernel, type KernelOptions, type Syscall } from "../kernel/kernel.ts";
import type { KThread, Page, Vmo } from "../kernel/objects.ts";
import { VmoPages } from "../kernel/vmo_pages.ts";

/** The supply insert of {@linkcode DetachedSupplyNotFoundKernel}. */
class DetachedSupplyNotFoundPages extends VmoPages {
  protected override *insertSupplied(
    t: KThread,
    vmo: Vmo,
    base: number,
    pages: readonly (Page | undefined)[],
  ): Syscall<Status> {
    const st = yield* super.insertSupplied(t, vmo, base, pages);
    return st === ZX_ERR_BAD_STATE ? ZX_ERR_NOT_FOUND : st;
  }
}

/**
 * A wrong status on one error path: supplying to a detached VMO returns
 * `ZX_ERR_NOT_FOUND` (what old kernels reported inside, spec 8.2.1) instead
 * of `ZX_ERR_BAD_STATE` (spec 2.4 step 7). One step overridden: the supply
 * insert, where the detached check is.
 */
export class DetachedSupplyNotFoundKernel extends Kernel {
  protected override createPages(): VmoPages {
    return new DetachedSupplyNotFoundPages(this);
  }
}

/**
 * A leaked handle: `zx_handle_replace` hands out the new handle but keeps a
 * hidden second one to the object, so it outlives every handle the program
 * holds (and a VMO never dies, so COMPLETE is never sent).
 */
export class ReplaceLeaksKernel extends Kernel {
  override *zx_handle_replace(
    t: KThread,
    handle: number,
    rights: number,
  ): Syscall<[Status, number]> {
    const e = this.handles.entry(handle);
    const r = yield* super.zx_handle_replace(t, handle, rights);
    if (r[0] === ZX_OK && e !== undefined) this.handles.add(e.object, e.rights);
    return r;
  }
}

/**
 * A missing rights check: `zx_vmo_write` does not require `ZX_RIGHT_WRITE`
 * (it writes through a read-only handle as if it had the right).
 */
export class WriteWithoutRightKernel extends Kernel {
  override *zx_vmo_write(
    t: KThread,
    handle: number,
    data: Uint8Array,
    offset: number,
    buffer?: number,
  ): Syscall<Status> {
    const e = this.handles.entry(handle);
    if (e === undefined || e.object.objType !== ZX_OBJ_TYPE_VMO || e.rights & ZX_RIGHT_WRITE) {
      return yield* super.zx_vmo_write(t, handle, data, offset, buffer);
    }
    // Borrow a handle that has the right, as if the check were not there.
    const [, borrowed] = this.handles.add(e.object, e.rights | ZX_RIGHT_WRITE);
    try {
      return yield* super.zx_vmo_write(t, borrowed, data, offset, buffer);
    } finally {
      this.handles.remove(borrowed);
    }
  }
}

/** Every mutant by name, as a `makeKernel` factory. */
export const MUTANTS: Readonly<Record<string, (options: KernelOptions) => Kernel>> = {
  "detached-supply-not-found": (o) => new DetachedSupplyNotFoundKernel(o),
  "replace-leaks": (o) => new ReplaceLeaksKernel(o),
  "write-without-right": (o) => new WriteWithoutRightKernel(o),
};
