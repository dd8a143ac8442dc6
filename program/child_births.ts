/**
 * What a program may rely on about a VMO child at its birth, judged by the program contract from
 * the program's own record of its calls and the trace (not the kernel's links):
 *
 * - **A fresh child's pages are shared.** A child holds no page of its own when it is made: a
 *   snapshot shares the pages its parent modified ("Modified page is shared between `clone` and
 *   `snapshot`, so evenly attributed"), an at-least-on-write child, a slice and a reference hold
 *   none. So `ZX_INFO_VMO` of a child queried before anything else happened since it was made
 *   (no event in the trace but the thread's queries and child creations: no store, no write, no
 *   fork, no close, no other thread's call) reports `populated_scaled_bytes` at most half its
 *   `populated_bytes`: each page it has is one it shares with at least the VMO it was made from. Upstream: snapshot.cc `Smoke`, `DropVmos`,
 *   `ResizeShrinkSnapshot`, `CommitRangeInSnapshot` (misttech/fuchsia 4ed506d3
 *   zircon/system/utest/core/pager/snapshot.cc: a snapshot of a clone with one modified page
 *   reports half a page); a later revision (gnoliyil/fuchsia a69396a2, the same file) attributes
 *   the shared page to the clone alone and the snapshot reports 0: within the bound too.
 * - **Nothing shared is lost.** The same pages counted from both sides: the parent queried just
 *   before the birth and both queried just after it (one thread's queries and the one creation,
 *   no other event between) together report at least what the parent reported alone, less a byte
 *   of flooring (a page the parent shared with k VMOs, 1/k of it, is now 2/(k+1) of it between
 *   the two; the newer revision leaves it all with the parent).
 * - **A slice's clone children.** An at-least-on-write or snapshot-modified child of a slice of
 *   a pager-backed root VMO is made ("Snapshot of a slice of the root should work", `AlowSlice`,
 *   `SnapshotSlice`); of a slice of a clone it is refused ("Snapshot of non-root slice should not
 *   be allowed", `SnapshotSlice`; `SnapshotSliceAtLeastOnWrite`: "should not be allowed"), the
 *   same file. Only the refusal's presence is judged: a child of a root's slice is never
 *   NOT_SUPPORTED, one of a clone's slice never ZX_OK (other statuses, a rights or argument
 *   check's, are the contract's other rules).
 *
 * @example
 * ```ts
 * import { ChildBirths } from "./child_births.ts";
 * const births = new ChildBirths();
 * births.event({ k: "call", tid: 2, name: "zx_vmo_create_child", args: [5, 0x20, 0, 4096] });
 * births.event({ k: "ret", tid: 2, name: "zx_vmo_create_child", status: 0, handle: 9 });
 * births.event({ k: "call", tid: 2, name: "zx_object_get_info", args: [9, 18] });
 * console.assert(births.fresh(9));
 * births.event({ k: "call", tid: 3, name: "zx_vmo_read", args: [] });
 * console.assert(!births.fresh(9));
 * ```
 *
 * @module
 */

import {
  ZX_ERR_NOT_SUPPORTED,
  ZX_OK,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
} from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import type { VmoInfo } from "../kernel/syscalls.ts";
import type { HandleModel } from "./handle_model.ts";

/**
 * A run of one thread's `ZX_INFO_VMO` queries and child creations with no other event between:
 * the children made in it, and the attribution each queried handle reported before and after
 * its one birth.
 */
interface QuietRun {
  readonly tid: number;
  /** The handle the creation in flight was asked of. */
  asked: unknown;
  readonly births: { readonly parent: unknown; readonly child: number }[];
  /** `populated_scaled_bytes` by handle, queried before any birth of the run. */
  readonly before: Map<unknown, number>;
  /** `populated_scaled_bytes` by handle, queried after the run's first birth. */
  readonly after: Map<unknown, number>;
}

/** A child's birth and the queries around it, and what a slice was made of. */
export class ChildBirths {
  #run: QuietRun | null = null;
  /** Slices (by the handle model's object id) of a pager root or of a clone. */
  readonly #slices = new Map<number, "root" | "clone">();

  /**
   * One trace event: a query or a child creation extends the current thread's quiet run (a
   * successful creation adds its birth); any other event, or one of another thread, ends it.
   */
  event(e: KernelEvent): void {
    const quiet = (e.k === "call" || e.k === "ret") &&
      (e.name === "zx_object_get_info" || e.name === "zx_vmo_create_child");
    if (!quiet) {
      this.#run = null;
      return;
    }
    if (this.#run === null || this.#run.tid !== e.tid) {
      this.#run = { tid: e.tid, asked: undefined, births: [], before: new Map(), after: new Map() };
    }
    const run = this.#run;
    if (e.name !== "zx_vmo_create_child") return;
    if (e.k === "call") run.asked = e.args[0];
    else if (e.status === ZX_OK && e.handle !== undefined) {
      run.births.push({ parent: run.asked, child: e.handle });
    }
  }

  /** Whether `handle` names a child made in the current quiet run. */
  fresh(handle: unknown): boolean {
    return this.#run?.births.some((b) => b.child === handle) ?? false;
  }

  /**
   * What the one birth of the current quiet run moved, once its parent was queried before it and
   * both were queried after it: the pages the child shares it shares with the parent, so the two
   * together are attributed at least what the parent alone was (a page the parent shared with
   * k VMOs, 1/k of it, now 2/(k+1); its other pages unchanged); each figure is floored, so one
   * byte less at most. Null when it holds or the run does not say.
   */
  #conserved(handle: unknown, scaled: number): string | null {
    const run = this.#run;
    if (run === null) return null;
    if (run.births.length === 0) {
      run.before.set(handle, scaled);
      return null;
    }
    if (run.births.length !== 1) return null;
    run.after.set(handle, scaled);
    const { parent, child } = run.births[0];
    const was = run.before.get(parent);
    const p = run.after.get(parent);
    const c = run.after.get(child);
    if (was === undefined || p === undefined || c === undefined || p + c >= was - 1) return null;
    return `populated_scaled_bytes ${p} of the parent and ${c} of the child it just made, ${was} of the parent alone before: the pages they share are attributed to neither`;
  }

  /**
   * Judges one finished call (`status`, the new handle `value`, and `info` when it reported a
   * VMO's info), then records a slice it made: the failure message, or null.
   */
  observe(
    call: string,
    args: readonly unknown[],
    status: number,
    value: number,
    info: VmoInfo | undefined,
    model: HandleModel,
  ): string | null {
    if (call === "zx_object_get_info" && info !== undefined && args.length <= 2) {
      if (this.fresh(args[0]) && 2 * info.populatedScaledBytes > info.populatedBytes) {
        return `populated_scaled_bytes ${info.populatedScaledBytes} of ${info.populatedBytes} populated for a child just made, which shares every page it holds with the VMO it was made from (at most half)`;
      }
      return this.#conserved(args[0], info.populatedScaledBytes);
    }
    if (call !== "zx_vmo_create_child") return null;
    const parent = model.get(args[0]);
    const options = args[1];
    if (parent === undefined || typeof options !== "number") return null;
    if (options === ZX_VMO_CHILD_SLICE && status === ZX_OK) {
      const kind = parent.pager !== null ? "root" : parent.clone === true ? "clone" : undefined;
      if (kind !== undefined) this.#slices.set(value, kind);
      return null;
    }
    const of = this.#slices.get(parent.object);
    const clone = options === ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE ||
      options === ZX_VMO_CHILD_SNAPSHOT_MODIFIED;
    if (of === undefined || !clone) return null;
    if (of === "root" && status === ZX_ERR_NOT_SUPPORTED) {
      return "refused a clone of a slice of a pager-backed root VMO (NOT_SUPPORTED); upstream makes it";
    }
    if (of === "clone" && status === ZX_OK) {
      return "made a clone of a slice of a clone; upstream refuses it (NOT_SUPPORTED)";
    }
    return null;
  }
}
