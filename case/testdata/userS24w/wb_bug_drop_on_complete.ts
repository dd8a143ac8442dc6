// Planted bug: the store entry of a file is dropped when its VMO's COMPLETE arrives, so data
// written back (WRITEBACK_END: durable) is lost once the file is closed and re-opened.
import type { ServiceContext, Sys, ThreadBody } from "../../../mod.ts";
import { makeWbPager } from "./wb_pager.ts";
export { contract } from "./wb_pager_lc.ts";

const wb = makeWbPager({ dropStoreOnComplete: true });
export default function* wbBug(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* wb.pager(sys, ctx);
}
export function* flush(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* wb.flush(sys, ctx);
}
