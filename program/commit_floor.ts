/**
 * What a COMMIT of a plain anonymous VMO leaves committed, judged by the program contract against
 * the program's own record of its calls (not the kernel's): after `zx_vmo_op_range(COMMIT)`
 * returns ZX_OK on a fixed-size VMO `zx_vmo_create` made, every page of the range inside the VMO
 * holds memory, so `ZX_INFO_VMO`'s `committed_bytes` is at least those pages until some call
 * may take pages away again.
 *
 * Upstream: `VmObjectPaged::CommitRangeInternal` (gnoliyil/fuchsia 0ad2d850
 * zircon/kernel/vm/vm_object_paged.cc) trims the range to the VMO and commits it page by page
 * until `len` is 0 (an anonymous VMO has no page source: no request to wait on, so ZX_OK means
 * every page of the trimmed range was allocated); `committed_bytes` is "the amount of memory
 * currently allocated to this VMO" (zx_object_get_info.md, ZX_INFO_VMO). What may take pages
 * away: DECOMMIT and ZERO (`ZeroRange` may free whole pages), a shrink, a supply that moves the
 * pages out (`zx_pager_supply_pages` with the VMO as its aux), a VMAR op over a mapping of it;
 * so any call that names one of the VMO's handles but a read, a write, a COMMIT or an info query,
 * and any `zx_vmar_op_range`, forgets the VMO's floor (a number that only looks like a handle
 * forgets it too: never a false alarm). The model has no zero-page scanner; upstream's
 * asynchronous dedup of zero pages (`ScanForZeroPages`) is outside what a program can rely on
 * and outside the model.
 *
 * @example
 * ```ts
 * import { CommitFloor } from "./commit_floor.ts";
 * const floor = new CommitFloor();
 * // Nothing committed yet: any info passes.
 * console.assert(floor.short(7, 0, 4096) === null);
 * floor.committed(7, 0, 3);
 * console.assert(floor.short(7, 4096, 4096) === "committed_bytes 4096, but a COMMIT left 3 pages (12288 bytes) committed");
 * floor.forget(7);
 * console.assert(floor.short(7, 0, 4096) === null);
 * ```
 *
 * @module
 */

import { ZX_OK, ZX_VMO_OP_COMMIT } from "../kernel/constants.ts";
import type { VmoInfo } from "../kernel/syscalls.ts";
import type { HandleModel } from "./handle_model.ts";

/** Calls that never take an anonymous VMO's committed pages away. */
const KEEPS = new Set(["zx_vmo_read", "zx_vmo_write", "zx_object_get_info", "zx_vmo_get_size"]);

/**
 * Whether a call keeps the pages a COMMIT left a VMO its own: a read, a write, a COMMIT, a size
 * or an info query (the floors of {@linkcode CommitFloor} and `CloneCommitFloor`).
 */
export function keepsCommitted(call: string, args: readonly unknown[]): boolean {
  return KEEPS.has(call) || (call === "zx_vmo_op_range" && args[1] === ZX_VMO_OP_COMMIT);
}

/** The pages each VMO (by the handle model's object id) surely holds since a COMMIT. */
export class CommitFloor {
  readonly #pages = new Map<number, Set<number>>();

  /** Records pages `[from, to)` of `object` committed. */
  committed(object: number, from: number, to: number): void {
    let s = this.#pages.get(object);
    if (s === undefined) this.#pages.set(object, s = new Set());
    for (let p = from; p < to; p++) s.add(p);
  }

  /** How many pages `object` surely holds. */
  pages(object: number): number {
    return this.#pages.get(object)?.size ?? 0;
  }

  /** Forgets what `object` surely holds. */
  forget(object: number): void {
    this.#pages.delete(object);
  }

  /** Forgets every object's floor. */
  forgetAll(): void {
    this.#pages.clear();
  }

  /**
   * Why `committedBytes` of `object` is too few for its floor (pages of `pageSize` bytes), or
   * null when it is not.
   */
  short(object: number, committedBytes: number, pageSize: number): string | null {
    const n = this.pages(object);
    return committedBytes >= n * pageSize
      ? null
      : `committed_bytes ${committedBytes}, but a COMMIT left ${n} pages (${
        n * pageSize
      } bytes) committed`;
  }

  /**
   * Judges one finished call (`status`, and `info` when it reported a VMO's info) and then
   * records it: returns the failure message, or null.
   */
  observe(
    call: string,
    args: readonly unknown[],
    status: number,
    info: VmoInfo | undefined,
    model: HandleModel,
    pageSize: number,
  ): string | null {
    const h = model.get(args[0]);
    let failure: string | null = null;
    // Only a query without a user buffer: with one, the kernel takes the record before a
    // copy-out that may block (kernel/kernel.ts `objectGetInfo`), while another thread's COMMIT
    // returns and raises the floor past what the record saw (run.ts `infoCounts` skips it too).
    if (
      call === "zx_object_get_info" && args[2] === undefined && info !== undefined &&
      h !== undefined
    ) {
      failure = this.short(h.object, info.committedBytes, pageSize);
    }
    if (call === "zx_vmar_op_range") {
      this.forgetAll();
      return failure;
    }
    const commit = call === "zx_vmo_op_range" && args[1] === ZX_VMO_OP_COMMIT;
    if (!keepsCommitted(call, args)) {
      for (const o of model.objectsNamed(args)) this.forget(o);
    }
    const [, , offset, size] = args;
    if (
      commit && status === ZX_OK && h !== undefined && h.anonymous === "plain" &&
      h.fixedSize !== undefined && typeof offset === "number" && typeof size === "number"
    ) {
      const pages = Math.ceil(h.fixedSize / pageSize);
      const from = Math.floor(offset / pageSize);
      const to = Math.min(pages, Math.ceil((offset + size) / pageSize));
      this.committed(h.object, from, to);
    }
    return failure;
  }
}
