/**
 * What a pager service is given, and the steps every service shares (find
 * the VMO of a packet, supply a range from the backing store).
 *
 * A service is a generator function `(sys, ctx) => ThreadBody`. It waits on
 * `ctx.port`, answers READ packets with `zx_pager_supply_pages` (or
 * `zx_pager_op_range(ZX_PAGER_OP_FAIL)`), DIRTY packets (trap-dirty VMOs)
 * with `zx_pager_op_range(ZX_PAGER_OP_DIRTY)`, and treats COMPLETE as the end
 * of a VMO. Write your own the same way and register it under a name (see README);
 * if it keeps nothing from one packet to the next, call `sys.checkpoint` at
 * the top of its loop so exhaustive exploration can forget earlier packets.
 *
 * @module
 */

import {
  type Status,
  ZX_ERR_BAD_STATE,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_VMO_COMPLETE,
  ZX_PAGER_VMO_DIRTY,
  ZX_PAGER_VMO_READ,
  ZX_PKT_TYPE_PAGE_REQUEST,
  ZX_TIME_INFINITE,
} from "../kernel/constants.ts";
import type { Packet, PagePacket } from "../kernel/events.ts";
import type { Syscall } from "../kernel/kernel.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";
import type { FileLayout } from "../sim/file_layout.ts";
import { supplyRange } from "./backing.ts";

/** A VMO a service serves. */
export interface ServiceVmo {
  /** VMO name from the scenario. */
  readonly name: string;
  /** Port packet key the VMO was created with; page requests carry it. */
  readonly key: number;
  /** Handle to the VMO (shared with the faulting threads of the process). */
  readonly handle: number;
  /** Size in bytes. */
  readonly size: number;
  /**
   * The file's layout (its size in bytes, its holes: sim/file_layout.ts), when
   * the scenario gives one; absent: whole pages of the backing pattern. Supply
   * zeros past its end and in its holes ({@linkcode fileRange}).
   */
  readonly file?: FileLayout;
}

/**
 * Everything a service needs: its pager and port handles, the VMOs it serves
 * (each with the key its packets carry), and its scenario parameters.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import {
 *   parseScenario, runScenario, type ServiceContext, type Sys, type ThreadBody,
 * } from "../mod.ts";
 * const seen: string[] = [];
 * function* lister(_sys: Sys, ctx: ServiceContext): ThreadBody {
 *   for (const v of ctx.vmos) seen.push(`${v.name} key ${v.key}, ${v.size} bytes`);
 * }
 * runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "lister" } }],
 *   vmos: [{ name: "file", pager: "fs", pages: 2, key: 9 }],
 *   threads: [{ name: "t", ops: [{ op: "info", vmo: "file" }] }],
 * }), { seed: 1, services: { lister } });
 * assert.deepEqual(seen, ["file key 9, 128 bytes"]);
 * ```
 */
export interface ServiceContext {
  /** Handle to the pager. */
  readonly pager: number;
  /** Handle to the port the pager's VMOs deliver to. */
  readonly port: number;
  /** The pager's VMOs this service supplies. */
  readonly vmos: readonly ServiceVmo[];
  /** The service's parameters from the scenario. */
  readonly params: {
    readonly batch: number;
    readonly readAhead: number;
    readonly failPercent: number;
    readonly detachAfter: number;
    readonly closePager: boolean;
    /** writeback: ticks between writeback passes. */
    readonly writebackTicks?: number;
  };
}

/** A pager service. */
export type PagerService = (sys: Sys, ctx: ServiceContext) => ThreadBody;

/**
 * The VMO a packet is for, by key; `undefined` for a key the service does not
 * serve (a VMO it was not given, a user packet's own key).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { type ServiceContext, vmoForKey } from "./service.ts";
 * const ctx: ServiceContext = {
 *   pager: 1, port: 2, vmos: [{ name: "file", key: 7, handle: 3, size: 128 }],
 *   params: { batch: 1, readAhead: 0, failPercent: 0, detachAfter: 0, closePager: false },
 * };
 * assert.ok(vmoForKey(ctx, 7)?.name === "file");
 * assert.ok(vmoForKey(ctx, 8) === undefined);
 * ```
 */
export function vmoForKey(ctx: ServiceContext, key: number): ServiceVmo | undefined {
  return ctx.vmos.find((v) => v.key === key);
}

/** A READ page request: supply `[offset, offset + length)` or fail it. */
export interface ReadPacket extends PagePacket {
  /** Always `ZX_PAGER_VMO_READ`. */
  readonly command: typeof ZX_PAGER_VMO_READ;
}

/**
 * A DIRTY page request (VMOs created with `ZX_VMO_TRAP_DIRTY`): acknowledge
 * `[offset, offset + length)` with `zx_pager_op_range(ZX_PAGER_OP_DIRTY)` or
 * fail it, or the writer stays blocked.
 */
export interface DirtyPacket extends PagePacket {
  /** Always `ZX_PAGER_VMO_DIRTY`. */
  readonly command: typeof ZX_PAGER_VMO_DIRTY;
}

/** A COMPLETE packet: the VMO is detached or gone; it is the last packet for its key. */
export interface CompletePacket extends PagePacket {
  /** Always `ZX_PAGER_VMO_COMPLETE`. */
  readonly command: typeof ZX_PAGER_VMO_COMPLETE;
}

function isPageRequest(p: Packet | null, command: number): boolean {
  return p !== null && p.type === ZX_PKT_TYPE_PAGE_REQUEST &&
    (p as PagePacket).command === command;
}

/**
 * True for a READ page request. The guards narrow only the branch they
 * accept: after `!isRead(p)` a packet may still be DIRTY, COMPLETE or a user
 * packet.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { ZX_PAGER_VMO_DIRTY, ZX_PKT_TYPE_PAGE_REQUEST } from "../kernel/constants.ts";
 * import type { Packet } from "../kernel/events.ts";
 * import { isComplete, isDirty, isRead } from "./service.ts";
 * const packet: Packet = {
 *   type: ZX_PKT_TYPE_PAGE_REQUEST, key: 1, status: 0,
 *   command: ZX_PAGER_VMO_DIRTY, flags: 0, offset: 0, length: 4096,
 * };
 * let what = "user packet";
 * if (isRead(packet)) what = `read ${packet.length}`;
 * else if (isDirty(packet)) what = `dirty ${packet.length}`;
 * else if (isComplete(packet)) what = "complete";
 * assert.ok(what === "dirty 4096");
 * ```
 */
export function isRead(p: Packet | null): p is ReadPacket {
  return isPageRequest(p, ZX_PAGER_VMO_READ);
}

/**
 * True for a DIRTY page request (see {@linkcode isRead} for an example).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { ZX_PAGER_VMO_DIRTY, ZX_PKT_TYPE_PAGE_REQUEST } from "../kernel/constants.ts";
 * import { isDirty } from "./service.ts";
 * const p = { type: ZX_PKT_TYPE_PAGE_REQUEST, key: 1, status: 0, command: ZX_PAGER_VMO_DIRTY,
 *   flags: 0, offset: 0, length: 64 };
 * assert.ok(isDirty(p) && !isDirty(null));
 * ```
 */
export function isDirty(p: Packet | null): p is DirtyPacket {
  return isPageRequest(p, ZX_PAGER_VMO_DIRTY);
}

/**
 * True for a COMPLETE packet (see {@linkcode isRead} for an example).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { ZX_PAGER_VMO_COMPLETE, ZX_PKT_TYPE_PAGE_REQUEST } from "../kernel/constants.ts";
 * import { isComplete } from "./service.ts";
 * const p = { type: ZX_PKT_TYPE_PAGE_REQUEST, key: 1, status: 0, command: ZX_PAGER_VMO_COMPLETE,
 *   flags: 0, offset: 0, length: 0 };
 * assert.ok(isComplete(p) && !isComplete(null));
 * ```
 */
export function isComplete(p: Packet | null): p is CompletePacket {
  return isPageRequest(p, ZX_PAGER_VMO_COMPLETE);
}

/**
 * The loop most services are: wait for a packet; stop when the wait fails
 * (the port is gone); let `answer` handle each READ for a known VMO;
 * acknowledge each DIRTY for a known VMO with {@linkcode acknowledgeDirty}
 * (VMOs created with `trapDirty` send them before a write); skip COMPLETE
 * (the VMO is done) and anything else.
 *
 * Pass `checkpoint` only when `answer` keeps no state from one packet to the
 * next: the loop then calls {@linkcode Sys.checkpoint} with it before each
 * wait, which lets exhaustive exploration forget which packets came before.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import {
 *   DEFAULT_SCENARIO, parseScenario, runScenario, serveReads, type ServiceContext,
 *   supplyFromBacking, type Sys, type ThreadBody,
 * } from "../mod.ts";
 * function exact(sys: Sys, ctx: ServiceContext): ThreadBody {
 *   return serveReads(sys, ctx, (packet, vmo) =>
 *     supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length));
 * }
 * const scenario = parseScenario(DEFAULT_SCENARIO);
 * const mine = {
 *   ...scenario,
 *   pagers: scenario.pagers.map((p) => ({ ...p, service: { ...p.service, kind: "custom" as const, name: "exact" } })),
 * };
 * const run = runScenario(mine, { seed: 1, services: { exact } });
 * assert.ok(run.verdict.kind === "pass");
 * ```
 */
export function* serveReads(
  sys: Sys,
  ctx: ServiceContext,
  answer: (packet: ReadPacket, vmo: ServiceVmo) => Syscall<unknown>,
  checkpoint?: string,
): ThreadBody {
  for (;;) {
    if (checkpoint !== undefined) sys.checkpoint(checkpoint);
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    const vmo = packet === null ? undefined : vmoForKey(ctx, packet.key);
    if (vmo === undefined) continue;
    if (isRead(packet)) yield* answer(packet, vmo);
    else if (isDirty(packet)) yield* acknowledgeDirty(sys, ctx, vmo, packet.offset, packet.length);
  }
}

/**
 * Answers a DIRTY request for `[offset, offset + length)` of `vmo` with
 * `zx_pager_op_range(ZX_PAGER_OP_DIRTY)`, so the blocked writer goes on,
 * clipped to the VMO's size like {@linkcode withinSize}.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import {
 *   acknowledgeDirty, isDirty, isRead, parseScenario, runScenario, type ServiceContext,
 *   supplyFromBacking, type Sys, type ThreadBody, vmoForKey, ZX_OK, ZX_TIME_INFINITE,
 * } from "../mod.ts";
 * function* service(sys: Sys, ctx: ServiceContext): ThreadBody {
 *   for (;;) {
 *     const [st, p] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
 *     if (st !== ZX_OK) return;
 *     const vmo = p === null ? undefined : vmoForKey(ctx, p.key);
 *     if (vmo === undefined) continue;
 *     if (isRead(p)) yield* supplyFromBacking(sys, ctx, vmo, p.offset, p.length);
 *     else if (isDirty(p)) assert.equal(yield* acknowledgeDirty(sys, ctx, vmo, p.offset, p.length), ZX_OK);
 *   }
 * }
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "service" } }],
 *   vmos: [{ name: "file", pager: "fs", pages: 1, trapDirty: true }],
 *   threads: [{ name: "writer", ops: [{ op: "write", vmo: "file", page: 0, pages: 1 }] }],
 * }), { seed: 1, services: { service } });
 * assert.equal(run.verdict.kind, "pass");
 * ```
 */
export function acknowledgeDirty(
  sys: Sys,
  ctx: ServiceContext,
  vmo: ServiceVmo,
  offset: number,
  length: number,
): Syscall<Status> {
  return withinSize(
    sys,
    vmo,
    offset,
    length,
    (n) => sys.pagerOpRange(ctx.pager, ZX_PAGER_OP_DIRTY, vmo.handle, offset, n, 0),
  );
}

/**
 * Supplies `[offset, offset + length)` of `vmo` from the backing store the way
 * a filesystem does: read the file (zeros past its end and in its holes,
 * {@linkcode fileRange}), fill an anonymous aux VMO, then move its pages in
 * (clipped to the VMO's size like {@linkcode withinSize}). Returns the
 * supply's status.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import {
 *   isRead, parseScenario, runScenario, type ServiceContext, supplyFromBacking, type Sys,
 *   type ThreadBody, vmoForKey, ZX_OK, ZX_TIME_INFINITE,
 * } from "../mod.ts";
 * function* oneShot(sys: Sys, ctx: ServiceContext): ThreadBody {
 *   const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
 *   const vmo = isRead(packet) ? vmoForKey(ctx, packet.key) : undefined;
 *   if (st !== ZX_OK || !isRead(packet) || vmo === undefined) return;
 *   assert.ok((yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length)) === ZX_OK);
 * }
 * const run = runScenario(parseScenario({
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "oneShot" } }],
 *   vmos: [{ name: "file", pager: "fs", pages: 1 }],
 *   threads: [{ name: "reader", ops: [{ op: "read", vmo: "file", page: 0, pages: 1 }] }],
 * }), { seed: 1, services: { oneShot } });
 * assert.ok(run.verdict.kind === "pass");
 * ```
 */
export function supplyFromBacking(
  sys: Sys,
  ctx: ServiceContext,
  vmo: ServiceVmo,
  offset: number,
  length: number,
): Syscall<Status> {
  return supplyBytes(sys, ctx, vmo, offset, supplyRange(vmo.key, offset, length, vmo.file));
}

/**
 * Supplies `data` at `offset` of `vmo` through an aux VMO, {@linkcode supplyWithinSize}.
 * When the kernel runs out of memory (ZX_ERR_NO_MEMORY from creating or filling
 * the aux VMO, or from the supply), the range is failed with
 * {@linkcode failOutOfMemory} so the reader is not left waiting; returns the
 * status of the step that decided (ZX_OK once supplied).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import {
 *   isRead, parseScenario, runScenario, type ServiceContext, supplyBytes, type Sys,
 *   type ThreadBody, vmoForKey, ZX_TIME_INFINITE,
 * } from "../mod.ts";
 * function* ones(sys: Sys, ctx: ServiceContext): ThreadBody {
 *   for (;;) {
 *     const [st, p] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
 *     if (st !== 0) return;
 *     const vmo = isRead(p) ? vmoForKey(ctx, p.key) : undefined;
 *     if (isRead(p) && vmo) yield* supplyBytes(sys, ctx, vmo, p.offset, new Uint8Array(p.length).fill(1));
 *   }
 * }
 * // With allocations failing at random, every read still ends: supplied or failed.
 * const run = runScenario(parseScenario({
 *   pageSize: 64, allocFailPercent: 50,
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "ones" } }],
 *   vmos: [{ name: "file", pager: "fs", pages: 1 }],
 *   threads: [{ name: "reader", ops: [{ op: "read", vmo: "file", page: 0, pages: 1 }] }],
 * }), { seed: 3, services: { ones } });
 * assert.equal(run.verdict.kind, "pass");
 * ```
 */
export function* supplyBytes(
  sys: Sys,
  ctx: ServiceContext,
  vmo: ServiceVmo,
  offset: number,
  data: Uint8Array,
): Syscall<Status> {
  const length = data.length;
  const [st, aux] = yield* sys.vmoCreate(length, 0);
  if (st !== ZX_OK) return yield* failOutOfMemory(sys, ctx, vmo, offset, length, st);
  const fill = () => sys.vmoWrite(aux, data, 0);
  let supplied = yield* fill();
  if (supplied === ZX_OK) {
    supplied = yield* supplyWithinSize(sys, ctx, vmo, offset, length, aux, fill);
  }
  yield* sys.handleClose(aux);
  return supplied === ZX_ERR_NO_MEMORY
    ? yield* failOutOfMemory(sys, ctx, vmo, offset, length, supplied)
    : supplied;
}

/**
 * What a pager does when the kernel runs out of memory while it serves
 * `[offset, offset + length)` of `vmo` (`status` ZX_ERR_NO_MEMORY): fail the
 * range with ZX_ERR_BAD_STATE, since OP_FAIL refuses NO_MEMORY itself
 * (INVALID_ARGS, and the reader would wait on) — as blobfs maps every error
 * outside the OP_FAIL codes to BAD_STATE (src/storage/blobfs/page_loader.h,
 * `ToPagerErrorStatus`). Any other status is returned as it is.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { ZX_OK } from "../kernel/constants.ts";
 * import { failOutOfMemory } from "./service.ts";
 * // Not out of memory: nothing to do, no syscall.
 * const call = failOutOfMemory({} as never, {} as never, {} as never, 0, 64, ZX_OK);
 * assert.equal(call.next().value, ZX_OK);
 * ```
 */
export function* failOutOfMemory(
  sys: Sys,
  ctx: ServiceContext,
  vmo: ServiceVmo,
  offset: number,
  length: number,
  status: Status,
): Syscall<Status> {
  if (status !== ZX_ERR_NO_MEMORY) return status;
  yield* withinSize(
    sys,
    vmo,
    offset,
    length,
    (n) => sys.pagerOpRange(ctx.pager, ZX_PAGER_OP_FAIL, vmo.handle, offset, n, ZX_ERR_BAD_STATE),
  );
  return status;
}

/**
 * Runs `op` (a supply or OP_FAIL) over `[offset, offset + length)`, clipped to
 * the VMO's current size when a resize raced with the request (spec 2.8.3:
 * the cut part was resolved, the rest is still awaited, and a range past the
 * end fails whole with OUT_OF_RANGE). After each OUT_OF_RANGE it asks the size
 * again and retries with what fits now, the whole range if the VMO grew back
 * (a shrink and a regrow between the failed call and the size query: giving
 * up there strands the reader of the first page). It stops when nothing of
 * the range fits or the size query fails. A size the same as at the last try
 * is no reason to stop: the VMO may have shrunk and grown back in between (a
 * README-only user's supply gave up so and stranded its reader). Each
 * OUT_OF_RANGE of a range that fit follows a shrink by another thread, so the
 * retries end when the resizes do; {@linkcode SHRINK_RETRIES} bounds them
 * against a kernel variant that keeps failing.
 *
 * @example
 * ```ts
 * import { parseScenario } from "../scenario/schema.ts";
 * import { runScenario } from "../scenario/interpreter.ts";
 * // The reference services supply through withinSize, so a shrink racing a read is fine.
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 4, resizable: true }],
 *   threads: [
 *     { name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 4 }] },
 *     { name: "s", ops: [{ op: "resize", vmo: "a", newPages: 1 }] },
 *   ],
 * }), { seed: 3 });
 * console.assert(run.verdict.kind === "pass");
 * ```
 */
export function* withinSize(
  sys: Sys,
  vmo: ServiceVmo,
  offset: number,
  length: number,
  op: (length: number) => Syscall<Status>,
): Syscall<Status> {
  let st = yield* op(length);
  for (let retry = 0; st === ZX_ERR_OUT_OF_RANGE && retry < SHRINK_RETRIES; retry++) {
    const [gs, size] = yield* sys.vmoGetSize(vmo.handle);
    const fits = Math.min(length, size - offset);
    if (gs !== ZX_OK || fits <= 0) return st;
    st = yield* op(fits);
  }
  return st;
}

/** The most retries {@linkcode withinSize} makes after OUT_OF_RANGE (each follows a shrink). */
export const SHRINK_RETRIES = 64;

/**
 * `zx_pager_supply_pages` of `[offset, offset + length)` from `aux`,
 * {@linkcode withinSize}. A supply that fails with OUT_OF_RANGE has already
 * taken the pages out of `aux` (spec 2.4 note), so `refill` writes them again
 * before each retry; without it a retry would supply zero markers.
 *
 * @example
 * ```ts
 * import { parseScenario } from "../scenario/schema.ts";
 * import { runScenario } from "../scenario/interpreter.ts";
 * // The batching service supplies with supplyWithinSize.
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "batching" } }],
 *   vmos: [{ name: "a", pager: "fs", pages: 2 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 1 }] }],
 * }), { seed: 2 });
 * console.assert(run.verdict.kind === "pass");
 * ```
 */
export function supplyWithinSize(
  sys: Sys,
  ctx: ServiceContext,
  vmo: ServiceVmo,
  offset: number,
  length: number,
  aux: number,
  refill: () => Syscall<unknown>,
): Syscall<Status> {
  let tries = 0;
  const supply = (n: number) => sys.pagerSupplyPages(ctx.pager, vmo.handle, offset, n, aux, 0);
  // The first try is the supply call itself, not a generator around it: every step of a
  // supply passes through each generator it is delegated through.
  return withinSize(
    sys,
    vmo,
    offset,
    length,
    (n) => tries++ === 0 ? supply(n) : refillAndSupply(refill, supply, n),
  );
}

/**
 * A retry of {@linkcode supplyWithinSize}: refill the aux VMO, then supply `n` bytes. A generator
 * function of the module, not one made per supply: V8 keeps a generator function that was called
 * (and the run it closes over) until the next full collection.
 */
function* refillAndSupply(
  refill: () => Syscall<unknown>,
  supply: (n: number) => Syscall<Status>,
  n: number,
): Syscall<Status> {
  // A refill that failed (out of memory) would supply zero markers: stop with its status.
  const st = yield* refill();
  if (typeof st === "number" && st !== ZX_OK) return st;
  return yield* supply(n);
}
