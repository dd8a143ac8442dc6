/**
 * Generating and mutating syscall programs, resource-aware in syzkaller's
 * way: a handle argument is usually a live handle of the right type and
 * rights made by an earlier call (its constructor is generated first when
 * none exists), and sometimes a closed handle, one of the wrong type, one
 * with too few rights (made by `zx_handle_replace`), or garbage; numbers are
 * usually page-aligned and in range, and sometimes unaligned, overflowing,
 * huge, or carry an unknown option bit. A call with an optional user buffer
 * (`zx_vmo_read`, `zx_vmo_write`, `zx_object_get_info`) sometimes gets one: an
 * address inside a mapping (often of a pager VMO, sometimes of the VMO the
 * call reads or writes), so the kernel's copy faults, raises a request and
 * parks; rarely an unmapped one.
 *
 * One generator serves two sources of randomness: a seeded {@linkcode Rng}
 * (campaigns) and fast-check's `fc.gen()` ({@linkcode programArbitrary}, which
 * shrinks every draw, so fast-check shrinks programs like any arbitrary).
 *
 * @module
 */

import fc from "npm:fast-check@4.11.0";
import {
  LIMITS,
  PAGER_FAIL_CODES,
  ZX_BTI_COMPRESS,
  ZX_BTI_CONTIGUOUS,
  ZX_BTI_PERM_READ,
  ZX_BTI_PERM_WRITE,
  ZX_DEFAULT_PAGER_RIGHTS,
  ZX_DEFAULT_PORT_RIGHTS,
  ZX_DEFAULT_THREAD_RIGHTS,
  ZX_DEFAULT_VMAR_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_IO,
  ZX_ERR_NO_MEMORY,
  ZX_EVENT_SIGNALED,
  ZX_INFO_VMO,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_PAGER_RESET_VMO_STATS,
  ZX_PAGER_VMO_STATS_SIZE,
  ZX_RIGHT_ATTACH_VMO,
  ZX_RIGHT_DESTROY,
  ZX_RIGHT_DUPLICATE,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_INSPECT,
  ZX_RIGHT_MANAGE_VMO,
  ZX_RIGHT_MAP,
  ZX_RIGHT_READ,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_RIGHT_WRITE,
  ZX_USER_SIGNAL_0,
  ZX_VM_CAN_MAP_EXECUTE,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_MAP_RANGE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VM_SPECIFIC,
  ZX_VM_SPECIFIC_OVERWRITE,
  ZX_VMAR_OP_ALWAYS_NEED,
  ZX_VMAR_OP_COMMIT,
  ZX_VMAR_OP_DECOMMIT,
  ZX_VMAR_OP_DONT_NEED,
  ZX_VMAR_OP_MAP_RANGE,
  ZX_VMAR_OP_PREFETCH,
  ZX_VMO_CHILD_NO_WRITE,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_DONT_NEED,
  ZX_VMO_OP_LOCK,
  ZX_VMO_OP_PREFETCH,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
  ZX_VMO_UNBOUNDED,
  ZX_VMO_ZERO_CHILDREN,
  ZX_WAIT_ASYNC_ONCE,
} from "../kernel/constants.ts";
import { present } from "../kernel/assert.ts";
import { spec } from "../kernel/syscalls.ts";
import type { Rng } from "../sim/rng.ts";
import { UPSTREAM_STATUS } from "../properties/_zx_status.ts";
import {
  type Arg,
  CALL_NAMES,
  callCount,
  type CallName,
  type CallRef,
  CALLS,
  insertCalls,
  isPagerVmo,
  type Param,
  producedKind,
  type Produces,
  type Program,
  type ProgramCall,
  type ProgramThread,
  removeCall,
  removeThread,
} from "./program.ts";

/** A source of uniform choices: `int(n)` is in `[0, n)`. */
export interface Draw {
  int(n: number): number;
}

/** A draw from a seeded generator. */
export function rngDraw(rng: Rng): Draw {
  return { int: (n) => (n <= 1 ? 0 : rng.int(n)) };
}

/** Options of program generation. */
export interface GenerateOptions {
  /** Most program threads. Default 3. */
  readonly maxThreads?: number;
  /** Most calls a thread starts with (constructors may add a few). Default 12. */
  readonly maxCalls?: number;
  /**
   * Weights that replace the syscall table's for some calls (e.g. to draw the
   * rarely drawn VMAR sub-region and BTI calls more often). Default: the table's weights.
   */
  readonly weights?: Readonly<Partial<Record<CallName, number>>>;
  /**
   * One program in this many gets a sub-region laid out by hand at the start of one thread
   * (`CallBuilder.regionLayout`: it runs before anything of the thread can block), drawn after
   * everything else. Default: none (program fuzzing
   * and its corpus are drawn as before).
   */
  readonly regionLayouts?: number;
  /** The same for pins laid out by hand (`CallBuilder.pinLayout`), drawn after the region's. */
  readonly pinLayouts?: number;
  /** The same for an event signalled and waited on (`CallBuilder.signalLayout`), drawn last. */
  readonly signalLayouts?: number;
  /**
   * Draw a request layout ({@linkcode requestLayout}) in one program in this many; unset: none,
   * and no draw (the campaign judge's probes stay call-for-call what they were).
   */
  readonly requestLayouts?: number;
}

/** How often each call is chosen: the syscall table's weights (pager traffic first). */
const WEIGHTS: Readonly<Record<CallName, number>> = Object.fromEntries(
  CALL_NAMES.map((name) => [name, spec(name).weight]),
) as Record<CallName, number>;
const CALL_LIST = CALL_NAMES;
const TOTAL_WEIGHT = CALL_LIST.reduce((n, c) => n + WEIGHTS[c], 0);

/** Handle values no call returns, and other garbage a handle argument may be. */
const GARBAGE_HANDLES = [0, 1, -1, 0x7fff_fff8, 2 ** 32 + 0x10, 0.5];
/**
 * Sizes and offsets past every limit (the model's max VMO is 2^40 bytes), and one no u64 can be
 * (a negative multiple of every page size: aligned, so it reaches the calls' u64 checks; a C
 * caller cannot pass it, the model's garbage-argument checks refuse it).
 */
const HUGE = [2 ** 40 + 4096, 2 ** 53, 2 ** 64 - 4096, 2 ** 64, -(2 ** 16)];

/** Garbage `data` for `zx_pager_op_range` (for OP_FAIL; 0 is the other ops' own). */
const BAD_DATA: readonly number[] = [0, 1, -1, ZX_ERR_NO_MEMORY, 2 ** 31];

function pick<T>(d: Draw, list: readonly T[]): T {
  return list[d.int(list.length)];
}

function pickCall(d: Draw, over?: Readonly<Partial<Record<CallName, number>>>): CallName {
  const w = (c: CallName) => over?.[c] ?? WEIGHTS[c];
  let x = d.int(over === undefined ? TOTAL_WEIGHT : CALL_LIST.reduce((n, c) => n + w(c), 0));
  for (const c of CALL_LIST) {
    x -= w(c);
    if (x < 0) return c;
  }
  return CALL_LIST[0];
}

/** The resources a call argument may need a constructor for. */
type Kind = "pager" | "port" | "vmo" | "aux" | "addr" | "packet" | "vmar" | "bti" | "pmt";

/** A resource a new call may name. */
interface Producer {
  readonly ref: CallRef;
  readonly kind: Produces;
  readonly pagerVmo: boolean;
  /** A child VMO {@linkcode CallBuilder} made for a VMO argument (never an aux VMO's stand-in). */
  readonly child?: boolean;
}

/** Builds the calls to insert at one position of one thread, constructors first. */
class CallBuilder {
  readonly calls: ProgramCall[] = [];
  readonly #producers: Producer[];
  /** The call whose arguments are being drawn. */
  #calling: CallName | null = null;

  constructor(
    readonly d: Draw,
    readonly program: Program,
    readonly thread: number,
    readonly index: number,
  ) {
    this.#producers = [];
    program.threads.forEach((t, ti) => {
      const n = ti === thread ? index : t.calls.length;
      for (let c = 0; c < n; c++) {
        const ref: CallRef = [ti, c];
        const kind = producedKind(program, ref);
        if (kind !== null) this.#producers.push({ ref, kind, pagerVmo: isPagerVmo(program, ref) });
      }
    });
  }

  get #ps(): number {
    return this.program.pageSize;
  }

  /**
   * A pager VMO made with OPTIONS and SIZE bytes through a pager and port of its own, for the
   * draw-free ends of the layouts (nobody serves it: a read of it parks until the cleanup).
   */
  #pagerVmo(options: number, size: number): CallRef {
    const pager = this.#emit({ call: "zx_pager_create", args: [0] }, "pager");
    const port = this.#emit({ call: "zx_port_create", args: [0] }, "port");
    return this.#emit(
      { call: "zx_pager_create_vmo", args: [{ h: pager }, options, { h: port }, 0, size] },
      "vmo",
      true,
    );
  }

  /** Appends a call; returns the reference later calls use for it. */
  #emit(call: ProgramCall, kind: Produces, pagerVmo = false, child = false): CallRef {
    // (pagerVmo is inherited by a replacement of a pager VMO handle, below.)
    const ref: CallRef = [this.thread, this.index + this.calls.length];
    this.calls.push(call);
    const src = call.args[0];
    if (
      (call.call === "zx_handle_close" || call.call === "zx_handle_replace") &&
      typeof src === "object" && "h" in src
    ) {
      // The handle is gone for the calls after this one in this thread: name its successor instead.
      const i = this.#producers.findIndex((p) => p.ref[0] === src.h[0] && p.ref[1] === src.h[1]);
      if (i >= 0) {
        pagerVmo = this.#producers[i].pagerVmo;
        this.#producers.splice(i, 1);
      }
    }
    if (kind !== null) this.#producers.push({ ref, kind, pagerVmo, ...(child ? { child } : {}) });
    return ref;
  }

  /** Producers of `kind` (VMOs: pager VMOs or not; the children made for VMO arguments are neither). */
  #of(kind: Produces, pagerVmo?: boolean): Producer[] {
    return this.#producers.filter((p) =>
      p.kind === kind && (pagerVmo === undefined || (p.pagerVmo === pagerVmo && !p.child))
    );
  }

  /** A resource of `kind`: an existing one, usually; a fresh constructor otherwise. */
  #resource(kind: Kind, depth: number): CallRef | null {
    const d = this.d;
    const pagerVmo = kind === "vmo" ? true : kind === "aux" ? false : undefined;
    const k: Produces = kind === "aux" ? "vmo" : kind;
    const have = this.#of(k, pagerVmo);
    // Own-thread resources exist by the time the call runs; another thread's may not yet.
    const own = have.filter((p) => p.ref[0] === this.thread);
    const fresh = own.length === 0 ? d.int(4) !== 0 : d.int(10) === 0;
    if (!fresh || depth > 3) {
      const from = own.length > 0 && d.int(4) !== 0 ? own : have;
      return from.length > 0 ? pick(d, from).ref : null;
    }
    return this.#construct(kind, depth + 1);
  }

  #construct(kind: Kind, depth: number): CallRef | null {
    const d = this.d;
    const ps = this.#ps;
    switch (kind) {
      case "pager":
        return this.#emit({ call: "zx_pager_create", args: [0] }, "pager");
      case "port":
        return this.#emit({ call: "zx_port_create", args: [0] }, "port");
      case "vmo": {
        const pager = this.#resource("pager", depth);
        const port = this.#resource("port", depth);
        const h = (r: CallRef | null): Arg => (r === null ? 0 : { h: r });
        return this.#emit(
          {
            call: "zx_pager_create_vmo",
            args: [
              h(pager),
              d.int(6) === 0 ? ZX_VMO_RESIZABLE : 0,
              h(port),
              d.int(4),
              (1 + d.int(8)) * ps,
            ],
          },
          "vmo",
          true,
        );
      }
      case "aux": {
        const pages = 1 + d.int(4);
        const ref = this.#emit({ call: "zx_vmo_create", args: [pages * ps, 0] }, "vmo");
        if (d.int(3) !== 0) {
          this.#emit({
            call: "zx_vmo_write",
            args: [{ h: ref }, { bytes: pages * ps, fill: 1 + d.int(255) }, 0],
          }, null);
        }
        return ref;
      }
      case "addr": {
        const vmo = this.#resource(d.int(3) === 0 ? "aux" : "vmo", depth);
        if (vmo === null) return null;
        return this.#emit({
          call: "zx_vmar_map",
          args: [
            { vmar: 0 },
            ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
            0,
            { h: vmo },
            0,
            (1 + d.int(4)) * ps,
          ],
        }, "addr");
      }
      case "packet": {
        const port = this.#resource("port", depth);
        if (port === null) return null;
        return this.#emit(
          { call: "zx_port_wait", args: [{ h: port }, { after: d.int(40) }] },
          "packet",
        );
      }
      case "vmar":
        // A sub-region of the root that mappings may go into (with SPECIFIC placements too).
        return this.#emit({
          call: "zx_vmar_allocate",
          args: [
            { vmar: 0 },
            ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE |
            (d.int(2) === 0 ? ZX_VM_CAN_MAP_SPECIFIC : 0),
            0,
            (2 + d.int(8)) * ps,
          ],
        }, "vmar");
      case "bti":
        return this.#emit({ call: "zx_bti_create", args: [0, d.int(4)] }, "bti");
      case "pmt": {
        const bti = this.#resource("bti", depth);
        const vmo = this.#resource(d.int(3) === 0 ? "aux" : "vmo", depth);
        if (bti === null || vmo === null) return null;
        return this.#emit({
          call: "zx_bti_pin",
          args: [
            { h: bti },
            d.int(2) === 0 ? ZX_BTI_PERM_READ : ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE,
            { h: vmo },
            d.int(2) * ps,
            (1 + d.int(2)) * ps,
          ],
        }, "pmt");
      }
    }
  }

  /** A handle argument for a parameter: mostly right, sometimes wrong in one way. */
  #handle(param: Param): Arg {
    const d = this.d;
    const r = d.int(100);
    if (param === "thread" && r < 85) return { thread: d.int(this.program.threads.length) };
    if (param === "vmar" && r < 90) {
      // The root mostly; a sub-region (an existing one or a fresh one) a quarter of the time.
      const sub = d.int(4) === 0 ? this.#resource("vmar", 0) : null;
      return sub === null ? { vmar: 0 } : { h: sub };
    }
    if (r < 80 && param === "vmo" && this.#takesChild() && d.int(3) === 0) {
      const child = this.#child(0);
      if (child !== null) return { h: child };
    }
    if (r < 80) {
      const kind = param === "handle"
        ? pick(d, ["vmo", "port", "pager", "aux", "vmo"] as const)
        : param === "pager" || param === "port" || param === "vmo" || param === "aux" ||
            param === "bti" || param === "pmt"
        ? param
        : "vmo";
      const ref = this.#resource(kind, 0);
      if (param === "handle" && d.int(8) === 0) {
        return { thread: d.int(this.program.threads.length) };
      }
      return ref === null ? pick(d, GARBAGE_HANDLES) : { h: ref };
    }
    if (r < 87) {
      const others = this.#producers.filter((p) =>
        p.kind !== "addr" && p.kind !== "packet" && p.kind !== param
      );
      if (others.length > 0) return { h: pick(d, others).ref };
      return d.int(2) === 0 ? { vmar: 0 } : { thread: 0 };
    }
    if (r < 93) return this.#reducedRights(param);
    if (r < 97) return pick(d, GARBAGE_HANDLES);
    const live = this.#producers.filter((p) => p.kind !== "addr" && p.kind !== "packet");
    if (live.length === 0) return pick(d, GARBAGE_HANDLES);
    const victim = pick(d, live).ref;
    this.#emit({ call: "zx_handle_close", args: [{ h: victim }] }, null);
    return { h: victim };
  }

  /**
   * Whether the call being drawn may name a child VMO where it names a VMO: any call but the
   * pager's own (a child there is INVALID_ARGS, which wrong handles already draw).
   */
  #takesChild(): boolean {
    const name = this.#calling;
    return name !== null && !CALLS[name].params.includes("pager");
  }

  /**
   * A child of a pager VMO: an existing one of this thread's, usually; else a new slice,
   * reference or clone (of a parent supplied whole first, half the time) made to fit its parent (a slice inside it; a clone from a page of it, up
   * to two pages past its end), so reads and writes through children reach their pages, past
   * their parent limits too. A quarter of the new ones are children of a child.
   */
  #child(depth: number): CallRef | null {
    const d = this.d;
    const ps = this.#ps;
    const children = this.#producers.filter((p) => p.child === true && p.ref[0] === this.thread);
    if (children.length > 0 && d.int(3) !== 0) return pick(d, children).ref;
    // A fresh pager VMO half the time: one made with arguments that work, in this thread.
    const parent = children.length > 0 && d.int(4) === 0
      ? pick(d, children).ref
      : d.int(2) === 0
      ? this.#construct("vmo", depth + 1)
      : this.#resource("vmo", depth + 1);
    if (parent === null) return null;
    const made = this.#callOf(parent);
    const size = made?.call === "zx_pager_create_vmo" ? made.args[4] : made?.args[3];
    const pages = typeof size === "number" && size > 0 ? Math.ceil(size / ps) : 1 + d.int(4);
    if (made?.call === "zx_pager_create_vmo" && d.int(2) === 0) {
      // Half the time the parent is supplied whole first, from an aux VMO of one fill, so that
      // reads through the child find pages and what they hold is known.
      const aux = this.#emit({ call: "zx_vmo_create", args: [pages * ps, 0] }, "vmo");
      this.#emit({
        call: "zx_vmo_write",
        args: [{ h: aux }, { bytes: pages * ps, fill: 1 + d.int(255) }, 0],
      }, null);
      this.#emit({
        call: "zx_pager_supply_pages",
        args: [made.args[0], { h: parent }, 0, pages * ps, { h: aux }, 0],
      }, null);
    }
    const type = pick(d, [
      ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
      ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE | ZX_VMO_CHILD_RESIZABLE,
      ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
      ZX_VMO_CHILD_SLICE,
      ZX_VMO_CHILD_REFERENCE,
    ]);
    const first = type === ZX_VMO_CHILD_REFERENCE ? 0 : d.int(pages);
    const count = type === ZX_VMO_CHILD_SLICE
      ? 1 + d.int(pages - first)
      : 1 + d.int(pages - first + 2);
    return this.#emit(
      {
        call: "zx_vmo_create_child",
        args: [{ h: parent }, type, first * ps, count * ps],
      },
      "vmo",
      false,
      true,
    );
  }

  /**
   * A read or write of a child VMO made here gets, three times in four, a range inside the
   * child (its size is known from its creation), so that it reaches the child's pages instead of
   * being OUT_OF_RANGE as most independently drawn ranges are.
   */
  #fitToChild(name: CallName, args: Arg[]): void {
    const d = this.d, ps = this.#ps;
    if (name !== "zx_vmo_read" && name !== "zx_vmo_write") return;
    const h = args[0];
    if (typeof h !== "object" || !("h" in h)) return;
    const made = this.#callOf(h.h);
    const size = made?.call === "zx_vmo_create_child" ? made.args[3] : undefined;
    if (typeof size !== "number" || size < ps || d.int(4) === 0) return;
    const pages = Math.floor(size / ps);
    const first = d.int(pages);
    const bytes = (1 + d.int(pages - first)) * ps - (d.int(4) === 0 ? 1 + d.int(ps - 1) : 0);
    if (name === "zx_vmo_read") {
      args[1] = first * ps;
      args[2] = bytes;
    } else {
      args[1] = { bytes, fill: d.int(256) };
      args[2] = first * ps;
    }
  }

  /** A handle with one right fewer than its default, made by zx_handle_replace. */
  #reducedRights(param: Param): Arg {
    const d = this.d;
    const kind = param === "pager"
      ? "pager"
      : param === "port"
      ? "port"
      : param === "aux"
      ? "aux"
      : "vmo";
    const src = this.#resource(kind, 0);
    if (src === null) return pick(d, GARBAGE_HANDLES);
    const base = kind === "pager"
      ? ZX_DEFAULT_PAGER_RIGHTS
      : kind === "port"
      ? ZX_DEFAULT_PORT_RIGHTS
      : ZX_DEFAULT_VMO_RIGHTS;
    const bit = pick(d, [
      ZX_RIGHT_READ,
      ZX_RIGHT_WRITE,
      ZX_RIGHT_MAP,
      ZX_RIGHT_DUPLICATE,
      ZX_RIGHT_INSPECT,
      ZX_RIGHT_MANAGE_VMO,
      ZX_RIGHT_ATTACH_VMO,
    ]);
    const ref = this.#emit(
      { call: "zx_handle_replace", args: [{ h: src }, (base & ~bit) >>> 0] },
      producedKind(this.program, src) ?? (kind === "aux" ? "vmo" : kind),
    );
    return { h: ref };
  }

  #offset(): number {
    const d = this.d, ps = this.#ps, r = d.int(20);
    if (r < 16) return d.int(8) * ps;
    if (r < 18) return d.int(8) * ps + pick(d, [1, ps >> 1, ps - 1]);
    return pick(d, HUGE);
  }

  #length(): number {
    const d = this.d, ps = this.#ps, r = d.int(20);
    if (r < 15) return (1 + d.int(4)) * ps;
    if (r < 16) return 0;
    if (r < 18) return pick(d, [1, ps >> 1, ps + 1, 3 * ps - 7]);
    return pick(d, HUGE);
  }

  #packetField(field: "offset" | "length"): Arg {
    const d = this.d;
    const waits = this.#of("packet");
    if (waits.length > 0 && d.int(5) < 2) return { pkt: pick(d, waits).ref, field };
    return field === "offset" ? this.#offset() : this.#length();
  }

  /**
   * A supply or OP_FAIL range, often from a packet dequeued from the VMO's
   * own port first (the way a pager service answers a request).
   */
  #servedField(param: "pktOffset" | "pktLength", args: readonly Arg[]): Arg {
    const field = param === "pktOffset" ? "offset" : "length";
    const vmo = args[args.length - (field === "offset" ? 1 : 2)];
    if (field === "length") {
      const prev = args[args.length - 1];
      if (typeof prev === "object" && "pkt" in prev && this.d.int(5) !== 0) {
        return { pkt: prev.pkt, field };
      }
      return this.#packetField(field);
    }
    if (typeof vmo !== "object" || !("h" in vmo) || this.d.int(2) === 0) {
      return this.#packetField(field);
    }
    const created = this.#callOf(vmo.h);
    const port = created?.call === "zx_pager_create_vmo" ? created.args[2] : undefined;
    if (typeof port !== "object" || !("h" in port)) return this.#packetField(field);
    const wait = this.#emit({
      call: "zx_port_wait",
      args: [port, { after: pick(this.d, [5, 20, 100]) }],
    }, "packet");
    return { pkt: wait, field };
  }

  /**
   * `zx_pager_op_range`'s `data` for `op`: mostly one the op takes (a fail code for OP_FAIL; 0,
   * or ZX_VMO_DIRTY_RANGE_IS_ZERO, for the others), else garbage (IS_ZERO only WRITEBACK_BEGIN
   * takes). As many draws for every op, so the rest of a program is drawn as before whatever op
   * came first.
   */
  #opData(op: Arg): Arg {
    const d = this.d;
    if (op === ZX_PAGER_OP_FAIL) return this.#arg("failData");
    return d.int(5) < 3
      ? pick(d, [0, 0, 0, 0, ZX_VMO_DIRTY_RANGE_IS_ZERO])
      : pick(d, [2, -1, ZX_ERR_IO, 2 ** 31, ZX_VMO_DIRTY_RANGE_IS_ZERO]);
  }

  #callOf(r: CallRef): ProgramCall | undefined {
    if (r[0] === this.thread && r[1] >= this.index) return this.calls[r[1] - this.index];
    return this.program.threads[r[0]]?.calls[r[1]];
  }

  #arg(param: Param): Arg {
    const d = this.d, ps = this.#ps;
    switch (param) {
      case "pager":
      case "port":
      case "vmo":
      case "aux":
      case "thread":
      case "vmar":
      case "bti":
      case "pmt":
      case "handle":
        return this.#handle(param);
      case "btiOptions":
        return d.int(10) < 8
          ? pick(d, [ZX_BTI_PERM_READ, ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE, ZX_BTI_PERM_WRITE])
          : pick(d, [0, ZX_BTI_PERM_READ | ZX_BTI_COMPRESS, 2 ** d.int(32)]);
      case "options":
        return d.int(10) === 0 ? 2 ** d.int(32) : 0;
      case "vmoOptions":
        return d.int(10) < 7 ? 0 : pick(d, [
          ZX_VMO_RESIZABLE,
          ZX_VMO_TRAP_DIRTY,
          ZX_VMO_DISCARDABLE,
          ZX_VMO_UNBOUNDED,
          2 ** d.int(32),
        ]);
      case "size": {
        const r = d.int(20);
        if (r < 16) return (1 + d.int(8)) * ps;
        if (r < 18) return (1 + d.int(8)) * ps - 1 - d.int(ps - 1);
        if (r < 19) return 0;
        return pick(d, HUGE);
      }
      case "key":
        return d.int(8) === 0 ? 2 ** 32 + d.int(4) : d.int(4);
      case "offset":
        return this.#offset();
      case "length":
        return this.#length();
      case "pktOffset":
        return this.#packetField("offset");
      case "pktLength":
        return this.#packetField("length");
      case "pagerOp":
        return d.int(2) === 0 ? ZX_PAGER_OP_FAIL : pick(d, [
          ZX_PAGER_OP_WRITEBACK_BEGIN,
          ZX_PAGER_OP_WRITEBACK_END,
          ZX_PAGER_OP_DIRTY,
          0,
          5,
        ]);
      case "failData":
        return d.int(5) < 4 ? pick(d, PAGER_FAIL_CODES) : pick(d, BAD_DATA);
      case "vmoOp":
        return d.int(5) < 3 ? ZX_VMO_OP_COMMIT : pick(d, [
          ZX_VMO_OP_DECOMMIT,
          ZX_VMO_OP_ZERO,
          ZX_VMO_OP_ALWAYS_NEED,
          ZX_VMO_OP_DONT_NEED,
          ZX_VMO_OP_PREFETCH,
          ZX_VMO_OP_LOCK,
          0,
        ]);
      case "userBuffer": // optional: drawn by #userBuffer, for the calls that get one
        return this.#arg("address");
      case "vmarOp":
        return pick(d, [
          ZX_VMAR_OP_COMMIT,
          ZX_VMAR_OP_COMMIT,
          ZX_VMAR_OP_DECOMMIT,
          ZX_VMAR_OP_MAP_RANGE,
          ZX_VMAR_OP_ALWAYS_NEED,
          ZX_VMAR_OP_DONT_NEED,
          ZX_VMAR_OP_PREFETCH,
          ZX_VMO_OP_ZERO,
        ]);
      case "protectOptions":
        return pick(d, [
          ZX_VM_PERM_READ,
          ZX_VM_PERM_READ,
          ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
          ZX_VM_PERM_WRITE,
          0,
        ]);
      case "vmarOptions":
        return pick(d, [
          ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE,
          ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_SPECIFIC,
          ZX_VM_CAN_MAP_READ | ZX_VM_PERM_READ,
        ]);
      case "rights": {
        const r = d.int(10);
        if (r < 4) return ZX_RIGHT_SAME_RIGHTS;
        const base = pick(d, [
          ZX_DEFAULT_VMO_RIGHTS,
          ZX_DEFAULT_PORT_RIGHTS,
          ZX_DEFAULT_THREAD_RIGHTS,
          ZX_DEFAULT_PAGER_RIGHTS,
        ]);
        if (r < 8) {
          return (base &
            ~pick(d, [
              ZX_RIGHT_READ,
              ZX_RIGHT_WRITE,
              ZX_RIGHT_DESTROY,
              ZX_RIGHT_MANAGE_VMO,
              ZX_RIGHT_DUPLICATE,
            ])) >>> 0;
        }
        return r < 9 ? 0 : 2 ** d.int(31);
      }
      case "topic":
        return d.int(10) === 0 ? pick(d, [0, 1, ZX_INFO_VMO + 1]) : ZX_INFO_VMO;
      case "childOptions":
        return d.int(10) === 0 ? 2 ** d.int(32) : pick(d, [
          ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
          ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE | ZX_VMO_CHILD_RESIZABLE,
          ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE | ZX_VMO_CHILD_NO_WRITE,
          ZX_VMO_CHILD_SLICE,
          ZX_VMO_CHILD_REFERENCE,
          ZX_VMO_CHILD_SNAPSHOT,
          ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
        ]);
      case "bufferSize":
        return d.int(8) === 0 ? 0 : pick(d, [4, 16, 64, 1024]);
      case "deadline":
        return d.int(8) === 0 ? 0 : { after: pick(d, [0, 1, 5, 20, 100]) };
      case "buffer":
        return { bytes: d.int(8) === 0 ? 0 : 1 + d.int(3 * ps), fill: d.int(256) };
      case "userPacket":
        return { packet: d.int(4) };
      case "mapOptions":
        return pick(d, [
          ZX_VM_PERM_READ,
          ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
          ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
          ZX_VM_PERM_WRITE,
          ZX_VM_PERM_READ | ZX_VM_SPECIFIC,
          ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_SPECIFIC_OVERWRITE,
          ZX_VM_PERM_READ | ZX_VM_MAP_RANGE,
          ZX_VM_PERM_READ | 2 ** (12 + d.int(19)),
        ]);
      case "vmarOffset":
        return d.int(5) === 0 ? d.int(4) * ps : 0;
      case "address": {
        const ref = this.#resource("addr", 0);
        if (ref === null || d.int(10) === 0) return pick(d, [0, 0x7000_0000]);
        return { addr: ref, plus: d.int(4) * ps + (d.int(4) === 0 ? d.int(ps) : 0) };
      }
    }
  }

  /**
   * Whether to give a call its optional user buffer, and which: a quarter of the time when a
   * mapping exists, rarely otherwise. Half of those calls are made to reach their copy: the call
   * is well formed (an anonymous VMO's handle, offset 0, one page) and the buffer is the start
   * of a mapping of a pager VMO, so the copy faults on the pager VMO, raises a request and parks
   * ({@linkcode CallBuilder.#copyThroughPager}); otherwise the buffer is a mapping of the call's
   * own VMO (half the time, when there is one) or the "address" draw, which usually maps
   * something first and sometimes passes an unmapped address. Without the well-formed half,
   * almost every buffered call failed before its copy (seed 1, 3,000 runs: 1 copy in 966 calls
   * raised a request).
   */
  #userBuffer(name: CallName, args: Arg[]): Arg | null {
    const d = this.d;
    const maps = this.#of("addr");
    if (d.int(maps.length > 0 ? 4 : 16) !== 0) return null;
    if (d.int(2) === 0) {
      const buffer = this.#copyThroughPager(name, args);
      if (buffer !== null) return buffer;
    }
    const own = args[0];
    if (typeof own === "object" && "h" in own && d.int(2) === 0) {
      const same = maps.filter((m) => {
        const v = this.#callOf(m.ref)?.args[3];
        return typeof v === "object" && "h" in v && v.h[0] === own.h[0] && v.h[1] === own.h[1];
      });
      if (same.length > 0) return { addr: pick(d, same).ref, plus: d.int(2) * this.#ps };
    }
    return this.#arg("userBuffer");
  }

  /**
   * Makes `args` a call that reaches its user copy: an anonymous VMO's handle (one that needs no
   * pager), offset 0, one page; returns a buffer at a mapping of a pager VMO (mapped first if
   * none is), or null when no such mapping can be made.
   */
  #copyThroughPager(name: CallName, args: Arg[]): Arg | null {
    const d = this.d, ps = this.#ps;
    const pagerMaps = this.#of("addr").filter((m) => {
      const v = this.#callOf(m.ref)?.args[3];
      return typeof v === "object" && "h" in v &&
        this.#producers.some((p) => p.pagerVmo && p.ref[0] === v.h[0] && p.ref[1] === v.h[1]);
    });
    let map: CallRef | null = pagerMaps.length > 0 && d.int(4) !== 0
      ? pick(d, pagerMaps).ref
      : null;
    if (map === null) {
      const vmo = this.#resource("vmo", 1);
      if (vmo === null) return null;
      map = this.#emit({
        call: "zx_vmar_map",
        args: [{ vmar: 0 }, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, { h: vmo }, 0, ps],
      }, "addr");
    }
    if (name === "zx_vmo_read" || name === "zx_vmo_write") {
      const anon = this.#resource("aux", 1);
      if (anon === null) return null;
      args[0] = { h: anon };
      if (name === "zx_vmo_read") {
        args[1] = 0;
        args[2] = ps;
      } else {
        args[1] = { bytes: ps, fill: 1 + d.int(255) };
        args[2] = 0;
      }
    }
    return { addr: map, plus: 0 };
  }

  /**
   * A sub-region laid out by hand ({@linkcode GenerateOptions.regionLayouts}): a fresh region
   * with CAN_MAP_SPECIFIC (and CAN_MAP_WRITE three times in four), a SPECIFIC mapping of a fresh
   * anonymous VMO at its first or second page, a second one right after it, one page over it or
   * one page past it (SPECIFIC or SPECIFIC_OVERWRITE), then one to three calls that walk that
   * layout: `zx_vmar_op_range` over both mappings from the region or from the root (or COMMIT
   * through a duplicate of the region's handle without WRITE), a protect of the first mapping,
   * of a page of it or of both, the first mapping's range mapped again (SPECIFIC: over a
   * mapping; OVERWRITE: replacing it), or the region destroyed (the calls after
   * it then meet a dead region). Random draws seldom place two mappings side by side in one
   * region, and never walk them.
   */
  regionLayout(): void {
    const d = this.d, ps = this.#ps;
    const writable = d.int(4) !== 0;
    const regionPages = 4 + d.int(5);
    const region = this.#emit({
      call: "zx_vmar_allocate",
      args: [
        { vmar: 0 },
        ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ | (writable ? ZX_VM_CAN_MAP_WRITE : 0),
        0,
        regionPages * ps,
      ],
    }, "vmar");
    const perm = ZX_VM_PERM_READ | (writable ? ZX_VM_PERM_WRITE : 0);
    let firstVmo: CallRef | null = null;
    const map = (options: number, page: number, pages: number): CallRef | null => {
      const vmo = this.#construct("aux", 1);
      if (vmo === null) return null;
      firstVmo ??= vmo;
      return this.#emit({
        call: "zx_vmar_map",
        args: [{ h: region }, perm | options, page * ps, { h: vmo }, 0, pages * ps],
      }, "addr");
    };
    const first = d.int(2), firstPages = 1 + d.int(2);
    const a = map(ZX_VM_SPECIFIC, first, firstPages);
    const second = first + firstPages + pick(d, [0, 0, -1, 1]), secondPages = 1 + d.int(2);
    if (
      a === null ||
      map(pick(d, [ZX_VM_SPECIFIC, ZX_VM_SPECIFIC_OVERWRITE]), second, secondPages) === null
    ) {
      return;
    }
    // A SPECIFIC mapping into a region made without CAN_MAP_SPECIFIC (ACCESS_DENIED), of the
    // VMO of the first mapping: no draw, and nothing later calls name.
    const plain = this.#emit({
      call: "zx_vmar_allocate",
      args: [{ vmar: 0 }, ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE, 0, 2 * ps],
    }, null);
    const firstArgs = this.#callOf(a)?.args;
    if (firstArgs !== undefined) {
      this.#emit({
        call: "zx_vmar_map",
        args: [{ h: plain }, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 0, firstArgs[3], 0, ps],
      }, null);
      // ZX_INFO_VMO copied out to the first mapping: read-only a time in four (INVALID_ARGS).
      this.#emit({
        call: "zx_object_get_info",
        args: [firstArgs[3], ZX_INFO_VMO, { addr: a, plus: 0 }],
      }, null);
    }
    // A region that may map executable pages, of the root (which may): random draws ask for
    // CAN_MAP_EXECUTE only with other bits that fail first. Then `plain` destroyed twice: the
    // second finds a dead region (BAD_STATE), as an unmap in it then does. No draws, and
    // nothing later calls name.
    this.#emit({
      call: "zx_vmar_allocate",
      args: [{ vmar: 0 }, ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_EXECUTE, 0, ps],
    }, null);
    this.#emit({ call: "zx_vmar_destroy", args: [{ h: plain }] }, null);
    this.#emit({ call: "zx_vmar_destroy", args: [{ h: plain }] }, null);
    this.#emit({ call: "zx_vmar_unmap", args: [{ h: plain }, 0, ps] }, null); // dead: BAD_STATE
    const span = (Math.max(first + firstPages, second + secondPages) - first) * ps;
    for (let n = 1 + d.int(3); n > 0; n--) {
      switch (d.int(6)) {
        case 0:
        case 1:
          this.#emit({
            call: "zx_vmar_op_range",
            args: [
              d.int(2) === 0 ? { h: region } : { vmar: 0 },
              pick(d, [
                ZX_VMAR_OP_MAP_RANGE,
                ZX_VMAR_OP_MAP_RANGE,
                ZX_VMAR_OP_COMMIT,
                ZX_VMAR_OP_DONT_NEED,
              ]),
              { addr: a, plus: 0 },
              span,
            ],
          }, null);
          break;
        case 2:
          this.#emit({
            call: "zx_vmar_protect",
            args: [
              { h: region },
              pick(d, [ZX_VM_PERM_READ, perm]),
              { addr: a, plus: 0 },
              pick(d, [firstPages * ps, ps, span]),
            ],
          }, null);
          break;
        case 3:
          map(pick(d, [ZX_VM_SPECIFIC, ZX_VM_SPECIFIC_OVERWRITE]), first, firstPages);
          break;
        case 4: {
          // COMMIT or DECOMMIT through a handle to the region without WRITE (ACCESS_DENIED, even
          // over mappings made writable through the region's own handle).
          const readOnly = this.#emit({
            call: "zx_handle_duplicate",
            args: [{ h: region }, ZX_DEFAULT_VMAR_RIGHTS & ~(ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE)],
          }, "vmar");
          this.#emit({
            call: "zx_vmar_op_range",
            args: [
              { h: readOnly },
              pick(d, [ZX_VMAR_OP_COMMIT, ZX_VMAR_OP_DECOMMIT]),
              { addr: a, plus: 0 },
              span,
            ],
          }, null);
          break;
        }
        default:
          this.#emit({ call: "zx_vmar_destroy", args: [{ h: region }] }, null);
      }
    }
    this.#placements(region, regionPages, perm, present(firstVmo, "the first mapping's VMO"), a);
  }

  /**
   * The end of a region layout, with no draws of its own (the programs drawn before stay as
   * they were): two one-page SPECIFIC sub-regions at the region's last two pages, the first
   * one's end the second one's base; a placement the kernel chooses (two pages of the first
   * mapping's VMO) after the SPECIFIC ones; and MAP_RANGE from the first mapping to the region's
   * end, a walk past direct mappings into sub-regions. Random draws never place a region right
   * before another, nor let the kernel choose after a SPECIFIC placement in the same region.
   */
  #placements(
    region: CallRef,
    regionPages: number,
    perm: number,
    vmo: CallRef,
    first: CallRef,
  ): void {
    const ps = this.#ps;
    for (const page of [regionPages - 1, regionPages - 2]) {
      this.#emit({
        call: "zx_vmar_allocate",
        args: [{ h: region }, ZX_VM_SPECIFIC | ZX_VM_CAN_MAP_READ, page * ps, ps],
      }, "vmar");
    }
    this.#emit({
      call: "zx_vmar_map",
      args: [{ h: region }, perm, 0, { h: vmo }, 0, 2 * ps],
    }, "addr");
    this.#emit({
      call: "zx_vmar_op_range",
      args: [{ h: region }, ZX_VMAR_OP_MAP_RANGE, { addr: first, plus: 0 }, regionPages * ps],
    }, null);
    this.#nestedRegion();
    this.#shrunkTarget();
    this.#regionEdges();
    this.#childCounts();
    this.#protectEdges();
    this.#grantEdges();
  }

  /**
   * The end of a region layout, with no draws (session 21, gapM21): what a parent region and a
   * VMO handle do not grant. A SPECIFIC sub-region asked of a region made without
   * CAN_MAP_SPECIFIC is ACCESS_DENIED (`VmAddressRegion::CreateSubVmarInternal`: "if (specific
   * && !(flags_ & VMAR_FLAG_CAN_MAP_SPECIFIC)) return ZX_ERR_ACCESS_DENIED", vm_address_region.cc
   * @ gnoliyil/fuchsia), and PERM_WRITE protected onto a mapping of a VMO handle without WRITE is
   * ACCESS_DENIED (zx_vmar_protect.md: "insufficient privileges to make the requested
   * protection"; `VmMapping::ProtectLocked` checks the rights the mapping was made with). Random
   * draws and the other tails ask neither: the first is asked only with CAN_MAP_SPECIFIC given
   * (itself refused), the second never with a handle lacking WRITE.
   */
  #grantEdges(): void {
    const ps = this.#ps;
    const loose = this.#emit({
      call: "zx_vmar_allocate",
      args: [{ vmar: 0 }, ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE, 0, 2 * ps],
    }, null);
    this.#emit({
      call: "zx_vmar_allocate",
      args: [{ h: loose }, ZX_VM_SPECIFIC | ZX_VM_CAN_MAP_READ, 0, ps],
    }, null);
    const region = this.#rwRegion(2);
    const vmo = this.#emit({ call: "zx_vmo_create", args: [ps, 0] }, null);
    const readOnly = this.#emit({
      call: "zx_handle_duplicate",
      args: [{ h: vmo }, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE],
    }, null);
    const mapping = this.#emit({
      call: "zx_vmar_map",
      args: [{ h: region }, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 0, { h: readOnly }, 0, ps],
    }, null);
    this.#emit({
      call: "zx_vmar_protect",
      args: [
        { h: region },
        ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
        { addr: mapping, plus: 0 },
        ps,
      ],
    }, null);
  }

  /**
   * A fresh region of `pages` pages in the root VMAR that takes SPECIFIC, readable and writable
   * mappings (no draws): the layouts' tails each start from one.
   */
  #rwRegion(pages: number): CallRef {
    return this.#emit({
      call: "zx_vmar_allocate",
      args: [
        { vmar: 0 },
        ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE,
        0,
        pages * this.#ps,
      ],
    }, null);
  }

  /**
   * The end of a region layout, with no draws of its own: the argument edges of
   * `zx_vmar_protect` and `zx_vmar_unmap` in a fresh four-page region whose layout the contract
   * knows exactly, a two-page sub-region at page 0 and a read-write mapping of a fresh plain
   * VMO at page 2. An unmap and a protect of the sub-region's first page (a range that starts
   * at a sub-region's base and ends inside it: INVALID_ARGS, `unmapIn`, `protectIn`); a protect
   * of the mapping with an option bit protect does not take (ZX_VM_SPECIFIC) and one of no
   * bytes (INVALID_ARGS: sys_vmar_protect); the mapping made read-only (ZX_OK: all of one
   * mapping), then a copy in from it (`zx_vmo_write`: a load, ZX_OK, `copyCertain`) and a copy
   * out to it (`zx_vmo_read`: a store, INVALID_ARGS); and `zx_vmar_op_range` through a VMO
   * handle (WRONG_TYPE). Random draws start no range at a sub-region's base, pass protect no
   * other bits and no empty length, never copy through a mapping made read-only, and give
   * `zx_vmar_op_range` VMAR handles only.
   */
  #protectEdges(): void {
    const ps = this.#ps;
    const region = this.#rwRegion(4);
    this.#emit({
      call: "zx_vmar_allocate",
      args: [{ h: region }, ZX_VM_SPECIFIC | ZX_VM_CAN_MAP_READ, 0, 2 * ps],
    }, null);
    const vmo = () => this.#emit({ call: "zx_vmo_create", args: [ps, 0] }, null);
    const mapping = this.#emit({
      call: "zx_vmar_map",
      args: [
        { h: region },
        ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_SPECIFIC,
        2 * ps,
        { h: vmo() },
        0,
        ps,
      ],
    }, null);
    const at = (pages: number) => ({ addr: mapping, plus: pages * ps });
    const protect = (options: number, from: number, len: number) =>
      this.#emit({ call: "zx_vmar_protect", args: [{ h: region }, options, at(from), len] }, null);
    this.#emit({ call: "zx_vmar_unmap", args: [{ h: region }, at(-2), ps] }, null);
    protect(ZX_VM_PERM_READ, -2, ps);
    protect(ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 0, ps);
    protect(ZX_VM_PERM_READ, 0, 0);
    protect(ZX_VM_PERM_READ, 0, ps);
    const other = vmo();
    this.#emit({
      call: "zx_vmo_write",
      args: [{ h: other }, { bytes: ps, fill: 7 }, 0, at(0)],
    }, null);
    this.#emit({ call: "zx_vmo_read", args: [{ h: other }, 0, ps, at(0)] }, null);
    this.#emit({
      call: "zx_vmar_op_range",
      args: [{ h: other }, ZX_VMAR_OP_COMMIT, at(0), ps],
    }, null);
    // A pager VMO mapped read-write at page 3, decommitted through the region: NOT_SUPPORTED
    // (`mappingDecommitRefused`; random draws decommit through read-only handles only).
    const pager = this.#emit({ call: "zx_pager_create", args: [0] }, null);
    const port = this.#emit({ call: "zx_port_create", args: [0] }, null);
    const paged = this.#emit({
      call: "zx_pager_create_vmo",
      args: [{ h: pager }, 0, { h: port }, 0, ps],
    }, null);
    this.#emit({
      call: "zx_vmar_map",
      args: [
        { h: region },
        ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_SPECIFIC,
        3 * ps,
        { h: paged },
        0,
        ps,
      ],
    }, null);
    this.#emit({
      call: "zx_vmar_op_range",
      args: [{ h: region }, ZX_VMAR_OP_DECOMMIT, at(1), ps],
    }, null);
  }

  /**
   * The end of a region layout, with no draws of its own: a resizable anonymous VMO of two pages
   * mapped (read and write), shrunk to one page, then a `zx_vmo_read` of a fresh one-page VMO
   * into the mapping's second page and a `zx_vmo_write` from it: each copy's first byte lies past
   * the mapped VMO's end, OUT_OF_RANGE (the contract's `bufferPastEnd`). Random draws never
   * shrink a VMO under a user buffer.
   */
  #shrunkTarget(): void {
    const ps = this.#ps;
    const target = this.#emit({ call: "zx_vmo_create", args: [2 * ps, ZX_VMO_RESIZABLE] }, null);
    const addr = this.#emit({
      call: "zx_vmar_map",
      args: [{ vmar: 0 }, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, { h: target }, 0, 2 * ps],
    }, null);
    this.#emit({ call: "zx_vmo_set_size", args: [{ h: target }, ps] }, null);
    const vmo = this.#emit({ call: "zx_vmo_create", args: [ps, 0] }, null);
    const past = { addr, plus: ps };
    this.#emit({ call: "zx_vmo_read", args: [{ h: vmo }, 0, ps, past] }, null);
    this.#emit({
      call: "zx_vmo_write",
      args: [{ h: vmo }, { bytes: ps, fill: 0x77 }, 0, past],
    }, null);
  }

  /**
   * The end of a region layout, with no draws of its own: a fresh two-page pager VMO (no
   * service: nothing is read) with one at-least-on-write child, a DONT_NEED hint through its
   * own handle (an operation in flight; its end asks whether the VMO still lives), an OP_FAIL
   * of its first page (ZX_OK while it is attached: its handle and its child keep it), then a
   * mapping of it (one handle, one mapping), the hint again and `ZX_INFO_VMO` without a buffer
   * (the contract's `infoCounts`: the child still counted). Random draws seldom hint a pager VMO
   * whose one handle is balanced by one mapping, and never ask for its children then.
   */
  #childCounts(): void {
    const ps = this.#ps;
    const pager = this.#emit({ call: "zx_pager_create", args: [0] }, null);
    const port = this.#emit({ call: "zx_port_create", args: [0] }, null);
    const vmo = this.#emit({
      call: "zx_pager_create_vmo",
      args: [{ h: pager }, 0, { h: port }, 0, 2 * ps],
    }, null);
    this.#emit({
      call: "zx_vmo_create_child",
      args: [{ h: vmo }, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, ps],
    }, null);
    const hint = () =>
      this.#emit({ call: "zx_vmo_op_range", args: [{ h: vmo }, ZX_VMO_OP_DONT_NEED, 0, ps] }, null);
    hint();
    this.#emit({
      call: "zx_pager_op_range",
      args: [{ h: pager }, ZX_PAGER_OP_FAIL, { h: vmo }, 0, ps, ZX_ERR_IO],
    }, null);
    this.#emit({
      call: "zx_vmar_map",
      args: [{ vmar: 0 }, ZX_VM_PERM_READ, 0, { h: vmo }, 0, ps],
    }, null);
    hint();
    this.#emit({ call: "zx_object_get_info", args: [{ h: vmo }, ZX_INFO_VMO] }, null);
  }

  /**
   * The end of a region layout, with no draws of its own: the edges of a fresh ten-page region
   * whose layout the contract knows exactly. A two-page sub-region at page 0, a gap at page 2,
   * two SPECIFIC two-page mappings of fresh anonymous VMOs at pages 3 (read-only) and 5 (read
   * and write), a one-page sub-region at page 7 and right after it one at page 8 with a
   * mapping at its first page. Then: a protect of the gap right after the first sub-region
   * (NOT_FOUND); COMMIT from the first mapping's second page into the second mapping (ZX_OK:
   * each VMO's own part); a copy into the mapping at the start of the sub-region that follows
   * another (ZX_OK); a protect of the first mapping's first page to read and write (ZX_OK
   * upstream, which splits the mapping; NOT_SUPPORTED in the model) and a copy into its second
   * page (still read-only: INVALID_ARGS); an unmap of half the first sub-region (INVALID_ARGS),
   * one of the first sub-region, the gap and the first mapping together, then MAP_RANGE over
   * that mapping (a walk over a gap if the unmap
   * said ZX_OK, else over the mapping). Random draws never place a gap, a sub-region and two
   * mappings side by side, nor walk one mapping into the next from its middle.
   */
  #regionEdges(): void {
    const ps = this.#ps;
    const rw = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
    const region = this.#rwRegion(10);
    const sub = (page: number, pages: number, more = 0) =>
      this.#emit({
        call: "zx_vmar_allocate",
        args: [{ h: region }, ZX_VM_SPECIFIC | ZX_VM_CAN_MAP_READ | more, page * ps, pages * ps],
      }, null);
    sub(0, 2);
    const vmo = (pages: number) =>
      this.#emit({ call: "zx_vmo_create", args: [pages * ps, 0] }, null);
    const map = (into: CallRef, perm: number, page: number, pages: number) =>
      this.#emit({
        call: "zx_vmar_map",
        args: [{ h: into }, perm | ZX_VM_SPECIFIC, page * ps, { h: vmo(pages) }, 0, pages * ps],
      }, null);
    const first = map(region, ZX_VM_PERM_READ, 3, 2);
    map(region, rw, 5, 2);
    sub(7, 1);
    const late = map(sub(8, 2, ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_WRITE), rw, 0, 1);
    const source = vmo(1);
    const at = (ref: CallRef, pages: number) => ({ addr: ref, plus: pages * ps });
    this.#emit({
      call: "zx_vmar_protect",
      args: [{ h: region }, ZX_VM_PERM_READ, at(first, -1), ps],
    }, null);
    this.#emit({
      call: "zx_vmar_op_range",
      args: [{ h: region }, ZX_VMAR_OP_COMMIT, at(first, 1), 2 * ps],
    }, null);
    this.#emit({ call: "zx_vmo_read", args: [{ h: source }, 0, ps, at(late, 0)] }, null);
    this.#emit({ call: "zx_vmar_protect", args: [{ h: region }, rw, at(first, 0), ps] }, null);
    this.#emit({ call: "zx_vmo_read", args: [{ h: source }, 0, ps, at(first, 1)] }, null);
    // Half of the first sub-region (INVALID_ARGS), then it, the gap and the first mapping.
    this.#emit({ call: "zx_vmar_unmap", args: [{ h: region }, at(first, -2), 2 * ps] }, null);
    this.#emit({ call: "zx_vmar_unmap", args: [{ h: region }, at(first, -3), 5 * ps] }, null);
    this.#emit({
      call: "zx_vmar_op_range",
      args: [{ h: region }, ZX_VMAR_OP_MAP_RANGE, at(first, 0), 2 * ps],
    }, null);
  }

  /**
   * The end of a region layout, with no draws of its own: a fresh three-page region, a
   * one-page SPECIFIC sub-region at its page 1, SPECIFIC mappings of a fresh anonymous VMO at
   * page 0 (ending where the sub-region begins) and page 2 (beginning where it ends) and one in
   * the sub-region, then MAP_RANGE over the three pages from the region: a walk from a direct
   * mapping into a sub-region's mapping and out again. The contract predicts ZX_OK for each (a
   * free SPECIFIC range; a range mappings cover). Random draws never map next to a sub-region,
   * nor walk a sub-region's mapping between two direct ones.
   */
  #nestedRegion(): void {
    const ps = this.#ps;
    const region = this.#rwRegion(3);
    const sub = this.#emit({
      call: "zx_vmar_allocate",
      args: [{ h: region }, ZX_VM_SPECIFIC | ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ, ps, ps],
    }, null);
    const vmo = this.#emit({ call: "zx_vmo_create", args: [3 * ps, 0] }, null);
    const map = (into: CallRef, page: number) =>
      this.#emit({
        call: "zx_vmar_map",
        args: [{ h: into }, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, page * ps, { h: vmo }, page * ps, ps],
      }, null);
    const first = map(region, 0);
    map(region, 2);
    map(sub, 0);
    this.#emit({
      call: "zx_vmar_op_range",
      args: [{ h: region }, ZX_VMAR_OP_MAP_RANGE, { addr: first, plus: 0 }, 3 * ps],
    }, null);
  }

  /**
   * Pins laid out by hand ({@linkcode GenerateOptions.pinLayouts}): a fresh BTI and a fresh VMO
   * no pager backs (an anonymous one, or a contiguous one a third of the time), then two or
   * three `zx_bti_pin` calls through its handle or a duplicate without READ or WRITE, with the
   * option words the call takes (COMPRESS, CONTIGUOUS, both, with and without the permissions),
   * over one or two pages from a page inside it (the last one's second page past its end),
   * each PMT unpinned or left to the janitor. Random draws seldom pin such a VMO, and then with
   * its own handle and READ or READ|WRITE only.
   */
  pinLayout(): void {
    const d = this.d, ps = this.#ps;
    const pages = 2 + d.int(3);
    const bti = this.#emit({ call: "zx_bti_create", args: [0, d.int(4)] }, "bti");
    const vmo = d.int(3) === 0
      ? this.#emit({ call: "zx_vmo_create_contiguous", args: [{ h: bti }, pages * ps, 0] }, "vmo")
      : this.#emit({ call: "zx_vmo_create", args: [pages * ps, 0] }, "vmo");
    // The alignments just outside the range the call takes, [log2(page size), 64): no draw, and
    // nothing later calls name (a random draw passes 64 once in 320 contiguous creates).
    for (const alignmentLog2 of [Math.log2(ps) - 1, 64]) {
      this.#emit({ call: "zx_vmo_create_contiguous", args: [{ h: bti }, ps, alignmentLog2] }, null);
    }
    for (let n = 2 + d.int(2); n > 0; n--) {
      const handle = d.int(3) !== 0 ? vmo : this.#emit({
        call: "zx_handle_duplicate",
        args: [{ h: vmo }, ZX_DEFAULT_VMO_RIGHTS & ~pick(d, [ZX_RIGHT_READ, ZX_RIGHT_WRITE])],
      }, "vmo");
      const pmt = this.#emit({
        call: "zx_bti_pin",
        args: [
          { h: bti },
          pick(d, [
            ZX_BTI_PERM_READ,
            ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE,
            ZX_BTI_PERM_WRITE,
            ZX_BTI_PERM_READ | ZX_BTI_COMPRESS,
            ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE | ZX_BTI_COMPRESS,
            ZX_BTI_PERM_READ | ZX_BTI_CONTIGUOUS,
            ZX_BTI_CONTIGUOUS,
            ZX_BTI_PERM_READ | ZX_BTI_COMPRESS | ZX_BTI_CONTIGUOUS,
          ]),
          { h: handle },
          d.int(pages) * ps,
          (1 + d.int(2)) * ps,
        ],
      }, "pmt");
      if (d.int(2) === 0) this.#emit({ call: "zx_pmt_unpin", args: [{ h: pmt }] }, null);
    }
    // What the VMO reports of itself (the contract's `infoAgrees`), with no draw of its own.
    this.#emit({ call: "zx_object_get_info", args: [{ h: vmo }, ZX_INFO_VMO] }, null);
    this.#contiguousZero(bti);
    this.#pinnedDecommit(bti);
    this.#opRangeKinds(bti);
    this.#clonedSlicePin(bti);
    this.#pagerZeroPins(bti);
    this.#cloneShrinkGrow();
    this.#snapshotGrow();
    this.#cloneOfClone();
    this.#childBirths();
  }

  /**
   * The end of a pin layout, with no draws and nothing that blocks: a two-page contiguous VMO
   * zeroed (ZX_OK: its pages are zeroed in place, never decommitted; the contract predicts it)
   * and then asked for ZX_INFO_VMO (all its bytes still committed, `infoAgrees`). Random draws
   * seldom ZERO a contiguous VMO.
   */
  #contiguousZero(bti: CallRef): void {
    const ps = this.#ps;
    const vmo = this.#emit(
      { call: "zx_vmo_create_contiguous", args: [{ h: bti }, 2 * ps, 0] },
      null,
    );
    this.#emit({ call: "zx_vmo_op_range", args: [{ h: vmo }, ZX_VMO_OP_ZERO, 0, 2 * ps] }, null);
    this.#emit({ call: "zx_object_get_info", args: [{ h: vmo }, ZX_INFO_VMO] }, null);
  }

  /**
   * The end of a pin layout, with no draws and nothing that blocks: the VMO ops whose outcome
   * upstream decides by the kind of VMO alone (program/anon_op_range.ts): a fresh two-page
   * contiguous VMO committed and given both eviction hints (ZX_OK each; then ZX_INFO_VMO: all
   * its bytes still committed, `infoAgrees`), and a fresh two-page
   * pager VMO decommitted (NOT_SUPPORTED: a root page source). Random draws give these ops to
   * those VMOs seldom.
   */
  #opRangeKinds(bti: CallRef): void {
    const ps = this.#ps;
    const contiguous = this.#emit(
      { call: "zx_vmo_create_contiguous", args: [{ h: bti }, 2 * ps, 0] },
      null,
    );
    for (const op of [ZX_VMO_OP_COMMIT, ZX_VMO_OP_DONT_NEED, ZX_VMO_OP_ALWAYS_NEED]) {
      this.#emit({ call: "zx_vmo_op_range", args: [{ h: contiguous }, op, 0, 2 * ps] }, null);
    }
    this.#emit({ call: "zx_object_get_info", args: [{ h: contiguous }, ZX_INFO_VMO] }, null);
    const paged = this.#pagerVmo(0, 2 * ps);
    this.#emit(
      { call: "zx_vmo_op_range", args: [{ h: paged }, ZX_VMO_OP_DECOMMIT, 0, 2 * ps] },
      null,
    );
  }

  /**
   * The end of a pin layout, with no draws and nothing that blocks: page 1 of a fresh two-page
   * anonymous VMO pinned, then the whole VMO decommitted (BAD_STATE: a pin holds page 1, which
   * the contract predicts from `HandleModel.plainPins`), the pin unpinned and the VMO decommitted
   * again (ZX_OK). Random draws pin an anonymous VMO seldom and decommit it over the pin never.
   */
  #pinnedDecommit(bti: CallRef): void {
    const ps = this.#ps;
    const vmo = this.#emit({ call: "zx_vmo_create", args: [2 * ps, 0] }, null);
    const pmt = this.#emit({
      call: "zx_bti_pin",
      args: [{ h: bti }, ZX_BTI_PERM_READ, { h: vmo }, ps, ps],
    }, null);
    const decommit: ProgramCall = {
      call: "zx_vmo_op_range",
      args: [{ h: vmo }, ZX_VMO_OP_DECOMMIT, 0, 2 * ps],
    };
    this.#emit(decommit, null);
    this.#emit({ call: "zx_pmt_unpin", args: [{ h: pmt }] }, null);
    this.#emit(decommit, null);
  }

  /**
   * The start of #clonedSlicePin and #snapshotGrow, with no draws: a resizable pager VMO of one
   * page grown to three (zero intervals past its first page) and an at-least-on-write clone of
   * all three pages; the clone.
   */
  #grownClone(): CallRef {
    const ps = this.#ps;
    const vmo = this.#pagerVmo(ZX_VMO_RESIZABLE, ps);
    this.#emit({ call: "zx_vmo_set_size", args: [{ h: vmo }, 3 * ps] }, null);
    return this.#emit(
      {
        call: "zx_vmo_create_child",
        args: [{ h: vmo }, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, 3 * ps],
      },
      "vmo",
      false,
      true,
    );
  }

  /**
   * The end of a pin layout, with no draws and nothing that blocks: a resizable pager VMO of one
   * page grown to three (its pages 1 and 2 zero intervals, which need no request), an
   * at-least-on-write clone of it, a one-page slice of the clone at page 2, pinned and unpinned
   * through the slice. The pin commits and pins the clone's page 2 (the page under the slice);
   * the unpin finds it pinned (a kernel assertion). Random draws never pin a slice of a clone.
   */
  #clonedSlicePin(bti: CallRef): void {
    const ps = this.#ps;
    const clone = this.#grownClone();
    const slice = this.#emit(
      { call: "zx_vmo_create_child", args: [{ h: clone }, ZX_VMO_CHILD_SLICE, 2 * ps, ps] },
      "vmo",
      false,
      true,
    );
    const pmt = this.#emit({
      call: "zx_bti_pin",
      args: [{ h: bti }, ZX_BTI_PERM_READ, { h: slice }, 0, ps],
    }, null);
    this.#emit({ call: "zx_pmt_unpin", args: [{ h: pmt }] }, null);
  }

  /**
   * The end of a pin layout, with no draws and nothing that blocks: a resizable pager VMO of one
   * page grown to three (zero intervals), an at-least-on-write clone of it whose page 2 is
   * written, a resizable SNAPSHOT_MODIFIED child of one page of that clone, grown to three pages
   * and read at page 2, which shows zeros: a grown child shows nothing of its parent past what it
   * was made over (read-content's snapshot limit).
   */
  #snapshotGrow(): void {
    const ps = this.#ps;
    const clone = this.#grownClone();
    this.#emit({
      call: "zx_vmo_write",
      args: [{ h: clone }, { bytes: ps, fill: 0x66 }, 2 * ps],
    }, null);
    const snap = this.#emit(
      {
        call: "zx_vmo_create_child",
        args: [{ h: clone }, ZX_VMO_CHILD_SNAPSHOT_MODIFIED | ZX_VMO_CHILD_RESIZABLE, 0, ps],
      },
      "vmo",
      false,
      true,
    );
    this.#emit({ call: "zx_vmo_set_size", args: [{ h: snap }, 3 * ps] }, null);
    this.#emit({ call: "zx_vmo_read", args: [{ h: snap }, 2 * ps, ps] }, null);
  }

  /**
   * The end of a pin layout, with no draws and nothing that blocks: an at-least-on-write clone,
   * from page 1, of a resizable pager VMO of three pages; the VMO shrunk to two pages and grown
   * back, its new last page written; then the clone's page 1 (that page) read, which shows
   * zeros: the clone lost sight of what the shrink cut (CloneShrinkGrowParent, pager.cc;
   * read-content's clone limit). Random draws never read a clone over a parent's regrown tail.
   */
  #cloneShrinkGrow(): void {
    const ps = this.#ps;
    const vmo = this.#pagerVmo(ZX_VMO_RESIZABLE, 3 * ps);
    const clone = this.#emit(
      {
        call: "zx_vmo_create_child",
        args: [{ h: vmo }, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, ps, 2 * ps],
      },
      "vmo",
      false,
      true,
    );
    this.#emit({ call: "zx_vmo_set_size", args: [{ h: vmo }, 2 * ps] }, null);
    this.#emit({ call: "zx_vmo_set_size", args: [{ h: vmo }, 3 * ps] }, null);
    this.#emit({
      call: "zx_vmo_write",
      args: [{ h: vmo }, { bytes: ps, fill: 0x55 }, 2 * ps],
    }, null);
    this.#emit({ call: "zx_vmo_read", args: [{ h: clone }, ps, ps] }, null);
  }

  /**
   * The end of a thread that starts with a pin layout, before `offsetCloneCommit`, with no draws
   * and nothing that waits on a pager (every page it reads is supplied or zeroed first): the range
   * arithmetic of `zx_vmo_write`, ZERO and DECOMMIT read back whole (read-content R1, R4), over
   * partial first and last pages, offsets that are no page multiple, ranges that end at the VMO's
   * end, present and absent pages mixed, a slice at an offset, a pinned page inside the range, and
   * an at-least-on-write clone from an offset that reaches past its parent, a contiguous VMO's
   * partial pages; and the pager's DIRTY
   * and WRITEBACK ranges of a TRAP_DIRTY VMO, past its end, over a gap and over a present page.
   * Random draws zero or decommit a VMO they wrote and read it back seldom, over such ranges
   * almost never, and make no TRAP_DIRTY pager VMO of their own.
   */
  rangeContent(): void {
    const ps = this.#ps;
    const emit = (call: CallName, args: Arg[]) => this.#emit({ call, args }, null);
    const write = (vmo: CallRef, offset: number, bytes: number, fill: number) =>
      emit("zx_vmo_write", [{ h: vmo }, { bytes, fill }, offset]);
    const op = (vmo: CallRef, code: number, offset: number, size: number) =>
      emit("zx_vmo_op_range", [{ h: vmo }, code, offset, size]);
    const read = (vmo: CallRef, offset: number, size: number) =>
      emit("zx_vmo_read", [{ h: vmo }, offset, size]);
    // An anonymous VMO of three pages: written whole, then across pages 0-1 from an offset that
    // is no page multiple; zeroed from 8 bytes before page 1 to 8 bytes into page 2; zeroed over
    // its last half page (to its end); read whole. Then page 1 pinned, the whole VMO written and
    // zeroed (the pinned page through the write path, the others replaced), read; unpinned;
    // written again, its first two pages decommitted, read.
    const anon = emit("zx_vmo_create", [3 * ps, 0]);
    write(anon, 0, 3 * ps, 0x11);
    write(anon, ps / 2, ps, 0x22);
    op(anon, ZX_VMO_OP_ZERO, ps - 8, ps + 16);
    op(anon, ZX_VMO_OP_ZERO, 3 * ps - ps / 2, ps / 2);
    read(anon, 0, 3 * ps);
    const bti = emit("zx_bti_create", [0, 0]);
    const pmt = emit("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: anon }, ps, ps]);
    write(anon, 0, 3 * ps, 0x12);
    op(anon, ZX_VMO_OP_ZERO, 0, 3 * ps);
    read(anon, 0, 3 * ps);
    emit("zx_pmt_unpin", [{ h: pmt }]);
    write(anon, ps / 4, 3 * ps - ps / 4, 0x13);
    op(anon, ZX_VMO_OP_DECOMMIT, 0, 2 * ps);
    read(anon, 0, 3 * ps);
    // A contiguous VMO of two pages written whole, zeroed from half a page in to half a page
    // before its end (zeroed in place, page by page), read whole.
    const contiguous = emit("zx_vmo_create_contiguous", [{ h: bti }, 2 * ps, 0]);
    write(contiguous, 0, 2 * ps, 0x14);
    op(contiguous, ZX_VMO_OP_ZERO, ps / 2, ps);
    read(contiguous, 0, 2 * ps);
    // A pager VMO of four pages (its own pager and port) supplied at pages 0-1 and 3 from an
    // anonymous VMO of one fill, page 2 left absent; a one-page slice of it at page 2 written
    // from its start; then ZERO from half a page in to half a page before the end (a partial
    // present first page, a whole present page, the slice's page, a partial present last page),
    // ZERO of the slice's last quarter, and the VMO and the slice read whole.
    const pager = emit("zx_pager_create", [0]);
    const port = emit("zx_port_create", [0]);
    const paged = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, 4 * ps]);
    const aux = emit("zx_vmo_create", [3 * ps, 0]);
    write(aux, 0, 3 * ps, 0x33);
    emit("zx_pager_supply_pages", [{ h: pager }, { h: paged }, 0, 2 * ps, { h: aux }, 0]);
    emit("zx_pager_supply_pages", [{ h: pager }, { h: paged }, 3 * ps, ps, { h: aux }, 2 * ps]);
    const slice = emit("zx_vmo_create_child", [{ h: paged }, ZX_VMO_CHILD_SLICE, 2 * ps, ps]);
    op(paged, ZX_VMO_OP_ZERO, ps / 2, 3 * ps);
    write(slice, 0, ps / 2, 0x44);
    op(slice, ZX_VMO_OP_ZERO, ps - ps / 4, ps / 4);
    read(paged, 0, 4 * ps);
    read(slice, 0, ps);
    // A TRAP_DIRTY pager VMO of two pages, page 0 supplied: DIRTY and WRITEBACK_BEGIN over a
    // range one page past its end (OUT_OF_RANGE, the contract predicts it), DIRTY of page 1 (a
    // gap: NOT_FOUND) and of page 0, a write into page 0, its writeback, and page 0 read.
    const dirtied = emit("zx_pager_create_vmo", [
      { h: pager },
      ZX_VMO_TRAP_DIRTY,
      { h: port },
      0,
      2 * ps,
    ]);
    const pagerOp = (code: number, offset: number, length: number) =>
      emit("zx_pager_op_range", [{ h: pager }, code, { h: dirtied }, offset, length, 0]);
    emit("zx_pager_supply_pages", [{ h: pager }, { h: dirtied }, 0, ps, { h: aux }, 0]);
    pagerOp(ZX_PAGER_OP_DIRTY, ps, 2 * ps);
    pagerOp(ZX_PAGER_OP_WRITEBACK_BEGIN, 0, 3 * ps);
    pagerOp(ZX_PAGER_OP_DIRTY, ps, ps);
    pagerOp(ZX_PAGER_OP_DIRTY, 0, ps);
    write(dirtied, ps / 2, ps / 2, 0x77);
    pagerOp(ZX_PAGER_OP_WRITEBACK_BEGIN, 0, ps);
    pagerOp(ZX_PAGER_OP_WRITEBACK_END, 0, ps);
    read(dirtied, 0, ps);
    // Last, as it is the one part that parks if an injected failure kept its supply out: an
    // at-least-on-write clone, from page 1, of a pager VMO of three pages supplied whole,
    // three pages long (its last one past the parent: zeros); written across its pages 0-1 from
    // half a page in; zeroed from its page 1's middle to its end; the clone and the parent read
    // whole (the parent unchanged).
    const root = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, 3 * ps]);
    const aux2 = emit("zx_vmo_create", [3 * ps, 0]);
    write(aux2, 0, 3 * ps, 0x55);
    emit("zx_pager_supply_pages", [{ h: pager }, { h: root }, 0, 3 * ps, { h: aux2 }, 0]);
    const clone = emit("zx_vmo_create_child", [
      { h: root },
      ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
      ps,
      3 * ps,
    ]);
    write(clone, ps / 2, ps, 0x66);
    op(clone, ZX_VMO_OP_ZERO, ps + ps / 2, 2 * ps - ps / 2);
    read(clone, 0, 3 * ps);
    read(root, 0, 3 * ps);
  }

  /**
   * The end of a thread that starts with a pin layout, with no draws: an at-least-on-write
   * clone, from page 1, of a fresh pager VMO of three pages nobody serves, committed. The COMMIT
   * asks for the root's pages under the clone's (read-content R3 judges where) and parks until
   * the janitor's cleanup; random draws seldom commit a clone made at an offset.
   */
  offsetCloneCommit(): void {
    const ps = this.#ps;
    const vmo = this.#pagerVmo(0, 3 * ps);
    const clone = this.#emit(
      {
        call: "zx_vmo_create_child",
        args: [{ h: vmo }, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, ps, 2 * ps],
      },
      "vmo",
      false,
      true,
    );
    this.#emit({
      call: "zx_vmo_op_range",
      args: [{ h: clone }, ZX_VMO_OP_COMMIT, 0, 2 * ps],
    }, null);
  }

  /**
   * The end of a pin layout, with no draws and nothing that waits on a pager: at-least-on-write
   * clones of a clone (read-content follows them: a child shows what its clone showed when it
   * was made). A resizable pager VMO of one page grown to five (its new pages zero intervals,
   * no request) and written at pages 1-4; a clone of pages 1-4 whose page 1 is written; a child
   * of that clone over all of it (sees the fork) and one from its page 2 (sees none: upstream
   * hangs it from the root), each read whole; the clone's page 3 and the first child's page 0
   * written, the first child read whole again (page 3: either). Then a two-page clone from root
   * page 2 with its page 0 written, and a three-page child of it from its page 1, read whole:
   * root page 3, then zeros past the clone's end, where the root still has a page (upstream
   * hangs the child from the root, cut at the clone's limit). Then a four-page clone from root
   * page 2 (its last page past the root) with its page 1 written, and a three-page child of it
   * from its page 1 (hung from that clone: it holds a page there), read whole (the fork, root
   * page 4, zeros) and committed whole (ZX_OK: its last page lies past the clone's limit, where
   * the lookup finds nothing). Last, a
   * SNAPSHOT_MODIFIED child of the first clone, the clone's page 1 written again and the
   * snapshot read whole: its page 1 keeps the clone's first fork ("a snapshot of the modified
   * pages"). CloneMightSeeIntermediateForks and CloneSeesCorrectParentPages (pager.cc); random
   * draws seldom clone a clone they wrote.
   */
  #cloneOfClone(): void {
    const ps = this.#ps;
    const emit = (call: CallName, args: Arg[]) => this.#emit({ call, args }, null);
    const child = (of: CallRef, offset: number, pages: number) =>
      emit("zx_vmo_create_child", [
        { h: of },
        ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
        offset * ps,
        pages * ps,
      ]);
    const write = (vmo: CallRef, page: number, fill: number) =>
      emit("zx_vmo_write", [{ h: vmo }, { bytes: ps, fill }, page * ps]);
    const read = (vmo: CallRef, pages: number) => emit("zx_vmo_read", [{ h: vmo }, 0, pages * ps]);
    const root = this.#pagerVmo(ZX_VMO_RESIZABLE, ps);
    emit("zx_vmo_set_size", [{ h: root }, 5 * ps]);
    emit("zx_vmo_write", [{ h: root }, { bytes: 4 * ps, fill: 0x5a }, ps]);
    const clone = child(root, 1, 4);
    write(clone, 1, 0x61);
    const forked = child(clone, 0, 4);
    const empty = child(clone, 2, 2);
    read(forked, 4);
    read(empty, 2);
    write(clone, 3, 0x62);
    write(forked, 0, 0x63);
    read(forked, 4);
    const past = child(root, 2, 2);
    write(past, 0, 0x64);
    const under = child(past, 1, 3);
    read(under, 3);
    const reach = child(root, 2, 4);
    write(reach, 1, 0x66);
    const below = child(reach, 1, 3);
    read(below, 3);
    emit("zx_vmo_op_range", [{ h: below }, ZX_VMO_OP_COMMIT, 0, 3 * ps]);
    const snap = emit("zx_vmo_create_child", [
      { h: clone },
      ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
      0,
      4 * ps,
    ]);
    write(clone, 1, 0x65);
    read(snap, 4);
  }

  /**
   * The end of a pin layout, after `cloneOfClone`, with no draws and nothing that waits on a
   * pager: children queried at birth, and clones of slices (the contract's `ChildBirths`). A
   * resizable pager VMO of one page grown to three (zero intervals, no request) and written at
   * pages 1-2; a two-page at-least-on-write clone from page 1, both its pages written, asked for
   * `ZX_INFO_VMO`; a SNAPSHOT_MODIFIED child of the clone, asked at once (it shares both pages:
   * at most half attributed to it), and the clone again (the two hold what the clone held); a
   * one-page SNAPSHOT_MODIFIED child of that snapshot, asked at once (nothing committed past its
   * one page: `infoAgrees`). Then an at-least-on-write child of a slice of a fixed-size pager VMO
   * (made: snapshot.cc `AlowSlice`) and one of a slice of the clone (refused:
   * `SnapshotSliceAtLeastOnWrite`).
   * Random draws seldom snapshot a clone they wrote and query it at once, and never clone a
   * slice of a clone.
   */
  #childBirths(): void {
    const ps = this.#ps;
    const emit = (call: CallName, args: Arg[]) => this.#emit({ call, args }, null);
    const child = (of: CallRef, options: number, offset: number, pages: number) =>
      emit("zx_vmo_create_child", [{ h: of }, options, offset * ps, pages * ps]);
    const info = (vmo: CallRef) => emit("zx_object_get_info", [{ h: vmo }, ZX_INFO_VMO]);
    const root = this.#pagerVmo(ZX_VMO_RESIZABLE, ps);
    emit("zx_vmo_set_size", [{ h: root }, 3 * ps]);
    emit("zx_vmo_write", [{ h: root }, { bytes: 2 * ps, fill: 0x71 }, ps]);
    const clone = child(root, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 1, 2);
    emit("zx_vmo_write", [{ h: clone }, { bytes: 2 * ps, fill: 0x72 }, 0]);
    info(clone);
    const snap = child(clone, ZX_VMO_CHILD_SNAPSHOT_MODIFIED, 0, 2);
    info(snap);
    info(clone);
    info(child(snap, ZX_VMO_CHILD_SNAPSHOT_MODIFIED, 0, 1));
    const fixed = this.#pagerVmo(0, 2 * ps);
    child(child(fixed, ZX_VMO_CHILD_SLICE, 1, 1), ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, 1);
    child(child(clone, ZX_VMO_CHILD_SLICE, 0, 1), ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, 1);
  }

  /**
   * A pager VMO of four pages through a pager and port of its own, its page 0 supplied from a
   * fresh anonymous VMO (no request: a supply needs none) and the rest absent.
   */
  #rootPageSupplied(): CallRef {
    const ps = this.#ps;
    const pager = this.#emit({ call: "zx_pager_create", args: [0] }, "pager");
    const port = this.#emit({ call: "zx_port_create", args: [0] }, "port");
    const vmo = this.#emit(
      { call: "zx_pager_create_vmo", args: [{ h: pager }, 0, { h: port }, 0, 4 * ps] },
      "vmo",
      true,
    );
    const aux = this.#emit({ call: "zx_vmo_create", args: [ps, 0] }, null);
    this.#emit({
      call: "zx_pager_supply_pages",
      args: [{ h: pager }, { h: vmo }, 0, ps, { h: aux }, 0],
    }, null);
    return vmo;
  }

  /**
   * The end of a thread that starts with a pin layout, after `offsetCloneCommit`, with no draws:
   * the first READ of a fresh pager VMO of four pages nobody serves but for its page 0 (supplied),
   * asked through a slice of it at page 1: a COMMIT of the slice's two pages. It parks until the
   * janitor's cleanup, and read-content R5 holds the READ to the call's whole range at the root,
   * [1,3) (spec 3.4); a run start shifted back to page 0 finds that page present.
   * Random draws seldom read or commit through a slice at an offset of a VMO nobody read.
   */
  sliceFirstReads(): void {
    const ps = this.#ps;
    const a = this.#rootPageSupplied();
    const sa = this.#emit({
      call: "zx_vmo_create_child",
      args: [{ h: a }, ZX_VMO_CHILD_SLICE, ps, 2 * ps],
    }, null);
    this.#emit({ call: "zx_vmo_op_range", args: [{ h: sa }, ZX_VMO_OP_COMMIT, 0, 2 * ps] }, null);
  }

  /**
   * The end of the thread after the pin layout's (the same thread in a program of one), with no
   * draws: the read half of `sliceFirstReads`, a read of the first two pages of a three-page slice
   * at page 1 of a fresh pager VMO of four pages nobody serves but for its page 0 (R5: READ
   * [1,3); a run start shifted back to page 0 finds that page present); it parks until
   * the janitor's cleanup. In a thread of its own it runs before any cleanup, not racing it.
   */
  sliceFirstRead(): void {
    const ps = this.#ps;
    const b = this.#rootPageSupplied();
    const sb = this.#emit({
      call: "zx_vmo_create_child",
      args: [{ h: b }, ZX_VMO_CHILD_SLICE, ps, 3 * ps],
    }, null);
    this.#emit({ call: "zx_vmo_read", args: [{ h: sb }, 0, 2 * ps] }, null);
  }

  /**
   * The end of a thread that starts with a pin layout, after `rangeContent` and before
   * `offsetCloneCommit`, with no draws and nothing that waits on a pager: what a COMMIT and a
   * DECOMMIT leave. A fixed-size anonymous VMO of three pages committed from half a page in to
   * its end (every page: the range is rounded out), then `ZX_INFO_VMO` without a buffer (the
   * contract's `CommitFloor`: at least three pages committed); a contiguous VMO of three pages
   * written whole, its middle page decommitted (loaning is on: the frame is lent), read whole
   * (read-content R1: the first and last pages keep what was written). Random draws commit a
   * fresh VMO and ask for its info seldom, and decommit a contiguous VMO's middle page and read
   * past it almost never.
   */
  commitLent(): void {
    const ps = this.#ps;
    const emit = (call: CallName, args: Arg[]) => this.#emit({ call, args }, null);
    const anon = emit("zx_vmo_create", [3 * ps, 0]);
    emit("zx_vmo_op_range", [{ h: anon }, ZX_VMO_OP_COMMIT, ps / 2, 2 * ps]);
    emit("zx_object_get_info", [{ h: anon }, ZX_INFO_VMO]);
    const bti = emit("zx_bti_create", [0, 0]);
    const contiguous = emit("zx_vmo_create_contiguous", [{ h: bti }, 3 * ps, 0]);
    emit("zx_vmo_write", [{ h: contiguous }, { bytes: 3 * ps, fill: 0x18 }, 0]);
    emit("zx_vmo_op_range", [{ h: contiguous }, ZX_VMO_OP_DECOMMIT, ps, ps]);
    emit("zx_vmo_read", [{ h: contiguous }, 0, 3 * ps]);
  }

  /**
   * The end of a thread that starts with a pin layout, after `decommitBesidePin`, with no draws
   * and nothing that waits on a pager: a resizable pager VMO of one page, an at-least-on-write
   * clone of its one page (not resizable), the parent grown to three pages, then the clone's
   * `ZX_INFO_VMO` (the contract's `infoAgrees`: a child not made RESIZABLE keeps the size it was
   * made with, run.ts `childFixedSize`). Random draws seldom ask a clone for its info after its
   * parent's resize.
   */
  /**
   * The end of a thread that starts with a pin layout, with no draws and nothing that waits on a
   * pager: a resizable two-page anonymous VMO written whole, resized to a page and a half and
   * back to two pages, read whole (read-content R1): "The data in the VMO between the given size
   * and the end of the VMO (i.e., the next page boundary) will be overritten with zeros"
   * (reference/syscalls/vmo_set_size.md, FuchsiaOS/FuchsiaOS-docs-zh_CN), so page 1 reads its
   * first half as written and zeros after it. Random draws resize to whole pages.
   */
  unalignedShrink(): void {
    const ps = this.#ps;
    const emit = (call: CallName, args: Arg[]) => this.#emit({ call, args }, null);
    const vmo = emit("zx_vmo_create", [2 * ps, ZX_VMO_RESIZABLE]);
    emit("zx_vmo_write", [{ h: vmo }, { bytes: 2 * ps, fill: 0x3c }, 0]);
    emit("zx_vmo_set_size", [{ h: vmo }, ps + ps / 2]);
    emit("zx_vmo_set_size", [{ h: vmo }, 2 * ps]);
    emit("zx_vmo_read", [{ h: vmo }, 0, 2 * ps]);
  }

  /**
   * The end of a thread that starts with a pin layout, with no draws and nothing that waits on a
   * pager: `zx_vmo_create_child` of a pager VMO with no child type, with two types, with an
   * unknown option bit and with an unaligned offset, each ZX_ERR_INVALID_ARGS ("*options* must
   * contain exactly one of the following flags to specify the child type",
   * docs/reference/syscalls/vmo_create_child.md @ vsrinivas/fuchsia; the program contract's
   * `zx_vmo_create_child` and `unalignedChildOffset`). Random draws name one known type or
   * garbage; a kernel that takes two types, or none, as a clone went unseen.
   */
  childOptionEdges(): void {
    const ps = this.#ps;
    const vmo = this.#pagerVmo(0, ps);
    const child = (options: number, offset: number) =>
      this.#emit({ call: "zx_vmo_create_child", args: [{ h: vmo }, options, offset, ps] }, null);
    const clone = ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
    child(0, 0);
    child(ZX_VMO_CHILD_RESIZABLE, 0);
    child(ZX_VMO_CHILD_SLICE | ZX_VMO_CHILD_REFERENCE, 0);
    child(clone | ZX_VMO_CHILD_SLICE, 0);
    child(clone | 1 << 20, 0);
    child(clone, ps / 2);
  }

  cloneKeepsSize(): void {
    const ps = this.#ps;
    const vmo = this.#pagerVmo(ZX_VMO_RESIZABLE, ps);
    const clone = this.#emit({
      call: "zx_vmo_create_child",
      args: [{ h: vmo }, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, ps],
    }, null);
    this.#emit({ call: "zx_vmo_set_size", args: [{ h: vmo }, 3 * ps] }, null);
    this.#emit({ call: "zx_object_get_info", args: [{ h: clone }, ZX_INFO_VMO] }, null);
  }

  /**
   * The end of a thread that starts with a pin layout, after `commitLent`, with no draws and
   * nothing that waits on a pager: a three-page contiguous VMO written whole, zeroed from the
   * middle of page 0 to the middle of page 1, read whole (read-content R1: the bytes outside the
   * ZERO keep what was written, page 2 whole). A contiguous VMO's ZERO zeroes its pages in place
   * (`kCannotDecommitZeroPages`), so a kernel that gets a partial page's bounds wrong zeroes
   * bytes it was not given. Random draws ZERO a contiguous VMO they wrote and read past it
   * almost never; `#contiguousZero` zeroes whole pages only.
   */
  contiguousPartialZero(): void {
    const ps = this.#ps;
    const emit = (call: CallName, args: Arg[]) => this.#emit({ call, args }, null);
    const bti = emit("zx_bti_create", [0, 0]);
    const vmo = emit("zx_vmo_create_contiguous", [{ h: bti }, 3 * ps, 0]);
    emit("zx_vmo_write", [{ h: vmo }, { bytes: 3 * ps, fill: 0x2c }, 0]);
    emit("zx_vmo_op_range", [{ h: vmo }, ZX_VMO_OP_ZERO, ps / 2, ps]);
    emit("zx_vmo_read", [{ h: vmo }, 0, 3 * ps]);
  }

  /**
   * The end of a thread that starts with a pin layout, after `commitLent` and before
   * `offsetCloneCommit`, with no draws and nothing that waits on a pager: a DECOMMIT beside a
   * pin and one over it, of a plain and of a contiguous VMO (program/anon_op_range.ts). Each is
   * a fresh two-page VMO with page 1 pinned: page 0 decommitted (ZX_OK: the pin holds page 1
   * only), page 1 decommitted (BAD_STATE: `AnyPagesPinnedLocked`), the pin unpinned and both
   * pages decommitted (ZX_OK), then ZX_INFO_VMO (program/commit_ceiling.ts: nothing committed). Random draws never decommit beside a pin they know (their pins
   * are left standing or unpinned at random, and a VMO with any pin that may hold is
   * undecided), and decommit a contiguous VMO almost never.
   */
  decommitBesidePin(): void {
    const ps = this.#ps;
    const emit = (call: CallName, args: Arg[]) => this.#emit({ call, args }, null);
    const bti = emit("zx_bti_create", [0, 0]);
    for (const kind of ["plain", "contiguous"]) {
      const vmo = kind === "plain"
        ? emit("zx_vmo_create", [2 * ps, 0])
        : emit("zx_vmo_create_contiguous", [{ h: bti }, 2 * ps, 0]);
      const pmt = emit("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: vmo }, ps, ps]);
      emit("zx_vmo_op_range", [{ h: vmo }, ZX_VMO_OP_DECOMMIT, 0, ps]);
      emit("zx_vmo_op_range", [{ h: vmo }, ZX_VMO_OP_DECOMMIT, ps, ps]);
      emit("zx_pmt_unpin", [{ h: pmt }]);
      emit("zx_vmo_op_range", [{ h: vmo }, ZX_VMO_OP_DECOMMIT, 0, 2 * ps]);
      emit("zx_object_get_info", [{ h: vmo }, ZX_INFO_VMO]);
    }
  }

  /**
   * The end of a thread that starts with a pin layout, after `decommitBesidePin`, with no draws
   * and nothing that waits on a pager: partial zero intervals and markers (dirty-state K3, K17).
   * A resizable pager VMO of one page grown to four (zero interval [1,4), spec 2.8.3), written
   * back with WRITEBACK_BEGIN over [1,4) and ENDs over [1,2) then [2,4): the first END clips the
   * interval's front and the rest keeps its awaiting-clean length, so the second removes it
   * (`VmPageList::ClipIntervalStart`, "carry over any remaining AwaitingCleanLength from the old
   * start", vm_page_list.cc @ misttech/fuchsia d72ea0ee); the dirty ranges queried after each.
   * Then two pager VMOs of two pages, one with TRAP_DIRTY, supplied from an uncommitted aux
   * (two markers each) and zeroed in part of each page: `ZeroPartialPage` skips a page that
   * would read as zero (vm_object_paged.cc @ misttech/fuchsia), so neither a Dirty page nor a
   * DIRTY request comes of it; their dirty ranges queried. Last, a plain VMO decommitted and
   * zeroed in part of each page, whose ZX_INFO_VMO shows nothing committed. Random draws seldom
   * END a part of what they began, and zero part of a supplied marker or of an uncommitted page
   * almost never.
   */
  zeroIntervalEnds(): void {
    const ps = this.#ps;
    const emit = (call: CallName, args: Arg[]) => this.#emit({ call, args }, null);
    const pager = emit("zx_pager_create", [0]);
    const port = emit("zx_port_create", [0]);
    const grown = emit("zx_pager_create_vmo", [{ h: pager }, ZX_VMO_RESIZABLE, { h: port }, 0, ps]);
    const writeback = (op: number, from: number, pages: number) =>
      emit("zx_pager_op_range", [{ h: pager }, op, { h: grown }, from * ps, pages * ps, 0]);
    emit("zx_vmo_set_size", [{ h: grown }, 4 * ps]);
    writeback(ZX_PAGER_OP_WRITEBACK_BEGIN, 1, 3);
    writeback(ZX_PAGER_OP_WRITEBACK_END, 1, 1);
    emit("zx_pager_query_dirty_ranges", [{ h: pager }, { h: grown }, 0, 4 * ps, 4 * 24]);
    writeback(ZX_PAGER_OP_WRITEBACK_END, 2, 2);
    emit("zx_pager_query_dirty_ranges", [{ h: pager }, { h: grown }, 0, 4 * ps, 4 * 24]);
    const aux = emit("zx_vmo_create", [2 * ps, 0]);
    for (const options of [0, ZX_VMO_TRAP_DIRTY]) {
      const vmo = emit("zx_pager_create_vmo", [{ h: pager }, options, { h: port }, 0, 2 * ps]);
      emit("zx_pager_supply_pages", [{ h: pager }, { h: vmo }, 0, 2 * ps, { h: aux }, 0]);
      emit("zx_vmo_op_range", [{ h: vmo }, ZX_VMO_OP_ZERO, ps / 4, ps / 2]);
      emit("zx_vmo_op_range", [{ h: vmo }, ZX_VMO_OP_ZERO, ps + ps / 2, ps / 2]);
      emit("zx_pager_query_dirty_ranges", [{ h: pager }, { h: vmo }, 0, 2 * ps, 2 * 24]);
    }
    // A plain VMO of two pages decommitted, zeroed in part of each page, then ZX_INFO_VMO: the
    // ZERO commits neither (program/commit_ceiling.ts `zeroesPlain`).
    const plain = emit("zx_vmo_create", [2 * ps, 0]);
    emit("zx_vmo_op_range", [{ h: plain }, ZX_VMO_OP_DECOMMIT, 0, 2 * ps]);
    emit("zx_vmo_op_range", [{ h: plain }, ZX_VMO_OP_ZERO, ps / 4, ps / 2]);
    emit("zx_vmo_op_range", [{ h: plain }, ZX_VMO_OP_ZERO, ps + ps / 2, ps / 2]);
    emit("zx_object_get_info", [{ h: plain }, ZX_INFO_VMO]);
  }

  /**
   * The end of a thread that starts with a pin layout, after `zeroIntervalEnds`, with no draws
   * and nothing that waits on a pager. A pager VMO of two pages and an aux of two: empty
   * supplies at offset 3 pages (OUT_OF_RANGE) and 2 (ZX_OK, the end), and at aux offset 3 pages
   * (OUT_OF_RANGE) and 2 (ZX_OK): `VmObjectPaged::SupplyPages` and `TakePages` range-check an
   * empty range too (the contract's `zx_pager_supply_pages`; vm_object_paged.cc @
   * misttech/fuchsia 056f3590). Then page 0 supplied and written, and two queries with
   * ZX_PAGER_RESET_VMO_STATS: "only the first of those will see `modified` set"
   * (pager_query_vmo_stats.md @ gnoliyil/fuchsia 147df322; dirty-state K25); then one with
   * options 2, which the page does not name (INVALID_ARGS, the contract's). Last the VMO
   * detached and supplied empty again, within (ZX_OK: the range check comes before the detach
   * check) and past its end (OUT_OF_RANGE). Random draws supply an empty range past a VMO's
   * end, or reset a written VMO's stats twice, almost never.
   */
  emptySuppliesAndReset(): void {
    const ps = this.#ps;
    const emit = (call: CallName, args: Arg[]) => this.#emit({ call, args }, null);
    const pager = emit("zx_pager_create", [0]);
    const port = emit("zx_port_create", [0]);
    const vmo = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, 2 * ps]);
    const aux = emit("zx_vmo_create", [2 * ps, 0]);
    const supply = (offset: number, length: number, auxOffset: number) =>
      emit("zx_pager_supply_pages", [
        { h: pager },
        { h: vmo },
        offset,
        length,
        { h: aux },
        auxOffset,
      ]);
    for (const [offset, auxOffset] of [[3, 0], [2, 0], [0, 3], [0, 2]]) {
      supply(offset * ps, 0, auxOffset * ps);
    }
    supply(0, ps, 0);
    emit("zx_vmo_write", [{ h: vmo }, { bytes: ps / 2, fill: 0x3d }, 0]);
    for (const options of [ZX_PAGER_RESET_VMO_STATS, ZX_PAGER_RESET_VMO_STATS, 2]) {
      emit("zx_pager_query_vmo_stats", [{ h: pager }, { h: vmo }, options, 8]);
    }
    emit("zx_pager_detach_vmo", [{ h: pager }, { h: vmo }]);
    supply(ps, 0, 0);
    supply(3 * ps, 0, 0);
  }

  /**
   * The end of a pin layout, with no draws of its own: a resizable pager VMO of one page grown
   * to three, whose new pages are zero intervals (spec 2.8.3), pinned through `bti` for write
   * (page 1) and for read (page 2). A pin of a pager VMO's zero interval commits it with no
   * request (`#pinTracked`), so nothing blocks; random draws seldom pin a pager VMO they grew.
   */
  #pagerZeroPins(bti: CallRef): void {
    const ps = this.#ps;
    const vmo = this.#pagerVmo(ZX_VMO_RESIZABLE, ps);
    this.#emit({ call: "zx_vmo_set_size", args: [{ h: vmo }, 3 * ps] }, null);
    for (const [perm, page] of [[ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE, 1], [ZX_BTI_PERM_READ, 2]]) {
      this.#emit({
        call: "zx_bti_pin",
        args: [{ h: bti }, perm, { h: vmo }, page * ps, ps],
      }, "pmt");
    }
  }

  /**
   * Signals laid out by hand ({@linkcode GenerateOptions.signalLayouts}): a fresh event, then
   * three to five calls that signal it (clearing and setting user signals and SIGNALED) or wait
   * on it with a deadline already past, for a signal it has or lacks, through its handle or a
   * duplicate. Random draws never wait on an event (the wait has weight 0 in the table). Then a
   * pager VMO, waited on for ZERO_CHILDREN and signalled (see below).
   */
  signalLayout(): void {
    const d = this.d;
    const event = this.#emit({ call: "zx_event_create", args: [0] }, "event");
    const signals = [ZX_USER_SIGNAL_0, ZX_USER_SIGNAL_0 * 2, ZX_EVENT_SIGNALED];
    const handle = d.int(3) !== 0 ? event : this.#emit({
      call: "zx_handle_duplicate",
      args: [{ h: event }, ZX_RIGHT_SAME_RIGHTS],
    }, "event");
    for (let n = 3 + d.int(3); n > 0; n--) {
      if (d.int(2) === 0) {
        this.#emit({
          call: "zx_object_signal",
          args: [{ h: event }, pick(d, [0, 0, ...signals]), pick(d, [0, ...signals])],
        }, null);
      } else {
        this.#emit({
          call: "zx_object_wait_one",
          args: [{ h: handle }, pick(d, [...signals, signals[0] | signals[1]]), 0],
        }, null);
      }
    }
    // A pager VMO (the model makes children of those only) with a live slice, mapped and
    // unmapped (the mapping's end may end the VMO: it must not take the child with it while a
    // handle keeps the VMO), then waited on for ZERO_CHILDREN with the deadline past: no draw,
    // and nothing later calls name.
    const ps = this.#ps;
    const pager = this.#emit({ call: "zx_pager_create", args: [0] }, null);
    const port = this.#emit({ call: "zx_port_create", args: [0] }, null);
    const vmo = this.#emit({
      call: "zx_pager_create_vmo",
      args: [{ h: pager }, 0, { h: port }, 0, ps],
    }, null);
    this.#emit(
      { call: "zx_vmo_create_child", args: [{ h: vmo }, ZX_VMO_CHILD_SLICE, 0, ps] },
      null,
    );
    const map = this.#emit({
      call: "zx_vmar_map",
      args: [{ vmar: 0 }, ZX_VM_PERM_READ, 0, { h: vmo }, 0, ps],
    }, null);
    this.#emit({ call: "zx_vmar_unmap", args: [{ vmar: 0 }, { addr: map, plus: 0 }, ps] }, null);
    this.#emit({
      call: "zx_object_wait_one",
      args: [{ h: vmo }, ZX_VMO_ZERO_CHILDREN, 0],
    }, null);
    // Its user signals: two set, then one of them cleared (random draws signal VMOs with
    // random masks and never wait on one), and a wait for the one left (no draws).
    const [u0, u1] = [ZX_USER_SIGNAL_0, ZX_USER_SIGNAL_0 * 2];
    this.#emit({ call: "zx_object_signal", args: [{ h: vmo }, 0, u0 | u1] }, null);
    this.#emit({ call: "zx_object_signal", args: [{ h: vmo }, u0, 0] }, null);
    this.#emit({ call: "zx_object_wait_one", args: [{ h: vmo }, u0 | u1, 0] }, null);
    // An async wait for the signal left, on a port of its own: it fires as it is made (random
    // draws seldom wait for a signal already active).
    const signalPort = this.#emit({ call: "zx_port_create", args: [0] }, null);
    this.#emit({
      call: "zx_object_wait_async",
      args: [{ h: vmo }, { h: signalPort }, 1, u1, ZX_WAIT_ASYNC_ONCE],
    }, null);
    // Its packet taken (no draws): the trace must show what it observed (`signalPacketShown`).
    this.#emit({ call: "zx_port_wait", args: [{ h: signalPort }, 0] }, null);
    this.#signalLater(vmo, signalPort, u0);
    // A wait for a signal nothing sets, with its deadline ahead (no draws): it parks, and must
    // end TIMED_OUT at its deadline (`wait_outcome.ts`); random draws wait with past deadlines.
    this.#emit({
      call: "zx_object_wait_one",
      args: [{ h: vmo }, ZX_USER_SIGNAL_0 * 4, { after: 5 }],
    }, null);
    // A handle duplicated without ZX_RIGHT_WAIT (no draws; random draws never wait on one):
    // ACCESS_DENIED, "*handle* does not have ZX_RIGHT_WAIT" (object_wait_one.md).
    const noWait = this.#emit({
      call: "zx_handle_duplicate",
      args: [{ h: vmo }, ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE],
    }, null);
    this.#emit({ call: "zx_object_wait_one", args: [{ h: noWait }, u1, 0] }, null);
    // A set_mask that is no uint32 (INVALID_ARGS, the contract's u32 rule; random draws pass
    // masks only), and an empty read of the pager VMO's absent page (ZX_OK without a request:
    // random draws read at least a byte). No draws.
    this.#emit({ call: "zx_object_signal", args: [{ h: vmo }, 0, 0.5] }, null);
    this.#emit({ call: "zx_vmo_read", args: [{ h: vmo }, 0, 0] }, null);
    // An async wait through a duplicate that is then closed, on a port of its own, and the
    // signal set through the VMO's other handle: no packet ("If *handle* is closed, the wait is
    // cancelled", object_wait_async.md; `signal_port_model.ts` owes none). No draws.
    const closedPort = this.#emit({ call: "zx_port_create", args: [0] }, null);
    const dup = this.#emit({
      call: "zx_handle_duplicate",
      args: [{ h: vmo }, ZX_RIGHT_SAME_RIGHTS],
    }, null);
    this.#emit({
      call: "zx_object_wait_async",
      args: [{ h: dup }, { h: closedPort }, 3, ZX_USER_SIGNAL_0 * 8, ZX_WAIT_ASYNC_ONCE],
    }, null);
    this.#emit({ call: "zx_handle_close", args: [{ h: dup }] }, null);
    this.#emit({ call: "zx_object_signal", args: [{ h: vmo }, 0, ZX_USER_SIGNAL_0 * 8] }, null);
    this.#emit({ call: "zx_port_wait", args: [{ h: closedPort }, 0] }, null);
    this.#userPackets();
    this.#completes();
    this.#failDataNames(pager, vmo);
  }

  /**
   * Two pager VMOs of a fresh pager on a fresh port, each named by nothing but its close (no
   * draws; `complete_model.ts` judges each wait): the first closed, its COMPLETE taken (ZX_OK)
   * and no second one (TIMED_OUT); the second closed, then the pager: the COMPLETE it queued is
   * withdrawn (TIMED_OUT). Random draws never wait on a port whose VMOs died while the pager
   * lived, nor close a pager over an unread COMPLETE.
   */
  #completes(): void {
    const ps = this.#ps;
    const pager = this.#emit({ call: "zx_pager_create", args: [0] }, null);
    const port = this.#emit({ call: "zx_port_create", args: [0] }, null);
    const [first, second] = [5, 6].map((key) =>
      this.#emit(
        { call: "zx_pager_create_vmo", args: [{ h: pager }, 0, { h: port }, key, ps] },
        null,
      )
    );
    const wait = () => this.#emit({ call: "zx_port_wait", args: [{ h: port }, 0] }, null);
    this.#emit({ call: "zx_handle_close", args: [{ h: first }] }, null);
    wait();
    wait();
    this.#emit({ call: "zx_handle_close", args: [{ h: second }] }, null);
    this.#emit({ call: "zx_handle_close", args: [{ h: pager }] }, null);
    wait();
  }

  /**
   * OP_FAIL on the layout's pager VMO with every status number errors.h has, and one it has not
   * (-5), as `data` (no draws): ZX_OK for the five `PageSource::IsValidExternalFailureCode`
   * takes, INVALID_ARGS for the rest (the contract's `OP_FAIL_DATA`), and the trace names each
   * `data` by its status name, which syscall-contract `status` holds to errors.h's
   * (`shownStatusProblem`). Random draws pass eight codes; most statuses no call of the model
   * returns, so nothing else shows their numbers or names.
   */
  #failDataNames(pager: CallRef, vmo: CallRef): void {
    for (const data of [...UPSTREAM_STATUS.values()].filter((n) => n < 0).concat(-5)) {
      this.#emit({
        call: "zx_pager_op_range",
        args: [{ h: pager }, ZX_PAGER_OP_FAIL, { h: vmo }, 0, this.#ps, data],
      }, null);
    }
  }

  /**
   * An async wait for a signal the VMO does not have (`u0`, cleared), on the port whose one packet
   * was taken: no packet yet (a wait past its deadline times out), then the signal set, the
   * packet (no draws; `signal_port_model.ts` judges both waits: none owed, then one owed).
   */
  #signalLater(vmo: CallRef, port: CallRef, u0: number): void {
    this.#emit({
      call: "zx_object_wait_async",
      args: [{ h: vmo }, { h: port }, 2, u0, ZX_WAIT_ASYNC_ONCE],
    }, null);
    this.#emit({ call: "zx_port_wait", args: [{ h: port }, 0] }, null);
    this.#emit({ call: "zx_object_signal", args: [{ h: vmo }, 0, u0] }, null);
    this.#emit({ call: "zx_port_wait", args: [{ h: port }, 0] }, null);
    this.#signalClosed(vmo, port, u0);
  }

  /**
   * Async waits for `u0` (cleared first) made through a duplicate of the VMO's handle and through
   * the handle itself, the duplicate closed, then `u0` set: the closed handle ended its wait
   * ("If *handle* is closed, the operations associated with it will also be terminated":
   * object_wait_async.md @ gnoliyil/fuchsia 3a0300d1) and only its, so one packet comes (key 4)
   * and a second wait on the port past its deadline times out (no draws; `signal_port_model.ts`
   * owes one packet, then none). Random draws never close the handle a wait was made through
   * and then signal the object.
   */
  #signalClosed(vmo: CallRef, port: CallRef, u0: number): void {
    this.#emit({ call: "zx_object_signal", args: [{ h: vmo }, u0, 0] }, null);
    const dup = this.#emit({
      call: "zx_handle_duplicate",
      args: [{ h: vmo }, ZX_RIGHT_SAME_RIGHTS],
    }, null);
    for (const [through, key] of [[dup, 3], [vmo, 4]] as const) {
      this.#emit({
        call: "zx_object_wait_async",
        args: [{ h: through }, { h: port }, key, u0, ZX_WAIT_ASYNC_ONCE],
      }, null);
    }
    this.#emit({ call: "zx_handle_close", args: [{ h: dup }] }, null);
    this.#emit({ call: "zx_object_signal", args: [{ h: vmo }, 0, u0] }, null);
    // The wait made through the VMO's own handle fires (its packet, key 4); the other does not.
    this.#emit({ call: "zx_port_wait", args: [{ h: port }, 0] }, null);
    this.#emit({ call: "zx_port_wait", args: [{ h: port }, 0] }, null);
  }

  /**
   * User packets on a port of their own, queued, cancelled by key and taken (no draws; the
   * contract's `PortModel` judges each against the packets the calls put there): three packets
   * with keys 1, 2, 1; the key 2 cancelled (ZX_OK), a wait past its deadline (the oldest, key 1),
   * the key 1 cancelled (ZX_OK: one left), again (NOT_FOUND), and a wait on the empty port
   * (TIMED_OUT). Random draws queue and cancel keys on ports other threads wait on and pagers
   * use, whose packets the model cannot follow.
   */
  #userPackets(): void {
    const port = this.#emit({ call: "zx_port_create", args: [0] }, null);
    for (const key of [1, 2, 1]) {
      this.#emit({ call: "zx_port_queue", args: [{ h: port }, { packet: key }] }, null);
    }
    this.#emit({ call: "zx_port_cancel_key", args: [{ h: port }, 0, 2] }, null);
    this.#emit({ call: "zx_port_wait", args: [{ h: port }, 0] }, null);
    for (let n = 0; n < 2; n++) {
      this.#emit({ call: "zx_port_cancel_key", args: [{ h: port }, 0, 1] }, null);
    }
    this.#emit({ call: "zx_port_wait", args: [{ h: port }, 0] }, null);
  }

  /** Adds one call of `name` (and whatever constructors its arguments need). */
  add(name: CallName): void {
    const args: Arg[] = [];
    this.#calling = name;
    for (const p of CALLS[name].params) {
      args.push(
        p === "pktOffset" || p === "pktLength"
          ? this.#servedField(p, args)
          : p === "failData"
          ? this.#opData(args[1])
          : this.#arg(p),
      );
    }
    this.#fitToChild(name, args);
    // The table's optional parameters are trailing user buffers (syscalls.ts `u`): one, if any.
    if (CALLS[name].optional.length === 1 && CALLS[name].optional[0] === "userBuffer") {
      const buffer = this.#userBuffer(name, args);
      if (buffer !== null) args.push(buffer);
    }
    this.#emit(
      { call: name, args },
      CALLS[name].produces === "same"
        ? producedKindOfArg(this.program, this.calls, this.thread, this.index, args[0])
        : CALLS[name].produces,
    );
  }
}

/** What a duplicate/replace of `arg` produces, looking into calls not yet in the program. */
function producedKindOfArg(
  p: Program,
  pending: readonly ProgramCall[],
  thread: number,
  index: number,
  arg: Arg,
): Produces {
  if (typeof arg !== "object" || !("h" in arg)) return null;
  const [t, c] = arg.h;
  if (t === thread && c >= index) {
    const call = pending[c - index];
    return call === undefined
      ? null
      : CALLS[call.call].produces === "same"
      ? producedKindOfArg(p, pending, thread, index, call.args[0])
      : CALLS[call.call].produces;
  }
  return producedKind(p, arg.h);
}

/** Calls to insert before call `index` of thread `thread`: a random call and its constructors. */
export function generateCalls(
  d: Draw,
  p: Program,
  thread: number,
  index: number,
  weights?: GenerateOptions["weights"],
): ProgramCall[] {
  const b = new CallBuilder(d, p, thread, index);
  b.add(pickCall(d, weights));
  return b.calls;
}

/** A fresh random program. */
export function generateProgram(d: Draw, options: GenerateOptions = {}): Program {
  const maxThreads = options.maxThreads ?? 3;
  const maxCalls = options.maxCalls ?? 12;
  const threads = 1 + d.int(maxThreads);
  let p: Program = {
    pageSize: pick(d, [64, 256, 4096]),
    overtimeTicks: d.int(3) === 0 ? 50 + d.int(400) : 0,
    threads: Array.from(
      { length: threads },
      () => ({ failInsteadOfBlock: d.int(10) === 0, calls: [] }),
    ),
  };
  const counts = Array.from({ length: threads }, () => 1 + d.int(maxCalls));
  for (let round = 0; round < maxCalls; round++) {
    for (let t = 0; t < threads; t++) {
      if (round >= counts[t]) continue;
      const at = p.threads[t].calls.length;
      p = insertCalls(p, t, at, generateCalls(d, p, t, at, options.weights));
    }
  }
  if (options.regionLayouts !== undefined && d.int(options.regionLayouts) === 0) {
    const t = d.int(threads);
    const b = new CallBuilder(d, p, t, 0);
    b.regionLayout();
    p = insertCalls(p, t, 0, b.calls);
  }
  if (options.pinLayouts !== undefined && d.int(options.pinLayouts) === 0) {
    const t = d.int(threads);
    const b = new CallBuilder(d, p, t, 0);
    b.pinLayout();
    p = insertCalls(p, t, 0, b.calls);
    // At the thread's end, where its parking holds nothing else up; no draws.
    const end = p.threads[t].calls.length;
    const e = new CallBuilder(d, p, t, end);
    e.rangeContent();
    e.commitLent();
    e.contiguousPartialZero();
    e.decommitBesidePin();
    e.zeroIntervalEnds();
    e.emptySuppliesAndReset();
    e.cloneKeepsSize();
    e.offsetCloneCommit();
    e.sliceFirstReads();
    e.childOptionEdges();
    e.unalignedShrink();
    p = insertCalls(p, t, end, e.calls);
    const u = (t + 1) % threads;
    const r = new CallBuilder(d, p, u, p.threads[u].calls.length);
    r.sliceFirstRead();
    p = insertCalls(p, u, p.threads[u].calls.length, r.calls);
  }
  if (options.requestLayouts !== undefined && d.int(options.requestLayouts) === 0) {
    p = requestLayout(d, p);
  }
  if (options.signalLayouts !== undefined && d.int(options.signalLayouts) === 0) {
    const t = d.int(threads);
    const b = new CallBuilder(d, p, t, 0);
    b.signalLayout();
    p = insertCalls(p, t, 0, b.calls);
  }
  return p;
}

/**
 * A request a pager thread answers while a reader waits on it, laid out by hand
 * ({@linkcode GenerateOptions.requestLayouts}). Random draws seldom build one: a read parks on a
 * pager VMO another thread made, that thread dequeues its packet and answers the range the reader
 * waits on (of 85 OP_FAILs in 2000 random programs, 1 overlapped an outstanding request), and a
 * read's first page is page 1 of its VMO in one read in ten. Thread `t` (drawn) makes a port, a
 * pager and a pager VMO of 2 to 5 pages and an aux VMO to supply from; another thread (a new one
 * when the program has one thread) first waits 20 ticks on a port of its own (so the VMO exists),
 * then reads (or writes) a range starting at page 0, 1 (most often) or 2, of one page or more.
 * Thread `t` takes the packet and answers: OP_FAIL of the packet's range, OP_FAIL of one page
 * inside the reader's range (a page past the request's first), or a supply (of the packet's range,
 * or, in 3 programs in 5 whose reader's last page is page 2 or later, of pages 0 to that last
 * page, two or more, and then the last page: a request, or the part of one, just past a
 * multi-page supply); then it takes a second packet (the reader asking again, or a timeout) and
 * supplies its range. The calls go at the threads' starts, so the program's random calls follow
 * and may close, detach or resize the VMO meanwhile. Every draw is this function's: a program without the layout draws as before.
 */
export function requestLayout(d: Draw, program: Program): Program {
  const ps = program.pageSize;
  const pages = 2 + d.int(4);
  const first = pick(d, [0, 1, 1, 1, 2].filter((s) => s < pages));
  const count = 1 + d.int(pages - first);
  const answer = d.int(3);
  const failed = first + d.int(count);
  const code = pick(d, PAGER_FAIL_CODES);
  const write = d.int(4) === 0;
  let p = program;
  if (p.threads.length === 1) {
    p = { ...p, threads: [...p.threads, { failInsteadOfBlock: false, calls: [] }] };
  }
  const t = d.int(p.threads.length);
  const u = (t + 1 + d.int(p.threads.length - 1)) % p.threads.length;
  const pager: ProgramCall[] = [];
  const at = (c: number): CallRef => [t, c];
  const emit = (call: CallName, args: Arg[]): CallRef => {
    pager.push({ call, args });
    return at(pager.length - 1);
  };
  const port = emit("zx_port_create", [0]);
  const pg = emit("zx_pager_create", [0]);
  const vmo = emit("zx_pager_create_vmo", [{ h: pg }, 0, { h: port }, 0, pages * ps]);
  const aux = emit("zx_vmo_create", [pages * ps, 0]);
  emit("zx_vmo_write", [{ h: aux }, { bytes: pages * ps, fill: 0x60 + pages }, 0]);
  const packet = emit("zx_port_wait", [{ h: port }, { after: 100 }]);
  if (answer === 0) {
    emit("zx_pager_op_range", [
      { h: pg },
      ZX_PAGER_OP_FAIL,
      { h: vmo },
      { pkt: packet, field: "offset" },
      { pkt: packet, field: "length" },
      code,
    ]);
  } else if (answer === 1) {
    emit("zx_pager_op_range", [{ h: pg }, ZX_PAGER_OP_FAIL, { h: vmo }, failed * ps, ps, code]);
  } else if (first + count - 1 >= 2 && PAGER_FAIL_CODES.indexOf(code) >= 2) {
    // A split supply: pages [0, last) (two or more: the reader's range but its last page, and any
    // before it), then the last page. A kernel that counts a multi-page supply one page too far
    // (userS29b's my_kernel.ts) completes the request at the first supply, the page just past it
    // still absent: single-supply's `resolve-count`. Decided by `code` (unused by a supply; 3 of
    // its 5 values), not by a draw of its own, so every draw is as before.
    const last = first + count - 1;
    emit("zx_pager_supply_pages", [{ h: pg }, { h: vmo }, 0, last * ps, { h: aux }, 0]);
    emit("zx_pager_supply_pages", [{ h: pg }, { h: vmo }, last * ps, ps, { h: aux }, last * ps]);
  } else {
    emit("zx_pager_supply_pages", [
      { h: pg },
      { h: vmo },
      { pkt: packet, field: "offset" },
      { pkt: packet, field: "length" },
      { h: aux },
      { pkt: packet, field: "offset" },
    ]);
  }
  const again = emit("zx_port_wait", [{ h: port }, { after: 100 }]);
  emit("zx_pager_supply_pages", [
    { h: pg },
    { h: vmo },
    { pkt: again, field: "offset" },
    { pkt: again, field: "length" },
    { h: aux },
    { pkt: again, field: "offset" },
  ]);
  p = insertCalls(p, t, 0, pager);
  const own: CallRef = [u, 0];
  const reader: ProgramCall[] = [
    { call: "zx_port_create", args: [0] },
    { call: "zx_port_wait", args: [{ h: own }, { after: 20 }] },
    write
      ? { call: "zx_vmo_write", args: [{ h: vmo }, { bytes: count * ps, fill: 0x41 }, first * ps] }
      : { call: "zx_vmo_read", args: [{ h: vmo }, first * ps, count * ps] },
  ];
  return insertCalls(p, u, 0, reader);
}

/**
 * The one thread of a probe program: its `calls`, and `emit`, which appends a call and returns the
 * reference a later call's `{ h: ref }` argument names. Every single-thread probe below is written
 * through it.
 *
 * @example
 * ```ts
 * import { probeThread } from "./generate.ts";
 * const { calls, emit } = probeThread();
 * const port = emit("zx_port_create", [0]);
 * emit("zx_port_wait", [{ h: port }, 0]);
 * console.assert(calls.length === 2 && port[1] === 0);
 * ```
 */
export function probeThread(): {
  calls: ProgramCall[];
  emit: (call: CallName, args: Arg[]) => CallRef;
} {
  const calls: ProgramCall[] = [];
  const emit = (call: CallName, args: Arg[]): CallRef => {
    calls.push({ call, args });
    return [0, calls.length - 1];
  };
  return { calls, emit };
}

/**
 * The two threads of a two-thread probe: `e0` and `e1` append a call to thread 0 or 1 and return
 * its reference, and `threads` is the pair as a program holds them (neither fails instead of
 * blocking). Every two-thread probe below is written through it.
 *
 * @example
 * ```ts
 * import { probeThreads } from "./generate.ts";
 * const { e0, e1, threads } = probeThreads();
 * const port = e0("zx_port_create", [0]);
 * const wait = e1("zx_port_wait", [{ h: port }, 0]);
 * console.assert(wait[0] === 1 && threads[1].calls.length === 1);
 * ```
 */
export function probeThreads(): {
  e0: (call: CallName, args: Arg[]) => CallRef;
  e1: (call: CallName, args: Arg[]) => CallRef;
  threads: ProgramThread[];
} {
  const first = probeThread();
  const second = probeThread();
  return {
    e0: first.emit,
    e1: (call, args) => [1, second.emit(call, args)[1]],
    threads: [
      { failInsteadOfBlock: false, calls: first.calls },
      { failInsteadOfBlock: false, calls: second.calls },
    ],
  };
}

/**
 * Emits, through `emit`, the answer to the READ whose packet the `zx_port_wait` call `packet`
 * dequeued: `zx_pager_supply_pages` of `vmo` over the packet's offset and length, from `aux` at
 * the same offset (a probe's aux VMO mirrors the pager VMO's layout). Its reference is returned.
 *
 * @example
 * ```ts
 * import { probeThread, supplyFromPacket } from "./generate.ts";
 * const { calls, emit } = probeThread();
 * const port = emit("zx_port_create", [0]);
 * const packet = emit("zx_port_wait", [{ h: port }, 0]);
 * supplyFromPacket(emit, { pager: [0, 9], vmo: [0, 8], aux: [0, 7] }, packet);
 * console.assert(JSON.stringify(calls[2].args[2]) === '{"pkt":[0,1],"field":"offset"}');
 * ```
 */
export function supplyFromPacket(
  emit: (call: CallName, args: Arg[]) => CallRef,
  at: { readonly pager: CallRef; readonly vmo: CallRef; readonly aux: CallRef },
  packet: CallRef,
): CallRef {
  return emit("zx_pager_supply_pages", [
    { h: at.pager },
    { h: at.vmo },
    { pkt: packet, field: "offset" },
    { pkt: packet, field: "length" },
    { h: at.aux },
    { pkt: packet, field: "offset" },
  ]);
}

/**
 * Emits, through `emit`, the six calls many single-thread probes begin with: a port, a pager, a
 * pager VMO of `pages` pages on that port (options 0, key 0), an aux VMO of the same size
 * written whole with the byte `fill`, and the pager VMO supplied whole from it. Returns the
 * references a probe goes on with.
 *
 * @example
 * ```ts
 * import { probeThread, suppliedRoot } from "./generate.ts";
 * const { calls, emit } = probeThread();
 * const { root } = suppliedRoot(emit, 4096, 0x4d, 2);
 * console.assert(calls.length === 6 && root[1] === 2);
 * ```
 */
export function suppliedRoot(
  emit: (call: CallName, args: Arg[]) => CallRef,
  pageSize: number,
  fill: number,
  pages = 1,
): { port: CallRef; pager: CallRef; root: CallRef; aux: CallRef } {
  const size = pages * pageSize;
  const port = emit("zx_port_create", [0]);
  const pager = emit("zx_pager_create", [0]);
  const root = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, size]);
  const aux = emit("zx_vmo_create", [size, 0]);
  emit("zx_vmo_write", [{ h: aux }, { bytes: size, fill }, 0]);
  emit("zx_pager_supply_pages", [{ h: pager }, { h: root }, 0, size, { h: aux }, 0]);
  return { port, pager, root, aux };
}

/**
 * A port at its packet limit, as no random program reaches it (a program draws a dozen calls a
 * thread; the limit is `LIMITS.maxPortPackets` user packets): one thread (which fails instead of
 * blocking, so its pager read queues a request and returns) makes a port and an event with a
 * user signal set, queues user packets of one key on the port up to the limit and two past it
 * (`PortModel`: ZX_OK while it holds fewer than the limit, SHOULD_WAIT once it holds more), and
 * makes a pager VMO on that port. Then the two kernel packets a full port must still take: an async wait for the
 * signal already active (its packet is reserved with the wait: `SignalPortModel` owes it) and a
 * read of the VMO's absent page (a pager's packet is preallocated: packet-discipline's `exempt`).
 * The user packets are cancelled by their key, which no async wait used, and the port is waited
 * on twice with its deadline past: one of the two must take the signal packet (the other may
 * take the pager's request, whose *type* shows it is no signal packet). `pageSize` is the program's.
 * Draw-free: the judge's `program:port-limit` probe runs it, a mutant's run of it stopping at
 * the first contract failure. Its thread has more calls than a program document allows
 * (`ProgramSchema`: 4096), so it is run, not stored.
 */
export function portLimitProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const port = emit("zx_port_create", [0]);
  const event = emit("zx_event_create", [0]);
  emit("zx_object_signal", [{ h: event }, 0, ZX_USER_SIGNAL_0]);
  const pager = emit("zx_pager_create", [0]);
  const userKey = 9;
  for (let n = 0; n < LIMITS.maxPortPackets + 2; n++) {
    emit("zx_port_queue", [{ h: port }, { packet: userKey }]);
  }
  // Made only now: `PortModel` stops following a port once another call names it.
  const vmo = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 2, pageSize]);
  emit("zx_object_wait_async", [
    { h: event },
    { h: port },
    1,
    ZX_USER_SIGNAL_0,
    ZX_WAIT_ASYNC_ONCE,
  ]);
  emit("zx_vmo_read", [{ h: vmo }, 0, 1]);
  emit("zx_port_cancel_key", [{ h: port }, 0, userKey]);
  emit("zx_port_wait", [{ h: port }, 0]);
  emit("zx_port_wait", [{ h: port }, 0]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: true, calls }] };
}

/**
 * The campaign judge's `program:contiguous-zero-lent` probe: one thread ZEROs a contiguous VMO over
 * a page a DECOMMIT gave back to the physical page provider (lent: absent, reading zeros). A
 * 3-page contiguous VMO is written whole, its page 1 decommitted (ZX_OK: loaning is on in every
 * program's kernel), ZERO from the middle of page 0 to the middle of page 2, then read whole
 * (read-content: the bytes outside the ZERO keep what was written, page 1 reads zeros). A
 * contiguous VMO's ZERO zeroes present pages in place and skips absent ones, which already read
 * as zero (`kCannotDecommitZeroPages`, program/anon_op_range.ts). Random draws decommit a
 * contiguous VMO and then ZERO over the lent page almost never, and the pin layout's
 * `contiguousPartialZero` decommits nothing; a program of its own, so no pinned schedule moves.
 */
export function contiguousZeroLentProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const bti = emit("zx_bti_create", [0, 0]);
  const vmo = emit("zx_vmo_create_contiguous", [{ h: bti }, 3 * pageSize, 0]);
  emit("zx_vmo_write", [{ h: vmo }, { bytes: 3 * pageSize, fill: 0x3d }, 0]);
  emit("zx_vmo_op_range", [{ h: vmo }, ZX_VMO_OP_DECOMMIT, pageSize, pageSize]);
  emit("zx_vmo_op_range", [{ h: vmo }, ZX_VMO_OP_ZERO, pageSize / 2, 2 * pageSize]);
  emit("zx_vmo_read", [{ h: vmo }, 0, 3 * pageSize]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:shrink-over-pin` probe: one thread shrinks a resizable plain VMO
 * over a page a BTI pin holds. A 3-page VMO with page 1 pinned is shrunk to one page (BAD_STATE:
 * the cut starts at the pinned page; the contract predicts it from `HandleModel.plainPins`), to
 * two (ZX_OK: page 1 stays), the pin unpinned and the VMO shrunk to one page (ZX_OK). Random
 * draws pin a resizable VMO and then shrink it almost never; a program of its own, so no pinned
 * schedule moves.
 */
export function shrinkOverPinProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const bti = emit("zx_bti_create", [0, 0]);
  const vmo = emit("zx_vmo_create", [3 * pageSize, ZX_VMO_RESIZABLE]);
  const pmt = emit("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: vmo }, pageSize, pageSize]);
  emit("zx_vmo_set_size", [{ h: vmo }, pageSize]);
  emit("zx_vmo_set_size", [{ h: vmo }, 2 * pageSize]);
  emit("zx_pmt_unpin", [{ h: pmt }]);
  emit("zx_vmo_set_size", [{ h: vmo }, pageSize]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:failed-pin-shrink` probe: a pin of both pages of a resizable
 * pager VMO whose page 0 is supplied, by a thread that fails instead of blocking: it pins page 0,
 * then needs a READ for page 1 and fails SHOULD_WAIT, unpinning page 0 (`undo` in
 * `#pinTracked`; `VmCowPages::PinRangeLocked` unpins on failure). The shrink to nothing that
 * follows is ZX_OK: no pin holds a page (the contract, from `PinHolds`). Random draws pin a
 * resizable pager VMO across an absent page and then shrink it almost never; a program of its
 * own, so no pinned schedule moves.
 */
export function failedPinShrinkProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const port = emit("zx_port_create", [0]);
  const pager = emit("zx_pager_create", [0]);
  const vmo = emit("zx_pager_create_vmo", [
    { h: pager },
    ZX_VMO_RESIZABLE,
    { h: port },
    0,
    2 * pageSize,
  ]);
  const aux = emit("zx_vmo_create", [pageSize, 0]);
  emit("zx_pager_supply_pages", [{ h: pager }, { h: vmo }, 0, pageSize, { h: aux }, 0]);
  const bti = emit("zx_bti_create", [0, 0]);
  emit("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: vmo }, 0, 2 * pageSize]);
  emit("zx_vmo_set_size", [{ h: vmo }, 0]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: true, calls }] };
}

/**
 * The campaign judge's `program:clone-pin-should-wait` probe: a fail-instead-of-block thread pins
 * the one page of an at-least-on-write clone of a pager VMO nothing was supplied to. The clone's
 * commit sends a READ for the root's page and fails SHOULD_WAIT, and so must the pin (it pins
 * only what the commit made present). Random draws seldom pin a clone in that mode before its
 * root holds the page; a program of its own, so no pinned schedule moves.
 */
export function clonePinShouldWaitProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const port = emit("zx_port_create", [0]);
  const pager = emit("zx_pager_create", [0]);
  const vmo = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, pageSize]);
  const clone = emit("zx_vmo_create_child", [
    { h: vmo },
    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
    0,
    pageSize,
  ]);
  const bti = emit("zx_bti_create", [0, 0]);
  emit("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: clone }, 0, pageSize]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: true, calls }] };
}

/**
 * The campaign judge's `program:size-edges` probe: calls whose size argument sits exactly at the
 * bound the syscall checks, which random draws reach seldom with every other argument valid.
 * `zx_pager_query_vmo_stats` with a buffer of exactly `sizeof(zx_pager_vmo_stats_t)` (ZX_OK) and
 * one byte less (ZX_ERR_BUFFER_TOO_SMALL), through a pager's handle to its own VMO with options
 * 0: the contract decides both (zx_pager_query_vmo_stats.md). Then `zx_vmo_create` of the first
 * size past every u64 (2^64 + 4096, the next double after 2^64): INVALID_ARGS (zx_vmo_create.md;
 * `HUGE`'s largest draw is 2^64 itself). Then a resizable VMO resized to 2^64 - 4096, a u64 past
 * upstream's largest VMO: OUT_OF_RANGE (`VmObjectPaged::Resize`), and a contiguous VMO of that
 * size through a BTI, which the contract leaves open (the model: OUT_OF_RANGE; a kernel that
 * made it anyway would try to hold 2^52 pages and crash).
 */
export function sizeEdgesProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const port = emit("zx_port_create", [0]);
  const pager = emit("zx_pager_create", [0]);
  const vmo = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, pageSize]);
  emit("zx_pager_query_vmo_stats", [{ h: pager }, { h: vmo }, 0, ZX_PAGER_VMO_STATS_SIZE]);
  emit("zx_pager_query_vmo_stats", [{ h: pager }, { h: vmo }, 0, ZX_PAGER_VMO_STATS_SIZE - 1]);
  // The first double past 2^64 (the model's u64 bound, inclusive: 2^64 - 1 is no double).
  emit("zx_vmo_create", [2 ** 64 + 4096, 0]);
  // A page-aligned u64 past upstream's largest VMO: a resize and a contiguous VMO of that size.
  const resizable = emit("zx_vmo_create", [pageSize, ZX_VMO_RESIZABLE]);
  emit("zx_vmo_set_size", [{ h: resizable }, 2 ** 64 - 4096]);
  const bti = emit("zx_bti_create", [0, 0]);
  emit("zx_vmo_create_contiguous", [{ h: bti }, 2 ** 64 - 4096, 0]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:zero-pinned-first-page` probe: a ZERO whose first whole page is
 * pinned on a TRAP_DIRTY pager VMO that nothing has modified. The page (supplied Clean, pinned
 * for read) is zeroed in place through the write path, which raises a DIRTY request for it first
 * (OpZeroPinned, pager-writeback.cc @ misttech/fuchsia 2e2b3562); the thread fails instead of
 * blocking (SHOULD_WAIT), so nothing is zeroed and the VMO stays unmodified (spec 2.7: a ZERO
 * "that zeroed something" marks it), as both stats queries report. Random draws seldom pin a
 * supplied page and then ZERO it with the stats flag clear.
 */
export function zeroPinnedFirstPageProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const port = emit("zx_port_create", [0]);
  const pager = emit("zx_pager_create", [0]);
  const vmo = emit("zx_pager_create_vmo", [
    { h: pager },
    ZX_VMO_TRAP_DIRTY,
    { h: port },
    0,
    2 * pageSize,
  ]);
  const aux = emit("zx_vmo_create", [2 * pageSize, 0]);
  emit("zx_pager_supply_pages", [{ h: pager }, { h: vmo }, 0, pageSize, { h: aux }, 0]);
  const bti = emit("zx_bti_create", [0, 0]);
  emit("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: vmo }, 0, pageSize]);
  emit("zx_pager_query_vmo_stats", [{ h: pager }, { h: vmo }, 0, ZX_PAGER_VMO_STATS_SIZE]);
  emit("zx_vmo_op_range", [{ h: vmo }, ZX_VMO_OP_ZERO, 0, pageSize]);
  emit("zx_pager_query_vmo_stats", [{ h: pager }, { h: vmo }, 0, ZX_PAGER_VMO_STATS_SIZE]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: true, calls }] };
}

/**
 * The campaign judge's `program:supply-contiguous-aux` probe: `zx_pager_supply_pages` from an aux
 * VMO `zx_vmo_create_contiguous` made. `VmObjectPaged::TakePages` refuses a contiguous VMO before
 * anything else it checks (vm_object_paged.cc @ misttech/fuchsia 056f3590; spec 2.4 step 6), so
 * each supply is ZX_ERR_NOT_SUPPORTED (the contract predicts it): one page of a written 2-page
 * contiguous VMO, one whose aux range lies past the aux VMO's end, and an empty one. The aux VMO
 * keeps its bytes (read-content judges the read after). Random draws supply from a contiguous VMO
 * almost never; a program of its own, so no pinned schedule moves.
 */
export function supplyContiguousAuxProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const port = emit("zx_port_create", [0]);
  const pager = emit("zx_pager_create", [0]);
  const vmo = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, 2 * pageSize]);
  const bti = emit("zx_bti_create", [0, 0]);
  const aux = emit("zx_vmo_create_contiguous", [{ h: bti }, 2 * pageSize, 0]);
  emit("zx_vmo_write", [{ h: aux }, { bytes: 2 * pageSize, fill: 0x5a }, 0]);
  emit("zx_pager_supply_pages", [{ h: pager }, { h: vmo }, 0, pageSize, { h: aux }, 0]);
  emit("zx_pager_supply_pages", [{ h: pager }, { h: vmo }, 0, pageSize, { h: aux }, 2 * pageSize]);
  emit("zx_pager_supply_pages", [{ h: pager }, { h: vmo }, 0, 0, { h: aux }, 0]);
  emit("zx_vmo_read", [{ h: aux }, 0, 2 * pageSize]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: true, calls }] };
}

/**
 * The campaign judge's `program:num-children-death` probe: `num_children` of ZX_INFO_VMO across
 * the death of a child that has children of its own (program/child_count.ts). A supplied 2-page
 * pager VMO gets two SNAPSHOT_MODIFIED children, the first of which gets one of its own (the
 * chain of `Snapshot.ReleaseCowParentPagesRight`); the root is queried (2), the
 * middle child's only handle closed (its child now counts on the root: still 2, as
 * `Snapshot.ReleaseCowParentPagesRight` keeps one), the other child closed (1), the grandchild
 * closed (0), the root queried after each. Random draws close a middle VMO and then query its
 * parent seldom; a program of its own, so no pinned schedule moves.
 */
export function numChildrenDeathProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const port = emit("zx_port_create", [0]);
  const pager = emit("zx_pager_create", [0]);
  const root = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, 2 * pageSize]);
  const aux = emit("zx_vmo_create", [2 * pageSize, 0]);
  emit("zx_pager_supply_pages", [{ h: pager }, { h: root }, 0, 2 * pageSize, { h: aux }, 0]);
  const snap = ZX_VMO_CHILD_SNAPSHOT_MODIFIED;
  const mid = emit("zx_vmo_create_child", [{ h: root }, snap, 0, 2 * pageSize]);
  const grand = emit("zx_vmo_create_child", [{ h: mid }, snap, 0, pageSize]);
  const other = emit("zx_vmo_create_child", [{ h: root }, snap, 0, pageSize]);
  const query = () => emit("zx_object_get_info", [{ h: root }, ZX_INFO_VMO]);
  query();
  emit("zx_handle_close", [{ h: mid }]);
  query();
  emit("zx_handle_close", [{ h: other }]);
  query();
  emit("zx_handle_close", [{ h: grand }]);
  query();
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:child-held-by-read` probe: a child kept alive by its handle while
 * two calls hold it too. A 2-page pager VMO with page 0 supplied gets an at-least-on-write clone;
 * thread 1 reads the clone's page 1 and parks on the root's READ; thread 0 takes that request's
 * packet off the port (so the read is parked) and reads the clone's page 0 (there: ZX_OK). The
 * clone's handle is open throughout, so it stays the root's child, and `zx_object_wait_one` on
 * the root must not see ZX_VMO_ZERO_CHILDREN (futex-discipline's `zero-children`: a child whose
 * `zx_vmo_create_child` handle is open is alive). Then page 1 is supplied and the parked read
 * returns. A kernel that lets a VMO go when its handles plus mappings *minus* its calls in flight
 * reach 0 drops the clone as the second read ends (handles 1, calls in flight 1). Random draws
 * finish a read of a child while another read of it is parked, then ask for the parent's signals,
 * seldom.
 */
export function childHeldByReadProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const port = emit("zx_port_create", [0]);
  const pager = emit("zx_pager_create", [0]);
  const root = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, 2 * pageSize]);
  const aux = emit("zx_vmo_create", [2 * pageSize, 0]);
  emit("zx_pager_supply_pages", [{ h: pager }, { h: root }, 0, pageSize, { h: aux }, 0]);
  const clone = emit("zx_vmo_create_child", [
    { h: root },
    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
    0,
    2 * pageSize,
  ]);
  const packet = emit("zx_port_wait", [{ h: port }, { after: 1000 }]);
  emit("zx_vmo_read", [{ h: clone }, 0, pageSize]);
  emit("zx_object_wait_one", [{ h: root }, ZX_VMO_ZERO_CHILDREN, 0]);
  supplyFromPacket(emit, { pager, vmo: root, aux }, packet);
  return {
    pageSize,
    overtimeTicks: 0,
    threads: [
      { failInsteadOfBlock: false, calls },
      // The read is made ten times: those that run before the clone exists are BAD_HANDLE, and
      // one parks on the request (threads start together; nothing orders them).
      {
        failInsteadOfBlock: false,
        calls: Array.from({ length: 10 }, () => ({
          call: "zx_vmo_read" as const,
          args: [{ h: clone }, pageSize, pageSize],
        })),
      },
    ],
  };
}

/**
 * The campaign judge's `program:unmap-between-regions` probe: `zx_vmar_unmap` of a mapping that
 * lies between two sub-regions, touching both and overlapping neither. In a fresh 3-page region,
 * one-page sub-regions at pages 0 and 2 and a one-page mapping at page 1; the unmap of exactly
 * that mapping is ZX_OK (the contract: no sub-region in the range, one mapping exactly it), and
 * a copy into the page after is INVALID_ARGS (nothing mapped there). Random draws place a
 * mapping flush against sub-regions on both sides and unmap exactly it seldom; a program of its
 * own, so no pinned schedule moves.
 */
export function unmapBetweenRegionsProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const region = emit("zx_vmar_allocate", [
    { vmar: 0 },
    ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE,
    0,
    3 * pageSize,
  ]);
  const sub = (page: number) =>
    emit("zx_vmar_allocate", [
      { h: region },
      ZX_VM_SPECIFIC | ZX_VM_CAN_MAP_READ,
      page * pageSize,
      pageSize,
    ]);
  sub(0);
  sub(2);
  const vmo = emit("zx_vmo_create", [pageSize, 0]);
  const map = emit("zx_vmar_map", [
    { h: region },
    ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_SPECIFIC,
    pageSize,
    { h: vmo },
    0,
    pageSize,
  ]);
  emit("zx_vmar_unmap", [{ h: region }, { addr: map, plus: 0 }, pageSize]);
  const source = emit("zx_vmo_create", [pageSize, 0]);
  emit("zx_vmo_read", [{ h: source }, 0, 8, { addr: map, plus: 0 }]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:query-dirty-edges` probe: `zx_pager_query_dirty_ranges` from a
 * page offset, and with garbage arguments past its lookups. A supplied 2-page pager VMO whose
 * page 1 a one-byte write made Dirty is queried over page 1 alone (one range, which dirty-state
 * K19 judges against the page states), then with an offset, a length and a buffer size that are
 * each no u64 (the contract: INVALID_ARGS, each alone). Random draws query from offset 0 (the
 * writeback service and the tails do too) and pass garbage with a valid pager and VMO almost
 * never; a program of its own, so no pinned schedule moves.
 */
export function queryDirtyEdgesProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const { pager, root: vmo } = suppliedRoot(emit, pageSize, 0x11, 2);
  emit("zx_vmo_write", [{ h: vmo }, { bytes: 1, fill: 0x22 }, pageSize]);
  const query = (offset: number, length: number, bufferSize: number) =>
    emit("zx_pager_query_dirty_ranges", [{ h: pager }, { h: vmo }, offset, length, bufferSize]);
  query(pageSize, pageSize, 24);
  query(-1, pageSize, 24);
  query(pageSize, Number.NaN, 24);
  query(0, pageSize, -1);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:slice-fault` probe: loads through a mapped slice that starts a
 * page into its pager VMO. A 3-page pager VMO is supplied with a fill of its own per page, its
 * pages 1-2 sliced and the slice mapped, and each mapped page loaded: the fault looks page
 * `p + 1` of the root up (present, so no request; page-state and read-content judge the rest).
 * Random draws map a slice at an offset and load through it seldom (gapX22's open reach); a
 * program of its own, so no pinned schedule moves.
 */
export function sliceFaultProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const port = emit("zx_port_create", [0]);
  const pager = emit("zx_pager_create", [0]);
  const vmo = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, 3 * pageSize]);
  const aux = emit("zx_vmo_create", [3 * pageSize, 0]);
  for (let p = 0; p < 3; p++) {
    emit("zx_vmo_write", [{ h: aux }, { bytes: pageSize, fill: 0x10 + p }, p * pageSize]);
  }
  emit("zx_pager_supply_pages", [{ h: pager }, { h: vmo }, 0, 3 * pageSize, { h: aux }, 0]);
  const slice = emit("zx_vmo_create_child", [
    { h: vmo },
    ZX_VMO_CHILD_SLICE,
    pageSize,
    2 * pageSize,
  ]);
  const map = emit("zx_vmar_map", [{ vmar: 0 }, ZX_VM_PERM_READ, 0, { h: slice }, 0, 2 * pageSize]);
  emit("mem_read", [{ addr: map, plus: 0 }, 8]);
  emit("mem_read", [{ addr: map, plus: pageSize }, 8]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:execute-regions` probe: a sub-region asking for CAN_MAP_EXECUTE,
 * SPECIFIC at offset 0, in a region made with CAN_MAP_EXECUTE (ZX_OK: the contract knows the
 * region's flags and its handle's rights from its own call) and in one made without it
 * (ACCESS_DENIED: its handle has no EXECUTE right). Random region layouts make CAN_MAP_EXECUTE
 * regions but seldom allocate in them asking for it again; a program of its own, so no pinned
 * schedule moves.
 */
export function executeRegionsProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const can = ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ;
  for (const execute of [ZX_VM_CAN_MAP_EXECUTE, 0]) {
    const region = emit("zx_vmar_allocate", [{ vmar: 0 }, can | execute, 0, 2 * pageSize]);
    emit("zx_vmar_allocate", [
      { h: region },
      ZX_VM_SPECIFIC | ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_EXECUTE,
      0,
      pageSize,
    ]);
  }
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:user-write-offset` probe: `zx_vmo_write` at a page offset of its
 * VMO from a user buffer at the start of a 2-page readable mapping, then the bytes read back.
 * The copy reads the buffer from its first byte whatever the VMO offset, so it cannot fault (the
 * contract: ZX_OK for a buffer the mappings cover). Random draws give a user buffer to a write at
 * offset 0, or to one whose buffer lies where the offset cannot move the copy off the mapping; a
 * program of its own, so no pinned schedule moves. At an `offset` that keeps a wrong copy inside
 * the mapping (half a page) only read-content's R6 sees where the bytes came from; so it does for
 * the last write, a page from half a page into the buffer, whose copy's second part must start
 * where its first ended.
 */
export function userWriteOffsetProgram(pageSize = 4096, offset = pageSize): Program {
  const { calls, emit } = probeThread();
  const source = emit("zx_vmo_create", [2 * pageSize, 0]);
  emit("zx_vmo_write", [{ h: source }, { bytes: 2 * pageSize, fill: 0x31 }, 0]);
  const map = emit("zx_vmar_map", [
    { vmar: 0 },
    ZX_VM_PERM_READ,
    0,
    { h: source },
    0,
    2 * pageSize,
  ]);
  const target = emit("zx_vmo_create", [2 * pageSize, 0]);
  emit("zx_vmo_write", [{ h: target }, { bytes: 8, fill: 0 }, offset, { addr: map, plus: 0 }]);
  emit("zx_vmo_read", [{ h: target }, offset, 8]);
  // A page from half a page into the buffer: the copy crosses the buffer's page boundary inside
  // one page of the VMO (R6 places each part of it).
  emit("zx_vmo_write", [{ h: target }, { bytes: pageSize, fill: 0 }, 0, {
    addr: map,
    plus: pageSize / 2,
  }]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:hint-then-close` probe: a pager VMO given a DONT_NEED hint, then
 * its only handle closed, then its port waited on: the hint held the VMO only while it ran, so
 * the close ends the VMO and its COMPLETE is on the port at once (program/complete_model.ts).
 * Random draws name a VMO they close in other calls too, which leaves it unjudged; a program of
 * its own, so no pinned schedule moves.
 */
export function hintThenCloseProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const port = emit("zx_port_create", [0]);
  const pager = emit("zx_pager_create", [0]);
  const vmo = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 7, pageSize]);
  emit("zx_vmo_op_range", [{ h: vmo }, ZX_VMO_OP_DONT_NEED, 0, pageSize]);
  emit("zx_handle_close", [{ h: vmo }]);
  emit("zx_port_wait", [{ h: port }, 0]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:clone-shrink-grow` probe: a resizable at-least-on-write clone of
 * a pager VMO whose two pages were supplied with bytes of their own is shrunk to nothing, grown
 * back to two pages and read: the shrink cut the clone's view of its parent for good, so it reads
 * zeros (CloneShrinkGrowParent; read-content's clone model keeps the cut limit), not the parent's
 * bytes. Random draws seldom shrink a resizable clone, grow it and read it again; a program of
 * its own, so no pinned schedule moves.
 */
export function cloneShrinkGrowProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const { root: vmo } = suppliedRoot(emit, pageSize, 0x5a, 2);
  const clone = emit("zx_vmo_create_child", [
    { h: vmo },
    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE | ZX_VMO_CHILD_RESIZABLE,
    0,
    2 * pageSize,
  ]);
  emit("zx_vmo_set_size", [{ h: clone }, 0]);
  emit("zx_vmo_set_size", [{ h: clone }, 2 * pageSize]);
  emit("zx_vmo_read", [{ h: clone }, 0, 2 * pageSize]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:slice-pin-zero` probe: `zx_bti_pin` for READ|WRITE through a
 * slice that starts a page into a supplied pager VMO (not TRAP_DIRTY, so the pin makes the root's
 * page 1 Dirty and write-pins it directly), then a ZERO of the slice's one page (pinned: zeroed in
 * place through the write path, OpZeroPinned, so it still holds a page when a pin of the root's
 * page 0 checks every pin of the VMO), then both PMTs unpinned. Random draws pin a
 * slice at an offset for write, or ZERO a pinned page through a slice, seldom; a program of its
 * own, so no pinned schedule moves.
 */
export function slicePinZeroProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const { root: vmo } = suppliedRoot(emit, pageSize, 0x6b, 2);
  const slice = emit("zx_vmo_create_child", [{ h: vmo }, ZX_VMO_CHILD_SLICE, pageSize, pageSize]);
  const bti = emit("zx_bti_create", [0, 0]);
  const pmt = emit("zx_bti_pin", [
    { h: bti },
    ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE,
    { h: slice },
    0,
    pageSize,
  ]);
  emit("zx_vmo_op_range", [{ h: slice }, ZX_VMO_OP_ZERO, 0, pageSize]);
  const other = emit("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: vmo }, 0, pageSize]);
  emit("zx_pmt_unpin", [{ h: other }]);
  emit("zx_pmt_unpin", [{ h: pmt }]);
  emit("zx_vmo_read", [{ h: vmo }, 0, 2 * pageSize]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:hint-plain` probe: eviction hints on a plain anonymous VMO commit
 * nothing (`VmObjectPaged::HintRange` ignores them for a VMO with no user pager). A 2-page VMO is
 * written (both pages committed), decommitted whole (CommitCeiling: no page committed), hinted
 * DONT_NEED and ALWAYS_NEED over both pages and queried: `committed_bytes` is still 0. Random
 * draws hint a decommitted plain VMO and query it before touching it otherwise seldom; a program
 * of its own, so no pinned schedule moves.
 */
export function hintPlainProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const vmo = emit("zx_vmo_create", [2 * pageSize, 0]);
  emit("zx_vmo_write", [{ h: vmo }, { bytes: 2 * pageSize, fill: 0x21 }, 0]);
  emit("zx_vmo_op_range", [{ h: vmo }, ZX_VMO_OP_DECOMMIT, 0, 2 * pageSize]);
  emit("zx_vmo_op_range", [{ h: vmo }, ZX_VMO_OP_DONT_NEED, 0, 2 * pageSize]);
  emit("zx_vmo_op_range", [{ h: vmo }, ZX_VMO_OP_ALWAYS_NEED, 0, 2 * pageSize]);
  emit("zx_object_get_info", [{ h: vmo }, ZX_INFO_VMO]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:read-only-store` probe: a load and then a store through a
 * read-only mapping of an anonymous VMO. The load reads; the store is a fatal page fault with
 * ZX_ERR_ACCESS_DENIED (the contract's `accessDenied`: the mapping the model holds there has no
 * PERM_WRITE), which ends the thread. Random programs store through a read-only mapping seldom
 * and mostly with other threads beside; a program of its own, so no pinned schedule moves.
 */
export function readOnlyStoreProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const vmo = emit("zx_vmo_create", [pageSize, 0]);
  const map = emit("zx_vmar_map", [{ vmar: 0 }, ZX_VM_PERM_READ, 0, { h: vmo }, 0, pageSize]);
  emit("mem_read", [{ addr: map, plus: 0 }, 8]);
  emit("mem_write", [{ addr: map, plus: 0 }, { bytes: 8, fill: 0x44 }]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/** Most calls a mutated program may have (keeps runs short). */
export const MAX_PROGRAM_CALLS = 60;

/**
 * One AFL-style mutation: insert generated calls, delete a call, splice in
 * calls from another program, change one argument, duplicate a call, or add
 * or remove a thread.
 */
export function mutateProgram(d: Draw, p: Program, donor?: Program): Program {
  const t = d.int(p.threads.length);
  const calls = p.threads[t].calls;
  const op = d.int(10);
  if (op < 3 || calls.length === 0) {
    if (callCount(p) >= MAX_PROGRAM_CALLS) {
      return removeCall(p, t, d.int(Math.max(1, calls.length)));
    }
    const at = d.int(calls.length + 1);
    return insertCalls(p, t, at, generateCalls(d, p, t, at));
  }
  if (op < 5) return removeCall(p, t, d.int(calls.length));
  if (op < 7) {
    const c = d.int(calls.length);
    const call = calls[c];
    // One past the last argument, while optional ones remain: a user buffer may be added.
    const most = CALLS[call.call].params.length + CALLS[call.call].optional.length;
    const slots = Math.min(call.args.length + 1, most);
    if (slots === 0) return p;
    const i = d.int(slots);
    const fresh = new CallBuilder(d, p, t, c);
    fresh.add(call.call);
    const replacement = fresh.calls[fresh.calls.length - 1];
    const prefix = fresh.calls.slice(0, -1);
    const arg = replacement.args[i];
    // The fresh call drew no optional argument there: the mutation drops it (and those after).
    const args = arg === undefined
      ? call.args.slice(0, i)
      : i === call.args.length
      ? [...call.args, arg]
      : call.args.map((a, j) => (j === i ? arg : a));
    const changed: ProgramCall = { ...call, args };
    const withPrefix = insertCalls(p, t, c, prefix);
    return {
      ...withPrefix,
      threads: withPrefix.threads.map((th, k) =>
        k === t
          ? { ...th, calls: th.calls.map((x, j) => (j === c + prefix.length ? changed : x)) }
          : th
      ),
    };
  }
  if (op < 8 && donor !== undefined) {
    const dt = donor.threads[d.int(donor.threads.length)].calls;
    if (dt.length === 0) return p;
    const from = d.int(dt.length);
    const chunk = dt.slice(from, from + 1 + d.int(6));
    // Spliced references keep their numbers: they now name this program's calls, resource-typed or not.
    return insertCalls(p, t, d.int(calls.length + 1), chunk);
  }
  if (op < 9) {
    const c = d.int(calls.length);
    return insertCalls(p, t, c + 1, [calls[c]]);
  }
  if (p.threads.length > 1 && d.int(2) === 0) return removeThread(p, t);
  if (p.threads.length >= 4) return p;
  const grown: Program = {
    ...p,
    threads: [...p.threads, { failInsteadOfBlock: false, calls: [] }],
  };
  const nt = grown.threads.length - 1;
  return insertCalls(grown, nt, 0, generateCalls(d, grown, nt, 0));
}

/**
 * A fast-check arbitrary of programs. Every choice is one `fc.gen()` draw,
 * so fast-check shrinks a failing program by shrinking its draws (fewer
 * threads, fewer calls, earlier resources, the first option of each choice).
 *
 * @example
 * ```ts
 * import fc from "npm:fast-check@4.11.0";
 * import { programArbitrary } from "./generate.ts";
 * const [p] = fc.sample(programArbitrary(), { numRuns: 1, seed: 7 });
 * console.assert(p.threads.length >= 1);
 * ```
 */
export function programArbitrary(options: GenerateOptions = {}): fc.Arbitrary<Program> {
  return fc.gen().map((g) =>
    generateProgram({ int: (n) => (n <= 1 ? 0 : g(fc.integer, { min: 0, max: n - 1 })) }, options)
  );
}

/**
 * The campaign judge's `program:region-remnants` probe: what a VMAR call leaves behind. First a
 * 2-page mapping overwritten (SPECIFIC_OVERWRITE) over its second page only, then over its first
 * only: upstream splits it and keeps the other page mapped, the model refuses NOT_SUPPORTED (the
 * contract takes either), so either way a SPECIFIC map at either page finds something there
 * (ALREADY_EXISTS). Then a region
 * with a sub-region in it destroyed: the sub-region is destroyed with it, so a map into it and
 * its own destroy are BAD_STATE (zx_vmar_destroy.md: "its children are destroyed as well"; the
 * VMAR picture marks them). Random draws overwrite the tail of a mapping and then map at its
 * head, or use a sub-region after its parent was destroyed, seldom; a program of its own, so no
 * pinned schedule moves.
 */
export function regionRemnantsProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const can = ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ;
  const two = emit("zx_vmo_create", [2 * pageSize, 0]);
  const one = emit("zx_vmo_create", [pageSize, 0]);
  const region = emit("zx_vmar_allocate", [{ vmar: 0 }, can, 0, 2 * pageSize]);
  const read = ZX_VM_PERM_READ;
  emit("zx_vmar_map", [{ h: region }, ZX_VM_SPECIFIC | read, 0, { h: two }, 0, 2 * pageSize]);
  for (const page of [1, 0]) {
    const at = page * pageSize;
    emit("zx_vmar_map", [
      { h: region },
      ZX_VM_SPECIFIC_OVERWRITE | read,
      at,
      { h: one },
      0,
      pageSize,
    ]);
  }
  for (const page of [0, 1]) {
    emit("zx_vmar_map", [
      { h: region },
      ZX_VM_SPECIFIC | read,
      page * pageSize,
      { h: one },
      0,
      pageSize,
    ]);
  }
  const outer = emit("zx_vmar_allocate", [{ vmar: 0 }, can, 0, 2 * pageSize]);
  const inner = emit("zx_vmar_allocate", [{ h: outer }, can, 0, pageSize]);
  emit("zx_vmar_destroy", [{ h: outer }]);
  emit("zx_vmar_map", [{ h: inner }, read, 0, { h: one }, 0, pageSize]);
  emit("zx_vmar_destroy", [{ h: inner }]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:quarantined-pin` probe: a pin token closed without
 * `zx_pmt_unpin` is quarantined in its BTI for good, and a later pin on that BTI is BAD_STATE
 * (the contract's `quarantined`, from the program's own pin and close). One plain page pinned
 * through a fresh BTI, the token's only handle closed, the page pinned again (BAD_STATE), the
 * second page of a resizable VMO pinned on that BTI (BAD_STATE: the pin lets it go again, so a
 * shrink past it is ZX_OK: `PinHolds` drops a pin that returned an error), and a pin through a
 * second BTI that holds no token (ZX_OK), unpinned. Random draws close a token and
 * pin again on its BTI seldom, and the contract left every pin after any token close undecided;
 * a program of its own, so no pinned schedule moves.
 */
export function quarantinedPinProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const vmo = emit("zx_vmo_create", [pageSize, 0]);
  const bti = emit("zx_bti_create", [0, 0]);
  const token = emit("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: vmo }, 0, pageSize]);
  emit("zx_handle_close", [{ h: token }]);
  emit("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: vmo }, 0, pageSize]);
  // A refused pin lets go of what it pinned: the page past a shrink is not held.
  const spare = emit("zx_vmo_create", [2 * pageSize, ZX_VMO_RESIZABLE]);
  emit("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: spare }, pageSize, pageSize]);
  emit("zx_vmo_set_size", [{ h: spare }, pageSize]);
  const clean = emit("zx_bti_create", [0, 1]);
  const other = emit("zx_bti_pin", [{ h: clean }, ZX_BTI_PERM_READ, { h: vmo }, 0, pageSize]);
  emit("zx_pmt_unpin", [{ h: other }]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:loan-pin-unloan` probe: a pager page living in a loaned frame is
 * pinned, then the frame's owner takes it back. A 1-page contiguous VMO is written and
 * decommitted (its frame lent: loaning is on in every program's kernel), a supplied pager page
 * borrows it, a BTI pin of that page moves it to a non-loaned page and frees the frame again
 * (`ReplacePagesWithNonLoanedLocked` before `PinRangeLocked`, vm_object_paged.cc), and a write
 * to the contiguous VMO takes the frame back (`UnloanRange`): the pool's own assertion finds the
 * free frame in its free list. Then both VMOs are read (read-content) and the pin let go. Random
 * draws decommit a contiguous VMO, supply a pager VMO, pin it and write the contiguous VMO again
 * in that order almost never; a program of its own, so no pinned schedule moves.
 */
export function loanPinUnloanProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const bti = emit("zx_bti_create", [0, 0]);
  const owner = emit("zx_vmo_create_contiguous", [{ h: bti }, pageSize, 0]);
  emit("zx_vmo_write", [{ h: owner }, { bytes: pageSize, fill: 0x17 }, 0]);
  emit("zx_vmo_op_range", [{ h: owner }, ZX_VMO_OP_DECOMMIT, 0, pageSize]);
  const { root: vmo } = suppliedRoot(emit, pageSize, 0x4e);
  const pmt = emit("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: vmo }, 0, pageSize]);
  emit("zx_vmo_write", [{ h: owner }, { bytes: pageSize, fill: 0x29 }, 0]);
  emit("zx_vmo_read", [{ h: owner }, 0, pageSize]);
  emit("zx_vmo_read", [{ h: vmo }, 0, pageSize]);
  emit("zx_pmt_unpin", [{ h: pmt }]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:clone-chain-read-run` probe: where a clone of a clone's READ run
 * stops (spec 3.4: "at the first offset where an intermediate clone owns a page (so forked pages
 * are never requested)", Pager.PageRequestBatchingChecksAncestorPages, pager.cc @ misttech/fuchsia
 * 6774606f). A fail-instead-of-block thread reads two inner clones whole, each read sending its
 * READ and returning SHOULD_WAIT: one whose middle clone's view of a resizable root was cut to two
 * pages by a shrink and grow of the root (the run stops where the view ends: pages past it are
 * not the root's to ask for), and one whose middle clone owns its page 2 (zeroed: the run stops
 * before it). Random draws build a clone of a clone over a cut or a forked page and read it
 * before the root holds the pages seldom; a program of its own, so no pinned schedule moves.
 */
export function cloneChainReadRunProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const opts = ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
  const port = emit("zx_port_create", [0]);
  const pager = emit("zx_pager_create", [0]);
  const cut = emit("zx_pager_create_vmo", [
    { h: pager },
    ZX_VMO_RESIZABLE,
    { h: port },
    1,
    4 * pageSize,
  ]);
  const cutClone = emit("zx_vmo_create_child", [{ h: cut }, opts, 0, 4 * pageSize]);
  emit("zx_vmo_set_size", [{ h: cut }, 2 * pageSize]);
  emit("zx_vmo_set_size", [{ h: cut }, 4 * pageSize]);
  emit("zx_vmo_write", [{ h: cutClone }, { bytes: 8, fill: 0x01 }, 3 * pageSize]);
  const cutInner = emit("zx_vmo_create_child", [{ h: cutClone }, opts, 0, 4 * pageSize]);
  emit("zx_vmo_read", [{ h: cutInner }, 0, 4 * pageSize]);
  const forked = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 2, 4 * pageSize]);
  const forkedClone = emit("zx_vmo_create_child", [{ h: forked }, opts, 0, 4 * pageSize]);
  emit("zx_vmo_op_range", [{ h: forkedClone }, ZX_VMO_OP_ZERO, 2 * pageSize, pageSize]);
  const forkedInner = emit("zx_vmo_create_child", [{ h: forkedClone }, opts, 0, 4 * pageSize]);
  emit("zx_vmo_read", [{ h: forkedInner }, 0, 4 * pageSize]);
  emit("zx_port_wait", [{ h: port }, 0]);
  emit("zx_port_wait", [{ h: port }, 0]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: true, calls }] };
}

/**
 * The campaign judge's `program:timed-out-heir` probe: a request whose primary times out is
 * handed to its overlap waiter, and when that one times out too the request is gone and its
 * packet, never dequeued, is withdrawn (packet-discipline: "a resolved request's packet is
 * withdrawn and never delivered"). Thread 0 reads pages [0, 4) of a pager VMO no one answers
 * (READ #1, its packet left in the port); thread 1 first waits on a port of its own for 20 ticks
 * (so thread 0's read parks first), then reads page 2 (an overlap waiter of #1), waits 400 more
 * ticks while both reads time out (overtime 100 ticks: `CancelRequestLocked` gives #1 to the
 * overlap waiter, whose own time-out then ends it), and waits on the pager's port: nothing (ZX_ERR_TIMED_OUT).
 * Random programs seldom let two overlapping reads of an unanswered VMO time out one after
 * the other with the packet still queued; a program of its own, so no pinned schedule moves.
 */
export function timedOutHeirProgram(pageSize = 4096): Program {
  const { e0, e1, threads } = probeThreads();
  const port = e0("zx_port_create", [0]);
  const pager = e0("zx_pager_create", [0]);
  const vmo = e0("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, 4 * pageSize]);
  e0("zx_vmo_read", [{ h: vmo }, 0, 4 * pageSize]);
  const own = e1("zx_port_create", [0]);
  e1("zx_port_wait", [{ h: own }, { after: 20 }]);
  e1("zx_vmo_read", [{ h: vmo }, 2 * pageSize, pageSize]);
  e1("zx_port_wait", [{ h: own }, { after: 400 }]);
  e1("zx_port_wait", [{ h: port }, { after: 100 }]);
  return { pageSize, overtimeTicks: 100, threads };
}

/**
 * The campaign judge's `program:dirty-outside` probe: DIRTY requests outstanding while the pager
 * dirties other pages, and while it sends an OP_DIRTY whose range overflows (single-supply's
 * `resolve-count`: an OP_DIRTY completes only DIRTY requests its range overlaps, and one whose
 * offset plus length overflows a u64 none: `VmObjectPaged::DirtyPages` fails `GetCowRange` with
 * ZX_ERR_OUT_OF_RANGE first). A TRAP_DIRTY pager VMO of three pages, supplied whole. Thread 0
 * writes page 0 (DIRTY #1 [0, 1)), then page 2 (DIRTY #2 [2, 3)), then reads the VMO. Thread 1,
 * after 20 ticks on a port of its own, takes #1's packet, dirties page 1 twice (the second over a
 * Dirty page), then page 0 (#1 done); after 20 more ticks it takes #2's packet, sends OP_DIRTY
 * from page 1 for 2^64 - 1 page bytes (OUT_OF_RANGE), then dirties page 2. Random programs
 * almost never leave a DIRTY request waiting while the pager dirties beside it; a program of its
 * own, so no pinned schedule moves.
 */
export function dirtyOutsideProgram(pageSize = 4096): Program {
  const { e0, e1, threads } = probeThreads();
  const port = e0("zx_port_create", [0]);
  const pager = e0("zx_pager_create", [0]);
  const vmo = e0("zx_pager_create_vmo", [
    { h: pager },
    ZX_VMO_TRAP_DIRTY,
    { h: port },
    0,
    3 * pageSize,
  ]);
  const aux = e0("zx_vmo_create", [3 * pageSize, 0]);
  e0("zx_vmo_write", [{ h: aux }, { bytes: 3 * pageSize, fill: 0x21 }, 0]);
  e0("zx_pager_supply_pages", [{ h: pager }, { h: vmo }, 0, 3 * pageSize, { h: aux }, 0]);
  e0("zx_vmo_write", [{ h: vmo }, { bytes: 8, fill: 0x42 }, 0]);
  e0("zx_vmo_write", [{ h: vmo }, { bytes: 8, fill: 0x43 }, 2 * pageSize]);
  e0("zx_vmo_read", [{ h: vmo }, 0, 3 * pageSize]);
  const own = e1("zx_port_create", [0]);
  const dirty = (offset: number, length: number) =>
    e1("zx_pager_op_range", [{ h: pager }, ZX_PAGER_OP_DIRTY, { h: vmo }, offset, length, 0]);
  e1("zx_port_wait", [{ h: own }, { after: 20 }]);
  e1("zx_port_wait", [{ h: port }, { after: 100 }]);
  dirty(pageSize, pageSize);
  dirty(pageSize, pageSize);
  dirty(0, pageSize);
  e1("zx_port_wait", [{ h: own }, { after: 20 }]);
  e1("zx_port_wait", [{ h: port }, { after: 100 }]);
  dirty(pageSize, 2 ** 64 - pageSize);
  dirty(2 * pageSize, pageSize);
  return { pageSize, overtimeTicks: 0, threads };
}

/**
 * The campaign judge's `program:shard4-edges` probe: one thread, edges the fresh shard 4 of 8 on
 * db8cb50 found no probe reaching (docs/mutation.md, helper triage28a), each an outcome the
 * contract predicts. A port's handle duplicated: ZX_OK (a port's default rights include
 * DUPLICATE: rights.h, as handle_model.ts keeps them). An async wait for ZX_VMO_ZERO_CHILDREN on
 * a pager VMO with one clone, the clone's handle closed, then the wait's port waited on with its
 * deadline past: the signal rose as the clone went, so the packet is there (ZX_OK;
 * signal_port_model.ts `raiseZeroChildren`). A WRITEBACK_BEGIN with
 * `ZX_VMO_DIRTY_RANGE_IS_ZERO` over a page of a pager VMO that cannot change size: ZX_OK
 * (zx_pager_op_range.md: BEGIN takes 0 or IS_ZERO). A page of a plain VMO pinned twice and
 * unpinned twice, then DECOMMITted: ZX_OK, no pin holds it (`anon_op_range.ts`; a page pinned
 * twice stays pinned until its second unpin). A `zx_vmo_read` at a page offset into a user buffer
 * mapped one page long: ZX_OK, the copy fills the buffer from its first byte whatever the offset
 * (the contract's `copyCertain`; a copy that started at twice the offset would leave the mapping).
 * A resizable pager VMO of one page grown to two (zero interval [1, 2)), WRITEBACK_BEGIN over
 * page 1, grown to three (the interval now [1, 3), its awaiting-clean end still 2), WRITEBACK_END
 * over [1, 3): only page 1 goes (dirty-state K17; `VmPageList::AddZeroIntervalInternal` keeps the
 * left interval's AwaitingCleanLength, vm_page_list.cc @ misttech/fuchsia d72ea0ee), its dirty
 * ranges queried. A pager VMO of two pages supplied from an uncommitted aux (two markers) and
 * ZEROed whole: the markers stay markers, nothing dirty (dirty-state K17; audit Z1, conformance
 * A3 OpZeroWithMarkers), its dirty ranges queried; then a slice of its page 1 ZEROed in its first
 * half: `ZeroPartialPage` skips the root's marker under it (K17). A supplied pager VMO's
 * at-least-on-write clone ZEROs its page 0 (the clone's own marker), then a SNAPSHOT_MODIFIED
 * child of the clone reads zeros there, not the root's bytes (read-content R1: a snapshot copies
 * the clone's private pages, markers included; snapshot.cc Smoke, audit T2). Last, a second
 * clone of that root mapped, loaded from (a mapping fault holds the clone while it runs), unmapped
 * and closed: the root then counts only the first clone (ChildCount; `VmMapping::DestroyLocked`
 * lets go of the VMO). The judge runs it at page size 8, the smallest the
 * program schema takes, which no other probe uses (a kernel refusing it went unseen).
 */
export function shard4EdgesProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const port = emit("zx_port_create", [0]);
  emit("zx_handle_duplicate", [{ h: port }, ZX_RIGHT_SAME_RIGHTS]);
  const pager = emit("zx_pager_create", [0]);
  const vmo = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, 2 * pageSize]);
  const child = emit("zx_vmo_create_child", [
    { h: vmo },
    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
    0,
    pageSize,
  ]);
  const signals = emit("zx_port_create", [0]);
  emit("zx_object_wait_async", [{ h: vmo }, { h: signals }, 7, ZX_VMO_ZERO_CHILDREN, 0]);
  emit("zx_handle_close", [{ h: child }]);
  emit("zx_port_wait", [{ h: signals }, 0]);
  emit("zx_pager_op_range", [
    { h: pager },
    ZX_PAGER_OP_WRITEBACK_BEGIN,
    { h: vmo },
    0,
    pageSize,
    ZX_VMO_DIRTY_RANGE_IS_ZERO,
  ]);
  const plain = emit("zx_vmo_create", [pageSize, 0]);
  emit("zx_vmo_write", [{ h: plain }, { bytes: pageSize, fill: 0x3c }, 0]);
  const bti = emit("zx_bti_create", [0, 0]);
  const first = emit("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: plain }, 0, pageSize]);
  const second = emit("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: plain }, 0, pageSize]);
  emit("zx_pmt_unpin", [{ h: first }]);
  emit("zx_pmt_unpin", [{ h: second }]);
  emit("zx_vmo_op_range", [{ h: plain }, ZX_VMO_OP_DECOMMIT, 0, pageSize]);
  const source = emit("zx_vmo_create", [2 * pageSize, 0]);
  emit("zx_vmo_write", [{ h: source }, { bytes: 2 * pageSize, fill: 0x5a }, 0]);
  const buffer = emit("zx_vmo_create", [pageSize, 0]);
  const map = emit("zx_vmar_map", [
    { vmar: 0 },
    ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
    0,
    { h: buffer },
    0,
    pageSize,
  ]);
  emit("zx_vmo_read", [{ h: source }, pageSize, 8, { addr: map, plus: 0 }]);
  emit("zx_vmo_read", [{ h: buffer }, 0, 8]);
  const grown = emit("zx_pager_create_vmo", [
    { h: pager },
    ZX_VMO_RESIZABLE,
    { h: port },
    0,
    pageSize,
  ]);
  const writeback = (op: number, from: number, pages: number) =>
    emit("zx_pager_op_range", [
      { h: pager },
      op,
      { h: grown },
      from * pageSize,
      pages * pageSize,
      0,
    ]);
  emit("zx_vmo_set_size", [{ h: grown }, 2 * pageSize]);
  writeback(ZX_PAGER_OP_WRITEBACK_BEGIN, 1, 1);
  emit("zx_vmo_set_size", [{ h: grown }, 3 * pageSize]);
  writeback(ZX_PAGER_OP_WRITEBACK_END, 1, 2);
  emit("zx_pager_query_dirty_ranges", [{ h: pager }, { h: grown }, 0, 3 * pageSize, 3 * 24]);
  const marked = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, 2 * pageSize]);
  const unwritten = emit("zx_vmo_create", [2 * pageSize, 0]);
  emit("zx_pager_supply_pages", [{ h: pager }, { h: marked }, 0, 2 * pageSize, {
    h: unwritten,
  }, 0]);
  emit("zx_vmo_op_range", [{ h: marked }, ZX_VMO_OP_ZERO, 0, 2 * pageSize]);
  emit("zx_pager_query_dirty_ranges", [{ h: pager }, { h: marked }, 0, 2 * pageSize, 2 * 24]);
  const slice = emit("zx_vmo_create_child", [
    { h: marked },
    ZX_VMO_CHILD_SLICE,
    pageSize,
    pageSize,
  ]);
  emit("zx_vmo_op_range", [{ h: slice }, ZX_VMO_OP_ZERO, 0, pageSize / 2]);
  emit("zx_pager_query_dirty_ranges", [{ h: pager }, { h: marked }, 0, 2 * pageSize, 2 * 24]);
  const filled = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, 2 * pageSize]);
  const aux = emit("zx_vmo_create", [2 * pageSize, 0]);
  emit("zx_vmo_write", [{ h: aux }, { bytes: 2 * pageSize, fill: 0x11 }, 0]);
  emit("zx_pager_supply_pages", [{ h: pager }, { h: filled }, 0, 2 * pageSize, { h: aux }, 0]);
  const clone = emit("zx_vmo_create_child", [
    { h: filled },
    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
    0,
    2 * pageSize,
  ]);
  emit("zx_vmo_op_range", [{ h: clone }, ZX_VMO_OP_ZERO, 0, pageSize]);
  const snapshot = emit("zx_vmo_create_child", [
    { h: clone },
    ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
    0,
    2 * pageSize,
  ]);
  emit("zx_vmo_read", [{ h: snapshot }, 0, 2 * pageSize]);
  const mappedChild = emit("zx_vmo_create_child", [
    { h: filled },
    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
    0,
    pageSize,
  ]);
  const view = emit("zx_vmar_map", [
    { vmar: 0 },
    ZX_VM_PERM_READ,
    0,
    { h: mappedChild },
    0,
    pageSize,
  ]);
  emit("mem_read", [{ addr: view, plus: 0 }, 8]);
  emit("zx_vmar_unmap", [{ vmar: 0 }, { addr: view, plus: 0 }, pageSize]);
  emit("zx_handle_close", [{ h: mappedChild }]);
  emit("zx_object_get_info", [{ h: filled }, ZX_INFO_VMO]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:shard6-edges` probe (blind spots of the fresh shard 6 of 8 on
 * db8cb50, docs/mutation.md, helper triage30b), run at the largest page size the program schema
 * takes, 65536 bytes (the kernel's own page-size check at its upper bound: no other probe runs
 * there). One thread makes a region of the root VMAR with CAN_MAP_SPECIFIC and CAN_MAP_WRITE but
 * no CAN_MAP_READ; a sub-region that asks CAN_MAP_READ of it and a readable mapping into it are
 * both ZX_ERR_ACCESS_DENIED (the contract's `allocateIn` and `mapIn`: a region grants no more
 * than it was given, `VmAddressRegion::CreateSubVmarInternal`). Random programs seldom make a
 * region without CAN_MAP_READ and then place into it; a program of its own, so no pinned
 * schedule moves. Then a one-page pager VMO is supplied, pinned read-only, unpinned and closed:
 * the port wait after it (deadline past) takes its ZX_PAGER_VMO_COMPLETE (CompleteModel: the
 * unpin let go of the VMO, the close ended it). Last (the thread ends there), a one-page pager
 * VMO is mapped readable, detached before anything supplied it, and loaded from: a fatal page
 * fault with ZX_ERR_BAD_STATE (the contract's `detachedAbsent`; K12).
 *
 * @example
 * ```ts
 * import { shard6EdgesProgram } from "./generate.ts";
 * const p = shard6EdgesProgram();
 * console.assert(p.pageSize === 65536 && p.threads[0].calls.length === 18);
 * ```
 */
export function shard6EdgesProgram(pageSize = 65536): Program {
  const { calls, emit } = probeThread();
  const region = emit("zx_vmar_allocate", [
    { vmar: 0 },
    ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_WRITE,
    0,
    2 * pageSize,
  ]);
  emit("zx_vmar_allocate", [{ h: region }, ZX_VM_SPECIFIC | ZX_VM_CAN_MAP_READ, 0, pageSize]);
  const plain = emit("zx_vmo_create", [pageSize, 0]);
  emit("zx_vmar_map", [
    { h: region },
    ZX_VM_PERM_READ | ZX_VM_SPECIFIC,
    pageSize,
    { h: plain },
    0,
    pageSize,
  ]);
  const port = emit("zx_port_create", [0]);
  const pager = emit("zx_pager_create", [0]);
  const pinned = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, pageSize]);
  const aux = emit("zx_vmo_create", [pageSize, 0]);
  emit("zx_pager_supply_pages", [{ h: pager }, { h: pinned }, 0, pageSize, { h: aux }, 0]);
  const bti = emit("zx_bti_create", [0, 0]);
  const pmt = emit("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: pinned }, 0, pageSize]);
  emit("zx_pmt_unpin", [{ h: pmt }]);
  emit("zx_handle_close", [{ h: pinned }]);
  emit("zx_port_wait", [{ h: port }, 0]);
  const gone = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, pageSize]);
  const view = emit("zx_vmar_map", [{ vmar: 0 }, ZX_VM_PERM_READ, 0, { h: gone }, 0, pageSize]);
  emit("zx_pager_detach_vmo", [{ h: pager }, { h: gone }]);
  emit("mem_read", [{ addr: view, plus: 0 }, 8]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:gap30-edges` probe (docs/mutation.md, helper gap30), one thread,
 * no draws. A one-page resizable pager VMO grown to two pages (page 1 a Dirty zero interval, K20)
 * and its page 1 committed: a COMMIT allocates a zero interval's page Dirty (dirty-state's K17
 * commit row, `TargetZeroContentSupplyDirty`). Then a two-page pager VMO supplied with a fill of
 * its own per page, an at-least-on-write clone of it pinned whole (read-only), unpinned and
 * read: the pin forked the clone's pages from the root (a pin of a clone commits first), so the
 * read shows the root's fills (read-content's pin row: the pin began and returned in one step).
 * Random programs grow a pager VMO and commit the new tail seldom, and a pinned clone's pages
 * were unjudged.
 */
export function gap30EdgesProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const port = emit("zx_port_create", [0]);
  const pager = emit("zx_pager_create", [0]);
  const grown = emit("zx_pager_create_vmo", [
    { h: pager },
    ZX_VMO_RESIZABLE,
    { h: port },
    0,
    pageSize,
  ]);
  emit("zx_vmo_set_size", [{ h: grown }, 2 * pageSize]);
  emit("zx_vmo_op_range", [{ h: grown }, ZX_VMO_OP_COMMIT, pageSize, pageSize]);
  const vmo = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 1, 2 * pageSize]);
  const aux = emit("zx_vmo_create", [2 * pageSize, 0]);
  emit("zx_vmo_write", [{ h: aux }, { bytes: pageSize, fill: 0x3a }, 0]);
  emit("zx_vmo_write", [{ h: aux }, { bytes: pageSize, fill: 0x3b }, pageSize]);
  emit("zx_pager_supply_pages", [{ h: pager }, { h: vmo }, 0, 2 * pageSize, { h: aux }, 0]);
  const clone = emit("zx_vmo_create_child", [
    { h: vmo },
    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
    0,
    2 * pageSize,
  ]);
  const bti = emit("zx_bti_create", [0, 0]);
  const pmt = emit("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: clone }, 0, 2 * pageSize]);
  emit("zx_pmt_unpin", [{ h: pmt }]);
  emit("zx_vmo_read", [{ h: clone }, 0, 2 * pageSize]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:triage31a-edges` probe (the 58 untriaged blind keys of shards 5
 * and 6 on db8cb50, docs/mutation.md, helper triage31a), one thread, no draws:
 * - a one-page pager VMO supplied whole; an at-least-on-write clone of it written through
 *   `zx_vmo_write` (its page forked) and closed; the root's info asked (`ChildCount`: a write
 *   holds the clone only while it runs, so once its last handle closed no child is left);
 * - a two-page contiguous VMO decommitted (its two frames lent), a two-page pager VMO supplied
 *   with content (both pages borrow a frame) and closed (it dies: both frames stale), a one-page
 *   pager VMO supplied (no free frame: both reclaimed, one borrowed), the contiguous VMO
 *   committed (both frames taken back: `LoanPool`'s kernel assertions see each frame's state);
 * - a resizable one-page pager VMO grown to four pages (zero interval [1,4)), page 2 committed
 *   (intervals [1,2) and [3,4)), WRITEBACK_BEGIN of [3,4) and WRITEBACK_END of [1,4), the dirty
 *   ranges queried (dirty-state K17: the END removes the interval it began, past the one
 *   before the committed page).
 *
 * - a resizable two-page pager VMO supplied whole (0x61), an at-least-on-write clone of both
 *   pages, the root shrunk to one page, the clone's page 0 read (read-content: the clone still
 *   sees the page its parent kept).
 *
 * Random programs seldom close a child they wrote, let a lending VMO's borrowers die before the
 * next borrow, end a writeback over two zero intervals split by a page, or read a clone after
 * its parent shrank.
 *
 * @example
 * ```ts
 * import { triage31aEdgesProgram } from "./generate.ts";
 * console.assert(triage31aEdgesProgram().threads[0].calls.length === 34);
 * ```
 */
export function triage31aEdgesProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const { port, pager, root } = suppliedRoot(emit, pageSize, 0x4c);
  const written = emit("zx_vmo_create_child", [
    { h: root },
    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
    0,
    pageSize,
  ]);
  emit("zx_vmo_write", [{ h: written }, { bytes: 16, fill: 0x4d }, 0]);
  emit("zx_handle_close", [{ h: written }]);
  emit("zx_object_get_info", [{ h: root }, ZX_INFO_VMO]);
  const bti = emit("zx_bti_create", [0, 0]);
  const lender = emit("zx_vmo_create_contiguous", [{ h: bti }, 2 * pageSize, 0]);
  emit("zx_vmo_op_range", [{ h: lender }, ZX_VMO_OP_DECOMMIT, 0, 2 * pageSize]);
  const first = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 1, 2 * pageSize]);
  const firstAux = emit("zx_vmo_create", [2 * pageSize, 0]);
  emit("zx_vmo_write", [{ h: firstAux }, { bytes: 2 * pageSize, fill: 0x4e }, 0]);
  emit("zx_pager_supply_pages", [{ h: pager }, { h: first }, 0, 2 * pageSize, { h: firstAux }, 0]);
  emit("zx_handle_close", [{ h: first }]);
  const second = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 2, pageSize]);
  emit("zx_vmo_write", [{ h: firstAux }, { bytes: pageSize, fill: 0x4f }, 0]);
  emit("zx_pager_supply_pages", [{ h: pager }, { h: second }, 0, pageSize, { h: firstAux }, 0]);
  emit("zx_vmo_op_range", [{ h: lender }, ZX_VMO_OP_COMMIT, 0, 2 * pageSize]);
  const grown = emit("zx_pager_create_vmo", [
    { h: pager },
    ZX_VMO_RESIZABLE,
    { h: port },
    3,
    pageSize,
  ]);
  emit("zx_vmo_set_size", [{ h: grown }, 4 * pageSize]);
  emit("zx_vmo_op_range", [{ h: grown }, ZX_VMO_OP_COMMIT, 2 * pageSize, pageSize]);
  const writeback = (op: number, from: number, pages: number) =>
    emit("zx_pager_op_range", [
      { h: pager },
      op,
      { h: grown },
      from * pageSize,
      pages * pageSize,
      0,
    ]);
  writeback(ZX_PAGER_OP_WRITEBACK_BEGIN, 3, 1);
  writeback(ZX_PAGER_OP_WRITEBACK_END, 1, 3);
  emit("zx_pager_query_dirty_ranges", [{ h: pager }, { h: grown }, 0, 4 * pageSize, 4 * 24]);
  const shrunk = emit("zx_pager_create_vmo", [
    { h: pager },
    ZX_VMO_RESIZABLE,
    { h: port },
    4,
    2 * pageSize,
  ]);
  emit("zx_vmo_write", [{ h: firstAux }, { bytes: 2 * pageSize, fill: 0x61 }, 0]);
  emit("zx_pager_supply_pages", [{ h: pager }, { h: shrunk }, 0, 2 * pageSize, { h: firstAux }, 0]);
  const seer = emit("zx_vmo_create_child", [
    { h: shrunk },
    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
    0,
    2 * pageSize,
  ]);
  emit("zx_vmo_set_size", [{ h: shrunk }, pageSize]);
  emit("zx_vmo_read", [{ h: seer }, 0, pageSize]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:dead-port-wait` probe (docs/mutation.md, helper triage31a): thread
 * 1 waits five ticks on a port of its own, then on the pager's port with a deadline 50 ticks
 * ahead; thread 0 (failing instead of blocking) waits 20 ticks, closes the pager port's only
 * handle while thread 1 is parked on it, and reads its pager VMO: the READ's packet finds the
 * port dead and is dropped (`PortDispatcher::QueuePacketLocked` refuses it with
 * ZX_ERR_BAD_HANDLE), so thread 1's wait times out. No program closed a port another thread
 * was parked on before a packet came for it.
 *
 * @example
 * ```ts
 * import { deadPortWaitProgram } from "./generate.ts";
 * console.assert(deadPortWaitProgram().threads.length === 2);
 * ```
 */
export function deadPortWaitProgram(pageSize = 4096): Program {
  const { e0, e1, threads } = probeThreads();
  const port = e0("zx_port_create", [0]);
  const pager = e0("zx_pager_create", [0]);
  const vmo = e0("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, pageSize]);
  const own1 = e1("zx_port_create", [0]);
  e1("zx_port_wait", [{ h: own1 }, { after: 5 }]);
  e1("zx_port_wait", [{ h: port }, { after: 50 }]);
  const own0 = e0("zx_port_create", [0]);
  e0("zx_port_wait", [{ h: own0 }, { after: 20 }]);
  e0("zx_handle_close", [{ h: port }]);
  e0("zx_vmo_read", [{ h: vmo }, 0, pageSize]);
  return {
    pageSize,
    overtimeTicks: 0,
    threads: [{ ...threads[0], failInsteadOfBlock: true }, threads[1]],
  };
}

/**
 * The campaign judge's `program:heir-in-fifo` probe: a request handed to its overlap waiter while
 * its packet still waits in the proxy's queue behind another request's (a VMO has one packet in
 * the port at a time), whose heir then times out too: the queued request is withdrawn and no
 * packet of it is ever delivered (packet-discipline). Overtime 100 ticks; each thread but the
 * first first waits on a port of its own (so the reads park in this order). Thread 0 reads page
 * 0 of a 4-page pager VMO no one answers (READ #1, its packet in the port, timing out at tick
 * 100); thread 1 at tick 10 reads pages [2, 4) (READ #2, queued behind #1); thread 2 at tick 20
 * reads page 3 (an overlap waiter of #2); thread 3 at tick 30 reads page 0 (one of #1, so #1
 * stays in the port when its primary times out). At 110 #2's primary times out and #2 goes to
 * thread 2 (`CancelRequestLocked`), at 120 that one times out and #2 is gone, at 130 #1 is gone;
 * thread 0, after 100 ticks on a port of its own, waits on the pager's port: nothing
 * (ZX_ERR_TIMED_OUT). `program:timed-out-heir`
 * hands on a request whose packet is in the port; random programs almost never line up four
 * overlapping reads of an unanswered VMO like this. A program of its own, so no pinned schedule
 * moves.
 */
export function heirInFifoProgram(pageSize = 4096): Program {
  const threads: ProgramCall[][] = [[], [], [], []];
  const emit = (t: number) => (call: CallName, args: Arg[]): CallRef => {
    threads[t].push({ call, args });
    return [t, threads[t].length - 1];
  };
  const e0 = emit(0);
  const port = e0("zx_port_create", [0]);
  const pager = e0("zx_pager_create", [0]);
  const vmo = e0("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, 4 * pageSize]);
  const own0 = e0("zx_port_create", [0]);
  e0("zx_vmo_read", [{ h: vmo }, 0, pageSize]);
  e0("zx_port_wait", [{ h: own0 }, { after: 100 }]);
  e0("zx_port_wait", [{ h: port }, { after: 100 }]);
  const later = (t: number, after: number, page: number, pages: number) => {
    const e = emit(t);
    const own = e("zx_port_create", [0]);
    e("zx_port_wait", [{ h: own }, { after }]);
    e("zx_vmo_read", [{ h: vmo }, page * pageSize, pages * pageSize]);
  };
  later(1, 10, 2, 2);
  later(2, 20, 3, 1);
  later(3, 30, 0, 1);
  return {
    pageSize,
    overtimeTicks: 100,
    threads: threads.map((calls) => ({ failInsteadOfBlock: false, calls })),
  };
}

/**
 * The campaign judge's `program:slice-fault-wait` probe: a load through a mapped slice that
 * starts a page into its pager VMO faults on an absent page and waits for the pager. Thread 0
 * makes a 3-page pager VMO and an aux VMO with a fill of its own per page, slices pages 1-2, maps
 * the slice and loads from the slice's page 1: the fault asks for the root's page 2 (READ [2, 3),
 * a mapping fault's one page: packet-discipline's sizing, page-state's K2) and parks. Thread 1
 * first waits 50 ticks on a port of its own (so thread 0's load faults first), then takes the
 * packet and supplies its range from the aux; the load then reads the page's fill (read-content).
 * The campaign's other slice probe (`program:slice-fault`) loads only present pages; random draws
 * map a slice at an offset and fault on it while a second thread answers seldom; a program of its
 * own, so no pinned schedule moves.
 */
export function sliceFaultWaitProgram(pageSize = 4096): Program {
  const { e0, e1, threads } = probeThreads();
  const port = e0("zx_port_create", [0]);
  const pager = e0("zx_pager_create", [0]);
  const vmo = e0("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, 3 * pageSize]);
  const aux = e0("zx_vmo_create", [3 * pageSize, 0]);
  for (let p = 0; p < 3; p++) {
    e0("zx_vmo_write", [{ h: aux }, { bytes: pageSize, fill: 0x50 + p }, p * pageSize]);
  }
  const slice = e0("zx_vmo_create_child", [{ h: vmo }, ZX_VMO_CHILD_SLICE, pageSize, 2 * pageSize]);
  const map = e0("zx_vmar_map", [{ vmar: 0 }, ZX_VM_PERM_READ, 0, { h: slice }, 0, 2 * pageSize]);
  e0("mem_read", [{ addr: map, plus: pageSize + 8 }, 8]);
  const own = e1("zx_port_create", [0]);
  e1("zx_port_wait", [{ h: own }, { after: 50 }]);
  const packet = e1("zx_port_wait", [{ h: port }, { after: 100 }]);
  supplyFromPacket(e1, { pager, vmo: vmo, aux }, packet);
  return { pageSize, overtimeTicks: 0, threads };
}

/**
 * The campaign judge's `program:relook-after-user-fault` probe: a `zx_vmo_write` whose copy from
 * the user buffer faults looks its page up again after the wait. Thread 0 writes a page of a
 * plain VMO (committed), then writes 8 bytes into it from a user buffer mapped from a pager VMO
 * no one has supplied: the write finds its page, and its copy from the buffer faults and parks
 * (the VMO's lock is dropped while it waits, so the write looks its page up again: kernel/
 * vmo_pages.ts `access` after `userCopy`). Thread 1 first waits 50 ticks on a port of its own, then DECOMMITs the plain
 * VMO's page, takes the READ packet and supplies the buffer's page. Thread 0's write then lands
 * in a new page, and a read of the VMO returns the buffer's bytes (read-content); one that
 * stored into the page it had found before the wait leaves them in a page the VMO no longer
 * holds. Random draws seldom change a write's target while its user copy waits; a program of its
 * own, so no pinned schedule moves.
 */
export function relookAfterUserFaultProgram(pageSize = 4096): Program {
  const { e0, e1, threads } = probeThreads();
  const target = e0("zx_vmo_create", [pageSize, 0]);
  e0("zx_vmo_write", [{ h: target }, { bytes: pageSize, fill: 0x61 }, 0]);
  const port = e0("zx_port_create", [0]);
  const pager = e0("zx_pager_create", [0]);
  const source = e0("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, pageSize]);
  const aux = e0("zx_vmo_create", [pageSize, 0]);
  e0("zx_vmo_write", [{ h: aux }, { bytes: pageSize, fill: 0x7e }, 0]);
  const map = e0("zx_vmar_map", [{ vmar: 0 }, ZX_VM_PERM_READ, 0, { h: source }, 0, pageSize]);
  e0("zx_vmo_write", [{ h: target }, { bytes: 8, fill: 0 }, 0, { addr: map, plus: 0 }]);
  e0("zx_vmo_read", [{ h: target }, 0, 16]);
  const own = e1("zx_port_create", [0]);
  e1("zx_port_wait", [{ h: own }, { after: 50 }]);
  e1("zx_vmo_op_range", [{ h: target }, ZX_VMO_OP_DECOMMIT, 0, pageSize]);
  const packet = e1("zx_port_wait", [{ h: port }, { after: 100 }]);
  supplyFromPacket(e1, { pager, vmo: source, aux }, packet);
  return { pageSize, overtimeTicks: 0, threads };
}

/**
 * The campaign judge's `program:mapped-child-death` probe: `num_children` after a child that was
 * mapped and used as a user buffer is unmapped and closed (program/child_count.ts: a mapping lets
 * go of its VMO when it is unmapped). A supplied 1-page pager VMO gets an at-least-on-write
 * child, which is mapped; a write to a plain VMO takes its bytes from the mapping (a user copy
 * through the child), the mapping is unmapped, the child's only handle closed, and the root
 * queried: no children. Random draws map a child, unmap it and close it before querying its
 * parent seldom, and the model left every child ever mapped loose; a program of its own, so no
 * pinned schedule moves.
 */
export function mappedChildDeathProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const { root } = suppliedRoot(emit, pageSize, 0x4d);
  const child = emit("zx_vmo_create_child", [
    { h: root },
    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
    0,
    pageSize,
  ]);
  const map = emit("zx_vmar_map", [{ vmar: 0 }, ZX_VM_PERM_READ, 0, { h: child }, 0, pageSize]);
  const target = emit("zx_vmo_create", [pageSize, 0]);
  emit("zx_vmo_write", [{ h: target }, { bytes: 8, fill: 0 }, 0, { addr: map, plus: 0 }]);
  emit("zx_object_get_info", [{ h: root }, ZX_INFO_VMO]);
  emit("zx_vmar_unmap", [{ vmar: 0 }, { addr: map, plus: 0 }, pageSize]);
  emit("zx_handle_close", [{ h: child }]);
  emit("zx_object_get_info", [{ h: root }, ZX_INFO_VMO]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:destroyed-region-child` probe: a region's own calls and its
 * destruction, and a pin past a VMO's end. A `zx_bti_pin` of two pages of a 1-page
 * at-least-on-write child of an unsupplied pager VMO is ZX_ERR_OUT_OF_RANGE at once (the
 * contract: past a fixed-size VMO's end; upstream `CommitRangeInternal` checks the range before
 * it commits anything, so no page is asked for: a kernel that commits first parks the thread on
 * a READ nobody answers). In a 5-page region
 * (CAN_MAP_SPECIFIC, READ and WRITE) of the root VMAR:
 * - `zx_object_wait_one` on the region is ZX_ERR_NOT_SUPPORTED (a VMAR cannot be waited on:
 *   the contract's `unwaitable`);
 * - an at-least-on-write child of a supplied 1-page pager VMO is mapped SPECIFIC at page 1, then a
 *   SPECIFIC one-page sub-region at page 0, which ends where the mapping begins, is ZX_OK (the
 *   contract: nothing the program placed overlaps it);
 * - a resizable 2-page VMO mapped writable at pages 3-4 is shrunk to one page, and a COMMIT over
 *   its mapping is ZX_ERR_OUT_OF_RANGE (the contract's `pastVmoEnd`);
 * - the region is destroyed, which takes the mapping with it, the child's only handle is
 *   closed, and the root is queried: no children (program/child_count.ts: the picture holds no
 *   mapping of the child once its region is destroyed, `VmarModel.destroy`; upstream
 *   `VmAddressRegion::DestroyLocked` destroys every mapping under the region, and
 *   `VmMapping::DestroyLocked` lets go of its VMO, vm_mapping.cc @ misttech/fuchsia 59d70673).
 * Random draws pin past a plain VMO's end, wait on a region, place a sub-region flush against a
 * mapping placed first, commit past a shrunk VMO's end, or destroy a region over a child's only
 * mapping and then query its parent seldom; a program of its own, so no pinned schedule moves.
 */
export function destroyedRegionChildProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const { port, pager, root } = suppliedRoot(emit, pageSize, 0x4d);
  const bti = emit("zx_bti_create", [0, 0]);
  const absent = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 0, pageSize]);
  const absentChild = emit("zx_vmo_create_child", [
    { h: absent },
    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
    0,
    pageSize,
  ]);
  emit("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: absentChild }, 0, 2 * pageSize]);
  const child = emit("zx_vmo_create_child", [
    { h: root },
    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
    0,
    pageSize,
  ]);
  const region = emit("zx_vmar_allocate", [
    { vmar: 0 },
    ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE,
    0,
    5 * pageSize,
  ]);
  emit("zx_object_wait_one", [{ h: region }, ZX_USER_SIGNAL_0, 0]);
  emit("zx_vmar_map", [
    { h: region },
    ZX_VM_PERM_READ | ZX_VM_SPECIFIC,
    pageSize,
    { h: child },
    0,
    pageSize,
  ]);
  emit("zx_vmar_allocate", [{ h: region }, ZX_VM_SPECIFIC | ZX_VM_CAN_MAP_READ, 0, pageSize]);
  const big = emit("zx_vmo_create", [2 * pageSize, ZX_VMO_RESIZABLE]);
  const bigMap = emit("zx_vmar_map", [
    { h: region },
    ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_SPECIFIC,
    3 * pageSize,
    { h: big },
    0,
    2 * pageSize,
  ]);
  emit("zx_vmo_set_size", [{ h: big }, pageSize]);
  emit("zx_vmar_op_range", [
    { h: region },
    ZX_VMAR_OP_COMMIT,
    { addr: bigMap, plus: 0 },
    2 * pageSize,
  ]);
  emit("zx_object_get_info", [{ h: root }, ZX_INFO_VMO]);
  emit("zx_vmar_destroy", [{ h: region }]);
  emit("zx_handle_close", [{ h: child }]);
  emit("zx_object_get_info", [{ h: root }, ZX_INFO_VMO]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:shard5-edges` probe (blind spots of the fresh shard 5 of 8 on
 * db8cb50, docs/mutation.md, helper triage30a), one thread, no draws:
 * - a COMMIT of a clone of a pager VMO: a three-page pager VMO supplied whole; an at-least-on-write
 *   clone of three pages from its page 1 (two pages of it see the parent, the third lies past the
 *   parent's end); the clone's page 0 read first (looked up, not forked:
 *   `Pager.CloneSplitCommitTest`); the clone committed whole and its info asked
 *   (`CloneCommitFloor`: the two pages it sees of its parent are its own, "A commit simulates
 *   write faults", `Pager.CloneCommitTest`); a SNAPSHOT_MODIFIED clone of the root's first page
 *   committed and asked too;
 * - a read of a decommitted plain VMO: two pages written, decommitted, read whole and asked
 *   (`CommitCeiling`: a read of a plain VMO's absent page is the zero page, nothing committed);
 * - a clone of the root's first page pinned, unpinned and closed, the other two clones closed,
 *   the root asked (`ChildCount`: an unpinned PMT holds its VMO no more, so no child is left).
 *
 * @example
 * ```ts
 * import { shard5EdgesProgram } from "./generate.ts";
 * console.assert(shard5EdgesProgram().threads[0].calls.length === 27);
 * ```
 */
export function shard5EdgesProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const { root } = suppliedRoot(emit, pageSize, 0x5c, 3);
  const clone = emit("zx_vmo_create_child", [
    { h: root },
    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
    pageSize,
    3 * pageSize,
  ]);
  emit("zx_vmo_read", [{ h: clone }, 0, pageSize]);
  emit("zx_vmo_op_range", [{ h: clone }, ZX_VMO_OP_COMMIT, 0, 3 * pageSize]);
  emit("zx_object_get_info", [{ h: clone }, ZX_INFO_VMO]);
  const snap = emit("zx_vmo_create_child", [
    { h: root },
    ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
    0,
    pageSize,
  ]);
  emit("zx_vmo_op_range", [{ h: snap }, ZX_VMO_OP_COMMIT, 0, pageSize]);
  emit("zx_object_get_info", [{ h: snap }, ZX_INFO_VMO]);
  emit("zx_object_get_info", [{ h: root }, ZX_INFO_VMO]);
  const plain = emit("zx_vmo_create", [2 * pageSize, 0]);
  emit("zx_vmo_write", [{ h: plain }, { bytes: 2 * pageSize, fill: 0x3a }, 0]);
  emit("zx_vmo_op_range", [{ h: plain }, ZX_VMO_OP_DECOMMIT, 0, 2 * pageSize]);
  emit("zx_vmo_read", [{ h: plain }, 0, 2 * pageSize]);
  emit("zx_object_get_info", [{ h: plain }, ZX_INFO_VMO]);
  const bti = emit("zx_bti_create", [0, 0]);
  const pinned = emit("zx_vmo_create_child", [
    { h: root },
    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
    0,
    pageSize,
  ]);
  const pmt = emit("zx_bti_pin", [{ h: bti }, ZX_BTI_PERM_READ, { h: pinned }, 0, pageSize]);
  emit("zx_pmt_unpin", [{ h: pmt }]);
  emit("zx_handle_close", [{ h: pinned }]);
  emit("zx_handle_close", [{ h: snap }]);
  emit("zx_handle_close", [{ h: clone }]);
  emit("zx_object_get_info", [{ h: root }, ZX_INFO_VMO]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:gap32a-edges` probe (open keys of shards 7 and 8 on db8cb50,
 * docs/mutation.md, helper gap32a), one thread that fails instead of blocking, no draws. Each
 * part is an outcome the contract or a checker predicts from the program's own calls:
 * - a plain VMO PREFETCHed through a duplicate of its handle that has READ and no WRITE: ZX_OK
 *   (PREFETCH asks READ alone, and a VMO no pager backs has nothing to fetch);
 * - an event signalled with bit 31 given as `1 << 31`, the negative number a JS `uint32_t`
 *   mask arrives as: ZX_OK (ZX_USER_SIGNAL_7);
 * - writable mappings refused with ACCESS_DENIED: through a duplicate of a region's handle
 *   without WRITE (the region has CAN_MAP_WRITE), and into a region made without CAN_MAP_WRITE;
 *   and a mapping of length 0: INVALID_ARGS;
 * - a read into a user buffer half a byte into a writable mapping (no u64): INVALID_ARGS;
 * - a one-page pager VMO detached, then supplied: BAD_STATE;
 * - a three-page pager VMO supplied whole, a slice of its pages 1-2 whose page 1 (the root's
 *   page 2) is ZEROed whole, the root read (read-content R4: only that page reads zeros);
 * - a two-page pager VMO nothing supplied ZEROed from the middle of page 0 to the end: the
 *   partial page 0 needs a READ, so SHOULD_WAIT (and the whole page 1 untouched);
 * - a writable two-page mapping unmapped over its first page only (the model: NOT_FOUND;
 *   upstream splits it, ZX_OK), then a read into a buffer in its second page: ZX_OK (the
 *   contract's `copyCertain`: a mapping the picture still holds there);
 * - last (it ends the thread), a readable mapping protected to no permissions, then loaded
 *   from: a fatal page fault with ACCESS_DENIED (the contract's `accessDenied`).
 *
 * Random programs never pass a fraction or `1 << 31`, seldom duplicate a handle with fewer
 * rights and then use it, supply after a detach, ZERO a slice at an offset whole, unmap a part
 * of a mapping or protect one to nothing.
 *
 * @example
 * ```ts
 * import { gap32aEdgesProgram } from "./generate.ts";
 * console.assert(gap32aEdgesProgram().threads[0].calls.length === 34);
 * ```
 */
export function gap32aEdgesProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const plain = emit("zx_vmo_create", [2 * pageSize, 0]);
  const readOnly = emit("zx_handle_duplicate", [{ h: plain }, ZX_RIGHT_READ]);
  emit("zx_vmo_op_range", [{ h: readOnly }, ZX_VMO_OP_PREFETCH, 0, 2 * pageSize]);
  const event = emit("zx_event_create", [0]);
  emit("zx_object_signal", [{ h: event }, 0, 1 << 31]);
  const can = ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ;
  const region = emit("zx_vmar_allocate", [{ vmar: 0 }, can | ZX_VM_CAN_MAP_WRITE, 0, pageSize]);
  const noWrite = emit("zx_handle_duplicate", [{ h: region }, ZX_RIGHT_READ]);
  const rw = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_SPECIFIC;
  emit("zx_vmar_map", [{ h: noWrite }, rw, 0, { h: plain }, 0, pageSize]);
  const readRegion = emit("zx_vmar_allocate", [{ vmar: 0 }, can, 0, pageSize]);
  emit("zx_vmar_map", [{ h: readRegion }, rw, 0, { h: plain }, 0, pageSize]);
  emit("zx_vmar_map", [{ vmar: 0 }, ZX_VM_PERM_READ, 0, { h: plain }, 0, 0]);
  const buffer = emit("zx_vmar_map", [
    { vmar: 0 },
    ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
    0,
    { h: plain },
    0,
    2 * pageSize,
  ]);
  emit("zx_vmo_read", [{ h: plain }, 0, 8, { addr: buffer, plus: 0.5 }]);
  const { port, pager, root } = suppliedRoot(emit, pageSize, 0x3e, 3);
  const detached = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 1, pageSize]);
  emit("zx_pager_detach_vmo", [{ h: pager }, { h: detached }]);
  const aux = emit("zx_vmo_create", [pageSize, 0]);
  emit("zx_vmo_write", [{ h: aux }, { bytes: pageSize, fill: 0x3f }, 0]);
  emit("zx_pager_supply_pages", [{ h: pager }, { h: detached }, 0, pageSize, { h: aux }, 0]);
  const slice = emit("zx_vmo_create_child", [
    { h: root },
    ZX_VMO_CHILD_SLICE,
    pageSize,
    2 * pageSize,
  ]);
  emit("zx_vmo_op_range", [{ h: slice }, ZX_VMO_OP_ZERO, pageSize, pageSize]);
  emit("zx_vmo_read", [{ h: root }, 0, 3 * pageSize]);
  const absent = emit("zx_pager_create_vmo", [{ h: pager }, 0, { h: port }, 2, 2 * pageSize]);
  emit("zx_vmo_op_range", [{ h: absent }, ZX_VMO_OP_ZERO, pageSize / 2, pageSize * 3 / 2]);
  emit("zx_vmar_unmap", [{ vmar: 0 }, { addr: buffer, plus: 0 }, pageSize]);
  emit("zx_vmo_read", [{ h: plain }, 0, 8, { addr: buffer, plus: pageSize }]);
  const view = emit("zx_vmar_map", [{ vmar: 0 }, ZX_VM_PERM_READ, 0, { h: plain }, 0, pageSize]);
  emit("zx_vmar_protect", [{ vmar: 0 }, 0, { addr: view, plus: 0 }, pageSize]);
  emit("mem_read", [{ addr: view, plus: 0 }, 8]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: true, calls }] };
}
