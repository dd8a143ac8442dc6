/**
 * Which pages a request may cover, from the access that raised it (spec 3.4, "Request sizing"):
 * a READ starts at the first absent page the operation needs and extends at most over the pages
 * the operation intends to touch (vmo_read: to the end of the read; vmo_write: at most 16
 * pages; commit: to the end of the range; mapping fault: 1 page), then is cut at the first
 * present page; a DIRTY covers pages the write or pin touches. The kernel never asks for a page
 * the access does not touch: upstream's tests hold a packet's range exactly
 * (`Pager.VmarRemapTest` asserts `length == 1` for each fault on an eight-page VMO none of whose
 * pages is present; `Pager.SequentialMultipageTest`: "When mapped, the hardware faults will fault
 * in pages one by one", a `zx_vmo_read` asks for its whole range; `Pager.
 * ConcurrentMultipageAccessTest`: two one-page readers, two one-page READs),
 * zircon/system/utest/core/pager/pager.cc @ misttech/fuchsia 6774606f.
 *
 * Used by read-content's R3 (programs: its own model of clones) and packet-discipline's `sizing`
 * (scenarios and programs: the kernel's record of the VMO chain).
 *
 * @module
 */

import type { Vmar, Vmo } from "../kernel/objects.ts";
import type { Call } from "./_step_monitor.ts";

/** The VMO handle and the pages `[first, last)` a call that may ask the pager names, if any. */
export function pagesOfCall(
  call: Call,
  ps: number,
): { handle: unknown; first: number; last: number } | undefined {
  const a = call.args;
  let handle: unknown, offset: unknown, length: unknown;
  switch (call.name) {
    case "zx_vmo_read":
      if (a[3] !== undefined) return undefined;
      [handle, offset, length] = [a[0], a[1], a[2]];
      break;
    case "zx_vmo_write":
      if (a[3] !== undefined) return undefined;
      [handle, offset, length] = [a[0], a[2], a[1] instanceof Uint8Array ? a[1].length : a[1]];
      break;
    case "zx_vmo_op_range":
      [handle, offset, length] = [a[0], a[2], a[3]];
      break;
    case "zx_bti_pin":
      [handle, offset, length] = [a[2], a[3], a[4]];
      break;
    default:
      return undefined;
  }
  if (typeof offset !== "number" || typeof length !== "number") return undefined;
  return { handle, first: Math.floor(offset / ps), last: Math.ceil((offset + length) / ps) };
}

/** The pages `[first, last)` of `root` (by koid) an access may ask for, and how it named them. */
export interface RequestBound {
  readonly first: number;
  readonly last: number;
  /** The access in the caller's words: `zx_vmo_write of pages [1,3) of vmo1006`. */
  readonly what: string;
}

/**
 * The root pages (of the VMO with koid `root`) the access `call` may ask for: the pages the call
 * names, or for a load or store through a mapping (`mem_read`, `mem_write`) the pages of the
 * mapped VMO it touches, translated up the VMO's parent chain (slices, references and clones
 * see their parent's page `p + parentOffset`; a clone's pages past its parent's limit ask for
 * nothing, so the bound only widens). Undefined when the call names no range, takes a user
 * buffer (its copies fault on the buffer's own VMO), or its VMO is not `root` or a descendant.
 */
export function requestBound(
  call: Call,
  root: number,
  ps: number,
  vmoOf: (handle: unknown) => Vmo | undefined,
  rootVmar: Vmar,
): RequestBound | undefined {
  let vmo: Vmo | undefined, first: number, last: number;
  if (call.name === "mem_read" || call.name === "mem_write") {
    const [addr, data] = call.args;
    const len = data instanceof Uint8Array ? data.length : data;
    if (typeof addr !== "number" || typeof len !== "number" || len <= 0) return undefined;
    const m = rootVmar.find(addr);
    if (m === undefined || addr + len > m.addr + m.len) return undefined;
    vmo = m.vmo;
    first = Math.floor((addr - m.addr + m.vmoOffset) / ps);
    last = Math.ceil((addr + len - m.addr + m.vmoOffset) / ps);
  } else {
    const range = pagesOfCall(call, ps);
    if (range === undefined) return undefined;
    vmo = vmoOf(range.handle);
    [first, last] = [range.first, range.last];
  }
  if (vmo === undefined || first >= last) return undefined;
  const what = `${call.name} of pages [${first},${last}) of vmo${vmo.koid}`;
  let shift = 0;
  for (let v: Vmo | null = vmo; v !== null; v = v.parent) {
    if (v.koid === root) return { first: first + shift, last: last + shift, what };
    shift += v.parentOffset;
  }
  return undefined;
}

/**
 * Where a READ raised by a buffer-less `zx_vmo_read` or a COMMIT stops when it asks from page
 * `start` (spec 3.4: it "extends over the remaining pages the operation intends to touch
 * (vmo_read: to the end of the read; commit: to the end of the range), then is truncated at the
 * first page that already has content"; upstream `LookupCursor::ReadRequest`, and
 * `PageSource::PopulateRequestLocked`, which cuts it at an outstanding READ's start): the first
 * page from `start` on, before `last` (the end of the call's range there, already cut at the VMO's
 * end and a clone's limit), at which `stops` holds; `last` if none does. The one rule of both
 * judges of an undersized READ: read-content's R5 (programs, by its own model of the content)
 * and packet-discipline's `sizing` (scenario runs, by the kernel's slots and outstanding READs).
 *
 * @example
 * ```ts
 * import { readRequestEnd } from "./_request_bounds.ts";
 * const content = new Set([5]);
 * console.assert(readRequestEnd(2, 8, (p) => content.has(p)) === 5);
 * console.assert(readRequestEnd(6, 8, (p) => content.has(p)) === 8);
 * console.assert(readRequestEnd(5, 8, (p) => content.has(p)) === 5);
 * ```
 */
export function readRequestEnd(
  start: number,
  last: number,
  stops: (page: number) => boolean,
): number {
  let p = start;
  while (p < last && !stops(p)) p++;
  return p;
}
