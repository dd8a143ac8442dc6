/**
 * Pager-service bugs a filesystem author makes, each a small service written
 * the way such a service is written, with one mistake. Each doc comment says
 * what real mistake it models, how deep an interleaving exposes it, and which
 * service obligation (spec 7.2) catches it.
 *
 * @module
 */

import {
  type Status,
  ZX_ERR_BAD_STATE,
  ZX_ERR_IO,
  ZX_OK,
  ZX_PAGER_OP_FAIL,
  ZX_TIME_INFINITE,
} from "../kernel/constants.ts";
import type { PagePacket } from "../kernel/events.ts";
import type { Syscall } from "../kernel/kernel.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";
import { backingRange, fileRange } from "../services/backing.ts";
import {
  isComplete,
  isRead,
  serveReads,
  type ServiceContext,
  type ServiceVmo,
  supplyBytes,
  supplyFromBacking,
  supplyWithinSize,
  vmoForKey,
} from "../services/service.ts";

/**
 * `drops-request-while-batching`: gathers packets into a batch by dequeuing
 * whatever is already in the port, and drops the packet that finds the batch
 * full instead of keeping it for the next batch. The faulting thread behind
 * that packet waits forever.
 *
 * Depth 2: more than `batch` READ packets must be queued at once (several
 * threads or VMOs faulting before the service drains the port). Caught by
 * `answers-every-read` (P1).
 */
export function* dropsRequestWhileBatching(sys: Sys, ctx: ServiceContext): ThreadBody {
  for (;;) {
    const [st, first] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    const batch: PagePacket[] = isRead(first) ? [first] : [];
    for (;;) {
      const [more, packet] = yield* sys.portWait(ctx.port, sys.now); // already queued only
      if (more !== ZX_OK || batch.length >= ctx.params.batch) break; // the bug: `packet` is lost
      if (isRead(packet)) batch.push(packet);
    }
    for (const packet of batch) {
      const vmo = vmoForKey(ctx, packet.key);
      if (vmo !== undefined) yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
    }
  }
}

/** Supplies, retrying what it takes for a transient error. */
function* supplyWithRetry(
  sys: Sys,
  ctx: ServiceContext,
  vmo: ServiceVmo,
  packet: PagePacket,
): Syscall<Status> {
  let st: Status = ZX_OK;
  for (let tries = 0; tries < 3; tries++) {
    st = yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
    if (st === ZX_OK) break;
  }
  return st;
}

/**
 * `supplies-after-complete`: queues READ work and answers it after draining
 * the port, but does not drop the queued work of a VMO whose COMPLETE it has
 * just seen, so it supplies a detached VMO, gets BAD_STATE, and retries it as
 * a transient error.
 *
 * Depth 1: a detach must come between the service taking a READ packet and
 * its supply. Caught by `treats-bad-state-as-gone` (P14, P8).
 */
export function* suppliesAfterComplete(sys: Sys, ctx: ServiceContext): ThreadBody {
  const work: PagePacket[] = [];
  for (;;) {
    const [st, packet] = yield* sys.portWait(
      ctx.port,
      work.length > 0 ? sys.now : ZX_TIME_INFINITE,
    );
    if (st === ZX_OK) {
      if (isRead(packet)) work.push(packet);
      continue; // COMPLETE: the bug is that queued work for that key is kept
    }
    const next = work.shift();
    if (next === undefined) return;
    const vmo = vmoForKey(ctx, next.key);
    if (vmo !== undefined) yield* supplyWithRetry(sys, ctx, vmo, next);
  }
}

/**
 * `confuses-keys-across-vmos`: keeps a cache of backing-store reads keyed by
 * (offset, length), forgetting the VMO key, so a READ of one VMO is answered
 * with bytes cached for another VMO at the same offsets. Models a block cache
 * keyed by block number without the file.
 *
 * Depth 0: two VMOs read at the same offsets, in any order. Caught by
 * `data-integrity`.
 */
export function* confusesKeysAcrossVmos(sys: Sys, ctx: ServiceContext): ThreadBody {
  const cache = new Map<string, Uint8Array>();
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    const slot = `${packet.offset}+${packet.length}`; // the bug: no key in the cache slot
    let bytes = cache.get(slot);
    if (bytes === undefined) {
      bytes = fileRange(vmo.key, packet.offset, packet.length, vmo.file);
      cache.set(slot, bytes);
    }
    const [, aux] = yield* sys.vmoCreate(packet.length, 0);
    yield* sys.vmoWrite(aux, bytes, 0);
    yield* sys.pagerSupplyPages(ctx.pager, vmo.handle, packet.offset, packet.length, aux, 0);
    yield* sys.handleClose(aux);
  });
}

/**
 * `assumes-page-sized-requests`: supplies one page at each packet's offset,
 * as if every request were one page; the rest of a multi-page request is
 * never supplied and no new packet comes for it (spec P15).
 *
 * Depth 0: any multi-page fault. Caught by `answers-every-read` (P1).
 */
export function assumesPageSizedRequests(sys: Sys, ctx: ServiceContext): ThreadBody {
  return serveReads(
    sys,
    ctx,
    (packet, vmo) => supplyFromBacking(sys, ctx, vmo, packet.offset, sys.pageSize),
  );
}

/**
 * `closes-port-on-first-complete`: assumes one VMO per port, so the first
 * COMPLETE means "shut down": it closes the port while other VMOs still
 * deliver to it, stranding the threads that fault on them (spec P10).
 *
 * Depth 1: one VMO of a pager with two must be detached while the other is
 * still in use. Caught by `keeps-port-open` (P10).
 */
export function* closesPortOnFirstComplete(sys: Sys, ctx: ServiceContext): ThreadBody {
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (isComplete(packet)) {
      yield* sys.handleClose(ctx.port); // the bug: other VMOs may still be attached
      return;
    }
    if (!isRead(packet)) continue;
    const vmo = vmoForKey(ctx, packet.key);
    if (vmo !== undefined) yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  }
}

/**
 * `ignores-refetch-after-failure`: fails reads its flaky backing store cannot
 * serve (OP_FAIL, ZX_ERR_IO) and remembers the failed ranges; a later packet
 * overlapping one is taken for a stale duplicate of the failed request and
 * ignored. But the kernel re-requests failed pages for every later access
 * (spec 3.7, P3), so that access waits forever.
 *
 * Depth 1: a failure, then another access to the failed pages. Caught by
 * `answers-every-read` (P1).
 */
export function* ignoresRefetchAfterFailure(sys: Sys, ctx: ServiceContext): ThreadBody {
  const failed: { key: number; start: number; end: number }[] = [];
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    const start = packet.offset, end = packet.offset + packet.length;
    if (failed.some((f) => f.key === packet.key && f.start < end && start < f.end)) return;
    if (sys.random(100) < ctx.params.failPercent) {
      failed.push({ key: packet.key, start, end });
      yield* sys.pagerOpRange(
        ctx.pager,
        ZX_PAGER_OP_FAIL,
        vmo.handle,
        packet.offset,
        packet.length,
        ZX_ERR_IO,
      );
    } else {
      yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
    }
  });
}

/**
 * `forwards-no-memory-to-op-fail`: when supplying a READ fails, passes the
 * kernel's status on as the failure code: `ZX_PAGER_OP_FAIL` with
 * `ZX_ERR_NO_MEMORY` after an allocation failed. OP_FAIL accepts only IO,
 * IO_DATA_INTEGRITY, BAD_STATE, NO_SPACE and BUFFER_TOO_SMALL and refuses the
 * rest with INVALID_ARGS (kernel/alloc_fault.ts cites upstream), so the range
 * is never answered and the reader waits for ever. Models a pager that
 * forwards any error instead of mapping it, as blobfs' `ToPagerErrorStatus`
 * does.
 *
 * Depth 0: any schedule in which an allocation of the service fails (runs with
 * allocation-failure injection). Caught by `fails-with-valid-codes` (P13).
 */
export function* forwardsNoMemoryToOpFail(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    const { offset, length } = packet;
    const [cs, aux] = yield* sys.vmoCreate(length, 0);
    let status = cs;
    if (cs === ZX_OK) {
      const fill = () => sys.vmoWrite(aux, fileRange(vmo.key, offset, length, vmo.file), 0);
      status = yield* fill();
      if (status === ZX_OK) {
        status = yield* supplyWithinSize(sys, ctx, vmo, offset, length, aux, fill);
      }
      yield* sys.handleClose(aux);
    }
    if (status === ZX_OK || status === ZX_ERR_BAD_STATE) return; // supplied, or the VMO is gone
    // The bug: the kernel's status is not a failure code OP_FAIL accepts (NO_MEMORY is not).
    yield* sys.pagerOpRange(ctx.pager, ZX_PAGER_OP_FAIL, vmo.handle, offset, length, status);
  });
}

/**
 * `zero-fills-tail-off-by-one`: reads the file into the supply buffer and
 * zero-fills the tail past end of file from `size + 1` instead of `size`
 * (`memset(buf + (size - offset) + 1, 0, ...)`): the first byte past the end
 * of the file keeps whatever the buffer held, here the stale block content
 * behind it. Holes are zeroed right. Models the off-by-one of a filesystem's
 * partial-page zero fill (the `i_size`-to-page-end memset in readpage).
 *
 * Depth 0: any schedule in which a page holding the end of a file that ends
 * before its VMO does is supplied (needs file layouts: `vmos[i].bytes`), and
 * the stale byte is not zero anyway. Caught by `data-integrity` (the supplied
 * page differs from the model).
 */
export function* zeroFillsTailOffByOne(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    const { offset, length } = packet;
    const data = backingRange(vmo.key, offset, length, sys.pageSize); // the blocks, read whole
    const file = vmo.file;
    if (file !== undefined) {
      for (const h of file.holes) {
        for (
          let o = Math.max(h.offset, offset);
          o < Math.min(h.offset + h.length, offset + length);
          o++
        ) {
          data[o - offset] = 0;
        }
      }
      // The bug: the tail past end of file starts at `file.bytes`, not one byte later.
      const from = file.bytes + 1 - offset;
      if (from < length) data.fill(0, Math.max(0, from));
    }
    yield* supplyBytes(sys, ctx, vmo, offset, data);
  });
}
