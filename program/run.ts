/**
 * Runs a syscall program: one simulated thread per program thread, each
 * yielding its calls with arguments resolved when the call runs, plus a
 * janitor thread that, once every program thread has finished or is stuck,
 * unmaps every mapping and closes every handle the program still holds.
 *
 * The oracles: no call throws (a throw is a thread fault or a kernel
 * assertion); every status is one the spec allows for that call, and equals
 * the handle model's prediction when the model can decide it; the kernel
 * invariants of properties/ hold after every step; and once everything is
 * closed, nothing is left: no handle, no mapping, no live pager VMO, no
 * outstanding request, no stuck thread, and COMPLETE was queued exactly for
 * the VMOs detached or dead while their pager was open.
 *
 * @module
 */

import { PortModel } from "./port_model.ts";
import { SignalPortModel } from "./signal_port_model.ts";
import { BtiClosePin } from "./bti_close_pin.ts";
import { CompleteModel } from "./complete_model.ts";

import { WaitOutcome } from "./wait_outcome.ts";
import { infoRecordProblem } from "./info_record.ts";
import {
  type Status,
  statusName,
  ZX_DEFAULT_VMAR_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_NO_MEMORY,
  ZX_INFO_VMO_CONTIGUOUS,
  ZX_INFO_VMO_IS_COW_CLONE,
  ZX_INFO_VMO_RESIZABLE,
  ZX_OBJ_TYPE_PMT,
  ZX_OBJ_TYPE_THREAD,
  ZX_OBJ_TYPE_VMAR,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_PKT_TYPE_USER,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_READ,
  ZX_RIGHT_RESIZE,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_RIGHT_WRITE,
  ZX_VM_CAN_MAP_EXECUTE,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VM_SPECIFIC,
  ZX_VM_SPECIFIC_OVERWRITE,
  ZX_VMO_CHILD_NO_WRITE,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_OP_DECOMMIT,
} from "../kernel/constants.ts";
import { present } from "../kernel/assert.ts";
import type { KernelEvent, Packet, SignalPacket } from "../kernel/events.ts";
import type { Kernel, KernelOptions, KernelYield, Syscall, Wait } from "../kernel/kernel.ts";
import type { Vmo } from "../kernel/objects.ts";
import { methodName, spec, type VmoInfo } from "../kernel/syscalls.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { PageState } from "../properties/page_state.ts";
import { PacketDiscipline } from "../properties/packet_discipline.ts";
import { kindBitOf, shareJournal } from "../properties/_step_monitor.ts";
import { ReadContent } from "../properties/read_content.ts";
import { randomStrategy, replayStrategy, type Strategy } from "../sim/strategy.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";
import {
  InvariantViolation,
  type Monitor,
  type RunResult,
  type SimThread,
  World,
} from "../sim/world.ts";
import {
  accessDenied,
  allowed,
  detachedAbsent,
  FAULT_CODES,
  mayFailAllocating,
  predict,
  predictAmong,
  waitOneOutcome,
} from "./contract.ts";
import { RootCommitFloor } from "./root_commit_floor.ts";
import { ContiguousReadFloor } from "./contiguous_read_floor.ts";
import { CloneCommitFloor } from "./clone_commit_floor.ts";
import { PinShrink } from "./pin_shrink.ts";
import { ReferenceSize } from "./reference_size.ts";
import { CloneDetachRead } from "./clone_detach_read.ts";
import { CommitFloor } from "./commit_floor.ts";
import { ChildBirths } from "./child_births.ts";
import { CommitCeiling } from "./commit_ceiling.ts";
import { CommitStill } from "./commit_still.ts";
import { ChildCount } from "./child_count.ts";
import { DEFAULT_RIGHTS, HandleModel, PLACEMENT_GUARD_BOUND, subRights } from "./handle_model.ts";
import {
  type Arg,
  type CallName,
  givesUserBuffer,
  type Program,
  type ProgramCall,
} from "./program.ts";
import { StateSignatures } from "./state_signature.ts";
import { pinnedVmo } from "./anon_op_range.ts";
import { pinPages } from "./pin_holds.ts";
import { AllocPoint } from "./alloc_point.ts";

/** A handle value the kernel never hands out (values step by 0x10 from 0x10). */
export const INVALID_HANDLE = 0x7fff_fff8;
/** Where an address argument points when its mapping call never succeeded (never mapped). */
export const UNMAPPED_ADDRESS = 0x7000_0000;
/** Largest buffer a program call allocates, bytes (bigger requests are cut to this). */
export const MAX_BUFFER = 1 << 16;
/** Cleanup rounds the janitor runs before it reports the program stuck. */
export const MAX_JANITOR_ROUNDS = 64;

/** The invariant name of a status the contract forbids. */
export const CONTRACT = "program-contract";
/** The invariant name of something left alive after every handle closed. */
export const LIFETIME = "program-lifetime";

/** What one call returned, for later references. */
export interface CallResult {
  readonly status: Status;
  /** The handle or address it produced (0 if none). */
  readonly value: number;
  readonly packet: Packet | null;
  /** Where a new sub-region starts (`zx_vmar_allocate`'s second output), else undefined. */
  readonly base?: number;
  /** The record a successful `zx_object_get_info(ZX_INFO_VMO)` handed back, else undefined. */
  readonly info?: VmoInfo;
}

/** Options of {@linkcode runProgram}. */
export interface ProgramRunOptions {
  /** Seeds the schedule (and the replay fallback). Default 0. */
  readonly seed?: number;
  /** A decision list to replay. */
  readonly decisions?: readonly number[];
  /** Builds the kernel: the seam for kernel mutants. Default: the model as specified. */
  readonly makeKernel?: (options: KernelOptions) => Kernel;
  /** Fresh monitors for the run. Default {@linkcode programMonitors}. */
  readonly monitors?: () => readonly Monitor[];
  /** Keep trace entries (for printing and failure sites). Default false. */
  readonly keepTrace?: boolean;
  /** Collect the abstract state signature of every step. Default false. */
  readonly signatures?: boolean;
  /** The schedule's strategy when no decisions are replayed. Default: uniform random from `seed`. */
  readonly strategy?: Strategy;
  /**
   * Percent of the program threads' allocating calls that fail with an injected NO_MEMORY
   * (kernel/alloc_fault.ts; a recorded draw). Default: the program's own `allocFailPercent`, else 0.
   */
  readonly allocFailPercent?: number;
  /**
   * Told which thread's code is about to run, at which step (`WorldOptions.watch`): the guard of
   * `repro` names the thread and step of a hang with it (without it a program's hang read
   * "before any thread ran", userS28k). Only watches.
   */
  readonly watch?: (step: number, tid: number, entry: number) => void;
}

/** A program run: the world's result, the calls' results and the state signatures. */
export interface ProgramRun extends RunResult {
  readonly world: World;
  /** `results[t][c]`: what call c of thread t returned (undefined: it never returned). */
  readonly results: readonly (readonly (CallResult | undefined)[])[];
  /** Hashes of the abstract state after every step (empty unless asked for). */
  readonly signatures: ReadonlySet<number>;
}

/**
 * The kernel invariants that hold for any caller, and `read-content` (every byte a program
 * reads, against the program's own model of what it supplied and stored). Left out: `data-integrity`
 * (its reference is the backing store the reference services supply from;
 * programs supply whatever their aux VMOs hold) and `no-lost-requests`
 * (it judges workload threads, which programs replace by their own
 * contract and the janitor's lifetime checks). What of a lost request a run
 * can judge without liveness, `packet-discipline` judges: its `unsent` rule
 * (a request the kernel never queued while its VMO's packet slot is free) is
 * on here; scenario runs find that loss as a hang.
 */
export function programMonitors(): Monitor[] {
  return shareJournal([
    ...kernelInvariants().filter((m) =>
      m.name !== "data-integrity" && m.name !== "no-lost-requests"
    ).map((m) =>
      m instanceof PageState
        ? new DeathAwarePageState()
        : m instanceof PacketDiscipline
        ? new PacketDiscipline({ unsent: true, undersized: false })
        : m
    ),
    new ReadContent(),
  ]);
}

/**
 * `page-state` told about VMO deaths the kernel does not announce: a VMO
 * whose pager closed first was detached then, so its death (last handle,
 * mapping or operation gone, spec 1.1 + 3.2) frees its pages with no second
 * detach event, which plain `page-state` reads as pages vanishing (K26).
 */
class DeathAwarePageState extends PageState {
  readonly #dead = new Set<number>();

  protected override endStep(world: World): void {
    for (const v of world.kernel.pagerVmos) {
      if (!v.dead || this.#dead.has(v.koid)) continue;
      this.#dead.add(v.koid);
      this.onStepEvent(
        { k: "detach", vmo: v.koid, why: "vmo-dead" },
        undefined,
        world,
        kindBitOf("detach"),
      );
    }
    super.endStep(world);
  }
}

/** Drives a call that cannot block to completion (setup outside the scheduler). */
function runSync<T>(call: Syscall<T>): T {
  for (;;) {
    const r = call.next();
    if (r.done) return r.value;
    if (r.value.kind !== "syscall") throw new Error(`setup call blocked (${r.value.kind})`);
  }
}

/** State shared by the program threads and the janitor. */
interface Shared {
  readonly program: Program;
  readonly kernel: Kernel;
  readonly model: HandleModel;
  readonly results: (CallResult | undefined)[][];
  readonly threads: SimThread[];
  /** First detach event per VMO koid: why it was detached. */
  readonly firstDetach: Map<number, string>;
  /** Allocation failures are injected (the run's `allocFailPercent`). */
  readonly allocFailures: boolean;
  /** Which calls reached the allocation-failure hook (program/alloc_point.ts). */
  readonly allocPoint: AllocPoint;
  /** The last `ret` event of each thread (what the trace says its call handed back). */
  readonly rets: Map<number, KernelEvent & { k: "ret" }>;
  /** The last `call` event of each thread (what the trace says its call was given). */
  readonly calls: Map<number, KernelEvent & { k: "call" }>;
  /** The last `observed` event of each thread (what the trace says its wait learned). */
  readonly observed: Map<number, KernelEvent & { k: "observed" }>;
  /** The user packets of the program's ports, from its own calls (`port_model.ts`). */
  readonly ports: PortModel;
  /** The signal packets the program's async waits surely queued (`signal_port_model.ts`). */
  readonly signalPorts: SignalPortModel;
  /** The COMPLETE packets the program's simple pager VMOs owe their ports (`complete_model.ts`). */
  readonly completes: CompleteModel;

  /** Each thread's wait in progress: TIMED_OUT and CANCELED only as its deadline and handle allow (`wait_outcome.ts`). */
  readonly waits: WaitOutcome;
  /** The bytes each thread's current call stored (the trace's `store` events), in order. */
  readonly stores: Map<number, Uint8Array[]>;
  /** The threads whose current call made or joined a page request (`request`, `coalesce`). */
  readonly pageCalls: Set<number>;
  /** The threads parked on a page request now (a `block` of such a call, no `wake` since): the tick it parked at. */
  readonly pageParked: Map<number, number>;
}

function contractFailure(message: string): never {
  throw new InvariantViolation(CONTRACT, message);
}

function resolve(a: Arg, s: Shared): unknown {
  if (typeof a === "number") return a;
  if ("h" in a) {
    const r = s.results[a.h[0]]?.[a.h[1]];
    return r !== undefined && r.status === ZX_OK && r.value !== 0 ? r.value : INVALID_HANDLE;
  }
  if ("thread" in a) return s.threads[a.thread]?.handle ?? INVALID_HANDLE;
  if ("vmar" in a) return s.kernel.rootVmarHandle;
  if ("addr" in a) {
    const r = s.results[a.addr[0]]?.[a.addr[1]];
    return (r !== undefined && r.status === ZX_OK ? r.value : UNMAPPED_ADDRESS) + a.plus;
  }
  if ("pkt" in a) {
    const p = s.results[a.pkt[0]]?.[a.pkt[1]]?.packet;
    if (p === null || p === undefined) return 0;
    return a.field === "key" ? p.key : "offset" in p ? p[a.field] : 0;
  }
  if ("after" in a) return s.kernel.now + a.after;
  if ("bytes" in a) return new Uint8Array(Math.min(a.bytes, MAX_BUFFER)).fill(a.fill);
  return { type: ZX_PKT_TYPE_USER, key: a.packet, status: 0, user: [] };
}

/** Starts the kernel call for a program call (argument types are the kernel's to check). */
function invoke(sys: Sys, name: CallName, a: readonly unknown[]): Syscall<unknown> {
  const args = name === "mem_read" ? [a[0], Math.min(Number(a[1]) || 0, MAX_BUFFER)] : a;
  const method = (sys as unknown as Record<string, (...x: unknown[]) => Syscall<unknown>>)[
    methodName(name)
  ];
  return method.apply(sys, [...args]);
}

/** Splits a kernel result into status, produced value and packet, by the table's result kind. */
function resultOf(name: CallName, raw: unknown): CallResult {
  const kind = spec(name).result;
  if (kind === "none") return { status: ZX_OK, value: 0, packet: null };
  if (kind === "status") return { status: raw as Status, value: 0, packet: null };
  const [status, second] = raw as [Status, unknown];
  if (kind === "packet") return { status, value: 0, packet: (second as Packet | null) ?? null };
  if (kind === "record") {
    return status === ZX_OK && typeof second === "object" && second !== null
      ? { status, value: 0, packet: null, info: second as VmoInfo }
      : { status, value: 0, packet: null };
  }
  // Only handles and values (a size, an address) are something later calls can name; a new
  // sub-region's handle is kept too, for the handle model (the janitor closes it).
  const named = kind === "handle" || kind === "value" || kind === "handleAddr";
  const value = named && typeof second === "number" ? second : 0;
  const third = (raw as unknown[])[2];
  return kind === "handleAddr" && typeof third === "number"
    ? { status, value, packet: null, base: third }
    : { status, value, packet: null };
}

/** What a successful duplicate or replace implies: the model's rule accepts the rights too. */
const RIGHTS = "applyToModel: the new handle's rights (the kernel accepted them)";

/** Updates the handle model with a call's effect on the handle table. */
/**
 * `HandleModel.pristine` after a call: a `zx_vmar_op_range` may commit through any mapping (all
 * leave the set); a load or store leaves the VMO it reaches; any other call but a map or a detach
 * leaves every VMO a handle argument names (a number that happens to be a handle too: fewer
 * predictions, never a wrong one).
 */
function keepPristine(name: string, args: readonly unknown[], model: HandleModel): void {
  const p = model.pristine;
  if (p.size === 0 || name === "zx_vmar_map" || name === "zx_pager_detach_vmo") return;
  if (name === "zx_vmar_op_range") return p.clear();
  if (name === "mem_read" || name === "mem_write") {
    const root = model.vmars.known ? model.vmars.root : undefined;
    const at = root === undefined || !isU64Number(args[0])
      ? undefined
      : model.vmars.find(root, args[0]);
    if (at?.vmo === undefined) p.clear();
    else p.delete(at.vmo);
    return;
  }
  for (const a of args) {
    const o = model.get(a)?.object;
    if (o !== undefined) p.delete(o);
  }
}

function applyToModel(
  call: ProgramCall,
  args: readonly unknown[],
  r: CallResult,
  model: HandleModel,
  ps: number,
): void {
  const ok = r.status === ZX_OK;
  keepPristine(call.call, args, model);
  const pages = pinPages(call.call, args, ps);
  model.pinHolds.end(call.call, args, r.status, r.value, pinnedVmo(model, call.call, args), pages);
  // A pin of an anonymous VMO (plain or contiguous) through its own handle: those pages stay
  // pinned until its PMT handle is unpinned, closed or replaced (`HandleModel.plainPins`).
  const pinned = call.call === "zx_bti_pin" && ok ? model.get(args[2]) : undefined;
  const [offset, size] = [args[3], args[4]];
  if (pinned?.anonymous !== undefined && typeof offset === "number" && typeof size === "number") {
    model.plainPins.set(r.value, {
      object: pinned.object,
      start: Math.floor(offset / ps),
      end: Math.ceil((offset + size) / ps),
    });
  }
  // A PMT whose last handle a close ended before any unpin: its BTI holds it in quarantine.
  const bti = call.call === "zx_bti_pin" && ok ? model.get(args[0])?.object : undefined;
  if (bti !== undefined) model.pmtBti.set(r.value, bti);
  if (call.call === "zx_handle_close" && ok) {
    const token = model.pmtBti.get(args[0] as number);
    const object = model.get(args[0])?.object;
    model.pmtBti.delete(args[0] as number);
    if (
      token !== undefined && object !== undefined &&
      model.open.every((h) => h === args[0] || model.get(h)?.object !== object)
    ) model.quarantined.add(token);
  }
  switch (call.call) {
    case "zx_vmo_create":
      if (ok) model.create(r.value, ZX_OBJ_TYPE_VMO, args[1] as number, null, args[0] as number);
      if (ok && model.get(r.value)?.resizable && model.get(r.value)?.anonymous === "plain") {
        model.vmoBytes.set(r.value, roundUp(args[0] as number, ps));
      }
      return;
    case "zx_vmo_set_size": {
      const h = model.get(args[0]);
      if (ok && h?.anonymous === "plain" && h.resizable === true) {
        model.vmoBytes.set(h.object, roundUp(args[1] as number, ps));
      }
      return;
    }
    case "zx_object_signal": {
      // Cleared, then set (zx_object_signal.md; Dispatcher::UpdateState).
      const h = model.get(args[0]);
      const before = h === undefined ? undefined : model.eventSignals.get(h.object);
      if (ok && h !== undefined && before !== undefined) {
        const clear = (args[1] as number) >>> 0, set = (args[2] as number) >>> 0;
        model.eventSignals.set(h.object, ((before & ~clear) | set) >>> 0);
      }
      return;
    }
    case "zx_vmo_create_contiguous":
      // Not resizable: its size stays what was asked.
      if (ok) {
        model.create(r.value, ZX_OBJ_TYPE_VMO, 0, null, args[1] as number, "contiguous");
      }
      return;
    case "zx_vmo_create_child": {
      if (!ok) return;
      childMade(model, args[0], r.value);
      const options = args[1] as number;
      const rights =
        (ZX_DEFAULT_VMO_RIGHTS | (options & ZX_VMO_CHILD_RESIZABLE ? ZX_RIGHT_RESIZE : 0)) &
        ~(options & ZX_VMO_CHILD_NO_WRITE ? ZX_RIGHT_WRITE : 0);
      // Made, so resizable exactly when asked (a slice or reference asked is INVALID_ARGS); a
      // clone unless it is a slice or a reference (one type bit: INVALID_ARGS otherwise).
      model.createWithRights(
        r.value,
        ZX_OBJ_TYPE_VMO,
        rights,
        (options & ZX_VMO_CHILD_RESIZABLE) !== 0,
        (options & (ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE | ZX_VMO_CHILD_SNAPSHOT_MODIFIED)) !==
          0,
        childFixedSize(options, args[3]),
      );
      return;
    }
    case "zx_pager_detach_vmo": {
      const vmo = model.get(args[1]);
      if (ok && vmo !== undefined) model.detached.add(vmo.object);
      return;
    }
    case "zx_task_kill": {
      // A live thread is killed at once (an exited one stays gone): it can be suspended no more.
      const target = model.get(args[0])?.thread;
      if (ok && target !== undefined) model.threadsGone.add(target);
      return;
    }
    case "zx_pager_create_vmo":
      if (ok) {
        const pager = present(model.get(args[0]), "applyToModel: the model's handle of the pager");
        model.create(r.value, ZX_OBJ_TYPE_VMO, args[1] as number, pager.object, args[4] as number);
        const made = model.get(r.value);
        if (made !== undefined) model.pristine.add(made.object);
      }
      return;
    case "zx_handle_duplicate": {
      const src = model.get(args[0]);
      if (ok && src) model.alias(r.value, src, present(subRights(src.rights, args[1]), RIGHTS));
      return;
    }
    case "zx_handle_replace": {
      const src = model.get(args[0]);
      model.drop(args[0]);
      if (ok && src) model.alias(r.value, src, present(subRights(src.rights, args[1]), RIGHTS));
      return;
    }
    case "zx_handle_close":
    case "zx_pmt_unpin": // consumes the token's handle (PinnedMemoryTokenDispatcher::Unpin)
      if (ok) model.drop(args[0]);
      return;
    case "zx_vmar_map":
      if (ok) {
        reachOfRoot(model, args[0], args[1], args[2], args[5]);
        mappedInModel(args, r.value, model, ps);
      }
      return;
    case "zx_vmar_unmap": {
      const region = model.vmars.region(model.get(args[0])?.object);
      if (!ok) return;
      if (region === undefined) model.vmars.known = false;
      else model.vmars.unmapped(region, args[1] as number, roundUp(args[2] as number, ps));
      return;
    }
    case "zx_vmar_destroy": {
      const region = model.vmars.region(model.get(args[0])?.object);
      if (ok && region !== undefined) model.vmars.destroy(region);
      else if (ok) model.vmars.known = false;
      return;
    }
    case "zx_vmar_protect": {
      const region = model.vmars.region(model.get(args[0])?.object);
      const o = args[1] as number;
      if (ok && region !== undefined) {
        model.vmars.protect(
          region,
          args[2] as number,
          roundUp(args[3] as number, ps),
          (o & ZX_VM_PERM_READ) !== 0,
          (o & ZX_VM_PERM_WRITE) !== 0,
        );
      } else if (ok) model.vmars.known = false;
      return;
    }
    case "zx_vmar_allocate": {
      // The child's handle: the default VMAR rights less READ/WRITE/EXECUTE its CAN_MAP flags
      // do not grant (zircon/kernel/lib/syscalls/vmar.cc, sys_vmar_allocate).
      if (!ok) return;
      reachOfRoot(model, args[0], args[1], args[2], args[3]);
      const o = args[1] as number;
      const drop = (o & ZX_VM_CAN_MAP_READ ? 0 : ZX_RIGHT_READ) |
        (o & ZX_VM_CAN_MAP_WRITE ? 0 : ZX_RIGHT_WRITE) |
        (o & ZX_VM_CAN_MAP_EXECUTE ? 0 : ZX_RIGHT_EXECUTE);
      const parent = model.vmars.region(model.get(args[0])?.object);
      model.createWithRights(r.value, ZX_OBJ_TYPE_VMAR, ZX_DEFAULT_VMAR_RIGHTS & ~drop);
      if (parent === undefined || r.base === undefined) model.vmars.known = false;
      else {
        model.vmars.allocated(parent, r.value, r.base, roundUp(args[3] as number, ps), {
          specific: (o & ZX_VM_CAN_MAP_SPECIFIC) !== 0,
          read: (o & ZX_VM_CAN_MAP_READ) !== 0,
          write: (o & ZX_VM_CAN_MAP_WRITE) !== 0,
          execute: (o & ZX_VM_CAN_MAP_EXECUTE) !== 0,
        });
      }
      return;
    }
  }
  const creates = spec(call.call).creates;
  // The model's own default rights where it keeps them (handle_model.ts DEFAULT_RIGHTS, from
  // rights.h), not the kernel's table: a kernel with wrong defaults would agree with itself.
  const rights = creates === undefined ? 0 : DEFAULT_RIGHTS[creates.type] ?? creates.rights;
  if (ok && creates !== undefined) model.createWithRights(r.value, creates.type, rights);
  if (ok && call.call === "zx_event_create") model.eventSignals.set(r.value, 0);
}

/** `x` rounded up to whole pages. */
function roundUp(x: number, ps: number): number {
  return Math.ceil(x / ps) * ps;
}

/**
 * A successful `zx_vmar_map(vmar, options, vmar_offset, vmo, vmo_offset, len)` at `addr`, in
 * the picture of the address space: writable as mapped, and writable at most where the VMO
 * handle, the VMAR handle and the region's CAN_MAP_WRITE allowed it (zx_vmar_map.md).
 */
function mappedInModel(args: readonly unknown[], addr: number, model: HandleModel, ps: number) {
  const vmar = model.get(args[0]);
  const region = model.vmars.region(vmar?.object);
  if (vmar === undefined || region === undefined) {
    model.vmars.known = false;
    return;
  }
  const options = args[1] as number;
  const canWrite = ((model.get(args[3])?.rights ?? 0) & ZX_RIGHT_WRITE) !== 0 &&
    (vmar.rights & ZX_RIGHT_WRITE) !== 0 && region.flags.write;
  const vmo = model.get(args[3])?.object;
  model.vmars.mapped(region, {
    addr,
    len: roundUp(args[5] as number, ps),
    readable: true,
    writable: (options & ZX_VM_PERM_WRITE) !== 0,
    canWrite,
    ...(vmo !== undefined && isU64Number(args[4]) ? { vmo, vmoOffset: args[4] } : {}),
  }, (options & ZX_VM_SPECIFIC_OVERWRITE) !== 0);
}

/** True if `x` is a whole number in [0, 2^53). */
function isU64Number(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
}

/** A placement in the root VMAR (`vmar` its handle) adds to the model's `rootReach`. */
function reachOfRoot(
  model: HandleModel,
  vmar: unknown,
  options: unknown,
  offset: unknown,
  length: unknown,
): void {
  if (model.get(vmar)?.rootVmar !== true) return;
  const specific = ((options as number) & (ZX_VM_SPECIFIC | ZX_VM_SPECIFIC_OVERWRITE)) !== 0;
  model.rootReach += (specific ? offset as number : 0) + (length as number) +
    PLACEMENT_GUARD_BOUND;
}

/** Checks one call's outcome against the contract, then records it in the model. */
function check(
  t: number,
  c: number,
  call: ProgramCall,
  args: readonly unknown[],
  predicted: Status | null,
  among: readonly Status[] | null,
  r: CallResult,
  model: HandleModel,
  ps: number,
  injected = false,
): void {
  const where = `t${t}#${c} ${call.call}`;
  if (call.call !== "mem_read" && call.call !== "mem_write") {
    if (!allowed(call.call, r.status, givesUserBuffer(call)) && !injected) {
      contractFailure(`${where} returned ${statusName(r.status)}, which the spec does not allow`);
    }
    if (predicted !== null && r.status !== predicted) {
      contractFailure(
        `${where} returned ${statusName(r.status)}; the handle model says ${statusName(predicted)}`,
      );
    }
    if (among !== null && !among.includes(r.status)) {
      contractFailure(
        `${where} returned ${statusName(r.status)}; the handle model says one of ${
          among.map(statusName).join(", ")
        }`,
      );
    }
  }
  // A wait hands back what it observed when it times out or is cancelled (`valueOnError`).
  if (r.status !== ZX_OK && r.value !== 0 && spec(call.call).valueOnError !== true) {
    contractFailure(`${where} failed with ${statusName(r.status)} but handed out ${r.value}`);
  }
  const produces = [
    "zx_pager_create",
    "zx_port_create",
    "zx_vmo_create",
    "zx_pager_create_vmo",
    "zx_task_suspend",
    "zx_handle_duplicate",
    "zx_handle_replace",
    "zx_vmar_allocate",
    "zx_bti_create",
    "zx_bti_pin",
  ].includes(call.call);
  if (produces && r.status === ZX_OK && (r.value <= 0 || model.get(r.value) !== undefined)) {
    contractFailure(`${where} handed out handle ${r.value}, which is invalid or already open`);
  }
  if (r.status === ZX_OK && (call.call === "zx_vmar_map" || call.call === "zx_vmar_allocate")) {
    placedWhere(where, call.call, args, r, model, ps);
  }
  if (r.info !== undefined) infoAgrees(where, args[0], r.info, model, ps);
  if (r.info !== undefined) infoCounts(where, args, r.info, model, t);
  childCountOf(model).end(
    call.call,
    r.status,
    call.call !== "zx_vmo_create_child" || model.get(args[0]) !== undefined,
    t,
    call.call === "zx_bti_pin" ? model.get(args[2])?.object : undefined,
    call.call === "zx_bti_pin"
      ? r.value
      : call.call === "zx_pmt_unpin"
      ? model.get(args[0])?.object
      : undefined,
  );
  const short = commitFloorOf(model).observe(call.call, args, r.status, r.info, model, ps);
  if (short !== null) contractFailure(`${where} reports ${short}`);
  const cloneShort = cloneCommitFloorOf(model).end(
    call.call,
    args,
    r.status,
    r.value,
    r.info,
    model,
    ps,
    t,
  );
  if (cloneShort !== null) contractFailure(`${where} reports ${cloneShort}`);
  const rootShort = rootCommitFloorOf(model).end(call.call, args, r.status, r.info, model, ps, t);
  if (rootShort !== null) contractFailure(`${where} reports ${rootShort}`);
  const readShort = contiguousReadFloorOf(model).end(
    call.call,
    args,
    r.status,
    r.info,
    model,
    ps,
    t,
  );
  if (readShort !== null) contractFailure(`${where} reports ${readShort}`);
  const cut = pinShrinkOf(model).end(call.call, args, r.status, t, ps);
  if (cut !== null) contractFailure(`${where} ${cut}`);
  const zeroHandles = btiClosePinOf(model).end(call.call, args, r.status, r.value, model, t);
  if (zeroHandles !== null) contractFailure(`${where} ${zeroHandles}`);
  const gone = cloneDetachReadOf(model).end(call.call, args, r.status, r.value, model);
  if (gone !== null) contractFailure(`${where} ${gone}`);
  const over = commitCeilingOf(model).end(call.call, args, r.status, r.info, model, ps);
  if (over !== null) contractFailure(`${where} reports ${over}`);
  const moved = commitStillOf(model).end(call.call, args, r.status, r.info, model, t);
  if (moved !== null) contractFailure(`${where} reports ${moved}`);
  const born = childBirthsOf(model).observe(call.call, args, r.status, r.value, r.info, model);
  if (born !== null) contractFailure(`${where}: ${born}`);
  applyToModel(call, args, r, model, ps);
  // After the model took the call's effect: a reference made is in the model now.
  const sized = referenceSizeOf(model).end(
    call.call,
    args,
    r.status,
    r.value,
    r.info,
    model,
    t,
    ps,
  );
  if (sized !== null) contractFailure(`${where} reports ${sized}`);
}

/**
 * Each run's record of one contract rule, kept with its handle model (one per run, made at its
 * first call): `perRun(() => new CommitCeiling())` gives the rule's `…Of(model)`.
 */
function perRun<T>(make: () => T): (model: HandleModel) => T {
  const records = new WeakMap<HandleModel, T>();
  return (model) => {
    let r = records.get(model);
    if (r === undefined) records.set(model, r = make());
    return r;
  };
}

const commitCeilingOf = perRun(() => new CommitCeiling());
const commitStillOf = perRun(() => new CommitStill());
const childCountOf = perRun(() => new ChildCount());
const childBirthsOf = perRun(() => new ChildBirths());
const cloneCommitFloorOf = perRun(() => new CloneCommitFloor());
const rootCommitFloorOf = perRun(() => new RootCommitFloor());
const contiguousReadFloorOf = perRun(() => new ContiguousReadFloor());
const pinShrinkOf = perRun(() => new PinShrink());
const btiClosePinOf = perRun(() => new BtiClosePin());
const referenceSizeOf = perRun(() => new ReferenceSize());
const cloneDetachReadOf = perRun(() => new CloneDetachRead());
const commitFloorOf = perRun(() => new CommitFloor());

/**
 * Where a successful `zx_vmar_map` or `zx_vmar_allocate` put its range, against the program's
 * own picture of the region as it was before the call: at the region's base plus the offset when
 * SPECIFIC (or SPECIFIC_OVERWRITE), inside the region where its extent is known, and over no
 * sub-region and no mapping the program placed there but those a SPECIFIC_OVERWRITE map replaces
 * (zx_vmar_map.md, zx_vmar_allocate.md: a VMAR's children never overlap; a placement the kernel
 * chooses lands in a gap). The picture is exact then: layout calls never block.
 */
function placedWhere(
  where: string,
  name: "zx_vmar_map" | "zx_vmar_allocate",
  args: readonly unknown[],
  r: CallResult,
  model: HandleModel,
  ps: number,
): void {
  const region = model.vmars.region(model.get(args[0])?.object);
  if (!model.vmars.known || region === undefined || region.destroyed) return;
  const map = name === "zx_vmar_map";
  const addr = map ? r.value : r.base;
  if (addr === undefined) return;
  const len = roundUp((map ? args[5] : args[3]) as number, ps);
  const options = args[1] as number;
  const overwrite = map && (options & ZX_VM_SPECIFIC_OVERWRITE) !== 0;
  const specific = overwrite || (options & ZX_VM_SPECIFIC) !== 0;
  const at = `${where} placed [0x${addr.toString(16)}, 0x${(addr + len).toString(16)})`;
  if (region.base !== null) {
    if (specific && addr !== region.base + (args[2] as number)) {
      contractFailure(`${at}, not at its region's base 0x${region.base.toString(16)} + ${args[2]}`);
    }
    if (addr < region.base || addr + len > region.base + region.size) {
      contractFailure(`${at}, outside its region`);
    }
  }
  const over = (b: number, blen: number) => addr < b + blen && b < addr + len;
  const sub = region.regions.find((x) => over(x.base ?? 0, x.size));
  if (sub !== undefined) {
    contractFailure(`${at}, over the sub-region at 0x${(sub.base ?? 0).toString(16)}`);
  }
  const hit = overwrite ? undefined : region.mappings.find((x) => over(x.addr, x.len));
  if (hit !== undefined) contractFailure(`${at}, over the mapping at 0x${hit.addr.toString(16)}`);
}

/**
 * The `zx_info_vmo_t` a successful `zx_object_get_info(ZX_INFO_VMO)` handed back, against what
 * the handle model knows of the handle and its VMO (zx_object_get_info.md, ZX_INFO_VMO): the
 * handle's rights; RESIZABLE as the VMO was made; IS_COW_CLONE exactly for a clone; CONTIGUOUS
 * exactly for the VMO `zx_vmo_create_contiguous` made, of the roots the model made (a child's is
 * left open); the size of a VMO whose size cannot change, page-rounded; committed bytes within
 * the page-rounded size; and a contiguous VMO wholly committed while no DECOMMIT was ever asked
 * (its pages are committed at creation, VmObjectPaged::CreateContiguous, and only a DECOMMIT
 * lends them).
 */
function infoAgrees(
  where: string,
  handle: unknown,
  info: VmoInfo,
  model: HandleModel,
  ps: number,
): void {
  const h = model.get(handle);
  if (h === undefined) return;
  const says = (what: string) => contractFailure(`${where} reports ${what}`);
  if (info.handleRights !== h.rights) {
    says(
      `handle rights 0x${info.handleRights.toString(16)}, the handle has 0x${
        h.rights.toString(16)
      }`,
    );
  }
  const flag = (bit: number) => (info.flags & bit) !== 0;
  if (h.resizable !== undefined && flag(ZX_INFO_VMO_RESIZABLE) !== h.resizable) {
    says(
      `RESIZABLE=${flag(ZX_INFO_VMO_RESIZABLE)} of a VMO made ${
        h.resizable ? "" : "not "
      }resizable`,
    );
  }
  if (flag(ZX_INFO_VMO_IS_COW_CLONE) !== (h.clone === true)) {
    says(`IS_COW_CLONE=${flag(ZX_INFO_VMO_IS_COW_CLONE)}; the model says ${h.clone === true}`);
  }
  const contiguous = h.anonymous === "contiguous";
  if (
    (h.anonymous !== undefined || h.pager !== null) && flag(ZX_INFO_VMO_CONTIGUOUS) !== contiguous
  ) {
    says(`CONTIGUOUS=${flag(ZX_INFO_VMO_CONTIGUOUS)}; the model says ${contiguous}`);
  }
  if (h.fixedSize !== undefined && info.sizeBytes !== roundUp(h.fixedSize, ps)) {
    says(`size ${info.sizeBytes} of a VMO made with ${h.fixedSize} bytes that cannot change size`);
  }
  if (h.childSize !== undefined && info.sizeBytes !== roundUp(h.childSize, ps)) {
    says(`size ${info.sizeBytes} of a child made with ${h.childSize} bytes, not resizable`);
  }
  if (info.committedBytes > roundUp(info.sizeBytes, ps)) {
    says(`${info.committedBytes} committed bytes of ${info.sizeBytes}`);
  }
  if (contiguous && !model.decommitPossible && info.committedBytes !== info.sizeBytes) {
    says(
      `${info.committedBytes} committed bytes of a contiguous VMO of ${info.sizeBytes}, never decommitted`,
    );
  }
}

/**
 * The size a child made with `options` and `size` keeps for good, or undefined when it may
 * change: a slice or a snapshot clone not made RESIZABLE is `size` (rounded up to whole pages)
 * whatever its parent does later. zx_vmo_create_child.md: *size* is "the size of the child
 * VMO", and only ZX_VMO_CHILD_RESIZABLE makes a resizable one; a reference is not judged (it
 * shares its parent's pages and size). Upstream `VmObjectPaged::CreateClone` and
 * `CreateChildSlice` give the child its own `size_` (vm_object_paged.cc @ gnoliyil/fuchsia
 * 0ad2d850): a parent's resize changes the parent's alone (`VmObjectPaged::Resize`).
 */
function childFixedSize(options: number, size: unknown): number | undefined {
  const type = ZX_VMO_CHILD_SLICE | ZX_VMO_CHILD_SNAPSHOT |
    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE |
    ZX_VMO_CHILD_SNAPSHOT_MODIFIED;
  if (options & ZX_VMO_CHILD_RESIZABLE || !(options & type) || !isU64Number(size)) return undefined;
  return size;
}

/** A child `child` (a new handle, its own model object) was made of the VMO `parent` names. */
function childMade(model: HandleModel, parent: unknown, child: number): void {
  const p = model.get(parent);
  if (p === undefined) return;
  const made = model.childrenMade.get(p.object) ?? [];
  made.push(child);
  model.childrenMade.set(p.object, made);
}

/**
 * What a successful `zx_object_get_info(ZX_INFO_VMO)` counts, against the handle model
 * (zx_object_get_info.md; VmoToInfoEntry, zircon/kernel/object/vm_object_dispatcher.cc @
 * gnoliyil/fuchsia 641fd6bc, sets `populated_scaled_bytes` to the integral part of the scaled
 * total and `populated_bytes` to the total):
 * - `populated_scaled_bytes` splits each shared page among its sharers, so it is never more than
 *   `populated_bytes`; of a root VMO (one `zx_vmo_create`, `zx_vmo_create_contiguous` or
 *   `zx_pager_create_vmo` made) no child was ever made of, nothing shares a page: equal.
 * - `num_children` counts at least the children made of the VMO whose handles are still open: a
 *   handle keeps its VMO alive, and a live child stays counted on the VMO it was made of while
 *   that VMO lives, which the queried handle holds (zx_vmo_create_child.md). Judged only for a
 *   query without a user buffer: with one, the record is taken before a copy-out that may block
 *   while other threads make children. Across deaths (a child that dies hands its children to
 *   the VMO it was made of), within the bounds of program/child_count.ts.
 */
function infoCounts(
  where: string,
  args: readonly unknown[],
  info: VmoInfo,
  model: HandleModel,
  t: number,
) {
  const h = model.get(args[0]);
  if (h === undefined) return;
  const says = (what: string) => contractFailure(`${where} reports ${what}`);
  if (info.populatedScaledBytes > info.populatedBytes) {
    says(`${info.populatedScaledBytes} populated scaled bytes of ${info.populatedBytes} populated`);
  }
  const root = h.pager !== null || h.anonymous !== undefined;
  const made = model.childrenMade.get(h.object) ?? [];
  if (root && made.length === 0 && info.populatedScaledBytes !== info.populatedBytes) {
    says(
      `${info.populatedScaledBytes} populated scaled bytes of ${info.populatedBytes} populated, of a root VMO never cloned`,
    );
  }
  if (args.length > 2) return;
  const open = new Set(model.open.map((x) => model.get(x)?.object));
  const alive = made.filter((c) => open.has(c)).length;
  if (info.numChildren < alive) {
    says(`${info.numChildren} children; ${alive} made of it have open handles`);
  }
  const b = childCountOf(model).bounds(
    h.object,
    model.childrenMade,
    open as Set<number>,
    t,
    (o) => model.vmars.mapsObject(o),
  );
  if (b !== null && (info.numChildren < b.low || info.numChildren > b.high)) {
    says(
      `${info.numChildren} children; by the children made of it and of those of them that died, ${
        b.low === b.high ? b.low : `${b.low} to ${b.high}`
      }`,
    );
  }
}

/**
 * The trace's `ret` of a call shows what the call handed its caller (kernel/syscalls.ts
 * `retEvent`): its status, and on success the value, the new handle, or the new handle and its
 * address. A user reads the trace to see what a program got; one that says otherwise misleads.
 */
function traceShows(
  where: string,
  name: CallName,
  r: CallResult,
  ret: (KernelEvent & { k: "ret" }) | undefined,
): void {
  if (ret === undefined || ret.name !== name || ret.status !== r.status) {
    contractFailure(
      `${where} returned ${statusName(r.status)}; the trace's ret says ${
        ret === undefined ? "nothing" : `${ret.name} ${statusName(ret.status)}`
      }`,
    );
  }
  if (r.status !== ZX_OK) return;
  const kind = spec(name).result;
  const shown = kind === "value"
    ? ret.value === r.value
    : kind === "handle"
    ? ret.handle === r.value
    : kind === "handleAddr"
    ? ret.handle === r.value && ret.value === r.base
    : true;
  if (!shown) {
    contractFailure(
      `${where} handed back ${r.value}${
        r.base === undefined ? "" : ` at ${r.base}`
      }; the trace's ret shows handle ${ret.handle} value ${ret.value}`,
    );
  }
}

/**
 * The trace's `ret` of a failed call shows its status and nothing handed back (kernel/syscalls.ts
 * `retEvent`): a failed call hands its caller no handle, and a value it hands back on error (a
 * timed-out wait's observed signals) is the call's result, not the trace's.
 */
function failureShowsStatus(
  where: string,
  r: CallResult,
  ret: (KernelEvent & { k: "ret" }) | undefined,
): void {
  if (r.status === ZX_OK || ret === undefined) return;
  if (ret.handle !== undefined || ret.value !== undefined) {
    contractFailure(
      `${where} failed with ${
        statusName(r.status)
      }; the trace's ret shows handle ${ret.handle} value ${ret.value}`,
    );
  }
}

/**
 * What a call of a handle, value, handle-and-address, bytes, packet, record, stats or ranges kind
 * hands its caller has that kind's shape whether it succeeds or fails (kernel/syscalls.ts
 * `failed`: `[status, 0]`, `[status, 0, 0]`, `[status, new Uint8Array(0)]`, `[status, null]`,
 * `[status, [], 0]`; `KernelCalls`' `zx_vmo_read`: `[Status, Uint8Array]`), as a caller that
 * destructures it, or reads the bytes' length, relies on.
 */
function shapeOfKind(where: string, name: CallName, raw: unknown): void {
  const kind = spec(name).result;
  const n = kind === "handle" || kind === "value" || kind === "bytes" || kind === "packet" ||
      kind === "record" || kind === "stats"
    ? 2
    : kind === "handleAddr" || kind === "ranges"
    ? 3
    : 0;
  if (n !== 0 && !(Array.isArray(raw) && raw.length === n)) {
    contractFailure(`${where} handed back ${JSON.stringify(raw)}, not the ${n} slots of its kind`);
  }
  if (kind === "bytes" && !((raw as unknown[])[1] instanceof Uint8Array)) {
    contractFailure(`${where} handed back ${JSON.stringify(raw)}, no bytes in its second slot`);
  }
}

/**
 * A call that hands back a signal packet (`zx_port_wait`: an async wait's packet) shows, in the
 * trace's `observed` event of its thread, the packet's key and the signals it observed, and
 * names the object waited on (a koid, never -1): the checkers that judge what a wait learned
 * (futex-discipline's user signals) read that event, and a reader learns which object fired.
 */
function signalPacketShown(
  where: string,
  r: CallResult,
  observed: (KernelEvent & { k: "observed" }) | undefined,
): void {
  const p = r.packet as Partial<SignalPacket> | null;
  if (r.status !== ZX_OK || p === null || p.signal === undefined) return;
  // The event names the object whose wait queued the packet: a koid the kernel gave out (koids
  // count from 1), never -1 (unknown).
  if (
    observed === undefined || observed.key !== p.key || observed.signals !== p.signal.observed ||
    !(observed.koid > 0)
  ) {
    contractFailure(
      `${where} handed back a signal packet (key ${p.key}, observed 0x${
        p.signal.observed.toString(16)
      }); the trace's observed event shows ${
        observed === undefined
          ? "nothing"
          : `key ${observed.key}, 0x${observed.signals.toString(16)} of koid ${observed.koid}`
      }`,
    );
  }
}

/**
 * The trace's `call` of a call shows its name and the arguments the program gave, one slot each:
 * an optional user buffer only when one was given (kernel/syscalls.ts `tableCall`: a trailing
 * optional argument left out has no slot, and a given one is shown). A trace that shows a
 * buffer the call was not given, or none it was, misleads its reader about what the call did.
 */
function traceShowsCall(
  where: string,
  name: CallName,
  args: readonly unknown[],
  call: (KernelEvent & { k: "call" }) | undefined,
): void {
  let given = args.length;
  const required = spec(name).params.filter((p) => p.optional !== true).length;
  while (given > required && args[given - 1] === undefined) given--;
  if (call === undefined || call.name !== name || call.args.length !== given) {
    contractFailure(
      `${where} was given ${given} arguments; the trace's call shows ${
        call === undefined ? "nothing" : `${call.name} with ${call.args.length}`
      }`,
    );
  }
}

/**
 * The trace's `call` event shows each argument as the program gave it: a number as itself, a
 * buffer by its length, a user packet by its key (kernel/events.ts: the `call` event's `args`).
 * Judged after the call's outcome (`check`): a kernel that acts on other arguments than it was
 * given is named first by what it returned, where the contract predicted it.
 */
function traceShowsArgs(
  where: string,
  name: CallName,
  args: readonly unknown[],
  call: (KernelEvent & { k: "call" }) | undefined,
): void {
  if (call === undefined) return;
  const params = spec(name).params;
  for (let i = 0; i < Math.min(args.length, call.args.length); i++) {
    const a = args[i] as { length?: unknown; key?: unknown } | null | undefined;
    const kind = params[i]?.kind;
    const want = kind === "buffer" ? a?.length : kind === "userPacket" ? a?.key : a;
    if (typeof want === "number" && !Object.is(call.args[i], want)) {
      contractFailure(
        `${where} was given ${
          kind === "buffer"
            ? "a buffer of length "
            : kind === "userPacket"
            ? "a packet of key "
            : ""
        }${want} as argument ${i}; the trace's call shows ${
          typeof call.args[i] === "object" && call.args[i] !== null
            ? `an object (${(call.args[i] as object).constructor?.name})`
            : String(call.args[i])
        }`,
      );
    }
  }
}

function* programThread(sys: Sys, t: number, s: Shared): ThreadBody {
  const calls = s.program.threads[t].calls;
  for (let c = 0; c < calls.length; c++) {
    const call = calls[c];
    // The scheduling point; arguments resolve when the call runs, as a racing program sees them.
    yield { kind: "syscall", name: call.call };
    const args = call.args.map((a) => resolve(a, s));
    s.model.caller = t;
    const memory = call.call === "mem_read" || call.call === "mem_write";
    const predicted = memory ? null : predict(call.call, args, s.model, s.kernel.pageSize);
    // A load or store the model's own mappings refuse faults (one thread: no racing call can
    // change the mappings while it runs).
    const denied = memory && s.program.threads.length === 1 &&
      accessDenied(call.call, args, s.model);
    // A load or store of a pager VMO detached before any page of it was there faults too.
    const absent = memory && s.program.threads.length === 1 && !denied
      ? detachedAbsent(call.call, args, s.model)
      : undefined;
    const among = memory || predicted !== null
      ? null
      : predictAmong(call.call, args, s.model, s.kernel.pageSize);
    const waited = call.call === "zx_object_wait_one"
      ? waitOneOutcome(args, s.model, s.kernel.now)
      : null;
    // An injected allocation failure comes right after the table's checks, before the rest.
    const mayRunOut = !memory && s.allocFailures &&
      mayFailAllocating(call.call, args, s.model, s.kernel.pageSize);
    // A pin may hold pages from here on, whatever it returns (a shrink may then be BAD_STATE).
    if (call.call === "zx_bti_pin") s.model.pinsPossible = true;
    commitCeilingOf(s.model).start(call.call, args, s.model);
    commitStillOf(s.model).start(call.call, args, s.model, t);
    cloneCommitFloorOf(s.model).start(call.call, args, s.model, t);
    rootCommitFloorOf(s.model).start(call.call, args, s.model, t);
    contiguousReadFloorOf(s.model).start(call.call, args, s.model, t);
    pinShrinkOf(s.model).start(call.call, args, s.model, t);
    btiClosePinOf(s.model).start(call.call, args, s.model, t, s.kernel.pageSize);
    referenceSizeOf(s.model).start(call.call, args, s.model, t);
    cloneDetachReadOf(s.model).start(call.call, args, s.model, s.program.threads.length === 1);
    childCountOf(s.model).start(call.call, s.model.objectsNamed(args), t);
    s.model.pinHolds.start(
      call.call,
      pinnedVmo(s.model, call.call, args),
      pinPages(call.call, args, s.program.pageSize),
    );
    // A resize started: the VMO's size is not known again until it returns ZX_OK.
    const resized = call.call === "zx_vmo_set_size" ? s.model.get(args[0]) : undefined;
    if (resized !== undefined) s.model.vmoBytes.delete(resized.object);
    // An unpin, close or replace of a PMT handle started: the model no longer knows its pin holds.
    if (
      (call.call === "zx_pmt_unpin" || call.call === "zx_handle_close" ||
        call.call === "zx_handle_replace") && typeof args[0] === "number"
    ) s.model.plainPins.delete(args[0]);
    // An unpin or replace of a PMT handle started: a later close of it is not known to quarantine.
    if (
      (call.call === "zx_pmt_unpin" || call.call === "zx_handle_replace") &&
      typeof args[0] === "number"
    ) s.model.pmtBti.delete(args[0]);
    // A close or replace of what may be a PMT's handle started: its BTI may hold a quarantine.
    if (
      (call.call === "zx_handle_close" || call.call === "zx_handle_replace") &&
      args[0] !== 0 && (s.model.get(args[0])?.type ?? ZX_OBJ_TYPE_PMT) === ZX_OBJ_TYPE_PMT
    ) s.model.quarantinePossible = true;
    // A DECOMMIT started may lend a contiguous VMO's frames, whatever it returns (not one
    // through a handle to a plain anonymous VMO: that names no contiguous VMO's pages).
    if (
      (call.call === "zx_vmo_op_range" || call.call === "zx_vmar_op_range") &&
      args[1] === ZX_VMO_OP_DECOMMIT &&
      !(call.call === "zx_vmo_op_range" && s.model.get(args[0])?.anonymous === "plain")
    ) s.model.decommitPossible = true;
    // A detach started may have detached the VMO by the time a racing call looks (whatever it
    // returns): its attachment is no longer known until it returns ZX_OK.
    const detaching = call.call === "zx_pager_detach_vmo" ? s.model.get(args[1]) : undefined;
    if (detaching !== undefined) s.model.detachStarted.add(detaching.object);
    s.ports.start(call.call, args, s.model, s.kernel.now, t);
    if (!memory) s.signalPorts.start(call.call, args, s.model, t);
    if (!memory) s.completes.start(call.call, args, t);
    else s.completes.memory(t, false);

    s.waits.start(call.call, args, t);
    s.rets.delete(sys.tid);
    s.stores.set(sys.tid, []);
    s.calls.delete(sys.tid);
    s.observed.delete(sys.tid);
    s.allocPoint.start(sys.tid);
    const gen = invoke(sys, call.call, args);
    gen.next(); // the kernel call's own scheduling point: already taken above
    let r = gen.next();
    while (!r.done) {
      const y: KernelYield = r.value;
      if (y.kind === "crash" && !FAULT_CODES.includes(y.synth)) {
        contractFailure(`t${t}#${c} ${call.call}: fatal page fault with ${statusName(y.synth)}`);
      }
      if (y.kind === "crash" && denied && y.synth !== ZX_ERR_ACCESS_DENIED) {
        contractFailure(
          `t${t}#${c} ${call.call}: fatal page fault with ${
            statusName(y.synth)
          }; the mapping the model holds there refuses the access (ZX_ERR_ACCESS_DENIED)`,
        );
      }
      // A fatal page fault ends the thread: it is never resumed.
      if (y.kind === "crash") s.model.threadsGone.add(t);
      yield y;
      r = gen.next();
    }
    const result = resultOf(call.call, r.value);
    s.results[t][c] = result;
    if (absent !== undefined) {
      contractFailure(
        `t${t}#${c} ${call.call} at 0x${
          (args[0] as number).toString(16)
        } returned; the mapping there is of a pager VMO detached before any page of it was supplied: a fatal page fault (ZX_ERR_BAD_STATE) was due`,
      );
    }
    if (denied) {
      contractFailure(
        `t${t}#${c} ${call.call} at 0x${
          (args[0] as number).toString(16)
        } returned; the mapping the model holds there refuses the access: a fatal page fault (ZX_ERR_ACCESS_DENIED) was due`,
      );
    }
    if (!memory) {
      traceShowsCall(`t${t}#${c} ${call.call}`, call.call, args, s.calls.get(sys.tid));
      traceShows(`t${t}#${c} ${call.call}`, call.call, result, s.rets.get(sys.tid));
      failureShowsStatus(`t${t}#${c} ${call.call}`, result, s.rets.get(sys.tid));
      shapeOfKind(`t${t}#${c} ${call.call}`, call.call, r.value);
      signalPacketShown(`t${t}#${c} ${call.call}`, result, s.observed.get(sys.tid));
    }
    const skipped = memory ? undefined : s.allocPoint.end(sys.tid, call.call, result.status);
    if (skipped !== undefined) contractFailure(`t${t}#${c} ${call.call} ${skipped}`);
    const injected = mayRunOut && result.status === ZX_ERR_NO_MEMORY;
    if (
      call.call === "zx_object_get_info" && result.status === ZX_OK && args[2] !== undefined &&
      result.info !== undefined
    ) {
      const bad = infoRecordProblem(s.stores.get(sys.tid) ?? [], result.info.koid);
      if (bad !== undefined) contractFailure(`t${t}#${c} zx_object_get_info ${bad}`);
    }
    const portWrong = s.ports.end(call.call, args, result, s.model, t);
    if (portWrong !== undefined) contractFailure(`t${t}#${c} ${call.call} ${portWrong}`);
    const signalWrong = memory ? undefined : s.signalPorts.end(
      call.call,
      args,
      result.status,
      t,
      result.packet,
    );
    if (signalWrong !== undefined) contractFailure(`t${t}#${c} ${call.call} ${signalWrong}`);
    if (memory) s.completes.memory(t, true);
    const completeWrong = memory ? undefined : s.completes.end(call.call, args, result, t);
    if (completeWrong !== undefined) contractFailure(`t${t}#${c} ${call.call} ${completeWrong}`);

    const waitWrong = s.waits.end(call.call, result.status, s.kernel.now, t);
    if (waitWrong !== undefined) contractFailure(`t${t}#${c} ${call.call} ${waitWrong}`);
    if (waited !== null && (result.status !== waited.status || result.value !== waited.observed)) {
      contractFailure(
        `t${t}#${c} zx_object_wait_one returned ${statusName(result.status)} observing 0x${
          result.value.toString(16)
        }; the event's signals say ${statusName(waited.status)} observing 0x${
          waited.observed.toString(16)
        }`,
      );
    }
    check(
      t,
      c,
      call,
      args,
      injected ? null : predicted,
      injected ? null : among,
      result,
      s.model,
      s.kernel.pageSize,
      injected,
    );
    if (!memory) {
      traceShowsArgs(`t${t}#${c} ${call.call}`, call.call, args, s.calls.get(sys.tid));
      zeroChildrenRaised(s, t);
    }
  }
  // The body returns now: the thread exits in this step.
  s.model.threadsGone.add(t);
}

/**
 * After thread `t`'s call: each VMO a pending async wait for ZX_VMO_ZERO_CHILDREN names whose
 * `num_children` the program's `ChildCount` bounds to 0 has that signal active, so the wait's
 * packet is surely queued (`signal_port_model.ts` `raiseZeroChildren`; a later `zx_port_wait`
 * that times out is judged). Bounds left open (another call in flight names the VMO's family)
 * raise nothing.
 */
function zeroChildrenRaised(s: Shared, t: number): void {
  const objects = s.signalPorts.zeroChildrenWaits();
  if (objects.length === 0) return;
  const open = new Set<number>();
  for (const h of s.model.open) {
    const o = s.model.get(h)?.object;
    if (o !== undefined) open.add(o);
  }
  for (const o of objects) {
    const b = childCountOf(s.model).bounds(
      o,
      s.model.childrenMade,
      open,
      t,
      (x) => s.model.vmars.mapsObject(x),
    );
    if (b !== null && b.high === 0) s.signalPorts.raiseZeroChildren(o);
  }
}

/** True once no program thread can make progress by itself: each ended, suspended, or parked for good. */
function quiescent(s: Shared, now: number): boolean {
  return s.threads.every((t) => {
    if (t.end.kind !== "running") return true;
    if (t.k.suspended) return true;
    const p = t.pending;
    return p !== null && p.kind === "block" && !p.wait.ready(now) &&
      !Number.isFinite(p.wait.deadline);
  });
}

/**
 * The program threads are stuck for good (the janitor's `quiescent`): with an overtime, none of
 * them may be parked on a page request. A pager wait with an overtime ends by itself,
 * ZX_ERR_TIMED_OUT, once the overtime passes (the model's `overtimeTicks`, upstream's boot
 * option: `PageSource::WaitOnRequest` gives up after it), so a wait parked for good means a kernel
 * that lost its deadline: the cleanup would end the wait by closing the pager instead, and every
 * status the contract sees would still be legal. Which thread is parked on a page request is the
 * trace's word (its call made or joined a request, then blocked, and no wake came since), not the
 * kernel's deadline, which `quiescent` reads. A suspended thread is left out (a usercopy's fault
 * wait holds its suspend off, so it may count as quiescent while it waits).
 */
function overtimeKept(s: Shared): void {
  const overtime = s.program.overtimeTicks;
  if (overtime <= 0) return;
  for (const [i, t] of s.threads.entries()) {
    const at = s.pageParked.get(t.tid);
    if (at === undefined || t.end.kind !== "running" || t.k.suspended) continue;
    contractFailure(
      `overtime: t${i}'s ${s.calls.get(t.tid)?.name ?? "call"} parked on a page request at ` +
        `tick ${at} still waits at tick ${s.kernel.now} with every program thread stuck, but ` +
        `the program's overtime is ${overtime} ticks: a pager wait ends ZX_ERR_TIMED_OUT once ` +
        `its overtime passes`,
    );
  }
}

function lifetimeFailure(message: string): never {
  throw new InvariantViolation(LIFETIME, message);
}

/**
 * True if a pin token that was never unpinned (after cleanup: one quarantined in its BTI for
 * good) holds `v` or a VMO made of it alive.
 */
function leakedByPin(v: Vmo): boolean {
  return v.pinTokens > 0 || v.children.some(leakedByPin);
}

/** Everything closed: nothing may be left alive (oracle 2), but what a leaked pin keeps. */
function checkLifetimes(s: Shared): void {
  const k = s.kernel;
  const stuck = s.threads.filter((t) => t.end.kind === "running");
  if (stuck.length > 0) {
    lifetimeFailure(
      `after every handle closed, program threads still wait: ${
        stuck.map((t) =>
          `t${t.tid - 2} on ${t.pending?.kind === "block" ? t.pending.wait.describe() : "?"}`
        )
          .join("; ")
      }`,
    );
  }
  const left = [...k.handles].map(([h, e]) =>
    `0x${h.toString(16)} (type ${e.object.objType}, koid ${e.object.koid})`
  );
  if (left.length > 0) lifetimeFailure(`handles left open after cleanup: ${left.join(", ")}`);
  if (k.rootVmar.mappings.length > 0) {
    lifetimeFailure(`${k.rootVmar.mappings.length} mappings left after cleanup`);
  }
  if (k.rootVmar.regions.length > 0) {
    lifetimeFailure(`${k.rootVmar.regions.length} sub-regions left after cleanup`);
  }
  for (const v of k.pagerVmos) {
    const what = `pager vmo ${v.koid}`;
    if (v.handleCount !== 0 || v.mappings !== 0 || v.inflight !== 0) {
      lifetimeFailure(
        `${what} still referenced: ${v.handleCount} handles, ${v.mappings} mappings, ${v.inflight} in flight`,
      );
    }
    // A token closed without zx_pmt_unpin stays quarantined in its BTI for good, and with it the
    // VMO it pins (and the chain that VMO hangs from): "We intentionally leak the BTI, all
    // quarantined PMTs, and their underlying VMOs" (on_zero_handles,
    // bus_transaction_initiator_dispatcher.cc @ misttech/fuchsia 3281dd6b). Such a VMO stays
    // alive; its pager's close still detached it.
    const leaked = leakedByPin(v);
    if (!v.dead && !leaked) {
      lifetimeFailure(`${what} has no handles, mappings or operations but is not dead`);
    }
    const source = present(v.source, () => `lifetime check: the page source of ${what}`);
    if (!source.detached) lifetimeFailure(`${what} is dead but its page source is attached`);
    const out = source.outstanding("READ").length + source.outstanding("DIRTY").length;
    if (out > 0) lifetimeFailure(`${what} is dead with ${out} outstanding requests`);
    if (!leaked && v.slots.some((x) => x !== undefined)) {
      lifetimeFailure(`${what} is dead but holds pages`);
    }
    const why = s.firstDetach.get(v.koid);
    const shouldComplete = why !== undefined && why !== "pager-closed";
    const proxy = present(v.proxy, () => `lifetime check: the pager proxy of ${what}`);
    if (proxy.completeQueued !== shouldComplete) {
      lifetimeFailure(
        `${what} was first detached by ${why ?? "nothing"}; COMPLETE ${
          proxy.completeQueued ? "was" : "was not"
        } queued`,
      );
    }
  }
  for (const p of k.ports) {
    if (!p.dead || p.depth !== 0) {
      lifetimeFailure(
        `port ${p.koid} has ${p.handleCount} handles and ${p.depth} packets after cleanup`,
      );
    }
  }
}

/**
 * Runs a kernel call whose arguments are chosen at its own scheduling point
 * (`start` returns null: nothing to do any more), so no other thread can run
 * between the choice and the call.
 */
function* atStep<T>(
  name: string,
  start: () => Syscall<T> | null,
): Generator<KernelYield, T | null, void> {
  yield { kind: "syscall", name };
  const gen = start();
  if (gen === null) return null;
  gen.next(); // the call's own scheduling point: already taken above
  let r = gen.next();
  while (!r.done) {
    yield r.value;
    r = gen.next();
  }
  return r.value;
}

/**
 * The janitor's unmap of `[at, at + len)` from the root, in the program's picture of its address
 * space (a program thread the cleanup wakes may still make calls).
 */
function unmappedByJanitor(s: Shared, at: number, len: number): void {
  const root = s.model.vmars.region(s.kernel.rootVmarHandle);
  if (root === undefined) s.model.vmars.known = false;
  else s.model.vmars.unmapped(root, at, len);
}

/** The thread index the janitor's closes are told to {@linkcode CompleteModel} under (no program thread's). */
const JANITOR_TID = -1;

function* janitor(sys: Sys, vmar: number, s: Shared): ThreadBody {
  const wait: Wait = {
    deadline: Number.POSITIVE_INFINITY,
    ready: (now) => quiescent(s, now),
    describe: () => "program threads to finish or get stuck",
  };
  for (let round = 0;; round++) {
    yield { kind: "block", wait };
    overtimeKept(s);
    const done = s.threads.every((t) => t.end.kind !== "running");
    // A sub-region outlives its handles: unmapping its whole extent from the root destroys it
    // and everything mapped in it (zx_vmar_unmap.md).
    while (s.kernel.rootVmar.regions.length > 0) {
      let at = 0, len = 0;
      const st = yield* atStep("zx_vmar_unmap", () => {
        const r = s.kernel.rootVmar.regions[0];
        [at, len] = [r?.base ?? 0, r?.size ?? 0];
        return r === undefined ? null : sys.vmarUnmap(vmar, r.base, r.size);
      });
      if (st !== null && st !== ZX_OK) {
        contractFailure(`cleanup: zx_vmar_unmap of a sub-region returned ${statusName(st)}`);
      }
      if (st === ZX_OK) unmappedByJanitor(s, at, len);
    }
    while (s.kernel.rootVmar.mappings.length > 0) {
      let at = 0, len = 0;
      const st = yield* atStep("zx_vmar_unmap", () => {
        const m = s.kernel.rootVmar.mappings[0];
        [at, len] = [m?.addr ?? 0, m?.len ?? 0];
        return m === undefined ? null : sys.vmarUnmap(vmar, m.addr, m.len);
      });
      if (st !== null && st !== ZX_OK) {
        contractFailure(`cleanup: zx_vmar_unmap of a live mapping returned ${statusName(st)}`);
      }
      if (st === ZX_OK) unmappedByJanitor(s, at, len);
    }
    while (s.model.open.length > 0) {
      let h = 0;
      const st = yield* atStep("zx_handle_close", () => {
        // A program thread may have closed or replaced it since: take what is open now.
        h = s.model.open[0] ?? 0;
        // A thread parked in zx_object_wait_one on it then ends CANCELED (`wait_outcome.ts`).
        if (h !== 0) s.waits.closing(h);
        // CompleteModel follows every close: a pager the janitor closes withdraws its VMOs'
        // queued COMPLETEs while a program thread may still wait on their port.
        if (h !== 0) s.completes.start("zx_handle_close", [h], JANITOR_TID);
        return h === 0 ? null : sys.handleClose(h);
      });
      if (st === null) continue;
      s.completes.end("zx_handle_close", [h], { status: st, value: 0, packet: null }, JANITOR_TID);
      if (st !== ZX_OK) {
        contractFailure(
          `cleanup: zx_handle_close(0x${h.toString(16)}) of a handle the program holds returned ${
            statusName(st)
          }`,
        );
      }
      s.model.drop(h);
    }
    if (done || round + 1 >= MAX_JANITOR_ROUNDS) break;
  }
  const st = yield* sys.handleClose(vmar);
  if (st !== ZX_OK) {
    contractFailure(`cleanup: closing the janitor's VMAR handle returned ${statusName(st)}`);
  }
  checkLifetimes(s);
}

/** The step limit of every program run. */
export const PROGRAM_MAX_STEPS = 100_000;

/**
 * Runs a program to a verdict: "pass" means every oracle held.
 *
 * @example
 * ```ts
 * import { runProgram } from "./run.ts";
 * const run = runProgram({
 *   pageSize: 4096,
 *   overtimeTicks: 0,
 *   threads: [{ failInsteadOfBlock: false, calls: [
 *     { call: "zx_vmo_create", args: [4096, 0] },
 *     { call: "zx_vmo_read", args: [{ h: [0, 0] }, 0, 16] },
 *   ] }],
 * });
 * console.assert(run.verdict.kind === "pass" && run.results[0][1]?.status === 0);
 * ```
 */
export function runProgram(program: Program, options: ProgramRunOptions = {}): ProgramRun {
  const seed = options.seed ?? 0;
  // The run's own percent, else the program's (a case of a run with failures records it).
  const allocFailPercent = options.allocFailPercent ?? program.allocFailPercent ?? 0;
  const programTids = new Set<number>();
  const signatures = new StateSignatures(programTids);
  const monitors = [
    ...(options.monitors ?? programMonitors)(),
    ...(options.signatures ? [signatures] : []),
  ];
  const world = new World({
    pageSize: program.pageSize,
    overtimeTicks: program.overtimeTicks,
    strategy: options.decisions !== undefined
      ? replayStrategy(options.decisions, seed)
      : options.strategy ?? randomStrategy(seed),
    makeKernel: options.makeKernel,
    allocFailPercent,
    maxSteps: PROGRAM_MAX_STEPS,
    liveness: { afterSteps: 50_000, bound: 50_000 },
    monitors,
    keepTrace: options.keepTrace ?? false,
    ...(options.watch !== undefined ? { watch: options.watch } : {}),
  });
  const kernel = world.kernel;
  const model = new HandleModel();
  const shared: Shared = {
    program,
    kernel,
    model,
    ports: new PortModel(),
    signalPorts: new SignalPortModel(),
    completes: new CompleteModel({
      objectOf: (h) => model.get(h)?.object,
      mapsObject: (o) => model.vmars.mapsObject(o),
    }),

    waits: new WaitOutcome(),
    stores: new Map(),
    pageCalls: new Set(),
    pageParked: new Map(),
    results: program.threads.map(() => []),
    threads: [],
    firstDetach: new Map(),
    rets: new Map(),
    calls: new Map(),
    observed: new Map(),
    allocFailures: allocFailPercent > 0,
    allocPoint: new AllocPoint(kernel),
  };
  world.trace.listen((e) => {
    if (e.k === "detach" && !shared.firstDetach.has(e.vmo)) shared.firstDetach.set(e.vmo, e.why);
    if (e.k === "ret") shared.rets.set(e.tid, e);
    if (e.k === "call") shared.calls.set(e.tid, e);
    if (e.k === "observed") shared.observed.set(e.tid, e);
    if (e.k === "store") shared.stores.get(e.tid)?.push(e.bytes.slice());
    if (e.k === "call" || e.k === "ret") {
      shared.pageCalls.delete(e.tid);
      shared.pageParked.delete(e.tid);
    }
    if (e.k === "request" || e.k === "coalesce") shared.pageCalls.add(e.tid);
    if (e.k === "block" && shared.pageCalls.has(e.tid)) shared.pageParked.set(e.tid, kernel.now);
    if (e.k === "wake") shared.pageParked.delete(e.tid);
  });
  world.trace.listen((e) => childBirthsOf(model).event(e));
  const [setup, setupHandle] = kernel.createThread("setup", 0);
  const [st, vmar] = runSync(
    kernel.zx_handle_duplicate(setup, kernel.rootVmarHandle, ZX_RIGHT_SAME_RIGHTS),
  );
  if (st !== ZX_OK) {
    throw new Error(`setup: duplicating the root VMAR handle failed: ${statusName(st)}`);
  }
  runSync(kernel.zx_handle_close(setup, setupHandle));
  model.createRootVmar(kernel.rootVmarHandle);

  const janitorThread = world.spawn("janitor", "workload", (sys) => janitor(sys, vmar, shared));
  model.create(janitorThread.handle, ZX_OBJ_TYPE_THREAD);
  program.threads.forEach((pt, i) => {
    const t = world.spawn(`p${i}`, "service", (sys) => programThread(sys, i, shared), {
      failInsteadOfBlock: pt.failInsteadOfBlock,
    });
    shared.threads.push(t);
    programTids.add(t.tid);
    model.createThread(t.handle, i);
  });
  const result = world.run();
  return { ...result, world, results: shared.results, signatures: signatures.seen };
}
