// Planted bug: WRITEBACK_END before the data is persisted (a background writer persists later).
import type { ServiceContext, Sys, ThreadBody } from "../../../mod.ts";
import { makeWbPager } from "../userS24w/wb_pager.ts";
export { contract } from "../userS24w/wb_pager.ts";

const wb = makeWbPager({ endBeforePersist: true });
export default function* wbEndEarly(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* wb.pager(sys, ctx);
}
export function* flush(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* wb.flush(sys, ctx);
}
