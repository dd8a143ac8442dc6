/**
 * `no-lost-requests` (liveness; spec 4.2, K11, K12): every faulting thread
 * finishes. A hang in the world's fair phase is a lost request unless the
 * spec documents the stranding (the VMO's port is gone, so no packet can ever
 * reach the pager, or no handle to the VMO is left for the pager to supply
 * through). Every operation of a faulting thread ends OK or with exactly a
 * documented error: BAD_STATE after detach or pager close, a code OP_FAIL
 * passed, OUT_OF_RANGE, TIMED_OUT with an overtime set, SHOULD_WAIT in
 * fail-instead-of-block mode, BAD_HANDLE once the environment closed that
 * handle (or for ZX_HANDLE_INVALID, a file not opened yet); a fatal page fault must carry one of those synth codes. A child VMO
 * (clone, slice, reference) answers for its root's detach and OP_FAIL codes, through a
 * syscall's handle or a fault on a mapping of it; a VMO mapped under a call's user buffer
 * answers for that call as its own VMO does. Before any pager work a call's handles may
 * explain ACCESS_DENIED (a right its table row requires is missing) and, for `zx_vmar_map`,
 * BAD_STATE (the VMAR is destroyed).
 *
 * @module
 */

import {
  type Status,
  statusName,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_TIMED_OUT,
  ZX_INFO_VMO_BYTES,
  ZX_OK,
  ZX_PAGER_OP_FAIL,
} from "../kernel/constants.ts";
import { present } from "../kernel/assert.ts";
import type { KernelEvent } from "../kernel/events.ts";
import { Vmar, type Vmo } from "../kernel/objects.ts";
import { spec, type SyscallName } from "../kernel/syscalls.ts";
import type { Verdict, World } from "../sim/world.ts";
import { threadLabel } from "../sim/trace.ts";
import { type Call, failCodesKey, StepMonitor } from "./_step_monitor.ts";
import { PacketHolders, parkedBesides, whyUnanswered } from "./wait_for.ts";
import { DeliveryModel } from "./_delivery_model.ts";
import { FailedAnswers } from "./_failed_answers.ts";

interface Outcome {
  readonly tid: number;
  readonly what: string;
  readonly status: Status;
  readonly vmo: number | undefined;
  readonly handle: unknown;
  /** The roots of the VMOs mapped under the call's user buffer (its copies fault there). */
  readonly buffer: readonly number[];
  /** The error the call's own handles explain (a missing right, a destroyed VMAR), if any. */
  readonly handleError: Status | null;
}

/** The user buffer `[addr, addr + length)` a workload call copies to or from, if given one. */
function userBufferOf(call: Call): [number, number] | undefined {
  // (Plain assignments, not destructured array literals: an array and its iterator per call.)
  let addr: unknown, length: unknown;
  switch (call.name) {
    case "zx_vmo_read":
      addr = call.args[3];
      length = call.args[2];
      break;
    case "zx_vmo_write": {
      // A call event shows the bytes as their length.
      const data = call.args[1];
      addr = call.args[3];
      length = data instanceof Uint8Array ? data.length : data;
      break;
    }
    case "zx_object_get_info":
      addr = call.args[2];
      length = ZX_INFO_VMO_BYTES;
      break;
  }
  if (typeof addr !== "number" || !Number.isFinite(addr)) return undefined;
  if (typeof length !== "number" || !Number.isFinite(length)) return undefined;
  return [addr, length];
}

/**
 * The roots of the VMOs mapped under a call's user buffer. A copy to or from it that faults is
 * resolved by `Thread::Current::SoftFaultInRange`, whose error the call returns
 * (`VmObjectPaged::ReadWriteInternal`: "if (status != ZX_OK) return {status, ...}",
 * vm_object_paged.cc @ misttech/fuchsia 056f3590): the buffer VMO's detach and OP_FAIL codes
 * explain the call's error as its own VMO's do (conformance W77, a write whose pager-backed
 * source page was failed with ZX_ERR_IO).
 */
function bufferRoots(call: Call, world: World): number[] {
  const buffer = userBufferOf(call);
  if (buffer === undefined) return [];
  const addr = buffer[0], length = buffer[1];
  const ps = world.kernel.pageSize;
  const roots: number[] = [];
  const end = addr + Math.max(length, 1);
  for (let a = addr; a < end; a = (Math.floor(a / ps) + 1) * ps) {
    const root = world.kernel.rootVmar.find(a)?.vmo.root.koid;
    if (root !== undefined && !roots.includes(root)) roots.push(root);
  }
  return roots;
}

const WORKLOAD_CALLS = new Set([
  "zx_vmo_read",
  "zx_vmo_write",
  "zx_vmo_op_range",
  "zx_object_get_info",
  "zx_vmar_map",
]);

/**
 * The syscalls whose `ret` events {@linkcode NoLostRequests} judges: the delivery model's and the
 * failed answers' (it hands them every event it is handed), the workload's, and the maps, closes
 * and OP_FAILs it keeps.
 */
function judgedReturn(name: string): boolean {
  return WORKLOAD_CALLS.has(name) || DeliveryModel.CALLS.has(name) ||
    FailedAnswers.CALLS.has(name) || name === "zx_vmar_map" || name === "zx_handle_close" ||
    name === "zx_pager_op_range";
}

/** The event kinds onStepEvent judges (one set for every run, not one per checker made). */
const STEP_KINDS: ReadonlySet<KernelEvent["k"]> = new Set([
  "detach",
  "page-fault",
  "ret",
  ...DeliveryModel.KINDS,
]);

/** Turns hangs into lost requests and checks every faulting thread's results. */
export class NoLostRequests extends StepMonitor {
  readonly name = "no-lost-requests";
  protected override readonly stepKinds: ReadonlySet<KernelEvent["k"]> = STEP_KINDS;
  /** The returns it judges: the workload's, the answers, the closes and maps it keeps. */
  protected override readonly stepCalls: (name: string) => boolean = judgedReturn;
  readonly #outcomes: Outcome[] = [];
  readonly #detached = new Set<number>();
  readonly #failCodes = new Map<number, Set<Status>>();
  readonly #closed = new Set<unknown>();
  readonly #holders = new PacketHolders();
  /** The service's answers that failed, to name the one a lost request was dropped on. */
  readonly #failedAnswers = new FailedAnswers();
  /** Which VMOs no packet can reach the pager from, by the trace (not the kernel's word). */
  readonly #delivery = new DeliveryModel();
  /**
   * Every VMO mapped so far, by koid: a fault names the mapped VMO, and a clone's fault answers
   * for its root's detach (Zircon's CloneDetachTest: after the parent's detach, a clone page
   * the clone never forked faults with ZX_ERR_BAD_STATE, zircon/system/utest/core/pager/
   * pager.cc @ misttech/fuchsia 6774606f; conformance P23 and P38).
   */
  readonly #mapped = new Map<number, Vmo>();

  /** What {@linkcode PacketHolders.hear} follows. */
  protected override readonly immediateKinds: ReadonlySet<KernelEvent["k"]> = PacketHolders.KINDS;

  /**
   * The requests a packet was queued for, their ids by VMO koid (a hang names one never queued).
   * (Not `vmo:id` strings: one was made at every queued packet, for a lookup only a hang makes.)
   */
  readonly #queued = new Map<number, Set<number>>();
  /** Each VMO's packets queued and not yet taken or withdrawn, by koid. */
  readonly #pending = new Map<number, number>();

  protected override immediate(e: KernelEvent, step: number): void {
    this.#holders.hear(e, step);
    this.#failedAnswers.hearRequest(e, step);
    if (e.k === "packet-queued") {
      let ids = this.#queued.get(e.vmo);
      if (ids === undefined) this.#queued.set(e.vmo, ids = new Set());
      ids.add(e.id);
      this.#pending.set(e.vmo, (this.#pending.get(e.vmo) ?? 0) + 1);
    } else if (e.k === "packet-dequeued" || e.k === "packet-withdrawn") {
      this.#pending.set(e.vmo, (this.#pending.get(e.vmo) ?? 1) - 1);
    }
  }

  /**
   * What a hang adds for a waiter whose request never had a packet queued on the pager's port:
   * the service never saw it (userS28k's variant dropped a READ's packet, and the hang named only
   * the service parked on its port, which read as the service's fault). Empty otherwise.
   */
  #neverQueued(
    vmo: Vmo,
    r: { id: number; type: string; start: number; end: number },
  ): string {
    const koids = [vmo.koid, vmo.root.koid];
    if (koids.some((k) => this.#queued.get(k)?.has(r.id) === true)) return "";
    const port = vmo.root.proxy?.port.koid;
    const ahead = koids.some((k) => (this.#pending.get(k) ?? 0) > 0);
    return `; ${r.type} request #${r.id} pages [${r.start},${r.end}) of vmo ${vmo.root.koid} ` +
      `was never queued on ${port !== undefined ? `port ${port}` : "the pager's port"}${
        ahead
          ? " (a packet of the VMO queued before it was not yet taken)"
          : ": the kernel never sent it, so the pager could not answer it"
      }`;
  }

  /**
   * What a hang adds for a waiter whose READ or DIRTY packet a service thread took and never
   * answered (a DIRTY: or answered for some of its pages only):
   * `; READ #2: taken by t1 "p0.svc" at step 9, never answered`, as quiescent-end's Q2 says it
   * (P1's "took a READ and never answered it"; userS28c's hang named only the reader, not
   * `#9 port1004 -> t1 READ`). Empty when no thread took it, or an answer over its pages followed
   * (a failed one is named by {@linkcode FailedAnswers.about}). The signature stays this check's:
   * without P1 (`--checkers kernel`) a kernel variant can leave a taken READ's page present and
   * its request open, and the service rightly supplies nothing (properties/signature.ts).
   */
  #tookUnanswered(world: World, root: Vmo, r: { id: number; type: string }): string {
    if (r.type !== "READ" && r.type !== "DIRTY") return "";
    const taken = this.#failedAnswers.taken(root, r.id);
    const taker = this.#holders.takerOf(root.koid, r.id);
    if (taken === null || taken.failed || taker === undefined) return "";
    // A DIRTY answered over some of its pages (an OP_DIRTY of the first page only: userS32a's
    // B1) is named too, with how much was answered; a READ's partial answer keeps the older
    // message (nothing added).
    const partial = r.type === "DIRTY" && taken.answered > 0 && taken.answered < taken.pages;
    if (taken.answered > 0 && !partial) return "";
    const by = world.threads[taker - 1];
    return `; ${r.type} #${r.id}: taken by ${
      by === undefined ? `t${taker}` : threadLabel(taker, by.name)
    } at step ${taken.step}, ${
      partial
        ? `answered (ZX_PAGER_OP_DIRTY) for ${taken.answered} of its ${taken.pages} pages only`
        : "never answered"
    }`;
  }

  /** The codes each VMO's ranges were failed with, and the detached VMOs (what a later error is judged by). */
  stateKey(): string {
    return failCodesKey(this.#failCodes, this.#detached);
  }

  protected override onStepEvent(e: KernelEvent, call: Call | undefined, world: World): void {
    this.#delivery.hear(e, call, this.entryOf);
    this.#failedAnswers.hearRet(e, call, world, this.vmoOfHandle);
    if (e.k === "detach") this.#detached.add(e.vmo);
    if (e.k === "page-fault") {
      this.#outcomes.push({
        tid: e.tid,
        what: `fatal page fault at 0x${e.addr.toString(16)}`,
        status: e.synth,
        vmo: this.#mapped.get(e.vmo)?.root.koid ?? e.vmo,
        handle: undefined,
        buffer: [],
        handleError: null,
      });
    }
    if (e.k !== "ret" || call === undefined || call.name !== e.name) return;
    if (e.name === "zx_vmar_map" && e.status === ZX_OK) {
      const vmo = this.vmoOf(call.args[3]);
      if (vmo !== undefined) this.#mapped.set(vmo.koid, vmo);
    }
    if (e.name === "zx_handle_close" && e.status === ZX_OK) this.#closed.add(call.args[0]);
    if (e.name === "zx_pager_op_range" && e.status === ZX_OK && call.args[1] === ZX_PAGER_OP_FAIL) {
      const vmo = present(this.vmoOf(call.args[2]), "NoLostRequests: an OP_FAIL's VMO");
      let codes = this.#failCodes.get(vmo.koid);
      if (codes === undefined) this.#failCodes.set(vmo.koid, codes = new Set());
      codes.add(call.args[5] as number);
    }
    // An outcome of ZX_OK is documented whatever the run did (`#documented`'s first case), so
    // `finish` passes over it: kept only to be passed over, with its buffer's VMOs worked out (a
    // walk of the mappings per page) at every workload call's return.
    if (e.status !== ZX_OK && WORKLOAD_CALLS.has(e.name)) {
      const handle = e.name === "zx_vmar_map" ? call.args[3] : call.args[0];
      this.#outcomes.push({
        tid: e.tid,
        what: e.name,
        status: e.status,
        vmo: this.vmoOf(handle)?.root.koid,
        handle,
        buffer: bufferRoots(call, world),
        handleError: this.#handleError(call),
      });
    }
  }

  /**
   * The error a workload call's handles explain before any pager work: ZX_ERR_ACCESS_DENIED for
   * a handle without a right the call's table row requires (`sys_vmo_write` looks its handle up
   * with `GetDispatcherWithRights(*up, handle, ZX_RIGHT_WRITE, &vmo)`, and a NO_WRITE child's
   * handle lacks WRITE, zircon/kernel/lib/syscalls/vmo.cc @ misttech/fuchsia 0650ebd2;
   * conformance S7), ZX_ERR_BAD_STATE for `zx_vmar_map` into a destroyed VMAR ("*handle* refers
   * to a destroyed VMAR", docs/reference/syscalls/vmar_map.md @ gnoliyil/fuchsia 3a0300d1;
   * conformance A20).
   */
  #handleError(call: Call): Status | null {
    const params = spec(call.name as SyscallName).params;
    for (let i = 0; i < params.length; i++) {
      const need = params[i].handle?.rights;
      const rights = this.entry(call.args[i])?.rights;
      if (need !== undefined && rights !== undefined && (rights & need) !== need) {
        return ZX_ERR_ACCESS_DENIED;
      }
    }
    if (call.name === "zx_vmar_map") {
      const vmar = this.entry(call.args[0])?.object;
      if (vmar instanceof Vmar && vmar.destroyed) return ZX_ERR_BAD_STATE;
    }
    return null;
  }

  #documented(o: Outcome, world: World): boolean {
    const t = world.threads[o.tid - 1];
    switch (o.status) {
      case ZX_OK:
      case ZX_ERR_OUT_OF_RANGE:
        return true;
      case ZX_ERR_TIMED_OUT:
        return world.kernel.overtimeTicks > 0;
      case ZX_ERR_SHOULD_WAIT:
        return t.k.failInsteadOfBlock;
      case ZX_ERR_BAD_HANDLE:
        // A closed handle, or none (ZX_HANDLE_INVALID: a file not opened yet, scenario/files.ts).
        return this.#closed.has(o.handle) || o.handle === 0;
    }
    if (o.status === o.handleError) return true;
    const explains = (vmo: number) =>
      (o.status === ZX_ERR_BAD_STATE && this.#detached.has(vmo)) ||
      (this.#failCodes.get(vmo)?.has(o.status) ?? false);
    return (o.vmo !== undefined && explains(o.vmo)) || o.buffer.some(explains);
  }

  protected override finish(world: World): void {
    // The model the hang exemption rests on agrees with the kernel's own word at the run's end.
    for (const v of world.kernel.pagerVmos) {
      const differs = this.#delivery.disagreement(v, this.handlesSeen());
      if (differs !== null) this.fail("undeliverable", differs);
    }
    // (Every outcome but ZX_OK's, in order: a ZX_OK one is documented and never recorded.)
    for (const o of this.#outcomes) {
      const t = world.threads[o.tid - 1];
      if (t?.role !== "workload" || this.#documented(o, world)) continue;
      this.fail(
        "documented-errors",
        `${threadLabel(o.tid, t.name)}: ${o.what} ended with ${
          statusName(o.status)
        }, which nothing explains`,
      );
    }
  }

  /**
   * Whether no packet of pager VMO `vmo` can reach its pager, by the trace's model; fails when
   * the kernel's own `undeliverable` says otherwise.
   */
  #undeliverable(vmo: Vmo): boolean {
    const handles = this.handlesSeen();
    const differs = this.#delivery.disagreement(vmo, handles);
    if (differs !== null) this.fail("undeliverable", differs);
    return this.#delivery.undeliverable(vmo, handles);
  }

  protected override judgeEnd(world: World, verdict: Verdict): boolean {
    if (verdict.kind !== "hang") return false;
    // The fair phase ran out while a service thread could still run: the workload is unfinished,
    // not yet lost (the hang verdict says so, with the bound to raise); a checker that sees a
    // request its taker forgot (parked elsewhere) still says that.
    const serving = verdict.unfinished?.runnable.some((tid) => isServiceThread(world, tid)) ??
      false;
    if (serving) {
      this.finish(world);
      return false;
    }
    const lost: string[] = [];
    const named = new Set<number>();
    for (const t of world.threads) {
      if (t.role !== "workload" || t.end.kind !== "running") continue;
      const vmo = t.k.waiterVmo;
      const stranded = vmo !== null &&
        (this.#undeliverable(vmo) || vmo.handleCount === 0);
      if (stranded) continue;
      const on = verdict.blocked.find((b) => b.tid === t.tid)?.on ??
        "nothing: it is not parked but runnable, still running its op when the run ended " +
          "(a loop that never finishes, e.g. a read that asks again each time it is answered)";
      const r = t.k.waiter?.request;
      const dropped = vmo === null || r == null ? "" : this.#failedAnswers.about(vmo, r.id);
      const never = vmo === null || r == null ? "" : this.#neverQueued(vmo, r);
      const took = vmo === null || r == null ? "" : this.#tookUnanswered(world, vmo.root, r);
      lost.push(`${threadLabel(t.tid, t.name)} waits on ${on}${dropped}${never}${took}`);
      named.add(t.tid);
    }
    if (lost.length > 0) {
      // The other parked threads are where the cause usually is: a service thread on a condvar
      // nobody will signal, or on a lock, holding the packet the client waits for. Threads
      // waiting on each other, or one parked on a condition variable with a packet in hand, are
      // the cause to name (last: signatures read it to the end).
      const why = whyUnanswered(world, this.#holders);
      const parked = parkedBesides(world, this.#holders, named);
      const also = parked.length === 0 ? "" : `; also parked: ${parked.join("; ")}`;
      this.fail(
        "K29",
        `hang at step ${verdict.step}: ${lost.join("; ")}${also}${why.text}`,
        why.facts,
      );
    }
    this.finish(world);
    return true;
  }
}

function isServiceThread(world: World, tid: number): boolean {
  return world.threads[tid - 1]?.role === "service";
}
