/**
 * A read of a clone after its pager VMO was detached, judged by the program contract from the
 * program's own calls (not the kernel's record): in a one-thread program, a fixed-size
 * at-least-on-write clone made directly of a fixed-size pager VMO, which nothing but reads and
 * info or size queries ever named, owns no page; once its parent was detached, every page the
 * clone sees of it is gone if nothing but supplies, reads, queries, clone births and the detach
 * ever named the parent (its pages were all clean: a detach decommits clean pages), so a
 * `zx_vmo_read` of the clone over them fails: it must not return ZX_OK.
 *
 * Upstream: `Pager.CloneDetachTest` (zircon/system/utest/core/pager/pager.cc @ misttech/fuchsia
 * b394d1c8): after `DetachVmo`, a read of a clone's page "previously paged in but not forked
 * ... should now have been decommitted. Should result in a fatal page fault" with
 * ZX_ERR_BAD_STATE, and only the page the clone forked by a write still reads. A read never
 * forks a page into a clone; the kernel's detached-access rule (K12) names the status, this rule
 * that the read fails at all.
 *
 * @example
 * ```ts
 * import { CloneDetachRead } from "./clone_detach_read.ts";
 * import { HandleModel } from "./handle_model.ts";
 * import {
 *   ZX_OBJ_TYPE_VMO, ZX_OK, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
 * } from "../kernel/constants.ts";
 * const model = new HandleModel();
 * model.create(3, ZX_OBJ_TYPE_VMO, 0, 2, 8192); // a 2-page pager VMO of pager 2
 * const r = new CloneDetachRead();
 * const child = [3, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, 8192];
 * r.start("zx_vmo_create_child", child, model, true);
 * r.end("zx_vmo_create_child", child, ZX_OK, 9, model);
 * model.create(9, ZX_OBJ_TYPE_VMO, 0, 2);
 * r.start("zx_pager_detach_vmo", [2, 3], model, true);
 * r.end("zx_pager_detach_vmo", [2, 3], ZX_OK, 0, model);
 * r.start("zx_vmo_read", [9, 0, 4096], model, true);
 * console.assert(r.end("zx_vmo_read", [9, 0, 4096], ZX_OK, 0, model)?.startsWith("returned ZX_OK") === true);
 * ```
 *
 * @module
 */

import { ZX_OK, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE } from "../kernel/constants.ts";
import type { HandleModel } from "./handle_model.ts";

/** Calls that may name the pager VMO without changing what a detach leaves of it. */
const ROOT_CALLS: ReadonlySet<string> = new Set([
  "zx_pager_supply_pages",
  "zx_vmo_read",
  "zx_object_get_info",
  "zx_vmo_get_size",
  "zx_vmo_create_child",
  "zx_pager_detach_vmo",
]);

/** Calls that may name the clone without giving it a page of its own. */
const CLONE_CALLS: ReadonlySet<string> = new Set([
  "zx_vmo_read",
  "zx_object_get_info",
  "zx_vmo_get_size",
]);

/** A pager VMO the rule follows. */
interface Root {
  /** Its size in bytes, page-rounded by the caller's reads (the fixed size it was made with). */
  readonly size: number;
  tainted: boolean;
  detached: boolean;
}

/** A clone the rule follows. */
interface Clone {
  readonly root: number;
  /** Its offset into the root and its size, in bytes. */
  readonly offset: number;
  readonly size: number;
  tainted: boolean;
}

/** True if `x` is a whole number in [0, 2^53). */
function whole(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
}

/** The rule, one per run: {@linkcode start} as a call begins, {@linkcode end} as it returns. */
export class CloneDetachRead {
  readonly #roots = new Map<number, Root>();
  readonly #clones = new Map<number, Clone>();
  /** Clones made, by the handle value the call handed back, not yet seen in the model. */
  readonly #born = new Map<number, Clone>();
  /** Whether the read that is running must fail. */
  #mustFail = false;
  #off = false;

  /** A call begins; `single`: the program has one thread. */
  start(call: string, args: readonly unknown[], model: HandleModel, single: boolean): void {
    this.#mustFail = false;
    if (!single) this.#off = true;
    if (this.#off) return;
    for (const [h, c] of this.#born) {
      const o = model.get(h)?.object;
      if (o !== undefined) this.#clones.set(o, c);
    }
    this.#born.clear();
    if (call === "zx_vmo_read") this.#mustFail = this.#judged(args, model);
    // A slice or reference of the pager VMO writes its pages without naming it.
    const sharing = call === "zx_vmo_create_child" &&
      args[1] !== ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
    for (const o of model.objectsNamed(args)) {
      const c = this.#clones.get(o);
      if (c !== undefined && !CLONE_CALLS.has(call)) c.tainted = true;
      if (c === undefined && !this.#roots.has(o)) this.#rootOf(o, model, args);
      const r = this.#roots.get(o);
      if (r !== undefined && (!ROOT_CALLS.has(call) || sharing)) r.tainted = true;
    }
  }

  /** A call returned `status` (and `value`, a handle it made): what is wrong with it, or null. */
  end(
    call: string,
    args: readonly unknown[],
    status: number,
    value: number,
    model: HandleModel,
  ): string | null {
    const mustFail = this.#mustFail;
    this.#mustFail = false;
    if (this.#off) return null;
    if (call === "zx_vmo_read") {
      return mustFail && status === ZX_OK
        ? "returned ZX_OK, but the clone owns no page and its pager VMO, all of whose pages " +
          "were clean, was detached: the pages it sees are gone (a read never forks a page " +
          "into a clone; a detach decommits clean pages)"
        : null;
    }
    if (status !== ZX_OK) return null;
    if (call === "zx_pager_detach_vmo") {
      const o = model.get(args[1])?.object;
      const r = o === undefined ? undefined : this.#roots.get(o);
      if (r !== undefined) r.detached = true;
    } else if (call === "zx_vmo_create_child") {
      const o = model.get(args[0])?.object;
      const r = o === undefined ? undefined : this.#roots.get(o);
      const [options, offset, size] = [args[1], args[2], args[3]];
      if (
        o !== undefined && r !== undefined && !r.tainted && !r.detached &&
        options === ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE && whole(offset) && whole(size)
      ) this.#born.set(value, { root: o, offset, size, tainted: false });
    }
    return null;
  }

  /** Follows object `o` from its first naming if it is a fixed-size pager VMO, no clone. */
  #rootOf(o: number, model: HandleModel, args: readonly unknown[]): void {
    for (const a of args) {
      const h = model.get(a);
      if (h === undefined || h.object !== o) continue;
      if (h.pager !== null && h.clone !== true && h.fixedSize !== undefined) {
        this.#roots.set(o, { size: h.fixedSize, tainted: false, detached: false });
      }
      return;
    }
  }

  /** Whether a `zx_vmo_read(args)` must fail: a clean clone of a clean, detached root, in range. */
  #judged(args: readonly unknown[], model: HandleModel): boolean {
    const o = model.get(args[0])?.object;
    const c = o === undefined ? undefined : this.#clones.get(o);
    if (c === undefined || c.tainted) return false;
    const r = this.#roots.get(c.root);
    if (r === undefined || r.tainted || !r.detached) return false;
    const [offset, length] = [args[1], args[2]];
    return whole(offset) && whole(length) && length > 0 && offset + length <= c.size &&
      c.offset + offset + length <= r.size && args.length <= 3;
  }
}
