/**
 * A reference's size, judged by the program contract from the program's own calls (not the
 * kernel's record): a `zx_vmo_get_size`, or a `zx_object_get_info(ZX_INFO_VMO)` size, of a
 * reference (`zx_vmo_create_child` with ZX_VMO_CHILD_REFERENCE) made of a resizable pager VMO
 * (`zx_pager_create_vmo` with ZX_VMO_RESIZABLE) that returns ZX_OK reports the VMO's size as its
 * last `zx_vmo_set_size` that returned ZX_OK left it (rounded up to whole pages), or as it was
 * made: a reference follows its parent's resizes.
 *
 * Upstream: a reference shares its parent's pages and size (`VmoReference.Resize` and
 * `VmoReference.UnsupportedResize`, zircon/system/utest/core/vmo/vmo-reference.cc @
 * misttech/fuchsia 0c080f55: "The reference should see the resize", through a reference made
 * without ZX_VMO_CHILD_RESIZABLE too). Judged only while the size is surely known: a query
 * during which a resize of the VMO began or ran is left unjudged, and so is every query after a
 * resize that failed (it may have changed nothing or something) or overlapped another. A reference
 * of a reference is not judged (only references made of the pager VMO itself).
 *
 * @example
 * ```ts
 * import { ReferenceSize } from "./reference_size.ts";
 * import { HandleModel } from "./handle_model.ts";
 * import {
 *   ZX_OBJ_TYPE_VMO,
 *   ZX_OK,
 *   ZX_VMO_CHILD_REFERENCE,
 *   ZX_VMO_RESIZABLE,
 * } from "../kernel/constants.ts";
 * const model = new HandleModel();
 * model.create(5, ZX_OBJ_TYPE_VMO, ZX_VMO_RESIZABLE, 1, 4096);
 * model.create(6, ZX_OBJ_TYPE_VMO, 0, 1, 4096);
 * const r = new ReferenceSize();
 * r.end("zx_pager_create_vmo", [1, ZX_VMO_RESIZABLE, 2, 0, 4096], ZX_OK, 5, undefined, model, 0, 4096);
 * r.end("zx_vmo_create_child", [5, ZX_VMO_CHILD_REFERENCE, 0, 0], ZX_OK, 6, undefined, model, 0, 4096);
 * r.start("zx_vmo_set_size", [5, 8192], model, 0);
 * r.end("zx_vmo_set_size", [5, 8192], ZX_OK, 0, undefined, model, 0, 4096);
 * r.start("zx_vmo_get_size", [6], model, 0);
 * console.assert(r.end("zx_vmo_get_size", [6], ZX_OK, 4096, undefined, model, 0, 4096) !== null);
 * r.start("zx_vmo_get_size", [6], model, 0);
 * console.assert(r.end("zx_vmo_get_size", [6], ZX_OK, 8192, undefined, model, 0, 4096) === null);
 * ```
 *
 * @module
 */

import {
  ZX_OK,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_RESIZABLE,
} from "../kernel/constants.ts";
import type { VmoInfo } from "../kernel/syscalls.ts";
import type { HandleModel } from "./handle_model.ts";

/** The child type bits of `zx_vmo_create_child`'s options. */
const CHILD_TYPES = ZX_VMO_CHILD_REFERENCE | ZX_VMO_CHILD_SLICE | ZX_VMO_CHILD_SNAPSHOT |
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE | ZX_VMO_CHILD_SNAPSHOT_MODIFIED;

/** True if `x` is a whole number in [0, 2^53). */
function whole(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
}

/** The rule, one per run: {@linkcode start} as a call begins, {@linkcode end} once it returned. */
export class ReferenceSize {
  /** Each resizable pager VMO's size in bytes while surely known, by model object. */
  readonly #size = new Map<number, number>();
  /** Resizable pager VMOs the rule follows (known size or not), by model object. */
  readonly #roots = new Set<number>();
  /** Each reference made of a followed VMO: the VMO, by the reference's model object. */
  readonly #parent = new Map<number, number>();
  /** Resizes of each followed VMO begun so far (a query spanning none of them is judged). */
  readonly #begun = new Map<number, number>();
  /** Resizes of each followed VMO begun when the last one of them returned. */
  readonly #lastBegun = new Map<number, number>();
  /** Resizes of each followed VMO running now. */
  readonly #running = new Map<number, number>();
  /** The size query each thread runs on a reference: its VMO and the resizes begun before it. */
  readonly #queries = new Map<number, { root: number; begun: number }>();

  /** A call of thread `t` began (its handle arguments as the model names them now). */
  start(call: string, args: readonly unknown[], model: HandleModel, t: number): void {
    const object = model.get(args[0])?.object;
    if (object === undefined) return;
    if (call === "zx_vmo_set_size" && this.#roots.has(object)) {
      this.#begun.set(object, (this.#begun.get(object) ?? 0) + 1);
      this.#running.set(object, (this.#running.get(object) ?? 0) + 1);
      // Unknown until it returns ZX_OK with no other resize running.
      this.#size.delete(object);
    }
    const root = this.#parent.get(object);
    if ((call === "zx_vmo_get_size" || call === "zx_object_get_info") && root !== undefined) {
      this.#queries.set(t, { root, begun: this.#begun.get(root) ?? 0 });
    }
  }

  /**
   * A call of thread `t` returned `status` (and `value`, `info`), after the handle model took
   * its effect; a failure's text, or null.
   */
  end(
    call: string,
    args: readonly unknown[],
    status: number,
    value: unknown,
    info: VmoInfo | undefined,
    model: HandleModel,
    t: number,
    pageSize: number,
  ): string | null {
    const ok = status === ZX_OK;
    switch (call) {
      case "zx_pager_create_vmo": {
        const made = ok ? model.get(value)?.object : undefined;
        if (
          made !== undefined && whole(args[1]) && (args[1] & ZX_VMO_RESIZABLE) && whole(args[4])
        ) {
          this.#roots.add(made);
          this.#size.set(made, Math.ceil(args[4] / pageSize) * pageSize);
        }
        return null;
      }
      case "zx_vmo_create_child": {
        const parent = model.get(args[0])?.object;
        const child = ok ? model.get(value)?.object : undefined;
        const type = whole(args[1]) ? args[1] & CHILD_TYPES : 0;
        if (
          parent !== undefined && child !== undefined && this.#roots.has(parent) &&
          type === ZX_VMO_CHILD_REFERENCE
        ) this.#parent.set(child, parent);
        return null;
      }
      case "zx_vmo_set_size": {
        const object = model.get(args[0])?.object;
        if (object === undefined || !this.#roots.has(object)) return null;
        const running = (this.#running.get(object) ?? 1) - 1;
        this.#running.set(object, running);
        // Known again only after a lone resize that returned ZX_OK; any other leaves it unknown.
        if (
          ok && running === 0 && this.#begun.get(object) === this.#lone(object) && whole(args[1])
        ) {
          this.#size.set(object, Math.ceil(args[1] / pageSize) * pageSize);
        }
        this.#lastBegun.set(object, this.#begun.get(object) ?? 0);
        return null;
      }
      case "zx_vmo_get_size":
      case "zx_object_get_info": {
        const q = this.#queries.get(t);
        this.#queries.delete(t);
        if (q === undefined || !ok) return null;
        const got = call === "zx_vmo_get_size" ? value : info?.sizeBytes;
        const size = this.#size.get(q.root);
        if (
          typeof got !== "number" || size === undefined ||
          (this.#running.get(q.root) ?? 0) > 0 || (this.#begun.get(q.root) ?? 0) !== q.begun
        ) return null;
        if (got === size) return null;
        return `size ${got} of a reference of a resizable pager VMO whose size is ${size}: a ` +
          `reference follows its parent's resizes (VmoReference.UnsupportedResize, ` +
          `vmo-reference.cc)`;
      }
    }
    return null;
  }

  /** The count of resizes begun that makes the one returning now the only one since the last returned. */
  #lone(object: number): number {
    return (this.#lastBegun.get(object) ?? 0) + 1;
  }
}
