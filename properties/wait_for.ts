/**
 * The wait-for graph of a hung run: each parked thread, what it waits on, and
 * the threads that hold it (a futex's owner, as `zx_futex_wait` was told by a
 * `Mutex`, or when a wake left the futex without one, the `Mutex`'s holder by
 * its word, `... held by t3`: `World.waitOf`); and its cycles, which hang reports name (`t2 "a" waits on futex
 * 0x40000004 (mutex b) owned by t3 -> t3 "b" waits on futex 0x40000000 (mutex
 * a) owned by t2`), so a lock-order inversion between service threads is
 * reported as such, not only as a client that never got its page.
 *
 * @module
 */

import { ZX_ERR_TIMED_OUT } from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import type { FailureFacts, World } from "../sim/world.ts";
import { KThread } from "../kernel/objects.ts";
import { threadLabel } from "../sim/trace.ts";
import { QueuedPackets } from "./_queued_packets.ts";

/** One parked thread of the graph. */
export interface WaitNode {
  /** The thread's id. */
  readonly tid: number;
  /** The thread's name. */
  readonly name: string;
  /** What it waits on (the wait's own description). */
  readonly on: string;
  /** The threads holding what it waits for. */
  readonly holders: readonly number[];
  /**
   * Whether any one of `holders` could end the wait (a packet queued on a port with several
   * parked receivers, any of which could take it), rather than the first alone.
   */
  readonly anyOf?: boolean;
  /** The futex word whose queue it is in, for a `zx_futex_wait` (its wait's own record). */
  readonly futex?: number;
}

/** Every parked, running thread with what it waits on and who holds it, in tid order. */
export function waitForGraph(world: World): WaitNode[] {
  const out: WaitNode[] = [];
  for (const t of world.threads) {
    if (t.end.kind !== "running" || t.pending?.kind !== "block") continue;
    const { on, holders } = world.waitOf(t.tid, t.pending.wait);
    const futex = t.pending.wait.futex?.();
    out.push({ tid: t.tid, name: t.name, on, holders, ...(futex === undefined ? {} : { futex }) });
  }
  return out;
}

/**
 * Every thread of a stopped run that is parked (on a kernel wait, a futex under a service's
 * `Mutex` or `CondVar`, a port, an event, or suspended), but those in `except`, each as
 * `t2 "name" waits on futex 0x40000004 (condvar loaded)`, in tid order: the threads a hang
 * report names beside the workload left waiting, one of which is usually its cause.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { World } from "../sim/world.ts";
 * import { randomStrategy } from "../sim/strategy.ts";
 * import { CondVar, Mutex } from "../services/sync.ts";
 * import type { Sys } from "../sim/sys.ts";
 * import { parkedThreads } from "./wait_for.ts";
 * const world = new World({ pageSize: 64, strategy: randomStrategy(1) });
 * world.spawn("waiter", "service", function* (sys: Sys) {
 *   const m = new Mutex(sys, "cache");
 *   const cv = new CondVar(sys, "loaded");
 *   yield* m.lock(sys);
 *   yield* cv.wait(sys, m); // nobody signals it
 * });
 * assert.equal(world.run().verdict.kind, "pass"); // no workload thread: nothing to wait for
 * assert.deepEqual(parkedThreads(world), ['t1 "waiter" waits on futex 0x40000004 (condvar loaded)']);
 * ```
 */
export function parkedThreads(world: World, except: ReadonlySet<number> = new Set()): string[] {
  return world.blocked().filter((b) => !except.has(b.tid)).map((b) =>
    `${threadLabel(b.tid, b.thread)} waits on ${b.on}${deadOwner(world, b.tid)}`
  );
}

/**
 * The futex word thread `tid` waits on, by its wait's own record (never its words): parked in
 * `zx_futex_wait`, still in the futex's queue (not woken) and not suspended; else null.
 */
export function parkedFutex(world: World, tid: number): number | null {
  const t = world.threads[tid - 1];
  if (t === undefined || t.end.kind !== "running" || t.k.suspended) return null;
  if (t.pending?.kind !== "block") return null;
  const futex = t.pending.wait.futex?.();
  return futex !== undefined && world.kernel.futexes.waitsOn(futex, t.k) ? futex : null;
}

/**
 * `; its owner t2 was killed holding it` when thread `tid` waits on a service `Mutex`
 * (services/sync.ts) whose futex word holds the handle of a thread that ended: no unlock can
 * come, and the hang is that thread's end, not a lost request.
 */
function deadOwner(world: World, tid: number): string {
  const addr = parkedFutex(world, tid);
  const futexes = world.kernel.futexes;
  if (addr === null || futexes.kindOf(addr) !== "mutex" || !futexes.valid(addr)) return "";
  // The word is the owner's thread handle, its low bit the contested flag.
  const owner = world.kernel.handles.entry(futexes.load(addr) & ~1)?.object;
  if (!(owner instanceof KThread) || owner.alive) return "";
  return `; its owner t${owner.tid} ${owner.killed ? "was killed" : "exited"} holding it`;
}

/**
 * {@linkcode parkedThreads} less `except` and the packet holders {@linkcode whyUnanswered}
 * names (when no wait-for cycle is named instead), so a message lists each parked thread once.
 */
export function parkedBesides(
  world: World,
  holders: PacketHolders,
  except: ReadonlySet<number> = new Set(),
): string[] {
  const named = waitForCycle(world) === null ? holders.parkedTids(world) : [];
  return parkedThreads(world, new Set([...except, ...named]));
}

/**
 * Where thread `tid` stands when a run stopped: `waits on ...` (parked, as in
 * {@linkcode parkedThreads}), `is runnable`, or how it ended (`exited`, `killed`, ...).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { World } from "../sim/world.ts";
 * import { randomStrategy } from "../sim/strategy.ts";
 * import type { Sys } from "../sim/sys.ts";
 * import { threadState } from "./wait_for.ts";
 * const world = new World({ pageSize: 64, strategy: randomStrategy(1) });
 * world.spawn("once", "workload", function* (sys: Sys) {
 *   yield* sys.portCreate(0);
 * });
 * world.run();
 * assert.equal(threadState(world, 1), "exited");
 * assert.equal(threadState(world, 2), "is unknown");
 * ```
 */
export function threadState(world: World, tid: number): string {
  const t = world.threads[tid - 1];
  if (t === undefined) return "is unknown";
  if (t.end.kind !== "running") return t.end.kind === "fault" ? "faulted" : t.end.kind;
  const parked = world.blocked().find((b) => b.tid === tid);
  return parked === undefined ? "is runnable" : `waits on ${parked.on}`;
}

/**
 * The first cycle of the wait-for graph (from the lowest tid on it), as one
 * line, or null when there is none.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { World } from "../sim/world.ts";
 * import { randomStrategy } from "../sim/strategy.ts";
 * import { Mutex } from "../services/sync.ts";
 * import type { Sys } from "../sim/sys.ts";
 * import { waitForCycle } from "./wait_for.ts";
 * const world = new World({ pageSize: 64, strategy: randomStrategy(1) });
 * let a: Mutex | undefined, b: Mutex | undefined;
 * // Each thread takes its first lock before its first scheduling point, then the other's.
 * world.spawn("one", "workload", function* (sys: Sys) {
 *   a = new Mutex(sys, "a");
 *   b = new Mutex(sys, "b");
 *   yield* a.lock(sys);
 *   yield* sys.portCreate(0);
 *   yield* b.lock(sys);
 * });
 * world.spawn("two", "workload", function* (sys: Sys) {
 *   if (a === undefined || b === undefined) throw new Error("one starts first");
 *   yield* b.lock(sys);
 *   yield* sys.portCreate(0);
 *   yield* a.lock(sys);
 * });
 * assert.equal(world.run().verdict.kind, "hang");
 * assert.equal(
 *   waitForCycle(world),
 *   't1 "one" waits on futex 0x40000004 (mutex b) owned by t2 -> ' +
 *     't2 "two" waits on futex 0x40000000 (mutex a) owned by t1 -> t1',
 * );
 * ```
 */
export function waitForCycle(
  world: World,
  packets?: PacketHolders,
  timedOut?: number,
): string | null {
  const nodes = new Map(
    waitForGraph(world).map((n) => [n.tid, withPacketHolder(world, n, packets)]),
  );
  const last = timedOut === undefined ? undefined : packets?.timedOutNode(world, timedOut);
  if (last !== undefined && !nodes.has(last.tid)) nodes.set(last.tid, last);
  const done = new Set<number>();
  for (const start of nodes.keys()) {
    if (done.has(start)) continue;
    // Follow first holders from `start`; a revisit on the current path closes a cycle.
    const path: number[] = [];
    const onPath = new Map<number, number>();
    let at: number | undefined = start;
    while (at !== undefined && nodes.has(at) && !done.has(at)) {
      if (onPath.has(at)) {
        const cycle = path.slice(onPath.get(at));
        if (!closes(nodes, cycle)) break;
        return cycle.map((tid) => {
          const n = nodes.get(tid);
          return n === undefined ? `t${tid}` : `${threadLabel(tid, n.name)} waits on ${n.on}`;
        }).join(" -> ") + ` -> t${at}`;
      }
      onPath.set(at, path.length);
      path.push(at);
      at = nodes.get(at)?.holders[0];
    }
    for (const tid of path) done.add(tid);
  }
  return null;
}

/**
 * Whether a cycle found by first holders really closes: a node that any of several threads could
 * release (`anyOf`) is stuck only if every one of them is, each following its first holders into
 * a cycle (this one or another) rather than to a thread that can still run.
 */
function closes(nodes: ReadonlyMap<number, WaitNode>, cycle: readonly number[]): boolean {
  return cycle.every((tid) => {
    const n = nodes.get(tid);
    if (n?.anyOf !== true) return true;
    return n.holders.every((h) => {
      const seen = new Set<number>();
      let at: number | undefined = h;
      while (at !== undefined && nodes.has(at) && !seen.has(at)) {
        seen.add(at);
        at = nodes.get(at)?.holders[0];
      }
      return at !== undefined && seen.has(at);
    });
  });
}

/**
 * A thread parked on a page request is held by the service thread that took the request's packet
 * and has not answered it (`packets`: {@linkcode PacketHolders}), so a service thread that took a
 * READ and then waits on a lock the parked thread holds closes a cycle (a deadlock between a
 * service's own threads through a page request, not a request merely left at quiescence).
 */
function withPacketHolder(world: World, n: WaitNode, packets?: PacketHolders): WaitNode {
  if (packets === undefined || n.holders.length > 0) return n;
  const k = world.threads[n.tid - 1]?.k;
  const request = k?.waiter?.request;
  const vmo = k?.waiterVmo;
  if (request == null || vmo == null) return n;
  return heldBy(world, n, packets, vmo.koid, request.id);
}

/** {@linkcode withPacketHolder} for node `n` parked on request `id` of VMO `vmo`. */
function heldBy(
  world: World,
  n: WaitNode,
  packets: PacketHolders,
  vmo: number,
  id: number,
): WaitNode {
  if (!packets.unanswered(vmo, id)) return n;
  const taker = packets.takerOf(vmo, id);
  if (taker === undefined) return withPortReceivers(world, n, packets.queuedOn(vmo, id));
  return taker === n.tid ? n : { ...n, on: `${n.on} taken by t${taker}`, holders: [taker] };
}

/**
 * A request whose packet no thread has taken yet waits on its port's receivers (the threads that
 * ever took a packet from that port, but the requester itself): when every one still running is
 * parked (none on the port, or it would have taken the packet), the packet waits for one of them
 * to get free and dequeue it, so a receiver parked on a lock the requester holds closes a cycle
 * (userS24s: t1 "p0.svc" waits on mutex io, owned by the writeback thread t10, whose READ #6 is
 * queued on t1's port behind the READ t1 took). A packet on a port whose receivers all ended, or
 * that no thread ever received from, waits on nobody: a request the service will never take is
 * not a deadlock.
 */
function withPortReceivers(
  world: World,
  n: WaitNode,
  queued: { port: number; receivers: number[] } | undefined,
): WaitNode {
  if (queued === undefined) return n;
  const live = queued.receivers.filter((t) =>
    t !== n.tid && world.threads[t - 1]?.end.kind === "running"
  );
  const parked = (t: number) => world.threads[t - 1]?.pending?.kind === "block";
  if (live.length === 0 || !live.every(parked)) return n;
  return {
    ...n,
    on: `${n.on} queued on port ${queued.port} for ${live.map((t) => `t${t}`).join(" or ")}`,
    holders: live,
    anyOf: live.length > 1,
  };
}

/**
 * A number naming request `id` of the VMO with koid `vmo` (koids stay below 2^20, ids below 2^32):
 * the requests were `vmo#id` strings, built at every dequeue and resolve.
 */
function requestKey(vmo: number, id: number): number {
  return vmo * 2 ** 32 + id;
}

/**
 * Service threads in the middle of serving a request (they took a packet from
 * a port and have not waited on a port since), and the packets they handed
 * off, for the liveness checks: one of them parked on a condition variable (a
 * `CondVar`'s futex wait, which names no owner) while a request goes
 * unanswered is why it goes unanswered: nothing will wake it. A check that
 * finds a request never answered (a hang, an unanswered READ, a request left
 * at quiescence) and no wait-for cycle appends {@linkcode PacketHolders.parked},
 * and `fuzz/signature.ts` signs the failure by the condition variable
 * (`lost-wakeup:condvar NAME`), whichever check caught it.
 *
 * A packet is handed off when the thread that took it wakes a futex
 * (`CondVar.signal` or `broadcast`: a receiver thread queues the packet for a
 * worker and signals) before it waits on a port again; the threads that ever
 * waited on that condition variable are the queue's workers. A packet is held
 * by the thread that last received it until its request is answered: once no
 * service thread can run (a hang, quiescence, or a timeout while every service
 * thread is parked), a worker back on the queue's condition variable holds
 * nothing (it answered its packet, or dropped it), and the workers that left
 * it took the unanswered handed packets: those parked on another condition
 * variable are named, `..., handed a packet by t1 "fs.svc"` (a worker that
 * took a READ and missed the broadcast of `chunk loaded`: that condition
 * variable signs). Handed packets beyond the workers that left the queue's
 * wait were never taken: nobody was woken for them (a receiver's signal that
 * found no waiter, a worker that waits without checking the queue first), and
 * the workers parked on the queue's condition variable are named, `..., never
 * woken for a packet t1 "fs.svc" handed off` (trial36: both read "handed a
 * packet" before, as if each held one). While a
 * service thread can still run (a worker serving the packet as a request times
 * out) a hand-off names nobody. Nor does one through a condition variable
 * whose every hand-off was followed by a look of its own (a worker taking the
 * lock the signal was made under and letting it go without waiting, `#reached`):
 * no wake-up was lost, a worker dropped the packet or left it, and the check
 * signs as itself (trial35: a worker that coalesced a READ into another
 * worker's load, which supplied other pages). What the model cannot see is the
 * queue itself, so two runs are not told apart:
 *
 * - a packet a worker took and dropped, in a run where another hand-off was
 *   followed by no look (every worker busy, or parked without looking), signs
 *   as a signal that found no waiter, the lost wake-up;
 * - a receiver that takes several packets (port waits in between) before it
 *   signals hands off only those taken since its last port wait: an earlier
 *   one lost keeps the check's own signature, as does a packet handed through
 *   anything but a futex (an event, a port of the service's own).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { World } from "../sim/world.ts";
 * import { randomStrategy } from "../sim/strategy.ts";
 * import { CondVar, Mutex } from "../services/sync.ts";
 * import type { Sys } from "../sim/sys.ts";
 * import { PacketHolders } from "./wait_for.ts";
 * const world = new World({ pageSize: 64, strategy: randomStrategy(1) });
 * const holders = new PacketHolders();
 * // A service thread and a client each wait on a condition variable nobody signals.
 * for (const [name, role] of [["svc", "service"], ["client", "workload"]] as const) {
 *   world.spawn(name, role, function* (sys: Sys) {
 *     const m = new Mutex(sys, `${name} lock`);
 *     const c = new CondVar(sys, name === "svc" ? "loaded" : "reply");
 *     yield* m.lock(sys);
 *     yield* c.wait(sys, m);
 *   });
 * }
 * assert.equal(world.run().verdict.kind, "hang");
 * holders.hear({ k: "packet-dequeued", tid: 1, port: 0, vmo: 0, id: 0, packet: {} as never });
 * assert.match(holders.parked(world) ?? "", /^t1 "svc" waits on futex 0x[0-9a-f]+ \(condvar loaded\)$/);
 * ```
 */
export class PacketHolders {
  /** The kinds of event {@linkcode PacketHolders.hear} follows. */
  static readonly KINDS: ReadonlySet<KernelEvent["k"]> = new Set([
    "packet-queued",
    "packet-withdrawn",
    "packet-dequeued",
    "resolve",
    "call",
    "request",
    "coalesce",
    "atomic",
  ]);
  /**
   * Per request, its event: its text as a wait names it (`vmo 1005: READ request #3 pages [0,1)`)
   * is made from it only when a wait is reported.
   */
  readonly #requestEvents = new Map<number, Extract<KernelEvent, { k: "request" }>>();
  /** Per request whose queued packet was withdrawn (untaken), the port it was queued on. */
  readonly #withdrawn = new Map<number, number>();
  /** Per thread, the request it last parked on, by its VMO and id. */
  readonly #parkedOn = new Map<number, { readonly vmo: number; readonly id: number }>();
  /** Service threads that took a packet and have not waited on a port since. */
  readonly #holding = new Set<number>();
  /** The READ and DIRTY packets queued and not yet dequeued or withdrawn, with their requests. */
  readonly #inPort = new QueuedPackets();
  /** Per port, the threads that ever took a packet from it (its receivers). */
  readonly #receivers = new Map<number, Set<number>>();
  /**
   * Per thread, the requests of the packets it took since it last waited on a port (each request
   * by {@linkcode requestKey}, as below).
   */
  readonly #taken = new Map<number, number[]>();
  /** Per futex address, the requests of packets handed off by a wake of it, and by whom. */
  readonly #handed = new Map<number, Map<number, number>>();
  /** Requests resolved: answered, detached, or cancelled by a suspend or a kill. */
  readonly #resolved = new Set<number>();
  /** Per request, the service thread that last took its packet (kept past port waits). */
  readonly #takers = new Map<number, number>();
  /** Per request taken, its packet's command (`ZX_PAGER_VMO_READ`, `ZX_PAGER_VMO_DIRTY`). */
  readonly #commands = new Map<number, number>();
  /** Per futex address, the threads that ever waited on it (a queue's workers, for a hand-off). */
  readonly #futexWaiters = new Map<number, Set<number>>();
  /** The events heard so far: the order of a signal's add and the lock holds after it. */
  #seq = 0;
  /**
   * Per thread, its last atomic add (a `CondVar` signal's): the word, when, and the locks the
   * thread held then.
   */
  readonly #lastAdd = new Map<number, { addr: number; at: number; locks: readonly number[] }>();
  /**
   * Per thread, the words it holds as a `Mutex` (a cas from 0 took it, a swap to 0 let it go),
   * each with when it took it and the futex words it read meanwhile.
   */
  readonly #locks = new Map<number, Map<number, LockHold>>();
  /**
   * The looks at a queue: a lock held after a hand-off's signal was made under it and let go
   * (kept only when some hand-off's signal came before it took the lock).
   */
  readonly #looks: Look[] = [];
  /**
   * The threads with a look kept since they last waited on a futex a hand-off went through: a
   * thread's next look counts only after such a wait.
   */
  readonly #looked = new Set<number>();
  /** The futex words ever taken as a lock (a cas from 0). */
  readonly #lockWords = new Set<number>();
  /** Per futex address, its hand-off wakes, in order. */
  readonly #handoffWakes = new Map<number, HandoffWake[]>();
  /**
   * Per thread, its hand-off wakes since it last waited on a port: a call of its other than a
   * wake makes them unsure ({@linkcode HandoffWake.sure}).
   */
  readonly #sinceWake = new Map<number, HandoffWake[]>();

  /**
   * Follows one kernel event (the checks call it from `immediate`, with the step: a woken
   * waiter's return is named by it).
   */
  hear(e: KernelEvent, step = -1): void {
    const seq = ++this.#seq;
    switch (e.k) {
      case "atomic":
        if (e.op === "add") {
          const locks = [...this.#locks.get(e.tid)?.keys() ?? []];
          this.#lastAdd.set(e.tid, { addr: e.addr, at: seq, locks });
        } else if (e.op === "cas" && e.old === 0 && e.value !== 0) {
          const held = this.#locks.get(e.tid) ?? new Map<number, LockHold>();
          this.#locks.set(e.tid, held);
          held.set(e.addr, { at: seq, loaded: new Set() });
          this.#lockWords.add(e.addr);
        } else if (e.op === "swap" && e.value === 0) {
          const hold = this.#locks.get(e.tid)?.get(e.addr);
          this.#locks.get(e.tid)?.delete(e.addr);
          if (hold !== undefined) this.#letGo(e.tid, e.addr, hold, seq, step);
        } else if (e.op === "load") {
          for (const hold of this.#locks.get(e.tid)?.values() ?? []) hold.loaded.add(e.addr);
        }
        return;
      case "packet-queued":
        this.#inPort.hear(e);
        return;
      case "packet-withdrawn": {
        const q = this.#inPort.hear(e);
        if (q !== undefined) this.#withdrawn.set(requestKey(e.vmo, e.id), q.port);
        return;
      }
      case "packet-dequeued": {
        this.#holding.add(e.tid);
        const receivers = this.#receivers.get(e.port) ?? new Set<number>();
        this.#receivers.set(e.port, receivers);
        receivers.add(e.tid);
        const q = this.#inPort.hear(e);
        if (q === undefined) return;
        const taken = this.#taken.get(e.tid) ?? [];
        this.#taken.set(e.tid, taken);
        const request = requestKey(e.vmo, q.id);
        taken.push(request);
        this.#takers.set(request, e.tid);
        this.#commands.set(request, e.packet.command);
        return;
      }
      case "request":
        this.#requestEvents.set(requestKey(e.vmo, e.id), e);
        // (The event names the request by its VMO and id: kept, not copied.)
        this.#parkedOn.set(e.tid, e);
        return;
      case "coalesce":
        this.#parkedOn.set(e.tid, e);
        return;
      case "resolve":
        // A request the overtime timeout cancelled went unanswered: its hand-off still counts.
        if (e.status !== ZX_ERR_TIMED_OUT) this.#resolved.add(requestKey(e.vmo, e.id));
        return;
      case "call":
        if (
          e.name !== "zx_futex_wake" && e.name !== "zx_futex_requeue" && e.name !== "zx_port_wait"
        ) {
          for (const w of this.#sinceWake.get(e.tid) ?? []) w.sure = false;
        }
        if (e.name === "zx_port_wait") {
          this.#holding.delete(e.tid);
          this.#taken.delete(e.tid);
          this.#sinceWake.delete(e.tid);
        } else if (e.name === "zx_futex_wait" && typeof e.args[0] === "number") {
          const waiters = this.#futexWaiters.get(e.args[0]) ?? new Set<number>();
          this.#futexWaiters.set(e.args[0], waiters);
          waiters.add(e.tid);
          // A wait on a condition variable a hand-off went through (not a contended lock's word).
          if (this.#handoffWakes.has(e.args[0]) && !this.#lockWords.has(e.args[0])) {
            this.#looked.delete(e.tid);
          }
        } else if (e.name === "zx_futex_wake" || e.name === "zx_futex_requeue") {
          this.#hearWake(e.tid, e.args[0]);
        }
        return;
    }
  }

  /**
   * Thread `tid` let go of lock `addr`, taken at `hold.at`: a look at what the lock guards, kept
   * when a hand-off's signal was made under that lock before the thread took it (the packet was
   * queued by then: the waker held the lock from before it queued the packet to its wake).
   */
  #letGo(tid: number, addr: number, hold: LockHold, seq: number, step: number): void {
    // One look per wait: a worker that looks, then takes in a second hold of the lock (userS23's
    // tinyfs_lostwake.ts checks for work, lets go, and takes it later) takes one packet.
    if (this.#looked.has(tid)) return;
    for (const wakes of this.#handoffWakes.values()) {
      for (const w of wakes) {
        const s = w.signal;
        if (s === undefined || w.by === tid || s.at > hold.at || !s.locks.includes(addr)) continue;
        this.#looks.push({ tid, addr, at: hold.at, loaded: hold.loaded, step, id: seq });
        this.#looked.add(tid);
        return;
      }
    }
  }

  /** A futex wake or requeue call by thread `tid` holding packets it took: a hand-off. */
  #hearWake(tid: number, futex: unknown): void {
    const taken = this.#taken.get(tid);
    if (taken === undefined || taken.length === 0 || typeof futex !== "number") return;
    const handed = this.#handed.get(futex) ?? new Map<number, number>();
    this.#handed.set(futex, handed);
    for (const request of taken) handed.set(request, tid);
    const wakes = this.#handoffWakes.get(futex) ?? [];
    this.#handoffWakes.set(futex, wakes);
    // The signal (`CondVar.signal` adds to the word, then wakes), if made holding a lock.
    const add = this.#lastAdd.get(tid);
    const signal = add?.addr === futex && add.locks.length > 0
      ? { at: add.at, locks: add.locks }
      : undefined;
    const wake: HandoffWake = { requests: [...taken], sure: true, signal, by: tid };
    wakes.push(wake);
    const since = this.#sinceWake.get(tid) ?? [];
    this.#sinceWake.set(tid, since);
    since.push(wake);
  }

  /**
   * Who reached each hand-off of condition variable `futex`, when every one was reached; else
   * null. A hand-off is reached by a look of its own ({@linkcode Look}): one of the condition
   * variable's workers (a thread that ever waited on it) took the lock the signal was made under
   * after the signal, and let it go without reading the condition variable's word (`CondVar.wait`
   * reads it before it lets the lock go to wait: a worker that looked, found nothing and waited
   * again, or that waits without looking, is no look). That is a waiter woken for the packet
   * taking the lock again, or a busy worker back at the queue that takes the next packet without
   * waiting: either looked once the packet was queued, so no wake-up was lost, and a packet
   * still unanswered was taken and dropped, or left there by a worker that did not take it
   * (trial35: a worker coalesced a READ into the other's load, which supplied other pages). Every
   * hand-off, answered or not, needs a look of its own: one with none (a signal that found every
   * worker parked without looking, a worker that takes one packet per wait: the README trial's
   * blob pager, examples/testdata/trial_lost_wakeup/) left a packet behind that a later look took
   * instead of its own. A hand-off made before its packet was queued
   * ({@linkcode HandoffWake.sure}) or not under a lock is never reached.
   */
  #reached(futex: number): Map<number, Look> | null {
    const wakes = this.#handoffWakes.get(futex) ?? [];
    const workers = this.#futexWaiters.get(futex);
    if (wakes.length === 0 || workers === undefined) return null;
    const looks = this.#looks.filter((l) => workers.has(l.tid) && !l.loaded.has(futex));
    const fits = wakes.map((w) => {
      const s = w.signal;
      if (!w.sure || s === undefined) return [];
      return looks.flatMap((l, i) =>
        l.tid !== w.by && l.at > s.at && s.locks.includes(l.addr) ? [i] : []
      );
    });
    // A matching of hand-offs to distinct looks (augmenting paths: a handful of each).
    const owner = new Map<number, number>();
    const place = (i: number, seen: Set<number>): boolean => {
      for (const j of fits[i]) {
        if (seen.has(j)) continue;
        seen.add(j);
        const other = owner.get(j);
        if (other === undefined || place(other, seen)) {
          owner.set(j, i);
          return true;
        }
      }
      return false;
    };
    if (!wakes.every((_, i) => place(i, new Set()))) return null;
    return new Map([...owner].map(([j, i]) => [i, looks[j]]));
  }

  /** Whether every hand-off of `futex` was reached (`#reached`). */
  #everyHandoffWoke(futex: number): boolean {
    return this.#reached(futex) !== null;
  }

  /**
   * The workers of the condition variable request `id` of VMO `vmo` was handed off through that
   * took the lock its signal was made under after that signal and let it go without waiting
   * (looks, {@linkcode Look}), each with the step of its first such look, when every hand-off
   * through that condition variable was reached by a look of its own (no wake-up was lost); else
   * undefined.
   */
  wokenFor(vmo: number, id: number): Map<number, number> | undefined {
    const request = requestKey(vmo, id);
    for (const [futex, handed] of this.#handed) {
      if (!handed.has(request)) continue;
      if (this.#reached(futex) === null) return undefined;
      const out = new Map<number, number>();
      const workers = this.#futexWaiters.get(futex);
      for (const w of this.#handoffWakes.get(futex) ?? []) {
        const s = w.signal;
        if (s === undefined || !w.requests.includes(request)) continue;
        for (const l of this.#looks) {
          if (
            l.tid !== w.by && l.at > s.at && s.locks.includes(l.addr) && !l.loaded.has(futex) &&
            (workers?.has(l.tid) ?? false) && !out.has(l.tid)
          ) out.set(l.tid, l.step);
        }
      }
      return out;
    }
    return undefined;
  }

  /**
   * The service threads holding a packet, or handed one, that are parked on a
   * condition variable, as `t2 "p0.svc" waits on futex 0x40000004 (condvar
   * block loaded)` (and `, handed a packet by t1 "fs.svc"`) joined by ` & `;
   * null when none is.
   */
  parked(world: World): string | null {
    return this.parkedWhy(world)?.text ?? null;
  }

  /**
   * {@linkcode parked}'s text and, as data, the condition variables those threads are parked on
   * (`condvar NAME`, by the futexes' labels: {@linkcode FailureFacts.lostWakeup}); null when none
   * is.
   */
  parkedWhy(world: World): Why | null {
    return parkedWhy(world, this.#parked(world));
  }

  /** True while request `id` of VMO `vmo` has had no answer (a resolve other than a timeout). */
  unanswered(vmo: number, id: number): boolean {
    return !this.#resolved.has(requestKey(vmo, id));
  }

  /** The thread that last took the packet of request `id` of VMO `vmo`, if one did. */
  takerOf(vmo: number, id: number): number | undefined {
    return this.#takers.get(requestKey(vmo, id));
  }

  /**
   * Where the packet of request `id` of VMO `vmo` waits when no thread has taken it yet: its port
   * and the threads that ever took a packet from that port (its receivers, in tid order); undefined
   * once it was taken, withdrawn or answered.
   */
  queuedOn(vmo: number, id: number): { port: number; receivers: number[] } | undefined {
    if (this.#resolved.has(requestKey(vmo, id))) return undefined;
    const q = this.#inPort.find(vmo, id);
    if (q === undefined) return undefined;
    return {
      port: q.port,
      receivers: [...(this.#receivers.get(q.port) ?? [])].sort((a, b) => a - b),
    };
  }

  /**
   * The wait-for node of thread `tid`, whose page-request wait the overtime timeout just ended
   * (a P1 timeout, judged at the end of that step): it waited on the request it last parked on,
   * held as a parked thread's is ({@linkcode withPacketHolder}), so a cycle the timeout broke is
   * still named (userS24s: the flush thread joined the READ the service thread took, and the
   * service thread waits on the flush's mutex). Undefined when it parked on no request.
   */
  timedOutNode(world: World, tid: number): WaitNode | undefined {
    const at = this.#parkedOn.get(tid);
    const t = world.threads[tid - 1];
    if (at === undefined || t === undefined || t.end.kind !== "running") return undefined;
    const r = this.#requestEvents.get(requestKey(at.vmo, at.id));
    const text = r === undefined
      ? `vmo ${at.vmo}: request #${at.id}`
      : `vmo ${r.vmo}: ${r.type} request #${r.id} pages [${r.start},${r.end})`;
    const n = { tid, name: t.name, on: `${text} (timed out)`, holders: [] };
    const held = heldBy(world, n, this, at.vmo, at.id);
    // The timeout cancelled the request and withdrew its packet, untaken: it was queued there.
    const key = requestKey(at.vmo, at.id);
    const port = this.#withdrawn.get(key);
    if (held.holders.length > 0 || port === undefined || this.#resolved.has(key)) return held;
    if (this.#takers.has(key)) return held;
    const receivers = [...(this.#receivers.get(port) ?? [])].sort((a, b) => a - b);
    return withPortReceivers(world, n, { port, receivers });
  }

  /** The command of the packet of request `id` of VMO `vmo` a service thread took, if one did. */
  commandOf(vmo: number, id: number): number | undefined {
    return this.#commands.get(requestKey(vmo, id));
  }

  /**
   * The hand-off of request `id` of VMO `vmo` by the thread that took its packet, if it woke a
   * futex after taking it (a receiver queueing it for a worker and signalling the queue's
   * condition variable, README "Threads, locks and signals"): the futex, who woke it, and the
   * other threads that ever waited on it (the queue's workers, one of which took it), in tid order.
   */
  handoff(vmo: number, id: number): { futex: number; by: number; to: number[] } | undefined {
    const request = requestKey(vmo, id);
    for (const [futex, handed] of this.#handed) {
      const by = handed.get(request);
      if (by === undefined) continue;
      const to = [...(this.#futexWaiters.get(futex) ?? [])].filter((t) => t !== by)
        .sort((a, b) => a - b);
      return { futex, by, to };
    }
    return undefined;
  }

  /**
   * The request of the packet thread `tid` took last (since its last port wait), by its VMO and
   * id; undefined if it took none or the packet was not a queued READ or DIRTY.
   */
  lastTaken(tid: number): { vmo: number; id: number } | undefined {
    const taken = this.#taken.get(tid);
    const request = taken?.[taken.length - 1];
    if (request === undefined) return undefined;
    return { vmo: Math.floor(request / 2 ** 32), id: request % 2 ** 32 };
  }

  /** The thread ids {@linkcode parked} names. */
  parkedTids(world: World): number[] {
    return this.#parked(world).map(({ node }) => node.tid);
  }

  /**
   * Whether thread `tid` last took the packet of a request still unanswered. A service that
   * batches polls its port (a wait that times out, or takes the next packet) between taking a
   * packet and serving it: it still holds the first, so parked on a condition variable it is the
   * same lost wake-up as a thread that never waited on its port again.
   */
  #holdsUnanswered(tid: number): boolean {
    for (const [request, taker] of this.#takers) {
      if (taker === tid && !this.#resolved.has(request)) return true;
    }
    return false;
  }

  #parked(world: World): { node: WaitNode; handed?: Handed }[] {
    const graph = waitForGraph(world);
    const handed = new Map<number, { by: number; count: number }>();
    for (const [futex, requests] of this.#handed) {
      const open = [...requests].filter(([request]) => !this.#resolved.has(request));
      if (open.length > 0) handed.set(futex, { by: open[0][1], count: open.length });
    }
    const handedTo = handedHolders(
      world,
      graph,
      handed,
      this.#futexWaiters,
      (futex) => this.#everyHandoffWoke(futex),
    );
    const out: { node: WaitNode; handed?: Handed }[] = [];
    for (const n of graph) {
      if (condvarWait(world, n) === null) continue;
      if (this.#holding.has(n.tid) || this.#holdsUnanswered(n.tid)) out.push({ node: n });
      else if (handedTo.has(n.tid)) out.push({ node: n, handed: handedTo.get(n.tid) });
    }
    return out;
  }
}

/**
 * A wake of a futex by a thread holding packets it took since its last port wait (a hand-off,
 * {@linkcode PacketHolders.handoff}).
 */
interface HandoffWake {
  /** The requests of the packets it held. */
  readonly requests: readonly number[];
  /**
   * Whether the packets were on the queue by the time a waiter it woke could look: the waker made
   * no call but wakes (a mutex's unlock, another signal) from the wake to its next port wait.
   * A call in between (a lock it waited for, a `zx_vmo_get_size`) let the woken waiter run before
   * the waker queued the packet, a lost wake-up (userS28s's fs_a2.ts signals, then queues).
   */
  sure: boolean;
  /**
   * The waker's atomic add to the futex word just before (a `CondVar` signal's), made holding a
   * lock: when, and the locks it held.
   */
  readonly signal?: { readonly at: number; readonly locks: readonly number[] };
  /** The waker. */
  readonly by: number;
}

/** A lock a thread holds: when it took it, and the futex words it read since. */
interface LockHold {
  readonly at: number;
  readonly loaded: Set<number>;
}

/**
 * A look at what a lock guards ({@linkcode PacketHolders}' hand-offs): thread `tid` held lock
 * `addr` from `at` (the order of events heard) and let it go at step `step` (`id`, the order of
 * that event), having read the futex words `loaded` meanwhile.
 */
interface Look {
  readonly tid: number;
  readonly addr: number;
  readonly at: number;
  readonly loaded: ReadonlySet<number>;
  readonly step: number;
  readonly id: number;
}

/**
 * Whether no service thread can run (each ended, suspended, or parked on a wait not ready): a
 * service thread that can still run may yet take a handed packet from the queue (a slow service,
 * not a lost wake-up), so hand-offs count only once none can.
 */
function servicesIdle(world: World): boolean {
  const now = world.kernel.now;
  return world.threads.every((t) =>
    t.role !== "service" || t.end.kind !== "running" || t.k.suspended || t.pending === null ||
    (t.pending.kind === "block" && !t.pending.wait.ready(now))
  );
}

/**
 * Who holds the packets handed off through condition variables, once no service thread can run
 * (else nobody: a worker that can run may yet take one from the queue). `handed`: per futex, the
 * packets handed through it still unanswered (`count`) and who handed them (`by`); `workers`: per
 * futex, the threads that ever waited on it (the queue's workers). A worker back on the queue's
 * own condition variable holds nothing (it served its packet, or dropped it: not told apart);
 * the workers that left it and are still running took the packets, so those parked on another
 * condition variable hold one each (userS24: a worker that took a READ from the queue and waits
 * on `chunk loaded`, whose broadcast it missed, while the other worker, its READ answered, waits
 * on `queue nonempty`). Packets beyond those workers were never taken: nobody was woken for them,
 * and the workers parked on the queue's condition variable are the ones they were handed to.
 * Returns each thread to name, parked on a condition variable, with who handed it a packet.
 */
/**
 * A service thread a packet was handed to: `by` handed it off (woke the queue's condition variable
 * holding it), and the thread `took` it (it left the queue's wait and is parked on another
 * condition variable) or was never woken for it (still parked on the queue's).
 */
interface Handed {
  readonly by: number;
  readonly took: boolean;
}

function handedHolders(
  world: World,
  graph: readonly WaitNode[],
  handed: ReadonlyMap<number, { readonly by: number; readonly count: number }>,
  workers: ReadonlyMap<number, ReadonlySet<number>>,
  everyHandoffWoke: (futex: number) => boolean = () => false,
): Map<number, Handed> {
  const out = new Map<number, Handed>();
  if (handed.size === 0 || !servicesIdle(world)) return out;
  const condvar = new Map<number, number>(); // tid -> the condvar futex it is parked on
  for (const n of graph) {
    const futex = condvarWait(world, n);
    if (futex !== null) condvar.set(n.tid, futex);
  }
  for (const [futex, { by, count }] of handed) {
    // A mutex's unlock wakes its futex too, and its waiters are not a queue's workers.
    if (world.kernel.futexes.kindOf(futex) !== "condvar") continue;
    const waiting = [...condvar].filter(([, f]) => f === futex).map(([t]) => t);
    const mine = [...new Set([...(workers.get(futex) ?? []), ...waiting])].filter((t) =>
      t !== by && world.threads[t - 1]?.end.kind === "running"
    ).sort((a, b) => a - b);
    // Left the queue's wait: each took a packet (parked or not: a suspended one holds it too).
    const took = mine.filter((t) => condvar.get(t) !== futex);
    for (const t of took) if (condvar.has(t)) out.set(t, { by, took: true });
    // Unless every wake that handed one still unanswered woke a waiter: then none was lost, and
    // the woken worker back on the queue's wait dropped it (trial35), which the check signs.
    if (count > took.length && !everyHandoffWoke(futex)) {
      for (const t of mine) if (condvar.get(t) === futex) out.set(t, { by, took: false });
    }
  }
  return out;
}

/** The futex word of a service thread's wait on a `CondVar` (which nothing owns), or null. */
function condvarWait(world: World, n: WaitNode): number | null {
  if (world.threads[n.tid - 1]?.role !== "service" || n.holders.length !== 0) return null;
  const futex = n.futex;
  return futex === undefined || world.kernel.futexes.kindOf(futex) !== "condvar" ? null : futex;
}

/**
 * Why a request goes unanswered, for a liveness check: `text` ends its message (`; wait-for
 * cycle: ...`, `; parked holding a packet: ...`, or ""), `facts` are what the failure's
 * signature reads (properties/signature.ts), never the text.
 */
export interface Why {
  /** The tail of the check's message: `; wait-for cycle: ...`, `; parked holding a packet: ...`. */
  readonly text: string;
  /** What a signature reads: the parked threads' condition variables (none for a cycle). */
  readonly facts?: FailureFacts;
}

/**
 * The threads in `parked` (each parked on a condition variable, with who handed it a packet, if
 * anyone did), as `parkedText`s joined by ` & `, with the condition variables' labels as facts;
 * null for none.
 */
function parkedWhy(
  world: World,
  parked: readonly { readonly node: WaitNode; readonly handed?: Handed }[],
): Why | null {
  if (parked.length === 0) return null;
  const futexes = world.kernel.futexes;
  const lostWakeup = parked.map(({ node }) =>
    `condvar ${futexes.nameOf(node.futex as number) ?? ""}`
  );
  return {
    text: parked.map(({ node, handed }) => parkedText(world, node, handed)).join(" & "),
    facts: { lostWakeup },
  };
}

/**
 * `t2 "w" waits on futex 0x40000004 (condvar c)`, then `, handed a packet by t1 "r"` if it took a
 * packet `t1` handed off, or `, never woken for a packet t1 "r" handed off` if it still waits on
 * the condition variable the packet was handed through (trial36: two workers parked on the queue's
 * condition variable, one READ queued, both read "handed a packet", as if each had taken one).
 */
function parkedText(world: World, n: WaitNode, handed?: Handed): string {
  const head = `${threadLabel(n.tid, n.name)} waits on ${n.on}`;
  if (handed === undefined) return head;
  const t = world.threads[handed.by - 1];
  const from = t === undefined ? `t${handed.by}` : threadLabel(handed.by, t.name);
  return handed.took
    ? `${head}, handed a packet by ${from}`
    : `${head}, never woken for a packet ${from} handed off`;
}

/**
 * {@linkcode PacketHolders.parked} for a packet a check follows itself (writeback-served W3:
 * the writeback request is a user packet, which `PacketHolders` does not follow): `holder`, the
 * service thread still holding it, if parked on a condition variable; and, once no service thread
 * can run, who holds it if `by` handed it off through the condition variables `handed` (the
 * futexes `by` woke while holding it), as for a page request: a worker of one (in `workers`, per
 * futex the threads that ever waited on it) that left its wait and is parked on another condition
 * variable, else the ones parked on it; joined by ` & `; null when none is.
 */
export function parkedOnHandoff(
  world: World,
  holder: number | undefined,
  by: number,
  handed: ReadonlySet<number>,
  workers: ReadonlyMap<number, ReadonlySet<number>>,
): Why | null {
  const graph = waitForGraph(world);
  const handedTo = handedHolders(
    world,
    graph,
    new Map([...handed].map((futex) => [futex, { by, count: 1 }])),
    workers,
  );
  const out: { node: WaitNode; handed?: Handed }[] = [];
  for (const n of graph) {
    if (condvarWait(world, n) === null) continue;
    if (n.tid === holder) out.push({ node: n });
    else if (handedTo.has(n.tid)) out.push({ node: n, handed: handedTo.get(n.tid) });
  }
  return parkedWhy(world, out);
}

/**
 * Why a request goes unanswered, for a liveness check's message: the wait-for
 * cycle (`; wait-for cycle: ...`), else the packet holders parked on a
 * condition variable (`; parked holding a packet: ...`), else nothing.
 */
export function whyUnanswered(
  world: World,
  holders: PacketHolders,
  timedOut?: number,
): Why {
  const cycle = waitForCycle(world, holders, timedOut);
  if (cycle !== null) return { text: `; wait-for cycle: ${cycle}` };
  return parkedHolding(holders.parkedWhy(world));
}

/** `; parked holding a packet: ...` and its facts, from {@linkcode parkedWhy}'s; none for null. */
export function parkedHolding(parked: Why | null): Why {
  return parked === null
    ? { text: "" }
    : { text: `; parked holding a packet: ${parked.text}`, facts: parked.facts };
}
