/**
 * What a DECOMMIT of an anonymous VMO leaves committed, judged by the program contract against
 * the program's own record of its calls (not the kernel's): after `zx_vmo_op_range(DECOMMIT)`
 * returns ZX_OK on a plain or contiguous VMO, the pages of its range hold no memory of that VMO,
 * so `ZX_INFO_VMO`'s `committed_bytes` is at most the VMO's size less those pages, until some
 * call may commit them again. The other side of {@linkcode CommitFloor} (program/commit_floor.ts).
 *
 * Upstream: `VmCowPages::DecommitRangeLocked` ends in `UnmapAndRemovePagesLocked`, which removes
 * every page of the range from the VMO's page list and frees it (`pmm_free`); a contiguous VMO's
 * pages go back to its physical page provider, loaned (vm_cow_pages.cc, vm_object_paged.cc
 * `DecommitRange` @ gnoliyil/fuchsia 0ad2d850); `committed_bytes` is "the amount of memory
 * currently allocated to this VMO" (zx_object_get_info.md, ZX_INFO_VMO). Nothing but a call can
 * commit an anonymous VMO's page again: a read of a contiguous one or a write of either, a
 * COMMIT, a pin, a fault through a mapping, a child's access to the pages it shares. So the ceiling is kept only for a VMO no
 * mapping was ever asked for (`zx_vmar_map` naming it, whatever it returned) and no child was
 * made of; it is set only when no other call naming the VMO is in flight as the DECOMMIT
 * returns, and is forgotten as soon as any call naming one of the VMO's handles starts, but a
 * `zx_object_get_info` or `zx_vmo_get_size`, a ZERO of a plain VMO, a DONT_NEED or ALWAYS_NEED
 * hint of one (upstream ignores hints for a VMO with no user pager), or a `zx_vmo_read` of one (an
 * absent page reads as the zero page).
 *
 * @example
 * ```ts
 * import { CommitCeiling } from "./commit_ceiling.ts";
 * const c = new CommitCeiling();
 * c.decommitted(7, 0, 2);
 * console.assert(c.over(7, 4096, 2 * 4096, 4096) !== null);
 * console.assert(c.over(7, 0, 2 * 4096, 4096) === null);
 * ```
 *
 * @module
 */

import {
  ZX_OK,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_DONT_NEED,
  ZX_VMO_OP_ZERO,
} from "../kernel/constants.ts";
import type { VmoInfo } from "../kernel/syscalls.ts";
import type { HandleModel } from "./handle_model.ts";

/** Calls that never commit an anonymous VMO's pages. */
const KEEPS = new Set(["zx_object_get_info", "zx_vmo_get_size"]);

/**
 * Whether the call is a `zx_vmo_op_range(ZERO)` of a plain anonymous VMO, which commits none of
 * the pages it lacks: `VmObjectPaged::ZeroPartialPage` skips a page `PageWouldReadZeroLocked`
 * says is "not currently committed" and would read as zero ("This is already considered zero so
 * no need to redundantly zero again", vm_object_paged.cc @ misttech/fuchsia), and the whole pages
 * of a VMO with no parent and no page source are zeroed by leaving them (or making them) absent.
 */
function zeroesPlain(call: string, args: readonly unknown[], model: HandleModel): boolean {
  return call === "zx_vmo_op_range" && args[1] === ZX_VMO_OP_ZERO &&
    model.get(args[0])?.anonymous === "plain";
}

/**
 * Whether the call is a `zx_vmo_op_range(DONT_NEED)` or `(ALWAYS_NEED)` of a plain anonymous VMO,
 * which commits nothing: `VmObjectPaged::HintRange` returns ZX_OK at once for a VMO with no user
 * pager ("Ignore hints for non user-pager-backed VMOs", vm_object_paged.cc).
 */
function hintsPlain(call: string, args: readonly unknown[], model: HandleModel): boolean {
  return call === "zx_vmo_op_range" &&
    (args[1] === ZX_VMO_OP_DONT_NEED || args[1] === ZX_VMO_OP_ALWAYS_NEED) &&
    model.get(args[0])?.anonymous === "plain";
}

/**
 * Whether the call is a `zx_vmo_read` of a plain anonymous VMO, which commits none of the pages
 * it reads: the read path looks each page up with `LookupCursor::RequireReadPage` ("Returned page
 * will only be read from. This can return zero pages or pages from a parent VMO"), and a slot of
 * a VMO with no page source is content zero ("Content is initially zero if either there isn't a
 * page source, or the offset is in a zero interval"; only a contiguous VMO's source is excepted),
 * so an absent page reads as the shared zero page and nothing is allocated
 * (zircon/kernel/vm/include/vm/vm_cow_pages.h @ misttech/fuchsia 01ae4fc3). The buffer it writes
 * is another VMO's, or this one's only through a mapping, and a mapped VMO keeps no ceiling.
 */
function readsPlain(call: string, args: readonly unknown[], model: HandleModel): boolean {
  return call === "zx_vmo_read" && model.get(args[0])?.anonymous === "plain";
}

/** The pages each anonymous VMO (by the handle model's object id) surely lacks since a DECOMMIT. */
export class CommitCeiling {
  readonly #absent = new Map<number, Set<number>>();
  /** Calls naming each object that started and did not end yet. */
  readonly #busy = new Map<number, number>();
  /** Objects a `zx_vmar_map` ever named: a fault through a mapping may commit them. */
  readonly #mapped = new Set<number>();

  /** Records pages `[from, to)` of `object` decommitted. */
  decommitted(object: number, from: number, to: number): void {
    let s = this.#absent.get(object);
    if (s === undefined) this.#absent.set(object, s = new Set());
    for (let p = from; p < to; p++) s.add(p);
  }

  /**
   * Why `committedBytes` of `object`, of `sizeBytes`, is too many for its ceiling (pages of
   * `pageSize` bytes), or null when it is not.
   */
  over(object: number, committedBytes: number, sizeBytes: number, pageSize: number): string | null {
    const n = this.#absent.get(object)?.size ?? 0;
    const most = sizeBytes - n * pageSize;
    return n === 0 || committedBytes <= most ? null : `committed_bytes ${committedBytes}, but a ` +
      `DECOMMIT left ${n} of its pages absent (at most ${most} bytes committed)`;
  }

  /** A call started with `args` (resolved): what it names may change from here on. */
  start(call: string, args: readonly unknown[], model: HandleModel): void {
    for (const o of model.objectsNamed(args)) {
      this.#busy.set(o, (this.#busy.get(o) ?? 0) + 1);
      if (call === "zx_vmar_map") this.#mapped.add(o);
      if (
        !KEEPS.has(call) && !zeroesPlain(call, args, model) && !hintsPlain(call, args, model) &&
        !readsPlain(call, args, model)
      ) {
        this.#absent.delete(o);
      }
    }
    if (call === "zx_vmar_op_range") this.#absent.clear();
  }

  /**
   * Judges one finished call (`status`, and `info` when it reported a VMO's info), then records
   * it, before the call's own effect on the handle model: returns the failure message, or null.
   * `start` must have seen the same call.
   */
  end(
    call: string,
    args: readonly unknown[],
    status: number,
    info: VmoInfo | undefined,
    model: HandleModel,
    pageSize: number,
  ): string | null {
    const named = model.objectsNamed(args);
    for (const o of named) {
      const n = (this.#busy.get(o) ?? 1) - 1;
      if (n === 0) this.#busy.delete(o);
      else this.#busy.set(o, n);
    }
    const h = model.get(args[0]);
    // Only a query without a user buffer, as CommitFloor (the record is taken before a copy-out
    // that may block).
    if (
      call === "zx_object_get_info" && args[2] === undefined && info !== undefined &&
      h !== undefined
    ) return this.over(h.object, info.committedBytes, info.sizeBytes, pageSize);
    const [, op, offset, size] = args;
    if (
      call === "zx_vmo_op_range" && op === ZX_VMO_OP_DECOMMIT && status === ZX_OK &&
      h?.anonymous !== undefined && typeof offset === "number" && typeof size === "number" &&
      offset % pageSize === 0 && size % pageSize === 0 && !this.#busy.has(h.object) &&
      !this.#mapped.has(h.object) && (model.childrenMade.get(h.object)?.length ?? 0) === 0
    ) this.decommitted(h.object, offset / pageSize, (offset + size) / pageSize);
    return null;
  }
}
