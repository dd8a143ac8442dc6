/**
 * What a read of a contiguous VMO leaves committed, judged by the program contract against the
 * program's own record of its calls (not the kernel's): after `zx_vmo_read` of a VMO
 * `zx_vmo_create_contiguous` made returns ZX_OK, every page the read covered holds memory of the
 * VMO, so `ZX_INFO_VMO`'s `committed_bytes` is at least those pages, until some call may take
 * pages away again. A page DECOMMIT lent is not read as the zero page (as a plain VMO's absent
 * page is, {@linkcode CommitCeiling}): the contiguous VMO takes its frame back first.
 *
 * Upstream: a contiguous VMO's page source is a `PhysicalPageProvider` ("used by contiguous VMOs
 * which have had pages decommitted, when the pages are again committed", physical_page_provider.h
 * @ misttech/fuchsia; its only request type is READ, `supports_request_type = {true, false,
 * false}`, zircon/kernel/vm/physical_page_provider.cc @ misttech/fuchsia 01ae4fc3). Its
 * `WaitOnEvent` cancels the loan of every page of the request (`UnloanRange`: evicting or
 * replacing a borrower's page), zeroes the pages and hands them to the VMO with
 * `SupplyPagesLocked`, so the page the read then copies out is the VMO's own again;
 * `committed_bytes` is "the amount of memory currently allocated to this VMO"
 * (zx_object_get_info.md, ZX_INFO_VMO). The model says the same at its `touch` (kernel/vmo_pages.ts:
 * "A contiguous VMO commits a page even to read it (its page source hands the frame back)"), and
 * `kernel/loans_test.ts` asks it of the kernel.
 *
 * What may take a contiguous VMO's page away: a DECOMMIT of it or of a slice of it, a
 * `zx_vmar_op_range` over a mapping of it, its last handle closed. So the floor is set only when
 * no other call but a read, a write, a COMMIT, a size query or an info query is in flight as the
 * read returns, and every floor is forgotten as soon as any other call starts (whatever it
 * names: a slice's DECOMMIT names the slice, not its parent).
 *
 * @example
 * ```ts
 * import { ContiguousReadFloor } from "./contiguous_read_floor.ts";
 * import { HandleModel } from "./handle_model.ts";
 * import { ZX_INFO_VMO, ZX_OBJ_TYPE_VMO, ZX_OK } from "../kernel/constants.ts";
 * const model = new HandleModel();
 * model.create(3, ZX_OBJ_TYPE_VMO, 0, null, 2 * 4096, "contiguous");
 * const f = new ContiguousReadFloor();
 * const read = [3, 0, 2 * 4096];
 * f.start("zx_vmo_read", read, model, 0);
 * f.end("zx_vmo_read", read, ZX_OK, undefined, model, 4096, 0);
 * const info = (bytes: number) => ({ committedBytes: bytes }) as never;
 * f.start("zx_object_get_info", [3, ZX_INFO_VMO], model, 0);
 * console.assert(f.end("zx_object_get_info", [3, ZX_INFO_VMO], ZX_OK, info(4096), model, 4096, 0)
 *   === "committed_bytes 4096, but a zx_vmo_read of the contiguous VMO left 2 pages (8192 bytes) committed");
 * ```
 *
 * @module
 */

import { ZX_OK } from "../kernel/constants.ts";
import type { VmoInfo } from "../kernel/syscalls.ts";
import type { HandleModel } from "./handle_model.ts";
import { CommitFloor, keepsCommitted } from "./commit_floor.ts";

/** The pages each contiguous VMO surely holds since a read of it. */
export class ContiguousReadFloor {
  /** Per contiguous VMO (the handle model's object id): the pages a read left committed. */
  readonly #pages = new CommitFloor();
  /** Per thread with a call in flight: whether that call may take a page away. */
  readonly #inFlight = new Map<number, boolean>();

  /** A call of thread `t` starts: any call but one that keeps pages forgets every floor. */
  start(call: string, args: readonly unknown[], _model: HandleModel, t: number): void {
    const takes = !keepsCommitted(call, args);
    this.#inFlight.set(t, takes);
    if (takes) this.#pages.forgetAll();
  }

  /**
   * Judges the finished call of thread `t` (`status`, and `info` when it reported a VMO's info),
   * then records it: returns the failure message, or null. `start` must have seen the same call.
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
          `committed_bytes ${info.committedBytes}, but a zx_vmo_read of the contiguous VMO left ` +
          `${n} pages (${n * pageSize} bytes) committed`;
      }
    }
    if (!keepsCommitted(call, args)) this.#pages.forgetAll();
    const [, offset, length] = args;
    if (
      call === "zx_vmo_read" && status === ZX_OK && h?.anonymous === "contiguous" &&
      typeof offset === "number" && typeof length === "number" && length > 0 &&
      ![...this.#inFlight.values()].some((takes) => takes)
    ) {
      this.#pages.committed(
        h.object,
        Math.floor(offset / pageSize),
        Math.ceil((offset + length) / pageSize),
      );
    }
    return failure;
  }
}
