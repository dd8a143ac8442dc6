/**
 * The fixture of the page-level kernel tests (`vmo_pages_test.ts`, `vmo_pages_access_test.ts`,
 * `vmo_pages_ops_test.ts`): a fresh kernel per call with a pager, a port and a BTI, and the
 * calls those tests make, each asserting its own success. Test support only: nothing outside
 * tests imports it.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import { ZX_ERR_IO, ZX_INFO_VMO, ZX_OK, ZX_PAGER_OP_FAIL } from "./constants.ts";
import type { KernelEvent, PagePacket } from "./events.ts";
import { Kernel, type KernelOptions, type Syscall } from "./kernel.ts";
import type { Vmo } from "./objects.ts";
import type { VmoInfo } from "./syscalls.ts";
import { runSync } from "./yields.ts";

/** The page size of the fixture. */
export const PS = 4096;

/** The value of a call that must succeed. */
export function ok<T>(r: [number, T, ...unknown[]]): T {
  assert.equal(r[0], ZX_OK);
  return r[1];
}

/** Steps `call` until it parks (the `wait` it parks on) or returns (`value`). */
export function parked<T>(
  call: Syscall<T>,
): { wait?: { ready(now: number): boolean }; value?: T } {
  for (;;) {
    const r = call.next();
    if (r.done) return { value: r.value };
    if (r.value.kind === "block") return { wait: r.value.wait };
  }
}

/** Steps `call` until it parks on a wait (`blocked`) or returns (`value`). */
export function step<T>(call: Syscall<T>): { blocked: boolean; value?: T } {
  const { wait, value } = parked(call);
  return wait === undefined ? { blocked: false, value } : { blocked: true };
}

/** `length` bytes of `byte`. */
export const bytes = (length: number, byte: number): Uint8Array =>
  new Uint8Array(length).fill(byte);

/**
 * A fresh kernel (page size {@linkcode PS}) with threads `t` and `peer`, a pager, a port and a
 * BTI, and helpers: `pagerVmo(pages, options)` (key 7); `supply(h, page, count, byte)` from a
 * committed aux page of `byte`s, `supplyMarkers(h, page, count)` from uncommitted ones (zero
 * markers); `read(h, offset, length)` (must not block), `write(h, offset, data)`, `info(h)`;
 * `dirty(h, pages)` and `dirtyRanges(h)` (query_dirty_ranges over `pages` pages or the whole
 * VMO, as `[offset, length, options]`); `modified(h)` (the stats flag, reset); `op(h, op, offset,
 * length, data)` (zx_pager_op_range), `fail(h, offset, length, error)` (OP_FAIL); `packet()`
 * (the next packet, or undefined); `vmo(h)` the object; `events` collects the kernel's events.
 *
 * @example
 * ```ts
 * import { bytes, pagesWorld, PS } from "./_pages_fixture.ts";
 * const { pagerVmo, supply, read } = pagesWorld();
 * const h = pagerVmo(1);
 * supply(h, 0, 1, 7);
 * console.assert(read(h, 0, PS).every((b, i) => b === bytes(PS, 7)[i]));
 * ```
 */
export function pagesWorld(options: KernelOptions = {}) {
  const events: KernelEvent[] = [];
  const k = new Kernel({ pageSize: PS, sink: { emit: (e) => events.push(e) }, ...options });
  const [t] = k.createThread("main", 1);
  const [peer] = k.createThread("peer", 2);
  const pager = ok(runSync(k.zx_pager_create(t, 0)));
  const port = ok(runSync(k.zx_port_create(t, 0)));
  const bti = ok(runSync(k.zx_bti_create(t, 0, 1)));
  const pagerVmo = (pages: number, options = 0) =>
    ok(runSync(k.zx_pager_create_vmo(t, pager, options, port, 7, pages * PS)));
  const supplyFrom = (h: number, page: number, count: number, byte: number | null) => {
    const aux = ok(runSync(k.zx_vmo_create(t, count * PS, 0)));
    if (byte !== null) {
      assert.equal(runSync(k.zx_vmo_write(t, aux, bytes(count * PS, byte), 0)), ZX_OK);
    }
    assert.equal(
      runSync(k.zx_pager_supply_pages(t, pager, h, page * PS, count * PS, aux, 0)),
      ZX_OK,
    );
    assert.equal(runSync(k.zx_handle_close(t, aux)), ZX_OK);
  };
  const supply = (h: number, page: number, count: number, byte: number) =>
    supplyFrom(h, page, count, byte);
  const supplyMarkers = (h: number, page: number, count: number) =>
    supplyFrom(h, page, count, null);
  const read = (h: number, offset: number, length: number) =>
    ok(runSync(k.zx_vmo_read(t, h, offset, length)));
  const write = (h: number, offset: number, data: Uint8Array) =>
    assert.equal(runSync(k.zx_vmo_write(t, h, data, offset)), ZX_OK);
  const info = (h: number) => ok(runSync(k.zx_object_get_info(t, h, ZX_INFO_VMO))) as VmoInfo;
  const dirtyOver = (h: number, length: number) => {
    const [st, ranges] = runSync(k.zx_pager_query_dirty_ranges(t, pager, h, 0, length, 4096));
    assert.equal(st, ZX_OK);
    return ranges.map((r) => [r.offset, r.length, r.options]);
  };
  const dirty = (h: number, pages: number) => dirtyOver(h, pages * PS);
  const dirtyRanges = (h: number) => dirtyOver(h, ok(runSync(k.zx_vmo_get_size(t, h))));
  const modified = (h: number) => {
    const [st, stats] = runSync(k.zx_pager_query_vmo_stats(t, pager, h, 1, 4));
    assert.equal(st, ZX_OK);
    return stats?.modified;
  };
  const op = (h: number, o: number, offset: number, length: number, data = 0) =>
    runSync(k.zx_pager_op_range(t, pager, o, h, offset, length, data));
  const fail = (h: number, offset: number, length: number, error = ZX_ERR_IO) =>
    op(h, ZX_PAGER_OP_FAIL, offset, length, error);
  const packet = () => {
    const [st, p] = runSync(k.zx_port_wait(t, port, 0));
    return st === ZX_OK ? p as PagePacket : undefined;
  };
  const vmo = (h: number) => k.handles.entry(h)?.object as Vmo;
  return {
    k,
    t,
    peer,
    pager,
    port,
    bti,
    events,
    pagerVmo,
    supply,
    supplyMarkers,
    read,
    write,
    info,
    dirty,
    dirtyRanges,
    modified,
    op,
    fail,
    packet,
    vmo,
  };
}

/** The commands of the page-request packets waiting on `port` now, dequeued by thread `t`. */
export function portCommands(k: Kernel, t: Parameters<Kernel["zx_port_wait"]>[0], port: number) {
  const got: number[] = [];
  for (let [st, p] = runSync(k.zx_port_wait(t, port, 0)); st === ZX_OK;) {
    got.push((p as PagePacket).command);
    [st, p] = runSync(k.zx_port_wait(t, port, 0));
  }
  return got;
}
