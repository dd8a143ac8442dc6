/**
 * `writeback-served`: a service that takes writeback requests as user packets
 * on its port (the reference writeback service, or a service whose contract
 * says `writeback: { packet: KEY }`; the harness lists their ports in
 * `World.writebackPorts`) serves them. Opt in with the service obligations
 * (`kernel+service`); a service whose ports are not listed is never judged.
 *
 * A request is judged when its pager has one running service thread (which takes it after whatever
 * it is doing), or when, as it is queued, every running service thread of its pager is parked in
 * `zx_port_wait` on that port: no pass of another thread is in flight that the request could be
 * folded into, and no supply is part-way through. For the last such request of each port, at a
 * quiescent end of a passing run:
 *
 * - W1: each VMO of the pager that had a Dirty page when the request was queued
 *   and still has one (alive, attached, its port alive) was looked at after
 *   the request: a service thread queried its dirty ranges
 *   (`zx_pager_query_dirty_ranges`), or its size query failed (the service's
 *   handle is gone). Upstream's sample pager code queries, then for each
 *   range BEGINs, writes to disk and ENDs (docs/reference/syscalls/pager_op_range.md
 *   @ gnoliyil/fuchsia 0030d76c); a request that leaves a VMO unqueried forever
 *   was dropped.
 * - W2: if no READ packet of the pager was dequeued after the request (no supply
 *   could race the pass) and the VMO was not resized after it, each page Dirty
 *   then and still Dirty was begun (`ZX_PAGER_OP_WRITEBACK_BEGIN`) after it,
 *   and no page a service thread moved to AwaitingClean with a BEGIN after
 *   the request is still AwaitingClean: a writeback begun is ended (BEGIN
 *   "indicates an intent to clean any dirty pages in the specified range once
 *   the writeback is completed (signaled with ZX_PAGER_OP_WRITEBACK_END)",
 *   pager_op_range.md above), or the page was written again.
 *
 * W1 and W2 leave a request unjudged when a service thread of the pager is not parked in
 * `zx_port_wait`, as a dedicated writer thread that a reader wakes through a condition variable
 * never is. W3 judges every request a service thread takes from the port, whoever serves it:
 *
 * - W3: a writeback request a service thread dequeued is served. Each VMO of the pager that had a
 *   Dirty page when the request was dequeued and still has one at a quiescent end of a passing
 *   run (alive, attached, its port alive) was queried (`zx_pager_query_dirty_ranges`) or begun
 *   (`ZX_PAGER_OP_WRITEBACK_BEGIN`) by some service thread after the dequeue, or its size query
 *   failed. The request is folded, and not judged, when as it is dequeued another service thread
 *   of the pager is part-way through a pass: it queried or began or ended a writeback since it
 *   last waited on a port or on a condition variable (`CondVar` of `services/sync.ts`; a mutex
 *   wait stays inside the pass), and the taker then wakes no futex but a mutex's before its next
 *   port wait (a condition-variable wake hands the request on: judged). A pass in flight may be
 *   all the answer the request gets (the reference service starts none while one runs), and a
 *   flag that coalesces requests leads to a pass that queries after each of them. The fold does
 *   not ask whether that pass has already queried the VMO: a query reports only the ranges Dirty
 *   before it (pager_query_dirty_ranges.md), so a request folded into a pass that queried its VMO
 *   before the page was dirtied is dropped without a finding. And a pass whose thread waits on a
 *   condition variable part-way through (a page-in barrier, not only the writer's wait between
 *   passes) folds nothing until its next query, BEGIN or END: a request taken in that window is
 *   judged (userS30b's lfs_pager_coalesce.ts, case/userS30b_w3_test.ts). What W3 finds is a
 *   request taken and then dropped with no pass in flight: a writer woken through a lost wake-up,
 *   a packet ignored, a request taken while the writer waits at such a barrier. A W3 says what
 *   happened, in parentheses (`whatHappened`): the condition variables the taker woke with the
 *   request in hand, or that it signalled none; each other service thread's pass then, with its
 *   last query of the VMO and the condition-variable wait that ended it for W3. Upstream the
 *   service "is expected to query these ranges with `zx_pager_query_dirty_ranges()` and write
 *   them back" (docs/reference/syscalls/pager_detach_vmo.md, pager_query_dirty_ranges.md); a
 *   user sees the write never reach the backing store. A W3 names why when the end shows it, as
 *   the liveness checks do (properties/wait_for.ts `whyUnanswered`), so the failure signs as its
 *   cause (fuzz/signature.ts), not as W3: the service threads' wait-for cycle (`; wait-for cycle:
 *   ...`, a lock-order deadlock that stopped the writer), else the service threads parked on a
 *   condition variable with the request in hand, or, once none can run, on one its taker woke
 *   while holding it (`; parked holding a packet: ... handed a packet by t1 ...`: a receiver that
 *   queued it for a worker and signalled, and no worker was woken for it).
 *
 * All react to events (the request, its dequeue, queries, BEGINs, READ dequeues, resizes, port
 * and condition-variable waits); the page scans run once per judged or dequeued request and once
 * at the end.
 *
 * @module
 */

import {
  ZX_OBJ_TYPE_PORT,
  ZX_OK,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_PAGER_VMO_READ,
  ZX_PKT_TYPE_USER,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
} from "../kernel/constants.ts";
import type { KernelEvent, Packet } from "../kernel/events.ts";
import { Page, type Vmo } from "../kernel/objects.ts";
import type { Port } from "../kernel/port.ts";
import { isDirtyPage } from "../kernel/dirty.ts";
import type { Verdict, World } from "../sim/world.ts";
import { type Call, StepMonitor } from "./_step_monitor.ts";
import { parkedHolding, parkedOnHandoff, waitForCycle, type Why } from "./wait_for.ts";

/** The last judged writeback request of one port. */
interface Request {
  /** The step it was queued at. */
  readonly step: number;
  /** Koids of the port's VMOs that had a Dirty page then, not looked at since. */
  readonly unlooked: Set<number>;
  /** The Dirty pages of each of those VMOs then, by koid. */
  readonly dirty: Map<number, number[]>;
  /** Pages begun (WRITEBACK_BEGIN) since, by VMO koid: [start, end) page ranges. */
  readonly begun: Map<number, [number, number][]>;
  /** Koids of VMOs resized since. */
  readonly resized: Set<number>;
  /** A READ packet of the port was dequeued since. */
  readDequeued: boolean;
}

/**
 * Another service thread's pass as W3 saw it when a request was taken (its message names it): the
 * VMOs it queried and when, and the condition-variable wait that ended it for W3, if one did.
 */
interface PassNote {
  readonly tid: number;
  /** Per VMO koid: the step of the pass's last successful query of it. */
  readonly queried: ReadonlyMap<number, number>;
  /** The condition-variable wait since its last query, BEGIN or END (its step and futex), or null. */
  readonly paused: { readonly step: number; readonly futex: string } | null;
}

/** A writeback request a service thread took from its port (W3). */
interface Taken {
  /** The step it was dequeued at, and by which thread. */
  readonly step: number;
  readonly tid: number;
  /** Per koid of the port's VMOs, its pages Dirty then whose range no query nor BEGIN took since. */
  readonly unlooked: Map<number, Set<number>>;
  /**
   * Taken while another service thread was part-way through a pass: folded into it if the taker
   * goes back to its port without handing the request off (no futex wake but a mutex's first).
   */
  folding: boolean;
  /** The taker has not waited on a port since it took the request (it still holds the packet). */
  holding: boolean;
  /**
   * The condition variables (futex words, no `Mutex`'s) the taker woke while holding the request:
   * it handed the packet to their waiters (queued it for a worker and signalled).
   */
  readonly handed: Set<number>;
  /** The passes other service threads of the pager had begun since their last port wait. */
  readonly passes: readonly PassNote[];
}

/**
 * Why request `t` went unserved, in the words of the liveness checks (properties/wait_for.ts
 * `whyUnanswered`), so it signs as its cause: the wait-for cycle of the service's threads
 * (`; wait-for cycle: ...`), else the service threads parked on a condition variable with the
 * request in hand or handed to them (`; parked holding a packet: ...`), else nothing.
 */
function whyUnserved(
  world: World,
  t: Taken,
  workers: ReadonlyMap<number, ReadonlySet<number>>,
): Why {
  const cycle = waitForCycle(world);
  if (cycle !== null) return { text: `; wait-for cycle: ${cycle}` };
  return parkedHolding(
    parkedOnHandoff(world, t.holding ? t.tid : undefined, t.tid, t.handed, workers),
  );
}

/**
 * What happened to request `t` for W3's message (the parenthesis before {@linkcode whyUnserved}):
 * the condition variables its taker woke with it in hand (it handed the request on), or that it
 * woke none; and the passes of other service threads then, with why the request was not folded
 * into them (a condition-variable wait since their last query, BEGIN or END) and when they had
 * last queried `vmo` (a query reports only the ranges Dirty before it:
 * docs/reference/syscalls/pager_query_dirty_ranges.md).
 */
function whatHappened(world: World, t: Taken, vmo: number): string {
  const out: string[] = [];
  if (t.handed.size > 0) {
    const woke = [...t.handed].sort((a, b) => a - b).map((a) => world.kernel.futexes.describe(a));
    out.push(`t${t.tid} handed it on, waking ${woke.join(", ")}`);
  } else {
    out.push(`t${t.tid} signalled no condition variable with it in hand`);
    if (t.passes.length === 0) out.push("no other service thread had begun a writeback pass");
  }
  for (const p of t.passes) {
    const q = p.queried.get(vmo);
    const queried = q === undefined
      ? `had not queried vmo${vmo}`
      : `had last queried vmo${vmo} at step ${q}`;
    out.push(
      p.paused === null
        ? `t${p.tid} was part-way through a writeback pass, which ${queried}`
        : `t${p.tid} ${queried}, then waited on ${p.paused.futex} at step ${p.paused.step} and ` +
          `had not queried, begun or ended a writeback since: a condition-variable wait ends a ` +
          `pass for W3, so the request was not folded into it`,
    );
  }
  return ` (${out.join("; ")})`;
}

/** A root pager VMO that still delivers requests: alive, attached, a handle open, its port alive. */
function delivering(v: Vmo): boolean {
  return !v.dead && v.handleCount > 0 && v.source !== null && !v.source.detached &&
    v.proxy !== null && !v.proxy.port.dead;
}

function hasDirtyPage(v: Vmo): boolean {
  for (const s of v.slots) if (isDirtyPage(s)) return true;
  return false;
}

/** The dirty ranges one query of the reference writeback service asks for. */
const QUERY_RANGES = 64;

/** How many runs of consecutive pages `pages` (ascending) make. */
function runs(pages: readonly number[]): number {
  let n = 0;
  for (let i = 0; i < pages.length; i++) if (i === 0 || pages[i] !== pages[i - 1] + 1) n++;
  return n;
}

function dirtyPages(v: Vmo): number[] {
  const out: number[] = [];
  for (let p = 0; p < v.slots.length; p++) if (isDirtyPage(v.slots[p])) out.push(p);
  return out;
}

/**
 * Checks W1 and W2 (see the module docs).
 *
 * @example
 * ```ts
 * import { WritebackServed } from "./writeback_served.ts";
 * console.assert(new WritebackServed().name === "writeback-served");
 * ```
 */
export class WritebackServed extends StepMonitor {
  readonly name = "writeback-served";
  /** Per service thread parked in `zx_port_wait`: the port's koid. */
  readonly #parked = new Map<number, number>();
  /** Per futex address, the threads that ever waited on it (a queue's workers, for a hand-off). */
  readonly #futexWaiters = new Map<number, Set<number>>();
  /** Per service thread, the port of its last `zx_port_wait` (its pager's). */
  readonly #portOf = new Map<number, number>();
  /** A request judged at its `zx_port_queue` call, until its ret says it was queued. */
  #pending: [number, Request] | null = null;
  /** The last judged request, by port koid. */
  readonly #requests = new Map<number, Request>();
  /** Per port koid: the writeback packets queued on it and not yet seen taken (W3). */
  readonly #inPort = new Map<number, Packet[]>();
  /** Per port koid: the writeback requests taken that still have a VMO unlooked (W3). */
  readonly #taken = new Map<number, Taken[]>();
  /** Per service thread, the request it took during another's pass, until it hands it off or not. */
  readonly #deciding = new Map<number, Taken>();
  /**
   * Per service thread that queried, began or ended a writeback since its last port wait: its
   * pass as W3's message tells it (the port, its queries, a condition-variable wait that ended it
   * for W3). A thread whose pass has no `paused` is part-way through it (W3's folding; in
   * {@linkcode stateKey} by its port alone); the rest serves messages only.
   */
  readonly #passes = new Map<
    number,
    { port: number; queried: Map<number, number>; paused: PassNote["paused"] }
  >();

  protected override onStepEvent(e: KernelEvent, call: Call | undefined, world: World): void {
    if (world.writebackPorts.size === 0) return;
    if (e.k === "packet-dequeued") {
      if (e.packet.command === ZX_PAGER_VMO_READ) {
        const r = this.#requests.get(e.port);
        if (r !== undefined) r.readDequeued = true;
      }
      return;
    }
    if (e.k === "call") {
      // Judged as the packet is queued: its wake of a parked service thread comes before the ret.
      if (e.name === "zx_port_queue") this.#queued(e.args, world);
      const deciding = this.#deciding.get(e.tid);
      if (e.name === "zx_futex_wake" || e.name === "zx_futex_requeue") this.#handOff(e, world);
      if ((e.name === "zx_futex_wake" || e.name === "zx_futex_requeue") && deciding !== undefined) {
        // A wake of a condition variable (anything but a mutex) hands the request off: judged.
        const addr = e.args[0];
        if (typeof addr === "number" && world.kernel.futexes.kindOf(addr) !== "mutex") {
          deciding.folding = false;
          this.#deciding.delete(e.tid);
        }
      }
      if (e.name === "zx_futex_wait" && typeof e.args[0] === "number") {
        const waiters = this.#futexWaiters.get(e.args[0]) ?? new Set<number>();
        this.#futexWaiters.set(e.args[0], waiters);
        waiters.add(e.tid);
      }
      const pass = this.#passes.get(e.tid);
      if (e.name === "zx_futex_wait" && pass !== undefined && pass.paused === null) {
        // A wait on a condition variable ends a pass; a mutex wait is inside one.
        const addr = e.args[0];
        if (typeof addr === "number" && world.kernel.futexes.kindOf(addr) === "condvar") {
          pass.paused = { step: world.step, futex: world.kernel.futexes.describe(addr) };
        }
      }
      if (e.name === "zx_port_wait" && world.threads[e.tid - 1]?.role === "service") {
        this.#passes.delete(e.tid);
        this.#deciding.delete(e.tid); // not handed off: folded (finish skips it)
        for (const l of this.#taken.values()) {
          for (const t of l) if (t.tid === e.tid) t.holding = false;
        }
        const port = this.#port(e.args[0]);
        if (port !== undefined) {
          this.#parked.set(e.tid, port.koid);
          this.#portOf.set(e.tid, port.koid);
        }
      }
      return;
    }
    if (e.k !== "ret" || call?.name !== e.name) return;
    switch (e.name) {
      case "zx_port_wait":
        this.#parked.delete(e.tid);
        if (e.status === ZX_OK) this.#dequeued(e.tid, call.args[0], world);
        return;
      case "zx_port_queue": {
        // Queued after all: the request judged at its call stands.
        const pending = this.#pending;
        this.#pending = null;
        if (pending !== null && e.status === ZX_OK) this.#requests.set(pending[0], pending[1]);
        if (e.status === ZX_OK) this.#track(call.args, world);
        return;
      }
      case "zx_port_cancel_key": {
        // Packets cancelled were not taken: forget them.
        const port = this.#port(call.args[0]);
        const queued = port === undefined ? undefined : this.#inPort.get(port.koid);
        if (port !== undefined && queued !== undefined) {
          const left = new Set(port.packets());
          this.#inPort.set(port.koid, queued.filter((p) => left.has(p)));
        }
        return;
      }
      case "zx_pager_query_dirty_ranges":
        if (world.threads[e.tid - 1]?.role === "service") {
          this.#passOn(e.tid, call.args[1], e.status === ZX_OK ? world.step : undefined);
          this.#looked(call.args[1], false, [call.args[2], call.args[3]], world.kernel.pageSize);
        }
        return;
      case "zx_vmo_get_size":
        if (e.status !== ZX_OK && world.threads[e.tid - 1]?.role === "service") {
          this.#looked(call.args[0]);
        }
        return;
      case "zx_vmo_set_size": {
        const v = this.vmoOf(call.args[0])?.root;
        const r = v?.proxy === null || v === undefined
          ? undefined
          : this.#requests.get(v.proxy.port.koid);
        if (e.status === ZX_OK && v !== undefined) r?.resized.add(v.koid);
        return;
      }
      case "zx_pager_op_range": {
        const op = call.args[1];
        const service = world.threads[e.tid - 1]?.role === "service";
        if (
          service && (op === ZX_PAGER_OP_WRITEBACK_BEGIN || op === ZX_PAGER_OP_WRITEBACK_END)
        ) this.#passOn(e.tid, call.args[2]);
        if (e.status !== ZX_OK || op !== ZX_PAGER_OP_WRITEBACK_BEGIN) return;
        if (service) {
          this.#looked(call.args[2], true, [call.args[3], call.args[4]], world.kernel.pageSize);
        }
        if (((call.args[5] as number) & ZX_VMO_DIRTY_RANGE_IS_ZERO) !== 0) return;
        const v = this.vmoOf(call.args[2])?.root;
        if (v === undefined || v.proxy === null) return;
        const r = this.#requests.get(v.proxy.port.koid);
        if (r === undefined) return;
        const ps = world.kernel.pageSize;
        const start = Math.floor((call.args[3] as number) / ps);
        const end = Math.ceil(((call.args[3] as number) + (call.args[4] as number)) / ps);
        const list = r.begun.get(v.koid) ?? [];
        r.begun.set(v.koid, list);
        list.push([start, end]);
        return;
      }
    }
  }

  /** Thread `e.tid` woke a condition variable: it handed the requests it holds to its waiters. */
  #handOff(e: Extract<KernelEvent, { k: "call" }>, world: World): void {
    const addr = e.args[0];
    if (typeof addr !== "number" || world.kernel.futexes.kindOf(addr) === "mutex") return;
    for (const l of this.#taken.values()) {
      for (const t of l) if (t.tid === e.tid && t.holding) t.handed.add(addr);
    }
  }

  #port(handle: unknown): Port | undefined {
    const o = this.entry(handle)?.object;
    return o !== undefined && o.objType === ZX_OBJ_TYPE_PORT ? o as Port : undefined;
  }

  /**
   * A service thread looked at a VMO's dirty ranges (or found its handle gone); `begun`: it began
   * a writeback of it, which counts for W3 only.
   */
  #looked(handle: unknown, begun = false, range?: [unknown, unknown], pageSize = 1): void {
    const v = this.vmoOf(handle)?.root;
    if (v === undefined || v.proxy === null) return;
    if (!begun) this.#requests.get(v.proxy.port.koid)?.unlooked.delete(v.koid);
    const taken = this.#taken.get(v.proxy.port.koid);
    if (taken === undefined) return;
    const [offset, length] = range ?? [];
    const whole = typeof offset !== "number" || typeof length !== "number";
    // The pages of a query's or a BEGIN's range (both name the pager VMO itself).
    const first = whole ? 0 : Math.floor(offset / pageSize);
    const end = whole ? Infinity : Math.ceil((offset + length) / pageSize);
    for (const t of taken) {
      const pages = t.unlooked.get(v.koid);
      if (pages === undefined) continue;
      for (const p of [...pages]) if (first <= p && p < end) pages.delete(p);
      if (pages.size === 0) t.unlooked.delete(v.koid);
    }
    const left = taken.filter((t) => t.unlooked.size > 0);
    if (left.length === 0) this.#taken.delete(v.proxy.port.koid);
    else if (left.length < taken.length) this.#taken.set(v.proxy.port.koid, left);
  }

  /**
   * Service thread `tid` queried (successfully at step `queried`), began or ended a writeback of a
   * VMO: it is part-way through a pass.
   */
  #passOn(tid: number, handle: unknown, queried?: number): void {
    const v = this.vmoOf(handle)?.root;
    if (v === undefined || v.proxy === null) return;
    const port = v.proxy.port.koid;
    let pass = this.#passes.get(tid);
    if (pass === undefined || pass.port !== port) {
      this.#passes.set(tid, pass = { port, queried: new Map(), paused: null });
    }
    pass.paused = null;
    if (queried !== undefined) pass.queried.set(v.koid, queried);
  }

  /** A writeback packet was queued on a port: remember it, to see which thread takes it (W3). */
  #track(args: readonly unknown[], world: World): void {
    const port = this.#port(args[0]);
    if (port === undefined) return;
    const key = world.writebackPorts.get(port.koid);
    if (key === undefined) return;
    const queued = this.#inPort.get(port.koid) ?? [];
    const packets = port.packets();
    // The newest user packet of the key not yet remembered is the one just queued.
    for (let i = packets.length - 1; i >= 0; i--) {
      const p = packets[i];
      if (p.type !== ZX_PKT_TYPE_USER || p.key !== key) continue;
      if (!queued.includes(p)) {
        queued.push(p);
        this.#inPort.set(port.koid, queued);
      }
      return;
    }
  }

  /** Thread `tid` took a packet from a port: a writeback request, if one remembered is gone (W3). */
  #dequeued(tid: number, handle: unknown, world: World): void {
    if (world.threads[tid - 1]?.role !== "service") return;
    const port = this.#port(handle);
    const queued = port === undefined ? undefined : this.#inPort.get(port.koid);
    if (port === undefined || queued === undefined) return;
    const left = new Set(port.packets());
    const still = queued.filter((p) => left.has(p));
    if (still.length === queued.length) return;
    if (still.length === 0) this.#inPort.delete(port.koid);
    else this.#inPort.set(port.koid, still);
    let folding = false;
    for (const [other, p] of this.#passes) {
      if (other !== tid && p.port === port.koid && p.paused === null) folding = true;
    }
    const unlooked = new Map<number, Set<number>>();
    for (const v of world.kernel.pagerVmos) {
      if (v.proxy?.port !== port || !delivering(v)) continue;
      const pages = dirtyPages(v);
      if (pages.length > 0) unlooked.set(v.koid, new Set(pages));
    }
    if (unlooked.size === 0) return;
    const taken = this.#taken.get(port.koid) ?? [];
    this.#taken.set(port.koid, taken);
    const passes: PassNote[] = [];
    for (const [other, p] of this.#passes) {
      if (other !== tid && p.port === port.koid) {
        passes.push({ tid: other, queried: new Map(p.queried), paused: p.paused });
      }
    }
    const t: Taken = {
      step: world.step,
      tid,
      unlooked,
      folding,
      holding: true,
      handed: new Set(),
      passes,
    };
    taken.push(t);
    if (folding) this.#deciding.set(tid, t);
  }

  /** A packet being queued on a port: a writeback request to judge (see the module docs). */
  #queued(args: readonly unknown[], world: World): void {
    const port = this.#port(args[0]);
    if (port === undefined) return;
    const key = world.writebackPorts.get(port.koid);
    // The call event names a user packet by its key.
    const packet = args[1];
    const named = typeof packet === "number" ? packet : (packet as { key?: unknown })?.key;
    if (key === undefined || named !== key) return;
    let serving = 0;
    let busy = 0;
    for (const t of world.threads) {
      if (t.role !== "service" || t.end.kind !== "running") continue;
      const of = this.#portOf.get(t.tid);
      if (of === undefined) return; // a service thread not yet at its port: not judged
      if (of !== port.koid) continue;
      serving++;
      if (this.#parked.get(t.tid) !== port.koid) busy++;
    }
    // One thread takes the request after whatever it is doing; of several, one may be part-way
    // through a pass (or a supply) the request is folded into: judged only when all are parked.
    if (serving === 0 || (serving > 1 && busy > 0)) return;
    const unlooked = new Set<number>();
    const dirty = new Map<number, number[]>();
    for (const v of world.kernel.pagerVmos) {
      if (v.proxy?.port !== port || !delivering(v)) continue;
      const pages = dirtyPages(v);
      if (pages.length === 0) continue;
      unlooked.add(v.koid);
      // A query that fills its buffer leaves the rest for another call, which the reference
      // service does not make (it asks for 64 ranges a pass): a VMO of 64 dirty runs or more is
      // not judged for W2's first half.
      if (runs(pages) < QUERY_RANGES) dirty.set(v.koid, pages);
    }
    this.#pending = [port.koid, {
      step: world.step,
      unlooked,
      dirty,
      begun: new Map(),
      resized: new Set(),
      readDequeued: false,
    }];
  }

  /** What exploration must not merge away: parked threads and each judged request's state. */
  stateKey(): string {
    const w3 = this.#w3Key();
    if (this.#requests.size === 0 && this.#parked.size === 0) return w3 === "" ? "" : `|${w3}`;
    const parked = [...this.#parked].sort(([a], [b]) => a - b).join(";");
    const reqs = [...this.#requests].sort(([a], [b]) => a - b).map(([port, r]) =>
      `${port}:${[...r.unlooked].sort((a, b) => a - b)}/${
        [...r.dirty].sort(([a], [b]) => a - b).map(([v, l]) => `${v}=${l.join(" ")}`).join(",")
      }/${
        [...r.begun].sort(([a], [b]) => a - b).map(([v, l]) => `${v}=${l.join(" ")}`).join(",")
      }/${[...r.resized].sort((a, b) => a - b)}/${r.readDequeued}`
    );
    return `${parked}|${reqs.join(";")}${w3 === "" ? "" : `|${w3}`}`;
  }

  /** W3's part of {@linkcode stateKey}: packets in ports, requests taken, threads in a pass. */
  #w3Key(): string {
    const sorted = <T>(m: ReadonlyMap<number, T>) => [...m].sort(([a], [b]) => a - b);
    const passing = sorted(this.#passes).filter(([, p]) => p.paused === null);
    if (
      this.#inPort.size === 0 && this.#taken.size === 0 && passing.length === 0 &&
      this.#deciding.size === 0
    ) return "";
    const inPort = sorted(this.#inPort).map(([port, l]) => `${port}=${l.length}`).join(",");
    const taken = sorted(this.#taken).map(([port, l]) =>
      `${port}=${
        l.map((t) =>
          `${t.tid}:${t.folding ? "f" : ""}${
            sorted(t.unlooked).map(([v, ps]) => `${v}=${[...ps].sort((a, b) => a - b)}`).join(" ")
          }~${t.holding ? "h" : ""}${[...t.handed].sort((a, b) => a - b).join(" ")}`
        ).join("+")
      }`
    ).join(",");
    const inPass = passing.map(([tid, p]) => `${tid}=${p.port}`).join(",");
    const deciding = [...this.#deciding.keys()].sort((a, b) => a - b).join(",");
    return `${inPort}/${taken}/${inPass}/${deciding}`;
  }

  protected override finish(world: World, verdict: Verdict): void {
    if (verdict.kind !== "pass" || world.quiescent !== true) return;
    for (const v of world.kernel.pagerVmos) {
      if (v.proxy === null || !delivering(v)) continue;
      const r = this.#requests.get(v.proxy.port.koid);
      if (r === undefined) continue;
      if (r.unlooked.has(v.koid) && hasDirtyPage(v)) {
        this.fail(
          "W1",
          `a writeback was asked of the service of port${v.proxy.port.koid} at step ${r.step}, ` +
            `when vmo${v.koid} had Dirty pages; no service thread queried its dirty ranges ` +
            `after it, and it still has Dirty pages at the quiescent end`,
        );
      }
      if (r.readDequeued || r.resized.has(v.koid)) continue;
      const begun = r.begun.get(v.koid) ?? [];
      for (const p of r.dirty.get(v.koid) ?? []) {
        if (!isDirtyPage(v.slots[p]) || begun.some(([a, b]) => a <= p && p < b)) continue;
        this.fail(
          "W2",
          `a writeback was asked of the service of port${v.proxy.port.koid} at step ${r.step}, ` +
            `when vmo${v.koid} page ${p} was Dirty; the service never began writing it back ` +
            `after it, and it is still Dirty at the quiescent end`,
        );
      }
      for (const [start, end] of begun) {
        for (let p = start; p < end && p < v.slots.length; p++) {
          const s = v.slots[p];
          if (s instanceof Page && s.state === "awaiting-clean") {
            this.fail(
              "W2",
              `the service of port${v.proxy.port.koid} began writing back vmo${v.koid} page ${p} ` +
                `after the writeback asked at step ${r.step} and never ended it: AwaitingClean ` +
                `at the quiescent end`,
            );
          }
        }
      }
    }
    // W3 last: a request W1 or W2 judged keeps their finding.
    this.#finishTaken(world);
  }

  /** W3 at the quiescent end: each request taken left no VMO dirty then and now unlooked. */
  #finishTaken(world: World): void {
    if (this.#taken.size === 0) return;
    for (const v of world.kernel.pagerVmos) {
      if (v.proxy === null || !delivering(v)) continue;
      const port = v.proxy.port.koid;
      for (const t of this.#taken.get(port) ?? []) {
        if (t.folding) continue;
        const p = [...t.unlooked.get(v.koid) ?? []].find((p) => isDirtyPage(v.slots[p]));
        if (p === undefined) continue;
        const why = whyUnserved(world, t, this.#futexWaiters);
        this.fail(
          "W3",
          `t${t.tid} took a writeback request from port${port} at step ${t.step}, when vmo${v.koid} ` +
            `page ${p} was Dirty; no service thread queried its dirty ranges or began writing it ` +
            `back after it, and it is still Dirty at the quiescent end` +
            whatHappened(world, t, v.koid) + why.text,
          why.facts,
        );
      }
    }
  }
}
