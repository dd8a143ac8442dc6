// Single-threaded variant of the chunked store: every READ is answered with its whole 2-page chunk.
import {
  serveReads,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
  ZX_OK,
} from "../../../mod.ts";
export default function* chunkSingle(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* serveReads(sys, ctx, function* (p, vmo) {
    const [st, size] = yield* sys.vmoGetSize(vmo.handle);
    if (st !== ZX_OK) return;
    const chunk = 2 * sys.pageSize;
    const start = Math.floor(p.offset / chunk) * chunk;
    const end = Math.min(size, Math.ceil((p.offset + p.length) / chunk) * chunk);
    yield* supplyFromBacking(sys, ctx, vmo, start, end - start);
  });
}
