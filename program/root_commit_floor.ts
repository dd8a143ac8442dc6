/**
 * What a COMMIT of a pager VMO leaves committed, judged by the program contract against the
 * program's own record of its calls (not the kernel's): after `zx_vmo_op_range(COMMIT)` returns
 * ZX_OK on a fixed-size VMO `zx_pager_create_vmo` made, every page of the range inside the VMO
 * holds memory, so `ZX_INFO_VMO`'s `committed_bytes` is at least those pages until some call
 * may take pages away again. The sibling of {@linkcode CommitFloor} (program/commit_floor.ts,
 * plain anonymous VMOs) and `CloneCommitFloor` (clones of pager VMOs).
 *
 * Upstream: `VmObjectPaged::CommitRangeInternal` (zircon/kernel/vm/vm_object_paged.cc @
 * misttech/fuchsia 056f3590) loops until `len` is 0, waiting on each page request it meets, so
 * ZX_OK means every page of the trimmed range was committed; a zero-page marker the pager
 * supplied (an aux page that held no memory) is given a Clean zero page of its own
 * (`RequireOwnedPage`: "Markers start clean", vm_cow_pages.cc @ misttech/fuchsia 030dcba0, the
 * model's row C1); `committed_bytes` is "the amount of memory currently allocated to this VMO"
 * (zx_object_get_info.md, ZX_INFO_VMO).
 *
 * What may take a pager VMO's pages away: a call that names it (DECOMMIT, ZERO, a hint, a pager
 * op, a detach, a supply into it, a child made of it, whose ZERO or DECOMMIT reaches the root's
 * pages), its pager's last handle closed (a detach), a VMAR op over a mapping of it, and
 * eviction. Programs have no evictor (the environment's eviction knob is the scenarios' only; the
 * program contract's other pager rules, `CompleteModel`'s pin of supplied pages, assume it too),
 * but a contiguous VMO taking back the frames it lent may make the kernel evict a borrower's
 * clean page instead of copying it (`is_replace_on_unloan_enabled` is a boot option). So the
 * floor is set only when no other call naming the VMO or its pager is in flight as the COMMIT
 * returns, never for a VMO a child was asked of, nor for one a detach named or whose pager a
 * close named (a detached VMO may lose its clean pages: "the kernel will make an effort to
 * ensure that the faults happen as quickly as possible (e.g. by evicting present pages)",
 * docs/reference/syscalls/pager_create.md @ gnoliyil/fuchsia 2c7988ee), and is forgotten as
 * soon as any call naming the VMO or its pager starts or ends but a read, a write, a COMMIT, a
 * size query or an info query, at any `zx_vmar_op_range`, and (every floor) at any call naming a
 * contiguous VMO but an info or size query.
 *
 * @example
 * ```ts
 * import { RootCommitFloor } from "./root_commit_floor.ts";
 * import { HandleModel } from "./handle_model.ts";
 * import { ZX_INFO_VMO, ZX_OBJ_TYPE_PAGER, ZX_OBJ_TYPE_VMO, ZX_OK, ZX_VMO_OP_COMMIT } from "../kernel/constants.ts";
 * const model = new HandleModel();
 * model.create(2, ZX_OBJ_TYPE_PAGER);
 * model.create(3, ZX_OBJ_TYPE_VMO, 0, 2, 2 * 4096); // a 2-page pager VMO of pager 2
 * const f = new RootCommitFloor();
 * const commit = [3, ZX_VMO_OP_COMMIT, 0, 2 * 4096];
 * f.start("zx_vmo_op_range", commit, model, 0);
 * f.end("zx_vmo_op_range", commit, ZX_OK, undefined, model, 4096, 0);
 * const info = (bytes: number) => ({ committedBytes: bytes }) as never;
 * f.start("zx_object_get_info", [3, ZX_INFO_VMO], model, 0);
 * console.assert(f.end("zx_object_get_info", [3, ZX_INFO_VMO], ZX_OK, info(4096), model, 4096, 0)
 *   === "committed_bytes 4096, but a COMMIT of the pager VMO left 2 pages (8192 bytes) committed");
 * ```
 *
 * @module
 */

import { ZX_OK, ZX_VMO_OP_COMMIT } from "../kernel/constants.ts";
import type { VmoInfo } from "../kernel/syscalls.ts";
import type { HandleModel } from "./handle_model.ts";
import { CommitFloor, keepsCommitted } from "./commit_floor.ts";

/** Calls that take no page of any VMO away when they name a contiguous VMO. */
const QUERIES = new Set(["zx_object_get_info", "zx_vmo_get_size"]);

/** The pages each fixed-size pager VMO surely holds since a COMMIT of it. */
export class RootCommitFloor {
  /** Per pager VMO with a floor (the handle model's object id): its pager's object id. */
  readonly #pagerOf = new Map<number, number>();
  /** Pager VMOs a `zx_vmo_create_child` named: their children may take their pages. */
  readonly #parents = new Set<number>();
  /**
   * Objects a `zx_pager_detach_vmo` or a `zx_handle_close` named: a detached VMO, or one whose
   * pager closed, may lose its clean pages at any time after (pager_create.md).
   */
  readonly #released = new Set<number>();
  /** Per VMO: the pages a COMMIT left committed. */
  readonly #pages = new CommitFloor();
  /** Per thread with a call in flight, the objects its arguments named at its start. */
  readonly #inFlight = new Map<number, number[]>();

  /** Forgets what the call may take away: the floors of what it names, or every floor. */
  #forget(call: string, args: readonly unknown[], model: HandleModel, named: number[]): void {
    const contiguous = !QUERIES.has(call) &&
      args.some((a) => model.get(a)?.anonymous === "contiguous");
    if (call === "zx_vmar_op_range" || contiguous) {
      this.#pages.forgetAll();
      this.#pagerOf.clear();
      return;
    }
    if (call === "zx_vmo_create_child") { for (const o of named) this.#parents.add(o); }
    if (call === "zx_pager_detach_vmo" || call === "zx_handle_close") {
      for (const o of named) this.#released.add(o);
    }
    if (keepsCommitted(call, args)) return;
    for (const o of named) {
      this.#pages.forget(o);
      for (const [vmo, pager] of this.#pagerOf) {
        if (vmo === o || pager === o) {
          this.#pages.forget(vmo);
          this.#pagerOf.delete(vmo);
        }
      }
    }
  }

  /** A call of thread `t` starts. */
  start(call: string, args: readonly unknown[], model: HandleModel, t: number): void {
    const named = model.objectsNamed(args);
    this.#inFlight.set(t, named);
    this.#forget(call, args, model, named);
  }

  /**
   * Judges the finished call of thread `t` (`status`, and `info` when it reported a VMO's info),
   * then records it, before the call's own effect on the handle model: returns the failure
   * message, or null. `start` must have seen the same call.
   */
  end(
    call: string,
    args: readonly unknown[],
    status: number,
    info: VmoInfo | undefined,
    model: HandleModel,
    pageSize: number,
    t: number,
  ): string | null {
    this.#inFlight.delete(t);
    const h = model.get(args[0]);
    let failure: string | null = null;
    // Only a query without a user buffer (as CommitFloor: with one, the record is taken before
    // a copy-out that may block).
    if (
      call === "zx_object_get_info" && args[2] === undefined && info !== undefined &&
      h !== undefined
    ) {
      const n = this.#pages.pages(h.object);
      if (info.committedBytes < n * pageSize) {
        failure =
          `committed_bytes ${info.committedBytes}, but a COMMIT of the pager VMO left ${n} ` +
          `pages (${n * pageSize} bytes) committed`;
      }
    }
    const named = model.objectsNamed(args);
    this.#forget(call, args, model, named);
    const [, , offset, size] = args;
    if (
      call === "zx_vmo_op_range" && args[1] === ZX_VMO_OP_COMMIT && status === ZX_OK &&
      h !== undefined && h.pager !== null && h.clone !== true && h.fixedSize !== undefined &&
      !this.#parents.has(h.object) && !this.#released.has(h.object) &&
      !this.#released.has(h.pager) && typeof offset === "number" && typeof size === "number" &&
      ![...this.#inFlight.values()].some((o) => o.includes(h.object) || o.includes(h.pager ?? -1))
    ) {
      const pages = Math.ceil(h.fixedSize / pageSize);
      const to = Math.min(pages, Math.ceil((offset + size) / pageSize));
      this.#pages.committed(h.object, Math.floor(offset / pageSize), to);
      this.#pagerOf.set(h.object, h.pager);
    }
    return failure;
  }
}
