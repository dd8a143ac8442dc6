/**
 * Obligations of a correct pager service (spec 7.2) that can be checked from
 * outside: "is my pager service correct?", as opposed to the kernel
 * invariants ("is the kernel model correct?"). Opt in with
 * {@linkcode serviceObligations}.
 *
 * @module
 */

import {
  PAGER_FAIL_CODES,
  statusName,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_TIMED_OUT,
  ZX_ERR_WRONG_TYPE,
  ZX_OBJ_TYPE_PAGER,
  ZX_OBJ_TYPE_PORT,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_VMO_COMPLETE,
  ZX_PAGER_VMO_DIRTY,
  ZX_PAGER_VMO_READ,
} from "../kernel/constants.ts";
import { present } from "../kernel/assert.ts";
import { handleParams } from "./_handle_params.ts";
import type { KernelEvent } from "../kernel/events.ts";
import type { Port } from "../kernel/port.ts";
import type { Monitor, Verdict, World } from "../sim/world.ts";
import { formatEvent, threadLabel } from "../sim/trace.ts";
import { type Call, shareJournal, StepMonitor } from "./_step_monitor.ts";
import { QuiescentEnd } from "./quiescent_end.ts";
import { WritebackServed } from "./writeback_served.ts";
import {
  PacketHolders,
  parkedBesides,
  parkedFutex,
  threadState,
  whyUnanswered,
} from "./wait_for.ts";
import { DeliveryModel } from "./_delivery_model.ts";
import { FailedAnswers } from "./_failed_answers.ts";
import type { Vmo } from "../kernel/objects.ts";

function isService(world: World, tid: number): boolean {
  return world.threads[tid - 1]?.role === "service";
}

/**
 * P1: every READ packet a service dequeued is answered (supply, OP_FAIL or
 * detach) so no faulting thread waits forever; no access times out while the
 * service has stopped answering it.
 *
 * An overtime timeout (the kernel's `overtimeTicks`: upstream's
 * `PagerProxy::WaitOnEvent`, one deadline per wait, not reset by a partial
 * supply) is P1's finding unless the service was still answering the request:
 * a supply or OP_FAIL of some of its pages succeeded since its packet was taken,
 * and the thread that made the last one has not waited on a port since and can
 * still run (runnable, or parked on a `Mutex`). Then the timeout is the
 * scenario's overtime, shorter than the service's pace, and the caller's
 * ZX_ERR_TIMED_OUT a legal outcome (userS31a: a 57-page READ supplied page by
 * page, 55 pages in when a campaign's overtime of a few hundred ticks hit,
 * where upstream's default is 300 s). Judged from the trace, never the
 * service's word (docs/rules.md, session 31).
 */
export class AnswersEveryRead extends StepMonitor {
  readonly name = "answers-every-read";
  /**
   * Pages of dequeued READ packets not yet supplied or failed since, per VMO, with the service
   * thread that took them.
   */
  readonly #taken = new Map<number, Map<number, number>>();
  readonly #detached = new Set<number>();
  readonly #holders = new PacketHolders();
  /** The service's answers that failed, to name the one a request was dropped on. */
  readonly #failedAnswers = new FailedAnswers();
  /** Which VMOs no packet can reach the pager from, by the trace (not the kernel's word). */
  readonly #delivery = new DeliveryModel();
  /**
   * The step's workload calls that timed out, with the root of the VMO each named: judged at the
   * step's end, once the model has every close of the step (as the kernel's state was read).
   */
  readonly #timedOut: { tid: number; name: string; root: Vmo | undefined }[] = [];
  /** The requests the overtime timeout cancelled at step `step` (their waiters time out then). */
  #overtime: { step: number; requests: { vmo: number; id: number }[] } = { step: -1, requests: [] };
  /** Per request (`vmo:id`), its type and pages, to name it (`READ #2 [0,1)`). */
  readonly #requests = new Map<string, { type: string; start: number; end: number }>();
  /** Per thread, the request it last made or joined (a request passed on keeps its id). */
  readonly #parkedOn = new Map<number, { vmo: number; id: number }>();
  /**
   * Per thread, the step of its last `zx_port_wait` call (it went back for the next packet).
   * Not `PacketHolders`' record: that one keeps which packets a thread took since its last port
   * wait (cleared there, no step), where `#stillAnswering` asks whether the thread that made the
   * last answer waited on a port after that answer's step. They part for a batching service that
   * polls its port between taking a READ and answering it, and for a worker answering a READ
   * another thread took: neither holds the packet by `PacketHolders`, both are still answering.
   */
  readonly #portWaitAt = new Map<number, number>();

  protected override immediate(e: KernelEvent, step: number): void {
    this.#holders.hear(e, step);
    this.#failedAnswers.hearRequest(e, step);
    if (e.k === "call" && e.name === "zx_port_wait") this.#portWaitAt.set(e.tid, step);
    if (e.k === "request") {
      this.#requests.set(`${e.vmo}:${e.id}`, { type: e.type, start: e.start, end: e.end });
      this.#parkedOn.set(e.tid, { vmo: e.vmo, id: e.id });
    } else if (e.k === "coalesce") this.#parkedOn.set(e.tid, { vmo: e.vmo, id: e.id });
  }

  /**
   * Request `id` of `vmo` named as P1 names it, with the step its packet was taken:
   * `READ #2 [0,1), taken at step 14` (userS29b: "took a READ for vmo1005 page 0" when page 0's
   * first READ was answered and its second, taken at step 14, ignored); "" for an unknown request.
   * With `world`, the VMO and the taker too: `READ #2 [0,2) of vmo1005, taken by t1 "p0.svc" at
   * step 14`, or `..., not taken` when no service thread took its packet.
   */
  #requestWords(vmo: Vmo, id: number, world?: World): string {
    const r = this.#requests.get(`${vmo.koid}:${id}`);
    if (r === undefined) return "";
    const taken = this.#failedAnswers.taken(vmo, id);
    const taker = this.#holders.takerOf(vmo.koid, id);
    const x = taker === undefined ? undefined : world?.threads[taker - 1];
    const by = world === undefined || taker === undefined
      ? ""
      : ` by ${x === undefined ? `t${taker}` : threadLabel(taker, x.name)}`;
    // A DIRTY answered over some of its pages is named with how much, as K29 names it at a hang
    // (userS32a's B1 signs P1 at an overtime and K29 at a hang: both name the same request).
    const partial = taken !== null && r.type === "DIRTY" && !taken.failed &&
        taken.answered > 0 && taken.answered < taken.pages
      ? `, answered (ZX_PAGER_OP_DIRTY) for ${taken.answered} of its ${taken.pages} pages only`
      : "";
    return `${r.type} #${id} [${r.start},${r.end})${
      world === undefined ? "" : ` of vmo${vmo.koid}`
    }` +
      (taken === null
        ? (world === undefined ? "" : ", not taken")
        : `, taken${by} at step ${taken.step}${partial}`);
  }

  /**
   * Where the request that timed out at this step stands: `; t1 "fs.svc" took its READ (t1 now
   * waits on ...)`, or for a taker back on its port that woke a futex after taking it (a receiver
   * that queued it for a worker), `... and queued it through futex ... (t1 now waits on port
   * 1004): its waiters: t2 "w" (now ...)`; "" when no service thread took it. `named` gets the
   * threads named, so the parked list that follows leaves them out.
   */
  #standing(world: World, named: Set<number>): string {
    if (this.#overtime.step !== world.step) return "";
    for (const { vmo, id } of this.#overtime.requests) {
      const taker = this.#holders.takerOf(vmo, id);
      if (taker === undefined) continue;
      const label = (tid: number) => {
        const x = world.threads[tid - 1];
        return x === undefined ? `t${tid}` : threadLabel(tid, x.name);
      };
      const command = this.#holders.commandOf(vmo, id);
      const what = command === ZX_PAGER_VMO_READ
        ? "READ"
        : command === ZX_PAGER_VMO_DIRTY
        ? "DIRTY request"
        : "request";
      const state = threadState(world, taker);
      const root = world.kernel.pagerVmos.find((v) => v.koid === vmo);
      const handed = state.startsWith("waits on port") && root !== undefined
        ? this.#handoffOf(world, root, id, taker)
        : undefined;
      named.add(taker);
      for (const x of handed?.to ?? []) named.add(x);
      const woken = handed === undefined ? undefined : this.#holders.wokenFor(vmo, id);
      return `; ${label(taker)} took its ${what}` +
        (handed === undefined
          ? ` (t${taker} now ${state})`
          : ` and queued it through ${
            world.kernel.futexes.describe(handed.futex)
          } (t${taker} now ` +
            `${state})${wokenWords(woken, ":")} its waiters: ${
              waiterWords(world, handed.to, woken)
            }`);
    }
    return "";
  }

  /**
   * The hand-off of request `id` of `vmo` by its taker `taker`, as P1's message claims it (`... and
   * queued it through futex ...: its waiters: ...`), or undefined. A wake the taker made after
   * taking the packet and before its next port wait ({@linkcode PacketHolders.handoff}) is claimed
   * only where the trace could show it carried the packet: a condition variable's futex (a
   * `Mutex`'s unlock wakes its futex too, and hands nothing over), that some other thread waited on
   * (else nobody could take it), by a taker that answered none of the request's pages itself
   * (userS31a: a service that OP_FAILed part of its READ, then broadcast "chunk verified", read
   * "queued it through futex 0x40000004 (condvar chunk verified) (no thread waited on that
   * futex)", and a mutex unlock "queued it through futex 0x40000000 (mutex blob cache)").
   */
  #handoffOf(
    world: World,
    vmo: Vmo,
    id: number,
    taker: number,
  ): { futex: number; by: number; to: number[] } | undefined {
    const handoff = this.#holders.handoff(vmo.koid, id);
    if (handoff === undefined || handoff.by !== taker || handoff.to.length === 0) return undefined;
    if (world.kernel.futexes.kindOf(handoff.futex) !== "condvar") return undefined;
    if (this.#failedAnswers.progress(vmo, id)?.by.has(taker) ?? false) return undefined;
    return handoff;
  }

  /**
   * Whether the service was still answering request `id` of `root` when the overtime timeout
   * ended a wait on it at this step: a supply or OP_FAIL of some of its pages succeeded since its
   * packet was taken (progress, by the kernel's record), and the thread that made the last one has
   * not waited on a port since (it did not go back for other packets, leaving the rest) and can
   * still run (runnable, or parked on a `Mutex`'s futex: not on a condition variable, a port, an
   * event, suspended or ended). Then the timeout is the scenario's overtime, shorter than the
   * service's pace, and the caller's ZX_ERR_TIMED_OUT a legal outcome, not P1's finding.
   */
  #stillAnswering(world: World, root: Vmo, id: number): boolean {
    const progress = this.#failedAnswers.progress(root, id);
    if (progress === null) return false;
    if ((this.#portWaitAt.get(progress.tid) ?? -1) >= progress.step) return false;
    const t = world.threads[progress.tid - 1];
    if (t === undefined || t.role !== "service" || t.k.suspended) return false;
    if (threadState(world, progress.tid) === "is runnable") return true;
    const futex = parkedFutex(world, progress.tid);
    return futex !== null && world.kernel.futexes.kindOf(futex) === "mutex";
  }

  protected override onStepEvent(e: KernelEvent, call: Call | undefined, world: World): void {
    const ps = world.kernel.pageSize;
    this.#delivery.hear(e, call, this.entryOf);
    this.#failedAnswers.hearRet(e, call, world, this.vmoOfHandle);
    if (e.k === "packet-dequeued" && e.packet.command === ZX_PAGER_VMO_READ) {
      const pages = this.#taken.get(e.vmo) ?? new Map<number, number>();
      this.#taken.set(e.vmo, pages);
      const start = e.packet.offset / ps;
      for (let p = start; p < start + e.packet.length / ps; p++) pages.set(p, e.tid);
    }
    // A supplied page is answered, even if eviction later makes it absent again.
    if (e.k === "supply" && e.inserted) this.#taken.get(e.vmo)?.delete(e.page);
    if (e.k === "detach") this.#detached.add(e.vmo);
    if (e.k === "resolve" && e.status === ZX_ERR_TIMED_OUT) {
      if (this.#overtime.step !== world.step) this.#overtime = { step: world.step, requests: [] };
      this.#overtime.requests.push({ vmo: e.vmo, id: e.id });
    }
    if (e.k !== "ret" || call?.name !== e.name) return;
    // A deadline of the thread's own (a sleep: the harness's re-open waits a tick at a time) is
    // no pager wait.
    const ownDeadline = e.name === "zx_futex_wait" || e.name === "zx_object_wait_one" ||
      e.name === "zx_port_wait";
    if (e.status === ZX_ERR_TIMED_OUT && !isService(world, e.tid) && !ownDeadline) {
      // A clone's requests go to its root's port.
      this.#timedOut.push({ tid: e.tid, name: e.name, root: this.vmoOf(call.args[0])?.root });
    }
    if (e.name === "zx_pager_op_range" && e.status === ZX_OK && call.args[1] === ZX_PAGER_OP_FAIL) {
      // An OP_FAIL answers the READs taken before it, not a later READ of the same pages
      // (userS28c: a reader failed once faulted again, and its second READ, taken and ignored, was
      // counted as answered by the first one's OP_FAIL: a bare no-lost-requests hang).
      const vmo = present(this.vmoOf(call.args[2]), "AnswersEveryRead: an OP_FAIL's VMO");
      const pages = this.#taken.get(vmo.koid);
      const start = (call.args[3] as number) / ps;
      const end = start + (call.args[4] as number) / ps;
      for (let p = start; pages !== undefined && p < end; p++) pages.delete(p);
    }
  }

  /** The step's timed-out calls: P1 unless the VMO is stranded. */
  protected override endStep(world: World): void {
    if (this.#timedOut.length === 0) return;
    const timedOut = this.#timedOut.splice(0);
    for (const { tid, name, root } of timedOut) {
      // A VMO whose port died can never be served (spec 1.3): stranded, not unanswered.
      if (root !== undefined && root.proxy !== null && this.#undeliverable(root)) continue;
      // Service threads deadlocked on each other, or one parked on a condition variable with a
      // packet in hand, are why no answer came: name them.
      // The caller's own wait, which the timeout ended, counts: a cycle through it is the cause.
      const why = whyUnanswered(world, this.#holders, tid);
      const named = new Set<number>();
      const standing = this.#standing(world, named);
      const parked = parkedBesides(world, this.#holders, named);
      const cancelled = this.#overtime.step === world.step
        ? this.#overtime.requests.find((r) => r.vmo === root?.koid)
        : undefined;
      // A service still answering the request, only slower than the scenario's overtime
      // (userS31a: 55 pages of a 57-page READ supplied one by one when the overtime hit).
      if (root !== undefined && cancelled !== undefined) {
        if (this.#stillAnswering(world, root, cancelled.id)) continue;
      }
      const dropped = root === undefined || cancelled === undefined
        ? ""
        : this.#failedAnswers.about(root, cancelled.id);
      // The request the caller waited on (a request passed on to a joined waiter keeps its id);
      // its taker is named here unless the standing above names it.
      const at = this.#parkedOn.get(tid);
      const request = root === undefined || at === undefined || at.vmo !== root.koid
        ? ""
        : this.#requestWords(root, at.id, standing === "" ? world : undefined);
      this.fail(
        "P1",
        `t${tid} ${name} timed out waiting for the pager` +
          `${request === "" ? "" : ` on ${request}`}${standing}${dropped}` +
          (parked.length === 0 ? "" : `; parked: ${parked.join("; ")}`) +
          why.text,
        why.facts,
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
    for (const t of world.threads) {
      const w = t.k.waiter;
      const vmo = t.k.waiterVmo;
      if (t.role !== "workload" || t.end.kind !== "running" || w === null || vmo === null) continue;
      if (this.#detached.has(vmo.koid)) continue;
      // A wait stranded by a dead port is documented behaviour, not an unanswered packet.
      if (vmo.proxy !== null && this.#undeliverable(vmo)) continue;
      const page = w.wakePage;
      const taker = this.#taken.get(vmo.koid)?.get(page);
      // The fair phase ran out while the taker could still run: it may yet answer (a slow but
      // correct service stops here too), so this is the liveness budget's verdict, not P1's.
      const working = verdict.unfinished?.runnable.includes(taker ?? 0) ?? false;
      if (taker !== undefined && vmo.slots[page] === undefined && !working) {
        // Where the taker stands now (parked on its own condvar, say) is the cause to read first;
        // every other parked thread follows.
        const by = world.threads[taker - 1];
        const why = whyUnanswered(world, this.#holders);
        const state = threadState(world, taker);
        // A taker back on its port that woke a futex after taking the packet queued it for a
        // worker: the worker, not the taker, is where the request stands.
        const request = w.request?.id;
        const handed = state.startsWith("waits on port") && request !== undefined
          ? this.#handoffOf(world, vmo, request, taker)
          : undefined;
        const parked = parkedBesides(
          world,
          this.#holders,
          new Set([taker, t.tid, ...(handed?.to ?? [])]),
        );
        const woken = request === undefined ? undefined : this.#holders.wokenFor(vmo.koid, request);
        const what = handed === undefined
          ? `and never answered it (t${taker} now ${state})`
          : `and queued it through ${world.kernel.futexes.describe(handed.futex)} (t${taker} ` +
            `now ${state}); nobody answered it${wokenWords(woken, "")}: its waiters: ${
              waiterWords(world, handed.to, woken)
            }`;
        const r = w.request;
        const dropped = r == null ? "" : this.#failedAnswers.about(vmo, r.id);
        const named = r == null ? "" : this.#requestWords(vmo, r.id);
        this.fail(
          "P1",
          `${by === undefined ? `t${taker}` : threadLabel(taker, by.name)} took a READ for ` +
            `vmo${vmo.koid} page ${page}${named === "" ? "" : ` (${named})`} ${what}${dropped}; ${
              threadLabel(t.tid, t.name)
            } waits on it` +
            (parked.length === 0 ? "" : `; also parked: ${parked.join("; ")}`) +
            why.text,
          why.facts,
        );
      }
    }
    return false;
  }
}

/**
 * What P1 adds when every hand-off through the condition variable a READ was queued through was
 * reached by a worker taking the lock it was queued under ({@linkcode PacketHolders.wokenFor}):
 * no wake-up was lost, a worker took the READ and dropped it, or left it (trial35: it took the
 * READ and coalesced it into a load that supplied other pages). `end` follows when there are no
 * words (the text it replaces went on with it).
 */
function wokenWords(woken: ReadonlyMap<number, number> | undefined, end: string): string {
  return woken === undefined
    ? end
    : `, though a worker took the lock it was queued under after each hand-off (no wake-up was lost)${
      end === "" ? "" : ";"
    }`;
}

/**
 * The waiters a READ was handed to, each as `t2 "w" (now waits on ...)`, or with the step it let
 * go of the lock the READ was queued under, taken after the READ's hand-off, `t2 "w" (took that
 * lock at step 13, now waits on ...)`.
 */
function waiterWords(
  world: World,
  to: readonly number[],
  woken: ReadonlyMap<number, number> | undefined,
): string {
  return to.map((x) => {
    const t = world.threads[x - 1];
    const at = woken?.get(x);
    return `${t === undefined ? `t${x}` : threadLabel(x, t.name)} (${
      at === undefined || at < 0 ? "" : `took that lock at step ${at}, `
    }now ${threadState(world, x)})`;
  }).join(", ");
}

/**
 * P3: packets are hints; a service keeps serving through duplicates and
 * stale ranges: it never stops while the port handle it waits on is still
 * open and faulting threads still run. A service whose own handle was closed
 * under it (a `closePort` event) cannot wait any more, and stops rightly even
 * if another thread's duplicate keeps the port alive. (A service that throws
 * is a failure already: the run's verdict is that thread's fault, with its
 * stack and step, and stays so, so sim and a case's `expected` name it as
 * what it is.)
 */
export class ToleratesStalePackets extends StepMonitor {
  readonly name = "tolerates-stale-packets";

  protected override onStepEvent(e: KernelEvent, _call: Call | undefined, world: World): void {
    if (e.k !== "thread" || e.what !== "exited" || !isService(world, e.tid)) return;
    const port = this.#openPort(e.tid, world);
    const working = world.threads.some((t) => t.role === "workload" && t.end.kind === "running");
    if (port !== undefined && !port.dead && working) {
      this.fail("P3", `service t${e.tid} stopped serving while port ${port.koid} is open`);
    }
  }

  readonly #ports = new Map<number, unknown>();

  protected override immediate(e: KernelEvent): void {
    if (e.k === "call" && e.name === "zx_port_wait") this.#ports.set(e.tid, e.args[0]);
  }

  /** The port of the handle `tid` last waited on, if that handle is still open. */
  #openPort(tid: number, world: World): Port | undefined {
    const o = world.kernel.handles.entry(this.#ports.get(tid))?.object;
    return o?.objType === ZX_OBJ_TYPE_PORT ? o as Port : undefined;
  }
}

/**
 * Consecutive `zx_port_wait` calls on one handle that returned ZX_ERR_BAD_HANDLE a service thread
 * may make (P16): batching's poll and its next wait are two.
 */
export const MAX_WAITS_ON_GONE_PORT = 3;

/**
 * P10: a service keeps its port open while VMOs that deliver to it are alive.
 *
 * P16 (this checker's own, README "Writing your own pager service": `if (st !== ZX_OK) return;
 * // the port is gone: stop serving`): once a port wait returned ZX_ERR_BAD_HANDLE, the handle
 * never names a port again (handle values are never reused), so a service thread that waits on
 * it more than {@linkcode MAX_WAITS_ON_GONE_PORT} times in a row, nothing else between, spins
 * for good. Without it a service looping on a failed wait (`services/service.ts:246:9` false,
 * helper lever25) only ran the run to its step budget, a pass.
 */
export class KeepsPortOpen extends StepMonitor {
  readonly name = "keeps-port-open";
  /** Per service thread: the handle of its last calls, waits that returned BAD_HANDLE, and how many. */
  readonly #goneWaits = new Map<number, { handle: unknown; n: number }>();

  protected override onStepEvent(e: KernelEvent, call: Call | undefined, world: World): void {
    if (e.k === "ret" && call?.name === e.name && isService(world, e.tid)) this.#spins(e, call);
    if (e.k !== "ret" || e.name !== "zx_handle_close" || call === undefined) return;
    if (e.status !== ZX_OK || !isService(world, e.tid)) return;
    const port = this.entry(call.args[0])?.object;
    if (port?.objType !== ZX_OBJ_TYPE_PORT || !(port as Port).dead) return;
    const alive = world.kernel.pagerVmos.filter((v) =>
      present(v.proxy, "KeepsPortOpen: a pager VMO's proxy").port === port && !v.dead &&
      !present(v.source, "KeepsPortOpen: a pager VMO's page source").detached
    );
    if (alive.length > 0) {
      this.fail(
        "P10",
        `service t${e.tid} closed port ${port.koid} while ${
          alive.map((v) => `vmo${v.koid}`).join(", ")
        } still deliver to it`,
      );
    }
  }

  /** P16: the call `call` of a service thread returned (`e`). */
  #spins(e: KernelEvent & { k: "ret" }, call: Call): void {
    if (e.name !== "zx_port_wait" || e.status !== ZX_ERR_BAD_HANDLE) {
      this.#goneWaits.delete(e.tid);
      return;
    }
    const last = this.#goneWaits.get(e.tid);
    const n = last !== undefined && last.handle === call.args[0] ? last.n + 1 : 1;
    this.#goneWaits.set(e.tid, { handle: call.args[0], n });
    if (n > MAX_WAITS_ON_GONE_PORT) {
      this.fail(
        "P16",
        `service t${e.tid} waited on port handle ${call.args[0]} ${n} times in a row after it ` +
          `returned ZX_ERR_BAD_HANDLE (the port is gone): it spins instead of stopping`,
      );
    }
  }
}

/** P11: a service keeps the pager handle open while it serves (closing it detaches every VMO). */
export class KeepsPagerOpen extends StepMonitor {
  readonly name = "keeps-pager-open";

  protected override onStepEvent(e: KernelEvent, call: Call | undefined, world: World): void {
    if (e.k !== "detach" || e.why !== "pager-closed" || call === undefined) return;
    const tid = world.running?.tid;
    if (tid === undefined || !isService(world, tid)) return;
    if (this.entry(call.args[0])?.object.objType === ZX_OBJ_TYPE_PAGER) {
      this.fail("P11", `service t${tid} closed the pager handle while vmo${e.vmo} was attached`);
    }
  }
}

/**
 * P17: a service thread never names a handle it closed itself. Once a service thread's
 * `zx_handle_close(h)` returned ZX_OK, that thread never passes `h` as a handle parameter again:
 * handle values are never reused, so such a call reaches nothing (ZX_ERR_BAD_HANDLE, and under
 * upstream's `ZX_POL_BAD_HANDLE` job policy an exception: docs/reference/syscalls/
 * job_set_policy.md in the Fuchsia sources). Judged from the trace alone (the close's `ret` and
 * the thread's later `call` events, their handle parameters by the syscall table), never from
 * what the service says of itself or what the kernel answers. A handle another thread closed
 * (a scenario's `closePager` event, or another thread of the same pool, whose packet was taken
 * before the close) is a race the thread cannot see, not this bug.
 */
export class UsesNoClosedHandle extends StepMonitor {
  readonly name = "uses-no-closed-handle";
  /** Handle values service threads closed, each with the thread that closed it. */
  readonly #closed = new Map<number, number>();

  protected override onStepEvent(e: KernelEvent, call: Call | undefined, world: World): void {
    if (e.k === "call") {
      if (this.#closed.size === 0 || !isService(world, e.tid)) return;
      for (const i of handleParams(e.name)) {
        const h = e.args[i];
        if (typeof h !== "number" || this.#closed.get(h) !== e.tid) continue;
        const shown = formatEvent({ k: "call", tid: e.tid, name: e.name, args: e.args });
        this.fail(
          "P17",
          `service ${shown} names handle 0x${h.toString(16)}, which t${e.tid} closed itself: ` +
            `it reaches nothing (ZX_ERR_BAD_HANDLE; upstream's ZX_POL_BAD_HANDLE policy faults)`,
        );
      }
      return;
    }
    if (e.k !== "ret" || e.name !== "zx_handle_close" || call?.name !== e.name) return;
    if (e.status !== ZX_OK || !isService(world, e.tid)) return;
    const h = call.args[0];
    if (typeof h === "number" && h !== 0) this.#closed.set(h, e.tid);
  }

  /** The closed handles, for exploration's state hash. */
  stateKey(): string {
    return [...this.#closed].sort(([a], [b]) => a - b).map(([h, t]) => `${h}=${t}`).join(",");
  }
}

const BAD_SUPPLY = new Set([
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_WRONG_TYPE,
]);

/**
 * P12: supplies are page aligned, inside the VMO, from a plain aux VMO with
 * READ|WRITE. A supply past the end of a VMO that was resized is a race the
 * service cannot avoid (spec 2.8.3), not a bad range: it is let through.
 */
export class SuppliesValidRanges extends StepMonitor {
  readonly name = "supplies-valid-ranges";
  /** Koids of VMOs some thread resized. */
  readonly #resized = new Set<number>();

  protected override onStepEvent(e: KernelEvent, call: Call | undefined, world: World): void {
    if (e.k === "ret" && e.name === "zx_vmo_set_size" && e.status === ZX_OK) {
      const vmo = this.vmoOf(call?.args[0]);
      if (vmo !== undefined) this.#resized.add(vmo.koid);
    }
    if (e.k !== "ret" || e.name !== "zx_pager_supply_pages" || call?.name !== e.name) return;
    if (!isService(world, e.tid) || !BAD_SUPPLY.has(e.status)) return;
    if (e.status === ZX_ERR_OUT_OF_RANGE) {
      const vmo = this.vmoOf(call.args[1]);
      const [, , offset, length] = call.args as number[];
      if (vmo !== undefined && this.#resized.has(vmo.koid) && offset + length > vmo.size) return;
    }
    this.fail(
      "P12",
      `service t${e.tid} supply(${call.args.join(", ")}) was refused with ${statusName(e.status)}`,
    );
  }
}

/** P13: OP_FAIL only with IO, IO_DATA_INTEGRITY, BAD_STATE, NO_SPACE or BUFFER_TOO_SMALL. */
export class FailsWithValidCodes extends StepMonitor {
  readonly name = "fails-with-valid-codes";

  protected override onStepEvent(e: KernelEvent, _call: Call | undefined, world: World): void {
    if (e.k !== "call" || e.name !== "zx_pager_op_range" || e.args[1] !== ZX_PAGER_OP_FAIL) return;
    if (!isService(world, e.tid) || PAGER_FAIL_CODES.includes(e.args[5] as number)) return;
    this.fail("P13", `service t${e.tid} failed a range with code ${e.args[5]}`);
  }
}

/** A page range of a VMO, in bytes: a dequeued packet's, or the one an answer names. */
interface PacketRange {
  readonly vmo: number;
  readonly offset: number;
  readonly length: number;
}

/** A dequeued packet left to answer: its range, the thread that took it and its request. */
interface TakenPacket extends PacketRange {
  readonly taker: number;
  readonly request: { vmo: number; id: number } | undefined;
}

/**
 * P14: BAD_STATE from supply or OP_FAIL means the VMO is gone; the service does not retry.
 *
 * A retry is the same call again (pager, VMO, range) by the thread that just got BAD_STATE for
 * it, with no dequeued packet left to answer: each page-request packet a service thread dequeued
 * licenses one answer. So a service that had taken several packets for one range before the
 * detach (a reader suspended and resumed asks again) answers each of them once, each getting
 * BAD_STATE, and breaks nothing; a second answer for the same packet is the retry.
 *
 * A packet its taker handed off (properties/wait_for.ts `PacketHolders.handoff`: it woke a
 * futex before its next port wait, a receiver queueing a job for a worker) is answered by one
 * of that futex's workers, each answer one job: a worker's answer takes only the oldest handed
 * packet it overlaps, as the lost-wake-up blame gives each worker one packet. So a pool whose
 * receiver queued two READs of one chunk before a detach answers each with the chunk's supply
 * (userS25, case/testdata/userS25/chunk_pool_bad_state.ts), as a single thread answering them
 * one by one does. The taker's own answer takes one packet of each distinct range it overlaps.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { TreatsBadStateAsGone } from "./service_obligations.ts";
 * assert.equal(new TreatsBadStateAsGone().name, "treats-bad-state-as-gone");
 * ```
 */
export class TreatsBadStateAsGone extends StepMonitor {
  readonly name = "treats-bad-state-as-gone";
  /** Per service thread, its last answer if it got ZX_ERR_BAD_STATE. */
  readonly #gone = new Map<number, string>();
  /** Dequeued READ and DIRTY packets no answer has covered yet, in dequeue order. */
  readonly #unanswered: TakenPacket[] = [];
  /** Who took each packet and whom it was handed to. */
  readonly #holders = new PacketHolders();
  protected override readonly immediateKinds: ReadonlySet<KernelEvent["k"]> = PacketHolders.KINDS;

  protected override immediate(e: KernelEvent, step: number): void {
    this.#holders.hear(e, step);
    // As it is taken: the holders' last packet of the thread is this one.
    if (e.k === "packet-dequeued" && e.packet.command !== ZX_PAGER_VMO_COMPLETE) {
      this.#unanswered.push({
        vmo: e.vmo,
        offset: e.packet.offset,
        length: e.packet.length,
        taker: e.tid,
        request: this.#holders.lastTaken(e.tid),
      });
    }
  }

  protected override onStepEvent(e: KernelEvent, call: Call | undefined, world: World): void {
    if (e.k !== "ret" || call?.name !== e.name || !isService(world, e.tid)) return;
    if (e.name !== "zx_pager_supply_pages" && e.name !== "zx_pager_op_range") return;
    const key = `${call.name}(${call.args.slice(0, 4).join(", ")})`;
    const licensed = this.#answer(call, e.tid);
    if (this.#gone.get(e.tid) === key && !licensed) {
      // As the trace shows the call (hex, named ops and codes, every argument).
      const shown = formatEvent({ k: "call", tid: call.tid, name: call.name, args: call.args });
      this.fail(
        "P14",
        `service ${shown} retried after ZX_ERR_BAD_STATE (no packet it dequeued is left unanswered)`,
      );
    }
    if (e.status === ZX_ERR_BAD_STATE) this.#gone.set(e.tid, key);
    else this.#gone.delete(e.tid);
  }

  /**
   * Marks the packets an answer (a supply, OP_FAIL or OP_DIRTY) by thread `tid` covers as
   * answered: the oldest unanswered packet of each distinct range it overlaps, so two packets of
   * one range take two answers; of the packets handed off to `tid` as a worker, the oldest alone.
   * True if it answered one.
   */
  #answer(call: Call, tid: number): boolean {
    const supply = call.name === "zx_pager_supply_pages";
    const op = call.args[1];
    if (!supply && op !== ZX_PAGER_OP_FAIL && op !== ZX_PAGER_OP_DIRTY) return false;
    const [handle, offset, length] = supply ? call.args.slice(1, 4) : call.args.slice(2, 5);
    const vmo = this.vmoOf(handle)?.root.koid;
    if (vmo === undefined || typeof offset !== "number" || typeof length !== "number") {
      return false;
    }
    const seen = new Set<string>();
    let answered = false;
    let job = false;
    for (let i = 0; i < this.#unanswered.length; i++) {
      const p = this.#unanswered[i];
      const range = `${p.offset}+${p.length}`;
      if (p.vmo !== vmo || seen.has(range)) continue;
      if (p.offset >= offset + length || offset >= p.offset + p.length) continue;
      if (this.#handedTo(p, tid)) {
        if (job) continue;
        job = true;
      }
      seen.add(range);
      this.#unanswered.splice(i--, 1);
      answered = true;
    }
    return answered;
  }

  /** Whether packet `p` was handed off by its taker to `tid`, one of the hand-off's workers. */
  #handedTo(p: TakenPacket, tid: number): boolean {
    if (p.taker === tid || p.request === undefined) return false;
    return this.#holders.handoff(p.request.vmo, p.request.id)?.to.includes(tid) ?? false;
  }

  /** The packets left to answer and the threads whose last answer got BAD_STATE. */
  stateKey(): string {
    const packets = this.#unanswered.map((p) => `${p.vmo}:${p.offset}+${p.length}`).join(",");
    const gone = [...this.#gone].sort(([a], [b]) => a - b).map(([t, k]) => `${t}=${k}`);
    return `${packets}|${gone.join(",")}`;
  }
}

/**
 * The opt-in service obligations (P1, P3, P10-P14, P17, the quiescent end Q1-Q4, and writeback-served W1-W2), fresh for one run.
 *
 * @example
 * ```ts
 * import { serviceObligations } from "./service_obligations.ts";
 * console.assert(serviceObligations().some((m) => m.name === "answers-every-read"));
 * ```
 */
export function serviceObligations(): Monitor[] {
  return shareJournal([
    new AnswersEveryRead(),
    new KeepsPortOpen(),
    new KeepsPagerOpen(),
    new SuppliesValidRanges(),
    new FailsWithValidCodes(),
    new TreatsBadStateAsGone(),
    new UsesNoClosedHandle(),
    new QuiescentEnd(),
    new WritebackServed(),
    // Last: a service that breaks another obligation often stops serving in the same step.
    new ToleratesStalePackets(),
  ]);
}
