/**
 * Seeded bugs for the exploration tests: kernel variants that drop the VMO
 * lock in the middle of an operation. Each variant is harmless unless two
 * lock drops interleave in exactly one order, which takes two preemptions:
 *
 * - {@linkcode EarlyWakeSupplyKernel}: supply wakes waiters before inserting
 *   the pages, and a woken reader looks the page up, drops the lock, and then
 *   requests it on the strength of that stale lookup. Supply wakes (1st lock
 *   drop), the reader finds the page absent (2nd), supply inserts, the
 *   reader requests a present page: nobody will ever resolve it (a hang).
 * - {@linkcode TwoPhaseDetachKernel}: detach wakes waiters first and marks
 *   the source detached later; the same stale reader then sends a request
 *   after COMPLETE was queued (a kernel assertion, spec K6).
 *
 * @module
 */

import {
  type Status,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INTERNAL_INTR_RETRY,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OBJ_TYPE_PAGER,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_RIGHT_ATTACH_VMO,
  ZX_RIGHT_MANAGE_VMO,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
} from "../kernel/constants.ts";
import { Kernel, type Syscall, type Wait } from "../kernel/kernel.ts";
import {
  type KThread,
  MARKER,
  type Page,
  type Pager,
  type Slot,
  type Vmo,
} from "../kernel/objects.ts";
import { Waiter } from "../kernel/page_source.ts";

/** A reader that, after a wake, drops the lock between its lookup and its request. */
class StaleRetryKernel extends Kernel {
  override *zx_vmo_read(
    t: KThread,
    handle: number,
    offset: number,
    length: number,
  ): Syscall<[Status, Uint8Array]> {
    yield { kind: "syscall", name: "zx_vmo_read" };
    this.sink.emit({ k: "call", tid: t.tid, name: "zx_vmo_read", args: [handle, offset, length] });
    const out = new Uint8Array(Math.max(0, length));
    const ret = (status: Status): [Status, Uint8Array] => {
      this.sink.emit({ k: "ret", tid: t.tid, name: "zx_vmo_read", status });
      return [status, out];
    };
    const v = this.handles.get<Vmo>(handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ);
    if (!v.ok) return ret(v.status);
    const vmo = v.object;
    if (offset + length > vmo.size) return ret(ZX_ERR_OUT_OF_RANGE);
    const ps = this.pageSize;
    const end = offset + length;
    const endPage = Math.ceil(end / ps);
    const w = new Waiter(t.tid);
    let woken = false;
    let pos = offset;
    vmo.inflight++;
    try {
      for (;;) {
        while (pos < end) {
          const p = Math.floor(pos / ps);
          const slot = vmo.slots[p];
          if (slot === undefined) break;
          const n = Math.min(end - pos, (p + 1) * ps - pos);
          if (slot !== MARKER) {
            out.set((slot as Page).data.subarray(pos - p * ps, pos - p * ps + n), pos - offset);
          }
          this.sink.emit({
            k: "copy",
            tid: t.tid,
            vmo: vmo.koid,
            offset: pos,
            bytes: out.subarray(pos - offset, pos - offset + n),
          });
          pos += n;
        }
        if (pos >= end) return ret(ZX_OK);
        const source = vmo.source!;
        const p = Math.floor(pos / ps);
        let q = p + 1;
        while (q < endPage && vmo.slots[q] === undefined) q++;
        const detachedAtLookup = source.detached;
        // The seeded bug: after a wake the lock is dropped between the lookup and the request.
        if (woken) yield { kind: "syscall", name: "zx_vmo_read.retry" };
        const detachedNow = source.detached;
        source.detached = detachedAtLookup;
        const st = source.populate(w, "READ", p, q);
        source.detached = detachedNow;
        if (st !== ZX_OK) return ret(st);
        t.waiter = w;
        t.waiterVmo = vmo;
        const wait: Wait = {
          deadline: Number.POSITIVE_INFINITY,
          ready: () => !w.waiting,
          describe: () => w.describe(vmo.koid),
        };
        this.sink.emit({ k: "block", tid: t.tid, on: wait.describe() });
        yield { kind: "block", wait };
        t.waiter = null;
        t.waiterVmo = null;
        if (w.status !== ZX_OK && w.status !== ZX_ERR_INTERNAL_INTR_RETRY) return ret(w.status);
        woken = true;
      }
    } finally {
      vmo.inflight--;
    }
  }
}

/** Seeded bug 1: supply wakes waiters, drops the lock, then inserts the pages. */
export class EarlyWakeSupplyKernel extends StaleRetryKernel {
  override *zx_pager_supply_pages(
    t: KThread,
    pager: number,
    pagerVmo: number,
    offset: number,
    length: number,
    auxVmo: number,
    auxOffset: number,
  ): Syscall<Status> {
    const name = "zx_pager_supply_pages";
    yield { kind: "syscall", name };
    this.sink.emit({
      k: "call",
      tid: t.tid,
      name,
      args: [pager, pagerVmo, offset, length, auxVmo, auxOffset],
    });
    const ret = (status: Status): Status => {
      this.sink.emit({ k: "ret", tid: t.tid, name, status });
      return status;
    };
    const ps = this.pageSize;
    if (offset % ps || length % ps || auxOffset % ps || length === 0) {
      return ret(ZX_ERR_INVALID_ARGS);
    }
    const pg = this.handles.get<Pager>(pager, ZX_OBJ_TYPE_PAGER, ZX_RIGHT_MANAGE_VMO);
    if (!pg.ok) return ret(pg.status);
    const v = this.handles.get<Vmo>(pagerVmo, ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE);
    if (!v.ok) return ret(v.status);
    const a = this.handles.get<Vmo>(auxVmo, ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ | ZX_RIGHT_WRITE);
    if (!a.ok) return ret(a.status);
    const vmo = v.object, aux = a.object;
    if (vmo.pagerKoid !== pg.object.koid) return ret(ZX_ERR_INVALID_ARGS);
    if (offset + length > vmo.size || auxOffset + length > aux.size) {
      return ret(ZX_ERR_OUT_OF_RANGE);
    }
    const source = vmo.source!;
    if (source.detached) return ret(ZX_ERR_BAD_STATE);
    const base = offset / ps, count = length / ps;
    const resolveRuns = () => {
      let run = -1;
      for (let i = 0; i <= count; i++) {
        const fill = i < count && vmo.slots[base + i] === undefined;
        if (fill && run < 0) run = base + i;
        if (!fill && run >= 0) {
          source.onPagesSupplied(run, base + i);
          run = -1;
        }
      }
    };
    resolveRuns(); // wakes waiters before the pages are there
    yield { kind: "syscall", name: "zx_pager_supply_pages.insert" };
    if (source.detached) return ret(ZX_ERR_BAD_STATE);
    const taken: Slot[] = [];
    for (let i = 0; i < count; i++) {
      const s = aux.slots[auxOffset / ps + i];
      taken.push(
        s === undefined || s === MARKER ? MARKER : { data: (s as Page).data, state: "clean" },
      );
      aux.slots[auxOffset / ps + i] = undefined;
    }
    const inserted: boolean[] = [];
    for (let i = 0; i < count; i++) {
      const fill = vmo.slots[base + i] === undefined;
      this.sink.emit({
        k: "supply",
        vmo: vmo.koid,
        page: base + i,
        inserted: fill,
        before: fill ? "absent" : "clean",
      });
      inserted.push(fill);
    }
    // Requests made while the lock was dropped are resolved by the insert, as they should be.
    let run = -1;
    for (let i = 0; i <= count; i++) {
      if (i < count && inserted[i]) vmo.slots[base + i] = taken[i];
      if (i < count && inserted[i] && run < 0) run = base + i;
      if (!(i < count && inserted[i]) && run >= 0) {
        source.onPagesSupplied(run, base + i);
        run = -1;
      }
    }
    return ret(ZX_OK);
  }
}

/** Seeded bug 2: detach wakes waiters, drops the lock, then marks the source detached. */
export class TwoPhaseDetachKernel extends StaleRetryKernel {
  override *zx_pager_detach_vmo(t: KThread, pager: number, vmoHandle: number): Syscall<Status> {
    const name = "zx_pager_detach_vmo";
    yield { kind: "syscall", name };
    this.sink.emit({ k: "call", tid: t.tid, name, args: [pager, vmoHandle] });
    const ret = (status: Status): Status => {
      this.sink.emit({ k: "ret", tid: t.tid, name, status });
      return status;
    };
    const pg = this.handles.get<Pager>(
      pager,
      ZX_OBJ_TYPE_PAGER,
      ZX_RIGHT_ATTACH_VMO | ZX_RIGHT_MANAGE_VMO,
    );
    if (!pg.ok) return ret(pg.status);
    const v = this.handles.get<Vmo>(vmoHandle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE);
    if (!v.ok) return ret(v.status);
    const vmo = v.object;
    if (vmo.pagerKoid !== pg.object.koid) return ret(ZX_ERR_INVALID_ARGS);
    const source = vmo.source!;
    if (source.detached) return ret(ZX_OK);
    source.detach(); // completes every request and wakes its waiters...
    source.detached = false; // ...but new requests are refused only in the second phase
    yield { kind: "syscall", name: "zx_pager_detach_vmo.finish" };
    source.detach();
    vmo.proxy!.complete();
    for (let p = 0; p < vmo.slots.length; p++) {
      const s = vmo.slots[p];
      if (s === MARKER || (s !== undefined && (s as Page).state === "clean")) {
        vmo.slots[p] = undefined;
      }
    }
    this.sink.emit({ k: "detach", vmo: vmo.koid, why: "detach" });
    return ret(ZX_OK);
  }
}
