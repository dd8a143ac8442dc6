/**
 * The slot changes of VMOs, walked once for every checker that asks: a record of each VMO's slots
 * (object and kind) as the last look found them, and of the pages each look found changed, read
 * by each subscriber from where it last read ({@linkcode SlotLogs.changes}). Page-state and
 * dirty-state keep records of their own and judge only the pages that changed since their last
 * look at a VMO, in page order, instead of walking every slot each.
 *
 * Why that is exact: at a subscriber's look, the log's record equals the VMO (it was walked at
 * that look) and the subscriber brings its own record to the VMO too. A page that differs from the
 * subscriber's record later differs between two consecutive walks somewhere in between, so one
 * of the walks since listed it.
 *
 * @module
 */

import type { SlotKind } from "../kernel/events.ts";
import { Page, type Slot, slotKind } from "../kernel/objects.ts";

/** What holds slots: a VMO. */
export interface SlotHolder {
  readonly slots: readonly Slot[];
}

/** The record of one VMO's slots (object and kind) as its last look found them, and the pages each look found changed. */
class SlotLog {
  /** The look ({@linkcode SlotLogs.look}) that last brought it up to date. */
  look: number;
  /** The pages found changed, look after look (a page may repeat; a size change adds its tail). */
  readonly changed: number[] = [];
  /** Per subscriber: how many of `changed` it has been given (-1 or absent: none, a whole walk). */
  readonly read: number[] = [];
  /**
   * The pages whose slot in `slots` is not absent, ascending, the first `definedN` (the arrays
   * are reused: `spare` is the next list, built as this one is merged with a walk's changes).
   */
  defined: number[] = [];
  definedN = 0;
  spare: number[] = [];
  constructor(
    readonly slots: Slot[],
    readonly kinds: SlotKind[],
    look: number,
  ) {
    this.look = look;
    this.listDefined();
  }

  /** Lists the present slots of `slots` anew. */
  listDefined(): void {
    const slots = this.slots, defined = this.defined;
    let n = 0;
    for (let p = 0; p < slots.length; p++) {
      if (slots[p] === undefined) continue;
      if (n < defined.length) defined[n] = p;
      else defined.push(p);
      n++;
    }
    this.definedN = n;
  }

  /**
   * Merges the pages `changed[from..]` (ascending, written into `slots` already) into the list of
   * present slots: a page of either list stays if its slot is present.
   */
  mergeDefined(from: number): void {
    const slots = this.slots, changed = this.changed, old = this.defined, out = this.spare;
    let i = 0, j = from, n = 0;
    while (i < this.definedN || j < changed.length) {
      let p: number;
      if (j >= changed.length || (i < this.definedN && old[i] < changed[j])) p = old[i++];
      else if (i >= this.definedN || changed[j] < old[i]) p = changed[j++];
      else {
        p = old[i++];
        j++;
      }
      if (slots[p] === undefined) continue;
      if (n < out.length) out[n] = p;
      else out.push(p);
      n++;
    }
    this.spare = old;
    this.defined = out;
    this.definedN = n;
  }
}

/** Numbers in ascending order (`Array.prototype.sort`'s comparator, made once). */
const ascending = (a: number, b: number) => a - b;

/**
 * Sorts the first `n` numbers of `out` ascending and drops repeats; returns how many are left
 * (the first of `out`; entries past them are stale).
 */
export function sortPages(out: number[], n: number): number {
  if (n <= 1) return n;
  if (n <= 16) {
    for (let i = 1; i < n; i++) {
      const x = out[i];
      let j = i - 1;
      for (; j >= 0 && out[j] > x; j--) out[j + 1] = out[j];
      out[j + 1] = x;
    }
  } else {
    out.length = n;
    out.sort(ascending);
  }
  let m = 1;
  for (let i = 1; i < n; i++) if (out[i] !== out[m - 1]) out[m++] = out[i];
  return m;
}

/**
 * The records of the VMOs subscribers asked about ({@linkcode SlotLogs.changes}).
 *
 * @example
 * ```ts
 * import { SlotLogs } from "./_slot_log.ts";
 * import { MARKER } from "../kernel/objects.ts";
 * const logs = new SlotLogs();
 * const vmo = { slots: new Array(8) };
 * const out: number[] = [];
 * console.assert(logs.changes(vmo, 0, out) === -1); // the first look: walk whole
 * vmo.slots[5] = MARKER;
 * vmo.slots[2] = MARKER;
 * logs.look++;
 * console.assert(logs.changes(vmo, 0, out) === 2 && out[0] === 2 && out[1] === 5);
 * ```
 */
export class SlotLogs {
  /**
   * The look: the owner bumps it whenever the slots may have changed since the last (a step
   * monitor's journal, at each settle); within one look a VMO is walked once.
   */
  look = 0;
  /** How many subscribers have a number ({@linkcode SlotLogs.changes}'s `sub`). */
  subscribers = 0;
  /** The VMOs asked about, and their records. */
  readonly #logs = new Map<SlotHolder, SlotLog>();

  /**
   * The pages of `vmo` whose slot object or kind changed since subscriber `sub` last asked, in
   * page order without repeats, into `out`: their count, or -1 if it never asked (or was too far
   * behind). Either way `sub` is up to date with the VMO afterwards.
   */
  changes(vmo: SlotHolder, sub: number, out: number[]): number {
    const log = this.#slotLog(vmo);
    const read = sub < log.read.length ? log.read[sub] : -1;
    const changed = log.changed;
    // (Filled in place: the array grows to its longest use and stays.)
    while (log.read.length <= sub) log.read.push(-1);
    log.read[sub] = changed.length;
    if (read < 0) return -1;
    let n = 0;
    for (let i = read; i < changed.length; i++) {
      if (n < out.length) out[n] = changed[i];
      else out.push(changed[i]);
      n++;
    }
    return sortPages(out, n);
  }

  /**
   * Drops `vmo`'s record, if any: every subscriber's next {@linkcode SlotLogs.changes} for it is a
   * first one (-1, a whole walk), whatever changed meanwhile.
   */
  forget(vmo: SlotHolder): void {
    if (this.#logs.size > 0) this.#logs.delete(vmo);
  }

  /**
   * `vmo`'s record, brought up to date with the VMO at this look: a walk of every slot, against
   * the record's where it holds something (its list of present slots) and for `undefined`
   * elsewhere (a load and a test per absent slot: most of a large VMO's slots are absent, and
   * `undefined instanceof Page` cost several times that).
   */
  #slotLog(vmo: SlotHolder): SlotLog {
    const slots = vmo.slots;
    let log = this.#logs.get(vmo);
    if (log === undefined) {
      const kinds = new Array<SlotKind>(slots.length);
      for (let p = 0; p < slots.length; p++) kinds[p] = slotKind(slots[p]);
      log = new SlotLog(slots.slice(), kinds, this.look);
      this.#logs.set(vmo, log);
      return log;
    }
    if (log.look === this.look) return log;
    log.look = this.look;
    const snap = log.slots, kinds = log.kinds, changed = log.changed;
    const from = changed.length;
    const n = slots.length, m = snap.length;
    if (n === m) {
      const defined = log.defined, definedN = log.definedN;
      let p = 0;
      for (let i = 0; i <= definedN; i++) {
        const stop = i < definedN ? defined[i] : n;
        for (; p < stop; p++) {
          const s = slots[p];
          if (s === undefined) continue;
          snap[p] = s;
          kinds[p] = slotKind(s);
          changed.push(p);
        }
        if (i === definedN) break;
        const s = slots[p];
        // (Only a page changes kind in place: a marker and a zero slot are theirs for good.)
        if (s !== snap[p]) snap[p] = s;
        else if (!(s instanceof Page) || s.state === kinds[p]) {
          p++;
          continue;
        }
        kinds[p] = slotKind(s);
        changed.push(p);
        p++;
      }
      if (changed.length > from) log.mergeDefined(from);
    } else {
      const common = n < m ? n : m;
      for (let p = 0; p < common; p++) {
        const s = slots[p];
        if (s === snap[p]) {
          if (s === undefined || !(s instanceof Page) || s.state === kinds[p]) continue;
        } else snap[p] = s;
        kinds[p] = slotKind(s);
        changed.push(p);
      }
      for (let p = common; p < (n > m ? n : m); p++) {
        changed.push(p);
        if (p < n) {
          snap[p] = slots[p];
          kinds[p] = slotKind(slots[p]);
        }
      }
      snap.length = n;
      kinds.length = n;
      log.listDefined();
    }
    // A subscriber that has not looked for long: the pages it missed are forgotten past a
    // bound, and it walks the VMO whole at its next look; the others keep theirs.
    const bound = 64 + 2 * n;
    if (changed.length > bound) {
      let least = changed.length;
      const read = log.read;
      for (let i = 0; i < read.length; i++) {
        if (read[i] < 0) continue;
        if (changed.length - read[i] > bound) read[i] = -1;
        else if (read[i] < least) least = read[i];
      }
      changed.splice(0, least);
      for (let i = 0; i < read.length; i++) if (read[i] >= 0) read[i] -= least;
    }
    return log;
  }
}
