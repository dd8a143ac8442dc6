/**
 * What a COMMIT of a clone of a pager VMO leaves committed, judged by the program contract
 * against the program's own record of its calls (not the kernel's): after
 * `zx_vmo_op_range(COMMIT)` returns ZX_OK on a fixed-size clone (SNAPSHOT_AT_LEAST_ON_WRITE or
 * SNAPSHOT_MODIFIED) made directly of a fixed-size pager VMO, every page of the range that the
 * clone sees of its parent (below `min(clone pages, parent pages - offset pages)`) is the
 * clone's own, so the clone's `ZX_INFO_VMO` `committed_bytes` is at least those pages until
 * some call may take them away again. The sibling of {@linkcode CommitFloor}
 * (program/commit_floor.ts), which judges plain anonymous VMOs.
 *
 * Upstream: a commit of a clone forks every page it commits, as a write fault would.
 * `Pager.CloneCommitTest` and `Pager.CloneSplitCommitTest` (zircon/system/utest/core/pager/
 * pager.cc @ vsrinivas/fuchsia 09fa8e7e) commit a clone of a pager VMO whole, supply the
 * parent, and expect the clone's `committed_bytes` to be every page: "Verify that the pages have
 * been copied into the clone. (A commit simulates write faults.)" (conformance P39, P78, P80).
 * Pages past the parent's end in the clone are left out (what a COMMIT does there is not judged).
 *
 * What may take a clone's pages away: a call that names the clone (DECOMMIT, ZERO, a child made
 * of it, a supply that moves pages out of it as its aux, closing it), or a VMAR op over a mapping
 * of it. So the floor is set only when no other call naming the clone is in flight as the
 * COMMIT returns, and is forgotten as soon as any call naming one of the clone's handles starts
 * or ends but a read, a write, a COMMIT, a size query or an info query, and at any
 * `zx_vmar_op_range`. Programs have no evictor, and a clone's own pages are not the pager's to
 * evict.
 *
 * @example
 * ```ts
 * import { CloneCommitFloor } from "./clone_commit_floor.ts";
 * import { HandleModel } from "./handle_model.ts";
 * import {
 *   ZX_INFO_VMO, ZX_OBJ_TYPE_VMO, ZX_OK, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, ZX_VMO_OP_COMMIT,
 * } from "../kernel/constants.ts";
 * const model = new HandleModel();
 * model.create(3, ZX_OBJ_TYPE_VMO, 0, 2, 2 * 4096); // a 2-page pager VMO of pager 2
 * const f = new CloneCommitFloor();
 * const child = [3, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, 3 * 4096];
 * f.start("zx_vmo_create_child", child, model, 0);
 * f.end("zx_vmo_create_child", child, ZX_OK, 9, undefined, model, 4096, 0);
 * model.createWithRights(9, ZX_OBJ_TYPE_VMO, 0, false, true, 3 * 4096);
 * f.start("zx_vmo_op_range", [9, ZX_VMO_OP_COMMIT, 0, 3 * 4096], model, 0);
 * f.end("zx_vmo_op_range", [9, ZX_VMO_OP_COMMIT, 0, 3 * 4096], ZX_OK, 0, undefined, model, 4096, 0);
 * const info = (bytes: number) => ({ committedBytes: bytes }) as never;
 * f.start("zx_object_get_info", [9, ZX_INFO_VMO], model, 0);
 * console.assert(f.end("zx_object_get_info", [9, ZX_INFO_VMO], ZX_OK, 0, info(4096), model, 4096, 0)
 *   === "committed_bytes 4096, but a COMMIT of the clone left 2 pages it sees of its parent (8192 bytes) its own");
 * ```
 *
 * @module
 */

import {
  ZX_OK,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_OP_COMMIT,
} from "../kernel/constants.ts";
import type { VmoInfo } from "../kernel/syscalls.ts";
import type { HandleModel } from "./handle_model.ts";
import { CommitFloor, keepsCommitted } from "./commit_floor.ts";

/** The pages each clone of a pager VMO surely holds since a COMMIT of it. */
export class CloneCommitFloor {
  /** Per clone (the handle model's object id): how many of its pages it sees of its parent. */
  readonly #seen = new Map<number, number>();
  /** Per clone: the pages a COMMIT left its own. */
  readonly #pages = new CommitFloor();
  /** Per thread with a call in flight, the objects its arguments named at its start. */
  readonly #inFlight = new Map<number, number[]>();

  /** A call of thread `t` starts. */
  start(call: string, args: readonly unknown[], model: HandleModel, t: number): void {
    const named = model.objectsNamed(args);
    this.#inFlight.set(t, named);
    if (call === "zx_vmar_op_range") this.#pages.forgetAll();
    else if (!keepsCommitted(call, args)) { for (const o of named) this.#pages.forget(o); }
  }

  /**
   * Judges the finished call of thread `t` (`status`, its handed-out `value`, and `info` when it
   * reported a VMO's info), then records it, before the call's own effect on the handle model:
   * returns the failure message, or null. `start` must have seen the same call.
   */
  end(
    call: string,
    args: readonly unknown[],
    status: number,
    value: unknown,
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
        failure = `committed_bytes ${info.committedBytes}, but a COMMIT of the clone left ${n} ` +
          `pages it sees of its parent (${n * pageSize} bytes) its own`;
      }
    }
    if (call === "zx_vmar_op_range") {
      this.#pages.forgetAll();
      return failure;
    }
    if (!keepsCommitted(call, args)) {
      for (const o of model.objectsNamed(args)) this.#pages.forget(o);
    }
    const [, options, offset, size] = args;
    if (
      call === "zx_vmo_create_child" && status === ZX_OK && typeof value === "number" &&
      h !== undefined && h.pager !== null && h.clone !== true && h.fixedSize !== undefined &&
      typeof options === "number" && typeof offset === "number" && typeof size === "number" &&
      (options & (ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE | ZX_VMO_CHILD_SNAPSHOT_MODIFIED)) !==
        0 &&
      (options & ZX_VMO_CHILD_RESIZABLE) === 0 && offset % pageSize === 0
    ) {
      const parentPages = Math.ceil(h.fixedSize / pageSize) - offset / pageSize;
      this.#seen.set(value, Math.max(0, Math.min(Math.ceil(size / pageSize), parentPages)));
    }
    const seen = h === undefined ? undefined : this.#seen.get(h.object);
    if (
      call === "zx_vmo_op_range" && args[1] === ZX_VMO_OP_COMMIT && status === ZX_OK &&
      h !== undefined && seen !== undefined && typeof offset === "number" &&
      typeof size === "number" &&
      ![...this.#inFlight.values()].some((named) => named.includes(h.object))
    ) {
      const to = Math.min(seen, Math.ceil((offset + size) / pageSize));
      this.#pages.committed(h.object, Math.floor(offset / pageSize), to);
    }
    return failure;
  }
}
