/**
 * Footprints: the kernel objects one scheduler step touched, read off the
 * events it emitted. Two steps of different threads whose footprints are
 * disjoint commute and neither enables nor disables the other, which is what
 * the sleep-set reduction relies on.
 *
 * Tokens: `t<tid>` a thread (its own steps, wakes, suspends, kills), `o<koid>`
 * a kernel object (VMO, port, VMAR, ...), `q<koid>` whether a VMO's request packets are still
 * queued (packets move it, not the VMO's pages), `h<value>` a handle value named in a
 * syscall's arguments (closing it conflicts with every use), and `time` when
 * virtual time decides what runs (overtime deadlines, delayed events).
 *
 * A token with the prefix `r` (`ro<koid>`, `rh<value>`) is a read of what the plain token
 * names: two reads commute, a read and a write (the plain token) do not. Reads are only what
 * cannot change kernel state: a `copy` out of a VMO, the use of a handle by a call that does not
 * close or replace it, the VMO of `zx_vmo_read` and `zx_vmo_get_size` and the root VMAR of a
 * fault (`mem_read`/`mem_write`: whatever they change they change through events that write),
 * and the object a resumed wait looks up again. A footprint never holds both forms of a token
 * (the write wins).
 *
 * Pages: `p<koid>.<page>` is one page of a VMO (its slot and bytes). A store or copy of a
 * page, and a `zx_vmo_write` of a byte range from a buffer of its own, take the page tokens of
 * the pages they touch and only a read of the VMO (`ro<koid>`), so two such steps on disjoint
 * pages of one VMO commute, while everything that changes the VMO as a whole (a request, a
 * coalesce, a supply, a resize, a detach, any other call on it) writes `o<koid>` and so
 * conflicts with them all. This holds only for a VMO whose pages are its own and no one
 * else's: no parent, no children, not contiguous (see {@linkcode pageGranular}); at the end of
 * a step that wrote page tokens of any other VMO, they fall back to `o<koid>` and `q<koid>`
 * writes (what the whole-VMO tokens were before). docs/performance.md (session 21, pD21) argues
 * why the rest of what such a step does commutes.
 *
 * Requests and supplies (session 35, docs/performance.md "Session 35 (helper expl35)"): with
 * page footprints, `w<koid>` is a VMO's outstanding requests and their waiters. A request or a
 * coalesce writes it and reads the VMO and the pages its range was read from (a new request's
 * pages and the page after them, where its run stopped; a coalesce's, the request it joined);
 * a resolve writes it (and `q`) and reads the request's pages; parking on a VMO's request, a
 * wake out of one, and the resumed step of a thread that may still hold a request write it
 * and read the VMO (not one past its wait whose waiters are on no request of the VMO). A supply of a page-granular VMO with no frame on loan (`loans`: the
 * kernel's loan pool) reads the VMO, writes the pages it fills and reads the ones it finds
 * present, and writes `w` and `q` only if an outstanding request overlaps its range: a supply
 * no request overlaps commutes with requests of other pages and with copies and stores. A
 * COMMIT or PREFETCH that finds every page of its range present (its first step, or a step
 * resumed from its wait) reads the VMO and those pages. `take` widens `w` of a VMO that is
 * not page-granular, and of a port, to `o<koid>`.
 *
 * @module
 */

import type { KernelEvent } from "../kernel/events.ts";
import type { Kernel, KernelYield } from "../kernel/kernel.ts";
import { KThread, MARKER, type Slot, Vmo, ZeroSlot } from "../kernel/objects.ts";
import {
  ZX_ERR_INTERNAL_INTR_RETRY,
  ZX_OK,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_PREFETCH,
} from "../kernel/constants.ts";
import { type Param, spec, SYSCALL_NAMES } from "../kernel/syscalls.ts";
import { callsWhere } from "../kernel/syscalls.ts";

/** The tokens of one step. */
export type Footprint = ReadonlySet<string>;

/** The token of page `page` of the VMO with koid `koid` (see the module doc). */
export function pageToken(koid: number, page: number): string {
  return `p${koid}.${page}`;
}

/**
 * True if the pages of VMO `v` may be told apart in footprints: no parent (no page of it falls
 * through to another VMO's), no children (no other VMO's page falls through to it, slices and
 * references included), and not contiguous (committing a contiguous VMO's page takes a frame
 * back from the loan pool, which every VMO shares).
 */
export function pageGranular(v: Vmo): boolean {
  return v.parent === null && v.children.length === 0 && v.frames === null;
}

/** True if `s` holds a page (not absent, a marker or a slot of a zero interval). */
function isPage(s: Slot): boolean {
  return s !== undefined && s !== MARKER && !(s instanceof ZeroSlot);
}

/** Pages `[start, end)` of a VMO that a COMMIT or PREFETCH names (`zx_vmo_op_range`). */
export interface CommitRange {
  readonly koid: number;
  readonly start: number;
  readonly end: number;
}

/**
 * True if a COMMIT or PREFETCH of pages `[start, end)` of `v` changes nothing now: `v` is a
 * page-granular pager VMO (a root: no clone page to fork) and every page of the range holds a
 * page (`VmoPages.commit` then neither requests, nor materializes a zero slot, nor turns a marker
 * into a page, and returns ZX_OK). It reads the pages' slots and the VMO's size.
 */
export function commitChangesNothing(v: Vmo, c: CommitRange): boolean {
  if (!pageGranular(v) || v.source === null || c.end > v.pageCount) return false;
  for (let p = c.start; p < c.end; p++) if (!isPage(v.slots[p])) return false;
  return true;
}

/** The token of the kernel's loan pool (`kernel/loans.ts`). */
const LOANS = "loans";

/**
 * True if an outstanding request of pager VMO `v` (READ or DIRTY) overlaps bytes
 * `[offset, offset + length)` (true for arguments that are not byte counts).
 */
function overlapsRequest(v: Vmo, offset: unknown, length: unknown, pageSize: number): boolean {
  if (v.source === null) return false;
  if (typeof offset !== "number" || typeof length !== "number") return true;
  const start = Math.floor(offset / pageSize);
  const end = Math.ceil((offset + length) / pageSize);
  for (const type of ["READ", "DIRTY"] as const) {
    for (const r of v.source.outstanding(type)) if (r.start < end && r.end > start) return true;
  }
  return false;
}

/** The prefix of a read token (see the module doc). */
const READ = "r";

/** The read form of token `tok`. */
export function readOf(tok: string): string {
  return READ + tok;
}

/** True if `tok` is a read token. */
export function isRead(tok: string): boolean {
  return tok.startsWith(READ);
}

/** The write token `tok` names: `tok` itself, or the one a read token reads. */
export function plainOf(tok: string): string {
  return isRead(tok) ? tok.slice(READ.length) : tok;
}

/**
 * The tokens of other steps that conflict with token `tok`: a write conflicts with the same
 * write and its reads, a read with the write only.
 */
export function conflictingTokens(tok: string): readonly string[] {
  return isRead(tok) ? [tok.slice(READ.length)] : [tok, readOf(tok)];
}

/** True if two token sets conflict: a shared write token, or one's read of the other's write. */
export function tokensConflict(a: Footprint, b: Footprint): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const t of small) {
    if (isRead(t)) {
      if (large.has(t.slice(READ.length))) return true;
    } else if (large.has(t) || large.has(readOf(t))) return true;
  }
  return false;
}

/** True if two footprints conflict (see {@linkcode tokensConflict}): the steps may not commute. */
export function conflicts(a: Footprint, b: Footprint): boolean {
  // "*": a step that depends on every step (the one that ends the run).
  if (a.has("*") || b.has("*")) return true;
  return tokensConflict(a, b);
}

/** Adds read token `read` of `tok` to `set` unless it holds the write. */
function addRead(set: Set<string>, tok: string): void {
  if (!set.has(tok)) set.add(readOf(tok));
}

/** Adds write token `tok` to `set`, replacing its read. */
function addWrite(set: Set<string>, tok: string): void {
  set.delete(readOf(tok));
  set.add(tok);
}

/** Calls that change nothing of the objects their handle arguments name (what they change, an event says). */
const READING_CALLS: ReadonlySet<string> = new Set(["zx_vmo_read", "zx_vmo_get_size"]);

/** Calls that end the handle they are given: they write its token. */
const HANDLE_ENDING_CALLS: ReadonlySet<string> = new Set(["zx_handle_close", "zx_handle_replace"]);

/** Parameter kinds that are handles. */
const HANDLE_KINDS: ReadonlySet<Param> = new Set<Param>([
  "pager",
  "port",
  "vmo",
  "aux",
  "thread",
  "vmar",
  "handle",
]);

/**
 * Which arguments of each call are handles, from the syscall table. Other
 * numeric arguments (sizes, offsets, keys, addresses) name no object, even
 * when they happen to equal a handle value; a call the table does not list
 * (a kernel variant's own) has every numeric argument treated as a possible
 * handle.
 */
const HANDLE_ARGS: ReadonlyMap<string, readonly number[]> = new Map<string, readonly number[]>([
  ...SYSCALL_NAMES.map((name): [string, number[]] => [
    name,
    spec(name).params.flatMap((param, i) => HANDLE_KINDS.has(param.kind) ? [i] : []),
  ]),
  ["mem_read", []],
  ["mem_write", []],
  ["kernel_evict", [0]],
]);

/** What a {@linkcode FootprintRecorder} carries between steps (see `save`). */
export interface RecorderState {
  readonly handleObjects: ReadonlyMap<number, number>;
  readonly threadOf: ReadonlyMap<number, number>;
  readonly inCall: ReadonlyMap<number, ReadonlySet<string>>;
  readonly atStart: ReadonlyMap<number, ReadonlySet<string>>;
  readonly commits: ReadonlyMap<number, CommitRange>;
  readonly parkedOn: ReadonlyMap<number, readonly number[]>;
  readonly ranges: ReadonlyMap<number, readonly [number, number, number]>;
}

/** Collects the footprint of the step in progress. */
export class FootprintRecorder {
  #tokens = new Set<string>();
  /** Every handle value the step could name, and the object it named (values are never reused). */
  readonly #handleObjects = new Map<number, number>();
  /** Thread handles seen: value -> the thread's tid. */
  readonly #threadOf = new Map<number, number>();
  /** Tokens of the syscall each thread is inside (from its call event until its return). */
  readonly #inCall = new Map<number, Set<string>>();
  /** `#inCall` as it stood when each thread's next step starts. */
  readonly #atStart = new Map<number, ReadonlySet<string>>();
  /** The COMMIT or PREFETCH of a pager VMO each thread is inside (see {@linkcode commitChangesNothing}). */
  readonly #commits = new Map<number, CommitRange>();
  /** The VMOs each thread parked on since its call began (see {@linkcode #refreshResumed}). */
  readonly #parkedOn = new Map<number, readonly number[]>();
  /** Each request recorded: id -> [its VMO's koid, first page, one past the last]. */
  readonly #ranges = new Map<number, readonly [number, number, number]>();

  /**
   * @param kernel the kernel of the run (handles resolve through it)
   * @param timed virtual time decides what runs: every step takes token `time`
   * @param pages tell apart the pages of a page-granular VMO (see the module doc); false: no
   *   page tokens, a store writes its whole VMO, as before session 21
   */
  constructor(
    readonly kernel: Kernel,
    readonly timed: boolean,
    readonly pages = true,
    readonly heldRequests = true,
  ) {
    // Signals can change on an object no event of the step names (a clone's death raises its
    // parent's ZX_VMO_ZERO_CHILDREN): the kernel lists those objects while someone records.
    kernel.signalChanges = new Set();
  }

  /**
   * What the recorder carries from one step to the next, copied, for
   * {@linkcode FootprintRecorder.restore} to put back; null while a step has recorded tokens.
   */
  save(): RecorderState | null {
    if (this.#tokens.size > 0) return null;
    return {
      handleObjects: new Map(this.#handleObjects),
      threadOf: new Map(this.#threadOf),
      inCall: new Map([...this.#inCall].map(([tid, call]) => [tid, new Set(call)])),
      atStart: new Map(this.#atStart),
      commits: new Map(this.#commits),
      parkedOn: new Map(this.#parkedOn),
      ranges: new Map(this.#ranges),
    };
  }

  /**
   * Puts back what {@linkcode FootprintRecorder.save} took at the same point of an identical
   * run (the steps since were replayed without recording), and forgets the signal changes
   * those steps left.
   */
  restore(state: RecorderState): void {
    this.#tokens = new Set();
    this.#handleObjects.clear();
    for (const [k, v] of state.handleObjects) this.#handleObjects.set(k, v);
    this.#threadOf.clear();
    for (const [k, v] of state.threadOf) this.#threadOf.set(k, v);
    this.#inCall.clear();
    for (const [tid, call] of state.inCall) this.#inCall.set(tid, new Set(call));
    this.#atStart.clear();
    for (const [tid, next] of state.atStart) this.#atStart.set(tid, next);
    this.#commits.clear();
    for (const [tid, c] of state.commits) this.#commits.set(tid, c);
    this.#parkedOn.clear();
    for (const [tid, vmos] of state.parkedOn) this.#parkedOn.set(tid, vmos);
    this.#ranges.clear();
    for (const [id, r] of state.ranges) this.#ranges.set(id, r);
    this.kernel.signalChanges?.clear();
  }

  /** Ends the step of thread `tid`: its footprint, and a fresh start for the next step. */
  take(tid: number): Footprint {
    const fp = this.#tokens;
    // A step that resumes inside a syscall may read anything that syscall names, event or not.
    for (const t of this.#atStart.get(tid) ?? []) {
      if (isRead(t)) addRead(fp, t.slice(READ.length));
      else addWrite(fp, t);
    }
    this.#atStart.set(tid, new Set(this.#inCall.get(tid) ?? []));
    this.#refreshResumed();
    this.#coarsenPages(fp);
    fp.add(`t${tid}`);
    if (this.timed) fp.add("time");
    const changed = this.kernel.signalChanges;
    if (changed !== null && changed.size > 0) {
      for (const koid of changed) addWrite(fp, `o${koid}`);
      changed.clear();
    }
    this.#tokens = new Set();
    return fp;
  }

  /**
   * What the next step of each thread inside a COMMIT or PREFETCH, or parked on a VMO's
   * request, starts with, from the state now (the state that step starts from: no other step
   * runs before it).
   *
   * - A thread woken from a commit's wait (not by its overtime, not killed, not failed, its
   *   waiter off every request) that will find every page of its range present
   *   ({@linkcode commitChangesNothing}) only looks the pages up again and returns: it reads the
   *   VMO and those pages instead of writing the VMO.
   * - A thread parked on VMO requests since its call began changes those VMOs' requests and
   *   waiters (`w`: a rewait, a dropped waiter, a wait that times out) unless it is parked on
   *   one VMO only, woken, and its waiter is off every request (a completed request detaches
   *   its waiters): then the resumed step can change them only by the events it emits. Nor
   *   does it change a VMO's (session 36) once it is past its wait (`park` returned: no
   *   `KThread.waiter`; a fault's refault, a variant's yield after a wake) and no outstanding
   *   request of that VMO has a waiter of it: the kernel changes a request's waiters without
   *   an event only through a waiter on it (a drop, a rewait, a release), and a waiter gets on
   *   one only by a `request` or `coalesce` event, which writes `w` itself. Steps of other
   *   threads only take waiters off requests, so the test holds in every order of them.
   */
  #refreshResumed(): void {
    for (const [tid] of this.#commits) {
      if (!this.#inCall.has(tid)) this.#commits.delete(tid);
    }
    for (const [tid] of this.#parkedOn) {
      if (!this.#inCall.has(tid)) this.#parkedOn.delete(tid);
    }
    if (this.#commits.size === 0 && this.#parkedOn.size === 0) return;
    const tids = new Set([...this.#commits.keys(), ...this.#parkedOn.keys()]);
    for (const tid of tids) {
      const call = this.#inCall.get(tid);
      if (call === undefined) continue;
      const t = this.#thread(tid);
      const w = t?.waiter ?? null;
      const v = t?.waiterVmo ?? null;
      // Woken (not timed out, not killed, not failed) with its waiter off every request.
      const settled = t !== null && w !== null && !w.waiting && w.request === null &&
          !t.killed && (w.status === ZX_OK || w.status === ZX_ERR_INTERNAL_INTR_RETRY)
        ? v
        : null;
      const c = this.#commits.get(tid);
      const next = c !== undefined && settled !== null && settled.koid === c.koid &&
          commitChangesNothing(settled, c)
        ? this.#commitReads(call, c)
        : new Set(call);
      const parked = this.#parkedOn.get(tid);
      if (
        parked !== undefined &&
        !(settled !== null && parked.length === 1 && parked[0] === settled.koid)
      ) {
        for (const koid of parked) {
          // Past its wait (`park` returned: no waiter on the thread) and on no request of the
          // VMO: it can change that VMO's requests only by attaching a waiter, an event that
          // writes `w` itself (session 36, docs/performance.md).
          if (
            this.heldRequests && t !== null && w === null && !t.killed &&
            !this.#holdsRequest(koid, tid)
          ) {
            continue;
          }
          addWrite(next, `w${koid}`);
        }
      }
      this.#atStart.set(tid, next);
    }
  }

  /** Tokens `call` with the VMO of commit `c` read instead of written, and its pages read. */
  #commitReads(call: ReadonlySet<string>, c: CommitRange): Set<string> {
    const o = `o${c.koid}`, q = `q${c.koid}`;
    const out = new Set<string>();
    for (const t of call) if (t !== o && t !== q && t !== readOf(o)) out.add(t);
    out.add(readOf(o));
    for (let p = c.start; p < c.end; p++) out.add(readOf(pageToken(c.koid, p)));
    return out;
  }

  /**
   * True unless no outstanding request (READ or DIRTY) of VMO `koid` has a waiter of thread
   * `tid` (true for a VMO no handle names, or one without a page source).
   */
  #holdsRequest(koid: number, tid: number): boolean {
    const v = this.#vmo(koid);
    if (v === null || v.source === null) return true;
    for (const type of ["READ", "DIRTY"] as const) {
      for (const r of v.source.outstanding(type)) {
        if (r.primary !== null && r.primary.tid === tid) return true;
        for (const o of r.overlap) if (o.tid === tid) return true;
      }
    }
    return false;
  }

  /** The kernel thread `tid` (a thread handle names it), or null. */
  #thread(tid: number): KThread | null {
    for (const [, entry] of this.kernel.handles) {
      if (entry.object instanceof KThread && entry.object.tid === tid) return entry.object;
    }
    return null;
  }

  /**
   * Page writes of a VMO that is not {@linkcode pageGranular} now (or not found) become writes
   * of the whole VMO and of its packets' state, as every such write was before pages were told
   * apart; so do writes of its requests and waiters (`w`, of the whole VMO only), and of a port's
   * waiters (a port is no VMO: its waiters are the port's).
   */
  #coarsenPages(fp: Set<string>): void {
    let pages: Map<number, number[]> | null = null;
    for (const t of fp) {
      const c = t.charCodeAt(0);
      if (c === 119) { // "w": the requests and waiters of a VMO (or a port's waiters)
        pages ??= new Map();
        const koid = Number(t.slice(1));
        if (!pages.has(koid)) pages.set(koid, []);
        continue;
      }
      if (c !== 112) continue; // "p": a page write
      const dot = t.indexOf(".");
      const koid = Number(t.slice(1, dot));
      pages ??= new Map();
      const list = pages.get(koid);
      if (list === undefined) pages.set(koid, [Number(t.slice(dot + 1))]);
      else list.push(Number(t.slice(dot + 1)));
    }
    if (pages === null) return;
    for (const [koid, list] of pages) {
      const v = this.#vmo(koid);
      // Committing a page of a zero interval rewrites the next slot's interval when that slot is
      // one too (`takeZeroSlot`, reading back to the interval's start): not the page's alone.
      if (
        v !== null && pageGranular(v) && !list.some((p) => v.slots[p + 1] instanceof ZeroSlot)
      ) continue;
      fp.delete(`w${koid}`);
      addWrite(fp, `o${koid}`);
      if (list.length > 0) addWrite(fp, `q${koid}`);
    }
  }

  /** The live VMO with koid `koid` that some handle names, or null. */
  #vmo(koid: number): Vmo | null {
    for (const [, entry] of this.kernel.handles) {
      if (entry.object.koid === koid && entry.object instanceof Vmo) return entry.object;
    }
    return null;
  }

  /**
   * The pages of a `zx_vmo_op_range` COMMIT or PREFETCH with these arguments (the VMO's koid
   * from its handle, `args[0]`), or null for any other op, for page footprints off, or for
   * arguments the call rejects before looking at pages.
   */
  #commitRange(name: string, args: readonly unknown[]): CommitRange | null {
    if (!this.pages || name !== "zx_vmo_op_range") return null;
    const [h, op, offset, size] = args;
    if (op !== ZX_VMO_OP_COMMIT && op !== ZX_VMO_OP_PREFETCH) return null;
    if (typeof h !== "number" || typeof offset !== "number" || typeof size !== "number") {
      return null;
    }
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(size) || offset < 0 || size < 0) {
      return null;
    }
    const v = this.kernel.handles.entry(h)?.object;
    if (!(v instanceof Vmo)) return null;
    const ps = this.kernel.pageSize;
    return { koid: v.koid, start: Math.floor(offset / ps), end: Math.ceil((offset + size) / ps) };
  }

  /**
   * Adds reads of the pages of request `id` of VMO `koid` (`after`: and of the page after
   * them); none if the request is unknown (its `request` event was not recorded), and then
   * the whole VMO is written.
   */
  #requestPages(tok: Set<string>, koid: number, id: number, after: boolean): void {
    const r = this.#ranges.get(id);
    if (r === undefined || r[0] !== koid) {
      addWrite(tok, `o${koid}`);
      return;
    }
    const end = after ? r[2] + 1 : r[2];
    for (let p = r[1]; p < end; p++) addRead(tok, pageToken(koid, p));
  }

  /** Adds page tokens (`read`: their read forms) of bytes `[offset, offset + length)` of VMO `koid`. */
  #pages(tok: Set<string>, koid: number, offset: number, length: number, read: boolean): void {
    const ps = this.kernel.pageSize;
    const end = Math.ceil((offset + length) / ps);
    for (let p = Math.floor(offset / ps); p < end; p++) {
      const t = pageToken(koid, p);
      if (read) addRead(tok, t);
      else addWrite(tok, t);
    }
  }

  /**
   * Reads of the VMOs above VMO `koid` (a clone's pages fall through to its parent's): a step
   * on a child depends on writes to its ancestors. The chain is read from the live kernel.
   */
  #ancestors(tok: Set<string>, koid: number): void {
    let v: Vmo | null = null;
    for (const [, entry] of this.kernel.handles) {
      if (entry.object.koid === koid && entry.object instanceof Vmo) {
        v = entry.object;
        break;
      }
    }
    for (let p = v?.parent ?? null; p !== null; p = p.parent) addRead(tok, `o${p.koid}`);
  }

  /** Adds the tokens of one event. */
  add(e: KernelEvent): void {
    const tok = this.#tokens;
    switch (e.k) {
      case "call": {
        const call = new Set([`t${e.tid}`]);
        // A new call (a fault's access starting again, too): what the last one parked on or
        // committed is its past.
        this.#commits.delete(e.tid);
        this.#parkedOn.delete(e.tid);
        // Faults go through the root VMAR's mapping list, which maps and unmaps change.
        if (e.name === "mem_read" || e.name === "mem_write") {
          addRead(call, `o${this.kernel.rootVmar.koid}`);
        }
        const reads = READING_CALLS.has(e.name);
        const ends = HANDLE_ENDING_CALLS.has(e.name);
        const positions = HANDLE_ARGS.get(e.name);
        for (let i = 0; i < e.args.length; i++) {
          if (positions !== undefined && !positions.includes(i)) continue;
          const a = e.args[i];
          if (typeof a !== "number" || !Number.isSafeInteger(a) || a <= 0) continue;
          const entry = this.kernel.handles.entry(a);
          if (entry !== undefined) this.#handleObjects.set(a, entry.object.koid);
          // A thread handle names the thread: a call on it (a suspend that finds the thread
          // already gone) conflicts with that thread's own steps (its exit), as `t<tid>`.
          if (entry !== undefined && entry.object instanceof KThread) {
            this.#threadOf.set(a, entry.object.tid);
          }
          const target = this.#threadOf.get(a);
          if (target !== undefined) call.add(`t${target}`);
          const koid = this.#handleObjects.get(a);
          if (koid !== undefined) {
            if (ends) addWrite(call, `h${a}`);
            else addRead(call, `h${a}`);
            if (entry !== undefined && entry.object instanceof Vmo) {
              for (let p = entry.object.parent; p !== null; p = p.parent) {
                addRead(call, `o${p.koid}`);
              }
            }
            const commitVmo = i === 0 && entry !== undefined && entry.object instanceof Vmo
              ? entry.object
              : null;
            const commit = commitVmo !== null ? this.#commitRange(e.name, e.args) : null;
            if (commit !== null) this.#commits.set(e.tid, commit);
            // The loan pool is the kernel's: a call on a contiguous VMO may lend or take back
            // its frames, which decides whether a supply borrows; a supply with a frame on loan
            // may take it.
            if (
              this.pages && entry !== undefined && entry.object instanceof Vmo &&
              (entry.object.frames !== null ||
                (i === 1 && e.name === "zx_pager_supply_pages" && this.kernel.pages.loans.any))
            ) {
              addWrite(call, LOANS);
            }
            if (reads) {
              addRead(call, `o${koid}`);
              // A read looks its pages up, and a kernel variant may drop the lock between a
              // lookup that found a page absent and its request (no event between): the call
              // and every step resumed inside it read the pages of its range.
              const [, offset, length] = e.args;
              if (
                this.pages && e.name === "zx_vmo_read" && entry !== undefined &&
                entry.object instanceof Vmo && typeof offset === "number" &&
                typeof length === "number" && Number.isSafeInteger(offset) &&
                Number.isSafeInteger(length) && offset >= 0 && length >= 0
              ) {
                const to = Math.min(offset + length, entry.object.size);
                if (to > offset) this.#pages(call, koid, offset, to - offset, true);
              }
            } else if (
              commit !== null && commitVmo !== null && commitChangesNothing(commitVmo, commit)
            ) {
              // A COMMIT or PREFETCH that finds every page present only reads them.
              addRead(call, `o${koid}`);
              this.#pages(
                call,
                koid,
                commit.start * this.kernel.pageSize,
                (commit.end - commit.start) * this.kernel.pageSize,
                true,
              );
            } else if (
              this.pages && i === 1 && e.name === "zx_pager_supply_pages" &&
              entry !== undefined && entry.object instanceof Vmo && pageGranular(entry.object) &&
              !this.kernel.pages.loans.any
            ) {
              // A supply with no frame on loan (none to borrow) changes only the pages it fills
              // (its `supply` events) and, if an outstanding request overlaps its range, the
              // requests and waiters (`w`: it counts against them, resolves, wakes) and the
              // packets it withdraws (`q`); it reads the VMO (size, detach). A supply no request
              // overlaps touches no request: a step that would make one overlap reads the pages
              // (a request, the page after its run too) or removes one (a resolve reads its pages).
              addRead(call, `o${koid}`);
              addRead(call, LOANS);
              if (overlapsRequest(entry.object, e.args[2], e.args[3], this.kernel.pageSize)) {
                addWrite(call, `w${koid}`);
                addWrite(call, `q${koid}`);
              }
            } else if (
              this.pages && i === 0 && e.name === "zx_vmo_write" && entry !== undefined &&
              entry.object instanceof Vmo && pageGranular(entry.object) &&
              typeof e.args[1] === "number" && typeof e.args[2] === "number" &&
              e.args[3] == null && Number.isSafeInteger(e.args[1]) &&
              Number.isSafeInteger(e.args[2]) && e.args[1] >= 0 && e.args[2] >= 0 &&
              e.args[1] + e.args[2] <= entry.object.size
            ) {
              // A write of bytes of its own into a VMO whose pages are its own: it changes the
              // pages in its range (stores; a request or a block writes the VMO by its event).
              addRead(call, `o${koid}`);
              this.#pages(call, koid, e.args[2], e.args[1], false);
            } else {
              addWrite(call, `o${koid}`);
              addWrite(call, `q${koid}`);
            }
          }
        }
        // A futex call reads or changes its word and its queue: token `f<address>`.
        if (
          e.name === "zx_futex_wait" || e.name === "zx_futex_wake" ||
          e.name === "zx_futex_get_owner"
        ) call.add(`f${e.args[0]}`);
        // A requeue changes both queues, and a waiter it moves is woken (or times out) from the
        // second one: every thread inside a call on the first futex gets the second's token
        // (more than the waiters it moved, never fewer).
        if (e.name === "zx_futex_requeue") {
          const from = `f${e.args[0]}`, to = `f${e.args[3]}`;
          call.add(from).add(to);
          for (const [tid, theirs] of this.#inCall) {
            if (tid === e.tid || !theirs.has(from)) continue;
            theirs.add(to);
            // What that thread's next step starts with was copied when its last step ended.
            const next = this.#atStart.get(tid);
            if (next !== undefined) this.#atStart.set(tid, new Set([...next, to]));
          }
        }
        for (const t of call) {
          if (isRead(t)) addRead(tok, t.slice(READ.length));
          else addWrite(tok, t);
        }
        this.#inCall.set(e.tid, call);
        return;
      }
      case "atomic":
        tok.add(`t${e.tid}`);
        tok.add(`f${e.addr}`);
        return;
      case "observed":
        tok.add(`t${e.tid}`);
        addWrite(tok, `o${e.koid}`);
        return;
      case "block": {
        tok.add(`t${e.tid}`);
        // Resuming from the wait re-reads the object waited on (spec 3.6: the lookup reruns).
        const m = /^(?:vmo|port) (\d+)/.exec(e.on);
        if (m !== null) {
          const call = this.#inCall.get(e.tid);
          if (call !== undefined) addRead(call, `o${m[1]}`);
          if (this.pages) {
            // Parking changes the waiters (`w`), and so may the resumed step (a rewait, a
            // dropped or timed-out waiter); `take` makes it the whole object unless it is a
            // page-granular VMO (a port's waiters are the port's).
            addRead(tok, `o${m[1]}`);
            addWrite(tok, `w${m[1]}`);
            if (e.on.startsWith("vmo")) {
              const koid = Number(m[1]);
              const was = this.#parkedOn.get(e.tid);
              if (was === undefined) this.#parkedOn.set(e.tid, [koid]);
              else if (!was.includes(koid)) this.#parkedOn.set(e.tid, [...was, koid]);
            }
          } else addWrite(tok, `o${m[1]}`);
        }
        return;
      }
      case "ret":
        tok.add(`t${e.tid}`);
        this.#inCall.delete(e.tid);
        return;
      case "wake": {
        tok.add(`t${e.tid}`);
        // Waking a thread out of a wait takes it off the waited object's waiters: a suspend or
        // kill cancelling a pager wait changes that VMO's page source with no event naming it.
        for (const t of this.#inCall.get(e.tid) ?? []) {
          const plain = isRead(t) ? t.slice(READ.length) : t;
          if (plain.startsWith("o")) {
            if (this.pages) {
              // Its waiters and packets, not its pages (`take` widens it to the whole object
              // unless it is a page-granular VMO).
              addRead(tok, plain);
              addWrite(tok, `w${plain.slice(1)}`);
            } else addWrite(tok, plain);
            addWrite(tok, `q${plain.slice(1)}`);
          }
        }
        return;
      }
      case "thread":
        tok.add(`t${e.tid}`);
        return;
      case "request":
      case "coalesce": {
        // A request's waiters (`w`), and whether its packet is still queued (read). With page
        // footprints, the pages its range was read from: a new request's pages and the page
        // after them (where the run stopped: present, or the limit, or the next request), a
        // coalesce's the request's it joined (its own range ends there at most). It reads the
        // VMO (detached, size). `take` makes `w` the whole VMO unless it is page-granular.
        if (!this.pages) {
          addWrite(tok, `o${e.vmo}`);
          addRead(tok, `q${e.vmo}`);
          this.#ancestors(tok, e.vmo);
          return;
        }
        addRead(tok, `o${e.vmo}`);
        addWrite(tok, `w${e.vmo}`);
        addRead(tok, `q${e.vmo}`);
        if (e.k === "request") this.#ranges.set(e.id, [e.vmo, e.start, e.end]);
        this.#requestPages(tok, e.vmo, e.id, e.k === "request");
        this.#ancestors(tok, e.vmo);
        return;
      }
      case "resolve":
        // A request leaves: the requests and waiters (`w`), its packet (`q`), and which pages
        // a request covers (a read of its pages: a supply of them decides whether it counts
        // against it).
        if (this.pages) {
          addRead(tok, `o${e.vmo}`);
          addWrite(tok, `w${e.vmo}`);
          addWrite(tok, `q${e.vmo}`);
          this.#requestPages(tok, e.vmo, e.id, false);
          this.#ancestors(tok, e.vmo);
          return;
        }
        addWrite(tok, `o${e.vmo}`);
        addWrite(tok, `q${e.vmo}`);
        this.#ancestors(tok, e.vmo);
        return;
      case "supply":
        // The page filled (or read, when it was present and stays), the requests it counts
        // against (`w`) and their packets (`q`); the VMO itself is only read.
        if (this.pages) {
          addRead(tok, `o${e.vmo}`);
          if (e.inserted) addWrite(tok, pageToken(e.vmo, e.page));
          else addRead(tok, pageToken(e.vmo, e.page));
          this.#ancestors(tok, e.vmo);
          return;
        }
        addWrite(tok, `o${e.vmo}`);
        addWrite(tok, `q${e.vmo}`);
        this.#ancestors(tok, e.vmo);
        return;
      case "detach":
        addWrite(tok, `o${e.vmo}`);
        addWrite(tok, `q${e.vmo}`);
        this.#ancestors(tok, e.vmo);
        return;
      case "copy":
        tok.add(`t${e.tid}`);
        addRead(tok, `o${e.vmo}`);
        if (this.pages) this.#pages(tok, e.vmo, e.offset, e.bytes.length, true);
        this.#ancestors(tok, e.vmo);
        return;
      case "store":
        // The page written and a read of the VMO; `take` makes it a write of the whole VMO
        // unless the VMO is page-granular.
        tok.add(`t${e.tid}`);
        if (this.pages) {
          addRead(tok, `o${e.vmo}`);
          this.#pages(tok, e.vmo, e.offset, e.bytes.length, false);
        } else addWrite(tok, `o${e.vmo}`);
        this.#ancestors(tok, e.vmo);
        return;
      case "page-fault":
        tok.add(`t${e.tid}`);
        addWrite(tok, `o${e.vmo}`);
        addWrite(tok, `q${e.vmo}`);
        this.#ancestors(tok, e.vmo);
        this.#inCall.delete(e.tid);
        return;
      case "packet-queued":
      case "packet-dequeued":
      case "packet-withdrawn":
      case "packet-dropped":
        // The port's queue and the delivery state of the VMO's request packets (`q`), not the
        // VMO's pages or waiters: a copy out of a present page commutes with a dequeue.
        addWrite(tok, `o${e.port}`);
        addWrite(tok, `q${e.vmo}`);
        return;
    }
  }

  /** Remembers the handles open now, so a later step naming a closed one still resolves it. */
  noteHandles(): void {
    for (const [value, entry] of this.kernel.handles) {
      this.#handleObjects.set(value, entry.object.koid);
      if (entry.object instanceof KThread) this.#threadOf.set(value, entry.object.tid);
    }
  }
}

/** Calls that touch nothing but the VMOs their handle arguments name (and fresh objects). */
const PRIVATE_CALLS = callsWhere((s) => s.private === true);

/**
 * True if the step a thread is about to take is private: a call from
 * `PRIVATE_CALLS` whose every handle argument names an anonymous VMO (no
 * pager, no parent, no children, not mapped) that has exactly one handle,
 * created by this thread (`mine`), while the process has no futex words. No other thread can
 * name such a VMO, so
 * the step commutes with every step of every other thread, and a preemption
 * just before it reaches nothing a preemption just after it does not.
 * (Creating an object only moves the global handle and koid counters, which
 * the state hash renames away.)
 */
export function isPrivateStep(
  kernel: Kernel,
  pending: KernelYield | null,
  mine: (handle: number) => boolean,
): boolean {
  if (pending === null || pending.kind !== "syscall" || pending.args === undefined) return false;
  if (!PRIVATE_CALLS.has(pending.name)) return false;
  // A step runs on past its call's return up to the next call, and with futex words about that
  // stretch may change one with an atomic operation (unlocking a Mutex after closing its own
  // staging VMO): nothing is private then.
  if (kernel.futexes.size > 0) return false;
  if (pending.name === "zx_vmo_create") return true;
  const h = pending.args[0];
  if (typeof h !== "number") return false;
  const entry = kernel.handles.entry(h);
  if (entry === undefined || !mine(h)) return false;
  const v = entry.object;
  return v instanceof Vmo && v.source === null && v.parent === null && v.children.length === 0 &&
    v.mappings === 0 && v.handleCount === 1;
}
