/**
 * `quiescent-end`: what a service leaves behind once the workload finished
 * and the world's quiescent tail ran until no thread could run (sim/world.ts).
 * Q1: in the tail, a service thread supplies or fails a range of a VMO whose
 * COMPLETE it already took (a late supply to a detached VMO: nothing waits for
 * it, and the service kept work for a VMO it was told is gone). At a quiescent
 * end: Q2, no page request is outstanding; Q3, no COMPLETE packet sits
 * unreceived in a port that is still open (the service never handled it; when service threads
 * wait on each other in a cycle, the message names the cycle and the failure signs as that
 * deadlock);
 * Q4, no handle the service made for an object of its own is leaked.
 *
 * Q4 is narrow on purpose: the model cannot see what a service's JavaScript
 * still holds, so a handle counts as leaked only where no service code can
 * name it again. Judged are handles a service thread's syscalls created to
 * an object that did not exist before that step (its aux/staging VMOs, its
 * children of VMOs, its events and ports, and duplicates of those; never a
 * duplicate or replacement of the pager, port or VMO handles the harness gave
 * it, and not what its first step created, which the checker cannot tell from
 * setup).
 * Never judged: a pager VMO it created (a file it keeps while the file lives)
 * and a handle value a workload or environment thread passed to a syscall
 * (one it handed to a client). Judged when still open at the end and
 * (a) every service thread has exited and no environment thread is part-way
 *     through (a writeback entry), so no code of any service runs again; or
 * (b) the thread that created it, the only service thread of its pager (no
 *     service spawned workers in the run), called `sys.checkpoint` after
 *     creating it with a key that does not name it: the checkpoint declares
 *     the thread behaves from there on as a function of the key and what it
 *     observes later (sim/sys.ts), so it cannot name the handle again. A
 *     service that keeps a buffer pool across its checkpoint breaks that
 *     declaration (and exploration's merging with it).
 * A service that keeps a handle while it still runs and does not checkpoint
 * (a cache, a pool, a handle for a live VMO) is never judged.
 * Opt in with the service obligations (`kernel+service`).
 *
 * @module
 */

import { PacketHolders, parkedBesides, waitForCycle, whyUnanswered } from "./wait_for.ts";
import {
  ZX_OBJ_TYPE_THREAD,
  ZX_PAGER_VMO_COMPLETE,
  ZX_PKT_TYPE_PAGE_REQUEST,
} from "../kernel/constants.ts";
import type { KernelEvent, PagePacket } from "../kernel/events.ts";
import type { Verdict, World } from "../sim/world.ts";
import { threadLabel } from "../sim/trace.ts";
import { type Call, StepMonitor } from "./_step_monitor.ts";
import { DeliveryModel } from "./_delivery_model.ts";
import { FailedAnswers } from "./_failed_answers.ts";

/** The pager VMO argument of the calls that answer a range (supply, op_range). */
const VMO_ARG: Readonly<Record<string, number>> = {
  zx_pager_supply_pages: 1,
  zx_pager_op_range: 2,
};

/** A handle a service thread's syscall created to an object of its own (Q4). */
interface Made {
  readonly tid: number;
  readonly step: number;
  readonly koid: number;
}

/** Handle values are issued 0x10 apart (kernel/handles.ts). */
const HANDLE_STRIDE = 0x10;

/**
 * Checks Q1 during the quiescent tail and Q2, Q3, Q4 at its quiescent end.
 *
 * @example
 * ```ts
 * import { QuiescentEnd } from "./quiescent_end.ts";
 * console.assert(new QuiescentEnd().name === "quiescent-end");
 * ```
 */
export class QuiescentEnd extends StepMonitor {
  readonly name = "quiescent-end";
  /** `tid:koid` of each COMPLETE a service thread dequeued. */
  readonly #completeTaken = new Set<string>();
  /** Q4: the handle values issued when the last step ended (null before the first step ended). */
  #issued: number | null = null;
  /** Q4: koids of every object a handle has named so far. */
  readonly #known = new Set<number>();
  /** Q4: handles service threads created to objects of their own, by value. */
  readonly #made = new Map<number, Made>();
  /** Q4: numbers a thread other than a service's passed to a syscall (handles it was given). */
  readonly #named = new Set<number>();
  /** Q4: the objects a service thread created, by koid: the thread. */
  readonly #owner = new Map<number, number>();
  /** Q4: each thread's latest checkpoint (its step and key). */
  readonly #checkpoint = new Map<number, { step: number; key: string }>();
  /** Q4: the thread whose call or return the current step shows (the one that stepped). */
  #stepTid: number | null = null;
  /** Q4: a service spawned a worker thread (rule (b) is off: workers may share its state). */
  #spawned = false;
  #world: World | null = null;
  /** Q2: service threads serving a request, to name one parked with it. */
  readonly #holders = new PacketHolders();
  /** Q2: which VMOs no packet can reach the pager from, by the trace (not the kernel's word). */
  readonly #delivery = new DeliveryModel();
  /** Q2: the service's answers that failed, to name the one a request was dropped on. */
  readonly #failedAnswers = new FailedAnswers();

  onCheckpoint(tid: number, key: string): void {
    this.#checkpoint.set(tid, { step: this.#world?.step ?? 0, key });
  }

  protected override immediate(e: KernelEvent, step: number): void {
    this.#holders.hear(e, step);
    this.#failedAnswers.hearRequest(e, step);
    if (e.k === "packet-dequeued" && e.packet.command === ZX_PAGER_VMO_COMPLETE) {
      this.#completeTaken.add(`${e.tid}:${e.vmo}`);
    }
  }

  protected override onStepEvent(e: KernelEvent, call: Call | undefined, world: World): void {
    this.#delivery.hear(e, call, this.entryOf);
    this.#failedAnswers.hearRet(e, call, world, this.vmoOfHandle);
    if (e.k === "call" || e.k === "ret") this.#stepTid = e.tid;
    // A value a client or the environment names is not the service's alone any more.
    if (e.k === "call" && world.threads[e.tid - 1]?.role !== "service") {
      for (const a of e.args) if (typeof a === "number") this.#named.add(a);
    }
    if (e.k === "thread" && e.what === "started") {
      if (world.threads[e.tid - 1]?.role === "service") this.#spawned = true;
    }
    if (world.workloadDoneAt === null || e.k !== "ret" || call?.name !== e.name) return;
    const arg = VMO_ARG[e.name];
    if (arg === undefined || world.threads[e.tid - 1]?.role !== "service") return;
    const vmo = this.vmoOf(call.args[arg]);
    if (vmo === undefined || !this.#completeTaken.has(`${e.tid}:${vmo.koid}`)) return;
    this.fail(
      "Q1",
      `after the workload finished, service t${e.tid} called ${e.name} on vmo${vmo.koid}, ` +
        `whose COMPLETE it had taken`,
    );
  }

  /** Q4's bookkeeping: which new handles this step's thread made to objects of its own. */
  protected override endStep(world: World): void {
    this.#world = world;
    const table = world.kernel.handles;
    const issued = table.issued;
    const tid = this.#stepTid;
    this.#stepTid = null;
    const from = this.#issued;
    this.#issued = issued;
    if (from === null) {
      // The first step: setup's handles and this step's cannot be told apart; judge none of them.
      for (const [, entry] of table) this.#known.add(entry.object.koid);
      return;
    }
    if (from === issued) return;
    const service = tid !== null && world.threads[tid - 1]?.role === "service";
    for (let v = from; v < issued; v += HANDLE_STRIDE) {
      const entry = table.entry(v);
      if (entry === undefined) continue; // closed within the step
      const koid = entry.object.koid;
      const fresh = !this.#known.has(koid);
      this.#known.add(koid);
      if (!service || tid === null || entry.object.objType === ZX_OBJ_TYPE_THREAD) continue;
      if (fresh) this.#owner.set(koid, tid);
      // A new object of its own, or another handle (a duplicate) to one it made.
      if (this.#owner.get(koid) === tid) {
        this.#made.set(v, { tid, step: world.step, koid });
      }
    }
    if (this.#made.size > 4096) {
      for (const [v, m] of this.#made) {
        if (table.entry(v)?.object.koid !== m.koid) this.#made.delete(v);
      }
    }
  }

  /** Q4 at a quiescent end (see the module docs). */
  #leaks(world: World): void {
    const table = world.kernel.handles;
    const services = world.threads.filter((t) => t.role === "service");
    const allExited = services.length > 0 && services.every((t) => t.end.kind !== "running") &&
      world.threads.every((t) => t.role !== "env" || t.end.kind !== "running" || t.steps === 0);
    const files = new Set(world.kernel.pagerVmos.map((v) => v.koid));
    for (const [v, m] of this.#made) {
      const entry = table.entry(v);
      if (entry === undefined || entry.object.koid !== m.koid) continue; // closed
      // A file it created (a pager VMO) it keeps for as long as the file lives; a handle it gave
      // a client is the client's to close.
      if (files.has(m.koid) || this.#named.has(v)) continue;
      const t = world.threads[m.tid - 1];
      const where = `service ${
        t === undefined ? `t${m.tid}` : threadLabel(m.tid, t.name)
      } made handle 0x${v.toString(16)} (koid ${m.koid}) at step ${m.step} and never closed it`;
      if (allExited) this.fail("Q4", `${where}; every service thread has exited`);
      const ck = this.#checkpoint.get(m.tid);
      if (this.#spawned || ck === undefined || ck.step < m.step || !this.#alone(world, m.tid)) {
        continue;
      }
      if (ck.key.includes(String(v)) || ck.key.toLowerCase().includes(v.toString(16))) continue;
      this.fail(
        "Q4",
        `${where}; it checkpointed after it (step ${ck.step}, "${ck.key}"): it keeps nothing ` +
          `from before, so nothing can close it`,
      );
    }
  }

  /** True when thread `tid` is the one service thread of its pager (`NAME.svc`). */
  #alone(world: World, tid: number): boolean {
    const name = world.threads[tid - 1]?.name ?? "";
    return name.endsWith(".svc");
  }

  protected override finish(world: World, verdict: Verdict): void {
    if (verdict.kind !== "pass" || world.quiescent !== true) return;
    this.#leaks(world);
    for (const v of world.kernel.pagerVmos) {
      const src = v.source;
      // A request whose packet can no longer reach a service (its port is gone, or every handle
      // of the VMO is) is the kernel's documented stranding, not a service that stopped serving.
      // The trace's model decides, and the kernel's own word must agree with it.
      const differs = this.#delivery.disagreement(v, this.handlesSeen());
      if (differs !== null) this.fail("undeliverable", differs);
      if (src === null) continue;
      if (v.handleCount === 0 || this.#delivery.undeliverable(v, this.handlesSeen())) continue;
      const left = [...src.outstanding("READ"), ...src.outstanding("DIRTY")];
      if (left.length > 0) {
        // Every thread left is parked: the one that took the request (on a condvar nobody will
        // signal, say) is among them.
        const why = whyUnanswered(world, this.#holders);
        const parked = parkedBesides(world, this.#holders);
        // Who took each request's packet names the culprit of a lost request: the thread that
        // dequeued it and went back to its port without answering (user trial: Q2 named none).
        const who = left.map((r) => {
          const taker = this.#holders.takerOf(v.koid, r.id);
          const name = taker === undefined ? undefined : world.threads[taker - 1]?.name;
          // Answers over all its pages since the take (the kernel left it open) are no drop.
          const taken = this.#failedAnswers.taken(v, r.id);
          const answered = taken !== null && taken.answered === taken.pages;
          return `${r.type} #${r.id} pages [${r.start},${r.end}): ` +
            (taker === undefined
              ? "its packet was never taken from the port"
              : `taken by ${name === undefined ? `t${taker}` : threadLabel(taker, name)}, ` +
                (answered ? "every page answered since, yet left outstanding" : "never answered")) +
            this.#failedAnswers.about(v, r.id);
        });
        this.fail(
          "Q2",
          `vmo${v.koid} has ${left.length} outstanding request(s) at quiescence ` +
            `(${who.join("; ")})` +
            (parked.length === 0 ? "" : `; parked: ${parked.join("; ")}`) +
            why.text,
          why.facts,
        );
      }
    }
    for (const port of world.kernel.ports) {
      if (port.dead) continue;
      const complete = port.packets().find((p) =>
        p.type === ZX_PKT_TYPE_PAGE_REQUEST && (p as PagePacket).command === ZX_PAGER_VMO_COMPLETE
      );
      if (complete !== undefined) {
        // Service threads deadlocked on each other cannot take it: the deadlock is the finding
        // (signed by its cycle, as the liveness checks sign it), not a service that ignores COMPLETE.
        const cycle = waitForCycle(world, this.#holders);
        this.fail(
          "Q3",
          `port${port.koid} still holds COMPLETE for key 0x${
            complete.key.toString(16)
          } at quiescence: no service took it` +
            (cycle === null ? "" : `; wait-for cycle: ${cycle}`),
        );
      }
    }
  }
}
