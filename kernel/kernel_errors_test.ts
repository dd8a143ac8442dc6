/**
 * Table-driven tests of every error condition of the level-1 `zx_*` calls
 * (spec 1.5, 2.1-2.5, 2.8, K27): one row per condition, plus rows where two
 * errors apply at once to pin the checking order, garbage arguments (which
 * must return a status, never throw), and rights reduced with
 * `zx_handle_replace`. Calls are driven directly on a {@linkcode Kernel}.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import {
  IO_SUB_CODES,
  LIMITS,
  type Status,
  statusName,
  ZX_BTI_COMPRESS,
  ZX_BTI_CONTIGUOUS,
  ZX_BTI_PERM_READ,
  ZX_BTI_PERM_WRITE,
  ZX_DEFAULT_EVENT_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_ALREADY_EXISTS,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_IO,
  ZX_ERR_IO_DATA_INTEGRITY,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NO_RESOURCES,
  ZX_ERR_NO_SPACE,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_TIMED_OUT,
  ZX_ERR_UNAVAILABLE,
  ZX_ERR_WRONG_TYPE,
  ZX_EVENT_SIGNALED,
  ZX_INFO_VMO,
  ZX_INFO_VMO_CONTIGUOUS,
  ZX_INFO_VMO_PAGER_BACKED,
  ZX_INFO_VMO_RESIZABLE,
  ZX_OBJ_TYPE_EVENT,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_PKT_TYPE_SIGNAL_ONE,
  ZX_PKT_TYPE_USER,
  ZX_RIGHT_ATTACH_VMO,
  ZX_RIGHT_DESTROY,
  ZX_RIGHT_DUPLICATE,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_INSPECT,
  ZX_RIGHT_MANAGE_VMO,
  ZX_RIGHT_MAP,
  ZX_RIGHT_READ,
  ZX_RIGHT_RESIZE,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_RIGHT_SIGNAL,
  ZX_RIGHT_TRANSFER,
  ZX_RIGHT_WAIT,
  ZX_RIGHT_WRITE,
  ZX_TIME_INFINITE,
  ZX_USER_SIGNAL_ALL,
  ZX_VM_CAN_MAP_EXECUTE,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VM_SPECIFIC,
  ZX_VMAR_OP_COMMIT,
  ZX_VMAR_OP_DECOMMIT,
  ZX_VMAR_OP_DONT_NEED,
  ZX_VMAR_OP_MAP_RANGE,
  ZX_VMAR_OP_PREFETCH,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
  ZX_VMO_ZERO_CHILDREN,
} from "./constants.ts";
import type { SignalPacket, UserPacket } from "./events.ts";
import type { HandleEntry } from "./handles.ts";
import { Kernel, type Syscall } from "./kernel.ts";
import { runSync } from "./yields.ts";
import { spec, SYSCALL_NAMES, type SyscallName } from "./syscalls.ts";
import type { KThread, Vmo } from "./objects.ts";

const PS = 4096;
/** Read-write mapping permissions. */
const RW = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
/** A region where anything readable and writable may be mapped anywhere. */
const RW_REGION = ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE;
const PAGES = 4;
const VMO_KEY = 7;
const VMO2_KEY = 9;
/** A handle value the table never hands out (values step by 0x10 from 0x10). */
const BAD = 0x7fff_fff8;

/** Passes a value of the wrong JavaScript type where the syscall wants a number. */
function g(x: unknown): number {
  return x as number;
}

/** Drives a syscall that must not block to its result (like scenario/interpreter.ts's runSync). */

function statusOf(result: unknown): Status {
  return Array.isArray(result) ? result[0] as Status : result as Status;
}

/**
 * One world per row: a pager with a 4-page VMO (key 7) on a port, a second
 * pager with its own VMO (key 9) on the same port, an anonymous 4-page aux
 * VMO, and a second thread.
 */
class Fx {
  readonly k = new Kernel({ pageSize: PS });
  readonly t: KThread;
  readonly peer: KThread;
  readonly peerHandle: number;
  readonly pager: number;
  readonly port: number;
  readonly vmo: number;
  readonly aux: number;
  readonly pager2: number;
  readonly vmo2: number;
  readonly vmar: number;
  /** A handle a row's call made and its check looks at. */
  kept = 0;

  constructor() {
    [this.t] = this.k.createThread("main", 1);
    [this.peer, this.peerHandle] = this.k.createThread("peer", 2);
    this.pager = this.ok(this.k.zx_pager_create(this.t, 0));
    this.port = this.ok(this.k.zx_port_create(this.t, 0));
    this.vmo = this.ok(
      this.k.zx_pager_create_vmo(this.t, this.pager, 0, this.port, VMO_KEY, 4 * PS),
    );
    this.aux = this.ok(this.k.zx_vmo_create(this.t, PAGES * PS, 0));
    this.pager2 = this.ok(this.k.zx_pager_create(this.t, 0));
    this.vmo2 = this.ok(
      this.k.zx_pager_create_vmo(this.t, this.pager2, 0, this.port, VMO2_KEY, PAGES * PS),
    );
    this.vmar = this.k.rootVmarHandle;
  }

  /** A new futex word holding `value`; its address. */
  word(value: number): number {
    return this.k.futexes.alloc(value);
  }

  /** The calling thread's own handle. */
  get selfHandle(): number {
    return this.t.selfHandle;
  }

  /** A new event's handle. */
  event(): number {
    return this.ok(this.k.zx_event_create(this.t, 0));
  }

  /** Runs a setup call that must succeed and returns its handle or value. */
  ok(call: Syscall<[Status, number]> | Syscall<[Status, number, number]>): number {
    const [st, value] = runSync<[Status, number] | [Status, number, number]>(call);
    assert.equal(statusName(st), "ZX_OK", "setup call failed");
    return value;
  }

  /** Runs a setup call that must return ZX_OK. */
  okStatus(call: Syscall<Status>): void {
    assert.equal(statusName(runSync(call)), "ZX_OK", "setup call failed");
  }

  /** Replaces `handle` with one lacking `rights` (the only way to reduce a pager's rights). */
  without(handle: number, rights: number): number {
    const have = this.#entry(handle).rights;
    return this.ok(this.k.zx_handle_replace(this.t, handle, (have & ~rights) >>> 0));
  }

  /** A new BTI's handle. */
  bti(): number {
    return this.ok(this.k.zx_bti_create(this.t, 0, 1));
  }

  /** A sub-region of the root VMAR of `pages` pages: [handle, base]. */
  region(specific: number, offset: number, pages: number, flags = RW_REGION): [number, number] {
    const [st, h, base] = runSync(
      this.k.zx_vmar_allocate(this.t, this.vmar, flags | specific, offset, pages * PS),
    );
    assert.equal(statusName(st), "ZX_OK", "setup zx_vmar_allocate failed");
    return [h, base];
  }

  /** Makes page `page` of the pager VMO present (a one-page supply from aux). */
  supply(page: number): void {
    this.okStatus(
      this.k.zx_pager_supply_pages(this.t, this.pager, this.vmo, page * PS, PS, this.aux, 0),
    );
  }

  detach(): void {
    this.okStatus(this.k.zx_pager_detach_vmo(this.t, this.pager, this.vmo));
  }

  /** Queues a user packet with `key`. */
  queue(key: number): void {
    const packet: UserPacket = { type: ZX_PKT_TYPE_USER, key, status: 0, user: [] };
    this.okStatus(this.k.zx_port_queue(this.t, this.port, packet));
  }

  #entry(handle: number): HandleEntry {
    const e = this.k.handles.entry(handle);
    if (e === undefined) throw new Error(`handle ${handle} is not open`);
    return e;
  }

  /** Rights of an open handle. */
  rights(handle: number): number {
    return this.#entry(handle).rights;
  }
}

/** One error condition: how to reach it, and the status the call must return. */
interface Row {
  readonly name: string;
  readonly call: (f: Fx) => Syscall<unknown>;
  readonly want: Status;
  /** Further observable effects to check after the call. */
  readonly check?: (f: Fx, result: unknown) => void;
}

/** Garbage in place of a number: each must give a status code, never a throw. */
const GARBAGE: readonly [string, unknown][] = [
  ["NaN", NaN],
  ["negative", -PS],
  ["string", "4096"],
  ["undefined", undefined],
  ["fraction", 0.5],
  ["Infinity", Infinity],
];

/** Rows for garbage in one argument position. */
/** Garbage for an optional parameter (left out, `undefined` means "not given"). */
const GIVEN = GARBAGE.filter(([label]) => label !== "undefined");

function garbageRows(
  what: string,
  want: Status,
  call: (f: Fx, x: number) => Syscall<unknown>,
  values: readonly [string, unknown][] = GARBAGE,
): Row[] {
  return values.map(([label, x]) => ({
    name: `garbage ${what} (${label})`,
    call: (f) => call(f, g(x)),
    want,
  }));
}

const TABLES: Record<string, readonly Row[]> = {
  zx_pager_create: [
    { name: "options 0 succeeds", call: (f) => f.k.zx_pager_create(f.t, 0), want: ZX_OK },
    {
      name: "new pager has exactly the default pager rights (no DUPLICATE)",
      call: (f) => f.k.zx_pager_create(f.t, 0),
      want: ZX_OK,
      check: (f, r) =>
        assert.equal(
          f.rights((r as [Status, number])[1]),
          ZX_RIGHT_ATTACH_VMO | ZX_RIGHT_MANAGE_VMO | ZX_RIGHT_INSPECT | ZX_RIGHT_TRANSFER,
        ),
    },
    {
      name: "options 1 (InvalidPagerCreate)",
      call: (f) => f.k.zx_pager_create(f.t, 1),
      want: ZX_ERR_INVALID_ARGS,
    },
    ...garbageRows("options", ZX_ERR_INVALID_ARGS, (f, x) => f.k.zx_pager_create(f.t, x)),
  ],

  zx_pager_create_vmo: [
    {
      name: "valid call succeeds and sends no packet",
      call: (f) => f.k.zx_pager_create_vmo(f.t, f.pager, 0, f.port, 1, PS),
      want: ZX_OK,
      check: (f) => assert.equal(f.k.ports[0].depth, 0),
    },
    {
      name: "size is rounded up to a page",
      call: (f) => f.k.zx_pager_create_vmo(f.t, f.pager, 0, f.port, 1, PS + 1),
      want: ZX_OK,
      check: (f, r) =>
        assert.deepEqual(runSync(f.k.zx_vmo_get_size(f.t, (r as [Status, number])[1])), [
          ZX_OK,
          2 * PS,
        ]),
    },
    {
      name: "size 0 succeeds",
      call: (f) => f.k.zx_pager_create_vmo(f.t, f.pager, 0, f.port, 1, 0),
      want: ZX_OK,
    },
    {
      name: "RESIZABLE succeeds and grants RESIZE",
      call: (f) => f.k.zx_pager_create_vmo(f.t, f.pager, ZX_VMO_RESIZABLE, f.port, 1, PS),
      want: ZX_OK,
      check: (f, r) => assert.ok(f.rights((r as [Status, number])[1]) & ZX_RIGHT_RESIZE),
    },
    {
      name: "pager without MANAGE_VMO still creates (only ATTACH_VMO needed)",
      call: (f) =>
        f.k.zx_pager_create_vmo(f.t, f.without(f.pager, ZX_RIGHT_MANAGE_VMO), 0, f.port, 1, PS),
      want: ZX_OK,
    },
    {
      name: "pager: invalid handle",
      call: (f) => f.k.zx_pager_create_vmo(f.t, BAD, 0, f.port, 1, PS),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "pager: ZX_HANDLE_INVALID",
      call: (f) => f.k.zx_pager_create_vmo(f.t, 0, 0, f.port, 1, PS),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "pager: closed handle",
      call: (f) => {
        f.okStatus(f.k.zx_handle_close(f.t, f.pager2));
        return f.k.zx_pager_create_vmo(f.t, f.pager2, 0, f.port, 1, PS);
      },
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "pager: wrong type (port)",
      call: (f) => f.k.zx_pager_create_vmo(f.t, f.port, 0, f.port, 1, PS),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "pager: without ATTACH_VMO",
      call: (f) =>
        f.k.zx_pager_create_vmo(f.t, f.without(f.pager, ZX_RIGHT_ATTACH_VMO), 0, f.port, 1, PS),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "port: invalid handle",
      call: (f) => f.k.zx_pager_create_vmo(f.t, f.pager, 0, BAD, 1, PS),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "port: wrong type (pager)",
      call: (f) => f.k.zx_pager_create_vmo(f.t, f.pager, 0, f.pager, 1, PS),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "port: without WRITE",
      call: (f) =>
        f.k.zx_pager_create_vmo(f.t, f.pager, 0, f.without(f.port, ZX_RIGHT_WRITE), 1, PS),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "order: pager wrong type before port invalid",
      call: (f) => f.k.zx_pager_create_vmo(f.t, f.vmo, 0, BAD, 1, PS),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "order: pager without ATTACH_VMO before port invalid",
      call: (f) =>
        f.k.zx_pager_create_vmo(f.t, f.without(f.pager, ZX_RIGHT_ATTACH_VMO), 0, BAD, 1, PS),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "order: port wrong type before bad options",
      call: (f) => f.k.zx_pager_create_vmo(f.t, f.pager, ~0 >>> 0, f.vmo, 1, PS),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "order: port without WRITE before size out of range",
      call: (f) =>
        f.k.zx_pager_create_vmo(f.t, f.pager, 0, f.without(f.port, ZX_RIGHT_WRITE), 1, 2 ** 64),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "options: all bits (~0u)",
      call: (f) => f.k.zx_pager_create_vmo(f.t, f.pager, ~0 >>> 0, f.port, 1, PS),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "options: unknown bit 0",
      call: (f) => f.k.zx_pager_create_vmo(f.t, f.pager, 1, f.port, 1, PS),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "options: DISCARDABLE",
      call: (f) => f.k.zx_pager_create_vmo(f.t, f.pager, ZX_VMO_DISCARDABLE, f.port, 1, PS),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "options: TRAP_DIRTY is accepted",
      call: (f) => f.k.zx_pager_create_vmo(f.t, f.pager, ZX_VMO_TRAP_DIRTY, f.port, 1, PS),
      want: ZX_OK,
    },
    {
      name: "order: bad options before size out of range",
      call: (f) => f.k.zx_pager_create_vmo(f.t, f.pager, 1, f.port, 1, 2 ** 64),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "size: round_down(UINT64_MAX) + 1",
      call: (f) => f.k.zx_pager_create_vmo(f.t, f.pager, 0, f.port, 1, 2 ** 64 - PS + 1),
      want: ZX_ERR_OUT_OF_RANGE,
    },
    {
      name: "size: above the model's maximum VMO size",
      call: (f) => f.k.zx_pager_create_vmo(f.t, f.pager, 0, f.port, 1, LIMITS.maxVmoBytes + PS),
      want: ZX_ERR_OUT_OF_RANGE,
    },
    {
      name: "size: more pages than the model allocates",
      call: (f) => f.k.zx_pager_create_vmo(f.t, f.pager, 0, f.port, 1, 2 ** 32 + PS),
      want: ZX_ERR_NO_MEMORY,
    },
    ...garbageRows(
      "pager",
      ZX_ERR_BAD_HANDLE,
      (f, x) => f.k.zx_pager_create_vmo(f.t, x, 0, f.port, 1, PS),
    ),
    ...garbageRows(
      "port",
      ZX_ERR_BAD_HANDLE,
      (f, x) => f.k.zx_pager_create_vmo(f.t, f.pager, 0, x, 1, PS),
    ),
    ...garbageRows(
      "options",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_pager_create_vmo(f.t, f.pager, x, f.port, 1, PS),
    ),
    ...garbageRows(
      "key",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_pager_create_vmo(f.t, f.pager, 0, f.port, x, PS),
    ),
    ...garbageRows(
      "size",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_pager_create_vmo(f.t, f.pager, 0, f.port, 1, x),
    ),
  ],

  zx_pager_detach_vmo: [
    {
      name: "valid call succeeds and queues COMPLETE",
      call: (f) => f.k.zx_pager_detach_vmo(f.t, f.pager, f.vmo),
      want: ZX_OK,
      check: (f) => assert.equal(f.k.ports[0].depth, 1),
    },
    {
      // PagerDetachPinned (pager.cc @ misttech/fuchsia b394d1c8): a pinned page is not decommitted.
      name: "a pinned clean page stays through the detach; unpinned clean pages go",
      call: (f) => {
        f.supply(0);
        f.supply(1);
        f.ok(f.k.zx_bti_pin(f.t, f.bti(), ZX_BTI_PERM_READ, f.vmo, 0, PS));
        return f.k.zx_pager_detach_vmo(f.t, f.pager, f.vmo);
      },
      want: ZX_OK,
      check: (f) => {
        const vmo = f.k.pagerVmos[0];
        assert.notEqual(vmo.slots[0], undefined);
        assert.equal(vmo.slots[1], undefined);
        assert.deepEqual([...vmo.pins], [[0, 1]]);
      },
    },
    {
      name: "detaching twice succeeds, one COMPLETE",
      call: (f) => {
        f.detach();
        return f.k.zx_pager_detach_vmo(f.t, f.pager, f.vmo);
      },
      want: ZX_OK,
      check: (f) => assert.equal(f.k.ports[0].depth, 1),
    },
    {
      name: "pager: invalid handle",
      call: (f) => f.k.zx_pager_detach_vmo(f.t, BAD, f.vmo),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "handles swapped (pager and vmo)",
      call: (f) => f.k.zx_pager_detach_vmo(f.t, f.vmo, f.pager),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "pager: without ATTACH_VMO",
      call: (f) => f.k.zx_pager_detach_vmo(f.t, f.without(f.pager, ZX_RIGHT_ATTACH_VMO), f.vmo),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "pager: without MANAGE_VMO",
      call: (f) => f.k.zx_pager_detach_vmo(f.t, f.without(f.pager, ZX_RIGHT_MANAGE_VMO), f.vmo),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "vmo: invalid handle",
      call: (f) => f.k.zx_pager_detach_vmo(f.t, f.pager, BAD),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "vmo: wrong type (port)",
      call: (f) => f.k.zx_pager_detach_vmo(f.t, f.pager, f.port),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "vmo: without WRITE",
      call: (f) => f.k.zx_pager_detach_vmo(f.t, f.pager, f.without(f.vmo, ZX_RIGHT_WRITE)),
      want: ZX_ERR_ACCESS_DENIED,
      check: (f) => assert.equal(f.k.ports[0].depth, 0),
    },
    {
      name: "vmo: anonymous VMO",
      call: (f) => f.k.zx_pager_detach_vmo(f.t, f.pager, f.aux),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "vmo: owned by another pager",
      call: (f) => f.k.zx_pager_detach_vmo(f.t, f.pager, f.vmo2),
      want: ZX_ERR_INVALID_ARGS,
      check: (f) => assert.equal(f.k.ports[0].depth, 0),
    },
    {
      name: "order: pager without MANAGE_VMO before vmo invalid",
      call: (f) => f.k.zx_pager_detach_vmo(f.t, f.without(f.pager, ZX_RIGHT_MANAGE_VMO), BAD),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "order: pager wrong type before vmo without WRITE",
      call: (f) => f.k.zx_pager_detach_vmo(f.t, f.port, f.without(f.vmo, ZX_RIGHT_WRITE)),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "order: vmo wrong type before koid mismatch",
      call: (f) => f.k.zx_pager_detach_vmo(f.t, f.pager, f.pager2),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "order: anonymous vmo without WRITE is ACCESS_DENIED (handle before koid)",
      call: (f) => f.k.zx_pager_detach_vmo(f.t, f.pager, f.without(f.aux, ZX_RIGHT_WRITE)),
      want: ZX_ERR_ACCESS_DENIED,
    },
    ...garbageRows("pager", ZX_ERR_BAD_HANDLE, (f, x) => f.k.zx_pager_detach_vmo(f.t, x, f.vmo)),
    ...garbageRows("vmo", ZX_ERR_BAD_HANDLE, (f, x) => f.k.zx_pager_detach_vmo(f.t, f.pager, x)),
  ],

  zx_pager_supply_pages: [
    {
      name: "valid call succeeds and fills the page",
      call: (f) => f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo, 0, PS, f.aux, 0),
      want: ZX_OK,
      check: (f) => assert.deepEqual(runSync(f.k.zx_vmo_read(f.t, f.vmo, 0, 1))[0], ZX_OK),
    },
    {
      // Spec 2.4 step 6 (TakePages): a pinned aux page cannot be taken.
      name: "an aux page pinned: BAD_STATE, the pinned page stays in aux",
      call: (f) => {
        f.okStatus(f.k.zx_vmo_write(f.t, f.aux, new Uint8Array(2 * PS).fill(4), 0));
        f.ok(f.k.zx_bti_pin(f.t, f.bti(), ZX_BTI_PERM_READ, f.aux, PS, PS));
        return f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo, 0, 2 * PS, f.aux, 0);
      },
      want: ZX_ERR_BAD_STATE,
      check: (f) => {
        assert.deepEqual(runSync(f.k.zx_vmo_read(f.t, f.aux, PS, 1))[1], new Uint8Array([4]));
        assert.equal(f.k.pagerVmos[0].slots[0], undefined);
      },
    },
    {
      name: "pager without ATTACH_VMO still supplies (only MANAGE_VMO needed)",
      call: (f) =>
        f.k.zx_pager_supply_pages(
          f.t,
          f.without(f.pager, ZX_RIGHT_ATTACH_VMO),
          f.vmo,
          0,
          PS,
          f.aux,
          0,
        ),
      want: ZX_OK,
    },
    {
      name: "offset not page aligned",
      call: (f) => f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo, 1, PS, f.aux, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "length not page aligned",
      call: (f) => f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo, 0, PS - 1, f.aux, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "aux offset not page aligned",
      call: (f) => f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo, 0, PS, f.aux, 8),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "order: unaligned offset before invalid pager",
      call: (f) => f.k.zx_pager_supply_pages(f.t, BAD, f.vmo, 1, PS, f.aux, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "order: unaligned aux offset before every bad handle",
      call: (f) => f.k.zx_pager_supply_pages(f.t, BAD, BAD, 0, PS, BAD, 8),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "pager: invalid handle",
      call: (f) => f.k.zx_pager_supply_pages(f.t, BAD, f.vmo, 0, PS, f.aux, 0),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "pager: wrong type (port)",
      call: (f) => f.k.zx_pager_supply_pages(f.t, f.port, f.vmo, 0, PS, f.aux, 0),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "pager: without MANAGE_VMO",
      call: (f) =>
        f.k.zx_pager_supply_pages(
          f.t,
          f.without(f.pager, ZX_RIGHT_MANAGE_VMO),
          f.vmo,
          0,
          PS,
          f.aux,
          0,
        ),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "pager_vmo: invalid handle",
      call: (f) => f.k.zx_pager_supply_pages(f.t, f.pager, BAD, 0, PS, f.aux, 0),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "pager_vmo: wrong type (pager)",
      call: (f) => f.k.zx_pager_supply_pages(f.t, f.pager, f.pager, 0, PS, f.aux, 0),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "pager_vmo: without WRITE",
      call: (f) =>
        f.k.zx_pager_supply_pages(f.t, f.pager, f.without(f.vmo, ZX_RIGHT_WRITE), 0, PS, f.aux, 0),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "order: invalid pager and invalid vmo give the pager's BAD_HANDLE",
      call: (f) => f.k.zx_pager_supply_pages(f.t, BAD, BAD, 0, PS, f.aux, 0),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "order: pager wrong type with a vmo lacking WRITE",
      call: (f) =>
        f.k.zx_pager_supply_pages(f.t, f.aux, f.without(f.vmo, ZX_RIGHT_WRITE), 0, PS, f.aux, 0),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "order: pager without MANAGE_VMO before invalid vmo",
      call: (f) =>
        f.k.zx_pager_supply_pages(
          f.t,
          f.without(f.pager, ZX_RIGHT_MANAGE_VMO),
          BAD,
          0,
          PS,
          f.aux,
          0,
        ),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "pager_vmo: anonymous VMO",
      call: (f) => f.k.zx_pager_supply_pages(f.t, f.pager, f.aux, 0, PS, f.aux, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "pager_vmo: owned by another pager",
      call: (f) => f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo2, 0, PS, f.aux, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "order: koid mismatch before invalid aux",
      call: (f) => f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo2, 0, PS, BAD, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "order: vmo without WRITE before koid mismatch",
      call: (f) =>
        f.k.zx_pager_supply_pages(f.t, f.pager, f.without(f.vmo2, ZX_RIGHT_WRITE), 0, PS, f.aux, 0),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "aux: invalid handle",
      call: (f) => f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo, 0, PS, BAD, 0),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "aux: wrong type (port)",
      call: (f) => f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo, 0, PS, f.port, 0),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "aux: without READ",
      call: (f) =>
        f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo, 0, PS, f.without(f.aux, ZX_RIGHT_READ), 0),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "aux: without WRITE",
      call: (f) =>
        f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo, 0, PS, f.without(f.aux, ZX_RIGHT_WRITE), 0),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "aux: pager-backed",
      call: (f) => f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo, 0, PS, f.vmo2, 0),
      want: ZX_ERR_NOT_SUPPORTED,
    },
    {
      // TakePages: `is_contiguous()` is NOT_SUPPORTED before the range (vm_object_paged.cc @
      // misttech/fuchsia 056f3590).
      name: "aux: contiguous, even with an empty range past its end",
      call: (f) => {
        const c = f.ok(f.k.zx_vmo_create_contiguous(f.t, f.bti(), PS, 0));
        return f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo, 0, 0, c, 4 * PS);
      },
      want: ZX_ERR_NOT_SUPPORTED,
    },
    {
      name: "aux: range past its end",
      call: (f) => f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo, 0, PS, f.aux, PAGES * PS),
      want: ZX_ERR_OUT_OF_RANGE,
    },
    {
      name: "order: aux range past end before aux pager-backed",
      call: (f) => f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo, 0, PS, f.vmo2, PAGES * PS),
      want: ZX_ERR_OUT_OF_RANGE,
    },
    {
      name: "order: aux handle error before aux range",
      call: (f) =>
        f.k.zx_pager_supply_pages(
          f.t,
          f.pager,
          f.vmo,
          0,
          PS,
          f.without(f.aux, ZX_RIGHT_READ),
          PAGES * PS,
        ),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "pager_vmo: range past its end (and aux is decommitted anyway)",
      call: (f) => {
        f.okStatus(f.k.zx_vmo_write(f.t, f.aux, new Uint8Array([1]), 0));
        return f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo, (PAGES - 1) * PS, 2 * PS, f.aux, 0);
      },
      want: ZX_ERR_OUT_OF_RANGE,
      check: (f) => {
        const [st, bytes] = runSync(f.k.zx_vmo_read(f.t, f.aux, 0, 1));
        assert.equal(st, ZX_OK);
        assert.equal(bytes[0], 0);
      },
    },
    {
      name: "pager_vmo: detached",
      call: (f) => {
        f.detach();
        return f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo, 0, PS, f.aux, 0);
      },
      want: ZX_ERR_BAD_STATE,
    },
    {
      name: "order: dest range past end before detached",
      call: (f) => {
        f.detach();
        return f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo, PAGES * PS, PS, f.aux, 0);
      },
      want: ZX_ERR_OUT_OF_RANGE,
    },
    {
      name: "zero length on a detached VMO succeeds (spec 2.4, code-derived)",
      call: (f) => {
        f.detach();
        return f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo, 0, 0, f.aux, 0);
      },
      want: ZX_OK,
    },
    {
      name: "supply over present pages succeeds and keeps them",
      call: (f) => {
        f.okStatus(f.k.zx_vmo_write(f.t, f.aux, new Uint8Array([5]), 0));
        f.supply(0);
        f.okStatus(f.k.zx_vmo_write(f.t, f.aux, new Uint8Array([6]), 0));
        return f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo, 0, PS, f.aux, 0);
      },
      want: ZX_OK,
      check: (f) => assert.equal(runSync(f.k.zx_vmo_read(f.t, f.vmo, 0, 1))[1][0], 5),
    },
    ...garbageRows(
      "offset",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo, x, PS, f.aux, 0),
    ),
    ...garbageRows(
      "length",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo, 0, x, f.aux, 0),
    ),
    ...garbageRows(
      "aux offset",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo, 0, PS, f.aux, x),
    ),
    ...garbageRows(
      "pager",
      ZX_ERR_BAD_HANDLE,
      (f, x) => f.k.zx_pager_supply_pages(f.t, x, f.vmo, 0, PS, f.aux, 0),
    ),
    ...garbageRows(
      "aux",
      ZX_ERR_BAD_HANDLE,
      (f, x) => f.k.zx_pager_supply_pages(f.t, f.pager, f.vmo, 0, PS, x, 0),
    ),
  ],

  zx_pager_op_range: [
    {
      name: "OP_FAIL with no outstanding request is a no-op success",
      call: (f) => f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_FAIL, f.vmo, 0, PS, ZX_ERR_IO),
      want: ZX_OK,
    },
    ...[
      ZX_ERR_IO,
      ZX_ERR_IO_DATA_INTEGRITY,
      ZX_ERR_BAD_STATE,
      ZX_ERR_NO_SPACE,
      ZX_ERR_BUFFER_TOO_SMALL,
    ]
      .map((code): Row => ({
        name: `OP_FAIL accepts ${statusName(code)}`,
        call: (f) => f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_FAIL, f.vmo, 0, PS, code),
        want: ZX_OK,
      })),
    // The IO sub-codes other than IO_DATA_INTEGRITY are no external failure codes
    // (PageSource::IsValidExternalFailureCode, page_source.cc @ misttech/fuchsia d72ea0ee).
    ...IO_SUB_CODES.filter((code) => code !== ZX_ERR_IO_DATA_INTEGRITY)
      .map((code): Row => ({
        name: `OP_FAIL refuses the IO sub-code ${statusName(code)}`,
        call: (f) => f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_FAIL, f.vmo, 0, PS, code),
        want: ZX_ERR_INVALID_ARGS,
      })),
    ...[ZX_OK, ZX_ERR_NO_MEMORY, ZX_ERR_INVALID_ARGS, ZX_ERR_TIMED_OUT, 1, 2 ** 31, -(2 ** 31) - 1]
      .map((code): Row => ({
        name: `OP_FAIL refuses data ${code} (${statusName(code)})`,
        call: (f) => f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_FAIL, f.vmo, 0, PS, code),
        want: ZX_ERR_INVALID_ARGS,
      })),
    {
      name: "offset not page aligned",
      call: (f) => f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_FAIL, f.vmo, 1, PS, ZX_ERR_IO),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "length not page aligned",
      call: (f) => f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_FAIL, f.vmo, 0, 1, ZX_ERR_IO),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "order: unaligned offset before invalid pager",
      call: (f) => f.k.zx_pager_op_range(f.t, BAD, ZX_PAGER_OP_FAIL, f.vmo, 1, PS, ZX_ERR_IO),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "order: unaligned length before unknown op",
      call: (f) => f.k.zx_pager_op_range(f.t, f.pager, 0, f.vmo, 0, 1, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "pager: invalid handle",
      call: (f) => f.k.zx_pager_op_range(f.t, BAD, ZX_PAGER_OP_FAIL, f.vmo, 0, PS, ZX_ERR_IO),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "handles swapped (pager and vmo)",
      call: (f) => f.k.zx_pager_op_range(f.t, f.vmo, ZX_PAGER_OP_FAIL, f.pager, 0, PS, ZX_ERR_IO),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "pager: without MANAGE_VMO",
      call: (f) =>
        f.k.zx_pager_op_range(
          f.t,
          f.without(f.pager, ZX_RIGHT_MANAGE_VMO),
          ZX_PAGER_OP_FAIL,
          f.vmo,
          0,
          PS,
          ZX_ERR_IO,
        ),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "pager without ATTACH_VMO still fails requests",
      call: (f) =>
        f.k.zx_pager_op_range(
          f.t,
          f.without(f.pager, ZX_RIGHT_ATTACH_VMO),
          ZX_PAGER_OP_FAIL,
          f.vmo,
          0,
          PS,
          ZX_ERR_IO,
        ),
      want: ZX_OK,
    },
    {
      name: "vmo: invalid handle",
      call: (f) => f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_FAIL, BAD, 0, PS, ZX_ERR_IO),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "vmo: wrong type (port)",
      call: (f) => f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_FAIL, f.port, 0, PS, ZX_ERR_IO),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "vmo: without WRITE",
      call: (f) =>
        f.k.zx_pager_op_range(
          f.t,
          f.pager,
          ZX_PAGER_OP_FAIL,
          f.without(f.vmo, ZX_RIGHT_WRITE),
          0,
          PS,
          ZX_ERR_IO,
        ),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "order: pager wrong type with a vmo lacking WRITE",
      call: (f) =>
        f.k.zx_pager_op_range(
          f.t,
          f.port,
          ZX_PAGER_OP_FAIL,
          f.without(f.vmo, ZX_RIGHT_WRITE),
          0,
          PS,
          ZX_ERR_IO,
        ),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "vmo: anonymous VMO",
      call: (f) => f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_FAIL, f.aux, 0, PS, ZX_ERR_IO),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "vmo: owned by another pager",
      call: (f) => f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_FAIL, f.vmo2, 0, PS, ZX_ERR_IO),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "unknown op 0",
      call: (f) => f.k.zx_pager_op_range(f.t, f.pager, 0, f.vmo, 0, PS, 0),
      want: ZX_ERR_NOT_SUPPORTED,
    },
    {
      name: "unknown op 99",
      call: (f) => f.k.zx_pager_op_range(f.t, f.pager, 99, f.vmo, 0, PS, 0),
      want: ZX_ERR_NOT_SUPPORTED,
    },
    {
      name: "order: invalid vmo before unknown op",
      call: (f) => f.k.zx_pager_op_range(f.t, f.pager, 0, BAD, 0, PS, 0),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "order: koid mismatch before unknown op",
      call: (f) => f.k.zx_pager_op_range(f.t, f.pager, 0, f.vmo2, 0, PS, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "OP_FAIL: range past the end",
      call: (f) =>
        f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_FAIL, f.vmo, PAGES * PS, PS, ZX_ERR_IO),
      want: ZX_ERR_OUT_OF_RANGE,
    },
    {
      name: "OP_FAIL: offset+length overflows",
      call: (f) =>
        f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_FAIL, f.vmo, PS, 2 ** 64 - PS, ZX_ERR_IO),
      want: ZX_ERR_OUT_OF_RANGE,
    },
    {
      name: "OP_FAIL order: bad fail code before range past the end",
      call: (f) =>
        f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_FAIL, f.vmo, PAGES * PS, PS, ZX_OK),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "OP_FAIL: detached (FailAfterDetach)",
      call: (f) => {
        f.detach();
        return f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_FAIL, f.vmo, 0, PS, ZX_ERR_IO);
      },
      want: ZX_ERR_BAD_STATE,
    },
    {
      name: "OP_FAIL order: range past the end before detached",
      call: (f) => {
        f.detach();
        return f.k.zx_pager_op_range(
          f.t,
          f.pager,
          ZX_PAGER_OP_FAIL,
          f.vmo,
          PAGES * PS,
          PS,
          ZX_ERR_IO,
        );
      },
      want: ZX_ERR_OUT_OF_RANGE,
    },
    {
      name: "OP_FAIL: zero length succeeds",
      call: (f) => f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_FAIL, f.vmo, 0, 0, ZX_ERR_IO),
      want: ZX_OK,
    },
    ...garbageRows(
      "OP_FAIL data",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_FAIL, f.vmo, 0, PS, x),
    ),
    {
      name: "OP_DIRTY: nonzero data",
      call: (f) => f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_DIRTY, f.vmo, 0, PS, 1),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "OP_DIRTY: VMO without TRAP_DIRTY",
      call: (f) => f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_DIRTY, f.vmo, 0, PS, 0),
      want: ZX_ERR_NOT_SUPPORTED,
    },
    {
      name: "OP_DIRTY order: no TRAP_DIRTY before range past the end",
      call: (f) => f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_DIRTY, f.vmo, PAGES * PS, PS, 0),
      want: ZX_ERR_NOT_SUPPORTED,
    },
    {
      // DirtyPages' range check is `offset > size` (vm_cow_pages.cc): an empty range at the end
      // is in range, one page past it is not.
      name: "OP_DIRTY: an empty range at a trap-dirty VMO's end succeeds",
      call: (f) => {
        const h = f.ok(f.k.zx_pager_create_vmo(f.t, f.pager, ZX_VMO_TRAP_DIRTY, f.port, 3, PS));
        return f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_DIRTY, h, PS, 0, 0);
      },
      want: ZX_OK,
    },
    {
      name: "OP_DIRTY: an empty range a page past a trap-dirty VMO's end",
      call: (f) => {
        const h = f.ok(f.k.zx_pager_create_vmo(f.t, f.pager, ZX_VMO_TRAP_DIRTY, f.port, 3, PS));
        return f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_DIRTY, h, 2 * PS, 0, 0);
      },
      want: ZX_ERR_OUT_OF_RANGE,
    },
    {
      name: "OP_DIRTY order: nonzero data before no TRAP_DIRTY",
      call: (f) => f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_DIRTY, f.vmo, 0, PS, 7),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "WRITEBACK_BEGIN: data 0 succeeds",
      call: (f) =>
        f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_WRITEBACK_BEGIN, f.vmo, 0, PS, 0),
      want: ZX_OK,
    },
    {
      name: "WRITEBACK_BEGIN: data IS_ZERO succeeds",
      call: (f) =>
        f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_WRITEBACK_BEGIN, f.vmo, 0, PS, 1),
      want: ZX_OK,
    },
    {
      name: "WRITEBACK_BEGIN: unknown data",
      call: (f) =>
        f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_WRITEBACK_BEGIN, f.vmo, 0, PS, 2),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "WRITEBACK_BEGIN: range past the end",
      call: (f) =>
        f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_WRITEBACK_BEGIN, f.vmo, PS, PAGES * PS, 0),
      want: ZX_ERR_OUT_OF_RANGE,
    },
    {
      name: "WRITEBACK_BEGIN: works after detach",
      call: (f) => {
        f.detach();
        return f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_WRITEBACK_BEGIN, f.vmo, 0, PS, 0);
      },
      want: ZX_OK,
    },
    {
      name: "WRITEBACK_END: nonzero data",
      call: (f) => f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_WRITEBACK_END, f.vmo, 0, PS, 1),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "WRITEBACK_END: range past the end",
      call: (f) =>
        f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_WRITEBACK_END, f.vmo, PAGES * PS, PS, 0),
      want: ZX_ERR_OUT_OF_RANGE,
    },
    {
      name: "WRITEBACK_END: works after detach",
      call: (f) => {
        f.detach();
        return f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_WRITEBACK_END, f.vmo, 0, PS, 0);
      },
      want: ZX_OK,
    },
    ...garbageRows(
      "offset",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_FAIL, f.vmo, x, PS, ZX_ERR_IO),
    ),
    ...garbageRows(
      "length",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_FAIL, f.vmo, 0, x, ZX_ERR_IO),
    ),
    ...garbageRows(
      "op",
      ZX_ERR_NOT_SUPPORTED,
      (f, x) => f.k.zx_pager_op_range(f.t, f.pager, x, f.vmo, 0, PS, 0),
    ),
  ],

  zx_port_create: [
    { name: "options 0 succeeds", call: (f) => f.k.zx_port_create(f.t, 0), want: ZX_OK },
    {
      name: "options 1",
      call: (f) => f.k.zx_port_create(f.t, 1),
      want: ZX_ERR_INVALID_ARGS,
    },
    ...garbageRows("options", ZX_ERR_INVALID_ARGS, (f, x) => f.k.zx_port_create(f.t, x)),
  ],

  zx_port_queue: [
    {
      name: "valid user packet succeeds",
      call: (f) =>
        f.k.zx_port_queue(f.t, f.port, { type: ZX_PKT_TYPE_USER, key: 3, status: 0, user: [] }),
      want: ZX_OK,
      check: (f) => assert.equal(f.k.ports[0].depth, 1),
    },
    {
      name: "port: invalid handle",
      call: (f) =>
        f.k.zx_port_queue(f.t, BAD, { type: ZX_PKT_TYPE_USER, key: 3, status: 0, user: [] }),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "port: wrong type (vmo)",
      call: (f) =>
        f.k.zx_port_queue(f.t, f.vmo, { type: ZX_PKT_TYPE_USER, key: 3, status: 0, user: [] }),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "port: without WRITE",
      call: (f) =>
        f.k.zx_port_queue(f.t, f.without(f.port, ZX_RIGHT_WRITE), {
          type: ZX_PKT_TYPE_USER,
          key: 3,
          status: 0,
          user: [],
        }),
      want: ZX_ERR_ACCESS_DENIED,
    },
    ...([
      ["null", null],
      ["undefined", undefined],
      ["string", "packet"],
      [
        "negative key",
        { key: -1 },
      ],
      ["NaN key", { key: NaN }],
      ["no key", {}],
    ] as [string, unknown][]).map((
      [label, packet],
    ): Row => ({
      name: `garbage packet (${label})`,
      call: (f) => f.k.zx_port_queue(f.t, f.port, packet as UserPacket),
      want: ZX_ERR_INVALID_ARGS,
    })),
    {
      name: "order: invalid handle before garbage packet",
      call: (f) => f.k.zx_port_queue(f.t, BAD, null as unknown as UserPacket),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "port full of user packets",
      call: (f) => {
        for (let i = 0; i < LIMITS.maxPortPackets; i++) f.queue(i);
        return f.k.zx_port_queue(f.t, f.port, {
          type: ZX_PKT_TYPE_USER,
          key: 1,
          status: 0,
          user: [],
        });
      },
      want: ZX_ERR_SHOULD_WAIT,
    },
    ...garbageRows(
      "port",
      ZX_ERR_BAD_HANDLE,
      (f, x) => f.k.zx_port_queue(f.t, x, { type: ZX_PKT_TYPE_USER, key: 3, status: 0, user: [] }),
    ),
  ],

  zx_port_wait: [
    {
      name: "queued packet is returned",
      call: (f) => {
        f.queue(11);
        return f.k.zx_port_wait(f.t, f.port, 0);
      },
      want: ZX_OK,
      check: (_f, r) => assert.equal((r as [Status, { key: number }])[1].key, 11),
    },
    {
      name: "empty port with a deadline in the past",
      call: (f) => f.k.zx_port_wait(f.t, f.port, 0),
      want: ZX_ERR_TIMED_OUT,
    },
    {
      name: "empty port with a negative deadline",
      call: (f) => f.k.zx_port_wait(f.t, f.port, -1),
      want: ZX_ERR_TIMED_OUT,
    },
    {
      name: "port: invalid handle",
      call: (f) => f.k.zx_port_wait(f.t, BAD, 0),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "port: wrong type (pager)",
      call: (f) => f.k.zx_port_wait(f.t, f.pager, 0),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "port: without READ",
      call: (f) => {
        f.queue(1);
        return f.k.zx_port_wait(f.t, f.without(f.port, ZX_RIGHT_READ), 0);
      },
      want: ZX_ERR_ACCESS_DENIED,
      check: (f) => assert.equal(f.k.ports[0].depth, 1),
    },
    ...([["NaN", NaN], ["string", "0"], ["undefined", undefined]] as [string, unknown][]).map((
      [label, x],
    ): Row => ({
      name: `garbage deadline (${label})`,
      call: (f) => f.k.zx_port_wait(f.t, f.port, g(x)),
      want: ZX_ERR_INVALID_ARGS,
    })),
    {
      name: "order: invalid handle before garbage deadline",
      call: (f) => f.k.zx_port_wait(f.t, BAD, NaN),
      want: ZX_ERR_BAD_HANDLE,
    },
    ...garbageRows("port", ZX_ERR_BAD_HANDLE, (f, x) => f.k.zx_port_wait(f.t, x, 0)),
  ],

  zx_port_cancel_key: [
    {
      name: "queued key is cancelled",
      call: (f) => {
        f.queue(5);
        f.queue(6);
        return f.k.zx_port_cancel_key(f.t, f.port, 0, 5);
      },
      want: ZX_OK,
      check: (f) => assert.deepEqual(f.k.ports[0].packets().map((p) => p.key), [6]),
    },
    {
      name: "no packet with the key",
      call: (f) => {
        f.queue(6);
        return f.k.zx_port_cancel_key(f.t, f.port, 0, 5);
      },
      want: ZX_ERR_NOT_FOUND,
    },
    {
      name: "port: invalid handle",
      call: (f) => f.k.zx_port_cancel_key(f.t, BAD, 0, 5),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "port: wrong type (vmo)",
      call: (f) => f.k.zx_port_cancel_key(f.t, f.vmo, 0, 5),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "port: without WRITE",
      call: (f) => f.k.zx_port_cancel_key(f.t, f.without(f.port, ZX_RIGHT_WRITE), 0, 5),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "options nonzero",
      call: (f) => {
        f.queue(5);
        return f.k.zx_port_cancel_key(f.t, f.port, 1, 5);
      },
      want: ZX_ERR_INVALID_ARGS,
      check: (f) => assert.equal(f.k.ports[0].depth, 1),
    },
    {
      name: "order: invalid handle before bad options",
      call: (f) => f.k.zx_port_cancel_key(f.t, BAD, 1, 5),
      want: ZX_ERR_BAD_HANDLE,
    },
    ...garbageRows(
      "options",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_port_cancel_key(f.t, f.port, x, 5),
    ),
    ...garbageRows(
      "key",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_port_cancel_key(f.t, f.port, 0, x),
    ),
  ],

  zx_handle_close: [
    { name: "open handle", call: (f) => f.k.zx_handle_close(f.t, f.aux), want: ZX_OK },
    {
      name: "ZX_HANDLE_INVALID (0) is a no-op",
      call: (f) => f.k.zx_handle_close(f.t, 0),
      want: ZX_OK,
    },
    { name: "invalid handle", call: (f) => f.k.zx_handle_close(f.t, BAD), want: ZX_ERR_BAD_HANDLE },
    {
      name: "closing twice",
      call: (f) => {
        f.okStatus(f.k.zx_handle_close(f.t, f.aux));
        return f.k.zx_handle_close(f.t, f.aux);
      },
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "closing the last pager handle detaches without COMPLETE",
      call: (f) => f.k.zx_handle_close(f.t, f.pager),
      want: ZX_OK,
      check: (f) => {
        assert.equal(f.k.ports[0].depth, 0);
        assert.equal(f.k.pagerVmos[0].source?.detached, true);
      },
    },
    {
      name: "closing the last pager handle withdraws a queued COMPLETE (K7)",
      call: (f) => {
        f.detach();
        return f.k.zx_handle_close(f.t, f.pager);
      },
      want: ZX_OK,
      check: (f) => assert.equal(f.k.ports[0].depth, 0),
    },
    {
      name: "closing the last VMO handle sends COMPLETE",
      call: (f) => f.k.zx_handle_close(f.t, f.vmo),
      want: ZX_OK,
      check: (f) => assert.equal(f.k.ports[0].depth, 1),
    },
    ...garbageRows("handle", ZX_ERR_BAD_HANDLE, (f, x) => f.k.zx_handle_close(f.t, x)),
  ],

  zx_handle_duplicate: [
    {
      name: "SAME_RIGHTS keeps the rights",
      call: (f) => f.k.zx_handle_duplicate(f.t, f.aux, ZX_RIGHT_SAME_RIGHTS),
      want: ZX_OK,
      check: (f, r) => assert.equal(f.rights((r as [Status, number])[1]), f.rights(f.aux)),
    },
    {
      name: "a subset of the rights",
      call: (f) => f.k.zx_handle_duplicate(f.t, f.aux, ZX_RIGHT_READ),
      want: ZX_OK,
      check: (f, r) => assert.equal(f.rights((r as [Status, number])[1]), ZX_RIGHT_READ),
    },
    {
      name: "invalid handle",
      call: (f) => f.k.zx_handle_duplicate(f.t, BAD, ZX_RIGHT_SAME_RIGHTS),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "ZX_HANDLE_INVALID",
      call: (f) => f.k.zx_handle_duplicate(f.t, 0, ZX_RIGHT_SAME_RIGHTS),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "pager handle has no DUPLICATE",
      call: (f) => f.k.zx_handle_duplicate(f.t, f.pager, ZX_RIGHT_SAME_RIGHTS),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "VMO handle without DUPLICATE",
      call: (f) =>
        f.k.zx_handle_duplicate(f.t, f.without(f.aux, ZX_RIGHT_DUPLICATE), ZX_RIGHT_READ),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "rights not a subset",
      call: (f) => f.k.zx_handle_duplicate(f.t, f.without(f.aux, ZX_RIGHT_WRITE), ZX_RIGHT_WRITE),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "order: missing DUPLICATE before rights not a subset",
      call: (f) => f.k.zx_handle_duplicate(f.t, f.pager, ZX_RIGHT_WRITE),
      want: ZX_ERR_ACCESS_DENIED,
    },
    ...garbageRows(
      "rights",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_handle_duplicate(f.t, f.without(f.aux, ZX_RIGHT_WRITE), x),
    ),
    ...garbageRows(
      "handle",
      ZX_ERR_BAD_HANDLE,
      (f, x) => f.k.zx_handle_duplicate(f.t, x, ZX_RIGHT_SAME_RIGHTS),
    ),
  ],

  zx_handle_replace: [
    {
      name: "fewer rights; the old handle is gone",
      call: (f) => f.k.zx_handle_replace(f.t, f.aux, ZX_RIGHT_READ),
      want: ZX_OK,
      check: (f, r) => {
        assert.equal(f.rights((r as [Status, number])[1]), ZX_RIGHT_READ);
        assert.equal(f.k.handles.entry(f.aux), undefined);
      },
    },
    {
      name: "a pager handle can be replaced (no DUPLICATE needed)",
      call: (f) => f.k.zx_handle_replace(f.t, f.pager, ZX_RIGHT_MANAGE_VMO),
      want: ZX_OK,
    },
    {
      name: "invalid handle",
      call: (f) => f.k.zx_handle_replace(f.t, BAD, ZX_RIGHT_SAME_RIGHTS),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "rights not a subset; the old handle is gone anyway",
      call: (f) => f.k.zx_handle_replace(f.t, f.without(f.aux, ZX_RIGHT_WRITE), ZX_RIGHT_WRITE),
      want: ZX_ERR_INVALID_ARGS,
      check: (f) => assert.equal(f.k.handles.size, 8),
    },
    {
      name: "failed replace of the last VMO handle destroys the VMO (COMPLETE)",
      call: (f) => f.k.zx_handle_replace(f.t, f.vmo, ZX_RIGHT_SAME_RIGHTS + 1),
      want: ZX_ERR_INVALID_ARGS,
      check: (f) => assert.equal(f.k.ports[0].depth, 1),
    },
    ...garbageRows(
      "rights",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_handle_replace(f.t, f.without(f.aux, ZX_RIGHT_WRITE), x),
    ),
    ...garbageRows(
      "handle",
      ZX_ERR_BAD_HANDLE,
      (f, x) => f.k.zx_handle_replace(f.t, x, ZX_RIGHT_SAME_RIGHTS),
    ),
  ],

  zx_object_get_info: [
    {
      name: "user buffer: the record lands in a mapped anonymous page",
      call: (f) => {
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, RW, 0, f.aux, 0, PS));
        return f.k.zx_object_get_info(f.t, f.vmo, ZX_INFO_VMO, addr);
      },
      want: ZX_OK,
      check: (f) => {
        const [, bytes] = runSync(f.k.zx_vmo_read(f.t, f.aux, 0, 8));
        assert.equal(
          new DataView(bytes.buffer).getBigUint64(0, true),
          BigInt(f.k.pagerVmos[0].koid),
        );
      },
    },
    {
      name: "user buffer: unmapped",
      call: (f) => f.k.zx_object_get_info(f.t, f.vmo, ZX_INFO_VMO, 0x1000_0000),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "user buffer: a read-only mapping",
      call: (f) => {
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, f.aux, 0, PS));
        return f.k.zx_object_get_info(f.t, f.vmo, ZX_INFO_VMO, addr);
      },
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "pager-backed VMO reports PAGER_BACKED",
      call: (f) => f.k.zx_object_get_info(f.t, f.vmo, ZX_INFO_VMO),
      want: ZX_OK,
      check: (_f, r) => {
        const info = (r as [Status, { flags: number; sizeBytes: number }])[1];
        assert.ok(info.flags & ZX_INFO_VMO_PAGER_BACKED);
        assert.equal(info.flags & ZX_INFO_VMO_RESIZABLE, 0);
        assert.equal(info.sizeBytes, PAGES * PS);
      },
    },
    {
      name: "anonymous VMO does not report PAGER_BACKED",
      call: (f) => f.k.zx_object_get_info(f.t, f.aux, ZX_INFO_VMO),
      want: ZX_OK,
      check: (_f, r) =>
        assert.equal((r as [Status, { flags: number }])[1].flags & ZX_INFO_VMO_PAGER_BACKED, 0),
    },
    {
      name: "invalid handle",
      call: (f) => f.k.zx_object_get_info(f.t, BAD, ZX_INFO_VMO),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "wrong type (port)",
      call: (f) => f.k.zx_object_get_info(f.t, f.port, ZX_INFO_VMO),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "VMO without INSPECT",
      call: (f) => f.k.zx_object_get_info(f.t, f.without(f.vmo, ZX_RIGHT_INSPECT), ZX_INFO_VMO),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "order: wrong type before missing INSPECT",
      call: (f) => f.k.zx_object_get_info(f.t, f.without(f.port, ZX_RIGHT_INSPECT), ZX_INFO_VMO),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "unknown topic",
      call: (f) => f.k.zx_object_get_info(f.t, f.vmo, 12345),
      want: ZX_ERR_NOT_SUPPORTED,
    },
    {
      name: "order: unknown topic before invalid handle",
      call: (f) => f.k.zx_object_get_info(f.t, BAD, 12345),
      want: ZX_ERR_NOT_SUPPORTED,
    },
    ...garbageRows(
      "handle",
      ZX_ERR_BAD_HANDLE,
      (f, x) => f.k.zx_object_get_info(f.t, x, ZX_INFO_VMO),
    ),
    ...garbageRows(
      "topic",
      ZX_ERR_NOT_SUPPORTED,
      (f, x) => f.k.zx_object_get_info(f.t, f.vmo, x),
    ),
  ],

  zx_vmo_create: [
    {
      name: "valid call succeeds, default rights",
      call: (f) => f.k.zx_vmo_create(f.t, PS, 0),
      want: ZX_OK,
      check: (f, r) => assert.equal(f.rights((r as [Status, number])[1]) & ZX_RIGHT_RESIZE, 0),
    },
    {
      name: "RESIZABLE grants RESIZE",
      call: (f) => f.k.zx_vmo_create(f.t, PS, ZX_VMO_RESIZABLE),
      want: ZX_OK,
      check: (f, r) => assert.ok(f.rights((r as [Status, number])[1]) & ZX_RIGHT_RESIZE),
    },
    {
      name: "options: unknown bit",
      call: (f) => f.k.zx_vmo_create(f.t, PS, 1 << 10),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "options: TRAP_DIRTY on an anonymous VMO (SimpleTrapDirty)",
      call: (f) => f.k.zx_vmo_create(f.t, PS, ZX_VMO_TRAP_DIRTY),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "size: round_down(UINT64_MAX) + 1",
      call: (f) => f.k.zx_vmo_create(f.t, 2 ** 64 - PS + 1, 0),
      want: ZX_ERR_OUT_OF_RANGE,
    },
    {
      name: "size: above the model's maximum VMO size",
      call: (f) => f.k.zx_vmo_create(f.t, LIMITS.maxVmoBytes + PS, 0),
      want: ZX_ERR_OUT_OF_RANGE,
    },
    {
      name: "size: more pages than the model allocates",
      call: (f) => f.k.zx_vmo_create(f.t, 2 ** 32 + PS, 0),
      want: ZX_ERR_NO_MEMORY,
    },
    {
      name: "order: bad options before size out of range",
      call: (f) => f.k.zx_vmo_create(f.t, 2 ** 64, 1 << 10),
      want: ZX_ERR_INVALID_ARGS,
    },
    ...garbageRows(
      "size",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_vmo_create(f.t, x, 0),
    ),
    ...garbageRows("options", ZX_ERR_INVALID_ARGS, (f, x) => f.k.zx_vmo_create(f.t, PS, x)),
  ],

  // zx_vmo_create_contiguous: size and alignment, then the BTI with MAP, then the size limits
  // (sys_vmo_create_contiguous, zircon/kernel/lib/syscalls/ddk.cc @ gnoliyil/fuchsia 014097ec;
  // VmObjectPaged::CreateContiguous).
  zx_vmo_create_contiguous: [
    {
      name: "one page: committed, contiguous, default rights without RESIZE",
      call: (f) => f.k.zx_vmo_create_contiguous(f.t, f.bti(), PS, 0),
      want: ZX_OK,
      check: (f, r) => {
        const h = (r as [Status, number])[1];
        assert.equal(f.rights(h), ZX_DEFAULT_VMO_RIGHTS);
        const [, info] = runSync(f.k.zx_object_get_info(f.t, h, ZX_INFO_VMO));
        assert.equal(info?.committedBytes, PS);
        assert.ok((info?.flags ?? 0) & ZX_INFO_VMO_CONTIGUOUS);
      },
    },
    {
      name: "size rounds up to whole pages",
      call: (f) => f.k.zx_vmo_create_contiguous(f.t, f.bti(), PS + 1, 0),
      want: ZX_OK,
      check: (f, r) =>
        assert.equal(runSync(f.k.zx_vmo_get_size(f.t, (r as [Status, number])[1]))[1], 2 * PS),
    },
    {
      name: "alignment_log2 of the page size and of 63",
      call: (f) => {
        f.ok(f.k.zx_vmo_create_contiguous(f.t, f.bti(), PS, Math.log2(PS)));
        return f.k.zx_vmo_create_contiguous(f.t, f.bti(), PS, 63);
      },
      want: ZX_OK,
    },
    {
      name: "size 0",
      call: (f) => f.k.zx_vmo_create_contiguous(f.t, f.bti(), 0, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "alignment_log2 below the page size",
      call: (f) => f.k.zx_vmo_create_contiguous(f.t, f.bti(), PS, Math.log2(PS) - 1),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "alignment_log2 64",
      call: (f) => f.k.zx_vmo_create_contiguous(f.t, f.bti(), PS, 64),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "order: size 0 before the BTI handle",
      call: (f) => f.k.zx_vmo_create_contiguous(f.t, BAD, 0, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "bti: invalid handle",
      call: (f) => f.k.zx_vmo_create_contiguous(f.t, BAD, PS, 0),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "bti: wrong type (vmo)",
      call: (f) => f.k.zx_vmo_create_contiguous(f.t, f.aux, PS, 0),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "bti: without MAP",
      call: (f) => f.k.zx_vmo_create_contiguous(f.t, f.without(f.bti(), ZX_RIGHT_MAP), PS, 0),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "size: above the model's maximum VMO size",
      call: (f) => f.k.zx_vmo_create_contiguous(f.t, f.bti(), LIMITS.maxVmoBytes + PS, 0),
      want: ZX_ERR_OUT_OF_RANGE,
    },
    {
      name: "size: more pages than the model allocates",
      call: (f) => f.k.zx_vmo_create_contiguous(f.t, f.bti(), 2 ** 32 + PS, 0),
      want: ZX_ERR_NO_MEMORY,
    },
    {
      name: "not resizable; children NOT_SUPPORTED (anonymous)",
      call: (f) => {
        const h = f.ok(f.k.zx_vmo_create_contiguous(f.t, f.bti(), PS, 0));
        assert.equal(runSync(f.k.zx_vmo_set_size(f.t, h, 2 * PS)), ZX_ERR_UNAVAILABLE);
        return f.k.zx_vmo_create_child(f.t, h, ZX_VMO_CHILD_SLICE, 0, PS);
      },
      want: ZX_ERR_NOT_SUPPORTED,
    },
    ...garbageRows(
      "size",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_vmo_create_contiguous(f.t, f.bti(), x, 0),
    ),
    ...garbageRows(
      "alignment_log2",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_vmo_create_contiguous(f.t, f.bti(), PS, x),
    ),
  ],

  zx_vmo_get_size: [
    {
      name: "valid VMO",
      call: (f) => f.k.zx_vmo_get_size(f.t, f.vmo),
      want: ZX_OK,
      check: (_f, r) => assert.equal((r as [Status, number])[1], PAGES * PS),
    },
    {
      name: "VMO handle with no rights at all (none needed)",
      call: (f) => f.k.zx_vmo_get_size(f.t, f.without(f.aux, ~0 >>> 0)),
      want: ZX_OK,
    },
    { name: "invalid handle", call: (f) => f.k.zx_vmo_get_size(f.t, BAD), want: ZX_ERR_BAD_HANDLE },
    {
      name: "wrong type (pager)",
      call: (f) => f.k.zx_vmo_get_size(f.t, f.pager),
      want: ZX_ERR_WRONG_TYPE,
    },
    ...garbageRows("handle", ZX_ERR_BAD_HANDLE, (f, x) => f.k.zx_vmo_get_size(f.t, x)),
  ],

  zx_vmo_read: [
    {
      name: "user buffer: copied out to a mapped anonymous page",
      call: (f) => {
        f.supply(0);
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, RW, 0, f.aux, 0, PS));
        return f.k.zx_vmo_read(f.t, f.vmo, 0, PS, addr);
      },
      want: ZX_OK,
    },
    {
      name: "user buffer: unmapped",
      call: (f) => {
        f.supply(0);
        return f.k.zx_vmo_read(f.t, f.vmo, 0, PS, 0x1000_0000);
      },
      want: ZX_ERR_INVALID_ARGS,
    },
    ...garbageRows(
      "user buffer",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_vmo_read(f.t, f.vmo, 0, PS, x),
      GIVEN,
    ),
    {
      name: "anonymous VMO reads zeros",
      call: (f) => f.k.zx_vmo_read(f.t, f.aux, 0, 2 * PS),
      want: ZX_OK,
    },
    {
      name: "present page of a pager-backed VMO",
      call: (f) => {
        f.supply(1);
        return f.k.zx_vmo_read(f.t, f.vmo, PS, PS);
      },
      want: ZX_OK,
    },
    {
      name: "zero length on an absent page does not block",
      call: (f) => f.k.zx_vmo_read(f.t, f.vmo, 0, 0),
      want: ZX_OK,
    },
    {
      name: "invalid handle",
      call: (f) => f.k.zx_vmo_read(f.t, BAD, 0, 1),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "wrong type (port)",
      call: (f) => f.k.zx_vmo_read(f.t, f.port, 0, 1),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "without READ",
      call: (f) => f.k.zx_vmo_read(f.t, f.without(f.aux, ZX_RIGHT_READ), 0, 1),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "range past the end",
      call: (f) => f.k.zx_vmo_read(f.t, f.aux, PAGES * PS - 1, 2),
      want: ZX_ERR_OUT_OF_RANGE,
    },
    // VmObjectPaged::ReadWriteInternalLocked checks offset + len against the size before it
    // looks at len: a zero-length read past the end is OUT_OF_RANGE too.
    {
      name: "zero length past the end",
      call: (f) => f.k.zx_vmo_read(f.t, f.aux, PAGES * PS + PS, 0),
      want: ZX_ERR_OUT_OF_RANGE,
    },
    {
      name: "order: missing READ before range past the end",
      call: (f) => f.k.zx_vmo_read(f.t, f.without(f.aux, ZX_RIGHT_READ), PAGES * PS, 1),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "order: range past the end before the pager is asked",
      call: (f) => f.k.zx_vmo_read(f.t, f.vmo, 0, PAGES * PS + 1),
      want: ZX_ERR_OUT_OF_RANGE,
      check: (f) => assert.equal(f.k.ports[0].depth, 0),
    },
    {
      name: "absent page of a detached VMO",
      call: (f) => {
        f.detach();
        return f.k.zx_vmo_read(f.t, f.vmo, 0, 1);
      },
      want: ZX_ERR_BAD_STATE,
    },
    {
      name: "absent page with the fail-instead-of-block mode",
      call: (f) => {
        const [t] = f.k.createThread("noblock", 3, true);
        return f.k.zx_vmo_read(t, f.vmo, 0, 1);
      },
      want: ZX_ERR_SHOULD_WAIT,
    },
    ...garbageRows("handle", ZX_ERR_BAD_HANDLE, (f, x) => f.k.zx_vmo_read(f.t, x, 0, 1)),
    ...garbageRows("offset", ZX_ERR_INVALID_ARGS, (f, x) => f.k.zx_vmo_read(f.t, f.aux, x, 1)),
    ...garbageRows("length", ZX_ERR_INVALID_ARGS, (f, x) => f.k.zx_vmo_read(f.t, f.aux, 0, x)),
  ],

  zx_vmo_write: [
    {
      name: "user buffer: copied in from a mapped anonymous page",
      call: (f) => {
        f.okStatus(f.k.zx_vmo_write(f.t, f.aux, new Uint8Array([42]), 0));
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, f.aux, 0, PS));
        const anon = f.ok(f.k.zx_vmo_create(f.t, PS, 0));
        const written = f.k.zx_vmo_write(f.t, anon, new Uint8Array(1), 0, addr);
        f.okStatus(written);
        return f.k.zx_vmo_read(f.t, anon, 0, 1);
      },
      want: ZX_OK,
      check: (_f, r) => assert.equal((r as [Status, Uint8Array])[1][0], 42),
    },
    {
      name: "user buffer: unmapped",
      call: (f) => f.k.zx_vmo_write(f.t, f.aux, new Uint8Array(1), 0, 0x1000_0000),
      want: ZX_ERR_INVALID_ARGS,
    },
    ...garbageRows(
      "user buffer",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_vmo_write(f.t, f.aux, new Uint8Array(1), 0, x),
      GIVEN,
    ),
    {
      name: "anonymous VMO",
      call: (f) => f.k.zx_vmo_write(f.t, f.aux, new Uint8Array(3), 5),
      want: ZX_OK,
    },
    {
      name: "present page of a pager-backed VMO becomes dirty",
      call: (f) => {
        f.supply(0);
        return f.k.zx_vmo_write(f.t, f.vmo, new Uint8Array([9]), 0);
      },
      want: ZX_OK,
      check: (f) => assert.equal(runSync(f.k.zx_vmo_read(f.t, f.vmo, 0, 1))[1][0], 9),
    },
    {
      name: "invalid handle",
      call: (f) => f.k.zx_vmo_write(f.t, BAD, new Uint8Array(1), 0),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "wrong type (pager)",
      call: (f) => f.k.zx_vmo_write(f.t, f.pager, new Uint8Array(1), 0),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "without WRITE",
      call: (f) => f.k.zx_vmo_write(f.t, f.without(f.aux, ZX_RIGHT_WRITE), new Uint8Array(1), 0),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "range past the end",
      call: (f) => f.k.zx_vmo_write(f.t, f.aux, new Uint8Array(2), PAGES * PS - 1),
      want: ZX_ERR_OUT_OF_RANGE,
    },
    {
      name: "order: missing WRITE before range past the end",
      call: (f) =>
        f.k.zx_vmo_write(f.t, f.without(f.aux, ZX_RIGHT_WRITE), new Uint8Array(2), PAGES * PS),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "absent page of a detached VMO",
      call: (f) => {
        f.detach();
        return f.k.zx_vmo_write(f.t, f.vmo, new Uint8Array(1), 0);
      },
      want: ZX_ERR_BAD_STATE,
    },
    ...([["undefined", undefined], ["string", "abc"], ["array", [1, 2]], ["null", null]] as [
      string,
      unknown,
    ][]).map(([label, data]): Row => ({
      name: `garbage data (${label})`,
      call: (f) => f.k.zx_vmo_write(f.t, f.aux, data as Uint8Array, 0),
      want: ZX_ERR_INVALID_ARGS,
    })),
    ...garbageRows(
      "offset",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_vmo_write(f.t, f.aux, new Uint8Array(1), x),
    ),
    ...garbageRows(
      "handle",
      ZX_ERR_BAD_HANDLE,
      (f, x) => f.k.zx_vmo_write(f.t, x, new Uint8Array(1), 0),
    ),
  ],

  zx_vmo_op_range: [
    {
      // vmo_unittest.cc `vmo_pin_test` (misttech/fuchsia): "decommitting pinned range".
      name: "DECOMMIT over a pinned page of an anonymous VMO",
      call: (f) => {
        f.ok(f.k.zx_bti_pin(f.t, f.bti(), ZX_BTI_PERM_READ, f.aux, PS, PS));
        return f.k.zx_vmo_op_range(f.t, f.aux, ZX_VMO_OP_DECOMMIT, 0, 2 * PS);
      },
      want: ZX_ERR_BAD_STATE,
      check: (f) => f.k.pages.checkPins(f.k.handles.entry(f.aux)?.object as Vmo),
    },
    {
      name: "COMMIT of an anonymous VMO",
      call: (f) => f.k.zx_vmo_op_range(f.t, f.aux, ZX_VMO_OP_COMMIT, 0, PAGES * PS),
      want: ZX_OK,
    },
    {
      name: "COMMIT of present pages does not block",
      call: (f) => {
        f.supply(2);
        return f.k.zx_vmo_op_range(f.t, f.vmo, ZX_VMO_OP_COMMIT, 2 * PS, PS);
      },
      want: ZX_OK,
    },
    {
      name: "DECOMMIT of an anonymous VMO",
      call: (f) => f.k.zx_vmo_op_range(f.t, f.aux, ZX_VMO_OP_DECOMMIT, 0, PS),
      want: ZX_OK,
    },
    {
      name: "invalid handle",
      call: (f) => f.k.zx_vmo_op_range(f.t, BAD, ZX_VMO_OP_COMMIT, 0, PS),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "wrong type (port)",
      call: (f) => f.k.zx_vmo_op_range(f.t, f.port, ZX_VMO_OP_COMMIT, 0, PS),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "COMMIT without WRITE",
      call: (f) =>
        f.k.zx_vmo_op_range(f.t, f.without(f.aux, ZX_RIGHT_WRITE), ZX_VMO_OP_COMMIT, 0, PS),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "DECOMMIT without WRITE",
      call: (f) =>
        f.k.zx_vmo_op_range(f.t, f.without(f.vmo, ZX_RIGHT_WRITE), ZX_VMO_OP_DECOMMIT, 0, PS),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "unknown op",
      call: (f) => f.k.zx_vmo_op_range(f.t, f.aux, 99, 0, PS),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "order: unknown op before missing WRITE",
      call: (f) => f.k.zx_vmo_op_range(f.t, f.without(f.aux, ZX_RIGHT_WRITE), 99, 0, PS),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "order: invalid handle before unknown op",
      call: (f) => f.k.zx_vmo_op_range(f.t, BAD, 99, 0, PS),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "ZERO without WRITE",
      call: (f) =>
        f.k.zx_vmo_op_range(f.t, f.without(f.vmo, ZX_RIGHT_WRITE), ZX_VMO_OP_ZERO, 0, PS),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "ALWAYS_NEED range past the end",
      call: (f) => f.k.zx_vmo_op_range(f.t, f.vmo, ZX_VMO_OP_ALWAYS_NEED, PS, PAGES * PS),
      want: ZX_ERR_OUT_OF_RANGE,
    },
    {
      name: "COMMIT range past the end",
      call: (f) => f.k.zx_vmo_op_range(f.t, f.vmo, ZX_VMO_OP_COMMIT, PS, PAGES * PS),
      want: ZX_ERR_OUT_OF_RANGE,
      check: (f) => assert.equal(f.k.ports[0].depth, 0),
    },
    {
      name: "order: missing WRITE before range past the end",
      call: (f) =>
        f.k.zx_vmo_op_range(f.t, f.without(f.vmo, ZX_RIGHT_WRITE), ZX_VMO_OP_COMMIT, 0, 2 ** 50),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "DECOMMIT of a pager-backed VMO (DecommitTest)",
      call: (f) => {
        f.supply(0);
        return f.k.zx_vmo_op_range(f.t, f.vmo, ZX_VMO_OP_DECOMMIT, 0, PS);
      },
      want: ZX_ERR_NOT_SUPPORTED,
      check: (f) => assert.notEqual(f.k.pagerVmos[0].slots[0], undefined),
    },
    {
      name: "COMMIT of a detached VMO",
      call: (f) => {
        f.detach();
        return f.k.zx_vmo_op_range(f.t, f.vmo, ZX_VMO_OP_COMMIT, 0, PS);
      },
      want: ZX_ERR_BAD_STATE,
    },
    {
      name: "COMMIT with the fail-instead-of-block mode",
      call: (f) => {
        const [t] = f.k.createThread("noblock", 3, true);
        return f.k.zx_vmo_op_range(t, f.vmo, ZX_VMO_OP_COMMIT, 0, PS);
      },
      want: ZX_ERR_SHOULD_WAIT,
    },
    ...garbageRows(
      "offset",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_vmo_op_range(f.t, f.aux, ZX_VMO_OP_COMMIT, x, PS),
    ),
    ...garbageRows(
      "size",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_vmo_op_range(f.t, f.aux, ZX_VMO_OP_COMMIT, 0, x),
    ),
    ...garbageRows("op", ZX_ERR_INVALID_ARGS, (f, x) => f.k.zx_vmo_op_range(f.t, f.aux, x, 0, PS)),
    ...garbageRows(
      "handle",
      ZX_ERR_BAD_HANDLE,
      (f, x) => f.k.zx_vmo_op_range(f.t, x, ZX_VMO_OP_COMMIT, 0, PS),
    ),
  ],

  zx_vmar_map: [
    // zx_vmar_map.md: "ZX_ERR_BAD_STATE handle refers to a destroyed VMAR"
    // (`VmAddressRegion::CreateSubVmarInner` checks ALIVE first); program fuzzing met it
    // (corpus/programs/regress-vmar-map-destroyed-bad-state.json).
    {
      name: "a destroyed region",
      call: (f) => {
        const [sub] = f.region(0, 0, 1);
        f.okStatus(f.k.zx_vmar_destroy(f.t, sub));
        return f.k.zx_vmar_map(f.t, sub, ZX_VM_PERM_READ, 0, f.vmo, 0, PS);
      },
      want: ZX_ERR_BAD_STATE,
    },
    {
      name: "read-only mapping",
      call: (f) => f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, f.vmo, 0, PS),
      want: ZX_OK,
      check: (f) => assert.equal(f.k.pagerVmos[0].mappings, 1),
    },
    {
      name: "read-write mapping",
      call: (f) =>
        f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, f.vmo, PS, 2 * PS),
      want: ZX_OK,
    },
    // sys_vmar_map (vsrinivas/fuchsia 2cf39818 zircon/kernel/lib/syscalls/vmar.cc): PERM_WRITE needs
    // WRITE on both handles; VmAddressRegion::CreateSubVmarInternal: the region's CAN_MAP flags
    // bound the mapping, and SPECIFIC needs CAN_MAP_SPECIFIC (ACCESS_DENIED).
    {
      name: "vmar: WRITE mapping through a VMAR handle without WRITE",
      call: (f) => f.k.zx_vmar_map(f.t, f.without(f.vmar, ZX_RIGHT_WRITE), RW, 0, f.vmo, 0, PS),
      want: ZX_ERR_ACCESS_DENIED,
      check: (f) => assert.equal(f.k.pagerVmos[0].mappings, 0),
    },
    {
      name: "a WRITE mapping in a region without CAN_MAP_WRITE",
      call: (f) => {
        const [sub] = f.region(0, 0, 2, ZX_VM_CAN_MAP_READ);
        return f.k.zx_vmar_map(f.t, sub, RW, 0, f.vmo, 0, PS);
      },
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "SPECIFIC in a region without CAN_MAP_SPECIFIC",
      call: (f) => {
        const [sub] = f.region(0, 0, 2, RW_REGION & ~ZX_VM_CAN_MAP_SPECIFIC);
        return f.k.zx_vmar_map(f.t, sub, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 0, f.vmo, 0, PS);
      },
      want: ZX_ERR_ACCESS_DENIED,
      check: (f) => assert.equal(f.k.pagerVmos[0].mappings, 0),
    },
    {
      name: "vmar: invalid handle",
      call: (f) => f.k.zx_vmar_map(f.t, BAD, ZX_VM_PERM_READ, 0, f.vmo, 0, PS),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "vmar: wrong type (vmo)",
      call: (f) => f.k.zx_vmar_map(f.t, f.vmo, ZX_VM_PERM_READ, 0, f.vmo, 0, PS),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "vmo: invalid handle",
      call: (f) => f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, BAD, 0, PS),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "vmo: wrong type (pager)",
      call: (f) => f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, f.pager, 0, PS),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "vmo: without MAP",
      call: (f) =>
        f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, f.without(f.vmo, ZX_RIGHT_MAP), 0, PS),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "vmo: READ mapping without READ",
      call: (f) =>
        f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, f.without(f.vmo, ZX_RIGHT_READ), 0, PS),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "vmo: WRITE mapping without WRITE",
      call: (f) =>
        f.k.zx_vmar_map(
          f.t,
          f.vmar,
          ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
          0,
          f.without(f.vmo, ZX_RIGHT_WRITE),
          0,
          PS,
        ),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "options: WRITE without READ",
      call: (f) => f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_WRITE, 0, f.vmo, 0, PS),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "order: WRITE without READ before the VMO's missing READ",
      call: (f) =>
        f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_WRITE, 0, f.without(f.vmo, ZX_RIGHT_READ), 0, PS),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "order: missing MAP before WRITE without READ",
      call: (f) =>
        f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_WRITE, 0, f.without(f.vmo, ZX_RIGHT_MAP), 0, PS),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "order: vmar invalid before vmo invalid",
      call: (f) => f.k.zx_vmar_map(f.t, f.port, ZX_VM_PERM_READ, 0, BAD, 0, PS),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "options: unknown bits",
      call: (f) => f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ | (1 << 20), 0, f.vmo, 0, PS),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "vmar_offset nonzero (the model places mappings itself)",
      call: (f) => f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, PS, f.vmo, 0, PS),
      want: ZX_ERR_NOT_SUPPORTED,
    },
    {
      name: "vmo_offset not page aligned",
      call: (f) => f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, f.vmo, 1, PS),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "len 0",
      call: (f) => f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, f.vmo, 0, 0),
      want: ZX_ERR_INVALID_ARGS,
      check: (f) => assert.equal(f.k.pagerVmos[0].mappings, 0),
    },
    ...garbageRows(
      "len",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, f.vmo, 0, x),
    ),
    ...garbageRows(
      "vmo_offset",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, f.vmo, x, PS),
    ),
    ...garbageRows(
      "options",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_vmar_map(f.t, f.vmar, x, 0, f.vmo, 0, PS),
    ),
    ...garbageRows(
      "vmo",
      ZX_ERR_BAD_HANDLE,
      (f, x) => f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, x, 0, PS),
    ),
  ],

  // zx_vmar_allocate: sys_vmar_allocate's rights from the CAN_MAP flags first, then
  // VmAddressRegionDispatcher::Allocate and VmAddressRegion::CreateSubVmarInternal
  // (vsrinivas/fuchsia 2cf39818 zircon/kernel/lib/syscalls/vmar.cc).
  zx_vmar_allocate: [
    {
      name: "a region",
      call: (f) => f.k.zx_vmar_allocate(f.t, f.vmar, RW_REGION, 0, 4 * PS),
      want: ZX_OK,
      check: (f, r) => {
        const [, h, addr] = r as [Status, number, number];
        assert.equal(
          f.rights(h) & (ZX_RIGHT_READ | ZX_RIGHT_WRITE),
          ZX_RIGHT_READ | ZX_RIGHT_WRITE,
        );
        assert.ok(addr >= f.k.rootVmar.base && addr % PS === 0);
      },
    },
    // sys_vmar_allocate: the child handle loses READ, WRITE and EXECUTE its CAN_MAP flags do not
    // allow, and VmAddressRegion::CreateVmMapping refuses permissions the region cannot map.
    {
      name: "a region without CAN_MAP_READ: its handle has no READ, nothing can be mapped in it",
      call: (f) => f.k.zx_vmar_allocate(f.t, f.vmar, ZX_VM_CAN_MAP_SPECIFIC, 0, PS),
      want: ZX_OK,
      check: (f, r) => {
        const sub = (r as number[])[1];
        assert.equal(f.rights(sub) & ZX_RIGHT_READ, 0);
        const [st] = runSync(f.k.zx_vmar_map(f.t, sub, ZX_VM_PERM_READ, 0, f.aux, 0, PS));
        assert.equal(statusName(st), "ZX_ERR_ACCESS_DENIED");
      },
    },
    {
      name: "a region with CAN_MAP_EXECUTE: its handle keeps EXECUTE",
      call: (f) => f.k.zx_vmar_allocate(f.t, f.vmar, RW_REGION | ZX_VM_CAN_MAP_EXECUTE, 0, PS),
      want: ZX_OK,
      check: (f, r) =>
        assert.equal(f.rights((r as number[])[1]) & ZX_RIGHT_EXECUTE, ZX_RIGHT_EXECUTE),
    },
    {
      name: "a region without CAN_MAP_EXECUTE: its handle has no EXECUTE",
      call: (f) => f.k.zx_vmar_allocate(f.t, f.vmar, RW_REGION, 0, PS),
      want: ZX_OK,
      check: (f, r) => {
        const sub = (r as number[])[1];
        assert.equal(f.rights(sub) & ZX_RIGHT_EXECUTE, 0);
        const [st] = runSync(
          f.k.zx_vmar_allocate(f.t, sub, RW_REGION | ZX_VM_CAN_MAP_EXECUTE, 0, PS),
        );
        assert.equal(statusName(st), "ZX_ERR_ACCESS_DENIED");
      },
    },
    {
      name: "a read-only region's handle has no WRITE",
      call: (f) => f.k.zx_vmar_allocate(f.t, f.vmar, ZX_VM_CAN_MAP_READ, 0, PS),
      want: ZX_OK,
      check: (f, r) => assert.equal(f.rights((r as number[])[1]) & ZX_RIGHT_WRITE, 0),
    },
    {
      name: "parent: invalid handle",
      call: (f) => f.k.zx_vmar_allocate(f.t, BAD, RW_REGION, 0, PS),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "parent: wrong type (vmo)",
      call: (f) => f.k.zx_vmar_allocate(f.t, f.vmo, RW_REGION, 0, PS),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "parent: CAN_MAP_WRITE without WRITE",
      call: (f) => f.k.zx_vmar_allocate(f.t, f.without(f.vmar, ZX_RIGHT_WRITE), RW_REGION, 0, PS),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "order: the parent's rights before unknown options",
      call: (f) =>
        f.k.zx_vmar_allocate(
          f.t,
          f.without(f.vmar, ZX_RIGHT_WRITE),
          RW_REGION | ZX_VM_PERM_READ,
          0,
          PS,
        ),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "options: a PERM flag (regions carry no MMU flags)",
      call: (f) => f.k.zx_vmar_allocate(f.t, f.vmar, RW_REGION | ZX_VM_PERM_READ, 0, PS),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "size 0",
      call: (f) => f.k.zx_vmar_allocate(f.t, f.vmar, RW_REGION, 0, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "offset without SPECIFIC",
      call: (f) => f.k.zx_vmar_allocate(f.t, f.vmar, RW_REGION, PS, PS),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "offset not page aligned",
      call: (f) => f.k.zx_vmar_allocate(f.t, f.vmar, RW_REGION | ZX_VM_SPECIFIC, 1, PS),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "SPECIFIC over an existing region",
      call: (f) => {
        f.region(ZX_VM_SPECIFIC, 0, 2);
        return f.k.zx_vmar_allocate(f.t, f.vmar, RW_REGION | ZX_VM_SPECIFIC, PS, PS);
      },
      want: ZX_ERR_ALREADY_EXISTS,
    },
    {
      name: "SPECIFIC past the parent's end",
      call: (f) => {
        const [sub] = f.region(0, 0, 2);
        return f.k.zx_vmar_allocate(f.t, sub, RW_REGION | ZX_VM_SPECIFIC, PS, 2 * PS);
      },
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "larger than the parent",
      call: (f) => {
        const [sub] = f.region(0, 0, 2);
        return f.k.zx_vmar_allocate(f.t, sub, RW_REGION, 0, 3 * PS);
      },
      want: ZX_ERR_NO_RESOURCES,
    },
    {
      name: "SPECIFIC in a parent without CAN_MAP_SPECIFIC",
      call: (f) => {
        const [sub] = f.region(0, 0, 2, RW_REGION & ~ZX_VM_CAN_MAP_SPECIFIC);
        return f.k.zx_vmar_allocate(
          f.t,
          sub,
          RW_REGION & ~ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_SPECIFIC,
          0,
          PS,
        );
      },
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "CAN_MAP_WRITE in a parent without it",
      call: (f) => {
        const [sub] = f.region(0, 0, 2, ZX_VM_CAN_MAP_READ);
        return f.k.zx_vmar_allocate(f.t, sub, ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE, 0, PS);
      },
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "a destroyed parent",
      call: (f) => {
        const [sub] = f.region(0, 0, 2);
        f.okStatus(f.k.zx_vmar_destroy(f.t, sub));
        return f.k.zx_vmar_allocate(f.t, sub, RW_REGION, 0, PS);
      },
      want: ZX_ERR_BAD_STATE,
    },
    ...garbageRows(
      "size",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_vmar_allocate(f.t, f.vmar, RW_REGION, 0, x),
    ),
    ...garbageRows(
      "options",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_vmar_allocate(f.t, f.vmar, x, 0, PS),
    ),
  ],

  zx_vmar_destroy: [
    {
      name: "a region with a mapping",
      call: (f) => {
        const [sub] = f.region(0, 0, 4);
        f.ok(f.k.zx_vmar_map(f.t, sub, ZX_VM_PERM_READ, 0, f.vmo, 0, PS));
        assert.equal(f.k.pagerVmos[0].mappings, 1);
        return f.k.zx_vmar_destroy(f.t, sub);
      },
      want: ZX_OK,
      check: (f) => assert.equal(f.k.pagerVmos[0].mappings, 0),
    },
    {
      name: "invalid handle",
      call: (f) => f.k.zx_vmar_destroy(f.t, BAD),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "wrong type (vmo)",
      call: (f) => f.k.zx_vmar_destroy(f.t, f.vmo),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "the root VMAR",
      call: (f) => f.k.zx_vmar_destroy(f.t, f.vmar),
      want: ZX_ERR_NOT_SUPPORTED,
    },
    {
      name: "twice",
      call: (f) => {
        const [sub] = f.region(0, 0, 1);
        f.okStatus(f.k.zx_vmar_destroy(f.t, sub));
        return f.k.zx_vmar_destroy(f.t, sub);
      },
      want: ZX_ERR_BAD_STATE,
    },
    {
      name: "a sub-region of a destroyed region",
      call: (f) => {
        const [sub] = f.region(0, 0, 4);
        const inner = f.ok(f.k.zx_vmar_allocate(f.t, sub, RW_REGION, 0, PS));
        f.okStatus(f.k.zx_vmar_destroy(f.t, sub));
        return f.k.zx_vmar_destroy(f.t, inner);
      },
      want: ZX_ERR_BAD_STATE,
    },
  ],

  // zx_vmar_protect: rights from the new permissions first (sys_vmar_protect), then
  // VmAddressRegionDispatcher::Protect and VmAddressRegion::Protect.
  zx_vmar_protect: [
    {
      name: "read-only to read-write",
      call: (f) => {
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, f.aux, 0, PS));
        return f.k.zx_vmar_protect(f.t, f.vmar, RW, addr, PS);
      },
      want: ZX_OK,
      check: (f) => assert.equal(f.k.rootVmar.mappings[0].writable, true),
    },
    {
      // Protect to READ: the mapping stays readable and stops being writable (zx_vmar_protect.md;
      // zx_vmo_read.md: an output buffer the process cannot write is INVALID_ARGS).
      name: "read-write to read-only: copied in from, never copied out to",
      call: (f) => {
        f.okStatus(f.k.zx_vmo_write(f.t, f.aux, new Uint8Array([42]), 0));
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, RW, 0, f.aux, 0, PS));
        f.okStatus(f.k.zx_vmar_protect(f.t, f.vmar, ZX_VM_PERM_READ, addr, PS));
        const anon = f.ok(f.k.zx_vmo_create(f.t, PS, 0));
        f.okStatus(f.k.zx_vmo_write(f.t, anon, new Uint8Array(1), 0, addr));
        assert.deepEqual(runSync(f.k.zx_vmo_read(f.t, anon, 0, 1))[1], new Uint8Array([42]));
        return f.k.zx_vmo_read(f.t, anon, 0, 1, addr);
      },
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      // VmAddressRegionDispatcher::is_valid_mapping_protection: only PERM_* bits.
      name: "options: unknown bits",
      call: (f) => {
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, RW, 0, f.aux, 0, PS));
        return f.k.zx_vmar_protect(f.t, f.vmar, ZX_VM_PERM_READ | (1 << 20), addr, PS);
      },
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      // VmAddressRegion::Protect: a range not within the region is INVALID_ARGS.
      name: "a range past the region's end",
      call: (f) => {
        const [sub, base] = f.region(0, 0, 1);
        f.ok(f.k.zx_vmar_map(f.t, sub, RW | ZX_VM_SPECIFIC, 0, f.aux, 0, PS));
        return f.k.zx_vmar_protect(f.t, sub, ZX_VM_PERM_READ, base, 2 * PS);
      },
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      // VmAddressRegion::Protect: nothing at the range's first byte is NOT_FOUND; a sub-region
      // that ends where the range starts is not in it.
      name: "unmapped space right after a sub-region",
      call: (f) => {
        const [sub, base] = f.region(0, 0, 2);
        f.ok(f.k.zx_vmar_allocate(f.t, sub, RW_REGION | ZX_VM_SPECIFIC, 0, PS));
        return f.k.zx_vmar_protect(f.t, sub, ZX_VM_PERM_READ, base + PS, PS);
      },
      want: ZX_ERR_NOT_FOUND,
    },
    // zx_vmar_protect.md allows no permissions at all (only WRITE or EXECUTE without READ is
    // INVALID_ARGS): the mapping is then unreadable, and a usercopy out of it fails as one out
    // of an invalid buffer (zx_vmo_write.md: INVALID_ARGS "buffer is an invalid pointer").
    {
      name: "to no permissions: a usercopy out of the mapping is refused",
      call: (f) => {
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, RW, 0, f.aux, 0, PS));
        f.okStatus(f.k.zx_vmar_protect(f.t, f.vmar, 0, addr, PS));
        const anon = f.ok(f.k.zx_vmo_create(f.t, PS, 0));
        return f.k.zx_vmo_write(f.t, anon, new Uint8Array(1), 0, addr);
      },
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "two adjacent mappings at once",
      call: (f) => {
        const [sub, base] = f.region(0, 0, 2);
        f.ok(f.k.zx_vmar_map(f.t, sub, RW | ZX_VM_SPECIFIC, 0, f.aux, 0, PS));
        f.ok(f.k.zx_vmar_map(f.t, sub, RW | ZX_VM_SPECIFIC, PS, f.aux, 0, PS));
        return f.k.zx_vmar_protect(f.t, sub, ZX_VM_PERM_READ, base, 2 * PS);
      },
      want: ZX_OK,
    },
    {
      name: "invalid handle",
      call: (f) => f.k.zx_vmar_protect(f.t, BAD, ZX_VM_PERM_READ, 0x1000_0000, PS),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "wrong type (vmo)",
      call: (f) => f.k.zx_vmar_protect(f.t, f.vmo, ZX_VM_PERM_READ, 0x1000_0000, PS),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "PERM_WRITE through a handle without WRITE",
      call: (f) => {
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, f.aux, 0, PS));
        return f.k.zx_vmar_protect(f.t, f.without(f.vmar, ZX_RIGHT_WRITE), RW, addr, PS);
      },
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "PERM_WRITE on a mapping of a VMO handle without WRITE",
      call: (f) => {
        const ro = f.without(f.aux, ZX_RIGHT_WRITE);
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, ro, 0, PS));
        return f.k.zx_vmar_protect(f.t, f.vmar, RW, addr, PS);
      },
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "WRITE without READ",
      call: (f) => {
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, RW, 0, f.aux, 0, PS));
        return f.k.zx_vmar_protect(f.t, f.vmar, ZX_VM_PERM_WRITE, addr, PS);
      },
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "addr not page aligned",
      call: (f) => {
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, RW, 0, f.aux, 0, PS));
        return f.k.zx_vmar_protect(f.t, f.vmar, ZX_VM_PERM_READ, addr + 1, PS);
      },
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "len 0",
      call: (f) => {
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, RW, 0, f.aux, 0, PS));
        return f.k.zx_vmar_protect(f.t, f.vmar, ZX_VM_PERM_READ, addr, 0);
      },
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "nothing mapped there",
      call: (f) => f.k.zx_vmar_protect(f.t, f.vmar, ZX_VM_PERM_READ, 0x1000_0000, PS),
      want: ZX_ERR_NOT_FOUND,
    },
    {
      name: "a gap after the mapping",
      call: (f) => {
        const [sub, base] = f.region(0, 0, 3);
        f.ok(f.k.zx_vmar_map(f.t, sub, RW | ZX_VM_SPECIFIC, 0, f.aux, 0, PS));
        return f.k.zx_vmar_protect(f.t, sub, ZX_VM_PERM_READ, base, 2 * PS);
      },
      want: ZX_ERR_NOT_FOUND,
    },
    {
      name: "a sub-region in the range",
      call: (f) => {
        const [, base] = f.region(0, 0, 2);
        return f.k.zx_vmar_protect(f.t, f.vmar, ZX_VM_PERM_READ, base, PS);
      },
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "part of a mapping (the model protects whole mappings)",
      call: (f) => {
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, RW, 0, f.aux, 0, 2 * PS));
        return f.k.zx_vmar_protect(f.t, f.vmar, ZX_VM_PERM_READ, addr, PS);
      },
      want: ZX_ERR_NOT_SUPPORTED,
    },
    {
      name: "a destroyed region",
      call: (f) => {
        const [sub, base] = f.region(0, 0, 1);
        f.okStatus(f.k.zx_vmar_destroy(f.t, sub));
        return f.k.zx_vmar_protect(f.t, sub, ZX_VM_PERM_READ, base, PS);
      },
      want: ZX_ERR_BAD_STATE,
    },
    ...garbageRows(
      "addr",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_vmar_protect(f.t, f.vmar, ZX_VM_PERM_READ, x, PS),
    ),
    ...garbageRows(
      "len",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_vmar_protect(f.t, f.vmar, ZX_VM_PERM_READ, 0x1000_0000, x),
    ),
  ],

  // zx_vmar_op_range: VmAddressRegionDispatcher::RangeOp (op, then rights), then
  // VmAddressRegion::RangeOp (alignment, range, state, the walk).
  zx_vmar_op_range: [
    {
      name: "COMMIT over an anonymous mapping",
      call: (f) => {
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, RW, 0, f.aux, 0, PAGES * PS));
        return f.k.zx_vmar_op_range(f.t, f.vmar, ZX_VMAR_OP_COMMIT, addr, PAGES * PS);
      },
      want: ZX_OK,
      check: (f) => {
        const [st, info] = runSync(f.k.zx_object_get_info(f.t, f.aux, ZX_INFO_VMO));
        assert.equal(st, ZX_OK);
        assert.equal(info?.committedBytes, PAGES * PS);
      },
    },
    {
      name: "DONT_NEED over a pager mapping",
      call: (f) => {
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, f.vmo, 0, PS));
        return f.k.zx_vmar_op_range(f.t, f.vmar, ZX_VMAR_OP_DONT_NEED, addr, PS);
      },
      want: ZX_OK,
    },
    {
      // MAP_RANGE maps only present pages and never generates requests (spec 2.8.5,
      // Pager.VmarMapRangeTest): over absent pager pages it returns at once, with no packet.
      name: "MAP_RANGE over absent pages of a pager mapping: no request",
      call: (f) => {
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, f.vmo, 0, 2 * PS));
        return f.k.zx_vmar_op_range(f.t, f.vmar, ZX_VMAR_OP_MAP_RANGE, addr, 2 * PS);
      },
      want: ZX_OK,
      check: (f) => assert.equal(f.k.ports[0].depth, 0),
    },
    {
      // The op covers each mapping's own part of the range (VmAddressRegion::RangeOp: op_size
      // ends at the mapping's last byte): from the middle of one mapping into the next, one page
      // of each VMO is committed.
      name: "COMMIT from inside one mapping into the next: each VMO's part of the range",
      call: (f) => {
        const [sub, base] = f.region(0, 0, 3);
        const next = f.ok(f.k.zx_vmo_create(f.t, PS, 0));
        f.ok(f.k.zx_vmar_map(f.t, sub, RW | ZX_VM_SPECIFIC, 0, f.aux, 0, 2 * PS));
        f.ok(f.k.zx_vmar_map(f.t, sub, RW | ZX_VM_SPECIFIC, 2 * PS, next, 0, PS));
        f.kept = next;
        return f.k.zx_vmar_op_range(f.t, sub, ZX_VMAR_OP_COMMIT, base + PS, 2 * PS);
      },
      want: ZX_OK,
      check: (f) => {
        const committed = (h: number) =>
          runSync(f.k.zx_object_get_info(f.t, h, ZX_INFO_VMO))[1]?.committedBytes;
        assert.deepEqual([committed(f.aux), committed(f.kept)], [PS, PS]);
      },
    },
    {
      // RangeOp's op_offset is (address - mapping base) + the mapping's VMO offset: DECOMMIT of
      // a mapping's second page, mapped from VMO page 2, frees VMO page 3 and nothing else.
      name: "DECOMMIT of a mapping's second page: the VMO page at its offset",
      call: (f) => {
        f.okStatus(f.k.zx_vmo_write(f.t, f.aux, new Uint8Array(PAGES * PS).fill(5), 0));
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, RW, 0, f.aux, 2 * PS, 2 * PS));
        return f.k.zx_vmar_op_range(f.t, f.vmar, ZX_VMAR_OP_DECOMMIT, addr + PS, PS);
      },
      want: ZX_OK,
      check: (f) => {
        const [, bytes] = runSync(f.k.zx_vmo_read(f.t, f.aux, 0, PAGES * PS));
        const pages = [0, 1, 2, 3].map((p) => bytes[p * PS]);
        assert.deepEqual(pages, [5, 5, 5, 0]);
      },
    },
    {
      name: "invalid handle",
      call: (f) => f.k.zx_vmar_op_range(f.t, BAD, ZX_VMAR_OP_COMMIT, 0x1000_0000, PS),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "wrong type (vmo)",
      call: (f) => f.k.zx_vmar_op_range(f.t, f.vmo, ZX_VMAR_OP_COMMIT, 0x1000_0000, PS),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "unknown op",
      call: (f) => f.k.zx_vmar_op_range(f.t, f.vmar, 99, 0x1000_0000, PS),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "order: unknown op before missing rights",
      call: (f) => f.k.zx_vmar_op_range(f.t, f.without(f.vmar, ZX_RIGHT_WRITE), 99, 1, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "COMMIT without WRITE",
      call: (f) =>
        f.k.zx_vmar_op_range(
          f.t,
          f.without(f.vmar, ZX_RIGHT_WRITE),
          ZX_VMAR_OP_COMMIT,
          0x1000_0000,
          PS,
        ),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "PREFETCH without READ",
      call: (f) =>
        f.k.zx_vmar_op_range(
          f.t,
          f.without(f.vmar, ZX_RIGHT_READ),
          ZX_VMAR_OP_PREFETCH,
          0x1000_0000,
          PS,
        ),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "COMMIT over a mapping of a VMO handle without WRITE",
      call: (f) => {
        const ro = f.without(f.aux, ZX_RIGHT_WRITE);
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, ro, 0, PS));
        return f.k.zx_vmar_op_range(f.t, f.vmar, ZX_VMAR_OP_COMMIT, addr, PS);
      },
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "address not page aligned",
      call: (f) => f.k.zx_vmar_op_range(f.t, f.vmar, ZX_VMAR_OP_DONT_NEED, 0x1000_0001, PS),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "size 0",
      call: (f) => f.k.zx_vmar_op_range(f.t, f.vmar, ZX_VMAR_OP_DONT_NEED, 0x1000_0000, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "outside the region",
      call: (f) => {
        const [sub, base] = f.region(0, 0, 2);
        return f.k.zx_vmar_op_range(f.t, sub, ZX_VMAR_OP_DONT_NEED, base, 3 * PS);
      },
      want: ZX_ERR_OUT_OF_RANGE,
    },
    {
      name: "a gap",
      call: (f) => {
        const [sub, base] = f.region(0, 0, 2);
        f.ok(f.k.zx_vmar_map(f.t, sub, RW | ZX_VM_SPECIFIC, PS, f.aux, 0, PS));
        return f.k.zx_vmar_op_range(f.t, sub, ZX_VMAR_OP_DONT_NEED, base, 2 * PS);
      },
      want: ZX_ERR_BAD_STATE,
    },
    {
      name: "a gap after the mappings (the mappings before it were committed)",
      call: (f) => {
        const [sub, base] = f.region(0, 0, 2);
        f.ok(f.k.zx_vmar_map(f.t, sub, RW | ZX_VM_SPECIFIC, 0, f.aux, 0, PS));
        return f.k.zx_vmar_op_range(f.t, sub, ZX_VMAR_OP_COMMIT, base, 2 * PS);
      },
      want: ZX_ERR_BAD_STATE,
      check: (f) => {
        const [, info] = runSync(f.k.zx_object_get_info(f.t, f.aux, ZX_INFO_VMO));
        assert.equal(info?.committedBytes, PS);
      },
    },
    {
      name: "a mapping in a sub-region",
      call: (f) => {
        const [sub, base] = f.region(0, 0, 2);
        f.ok(f.k.zx_vmar_map(f.t, sub, RW | ZX_VM_SPECIFIC, 0, f.aux, 0, 2 * PS));
        return f.k.zx_vmar_op_range(f.t, f.vmar, ZX_VMAR_OP_MAP_RANGE, base, 2 * PS);
      },
      want: ZX_OK,
    },
    {
      name: "a destroyed region",
      call: (f) => {
        const [sub, base] = f.region(0, 0, 1);
        f.okStatus(f.k.zx_vmar_destroy(f.t, sub));
        return f.k.zx_vmar_op_range(f.t, sub, ZX_VMAR_OP_DONT_NEED, base, PS);
      },
      want: ZX_ERR_BAD_STATE,
    },
    {
      name: "DECOMMIT over a pager mapping",
      call: (f) => {
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, RW, 0, f.vmo, 0, PS));
        return f.k.zx_vmar_op_range(f.t, f.vmar, ZX_VMAR_OP_DECOMMIT, addr, PS);
      },
      want: ZX_ERR_NOT_SUPPORTED,
    },
    ...garbageRows(
      "size",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_vmar_op_range(f.t, f.vmar, ZX_VMAR_OP_DONT_NEED, 0x1000_0000, x),
    ),
    ...garbageRows(
      "address",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_vmar_op_range(f.t, f.vmar, ZX_VMAR_OP_DONT_NEED, x, PS),
    ),
  ],

  zx_bti_create: [
    { name: "options 0", call: (f) => f.k.zx_bti_create(f.t, 0, 7), want: ZX_OK },
    {
      name: "options nonzero",
      call: (f) => f.k.zx_bti_create(f.t, 1, 7),
      want: ZX_ERR_INVALID_ARGS,
    },
    ...garbageRows("bti_id", ZX_ERR_INVALID_ARGS, (f, x) => f.k.zx_bti_create(f.t, 0, x)),
  ],

  // zx_bti_pin: alignment, the BTI with MAP, the VMO with MAP and the permissions' rights, the
  // options, the range (sys_bti_pin, zircon/kernel/lib/syscalls/ddk.cc; BtiDispatcher::Pin).
  zx_bti_pin: [
    {
      name: "a present page: pinned, so not evictable and not cut by a shrink",
      call: (f) => {
        const vmo = f.ok(
          f.k.zx_pager_create_vmo(f.t, f.pager, ZX_VMO_RESIZABLE, f.port, 11, 2 * PS),
        );
        f.okStatus(f.k.zx_vmo_write(f.t, f.aux, new Uint8Array(2 * PS).fill(5), 0));
        f.okStatus(f.k.zx_pager_supply_pages(f.t, f.pager, vmo, 0, 2 * PS, f.aux, 0));
        return f.k.zx_bti_pin(f.t, f.bti(), ZX_BTI_PERM_READ, vmo, PS, PS);
      },
      want: ZX_OK,
      check: (f, r) => {
        const vmo = f.k.pagerVmos[2];
        assert.deepEqual([...vmo.pins], [[1, 1]]);
        const h = [...f.k.handles].find(([, e]) => e.object === vmo)![0];
        assert.deepEqual(f.k.evictablePages(h), [0]);
        assert.equal(runSync(f.k.zx_vmo_set_size(f.t, h, PS)), ZX_ERR_BAD_STATE);
        f.okStatus(f.k.zx_pmt_unpin(f.t, (r as number[])[1]));
        assert.equal(vmo.pins.size, 0);
        f.okStatus(f.k.zx_vmo_set_size(f.t, h, PS));
      },
    },
    {
      // PinForWrite, PinnedWriteback (pager-writeback.cc @ misttech/fuchsia 2e2b3562).
      name: "READ|WRITE on a supplied page: Dirty and modified; BEGIN skips it until unpinned",
      call: (f) => {
        f.supply(0);
        return f.k.zx_bti_pin(f.t, f.bti(), ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE, f.vmo, 0, PS);
      },
      want: ZX_OK,
      check: (f, r) => {
        const vmo = f.k.pagerVmos[0];
        const state = () => (vmo.slots[0] as { state: string }).state;
        assert.equal(state(), "dirty");
        assert.equal(vmo.modified, true);
        assert.deepEqual([...vmo.writePins], [[0, 1]]);
        const begin = () =>
          f.okStatus(
            f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_WRITEBACK_BEGIN, f.vmo, 0, PS, 0),
          );
        begin();
        assert.equal(state(), "dirty");
        f.okStatus(f.k.zx_pmt_unpin(f.t, (r as number[])[1]));
        assert.equal(vmo.writePins.size, 0);
        begin();
        assert.equal(state(), "awaiting-clean");
      },
    },
    {
      // As NoDirtyRequestsAfterDetach's AwaitingClean page (pager-writeback.cc @ 2e2b3562).
      name: "READ|WRITE of an AwaitingClean page of a detached TRAP_DIRTY VMO: no DIRTY can go out",
      call: (f) => {
        const vmo = f.ok(
          f.k.zx_pager_create_vmo(f.t, f.pager, ZX_VMO_TRAP_DIRTY, f.port, 11, PS),
        );
        f.okStatus(f.k.zx_vmo_write(f.t, f.aux, new Uint8Array(PS).fill(3), 0));
        f.okStatus(f.k.zx_pager_supply_pages(f.t, f.pager, vmo, 0, PS, f.aux, 0));
        f.okStatus(f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_DIRTY, vmo, 0, PS, 0));
        f.okStatus(
          f.k.zx_pager_op_range(f.t, f.pager, ZX_PAGER_OP_WRITEBACK_BEGIN, vmo, 0, PS, 0),
        );
        f.okStatus(f.k.zx_pager_detach_vmo(f.t, f.pager, vmo));
        return f.k.zx_bti_pin(f.t, f.bti(), ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE, vmo, 0, PS);
      },
      want: ZX_ERR_BAD_STATE,
      check: (f) => {
        const vmo = f.k.pagerVmos[2];
        assert.equal((vmo.slots[0] as { state: string }).state, "awaiting-clean");
        assert.equal(vmo.pins.size, 0);
      },
    },
    {
      name: "an anonymous VMO",
      call: (f) => f.k.zx_bti_pin(f.t, f.bti(), ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE, f.aux, 0, PS),
      want: ZX_OK,
    },
    {
      name: "offset not page aligned (before the handles)",
      call: (f) => f.k.zx_bti_pin(f.t, BAD, ZX_BTI_PERM_READ, f.aux, 1, PS),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "bti: invalid handle",
      call: (f) => f.k.zx_bti_pin(f.t, BAD, ZX_BTI_PERM_READ, f.aux, 0, PS),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "bti: wrong type (vmo)",
      call: (f) => f.k.zx_bti_pin(f.t, f.aux, ZX_BTI_PERM_READ, f.aux, 0, PS),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "bti: without MAP",
      call: (f) =>
        f.k.zx_bti_pin(f.t, f.without(f.bti(), ZX_RIGHT_MAP), ZX_BTI_PERM_READ, f.aux, 0, PS),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "vmo: without MAP",
      call: (f) =>
        f.k.zx_bti_pin(f.t, f.bti(), ZX_BTI_PERM_READ, f.without(f.aux, ZX_RIGHT_MAP), 0, PS),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "vmo: PERM_WRITE without WRITE",
      call: (f) =>
        f.k.zx_bti_pin(f.t, f.bti(), ZX_BTI_PERM_WRITE, f.without(f.aux, ZX_RIGHT_WRITE), 0, PS),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      // sys_bti_pin (ddk.cc): PERM_READ needs the VMO handle's READ right.
      name: "vmo: PERM_READ without READ",
      call: (f) =>
        f.k.zx_bti_pin(f.t, f.bti(), ZX_BTI_PERM_READ, f.without(f.aux, ZX_RIGHT_READ), 0, PS),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "vmo: invalid handle",
      call: (f) => f.k.zx_bti_pin(f.t, f.bti(), ZX_BTI_PERM_READ, BAD, 0, PS),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "options: CONTIGUOUS on a VMO that is not contiguous",
      call: (f) => f.k.zx_bti_pin(f.t, f.bti(), ZX_BTI_PERM_READ | ZX_BTI_CONTIGUOUS, f.aux, 0, PS),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "options: CONTIGUOUS on a contiguous VMO",
      call: (f) => {
        const b = f.bti();
        const c = f.ok(f.k.zx_vmo_create_contiguous(f.t, b, PS, 0));
        return f.k.zx_bti_pin(f.t, b, ZX_BTI_PERM_READ | ZX_BTI_CONTIGUOUS, c, 0, PS);
      },
      want: ZX_OK,
    },
    {
      name: "options: COMPRESS with CONTIGUOUS, even on a contiguous VMO",
      call: (f) => {
        const b = f.bti();
        const c = f.ok(f.k.zx_vmo_create_contiguous(f.t, b, PS, 0));
        const o = ZX_BTI_PERM_READ | ZX_BTI_CONTIGUOUS | ZX_BTI_COMPRESS;
        return f.k.zx_bti_pin(f.t, b, o, c, 0, PS);
      },
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      // BtiDispatcher::Pin (bus_transaction_initiator_dispatcher.cc @ misttech/fuchsia
      // 3281dd6b): no new pin while the BTI's quarantine is not empty.
      name: "a BTI with a token closed without unpin (quarantined): BAD_STATE, nothing pinned",
      call: (f) => {
        const b = f.bti();
        const pmt = f.ok(f.k.zx_bti_pin(f.t, b, ZX_BTI_PERM_READ, f.aux, 0, PS));
        f.okStatus(f.k.zx_handle_close(f.t, pmt));
        return f.k.zx_bti_pin(f.t, b, ZX_BTI_PERM_READ, f.aux, PS, PS);
      },
      want: ZX_ERR_BAD_STATE,
      check: (f) => assert.deepEqual([...(f.k.handles.entry(f.aux)!.object as Vmo).pins], [[0, 1]]),
    },
    {
      name: "size 0",
      call: (f) => f.k.zx_bti_pin(f.t, f.bti(), ZX_BTI_PERM_READ, f.aux, 0, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "past the VMO's end",
      call: (f) => f.k.zx_bti_pin(f.t, f.bti(), ZX_BTI_PERM_READ, f.aux, 0, (PAGES + 1) * PS),
      want: ZX_ERR_OUT_OF_RANGE,
    },
    ...garbageRows(
      "size",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_bti_pin(f.t, f.bti(), ZX_BTI_PERM_READ, f.aux, 0, x),
    ),
  ],

  zx_pmt_unpin: [
    {
      name: "a token: unpinned, its handle gone",
      call: (f) => {
        const pmt = f.ok(f.k.zx_bti_pin(f.t, f.bti(), ZX_BTI_PERM_READ, f.aux, 0, PS));
        return f.k.zx_pmt_unpin(f.t, pmt);
      },
      want: ZX_OK,
      check: (f) => assert.equal([...f.k.handles].some(([, e]) => e.object.objType === 26), false),
    },
    { name: "invalid handle", call: (f) => f.k.zx_pmt_unpin(f.t, BAD), want: ZX_ERR_BAD_HANDLE },
    {
      name: "wrong type (vmo)",
      call: (f) => f.k.zx_pmt_unpin(f.t, f.aux),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      // The BTI's last close keeps its quarantine (on_zero_handles,
      // bus_transaction_initiator_dispatcher.cc @ misttech/fuchsia 3281dd6b).
      name: "a token closed without unpin stays pinned after its BTI's last handle closes",
      call: (f) => {
        const b = f.bti();
        const pmt = f.ok(f.k.zx_bti_pin(f.t, b, ZX_BTI_PERM_READ, f.aux, 0, PS));
        f.okStatus(f.k.zx_handle_close(f.t, pmt));
        assert.equal(f.k.handles.entry(f.aux)?.object.objType, 3);
        return f.k.zx_handle_close(f.t, b);
      },
      want: ZX_OK,
      check: (f) => assert.deepEqual([...(f.k.handles.entry(f.aux)!.object as Vmo).pins], [[0, 1]]),
    },
  ],

  zx_vmar_unmap: [
    {
      name: "a whole mapping",
      call: (f) => {
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, f.vmo, 0, PS));
        return f.k.zx_vmar_unmap(f.t, f.vmar, addr, PS);
      },
      want: ZX_OK,
      check: (f) => assert.equal(f.k.pagerVmos[0].mappings, 0),
    },
    // zx_vmar_unmap.md (gnoliyil/fuchsia 3a0300d1): sub-regions in the range are destroyed "as
    // if zx_vmar_destroy() were called"; "any sub-region that is in the range must be fully in
    // the range (i.e. partial overlaps are an error)".
    {
      name: "a whole sub-region: destroyed, with what is mapped in it",
      call: (f) => {
        const [, sub, base] = runSync(f.k.zx_vmar_allocate(f.t, f.vmar, RW_REGION, 0, 2 * PS));
        f.ok(f.k.zx_vmar_map(f.t, sub, ZX_VM_PERM_READ, 0, f.vmo, 0, PS));
        assert.equal(f.k.pagerVmos[0].mappings, 1);
        return f.k.zx_vmar_unmap(f.t, f.vmar, base, 2 * PS);
      },
      want: ZX_OK,
      check: (f) => {
        assert.equal(f.k.pagerVmos[0].mappings, 0);
        assert.equal(f.k.rootVmar.regions.length, 0);
      },
    },
    {
      name: "a range inside a sub-region (a partial overlap)",
      call: (f) => {
        const [, sub, base] = runSync(f.k.zx_vmar_allocate(f.t, f.vmar, RW_REGION, 0, 2 * PS));
        const addr = f.ok(f.k.zx_vmar_map(f.t, sub, ZX_VM_PERM_READ, 0, f.vmo, 0, PS));
        assert.equal(addr, base);
        return f.k.zx_vmar_unmap(f.t, f.vmar, addr, PS);
      },
      want: ZX_ERR_INVALID_ARGS,
      check: (f) => assert.equal(f.k.pagerVmos[0].mappings, 1),
    },
    {
      name: "vmar: invalid handle",
      call: (f) => {
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, f.vmo, 0, PS));
        return f.k.zx_vmar_unmap(f.t, BAD, addr, PS);
      },
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "vmar: wrong type (vmo)",
      call: (f) => {
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, f.vmo, 0, PS));
        return f.k.zx_vmar_unmap(f.t, f.vmo, addr, PS);
      },
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "addr not page aligned",
      call: (f) => {
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, f.vmo, 0, PS));
        return f.k.zx_vmar_unmap(f.t, f.vmar, addr + 1, PS);
      },
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "len 0",
      call: (f) => {
        const addr = f.ok(f.k.zx_vmar_map(f.t, f.vmar, ZX_VM_PERM_READ, 0, f.vmo, 0, PS));
        return f.k.zx_vmar_unmap(f.t, f.vmar, addr, 0);
      },
      want: ZX_ERR_INVALID_ARGS,
      check: (f) => assert.equal(f.k.pagerVmos[0].mappings, 1),
    },
    {
      name: "no mapping there",
      call: (f) => f.k.zx_vmar_unmap(f.t, f.vmar, 0x1000, PS),
      want: ZX_ERR_NOT_FOUND,
    },
    // `VmAddressRegion::Unmap`: the size and alignment checks, then BAD_STATE unless ALIVE
    // (zx_vmar_unmap.md: "handle refers to a destroyed handle"); the model said NOT_FOUND.
    {
      name: "a destroyed region",
      call: (f) => {
        const [sub, base] = f.region(0, 0, 1);
        f.okStatus(f.k.zx_vmar_destroy(f.t, sub));
        return f.k.zx_vmar_unmap(f.t, sub, base, PS);
      },
      want: ZX_ERR_BAD_STATE,
    },
    {
      name: "order: len 0 before a destroyed region",
      call: (f) => {
        const [sub, base] = f.region(0, 0, 1);
        f.okStatus(f.k.zx_vmar_destroy(f.t, sub));
        return f.k.zx_vmar_unmap(f.t, sub, base, 0);
      },
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "order: invalid handle before unaligned addr",
      call: (f) => f.k.zx_vmar_unmap(f.t, BAD, 1, 0),
      want: ZX_ERR_BAD_HANDLE,
    },
    ...garbageRows(
      "addr",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_vmar_unmap(f.t, f.vmar, x, PS),
    ),
    ...garbageRows(
      "len",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_vmar_unmap(f.t, f.vmar, 0x1000, x),
    ),
  ],

  zx_task_suspend: [
    {
      name: "another thread",
      call: (f) => f.k.zx_task_suspend(f.t, f.peerHandle),
      want: ZX_OK,
      check: (f) => assert.equal(f.peer.suspended, true),
    },
    {
      name: "invalid handle",
      call: (f) => f.k.zx_task_suspend(f.t, BAD),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "wrong type (vmo)",
      call: (f) => f.k.zx_task_suspend(f.t, f.vmo),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "wrong type (a suspend token)",
      call: (f) => {
        const token = f.ok(f.k.zx_task_suspend(f.t, f.peerHandle));
        return f.k.zx_task_suspend(f.t, token);
      },
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "thread without WRITE",
      call: (f) => f.k.zx_task_suspend(f.t, f.without(f.peerHandle, ZX_RIGHT_WRITE)),
      want: ZX_ERR_ACCESS_DENIED,
      check: (f) => assert.equal(f.peer.suspended, false),
    },
    {
      name: "a killed thread",
      call: (f) => {
        f.okStatus(f.k.zx_task_kill(f.t, f.peerHandle));
        return f.k.zx_task_suspend(f.t, f.peerHandle);
      },
      want: ZX_ERR_BAD_STATE,
    },
    {
      name: "the calling thread itself",
      call: (f) => {
        const [self, handle] = f.k.createThread("self", 4);
        return f.k.zx_task_suspend(self, handle);
      },
      want: ZX_ERR_NOT_SUPPORTED,
    },
    {
      name: "order: missing WRITE before dead thread",
      call: (f) => {
        const h = f.without(f.peerHandle, ZX_RIGHT_WRITE);
        f.okStatus(f.k.zx_task_kill(f.t, h));
        return f.k.zx_task_suspend(f.t, h);
      },
      want: ZX_ERR_ACCESS_DENIED,
    },
    ...garbageRows("handle", ZX_ERR_BAD_HANDLE, (f, x) => f.k.zx_task_suspend(f.t, x)),
  ],

  zx_task_kill: [
    {
      name: "another thread",
      call: (f) => f.k.zx_task_kill(f.t, f.peerHandle),
      want: ZX_OK,
      check: (f) => assert.equal(f.peer.alive, false),
    },
    {
      name: "killing twice succeeds",
      call: (f) => {
        f.okStatus(f.k.zx_task_kill(f.t, f.peerHandle));
        return f.k.zx_task_kill(f.t, f.peerHandle);
      },
      want: ZX_OK,
    },
    { name: "invalid handle", call: (f) => f.k.zx_task_kill(f.t, BAD), want: ZX_ERR_BAD_HANDLE },
    {
      name: "wrong type (port)",
      call: (f) => f.k.zx_task_kill(f.t, f.port),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "thread without DESTROY",
      call: (f) => f.k.zx_task_kill(f.t, f.without(f.peerHandle, ZX_RIGHT_DESTROY)),
      want: ZX_ERR_ACCESS_DENIED,
      check: (f) => assert.equal(f.peer.alive, true),
    },
    ...garbageRows("handle", ZX_ERR_BAD_HANDLE, (f, x) => f.k.zx_task_kill(f.t, x)),
  ],

  zx_event_create: [
    {
      name: "an event with the basic rights and SIGNAL",
      call: (f) => f.k.zx_event_create(f.t, 0),
      want: ZX_OK,
      check: (f, r) => {
        const e = f.k.handles.entry((r as [Status, number])[1]);
        assert.equal(e?.object.objType, ZX_OBJ_TYPE_EVENT);
        assert.equal(e?.rights, ZX_DEFAULT_EVENT_RIGHTS);
      },
    },
    { name: "options", call: (f) => f.k.zx_event_create(f.t, 1), want: ZX_ERR_INVALID_ARGS },
    ...garbageRows("options", ZX_ERR_INVALID_ARGS, (f, x) => f.k.zx_event_create(f.t, x)),
  ],

  zx_object_signal: [
    {
      name: "set and clear user signals and SIGNALED on an event",
      call: (f) => f.k.zx_object_signal(f.t, f.event(), 0, ZX_USER_SIGNAL_ALL | ZX_EVENT_SIGNALED),
      want: ZX_OK,
    },
    {
      name: "ZX_USER_SIGNAL_7 as a negative int32",
      call: (f) => f.k.zx_object_signal(f.t, f.event(), 1 << 31, 1 << 31),
      want: ZX_OK,
    },
    {
      name: "invalid handle",
      call: (f) => f.k.zx_object_signal(f.t, BAD, 0, 0),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "no SIGNAL right",
      call: (f) => f.k.zx_object_signal(f.t, f.without(f.event(), ZX_RIGHT_SIGNAL), 0, 0),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "no SIGNAL right and a bad mask: rights first",
      call: (f) => f.k.zx_object_signal(f.t, f.without(f.event(), ZX_RIGHT_SIGNAL), 0, 1),
      want: ZX_ERR_ACCESS_DENIED,
    },
    // SoloDispatcher::user_signal_self (dispatcher.h @ vsrinivas/fuchsia 005edc33): "Generic
    // objects can set all USER_SIGNALs"; VmObjectDispatcher adds no extra signals.
    {
      name: "set and clear user signals on a pager VMO",
      call: (f) => f.k.zx_object_signal(f.t, f.vmo, ZX_USER_SIGNAL_ALL, ZX_USER_SIGNAL_ALL),
      want: ZX_OK,
    },
    {
      name: "ZX_USER_SIGNAL_0 on an anonymous VMO is observed with ZX_VMO_ZERO_CHILDREN",
      call: (f) => f.k.zx_object_signal(f.t, f.aux, 0, 1 << 24),
      want: ZX_OK,
      check: (f) => {
        const [st, observed] = runSync(f.k.zx_object_wait_one(f.t, f.aux, 1 << 24, 0));
        assert.equal(statusName(st), "ZX_OK");
        assert.equal(observed, (1 << 24 | ZX_VMO_ZERO_CHILDREN) >>> 0);
      },
    },
    {
      name: "ZX_VMO_ZERO_CHILDREN in set_mask of a VMO (a kernel signal there)",
      call: (f) => f.k.zx_object_signal(f.t, f.vmo, 0, ZX_VMO_ZERO_CHILDREN),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "ZX_VMO_ZERO_CHILDREN in clear_mask of a VMO",
      call: (f) => f.k.zx_object_signal(f.t, f.vmo, ZX_VMO_ZERO_CHILDREN, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "a VMO handle without SIGNAL",
      call: (f) => f.k.zx_object_signal(f.t, f.without(f.vmo, ZX_RIGHT_SIGNAL), 0, 1 << 24),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "a thread (a model limit: upstream a thread takes user signals too)",
      call: (f) => f.k.zx_object_signal(f.t, f.peerHandle, 0, 1 << 24),
      want: ZX_ERR_NOT_SUPPORTED,
    },
    {
      name: "a kernel signal in set_mask",
      call: (f) => f.k.zx_object_signal(f.t, f.event(), 0, 1 << 2),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "a kernel signal in clear_mask",
      call: (f) => f.k.zx_object_signal(f.t, f.event(), 1, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    ...garbageRows("handle", ZX_ERR_BAD_HANDLE, (f, x) => f.k.zx_object_signal(f.t, x, 0, 0)),
    ...garbageRows(
      "set_mask",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_object_signal(f.t, f.event(), 0, x),
    ),
  ],

  // object_wait_one.md; sys_object_wait_one: the handle, its WAIT right, then waitability.
  zx_object_wait_one: [
    {
      name: "an active signal returns at once with the signals observed",
      call: (f) => {
        const e = f.event();
        f.okStatus(f.k.zx_object_signal(f.t, e, 0, ZX_EVENT_SIGNALED));
        return f.k.zx_object_wait_one(f.t, e, ZX_EVENT_SIGNALED, 0);
      },
      want: ZX_OK,
      check: (_f, r) => assert.equal((r as [Status, number])[1], ZX_EVENT_SIGNALED),
    },
    {
      name: "a new VMO has ZX_VMO_ZERO_CHILDREN active",
      call: (f) => f.k.zx_object_wait_one(f.t, f.aux, ZX_VMO_ZERO_CHILDREN, 0),
      want: ZX_OK,
    },
    {
      name: "a past deadline with the signal inactive",
      call: (f) => f.k.zx_object_wait_one(f.t, f.event(), ZX_EVENT_SIGNALED, 0),
      want: ZX_ERR_TIMED_OUT,
    },
    {
      // vmo-signal.cc SignalSanity: after the TIMED_OUT wait for ZX_USER_SIGNAL_0,
      // "ASSERT_EQ(out_signals, ZX_VMO_ZERO_CHILDREN)"; sys_object_wait_one copies `observed`
      // out whatever the wait's outcome (object_wait.cc @ vsrinivas/fuchsia 026c5c63).
      name: "a timed-out wait still reports the signals observed (a VMO's ZERO_CHILDREN)",
      call: (f) => f.k.zx_object_wait_one(f.t, f.aux, 1 << 24, 0),
      want: ZX_ERR_TIMED_OUT,
      check: (_f, r) => assert.equal((r as [Status, number])[1], ZX_VMO_ZERO_CHILDREN),
    },
    {
      name: "invalid handle",
      call: (f) => f.k.zx_object_wait_one(f.t, BAD, ZX_EVENT_SIGNALED, 0),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "no WAIT right",
      call: (f) => f.k.zx_object_wait_one(f.t, f.without(f.event(), ZX_RIGHT_WAIT), 1, 0),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "a VMAR (its signals are not modelled)",
      call: (f) => f.k.zx_object_wait_one(f.t, f.vmar, 1, 0),
      want: ZX_ERR_NOT_SUPPORTED,
    },
    {
      name: "a pager (its default rights lack WAIT)",
      call: (f) => f.k.zx_object_wait_one(f.t, f.pager, 1, 0),
      want: ZX_ERR_ACCESS_DENIED,
    },
    ...garbageRows("handle", ZX_ERR_BAD_HANDLE, (f, x) => f.k.zx_object_wait_one(f.t, x, 1, 0)),
  ],

  // sys_object_wait_async (object/wait_async.cc): options, the port (WRITE), the handle (WAIT).
  zx_object_wait_async: [
    {
      name: "an already active signal queues its packet at once",
      call: (f) => f.k.zx_object_wait_async(f.t, f.aux, f.port, 5, ZX_VMO_ZERO_CHILDREN, 0),
      want: ZX_OK,
      check: (f) => {
        const port = f.k.ports[0];
        const packet = port.packets().at(-1) as SignalPacket;
        assert.equal(packet.type, ZX_PKT_TYPE_SIGNAL_ONE);
        assert.equal(packet.key, 5);
        assert.equal(packet.signal.observed & ZX_VMO_ZERO_CHILDREN, ZX_VMO_ZERO_CHILDREN);
      },
    },
    {
      name: "an inactive signal queues nothing until it is set",
      call: (f) => f.k.zx_object_wait_async(f.t, f.event(), f.port, 5, ZX_EVENT_SIGNALED, 0),
      want: ZX_OK,
      check: (f) => assert.equal(f.k.ports[0].depth, 0),
    },
    {
      name: "unknown options",
      call: (f) => f.k.zx_object_wait_async(f.t, f.event(), f.port, 5, 1, 1 << 4),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "unknown options and a bad port: options first",
      call: (f) => f.k.zx_object_wait_async(f.t, f.event(), BAD, 5, 1, 1 << 4),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "bad port and bad handle: the port first",
      call: (f) => f.k.zx_object_wait_async(f.t, f.vmo, f.vmo, 5, 1, 0),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "port without WRITE",
      call: (f) => f.k.zx_object_wait_async(f.t, f.vmo, f.without(f.port, ZX_RIGHT_WRITE), 5, 1, 0),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "invalid handle",
      call: (f) => f.k.zx_object_wait_async(f.t, BAD, f.port, 5, 1, 0),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "no WAIT right",
      call: (f) => f.k.zx_object_wait_async(f.t, f.without(f.aux, ZX_RIGHT_WAIT), f.port, 5, 1, 0),
      want: ZX_ERR_ACCESS_DENIED,
    },
    {
      name: "a thread (its signals are not modelled)",
      call: (f) => f.k.zx_object_wait_async(f.t, f.peerHandle, f.port, 5, 1, 0),
      want: ZX_ERR_NOT_SUPPORTED,
    },
    ...garbageRows(
      "handle",
      ZX_ERR_BAD_HANDLE,
      (f, x) => f.k.zx_object_wait_async(f.t, x, f.port, 5, 1, 0),
    ),
    ...garbageRows(
      "port",
      ZX_ERR_BAD_HANDLE,
      (f, x) => f.k.zx_object_wait_async(f.t, f.aux, x, 5, 1, 0),
    ),
  ],

  // futex_wait.md; FutexContext::FutexWait (futex_context.cc @ misttech/fuchsia 216f5757).
  zx_futex_wait: [
    {
      name: "the word no longer holds current_value",
      call: (f) => f.k.zx_futex_wait(f.t, f.word(1), 0, 0, 0),
      want: ZX_ERR_BAD_STATE,
    },
    {
      name: "a past deadline with the value matching",
      call: (f) => f.k.zx_futex_wait(f.t, f.word(1), 1, 0, 0),
      want: ZX_ERR_TIMED_OUT,
    },
    {
      name: "null value_ptr",
      call: (f) => f.k.zx_futex_wait(f.t, 0, 0, 0, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "misaligned value_ptr",
      call: (f) => f.k.zx_futex_wait(f.t, f.word(0) + 1, 0, 0, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    // futex_wait.md: INVALID_ARGS if "value_ptr is not a valid userspace pointer": the aligned
    // address just past the newest word holds no word (the copy-in of the value faults).
    {
      name: "aligned value_ptr just past the last word",
      call: (f) => f.k.zx_futex_wait(f.t, f.word(0) + 4, 0, 0, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "bad owner handle",
      call: (f) => f.k.zx_futex_wait(f.t, f.word(0), 0, BAD, 0),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "bad owner handle and a stale value: the value first",
      call: (f) => f.k.zx_futex_wait(f.t, f.word(1), 0, BAD, 0),
      want: ZX_ERR_BAD_STATE,
    },
    // A deadline that is no number: the model's INVALID_ARGS (a zx_time_t cannot be one).
    ...garbageRows(
      "deadline",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_futex_wait(f.t, f.word(1), 1, 0, x),
      GARBAGE.filter(([label]) => label === "NaN" || label === "string" || label === "undefined"),
    ),
    {
      name: "owner is not a thread",
      call: (f) => f.k.zx_futex_wait(f.t, f.word(0), 0, f.port, 0),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "owner is the calling thread",
      call: (f) => f.k.zx_futex_wait(f.t, f.word(0), 0, f.selfHandle, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "owner handle without rights is fine (no rights are checked)",
      call: (f) => f.k.zx_futex_wait(f.t, f.word(0), 0, f.without(f.peerHandle, ~0 >>> 0), 0),
      want: ZX_ERR_TIMED_OUT,
    },
    // futex_wait.md: INVALID_ARGS if "new_futex_owner is currently waiting on this futex",
    // wherever it is in the queue.
    {
      name: "owner waits on the futex behind another waiter",
      call: (f) => {
        const a = f.word(0);
        const [other] = f.k.createThread("other", 3);
        f.k.futexes.enqueue(a, other, null);
        f.k.futexes.enqueue(a, f.peer, null);
        return f.k.zx_futex_wait(f.t, a, 0, f.peerHandle, ZX_TIME_INFINITE);
      },
      want: ZX_ERR_INVALID_ARGS,
    },
    ...garbageRows("value_ptr", ZX_ERR_INVALID_ARGS, (f, x) => f.k.zx_futex_wait(f.t, x, 0, 0, 0)),
  ],

  // futex_wake.md; FutexContext::FutexWake.
  zx_futex_wake: [
    {
      name: "no waiters is a no-op success",
      call: (f) => f.k.zx_futex_wake(f.t, f.word(0), 1),
      want: ZX_OK,
    },
    {
      name: "misaligned value_ptr",
      call: (f) => f.k.zx_futex_wake(f.t, f.word(0) + 2, 1),
      want: ZX_ERR_INVALID_ARGS,
    },
    ...garbageRows("value_ptr", ZX_ERR_INVALID_ARGS, (f, x) => f.k.zx_futex_wake(f.t, x, 1)),
  ],

  // futex_get_owner.md; FutexContext::FutexGetOwner (futex_context.cc @ gnoliyil/fuchsia
  // 08c0dd7c): ValidateFutexPointer ("!value_ptr || ... % sizeof(zx_futex_t)"), then the koid.
  zx_futex_get_owner: [
    {
      name: "a futex nobody waits on: ZX_OK (ZX_KOID_INVALID)",
      call: (f) => f.k.zx_futex_get_owner(f.t, f.word(0)),
      want: ZX_OK,
    },
    {
      name: "null value_ptr",
      call: (f) => f.k.zx_futex_get_owner(f.t, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "misaligned value_ptr",
      call: (f) => f.k.zx_futex_get_owner(f.t, f.word(0) + 2),
      want: ZX_ERR_INVALID_ARGS,
    },
    ...garbageRows("value_ptr", ZX_ERR_INVALID_ARGS, (f, x) => f.k.zx_futex_get_owner(f.t, x)),
  ],

  // futex_requeue.md; FutexContext::FutexRequeue and FutexRequeueInternal (futex_context.cc @
  // vsrinivas/fuchsia 04544766); futex.cc @ 280888fc RequeueValueMismatch, RequeueSameAddr.
  zx_futex_requeue: [
    {
      name: "no waiters is a no-op success",
      call: (f) => f.k.zx_futex_requeue(f.t, f.word(100), 1, 100, f.word(200), 1, 0),
      want: ZX_OK,
    },
    {
      name: "the wake word no longer holds current_value (RequeueValueMismatch)",
      call: (f) => f.k.zx_futex_requeue(f.t, f.word(100), 1, 101, f.word(200), 1, 0),
      want: ZX_ERR_BAD_STATE,
    },
    {
      name: "only the wake word is compared (the requeue word may hold anything)",
      call: (f) => f.k.zx_futex_requeue(f.t, f.word(100), 1, 100, f.word(100), 1, 0),
      want: ZX_OK,
    },
    {
      name: "the same futex twice (RequeueSameAddr)",
      call: (f) => {
        const w = f.word(100);
        return f.k.zx_futex_requeue(f.t, w, 1, 100, w, 1, 0);
      },
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "the same futex and a stale value: the address check comes first",
      call: (f) => {
        const w = f.word(100);
        return f.k.zx_futex_requeue(f.t, w, 1, 101, w, 1, 0);
      },
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "null value_ptr",
      call: (f) => f.k.zx_futex_requeue(f.t, 0, 1, 0, f.word(0), 1, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "misaligned requeue_ptr",
      call: (f) => f.k.zx_futex_requeue(f.t, f.word(0), 1, 0, f.word(0) + 1, 1, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      // futex.cc MisalignedFutextAddr: "zx_futex_requeue(futex, 1, 0, futex_2, 1,
      // ZX_HANDLE_INVALID)" with both misaligned and the value matching.
      name: "both pointers misaligned, the value matching",
      call: (f) => f.k.zx_futex_requeue(f.t, f.word(0) + 1, 1, 0, f.word(0) + 1, 1, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "null requeue_ptr and a stale value: the pointers first",
      call: (f) => f.k.zx_futex_requeue(f.t, f.word(1), 1, 0, 0, 1, 0),
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "bad owner handle",
      call: (f) => f.k.zx_futex_requeue(f.t, f.word(0), 1, 0, f.word(0), 1, BAD),
      want: ZX_ERR_BAD_HANDLE,
    },
    {
      name: "bad owner handle and a stale value: the value first",
      call: (f) => f.k.zx_futex_requeue(f.t, f.word(1), 1, 0, f.word(0), 1, BAD),
      want: ZX_ERR_BAD_STATE,
    },
    {
      name: "owner is not a thread",
      call: (f) => f.k.zx_futex_requeue(f.t, f.word(0), 1, 0, f.word(0), 1, f.port),
      want: ZX_ERR_WRONG_TYPE,
    },
    {
      name: "owner is the calling thread (it waits on neither futex: fine)",
      call: (f) => f.k.zx_futex_requeue(f.t, f.word(0), 1, 0, f.word(0), 1, f.selfHandle),
      want: ZX_OK,
    },
    {
      name: "owner handle without rights is fine (no rights are checked)",
      call: (f) =>
        f.k.zx_futex_requeue(f.t, f.word(0), 1, 0, f.word(0), 1, f.without(f.peerHandle, ~0 >>> 0)),
      want: ZX_OK,
    },
    {
      name: "owner waits on the wake futex",
      call: (f) => {
        const [a, b] = [f.word(0), f.word(0)];
        f.k.futexes.enqueue(a, f.peer, null);
        return f.k.zx_futex_requeue(f.t, a, 0, 0, b, 0, f.peerHandle);
      },
      want: ZX_ERR_INVALID_ARGS,
    },
    {
      name: "owner waits on the requeue futex",
      call: (f) => {
        const [a, b] = [f.word(0), f.word(0)];
        f.k.futexes.enqueue(b, f.peer, null);
        return f.k.zx_futex_requeue(f.t, a, 0, 0, b, 0, f.peerHandle);
      },
      want: ZX_ERR_INVALID_ARGS,
    },
    ((): Row => {
      let requeueFutex = 0;
      return {
        name:
          "owner waits on a third futex: fine, and it owns the requeue futex, which has a waiter",
        call: (f) => {
          const [a, b, c] = [f.word(0), f.word(0), f.word(0)];
          requeueFutex = b;
          f.k.futexes.enqueue(c, f.peer, null);
          f.k.futexes.enqueue(b, f.t, null);
          return f.k.zx_futex_requeue(f.t, a, 0, 0, b, 0, f.peerHandle);
        },
        want: ZX_OK,
        check: (f) => assert.equal(f.k.futexes.ownerOf(requeueFutex), f.peer),
      };
    })(),
    ((): Row => {
      let requeueFutex = 0;
      return {
        name: "an owner named for a requeue futex nobody waits on is dropped",
        call: (f) => {
          const [a, b] = [f.word(0), f.word(0)];
          requeueFutex = b;
          return f.k.zx_futex_requeue(f.t, a, 0, 0, b, 5, f.peerHandle);
        },
        want: ZX_OK,
        check: (f) => assert.equal(f.k.futexes.ownerOf(requeueFutex), null),
      };
    })(),
    ((): Row => {
      let requeueFutex = 0;
      return {
        // WakeAndRequeue: "If there is no one waiting in the requeue target, then it is not
        // allowed to have an owner"; a killed waiter is not moved.
        name:
          "an owner named for a requeue futex that only dead waiters would have joined is dropped",
        call: (f) => {
          const [a, b] = [f.word(0), f.word(0)];
          requeueFutex = b;
          const [dead] = f.k.createThread("dead", 3);
          f.k.futexes.enqueue(a, dead, null);
          dead.killed = true;
          return f.k.zx_futex_requeue(f.t, a, 0, 0, b, 1, f.peerHandle);
        },
        want: ZX_OK,
        check: (f) => assert.equal(f.k.futexes.ownerOf(requeueFutex), null),
      };
    })(),
    ((): Row => {
      let requeueFutex = 0;
      return {
        // WakeAndRequeue moves each thread "from this to the requeue_target": to the end of the
        // requeue futex's queue, behind the threads already waiting there.
        name: "requeued waiters join the requeue futex's queue behind its own waiters",
        call: (f) => {
          const [a, b] = [f.word(0), f.word(0)];
          requeueFutex = b;
          const [x] = f.k.createThread("x", 3);
          const [y] = f.k.createThread("y", 4);
          f.k.futexes.enqueue(b, x, null);
          f.k.futexes.enqueue(a, y, null);
          return f.k.zx_futex_requeue(f.t, a, 0, 0, b, 1, 0);
        },
        want: ZX_OK,
        check: (f) => {
          const order = f.k.futexes.wake(requeueFutex, 2).map((th) => th.name);
          assert.deepEqual(order, ["x", "y"]);
        },
      };
    })(),
    ...garbageRows(
      "value_ptr",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_futex_requeue(f.t, x, 1, 0, f.word(0), 1, 0),
    ),
    ...garbageRows(
      "requeue_ptr",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_futex_requeue(f.t, f.word(0), 1, 0, x, 1, 0),
    ),
    // A negative count is a uint32 seen as an int32 (as zx_futex_wake takes it).
    ...garbageRows(
      "wake_count",
      ZX_ERR_INVALID_ARGS,
      (f, x) => f.k.zx_futex_requeue(f.t, f.word(0), x, 0, f.word(0), 1, 0),
      GARBAGE.filter(([label]) => label !== "negative"),
    ),
  ],
};

for (const [syscall, rows] of Object.entries(TABLES)) {
  for (const row of rows) {
    Deno.test(`${syscall}: ${row.name} -> ${statusName(row.want)}`, () => {
      const f = new Fx();
      const call = row.call(f);
      let result: unknown;
      try {
        result = runSync(call);
      } catch (e) {
        throw new Error(`${syscall} threw instead of returning a status: ${e}`);
      }
      assert.equal(statusName(statusOf(result)), statusName(row.want));
      if (
        statusOf(result) !== ZX_OK && Array.isArray(result) && typeof result[1] === "number" &&
        spec(syscall as SyscallName).valueOnError !== true
      ) {
        assert.equal(result[1], 0, "a failed call hands out no handle or value");
      }
      row.check?.(f, result);
    });
  }
}

/** Level-2 calls: their error conditions are conformance/ cases (resize, dirty, clone, query_stats). */
const LEVEL2 = new Set([
  "zx_vmo_set_size",
  "zx_vmo_create_child",
  "zx_pager_query_dirty_ranges",
  "zx_pager_query_vmo_stats",
]);

Deno.test("every call of the syscall table has an error table (level 2: conformance/)", () => {
  // Memory accesses return no status; a call added to the table must add its rows here.
  const expected = SYSCALL_NAMES.filter((n) => spec(n).result !== "none" && !LEVEL2.has(n));
  assert.deepEqual(Object.keys(TABLES).sort(), [...expected].sort());
  for (const name of expected) {
    assert.equal(typeof (Kernel.prototype as unknown as Record<string, unknown>)[name], "function");
  }
});
