/**
 * Which pages of a pager VMO the kernel may evict, predicted from the trace alone (spec 6.3):
 * a Clean page of a live pager-backed root that no pin in force covers and no ALWAYS_NEED hint
 * protects. Upstream's test is `VmCowPages::ReclaimPageForEvictionLocked` (a Clean page, not
 * pinned, not `always_need`: zircon/kernel/vm/vm_cow_pages.cc @ misttech/fuchsia 030dcba0, as
 * conformance/evict.ts cites it; the ALWAYS_NEED hint (`ProtectRangeFromReclamationLocked`
 * there) sets `always_need` and no later op clears it, as the kernel model keeps it). `page-state` asks it at each `kernel_evict`
 * step: the page evicted must have been evictable, and the list the kernel offers the environment
 * ({@linkcode Kernel.evictablePages}, what the evictor picks from) must be exactly this set, so a
 * kernel that would evict a Dirty, pinned or ALWAYS_NEED page, or that offers one, fails even
 * when the environment's draw picked another page.
 *
 * @module
 */

import type { SlotKind } from "../kernel/events.ts";
import { slotKind, type Vmo } from "../kernel/objects.ts";

/** A number naming page `page` of the VMO with koid `vmo` (pages stay below 2^20). */
function key(vmo: number, page: number): number {
  return vmo * 2 ** 21 + page;
}

/**
 * ALWAYS_NEED hints seen in the trace, and the prediction of the evictable set. A hint given
 * through a child (a clone, slice or reference) lands on the root at the child's offset: spec
 * 2.8.2 (the flag is set on root pages) and 6.1 (a child's offsets are translated to the
 * root's); upstream `VmObjectPaged::HintRange` hands the child's own range to its
 * `VmCowPages::ProtectRangeFromReclamation` (zircon/kernel/vm/vm_object_paged.cc @
 * misttech/mist-os 9da14a83), which reaches only the parent pages the child sees there. Which
 * of the root's pages under the hinted window end up protected is not followed page by page (the
 * child may hold its own page there, or see none of the root's): those pages are "loose", either
 * may hold. A root page outside every such window is judged as if no child had hinted.
 */
export class EvictionOracle {
  /** Pages an ALWAYS_NEED hint that returned ZX_OK protects. */
  readonly #always = new Set<number>();
  /** Pages a hint still running (its commit may block) may protect, or not yet. */
  readonly #maybe = new Set<number>();
  /**
   * Root pages under a hint through a child, `[start + shift, end + shift)` with `shift` the
   * child's offset into its root in pages: each may be protected or not.
   */
  readonly #loose = new Set<number>();

  /** True once any hint was seen (the common run has none: no per-page work). */
  get hinted(): boolean {
    return this.#maybe.size + this.#always.size + this.#loose.size > 0;
  }

  /**
   * A `zx_vmo_op_range(ALWAYS_NEED)` of `vmo` over `[offset, offset + size)`: `done` at its
   * ZX_OK return, else at its call (the hint lands after its commit, which may block).
   */
  hint(vmo: Vmo, offset: unknown, size: unknown, pageSize: number, done: boolean): void {
    if (typeof offset !== "number" || typeof size !== "number" || size <= 0) return;
    const first = Math.floor(offset / pageSize);
    const end = Math.min(Math.ceil((offset + size) / pageSize), vmo.slots.length);
    if (vmo.source === null) {
      // Not clipped to the root's size: a root shrunk below the child's view and grown again
      // is not judged under the window either way.
      const root = vmo.root;
      const shift = vmo.rootShift;
      for (let p = first + shift; p < end + shift; p++) this.#loose.add(key(root.koid, p));
      return;
    }
    for (let p = first; p < end; p++) (done ? this.#always : this.#maybe).add(key(vmo.koid, p));
  }

  /** Whether page `p` of `vmo` is protected: true, false, or undefined when either may hold. */
  #protected(vmo: Vmo, p: number): boolean | undefined {
    const k = key(vmo.koid, p);
    if (this.#always.has(k)) return true;
    if (this.#maybe.has(k) || this.#loose.has(k)) return undefined;
    return false;
  }

  /**
   * Whether the kernel may evict page `p` of `vmo`, whose slot was of `kind`, now: true, false, or
   * undefined when a hint not followed may protect it.
   */
  evictable(vmo: Vmo, p: number, kind: SlotKind, pinned: boolean): boolean | undefined {
    if (vmo.source === null || vmo.dead || pinned || kind !== "clean") return false;
    const prot = this.#protected(vmo, p);
    return prot === undefined ? undefined : !prot;
  }

  /**
   * The first disagreement between `offered` (the kernel's evictable list of `vmo`) and the
   * prediction, as a message, or null.
   */
  compare(vmo: Vmo, offered: readonly number[], pinnedAt: (p: number) => boolean): string | null {
    const set = new Set(offered);
    for (const p of set) {
      if (!Number.isInteger(p) || p < 0 || p >= vmo.slots.length) {
        return `vmo${vmo.koid}: the kernel offers page ${p} for eviction, outside the VMO`;
      }
    }
    for (let p = 0; p < vmo.slots.length; p++) {
      const kind = slotKind(vmo.slots[p]);
      const want = this.evictable(vmo, p, kind, pinnedAt(p));
      if (want === undefined || want === set.has(p)) continue;
      return want
        ? `vmo${vmo.koid} page ${p} (clean, unpinned, no ALWAYS_NEED) is not offered for eviction`
        : `vmo${vmo.koid} page ${p} (${kind}${
          pinnedAt(p) ? ", pinned" : ""
        }) is offered for eviction`;
    }
    return null;
  }
}
