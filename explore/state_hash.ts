/**
 * The fingerprint of a world state, for "a state reached twice is explored
 * once". Threads are generators and cannot be hashed, but a thread's local
 * state is a deterministic function of what it has seen: the syscalls it made
 * with their arguments and results, the packets and bytes it received, and
 * its random draws. So a state is (each thread's history, the canonical
 * kernel state): page slots and contents, outstanding requests and their
 * waiters, each proxy's queue, port queues, the handle table, thread
 * suspend/kill/wait states, mappings, and time.
 *
 * Request ids are global counters that differ between interleavings, so
 * requests are named by their range and their creation rank within the VMO.
 *
 * @module
 */

import { present } from "../kernel/assert.ts";
import type { KernelEvent, PagePacket } from "../kernel/events.ts";
import type { KernelObject } from "../kernel/handles.ts";
import {
  Event,
  KThread,
  MARKER,
  type Page,
  Pager,
  SuspendToken,
  Vmar,
  Vmo,
  ZeroSlot,
} from "../kernel/objects.ts";
import type { PageRequest, Waiter } from "../kernel/page_source.ts";
import { Port } from "../kernel/port.ts";
import type { Monitor, World } from "../sim/world.ts";
import { ContentHashes, type Fingerprint, Hasher } from "./_hasher.ts";

/**
 * Canonical names of handle values and koids: the k-th one thread t created
 * is `t.k`, whatever the global counters said. States that differ only in the
 * order threads allocated handles are the same up to renaming, and nothing in
 * the kernel depends on the numbers themselves.
 */
export class Names {
  readonly #handles = new Map<number, string>();
  readonly #koids = new Map<number, string>();
  readonly #seenHandles = new Set<number>();
  readonly #seenKoids = new Set<number>();
  readonly #counts = new Map<number, number>();
  #baseline = false;

  /** An independent copy: naming in one does not change the other. */
  clone(): Names {
    const n = new Names();
    for (const [k, v] of this.#handles) n.#handles.set(k, v);
    for (const [k, v] of this.#koids) n.#koids.set(k, v);
    for (const k of this.#seenHandles) n.#seenHandles.add(k);
    for (const k of this.#seenKoids) n.#seenKoids.add(k);
    for (const [k, v] of this.#counts) n.#counts.set(k, v);
    n.#baseline = this.#baseline;
    return n;
  }

  /** Marks everything created so far (process setup) as keeping its own number. */
  baseline(kernel: import("../kernel/kernel.ts").Kernel): void {
    if (this.#baseline) return;
    this.#baseline = true;
    for (const [value, entry] of kernel.handles) {
      this.#seenHandles.add(value);
      this.#seenKoids.add(entry.object.koid);
    }
  }

  /** Names the handles and objects thread `tid` created during its step. */
  step(kernel: import("../kernel/kernel.ts").Kernel, tid: number): void {
    this.baseline(kernel);
    for (const [value, entry] of kernel.handles) {
      if (!this.#seenHandles.has(value)) {
        this.#seenHandles.add(value);
        this.#handles.set(value, this.#next(tid));
      }
      const koid = entry.object.koid;
      if (!this.#seenKoids.has(koid)) {
        this.#seenKoids.add(koid);
        this.#koids.set(koid, this.#next(tid));
      }
    }
  }

  #next(tid: number): string {
    const n = this.#counts.get(tid) ?? 0;
    this.#counts.set(tid, n + 1);
    return `${tid}.${n}`;
  }

  /** The canonical name of a number that may be a handle value. */
  handle(value: number): string {
    return this.#handles.get(value) ?? `#${value}`;
  }

  /** The canonical name of a koid. */
  koid(koid: number): string {
    return this.#koids.get(koid) ?? `#${koid}`;
  }
}

/**
 * Per-thread histories. A thread's future depends on what its completed
 * syscalls returned (status, copied bytes, dequeued packets) and its draws,
 * plus everything the call in flight has observed so far: how a finished call
 * got there (its wakes, blocks, requests, steps) no longer matters, so those
 * are dropped when it returns and interleavings that differ only there merge.
 */
export class ThreadHistories {
  /** Completed calls, draws and thread events outside calls. */
  readonly #done = new Map<number, Hasher>();
  /** The call in flight: everything it observed. */
  readonly #now = new Map<number, Hasher>();
  /** The call in flight: what it will have returned (copies, packets). */
  readonly #payload = new Map<number, Hasher>();

  /** An independent copy: events added to one do not change the other. */
  clone(): ThreadHistories {
    const c = new ThreadHistories();
    for (const [tid, h] of this.#done) c.#done.set(tid, h.clone());
    for (const [tid, h] of this.#now) c.#now.set(tid, h.clone());
    for (const [tid, h] of this.#payload) c.#payload.set(tid, h.clone());
    return c;
  }

  /** True while thread `tid` is inside a syscall (between its call and its return). */
  inCall(tid: number): boolean {
    return this.#now.has(tid);
  }

  #doneOf(tid: number): Hasher {
    let h = this.#done.get(tid);
    if (h === undefined) {
      h = new Hasher().word(tid);
      this.#done.set(tid, h);
    }
    return h;
  }

  /** Where an event observed by `tid` goes: the call in flight, or the settled history. */
  #live(tid: number): Hasher {
    return this.#now.get(tid) ?? this.#doneOf(tid);
  }

  /** Adds an event to the history of the thread it belongs to (if any). */
  event(e: KernelEvent, names: Names): void {
    switch (e.k) {
      case "call": {
        const now = new Hasher().word(1).str(e.name).word(e.args.length);
        const payload = new Hasher().str(e.name).word(e.args.length);
        for (const a of e.args) {
          const text = typeof a === "number" ? names.handle(a) : JSON.stringify(a) ?? String(a);
          now.str(text);
          payload.str(text);
        }
        this.#now.set(e.tid, now);
        this.#payload.set(e.tid, payload);
        return;
      }
      case "ret": {
        const payload = this.#payload.get(e.tid);
        const done = this.#doneOf(e.tid).word(2).str(e.name).num(e.status);
        if (payload !== undefined) done.mix(payload.value);
        this.#now.delete(e.tid);
        this.#payload.delete(e.tid);
        return;
      }
      case "request":
        this.#live(e.tid).word(11).num(e.vmo).str(e.type).num(e.start).num(e.end);
        return;
      case "coalesce":
        this.#live(e.tid).word(12).num(e.vmo);
        return;
      case "wake":
        this.#live(e.tid).word(3).num(e.status).str(e.why);
        return;
      case "block":
        this.#live(e.tid).word(4);
        return;
      case "copy":
        this.#live(e.tid).word(5).num(e.offset).bytes(e.bytes);
        this.#payload.get(e.tid)?.word(5).num(e.offset).bytes(e.bytes);
        return;
      case "packet-dequeued":
        packet(this.#live(e.tid).word(6), e.packet);
        if (this.#payload.has(e.tid)) {
          packet(
            present(this.#payload.get(e.tid), "state_hash: a payload hasher").word(6),
            e.packet,
          );
        }
        return;
      case "page-fault":
        this.#now.delete(e.tid);
        this.#payload.delete(e.tid);
        this.#doneOf(e.tid).word(7).num(e.addr).num(e.synth);
        return;
      case "thread":
        this.#live(e.tid).word(8).str(e.what);
        return;
      case "atomic":
        // What a thread read from a futex word is part of its local state.
        this.#live(e.tid).word(13).num(e.addr).str(e.op).num(e.old).num(e.value);
        return;
      case "observed":
        this.#live(e.tid).word(14).str(names.koid(e.koid)).num(e.signals).num(e.key);
        this.#payload.get(e.tid)?.word(14).str(names.koid(e.koid)).num(e.signals).num(e.key);
        return;
    }
  }

  /**
   * Thread `tid` declared its whole past summed up by `key` (see
   * `Sys.checkpoint`): its history starts again from the key, so runs that
   * differ only in what it has forgotten (e.g. the order a stateless
   * service answered earlier packets in) reach the same state.
   */
  checkpoint(tid: number, key: string): void {
    this.#done.set(tid, new Hasher().word(tid).str(key));
    this.#now.delete(tid);
    this.#payload.delete(tid);
  }

  /** A random draw of thread `tid` (its value is part of its local state). */
  draw(tid: number, n: number, value: number): void {
    this.#live(tid).word(9).word(n).word(value);
    this.#payload.get(tid)?.word(9).word(n).word(value);
  }

  /** One scheduler step of thread `tid`. */
  step(tid: number): void {
    this.#live(tid).word(10);
  }

  /** The history fingerprint of a thread. */
  of(tid: number): Fingerprint {
    const now = this.#now.get(tid);
    const h = new Hasher().mix(this.#doneOf(tid).value);
    return (now === undefined ? h.word(0) : h.word(1).mix(now.value)).value;
  }
}

function packet(h: Hasher, p: PagePacket): Hasher {
  return h.num(p.type).num(p.key).num(p.command).num(p.offset).num(p.length);
}

function waiter(h: Hasher, w: Waiter, ranks: Map<PageRequest, number>): void {
  h.word(w.tid).word(w.waiting ? 1 : 0).num(w.status).num(w.error).num(w.start).num(w.end)
    .word(w.earlyWake ? 1 : 0).num(w.wakePage).num(w.deadline === Infinity ? -1 : w.deadline)
    .num(w.request === null ? -1 : ranks.get(w.request) ?? -2)
    .num(w.pendingSignal === null ? 1 : w.pendingSignal);
  // A usercopy's fault wait, which a suspend does not interrupt (hashed only then: older
  // states keep their hashes).
  if (!w.suspendable) h.word(0x5e);
}

function vmo(
  h: Hasher,
  v: Vmo,
  ranks: Map<PageRequest, number>,
  n: Names,
  pages: ContentHashes,
): void {
  h.word(0x11).str(n.koid(v.koid)).num(v.size).num(v.handleCount).num(v.mappings).num(v.inflight)
    .word(v.dead ? 1 : 0).num(v.userChildren.length).num(v.userSignals);
  for (let p = 0; p < v.slots.length; p++) {
    const s = v.slots[p];
    if (s === undefined) continue;
    h.num(p);
    if (s === MARKER) h.word(1);
    // A zero slot (OP_ZERO, a grown VMO) has no bytes: it reads as zeros.
    else if (s instanceof ZeroSlot) h.word(2).num(s.awaitingEnd);
    // The bytes go in as their own fingerprint (memoized by content: most pages repeat).
    else {h.word(3).str((s as Page).state).mix(pages.of((s as Page).peek())).word(
        (s as Page).shared ? 1 : 0,
      );}
  }
  h.word(0xffff);
  const source = v.source;
  if (source === null) return;
  h.word(source.detached ? 1 : 0);
  const requests = [...source.outstanding("READ"), ...source.outstanding("DIRTY")];
  for (const r of requests) {
    h.str(r.type).num(r.start).num(r.end).num(r.pending)
      .num(present(ranks.get(r), "state_hash: an outstanding request's rank"));
    for (const w of r.waiters()) waiter(h, w, ranks);
    h.word(r.primary === null ? 0 : 1);
  }
  const proxy = present(v.proxy, "state_hash: the proxy of a VMO with a page source");
  h.num(proxy.pendingCount).word(proxy.stuck ? 1 : 0).word(proxy.completeQueued ? 1 : 0)
    .num(proxy.completesDelivered);
}

function object(
  h: Hasher,
  o: KernelObject,
  ranks: Map<PageRequest, number>,
  n: Names,
  pages: ContentHashes,
): void {
  if (o instanceof Vmo) return vmo(h, o, ranks, n, pages);
  if (o instanceof Port) {
    h.word(0x12).str(n.koid(o.koid)).num(o.handleCount);
    for (const p of o.packets()) {
      if ("command" in p) packet(h, p);
      else if ("signal" in p) {
        h.num(p.type).num(p.key).num(p.signal.trigger).num(p.signal.observed)
          .num(p.signal.timestamp);
      } else h.num(p.type).num(p.key).num(p.status).str(JSON.stringify(p.user));
    }
    return;
  }
  if (o instanceof Pager) {
    h.word(0x13).str(n.koid(o.koid)).num(o.handleCount).word(o.closed ? 1 : 0);
    for (const v of o.vmos) h.str(n.koid(v.koid));
    return;
  }
  if (o instanceof KThread) {
    h.word(0x14).str(n.koid(o.koid)).num(o.handleCount).num(o.suspendCount)
      .word(o.killed ? 1 : 0).word(o.exited ? 1 : 0).str(
        o.waiterVmo ? n.koid(o.waiterVmo.koid) : "-",
      );
    // Inside a file's open or close, and a kill waiting for its return (0, 0 everywhere else).
    h.num(o.entries).word(o.killDeferred ? 1 : 0);
    if (o.waiter !== null) waiter(h, o.waiter, ranks);
    for (const v of o.held) h.str(n.koid(v.koid));
    return;
  }
  if (o instanceof SuspendToken) {
    h.word(0x15).str(n.koid(o.koid)).num(o.handleCount).word(o.released ? 1 : 0).word(o.thread.tid);
    return;
  }
  if (o instanceof Event) {
    h.word(0x18).str(n.koid(o.koid)).num(o.handleCount).num(o.signals);
    return;
  }
  if (o instanceof Vmar) {
    h.word(0x16).str(n.koid(o.koid)).num(o.nextAddr);
    for (const m of o.mappings) {
      h.num(m.addr).num(m.len).str(n.koid(m.vmo.koid)).num(m.vmoOffset).word(m.writable ? 1 : 0);
    }
    return;
  }
  h.word(0x17).str(n.koid(o.koid)).num(o.objType).num(o.handleCount);
}

/**
 * The fingerprint of the world's state: thread histories, canonical kernel
 * state, and what the monitors remember beyond it (`Monitor.stateKey`); the
 * clock only when `timed` (virtual time decides what runs). `null` when a thread is parked inside a syscall at a point that is
 * not a wait: what it has read there is in no event, so its local state
 * cannot be told apart (only kernel variants that drop a lock mid-call do this).
 * `pages` memoizes page contents' fingerprints (a search keeps one; the result is the same).
 */
export function stateFingerprint(
  world: World,
  histories: ThreadHistories,
  names: Names,
  monitors: readonly Monitor[] = [],
  timed = true,
  pages: ContentHashes = new ContentHashes(),
): Fingerprint | null {
  for (const t of world.threads) {
    if (t.pending?.kind === "syscall" && histories.inCall(t.tid)) return null;
  }
  const h = new Hasher();
  const k = world.kernel;
  h.num(world.step).word(world.fair ? 1 : 0);
  // Virtual time passes in rounds (sim/world.ts), so the clock depends on which thread ran when.
  // Where time decides nothing (no overtime, no delayed event) it is left out, as the footprints
  // leave it out: equivalent interleavings then meet in one state, as they did when a tick was a
  // step. Where it decides, the clock and the round's owed threads are part of the state.
  if (timed) {
    h.num(k.now);
    for (const tid of world.roundOwed()) h.word(tid);
  }
  for (const t of world.threads) {
    h.word(t.tid).mix(histories.of(t.tid)).str(t.end.kind).str(t.pending?.kind ?? "none");
    // A delayed environment event becomes runnable at a step count.
    if (t.role === "env" && t.steps === 0) h.num(Math.max(0, t.notBefore - world.step));
  }
  const objects = new Map<string, KernelObject>();
  const handles: string[] = [];
  for (const [value, entry] of k.handles) {
    handles.push(`${names.handle(value)}:${entry.rights}:${names.koid(entry.object.koid)}`);
    objects.set(names.koid(entry.object.koid), entry.object);
  }
  for (const text of handles.sort()) h.str(text);
  for (const o of [...k.pagerVmos, ...k.ports, ...world.threads.map((t) => t.k), k.rootVmar]) {
    objects.set(names.koid(o.koid), o);
  }
  const ranks = new Map<PageRequest, number>();
  for (const v of k.pagerVmos) {
    if (v.source === null) continue;
    // Creation order decides the proxy's FIFO; ids themselves differ between interleavings.
    const byAge = [...v.source.outstanding("READ"), ...v.source.outstanding("DIRTY")]
      .sort((a, b) => a.id - b.id);
    byAge.forEach((r, i) => ranks.set(r, i));
  }
  for (const name of [...objects.keys()].sort()) {
    object(h, present(objects.get(name), "state_hash: a named object"), ranks, names, pages);
  }
  // Futex words, waiters and owners; pending async waits (issue 13: sound with futexes/signals).
  h.str(k.futexes.stateKey());
  for (const w of k.asyncWaits.pending()) {
    h.str(names.koid(w.object.koid)).str(names.handle(w.handle)).str(names.koid(w.port.koid))
      .num(w.key).num(w.signals).num(w.options);
  }
  for (const m of monitors) h.str(m.stateKey?.() ?? "");
  return h.value;
}
