/**
 * What the aux pages of a supply held when the supply began: a supply moves
 * them out, so checkers that judge a supply need the state from just before
 * it. Only the pages a `zx_pager_supply_pages` call names are recorded, when
 * its `call` event is emitted (the first thing of the step that runs it, so
 * they are the pages as the last step left them): no step copies every aux
 * page of every VMO.
 *
 * @module
 */

import { MARKER, type Page, type Vmo, ZeroSlot } from "../kernel/objects.ts";
import type { Call } from "./_step_monitor.ts";

interface Taken {
  readonly step: number;
  readonly aux: Vmo;
  readonly first: number;
  /** Bytes of each aux page of the range, null if it was uncommitted. */
  readonly pages: readonly (Uint8Array | null)[];
}

/**
 * The last capture, by the `call` event's argument list: the checkers of a run that hear one
 * event share one copy. They hear it one after the other, before the next event, and each event
 * has an argument list of its own, so the last one is the only one asked for (a `WeakMap` of
 * every supply's list cost a lookup and an entry per supply for nothing).
 */
let lastArgs: readonly unknown[] | null = null;
let lastTaken: Taken | null = null;

/**
 * Copy buffers no snapshot holds, by length, shared by the runs of a process: a snapshot lives
 * for one run and a run supplies a few pages, so its copies were mostly new 4 KiB buffers (on
 * the default scenario a thousand a batch, each costing several times the copy into it). A
 * snapshot takes its buffers from here and gives them back when its run is over
 * ({@linkcode AuxSnapshot.release}); until then no other snapshot can have them.
 */
const FREE = new Map<number, Uint8Array[]>();
/** At most this many free buffers of one length are kept. */
const FREE_MAX = 256;

/** Aux VMO pages of each supply in progress, as they were when it was called. */
export class AuxSnapshot {
  /** By thread: the last supply each thread called. */
  readonly #taken = new Map<number, Taken>();
  /** Page copies of earlier steps' supplies, reused (a capture is judged in its own step only). */
  readonly #spare: Uint8Array[] = [];
  #spareStep = -1;
  #used = 0;

  /**
   * Thread `tid` calls `zx_pager_supply_pages(args)` in `step`: records the
   * aux range it names, if `aux` (the VMO its aux handle names) is anonymous.
   */
  take(tid: number, step: number, args: readonly unknown[], aux: Vmo | undefined): void {
    let taken = lastTaken;
    if (args !== lastArgs) {
      if (step !== this.#spareStep) {
        this.#spareStep = step;
        this.#used = 0;
      }
      taken = capture(step, args, aux, (bytes) => this.#copy(bytes));
      lastArgs = args;
      lastTaken = taken;
    }
    if (taken === null || taken.aux !== aux) this.#taken.delete(tid);
    else this.#taken.set(tid, taken);
  }

  /**
   * The content of the aux page that a supply `call` moved into `page` of
   * `dest`: bytes, null if uncommitted, undefined if unknown.
   */
  source(aux: Vmo | undefined, call: Call, page: number, dest: Vmo): Uint8Array | null | undefined {
    if (aux === undefined) return undefined;
    const t = this.#taken.get(call.tid);
    if (t === undefined || t.step !== call.step || t.aux !== aux) return undefined;
    // (Indexed, not destructured: an array iterator per supplied page.)
    const offset = call.args[2] as number, auxOffset = call.args[5] as number;
    const i = auxOffset / dest.pageSize + page - offset / dest.pageSize - t.first;
    return t.pages[i] ?? null;
  }

  /** A copy of `bytes` that lives until a supply of a later step is captured. */
  #copy(bytes: Uint8Array): Uint8Array {
    let c = this.#spare[this.#used];
    if (c === undefined || c.length !== bytes.length) {
      // A spare of another length is dropped, not freed: a capture may still hold it.
      c = this.#spare[this.#used] = FREE.get(bytes.length)?.pop() ?? new Uint8Array(bytes.length);
    }
    c.set(bytes);
    this.#used++;
    return c;
  }

  /**
   * The run is over (nothing it captured is judged again): its copy buffers go back to the
   * shared free buffers, for the snapshots of later runs.
   */
  release(): void {
    for (const c of this.#spare) {
      let free = FREE.get(c.length);
      if (free === undefined) FREE.set(c.length, free = []);
      if (free.length < FREE_MAX) free.push(c);
    }
    this.#spare.length = 0;
    this.#used = 0;
  }

  /** Whether that aux page was committed (undefined if unknown). */
  committed(aux: Vmo | undefined, call: Call, page: number, dest: Vmo): boolean | undefined {
    const s = this.source(aux, call, page, dest);
    return s === undefined ? undefined : s !== null;
  }
}

/** The aux pages a supply names, copied (null if its aux VMO is not anonymous or the range is off). */
function capture(
  step: number,
  args: readonly unknown[],
  aux: Vmo | undefined,
  copy: (bytes: Uint8Array) => Uint8Array,
): Taken | null {
  if (aux === undefined || aux.source !== null) return null;
  // (Indexed, not destructured: an array iterator per supply.)
  const length = args[3] as number, auxOffset = args[5] as number;
  const ps = aux.pageSize;
  if (!Number.isInteger(length / ps) || !Number.isInteger(auxOffset / ps)) return null;
  const first = auxOffset / ps;
  const count = Math.max(0, Math.min(length / ps, aux.slots.length - first));
  const pages: (Uint8Array | null)[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const s = aux.slots[first + i];
    // A page whose bytes are borrowed is read in place and copied before any write to it
    // (`Page.data` owns them first; `SharedBytes`, a lent page's bytes): nothing writes into
    // those bytes, so they are what the page held at the call until the judgement, kept
    // without a copy. (The reference services' supplies are such bytes: no copy of them and,
    // where the supplied page still holds them, no byte comparison.)
    pages[i] = s === undefined || s === MARKER || s instanceof ZeroSlot
      ? null
      : (s as Page).borrowed
      ? (s as Page).peek()
      : copy((s as Page).peek());
  }
  return { step, aux, first, pages };
}
