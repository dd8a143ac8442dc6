// A blob pager with a READ lost at rest: two threads serve one port, and a thread that takes a
// READ of a blob another thread is loading from an earlier offset drops it, trusting that load
// to read ahead to the blob's end. The load fills only its own request's range, so in the
// interleavings where a READ past it arrives during the load, its pages are never supplied. A
// reader that blocks would hang on them (a hang every checker sees); a reader that does not wait
// (`failInsteadOfBlock`, a prefetch) has finished, so its request is left outstanding only once
// everything is at rest: the quiescent end's Q2 (examples/testdata/lost_read_at_rest.json).
import {
  type PagerService,
  serveReads,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
} from "../../mod.ts";

/**
 * The blob pager; with `lost` false every READ is supplied, whether or not another thread is
 * loading its blob.
 */
export function blobPager(lost: boolean): PagerService {
  return function* (sys: Sys, ctx: ServiceContext): ThreadBody {
    // The offset each blob (by key) is being loaded from now, by either thread: per run state.
    const loading = new Map<number, number>();
    const worker = (s: Sys) =>
      serveReads(s, ctx, function* (packet, vmo) {
        const from = loading.get(vmo.key);
        // BUG: the load in flight supplies its own range only, no read-ahead to the blob's end.
        if (lost && from !== undefined && from <= packet.offset) return;
        loading.set(vmo.key, packet.offset);
        yield* supplyFromBacking(s, ctx, vmo, packet.offset, packet.length);
        loading.delete(vmo.key);
      });
    sys.spawn("loader-2", worker);
    yield* worker(sys);
  };
}

export default blobPager(true);
