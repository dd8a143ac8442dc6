// A chunk pager whose chunk-size table is checked when the module loads, and the check throws.
import type { ServiceContext, Sys, ThreadBody } from "../../../mod.ts";
import chunkPager from "./chunk_pager.ts";

function checkTable(sizes: number[]): void {
  if (!sizes.includes(4)) throw new Error("chunk size table has no 4-page entry");
}
checkTable([1, 2, 8]);

export default function* service(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* chunkPager(sys, ctx);
}
