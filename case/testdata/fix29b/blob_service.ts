// A read-only blob store pager service, one thread. makeBlobService({ firstReadOnly: true })
// has the seeded bug: it answers a READ only if none of its pages was supplied before, so a
// refetch after an eviction is taken and ignored.
import {
  serveReads,
  type ServiceContext,
  type ServiceContractInput,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
  ZX_OK,
} from "../../../mod.ts";

export interface BlobOptions {
  firstReadOnly: boolean;
}

export function makeBlobService(opts: BlobOptions) {
  return function* blobService(sys: Sys, ctx: ServiceContext): ThreadBody {
    const supplied = new Map<number, Set<number>>(); // per run: VMO key -> pages supplied once
    yield* serveReads(sys, ctx, function* (packet, vmo) {
      const first = packet.offset / sys.pageSize;
      const end = Math.ceil((packet.offset + packet.length) / sys.pageSize);
      let seen = supplied.get(vmo.key);
      if (seen === undefined) supplied.set(vmo.key, seen = new Set());
      if (opts.firstReadOnly) {
        for (let p = first; p < end; p++) if (seen.has(p)) return; // BUG: already served once
      }
      const st = yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
      if (st === ZX_OK) { for (let p = first; p < end; p++) seen.add(p); }
    });
  };
}

export const contract: ServiceContractInput = {
  vmoOptions: { trapDirty: false, resizable: false },
  threads: { min: 1, max: 1 },
  clones: true,
  dirty: false,
  writes: false,
  writeback: false,
  reachable: { port: false, pager: false },
  events: ["detach", "closeVmo", "suspend", "kill", "evict"],
};

export default makeBlobService({ firstReadOnly: false });
