/**
 * A service whose helper thread writes pager VMOs the two level-3 ways the
 * kernel checkers once called false alarms on (trial3): a user copy into a
 * mapping (`zx_vmo_read` of a scratch VMO with its buffer a mapped address of
 * the pager VMO: the pager VMO's page is written, and its VMO marked modified,
 * by a call whose handle is another VMO) and a write pin (`zx_bti_pin` with
 * `ZX_BTI_PERM_WRITE`: the pinned pages become Dirty and the VMO modified).
 * Each pager VMO gets both, in order; a trap-dirty VMO's DIRTY requests are
 * acknowledged. The main thread serves READ by supplying from the backing.
 *
 * @module
 */

import {
  serveReads,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
  ZX_OK,
} from "../../mod.ts";
import {
  ZX_BTI_PERM_READ,
  ZX_BTI_PERM_WRITE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
} from "../../kernel/constants.ts";

/** Copies into page 0 of every pager VMO through a mapping, then write-pins its page 1. */
export default function* copyAndPin(sys: Sys, ctx: ServiceContext): ThreadBody {
  const ps = sys.pageSize;
  sys.spawn("writer", function* (s: Sys): ThreadBody {
    const [sc, scratch] = yield* s.vmoCreate(ps, 0);
    if (sc !== ZX_OK) return;
    const [bc, bti] = yield* s.btiCreate(0, 1);
    if (bc !== ZX_OK) return;
    for (const v of ctx.vmos) {
      if (v.size < 2 * ps) continue;
      const [mc, addr] = yield* s.vmarMap(
        s.rootVmar,
        ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
        0,
        v.handle,
        0,
        ps,
      );
      if (mc !== ZX_OK) continue;
      yield* s.vmoRead(scratch, 0, ps, addr); // a user copy into the pager VMO's page 0
      const [pc, pmt] = yield* s.btiPin(
        bti,
        ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE,
        v.handle,
        ps,
        ps,
      );
      if (pc === ZX_OK) yield* s.pmtUnpin(pmt);
    }
  });
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
}
