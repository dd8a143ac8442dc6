/**
 * What a `zx_bti_pin` refused for its range leaves committed: nothing more. Judged by the
 * program contract from the program's own calls: a VMO's `ZX_INFO_VMO` `committed_bytes`, read
 * with no call in flight that names the VMO or a VMO of its family (its parent chain and the
 * children made of them), must read the same at the next query of it if, in between, no call
 * started anywhere in the program but such queries and `zx_bti_pin` calls that returned
 * ZX_ERR_OUT_OF_RANGE having started with no other call in flight naming the pinned VMO's family.
 *
 * Upstream: `sys_bti_pin` pins through `CommitRangePinned`, whose
 * `VmObjectPaged::CommitRangeInternal` vets the range first: "If a pin is requested the entire
 * range must exist and be valid, otherwise we can commit a partial range" (zircon/kernel/vm/
 * vm_object_paged.cc, the same in every revision of it the library holds); zx_bti_pin.md:
 * ZX_ERR_OUT_OF_RANGE "*offset* + *size* is out of the bounds of the VMO". A pin that blocked and
 * then met a shrink is also OUT_OF_RANGE after committing (ResizeBlockedPin), which needs a call
 * that started meanwhile: such a pin is not judged. Nothing else commits an anonymous or pager
 * VMO's pages without a call that names it or its family starting or running (programs have no
 * evictor; a parked call resumes only after some call starts, or times out without committing).
 *
 * @example
 * ```ts
 * import { CommitStill } from "./commit_still.ts";
 * import { HandleModel } from "./handle_model.ts";
 * import { ZX_ERR_OUT_OF_RANGE, ZX_INFO_VMO, ZX_OBJ_TYPE_VMO } from "../kernel/constants.ts";
 * const model = new HandleModel();
 * model.create(5, ZX_OBJ_TYPE_VMO, 0, null, 4096);
 * const c = new CommitStill();
 * const info = (bytes: number) => ({ committedBytes: bytes }) as never;
 * c.start("zx_object_get_info", [5, ZX_INFO_VMO], model);
 * console.assert(c.end("zx_object_get_info", [5, ZX_INFO_VMO], 0, info(0), model) === null);
 * c.start("zx_bti_pin", [9, 1, 5, 4096, 4096], model);
 * c.end("zx_bti_pin", [9, 1, 5, 4096, 4096], ZX_ERR_OUT_OF_RANGE, undefined, model);
 * c.start("zx_object_get_info", [5, ZX_INFO_VMO], model);
 * console.assert(c.end("zx_object_get_info", [5, ZX_INFO_VMO], 0, info(4096), model) !== null);
 * ```
 *
 * @module
 */

import { ZX_ERR_OUT_OF_RANGE, ZX_INFO_VMO, ZX_OK } from "../kernel/constants.ts";
import type { VmoInfo } from "../kernel/syscalls.ts";
import type { HandleModel } from "./handle_model.ts";

/** A query of a VMO's info without a user buffer (the record is taken before no copy-out). */
function isQuery(call: string, args: readonly unknown[]): boolean {
  return call === "zx_object_get_info" && args[1] === ZX_INFO_VMO && args[2] === undefined;
}

/** The committed bytes each VMO (the handle model's object id) last reported, while they hold. */
export class CommitStill {
  readonly #last = new Map<number, number>();
  /** Per thread with a call in flight, the objects its arguments named at its start. */
  readonly #inFlight = new Map<number, number[]>();
  /** Per thread pinning: whether no other call was in flight as its pin started. */
  readonly #quietPins = new Map<number, boolean>();

  /** The object, the chain of parents it was made from, and every child made of those. */
  #family(object: number, model: HandleModel): Set<number> {
    const parentOf = new Map<number, number>();
    for (const [p, kids] of model.childrenMade) for (const k of kids) parentOf.set(k, p);
    const up: number[] = [object];
    for (let o = parentOf.get(object); o !== undefined && !up.includes(o); o = parentOf.get(o)) {
      up.push(o);
    }
    const family = new Set(up);
    const stack = [...up];
    for (let o = stack.pop(); o !== undefined; o = stack.pop()) {
      for (const k of model.childrenMade.get(o) ?? []) {
        if (!family.has(k)) {
          family.add(k);
          stack.push(k);
        }
      }
    }
    return family;
  }

  /** Whether a call in flight names `object` or a VMO of its family. */
  #busy(object: number, model: HandleModel): boolean {
    const family = this.#family(object, model);
    for (const named of this.#inFlight.values()) {
      for (const o of named) if (family.has(o)) return true;
    }
    return false;
  }

  /** A call of thread `tid` started with `args` (resolved). */
  start(call: string, args: readonly unknown[], model: HandleModel, tid = 0): void {
    if (call === "zx_bti_pin") {
      const object = model.get(args[2])?.object;
      this.#quietPins.set(tid, object !== undefined && !this.#busy(object, model));
    } else if (!isQuery(call, args)) this.#last.clear();
    this.#inFlight.set(tid, model.objectsNamed(args));
  }

  /**
   * Judges a finished call (`status`; `info` when it reported a VMO's info) and records it,
   * before the call's own effect on the handle model: the failure message, or null.
   */
  end(
    call: string,
    args: readonly unknown[],
    status: number,
    info: VmoInfo | undefined,
    model: HandleModel,
    tid = 0,
  ): string | null {
    this.#inFlight.delete(tid);
    if (call === "zx_bti_pin") {
      const quiet = this.#quietPins.get(tid) === true;
      this.#quietPins.delete(tid);
      if (status !== ZX_ERR_OUT_OF_RANGE || !quiet) this.#last.clear();
      return null;
    }
    const object = model.get(args[0])?.object;
    if (!isQuery(call, args) || status !== ZX_OK || info === undefined || object === undefined) {
      return null;
    }
    const was = this.#last.get(object);
    if (this.#busy(object, model)) this.#last.delete(object);
    else this.#last.set(object, info.committedBytes);
    if (was !== undefined && info.committedBytes !== was) {
      return `committed_bytes ${info.committedBytes}, but it read ${was} before and nothing ` +
        "started since but queries and zx_bti_pin calls refused as OUT_OF_RANGE (which commit nothing)";
    }
    return null;
  }
}
