/**
 * `syscall-contract`: what pager syscalls return (K14, K22, K23, K27).
 * OP_FAIL accepts only the five external codes, and an accessor's pager error
 * is exactly a code some OP_FAIL passed (or BAD_STATE after detach); pager
 * syscalls succeed only on VMOs of that pager; `ZX_INFO_VMO` reports
 * `ZX_INFO_VMO_PAGER_BACKED` exactly for pager VMOs and their descendants; argument checks run in
 * the documented order (alignment, then handles in argument order with
 * BAD_HANDLE < WRONG_TYPE < ACCESS_DENIED; the pager-koid match after them is K22's).
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
  ]);
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

  #pagerError(tid: number, vmo: number, status: Status, what: string): void {
    const codes = this.#failCodes.get(vmo);
    if (FAIL_ONLY.has(status) && !codes?.has(status)) {
      this.fail("K14", `t${tid} ${what} got ${statusName(status)}, never passed to OP_FAIL`);
    }
    if (status === ZX_ERR_BAD_STATE && !this.#detached.has(vmo) && !codes?.has(status)) {
      this.fail(
        "K14",
        `t${tid} ${what} got ZX_ERR_BAD_STATE; vmo${vmo} was neither detached nor failed`,
      );
    }
  }

  protected override onStepEvent(e: KernelEvent, call: Call | undefined, world: World): void {
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
    if (e.name === "zx_handle_close" && e.status === ZX_OK) this.#closed.add(a[0] as number);
    if (e.name === "zx_handle_replace") this.#closed.add(a[0] as number);
    if (ACCESSES.has(e.name) && e.status !== ZX_OK) {
      const vmo = this.vmoOf(a[0]);
      if (vmo?.source) this.#pagerError(e.tid, vmo.koid, e.status, e.name);
    }
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
