/**
 * `syscall-contract`: what pager syscalls return (K14, K22, K23, K27).
 * OP_FAIL accepts only the five external codes, and an accessor's pager error
 * is exactly a code some OP_FAIL passed (or BAD_STATE after detach); pager
 * syscalls succeed only on VMOs of that pager; `ZX_INFO_VMO` reports
 * `ZX_INFO_VMO_PAGER_BACKED` exactly for pager VMOs and their descendants; argument checks run in
 * the documented order (alignment, then handles in argument order with
 * BAD_HANDLE < WRONG_TYPE < ACCESS_DENIED; the pager-koid match after them is K22's).
 *
 * K14w, OP_FAIL per waiter: a thread blocked in `zx_vmo_read` of a pager VMO
 * (not a clone) waits at the first page it has not copied (its offset plus the
 * bytes its `copy` events delivered: the thread's own progress, not the
 * kernel's waiter). An OP_FAIL whose range covers that page fails it: its read
 * returns exactly that error (PageSource::ResolveRequestsLocked: a waiter
 * whose request starts in the failed range gets its status; audit row A5:
 * later detach keeps it). A reader early-woken in the call, suspended or killed
 * is left out (its wait page moves with the early wake, or its wait restarts),
 * and so is every reader attached to a request whose creator left it: one of
 * them inherits the request with its first page and wake page
 * (PageSource::CancelRequestLocked), and the failure is judged against those.
 *
 * @module
 */

import {
  PAGER_FAIL_CODES,
  type Status,
  statusName,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_WRONG_TYPE,
  ZX_INFO_VMO,
  ZX_INFO_VMO_PAGER_BACKED,
  ZX_OK,
  ZX_PAGER_OP_FAIL,
} from "../kernel/constants.ts";
import { type EventSink, type KernelEvent, NULL_SINK } from "../kernel/events.ts";
import type { Kernel } from "../kernel/kernel.ts";
import type { KThread } from "../kernel/objects.ts";
import type { World } from "../sim/world.ts";
import { type Call, failCodesKey, StepMonitor } from "./_step_monitor.ts";
import { callsWhere, spec, SYSCALL_NAMES, type SyscallName } from "../kernel/syscalls.ts";

const ACCESSES = callsWhere((s) => s.access === true);
/** How many arguments each call takes before its optional ones (a user buffer, if given, is next). */
const REQUIRED: ReadonlyMap<string, number> = new Map(
  SYSCALL_NAMES.map((name) => [name, spec(name).params.filter((p) => !p.optional).length]),
);
/** Pager calls on one of the pager's VMOs, and the argument that names it (the table's `ownedBy`). */
const PAGER_VMO_ARG: ReadonlyMap<string, number> = new Map(
  SYSCALL_NAMES.flatMap((name) => {
    const i = spec(name).params.findIndex((p) => p.handle?.ownedBy !== undefined);
    return i < 0 ? [] : [[name, i] as const];
  }),
);
/** Fail codes that only OP_FAIL produces (BAD_STATE also comes from detach). */
const FAIL_ONLY = new Set(PAGER_FAIL_CODES.filter((c) => c !== ZX_ERR_BAD_STATE));

/**
 * Asks the kernel for `ZX_INFO_VMO` without tracing it: the sink is swapped
 * for the duration of one non-blocking call and restored, so the run's trace
 * and state are what they were.
 */
function probeInfo(kernel: Kernel, thread: KThread, handle: number): number | null {
  const k = kernel as unknown as { sink: EventSink };
  const saved = k.sink;
  k.sink = NULL_SINK;
  try {
    const call = kernel.zx_object_get_info(thread, handle, ZX_INFO_VMO);
    for (;;) {
      const r = call.next();
      if (r.done) return r.value[1]?.flags ?? null;
    }
  } finally {
    k.sink = saved;
  }
}

/** Checks the status codes of pager syscalls and accessors. */
export class SyscallContract extends StepMonitor {
  readonly name = "syscall-contract";
  protected override readonly stepKinds: ReadonlySet<KernelEvent["k"]> = new Set([
    "detach",
    "page-fault",
    "ret",
    "call",
    "copy",
    "block",
    "wake",
    "thread",
    "request",
    "coalesce",
    "resolve",
  ]);
  /** The request each thread last created or joined, and who created each outstanding one. */
  readonly #attached = new Map<number, number>();
  readonly #creator = new Map<number, number>();
  /** Direct reads of pager VMOs in progress, by thread (K14w). */
  readonly #reads = new Map<number, {
    readonly vmo: number;
    readonly offset: number;
    copied: number;
    blocked: boolean;
    /** Early-woken, suspended or killed during the call: no longer judged. */
    off: boolean;
    /** The error an OP_FAIL covering its wait page gave it. */
    expect: { status: Status; range: string } | null;
  }>();
  /** Per OP_FAIL caller: the blocked readers its range covers, applied when it returns ZX_OK. */
  readonly #failing = new Map<number, number[]>();
  readonly #failCodes = new Map<number, Set<Status>>();
  readonly #detached = new Set<number>();
  readonly #closed = new Set<number>();

  /** The codes each VMO's ranges were failed with, and the detached VMOs (what a later error is judged by). */
  stateKey(): string {
    return failCodesKey(this.#failCodes, this.#detached);
  }

  /** The status a handle lookup gives at call time. */
  #lookup(handle: unknown, type: number, rights: number): Status {
    const e = this.entry(handle);
    if (e === undefined || this.#closed.has(handle as number)) return ZX_ERR_BAD_HANDLE;
    if (e.object.objType !== type) return ZX_ERR_WRONG_TYPE;
    return (e.rights & rights) >>> 0 === rights >>> 0 ? ZX_OK : ZX_ERR_ACCESS_DENIED;
  }

  /**
   * The first failing check of a pager call on one of its pager's VMOs, or
   * ZX_OK: the table's page alignments, then its handle lookups up to that
   * VMO (the pager-koid match that follows is K22's to check).
   */
  #expected(call: Call, ps: number): Status {
    const last = PAGER_VMO_ARG.get(call.name);
    if (last === undefined) return ZX_OK;
    const a = call.args;
    const row = spec(call.name as SyscallName);
    const aligned = (x: unknown) => typeof x === "number" && x >= 0 && x % ps === 0;
    if (row.params.some((p, i) => p.alignedFirst === true && !aligned(a[i]))) {
      return ZX_ERR_INVALID_ARGS;
    }
    for (const [i, p] of row.params.entries()) {
      if (i > last) break;
      if (p.handle === undefined) continue;
      const st = this.#lookup(a[i], p.handle.type, p.handle.rights);
      if (st !== ZX_OK) return st;
    }
    return ZX_OK;
  }

  #pagerError(
    tid: number,
    vmo: number,
    status: Status,
    what: string,
    copied: Iterable<number> = [],
  ): void {
    const fault = this.#pagerFault(vmo, status, `t${tid} ${what}`);
    if (fault === null) return;
    // A user copy's fault fails the call with the status of the VMO it faulted on.
    for (const other of copied) if (this.#pagerFault(other, status, "") === null) return;
    this.fail("K14", fault);
  }

  /** Why `status` is not a pager error that `vmo` can give (null: it can). */
  #pagerFault(vmo: number, status: Status, who: string): string | null {
    const codes = this.#failCodes.get(vmo);
    if (FAIL_ONLY.has(status) && !codes?.has(status)) {
      return `${who} got ${statusName(status)}, never passed to OP_FAIL`;
    }
    if (status === ZX_ERR_BAD_STATE && !this.#detached.has(vmo) && !codes?.has(status)) {
      return `${who} got ZX_ERR_BAD_STATE; vmo${vmo} was neither detached nor failed`;
    }
    return null;
  }

  /**
   * Per thread in an access given a user buffer: the pager VMOs it raised or joined requests
   * on during the call (its copy's faults among them), whose errors it may return.
   */
  readonly #copies = new Map<number, Set<number>>();

  /** K14w: tracks direct reads and judges their status against the OP_FAILs that covered them. */
  /** Thread `tid` leaves its requests: the readers attached to them may inherit one. */
  #leave(tid: number): void {
    for (const [id, creator] of this.#creator) {
      if (creator !== tid) continue;
      this.#creator.delete(id);
      for (const [other, on] of this.#attached) {
        const r = this.#reads.get(other);
        if (on === id && other !== tid && r !== undefined) r.off = true;
      }
    }
  }

  #perWaiter(e: KernelEvent, world: World): void {
    const ps = world.kernel.pageSize;
    switch (e.k) {
      case "request":
        this.#creator.set(e.id, e.tid);
        this.#attached.set(e.tid, e.id);
        this.#copies.get(e.tid)?.add(e.vmo);
        return;
      case "coalesce":
        this.#attached.set(e.tid, e.id);
        this.#copies.get(e.tid)?.add(e.vmo);
        return;
      case "resolve":
        this.#creator.delete(e.id);
        return;
      case "call": {
        const a = e.args;
        const userCopy = ACCESSES.has(e.name) && a.length > (REQUIRED.get(e.name) ?? a.length);
        if (userCopy) this.#copies.set(e.tid, new Set());
        if (e.name === "zx_vmo_read") {
          const vmo = this.vmoOf(a[0]);
          if (vmo?.source && typeof a[1] === "number" && Number.isInteger(a[1])) {
            this.#reads.set(e.tid, {
              vmo: vmo.koid,
              offset: a[1],
              copied: 0,
              blocked: false,
              // A read into a user buffer may wait on its copy's fault, not at its next page.
              off: userCopy,
              expect: null,
            });
          }
        }
        if (e.name === "zx_pager_op_range" && a[1] === ZX_PAGER_OP_FAIL) {
          const vmo = this.vmoOf(a[2]);
          const [off, len] = [a[3], a[4]];
          if (vmo === undefined || typeof off !== "number" || typeof len !== "number") return;
          const hit: number[] = [];
          for (const [tid, r] of this.#reads) {
            if (r.vmo !== vmo.koid || !r.blocked || r.off || r.expect !== null) continue;
            const page = Math.floor((r.offset + r.copied) / ps);
            if (off <= page * ps && page * ps < off + len) hit.push(tid);
          }
          this.#failing.set(e.tid, hit);
        }
        return;
      }
      case "copy": {
        const r = this.#reads.get(e.tid);
        if (r !== undefined && e.vmo === r.vmo) r.copied += e.bytes.length;
        return;
      }
      case "block": {
        const r = this.#reads.get(e.tid);
        if (r !== undefined) r.blocked = true;
        return;
      }
      case "wake": {
        const r = this.#reads.get(e.tid);
        if (r === undefined) return;
        r.blocked = false;
        if (e.why === "early-wake" && r.expect === null) r.off = true;
        return;
      }
      case "thread": {
        const r = this.#reads.get(e.tid);
        if (e.what === "suspended" || e.what === "killed") this.#leave(e.tid);
        if (r !== undefined && (e.what === "suspended" || e.what === "killed")) {
          r.off = true;
          r.expect = null;
        }
        return;
      }
      case "ret": {
        if (e.name === "zx_pager_op_range") {
          const hit = this.#failing.get(e.tid) ?? [];
          this.#failing.delete(e.tid);
          const call = this.#lastOpFail.get(e.tid);
          if (e.status !== ZX_OK || call === undefined) return;
          for (const tid of hit) {
            const r = this.#reads.get(tid);
            if (r !== undefined && !r.off) r.expect = { status: call[0], range: call[1] };
          }
          return;
        }
        this.#leave(e.tid);
        if (e.name !== "zx_vmo_read") return;
        const r = this.#reads.get(e.tid);
        this.#reads.delete(e.tid);
        if (r?.expect && !r.off && e.status !== r.expect.status) {
          const page = Math.floor((r.offset + r.copied) / ps);
          this.fail(
            "K14w",
            `t${e.tid} zx_vmo_read of vmo${r.vmo} waited at page ${page}, which OP_FAIL ${r.expect.range} failed with ${
              statusName(r.expect.status)
            }; it returned ${statusName(e.status)}`,
          );
        }
        return;
      }
    }
  }

  /** The code and range text of each thread's OP_FAIL in progress. */
  readonly #lastOpFail = new Map<number, [Status, string]>();

  protected override onStepEvent(e: KernelEvent, call: Call | undefined, world: World): void {
    if (e.k === "call" && e.name === "zx_pager_op_range" && e.args[1] === ZX_PAGER_OP_FAIL) {
      this.#lastOpFail.set(e.tid, [e.args[5] as Status, `[${e.args[3]}, +${e.args[4]})`]);
    }
    // K14 first: an error never passed to OP_FAIL is K14's, whoever got it.
    this.#contract(e, call, world);
    this.#perWaiter(e, world);
  }

  #contract(e: KernelEvent, call: Call | undefined, world: World): void {
    if (e.k === "detach") this.#detached.add(e.vmo);
    if (e.k === "page-fault" && e.vmo >= 0) {
      // A clone's faults are its root's: detach and OP_FAIL codes are recorded on the root.
      const root = world.kernel.rootVmar.find(e.addr)?.vmo.root;
      const koid = root?.source ? root.koid : e.vmo;
      this.#pagerError(e.tid, koid, e.synth, `fault at 0x${e.addr.toString(16)}`);
    }
    if (e.k !== "ret" || call === undefined || call.name !== e.name) return;
    const a = call.args;
    const ps = world.kernel.pageSize;
    const expected = this.#expected(call, ps);
    if (expected !== ZX_OK && e.status !== expected) {
      this.fail(
        "K27",
        `t${e.tid} ${e.name}(${a.join(", ")}) returned ${
          statusName(e.status)
        }; argument order says ${statusName(expected)}`,
      );
    }
    const vmoArg = PAGER_VMO_ARG.get(e.name);
    if (e.status === ZX_OK && vmoArg !== undefined) {
      const vmo = this.vmoOf(a[vmoArg]);
      const pager = this.entry(a[0])?.object;
      if (vmo === undefined || vmo.source === null || vmo.pagerKoid !== pager?.koid) {
        this.fail("K22", `t${e.tid} ${e.name} succeeded on a VMO that is not this pager's`);
      }
      if (e.name === "zx_pager_op_range" && a[1] === ZX_PAGER_OP_FAIL) {
        if (!PAGER_FAIL_CODES.includes(a[5] as number)) {
          this.fail("K14", `OP_FAIL accepted code ${a[5]}`);
        }
        let codes = this.#failCodes.get(vmo.koid);
        if (codes === undefined) this.#failCodes.set(vmo.koid, codes = new Set());
        codes.add(a[5] as number);
      }
    }
    // `zx_pmt_unpin` consumes its handle (`sys_pmt_unpin` removes it first, RemoveHandle,
    // zircon/kernel/lib/syscalls/ddk.cc @ gnoliyil/fuchsia 014097ec; the model checks the type
    // before, so it consumes it on success only).
    if ((e.name === "zx_handle_close" || e.name === "zx_pmt_unpin") && e.status === ZX_OK) {
      this.#closed.add(a[0] as number);
    }
    if (e.name === "zx_handle_replace") this.#closed.add(a[0] as number);
    if (ACCESSES.has(e.name) && e.status !== ZX_OK) {
      const vmo = this.vmoOf(a[0]);
      if (vmo?.source) {
        this.#pagerError(e.tid, vmo.koid, e.status, e.name, this.#copies.get(e.tid));
      }
    }
    if (ACCESSES.has(e.name)) this.#copies.delete(e.tid);
    if (e.name === "zx_object_get_info" && e.status === ZX_OK && a[1] === ZX_INFO_VMO) {
      const thread = world.threads[e.tid - 1];
      const vmo = this.vmoOf(a[0]);
      if (thread === undefined || vmo === undefined) return;
      const flags = probeInfo(world.kernel, thread.k, a[0] as number);
      const backed = flags !== null && (flags & ZX_INFO_VMO_PAGER_BACKED) !== 0;
      // A pager VMO's descendants (clones, slices, references) are pager-backed too (spec 1.2).
      if (backed !== (vmo.root.source !== null)) {
        this.fail("K23", `vmo${vmo.koid} reports PAGER_BACKED=${backed}`);
      }
    }
  }
}
