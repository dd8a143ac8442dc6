/**
 * The fxfs port (`examples/fxfs_pager.ts`) without its page-in barrier: a
 * flush ends (WRITEBACK_END) without waiting for the page-ins in flight, as
 * fxfs's `flush_data` did before it gained `page_in_barrier` (gnoliyil/fuchsia
 * 1c7215d4b2cd81ebddd3137bff47e9757fa10e48 of `paged_object_handle.rs`; the
 * barrier is in misttech/fuchsia 5e62b3cfc764dabbc85d34b1f3a76c53eaf83ebe).
 * A page-in that read the store before the flush persisted a page can then
 * supply that stale data after the page was cleaned and evicted: the write is
 * lost. Everything else, the contract included, is the port's.
 *
 * @module
 */

import type { ServiceContext, Sys, ThreadBody } from "../../mod.ts";
import { contract as fxfsContract, makeFxfsPager } from "../fxfs_pager.ts";

const fxfs = makeFxfsPager({ pageInBarrier: false });

/** A pager thread of the port, without the barrier. */
export default function* fxfsNoBarrier(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* fxfs.pager(sys, ctx);
}

/** The writeback entry point: the port's flush, without the barrier. */
export function* flush(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* fxfs.flush(sys, ctx);
}

/** The port's contract. */
export const contract = fxfsContract;
