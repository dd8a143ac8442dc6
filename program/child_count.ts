/**
 * What `ZX_INFO_VMO`'s `num_children` counts across a child's death, judged by the program
 * contract from the program's own calls (which VMO each child was made of, which handles are
 * open, which calls are in flight), not from the kernel's child lists.
 *
 * A VMO's user-visible children are those made of it that are still alive, and a child that dies
 * hands its own children to the VMO it was made of: upstream's root keeps one child after the
 * middle of a chain root → full clone → half clone is dropped (`Snapshot.ReleaseCowParentPagesRight`
 * and `...Left`, `...LeftAndRight`: `vmo->PollNumChildren(1)` after `full_clone.reset()`,
 * zircon/system/utest/core/pager/snapshot.cc, the library's copies at gnoliyil/fuchsia a69396a2
 * and misttech/fuchsia 4ed506d3). A VMO is alive while a handle, a mapping or a call holds it.
 * So, for the queried VMO `o` (alive: the query holds a handle to it), counting over the children
 * `c` the program made of it:
 *
 * - a child with an open handle is alive: it counts 1;
 * - a child with none is alive (a mapping or a call may hold it: 1) or dead (its children count
 *   in its place): at least 1 whenever its own lower count is at least 1, at most the larger of 1
 *   and its own upper count;
 * - a child with no open handle that no `zx_vmar_map` ever named, that no PMT of a `zx_bti_pin`
 *   holds (each pin that returned ZX_OK made one, its `zx_pmt_unpin` let it go; one closed without
 *   an unpin holds it for good) and that no call in flight names is dead: exactly its children's
 *   count;
 * - so is one a `zx_vmar_map` named and no PMT holds, once the program's picture of its
 *   address space holds no mapping of it and no other thread has any call in flight (a mapping
 *   lets go of its VMO when it is unmapped or overwritten, `VmMapping::DestroyLocked`'s
 *   `object_.reset()`, vm_mapping.cc @ misttech/fuchsia 59d70673; a call in flight may hold it
 *   through an address, as a user copy or a fault does, not only through a handle it named).
 *
 * `low` ≤ `num_children` ≤ `high`. Judged only when no other thread has a call in flight naming
 * the queried VMO or anything made of it (a child being made, a handle being replaced), and, for
 * `high`, only while every child the program made was made of a VMO the model knew.
 *
 * @example
 * ```ts
 * import { ChildCount } from "./child_count.ts";
 * const count = new ChildCount();
 * const made = new Map([[1, [2]], [2, [3]]]);
 * // root 1, middle 2 (closed, never mapped), grandchild 3 (open): the grandchild counts on 1.
 * const b = count.bounds(1, made, new Set([1, 3]), 0);
 * console.assert(b?.low === 1 && b.high === 1);
 * ```
 *
 * @module
 */

/** Bounds on a VMO's `num_children`. */
export interface ChildBounds {
  readonly low: number;
  readonly high: number;
}

/** The model's record of what may keep a VMO alive without a handle. */
export class ChildCount {
  /**
   * Per VMO a `zx_bti_pin` pinned (ZX_OK), the PMTs (the handle model's objects) that may still
   * hold it: a PMT holds its VMO until its `zx_pmt_unpin` returns ZX_OK, and for good once closed
   * without one (its BTI's quarantine). A pin that failed holds nothing once it returned.
   */
  readonly #pins = new Map<number, Set<number>>();
  /** A pin succeeded on a VMO, or made a PMT, the model did not know: any VMO may be held. */
  #pinUntracked = false;
  /** Objects a `zx_vmar_map` named: a mapping keeps them alive while it is there. */
  readonly #mapped = new Set<number>();
  /** Per thread with a call in flight, the objects its arguments named at its start. */
  readonly #inFlight = new Map<number, number[]>();
  /** A child was made of a VMO the model did not know: an upper bound would miss it. */
  #untracked = false;

  /** A call of thread `tid` started, naming `named` (the handle model's objects). */
  start(call: string, named: readonly number[], tid: number): void {
    if (call === "zx_vmar_map") { for (const o of named) this.#mapped.add(o); }
    this.#inFlight.set(tid, [...named]);
  }

  /**
   * Thread `tid`'s call finished with `status`; `knownParent`: for a `zx_vmo_create_child`,
   * whether the model knew the VMO it named. For a `zx_bti_pin`, `vmo` is the object it pinned
   * and `pmt` the token it handed out; for a `zx_pmt_unpin`, `pmt` is the token's object
   * (upstream a PMT keeps its VMO until it is unpinned: `PinnedMemoryTokenDispatcher::Unpin`
   * moves `pinned_vmo_` "to a temporary and to let its dtor unpin", and `on_zero_handles` without
   * an unpin leaves "the VMO pinned" in the quarantine; zircon/kernel/object/
   * pinned_memory_token_dispatcher.cc @ misttech/fuchsia 3281dd6b).
   */
  end(
    call: string,
    status: number,
    knownParent: boolean,
    tid: number,
    vmo?: number,
    pmt?: number,
  ): void {
    this.#inFlight.delete(tid);
    if (call === "zx_vmo_create_child" && status === 0 && !knownParent) this.#untracked = true;
    if (call === "zx_bti_pin" && status === 0) {
      if (vmo === undefined || typeof pmt !== "number") this.#pinUntracked = true;
      else {
        let s = this.#pins.get(vmo);
        if (s === undefined) this.#pins.set(vmo, s = new Set());
        s.add(pmt);
      }
    }
    if (call === "zx_pmt_unpin" && status === 0) {
      if (pmt === undefined) this.#pinUntracked = true;
      else for (const s of this.#pins.values()) s.delete(pmt);
    }
  }

  /**
   * The bounds of `object`'s `num_children`, given the children made of each VMO (`made`) and
   * the objects with an open handle (`open`), queried by thread `tid`; null when another call in
   * flight names the VMO or anything made of it. `mapsObject`: whether the program's picture of
   * its address space still maps an object (undefined: it cannot tell).
   */
  bounds(
    object: number,
    made: ReadonlyMap<number, readonly number[]>,
    open: ReadonlySet<number>,
    tid: number,
    mapsObject: (o: number) => boolean | undefined = () => undefined,
  ): ChildBounds | null {
    const family = new Set<number>([object]);
    const stack = [object];
    for (let o = stack.pop(); o !== undefined; o = stack.pop()) {
      for (const k of made.get(o) ?? []) {
        if (!family.has(k)) {
          family.add(k);
          stack.push(k);
        }
      }
    }
    for (const [t, named] of this.#inFlight) {
      if (t !== tid && named.some((o) => family.has(o))) return null;
    }
    let quiet = true;
    for (const t of this.#inFlight.keys()) if (t !== tid) quiet = false;
    const held = (c: number) =>
      this.#pinUntracked || (this.#pins.get(c)?.size ?? 0) > 0 ||
      (this.#mapped.has(c) && !(quiet && mapsObject(c) === false));
    const seen = new Set<number>();
    const count = (o: number): ChildBounds => {
      let low = 0, high = 0;
      for (const c of made.get(o) ?? []) {
        if (seen.has(c)) continue;
        seen.add(c);
        if (open.has(c)) {
          low += 1;
          high += 1;
          continue;
        }
        const sub = count(c);
        if (!held(c)) {
          low += sub.low;
          high += sub.high;
        } else {
          low += Math.min(1, sub.low);
          high += Math.max(1, sub.high);
        }
      }
      return { low, high };
    };
    const b = count(object);
    return this.#untracked ? { low: b.low, high: Infinity } : b;
  }
}
