/**
 * `dirty-state`: the level-2 kernel invariants of spec 7.1 over root pager
 * VMOs, checked after every step from the slots before and after and the
 * syscalls the step ran: K3 (DIRTY requests only on trap-dirty VMOs, only for
 * present non-Dirty content), K17 (transitions follow table 5.2; a successful COMMIT leaves no
 * zero interval in its range), K18 (Dirty
 * and AwaitingClean pages are never evicted or dropped except by shrink, death
 * or OP_ZERO), K20 (a grow's tail is a Dirty zero interval), K21 (a shrink
 * leaves no request and no content past the size), K25 (modified is set only by
 * writes, a user copy into a mapping of the VMO included, a write pin that pinned
 * everything, resize and zeroing, and cleared only by a resetting stats query), K19 (a
 * successful `zx_pager_query_dirty_ranges` returns exactly the runs of non-Clean pages and of
 * zero-interval slots in its page-widened range, ascending, the zero runs flagged `IS_ZERO`,
 * as many as fit in its buffer: worked out here from the slot kinds, not by the kernel's
 * `dirtyRanges`).
 *
 * @module
 */

import { present } from "../../kernel/assert.ts";
import type { KernelEvent, SlotKind } from "../../kernel/events.ts";
import { Page, type Slot, slotKind, Vmo } from "../../kernel/objects.ts";
import type { HandleTable } from "../../kernel/handles.ts";
import { InvariantViolation, type Verdict, type World } from "../../sim/world.ts";
import {
  NAMES_VMO,
  pagerVmo,
  pinCovers,
  type PinRange,
  pinRange,
  StepMonitor,
  VMO_KIND_BITS,
} from "../_step_monitor.ts";
import {
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_PAGER_RESET_VMO_STATS,
  ZX_PAGER_VMO_STATS_MODIFIED,
  ZX_VMAR_OP_COMMIT,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
  ZX_VMO_DIRTY_RANGE_SIZE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_ZERO,
} from "../../kernel/constants.ts";
import { callsWhere } from "../../kernel/syscalls.ts";
import { type EndPlan, ZeroEnds } from "./_zero_intervals.ts";
import { PageMap } from "../_page_map.ts";
import { StepSet } from "../_step_set.ts";
import { TidMap } from "../_tid_map.ts";

interface Before {
  readonly slots: Slot[];
  readonly kinds: SlotKind[];
  modified: boolean;
  readonly dead: boolean;
  /** The zero intervals' awaiting-clean ends ({@linkcode ZeroEnds}); null: not known. */
  zeros: ZeroEnds | null;
}

/** A successful WRITEBACK_BEGIN or END of this step on one VMO, in pages. */
interface Writeback {
  readonly begin: boolean;
  readonly start: number;
  readonly end: number;
  /** A BEGIN with `ZX_VMO_DIRTY_RANGE_IS_ZERO`: it moves no page. */
  readonly zero: boolean;
}

/**
 * The VMOs an argument list's handles named, and the handle table they were last looked up in
 * (issued values, open count): one per argument list, updated in place.
 */
interface Resolved {
  /** The syscall's name (of the first call with this argument list). */
  readonly name: string;
  /** Whether the name is one of `SPECIAL_CALLS` (asked once, when the call began). */
  readonly special: boolean;
  readonly args: readonly unknown[];
  issued: number;
  open: number;
  /** The VMOs its handles named ({@linkcode NO_VMOS} until the first: most calls name none). */
  vmos: readonly Vmo[];
}

/** The VMOs of an argument list that named none yet: one shared array, not one per call. */
const NO_VMOS: readonly Vmo[] = Object.freeze([]);

const SETS_MODIFIED = callsWhere((s) => s.modifies === true);

/** Whether a `zx_vmo_write`'s arguments write at least one byte (a call event shows the bytes as their length). */
function wroteBytes(args: readonly unknown[]): boolean {
  const data = args[1];
  const length = data instanceof Uint8Array ? data.length : data;
  return typeof length === "number" && length > 0;
}

/** The calls whose names {@linkcode DirtyState.#noteCall} notes more of than their handles. */
const SPECIAL_CALLS: ReadonlySet<string> = new Set([
  "zx_bti_pin",
  "zx_vmar_op_range",
  "zx_pager_query_vmo_stats",
]);

/** A range as a `ret` event of `zx_pager_query_dirty_ranges` carries it. */
interface Reported {
  readonly offset: number;
  readonly length: number;
  readonly options?: number;
}

/**
 * A successful `zx_vmo_op_range(COMMIT)` of a root pager VMO this step, in pages, judged after
 * the step (K17's commit row) unless an event after its return named a VMO or began a call.
 */
interface Commit {
  readonly vmo: Vmo;
  /** The call's byte range. */
  readonly offset: number;
  readonly size: number;
  late: boolean;
}

/** A successful `zx_pager_query_dirty_ranges` of this step, judged after the step (K19). */
interface Query {
  readonly args: readonly unknown[];
  readonly ranges: readonly Reported[];
  /** An event after its return named a VMO or began a call: the slots may have moved since. */
  late: boolean;
}

/**
 * K19 from the slot kinds alone (spec 2.6, `VmCowPages::EnumerateDirtyRangesLocked`,
 * zircon/kernel/vm/vm_cow_pages.cc @ misttech/fuchsia 030dcba0): walking pages `[start, end)`,
 * each maximal run of Dirty or AwaitingClean pages is one range with options 0, each maximal run
 * of zero-interval slots one range with `IS_ZERO`; Clean pages, markers and gaps end a run and
 * are not reported. Written apart from `kernel/dirty.ts`' `dirtyRanges`, which it judges.
 */
function expectedDirtyRanges(
  slots: readonly Slot[],
  start: number,
  end: number,
  pageSize: number,
): Reported[] {
  const out: Reported[] = [];
  let p = start;
  while (p < end) {
    const k = slotKind(slots[p]);
    const zero = k === "zero";
    if (!zero && k !== "dirty" && k !== "awaiting-clean") {
      p++;
      continue;
    }
    let q = p + 1;
    for (; q < end; q++) {
      const kq = slotKind(slots[q]);
      if (zero ? kq !== "zero" : kq !== "dirty" && kq !== "awaiting-clean") break;
    }
    out.push({
      offset: p * pageSize,
      length: (q - p) * pageSize,
      options: zero ? ZX_VMO_DIRTY_RANGE_IS_ZERO : 0,
    });
    p = q;
  }
  return out;
}

const showPages = (ps: readonly number[]) => ps.length === 0 ? "none" : ps.join(" ");

const showRanges = (rs: readonly Reported[]) =>
  rs.length === 0
    ? "none"
    : rs.map((r) => `[${r.offset},+${r.length})${r.options ? "Z" : ""}`).join(" ");

/**
 * The event kinds {@linkcode DirtyState}'s `onStepEvent` reads: those that name a VMO, and calls
 * and returns (a block, wake or thread event names none and starts or ends no call: nothing to
 * note, so it is not passed). Worked out from {@linkcode NAMES_VMO}, so a kind that comes to name
 * a VMO is passed.
 */
const STEP_KINDS: ReadonlySet<KernelEvent["k"]> = new Set(
  [
    ...(Object.keys(NAMES_VMO) as KernelEvent["k"][]).filter((k) => NAMES_VMO[k]),
    "call",
    "ret",
  ] as const,
);

/**
 * Watches dirty states, requests and the modified flag of every root pager VMO. It reads every
 * event of the step from its checker set's journal (no listener of its own) and judges after each
 * step only: not at the end of a run, nor a run that did not pass.
 */
export class DirtyState extends StepMonitor {
  readonly name = "dirty-state";
  protected override readonly stepKinds: ReadonlySet<KernelEvent["k"]> = STEP_KINDS;
  #before = new Map<Vmo, Before>();
  readonly #paranoid: boolean;

  /** `paranoid`: compare every pager VMO after every step, not only those the step can change. */
  constructor(options: { readonly paranoid?: boolean } = {}) {
    super();
    this.#paranoid = options.paranoid ?? false;
  }
  readonly #calls = new StepSet<string>();
  /** Whether `#calls` holds the names of the calls in progress too ({@linkcode DirtyState.#stepCalls}). */
  #callsComplete = false;
  #requests: { vmo: number; type: "READ" | "DIRTY"; start: number; end: number; id: number }[] = [];
  /** Koids of the VMOs this step stored into. */
  readonly #stored = new StepSet<number>();
  /** Koids this step's events named, and the handle arguments of its syscalls. */
  readonly #named = new StepSet<number>();
  /** The koid last added to `#named` this step. */
  #lastNamed: number | undefined = undefined;
  /**
   * The handle lookups of the syscalls in progress by thread, and of those that returned this
   * step (each the one {@linkcode Resolved} of its argument list).
   */
  readonly #inCallArgs = new TidMap<Resolved>();
  readonly #retired: Resolved[] = [];
  /**
   * The VMOs the handles of the calls in progress named as of the last look, and those calls
   * that {@linkcode DirtyState.#noteSpecial} notes ({@linkcode DirtyState.#noteCallsInProgress}).
   */
  readonly #inCallVmos: Vmo[] = [];
  readonly #inCallSpecial: Resolved[] = [];
  /**
   * How many of `#inCallVmos` and `#inCallSpecial` are current (the arrays are written over, not
   * emptied: `length = 0` gives their store back and the pushes grow a new one at every look).
   */
  #inCallVmosN = 0;
  #inCallSpecialN = 0;
  /** A call began or returned since the last look, and the handle table as it left it. */
  #inCallChanged = true;
  #inCallIssued = -1;
  #inCallOpen = -1;
  /** How many of `#retired` are this step's (the array is reused: entries past it are stale). */
  #retiredN = 0;
  readonly #active = new StepSet<Vmo>();
  /** The pages the `zx_bti_pin` calls running this step pin ({@linkcode pinRange}). */
  readonly #pins: PinRange[] = [];
  /** A `zx_vmar_op_range(COMMIT)` ran this step (it commits VMOs no handle of it names). */
  #vmarCommit = false;
  /** Which pager VMO held each page when its VMO was last compared. */
  #where = new PageMap<Vmo>();
  /** The pages {@linkcode DirtyState.#update} looks at (the array is reused). */
  readonly #pending: number[] = [];
  /** This step's `store` events (K17: the pages a store wrote into are Dirty after it). */
  readonly #stores: { vmo: number; offset: number; bytes: Uint8Array }[] = [];
  /** This step's successful dirty-range queries (K19). */
  readonly #queries: Query[] = [];
  /** This step's successful COMMITs of root pager VMOs (K17's commit row). */
  readonly #commits: Commit[] = [];
  /** This step's successful `zx_pager_query_vmo_stats` and the flags each reported (K25). */
  readonly #statsQueries: { args: readonly unknown[]; modified: number | undefined }[] = [];
  /**
   * The root pager VMOs this step's successful `zx_vmo_set_size` or `zx_vmo_write` (of at least
   * one byte) named directly: each must be modified after the step (K25's must-set rule).
   */
  readonly #mustModify: Vmo[] = [];
  /**
   * This step's DIRTY requests raised by a `zx_vmo_op_range(ZERO)` in progress, with its
   * arguments (K25: a ZERO waiting on its first page has zeroed nothing).
   */
  readonly #zeroDirty: { args: readonly unknown[]; vmo: number; start: number; id: number }[] = [];
  /** The VMOs a `zx_pager_query_vmo_stats` with RESET named this step (K25). */
  readonly #resetQueries = new Set<Vmo>();
  /** The argument lists of this step's successful `zx_pager_op_range` calls. */
  readonly #pagerOps: (readonly unknown[])[] = [];
  /** This step's successful WRITEBACK_BEGIN/END by VMO; null: more than one on it. */
  readonly #writebacks = new Map<Vmo, Writeback | null>();

  protected override onStepEvent(e: KernelEvent, _call: unknown, _world: World, bit: number): void {
    // (The kind is read once: an event's field loads are megamorphic, ~19 event shapes.)
    const k = e.k;
    // (A step's events mostly name one VMO after another: the last one named is not added again.)
    const names = (bit & VMO_KIND_BITS) !== 0;
    if (names) {
      const koid = (e as { readonly vmo: number }).vmo;
      if (koid !== this.#lastNamed) this.#named.add(this.#lastNamed = koid);
    }
    if (this.#queries.length > 0 && (names || k === "call")) {
      for (const q of this.#queries) q.late = true;
    }
    if (this.#commits.length > 0 && (names || k === "call")) {
      for (const c of this.#commits) c.late = true;
    }
    if (k === "call") {
      this.#inCallChanged = true;
      this.#calls.add(e.name);
      // Each call event has an argument list of its own (`tableCall`'s `shown`): a fresh lookup.
      this.#inCallArgs.set(e.tid, {
        name: e.name,
        special: SPECIAL_CALLS.has(e.name),
        args: e.args,
        issued: -1,
        open: -1,
        vmos: NO_VMOS,
      });
    } else if (k === "ret") {
      this.#inCallChanged = true;
      const args = this.#inCallArgs.get(e.tid);
      if (e.status === 0 && args !== undefined) {
        if (e.name === "zx_pager_query_dirty_ranges" && e.ranges !== undefined) {
          this.#queries.push({ args: args.args, ranges: e.ranges, late: false });
        }
        if (e.name === "zx_vmo_op_range" && args.args[1] === ZX_VMO_OP_COMMIT) {
          this.#noteCommit(args);
        }
      }
      this.#calls.add(e.name);
      if (e.name === "zx_pager_op_range" && e.status === 0 && args !== undefined) {
        this.#pagerOps.push(args.args);
      }
      if (e.name === "zx_pager_query_vmo_stats" && e.status === 0 && args !== undefined) {
        this.#statsQueries.push({ args: args.args, modified: e.value });
      }
      if (
        e.status === 0 && args !== undefined &&
        (e.name === "zx_vmo_set_size" || e.name === "zx_vmo_write" && wroteBytes(args.args))
      ) {
        const vmo = this.vmoOf(args.args[0]);
        if (vmo !== undefined && vmo.parent === null && vmo.source !== null) {
          this.#mustModify.push(vmo);
        }
      }
      // A write pin that returned ZX_OK pinned its whole range, so it marked the root modified
      // (`CommitRangeInternal`'s deferred cleanup calls `mark_modified_locked` when `write` and
      // `len` is 0, vm_object_paged.cc @ misttech/fuchsia 056f3590).
      if (e.name === "zx_bti_pin" && e.status === 0 && args !== undefined) {
        const v = this.vmoOf(args.args[2]);
        const pin = v === undefined ? undefined : pinRange(v, args.args, _world.kernel.pageSize);
        if (pin !== undefined && pin.write && pin.end > pin.start) this.#mustModify.push(pin.root);
      }
      if (args !== undefined) {
        if (this.#retiredN < this.#retired.length) this.#retired[this.#retiredN] = args;
        else this.#retired.push(args);
        this.#retiredN++;
      }
      this.#inCallArgs.delete(e.tid);
    } else if (k === "request") {
      this.#requests.push(e);
      if (e.type === "DIRTY") {
        const a = this.#inCallArgs.get(e.tid);
        if (a !== undefined && a.name === "zx_vmo_op_range" && a.args[1] === ZX_VMO_OP_ZERO) {
          this.#zeroDirty.push({ args: a.args, vmo: e.vmo, start: e.start, id: e.id });
        }
      }
    } else if (k === "store") {
      this.#stored.add(e.vmo);
      this.#stores.push(e);
    }
  }

  #fail(code: string, message: string): never {
    throw new InvariantViolation(this.name, `${code}: ${message}`);
  }

  /** Nothing more at the end of a run: every step was judged after it. */
  override atEnd(_world: World, _verdict: Verdict): void {}

  /** A run that did not pass is not this checker's to settle (nor is the step it stopped in). */
  override judge(_world: World, _verdict: Verdict): boolean {
    return false;
  }

  /**
   * The names of the step's calls, after its events: those the events began or ended, then
   * those in progress. Worked out when a judgement first needs them: most steps change nothing
   * that asks.
   */
  #stepCalls(): StepSet<string> {
    const calls = this.#calls;
    if (!this.#callsComplete) {
      this.#callsComplete = true;
      const inCall = this.#inCallArgs;
      for (let i = 0; i < inCall.size; i++) calls.add(inCall.valueAt(i).name);
    }
    return calls;
  }

  protected override endStep(world: World): void {
    // (Indexed loops over arrays here and below: an array iterator per loop per step was much of
    // what a checked run allocated in this method, per the sampling heap profiler.)
    const queries = this.#queries;
    for (let i = 0; i < queries.length; i++) {
      if (!queries[i].late) this.#judgeQuery(world, queries[i]);
    }
    if (this.#queries.length > 0) this.#queries.length = 0;
    if (this.#commits.length > 0) this.#judgeCommits(world.kernel.pageSize);
    // OP_ZERO and a resize store zeros that may stay a zero interval (table 5.2): not judged.
    if (this.#stores.length > 0) {
      const calls = this.#stepCalls();
      if (calls.has("zx_vmo_op_range") || calls.has("zx_vmo_set_size")) this.#stores.length = 0;
      else this.#judgeStores(world);
    }
    const requests = this.#requests;
    for (let i = 0; i < requests.length; i++) {
      const r = requests[i];
      if (r.type !== "DIRTY") continue;
      const vmo = present(
        world.kernel.pagerVmos.find((v) => v.koid === r.vmo),
        "DirtyState: the pager VMO of an outstanding DIRTY request",
      );
      if (!vmo.trapDirty) this.#fail("K3", `DIRTY #${r.id} on vmo${r.vmo} without TRAP_DIRTY`);
      for (let p = r.start; p < r.end; p++) {
        // Past the VMO's end is K3's (as K2 holds a READ inside the VMO's size; packet-discipline's
        // `sizing` leaves a request past the end to them): no page there to be "absent".
        if (p >= vmo.pageCount) {
          this.#fail(
            "K3",
            `DIRTY #${r.id} on vmo${r.vmo} [${r.start},${r.end}) runs past the end of the VMO ` +
              `(${vmo.pageCount} pages): page ${p} is not in it`,
          );
        }
        const k = slotKind(vmo.slots[p]);
        if (k === "absent" || k === "dirty" || k === "marker" && this.#zeroesOnly()) {
          this.#fail("K3", `DIRTY #${r.id} on vmo${r.vmo} covers page ${p}, which is ${k}`);
        }
      }
    }
    // Only VMOs this step can have changed: named by an event or a syscall's handle, holding a
    // page whose bytes it touched, or with another size, life or modified flag.
    // One pass over the calls in progress, then those that returned: their handles' VMOs, pins,
    // a `zx_vmar_op_range(COMMIT)` and resetting stats queries.
    const active = this.#active;
    if (this.#pins.length > 0) this.#pins.length = 0;
    this.#vmarCommit = false;
    if (this.#resetQueries.size > 0) this.#resetQueries.clear();
    this.#noteCallsInProgress(world, active);
    const retired = this.#retired;
    for (let i = 0; i < this.#retiredN; i++) this.#noteCall(world, retired[i], active);
    const touches = world.kernel.pages.touches;
    if (touches.size > 0) {
      for (let i = 0; i < touches.size; i++) {
        const v = this.#where.get(touches.pageAt(i));
        if (v !== undefined) active.add(v);
      }
    }
    if (this.#statsQueries.length > 0) this.#judgeStats(this.#stepCalls());
    if (this.#mustModify.length > 0) this.#judgeMustModify();
    if (this.#zeroDirty.length > 0) this.#judgeZeroWaits(world.kernel.pageSize);
    const writebacks = this.#writebacks;
    if (this.#pagerOps.length > 0) this.#noteWritebacks(world.kernel.pageSize);
    const vmos = world.kernel.pagerVmos;
    for (let i = 0; i < vmos.length; i++) {
      const vmo = vmos[i];
      const was = this.#before.get(vmo);
      if (
        was !== undefined && !this.#paranoid && !this.#vmarCommit && !active.has(vmo) &&
        !this.#named.has(vmo.koid) &&
        was.kinds.length === vmo.slots.length && was.modified === vmo.modified &&
        was.dead === vmo.dead
      ) continue;
      const n = vmo.slots.length;
      const wb = writebacks.size > 0 ? writebacks.get(vmo) : undefined;
      if (was !== undefined && !this.#paranoid && was.kinds.length === n && was.dead === vmo.dead) {
        this.#update(vmo, was, wb);
        continue;
      }
      // (A whole look asks the journal too: its next answer starts from here.)
      if (!this.#paranoid) this.slotChanges(vmo, this.#pending);
      const kinds = new Array<SlotKind>(n);
      const slots = new Array<Slot>(n);
      for (let p = 0; p < n; p++) {
        const s = vmo.slots[p];
        slots[p] = s;
        kinds[p] = slotKind(s);
        if (s instanceof Page && was?.slots[p] !== s) this.#where.set(s, vmo);
      }
      const now: Before = {
        slots,
        kinds,
        modified: vmo.modified,
        dead: vmo.dead,
        zeros: was === undefined || was.dead !== vmo.dead ? ZeroEnds.of(kinds) : was.zeros,
      };
      if (was !== undefined && !vmo.dead) this.#compare(vmo, was, now, this.#stepCalls(), wb);
      // K25 at a VMO's first look (the end of the step that made it): a new pager VMO is not
      // modified (`pager_stats_modified_` starts false, vm_cow_pages.h @ gnoliyil/fuchsia
      // 1aa74e42), so only that step's own modifying calls may have set the flag.
      else if (was === undefined && now.modified) this.#judgeModified(vmo, false, true);
      this.#before.set(vmo, now);
    }
    if (writebacks.size > 0) {
      for (const [vmo, wb] of writebacks) {
        if (wb !== null && !vmo.dead) this.#judgeWriteback(vmo, wb);
      }
      writebacks.clear();
    }
    if (this.#pagerOps.length > 0) this.#pagerOps.length = 0;
    if (this.#calls.size > 0) this.#calls.clear();
    this.#callsComplete = false;
    if (this.#requests.length > 0) this.#requests.length = 0;
    if (this.#stored.size > 0) this.#stored.clear();
    if (this.#named.size > 0) this.#named.clear();
    this.#lastNamed = undefined;
    if (active.size > 0) active.clear();
    this.#retiredN = 0;
  }

  /**
   * {@linkcode DirtyState.#noteCall} for every call in progress, in their order. Their handles'
   * VMOs are looked up again only when a call began or returned since the last step, or the
   * handle table changed (else every {@linkcode Resolved} would find its lookup current, and the
   * same VMOs): the VMOs are kept in one list, and their roots (which a reparenting can move)
   * are taken anew every step.
   */
  #noteCallsInProgress(world: World, active: StepSet<Vmo>): void {
    const inCall = this.#inCallArgs;
    const table = world.kernel.handles;
    const vmos = this.#inCallVmos;
    const special = this.#inCallSpecial;
    if (
      this.#inCallChanged || this.#inCallIssued !== table.issued ||
      this.#inCallOpen !== table.size
    ) {
      this.#inCallChanged = false;
      this.#inCallIssued = table.issued;
      this.#inCallOpen = table.size;
      let vmosN = 0, specialN = 0;
      for (let i = 0; i < inCall.size; i++) {
        const r = inCall.valueAt(i);
        this.#lookUpHandles(table, r);
        for (let k = 0; k < r.vmos.length; k++) {
          if (vmosN < vmos.length) vmos[vmosN] = r.vmos[k];
          else vmos.push(r.vmos[k]);
          vmosN++;
        }
        if (r.special) {
          if (specialN < special.length) special[specialN] = r;
          else special.push(r);
          specialN++;
        }
      }
      this.#inCallVmosN = vmosN;
      this.#inCallSpecialN = specialN;
    }
    for (let i = 0; i < this.#inCallVmosN; i++) active.add(vmos[i].root);
    for (let i = 0; i < this.#inCallSpecialN; i++) this.#noteSpecial(world, special[i]);
  }

  /**
   * Notes what a call in progress or returned this step may change: the VMOs its handles name
   * (into `active`), the pages a `zx_bti_pin` pins, a `zx_vmar_op_range(COMMIT)`, a stats query
   * with RESET.
   */
  #noteCall(world: World, r: Resolved, active: StepSet<Vmo>): void {
    this.#addHandles(world, r, active);
    if (r.special) this.#noteSpecial(world, r);
  }

  /** What {@linkcode DirtyState.#noteCall} notes of a call by its name (one of `SPECIAL_CALLS`). */
  #noteSpecial(world: World, r: Resolved): void {
    const name = r.name;
    if (name === "zx_bti_pin") {
      const v = this.vmoOf(r.args[2]);
      const pin = v === undefined ? undefined : pinRange(v, r.args, world.kernel.pageSize);
      if (pin !== undefined) this.#pins.push(pin);
    } else if (name === "zx_vmar_op_range") {
      if (r.args[1] === ZX_VMAR_OP_COMMIT) this.#vmarCommit = true;
    } else if (name === "zx_pager_query_vmo_stats") this.#noteResetQuery(r);
  }

  /**
   * K17, the write rows of table 5.2: every page of a root pager VMO that a store of this step
   * wrote into is Dirty after the step (a write makes Clean, AwaitingClean, marker and zero
   * content Dirty; under TRAP_DIRTY only once OP_DIRTY has, `VmCowPages::PrepareForWriteLocked`,
   * vm_cow_pages.cc @ misttech/fuchsia 030dcba0). A step is one thread's run to its next
   * syscall, so nothing after the store in the step makes the page anything else. The stores
   * of OP_ZERO and of a resize's tail are left out (their zeros may stay a zero interval).
   */
  #judgeStores(world: World): void {
    const ps = world.kernel.pageSize;
    for (const st of this.#stores) {
      const vmo = pagerVmo(world, st.vmo);
      if (vmo === undefined || vmo.parent !== null || vmo.dead || st.bytes.length === 0) continue;
      const last = Math.min(Math.ceil((st.offset + st.bytes.length) / ps), vmo.slots.length);
      for (let p = Math.floor(st.offset / ps); p < last; p++) {
        const k = slotKind(vmo.slots[p]);
        if (k !== "dirty") {
          this.#fail("K17", `vmo${vmo.koid} page ${p} is ${k} after a store into it`);
        }
      }
    }
    if (this.#stores.length > 0) this.#stores.length = 0;
  }

  /** Notes a successful COMMIT of a root pager VMO ({@linkcode DirtyState.#judgeCommits}). */
  #noteCommit(r: Resolved): void {
    const [handle, , offset, size] = r.args;
    const vmo = this.vmoOf(handle);
    if (
      vmo === undefined || vmo.parent !== null || vmo.source === null ||
      typeof offset !== "number" || typeof size !== "number"
    ) return;
    this.#commits.push({ vmo, offset, size, late: false });
  }

  /**
   * K17's commit row: a `zx_vmo_op_range(COMMIT)` of a root pager VMO that returned ZX_OK left no
   * zero-interval slot in its range. Upstream `VmCowPages::CommitRangeLocked` asks
   * `LookupCursor::RequireOwnedPage` for every page of the range, and a page in a zero interval
   * is allocated Dirty even for a commit ("Zero intervals are considered implicitly dirty and
   * allocating them, even for reading, causes them to be supplied as new dirty pages",
   * `TargetZeroContentSupplyDirty`; under TRAP_DIRTY a DIRTY request comes first, and the commit
   * does not return ZX_OK while it waits), zircon/kernel/vm/vm_cow_pages.cc @ misttech/fuchsia
   * 030dcba0. Judged from the slots after the step the commit returned in, when nothing after
   * its return named a VMO or began a call (a step is one thread's run to its next syscall).
   */
  #judgeCommits(ps: number): void {
    const commits = this.#commits;
    for (let i = 0; i < commits.length; i++) {
      const c = commits[i];
      if (c.late || c.vmo.dead) continue;
      const slots = c.vmo.slots;
      // The pages the range touches, as the kernel's range op takes them.
      const first = Math.floor(c.offset / ps);
      const end = Math.ceil((c.offset + c.size) / ps);
      for (let p = first; p < Math.min(end, slots.length); p++) {
        if (slotKind(slots[p]) === "zero") {
          this.#fail(
            "K17",
            `vmo${c.vmo.koid} page ${p} is still a zero interval after a COMMIT of pages ` +
              `[${first},${end}) returned ZX_OK: a commit allocates a zero interval's pages Dirty`,
          );
        }
      }
    }
    commits.length = 0;
  }

  /**
   * K19: the ranges a query returned against {@linkcode expectedDirtyRanges} of the VMO's slots
   * after the step (nothing after its return named a VMO or began a call, so they are the slots
   * it read), cut to what fits in its buffer (`actual`; spec 2.6).
   */
  #judgeQuery(world: World, q: Query): void {
    const [, vmoHandle, offset, length, bufferSize] = q.args;
    const vmo = this.vmoOf(vmoHandle);
    if (
      vmo === undefined || typeof offset !== "number" || typeof length !== "number" ||
      typeof bufferSize !== "number"
    ) return;
    const ps = world.kernel.pageSize;
    const all = expectedDirtyRanges(
      vmo.slots,
      Math.floor(offset / ps),
      Math.ceil((offset + length) / ps),
      ps,
    );
    const want = all.slice(0, Math.floor(bufferSize / ZX_VMO_DIRTY_RANGE_SIZE));
    const got = q.ranges;
    const same = got.length === want.length &&
      got.every((r, i) =>
        r.offset === want[i].offset && r.length === want[i].length &&
        (r.options === undefined || r.options === want[i].options)
      );
    if (!same) {
      this.#fail(
        "K19",
        `zx_pager_query_dirty_ranges of vmo${vmo.koid} [${offset},+${length}) returned ${
          showRanges(got)
        }, its dirty ranges are ${showRanges(want)}`,
      );
    }
  }

  /**
   * Adds the VMOs (their roots) that the handles among `r.args` name to `into`. The lookups are
   * kept per argument list while the handle table holds the same handles (no handle was made,
   * the same number is open), so a call parked for many steps is looked up once. A VMO once
   * found stays found: a parked call keeps the object its handle named when the call began
   * (`sys_vmo_op_range` holds a `RefPtr<VmObjectDispatcher>` for the whole call,
   * zircon/kernel/lib/syscalls/vmo.cc @ misttech/fuchsia 0c080f55), so closing the handle while
   * it waits leaves the call changing the VMO when it resumes. Handle values are never reused,
   * so an old lookup never names another object.
   */
  #addHandles(world: World, r: Resolved, into: StepSet<Vmo>): void {
    this.#lookUpHandles(world.kernel.handles, r);
    const vmos = r.vmos;
    for (let i = 0; i < vmos.length; i++) into.add(vmos[i].root);
  }

  /** Brings `r.vmos` up to date with `table` ({@linkcode DirtyState.#addHandles}). */
  #lookUpHandles(table: HandleTable, r: Resolved): void {
    if (r.issued !== table.issued || r.open !== table.size) {
      const args = r.args;
      for (let i = 0; i < args.length; i++) {
        const h = args[i];
        if (typeof h !== "number") continue;
        const o = table.entry(h)?.object;
        if (!(o instanceof Vmo) || r.vmos.includes(o)) continue;
        // (The list is the call's own once it has one: grown in place, not copied per VMO.)
        if (r.vmos === NO_VMOS) r.vmos = [o];
        else (r.vmos as Vmo[]).push(o);
      }
      r.issued = table.issued;
      r.open = table.size;
    }
  }

  /**
   * One pass over a VMO of unchanged size and life: the slots that differ from `was` are judged
   * in page order (K17, K18) and written into `was` in place, then the modified flag (K25). The
   * same verdicts as {@linkcode DirtyState.#compare} on a fresh copy, without the copy.
   */
  #update(vmo: Vmo, was: Before, wb: Writeback | null | undefined): void {
    const slots = vmo.slots;
    const judge = !vmo.dead;
    const kinds = was.kinds;
    const plan = this.#zerosBefore(was, kinds, wb);
    // Only the pages whose slot object or kind the journal saw change since the last look (the
    // others are passed over by the tests below), in page order; else all.
    const pending = this.#pending;
    const listed = this.slotChanges(vmo, pending);
    const end = listed < 0 ? slots.length : listed;
    for (let i = 0; i < end; i++) {
      const p = listed < 0 ? i : pending[i];
      const s = slots[p];
      const wasSlot = was.slots[p];
      if (s === wasSlot && (s === undefined || !(s instanceof Page))) continue;
      const b = slotKind(s);
      const a = kinds[p];
      if (s === wasSlot && a === b) continue;
      if (judge && a !== b && !this.#allowed(a, b, this.#stepCalls(), vmo, p)) {
        const code = (a === "dirty" || a === "awaiting-clean") && b === "absent" ? "K18" : "K17";
        this.#fail(
          code,
          `vmo${vmo.koid} page ${p} went from ${a} to ${b} in a step running ${[
            ...this.#stepCalls(),
          ]}`,
        );
      }
      // The kinds below p are as the step left them, those above as it found them.
      if (a !== b && (a === "zero" || b === "zero")) {
        this.#zeroChange(vmo, was, plan, kinds, kinds, p, a, b);
      }
      if (s instanceof Page && wasSlot !== s) this.#where.set(s, vmo);
      was.slots[p] = s;
      kinds[p] = b;
    }
    if (plan !== null) this.#zerosAfter(vmo, was, plan, kinds);
    if (judge) this.#judgeModified(vmo, was.modified, vmo.modified);
    was.modified = vmo.modified;
  }

  /**
   * K25, what a successful `zx_pager_query_vmo_stats` reports (spec 2.7): `ZX_PAGER_VMO_STATS_MODIFIED`
   * if the VMO was modified since the last reset, else 0, against the flag as the last step left
   * it (this checker's own record, whose every move K25 judges); set in this step only by a call
   * that modifies or a store into the VMO before the query.
   */
  #judgeStats(calls: StepSet<string>): void {
    for (const q of this.#statsQueries) {
      const vmo = this.vmoOf(q.args[1]);
      const was = vmo === undefined ? undefined : this.#before.get(vmo);
      if (vmo === undefined || was === undefined) continue;
      if (q.args[2] === ZX_PAGER_RESET_VMO_STATS) this.#judgeReset(vmo);
      if (q.modified !== 0 && q.modified !== ZX_PAGER_VMO_STATS_MODIFIED) {
        this.#fail(
          "K25",
          `zx_pager_query_vmo_stats of vmo${vmo.koid} reported flags ${q.modified}`,
        );
      }
      const reported = q.modified === ZX_PAGER_VMO_STATS_MODIFIED;
      if (reported !== was.modified && !(reported && this.#mayMarkModified(vmo, calls))) {
        this.#fail(
          "K25",
          `zx_pager_query_vmo_stats of vmo${vmo.koid} reported ${
            reported ? "" : "not "
          }modified; the VMO was ${was.modified ? "" : "not "}modified`,
        );
      }
    }
    if (this.#statsQueries.length > 0) this.#statsQueries.length = 0;
  }

  /**
   * K25, what must set the flag (not only what may): "any successful resize (grow or shrink)"
   * and a `zx_vmo_write` that wrote at least one byte mark the root pager VMO modified (spec 2.7,
   * 2.8.3; `VmObjectPaged::Resize` and `ReadWriteInternalLocked` call `mark_modified_locked`,
   * vm_object_paged.cc @ misttech/fuchsia 056f3590), and so does a `zx_bti_pin` with
   * `ZX_BTI_PERM_WRITE` that returned ZX_OK (it pinned its whole range: `CommitRangeInternal`'s
   * deferred cleanup, the same file). Judged from the call and its handle, against
   * the flag the kernel keeps (which K25 ties to every query's report): a kernel that forgets to
   * mark left queries reporting not modified after a write or resize. A query of the VMO with
   * RESET in the same step may have cleared it since.
   */
  #judgeMustModify(): void {
    const must = this.#mustModify;
    for (let i = 0; i < must.length; i++) {
      const vmo = must[i];
      if (vmo.modified || vmo.dead || this.#resetQueries.has(vmo)) continue;
      this.#fail("K25", `vmo${vmo.koid} is not modified after a successful ${this.#mustWhy(vmo)}`);
    }
    must.length = 0;
  }

  /**
   * K25, what must not set the flag: a ZERO of whole pages of a root pager VMO whose first page
   * is pinned zeroes that page in place through the write path, so under TRAP_DIRTY it raises a
   * DIRTY request for it before anything is zeroed (OpZeroPinned, pager-writeback.cc @
   * misttech/fuchsia 2e2b3562; the model's `VmoPages.#zeroWhole`); "modified" is set by a ZERO
   * "that zeroed something" (spec 2.7). So the step in which such a ZERO (its offset page aligned:
   * no partial head written first) raised a DIRTY request for its first page cannot have marked
   * the VMO, unless a store into it, a write pin of it or another modifying call that returned
   * did. A query from another thread while the ZERO waits would report the difference, and the
   * request may yet be failed: then nothing was zeroed at all.
   */
  #judgeZeroWaits(ps: number): void {
    const waits = this.#zeroDirty;
    for (let i = 0; i < waits.length; i++) {
      const w = waits[i];
      const vmo = this.vmoOf(w.args[0]);
      const offset = w.args[2];
      if (vmo === undefined || vmo.parent !== null || vmo.source === null) continue;
      if (vmo.koid !== w.vmo || typeof offset !== "number" || offset % ps !== 0) continue;
      if (w.start !== offset / ps || !vmo.modified || vmo.dead) continue;
      const was = this.#before.get(vmo);
      if (was === undefined || was.modified || this.#stored.has(vmo.koid)) continue;
      if (this.#pins.some((pin) => pin.write && pin.root === vmo)) continue;
      let other = false;
      for (let j = 0; j < this.#retiredN && !other; j++) {
        const r = this.#retired[j];
        other = r.args !== w.args && SETS_MODIFIED.has(r.name);
      }
      if (other) continue;
      this.#fail(
        "K25",
        `vmo${vmo.koid} became modified in the step its ZERO from page ${w.start} raised DIRTY ` +
          `#${w.id} for that first page: nothing was zeroed yet`,
      );
    }
    waits.length = 0;
  }

  /** The step's calls that must have marked `vmo`, by name (for K25's message). */
  #mustWhy(vmo: Vmo): string {
    const names = new Set<string>();
    for (let i = 0; i < this.#retiredN; i++) {
      const r = this.#retired[i];
      if (
        (r.name === "zx_vmo_set_size" || r.name === "zx_vmo_write") && this.vmoOf(r.args[0]) === vmo
      ) names.add(r.name);
      if (r.name === "zx_bti_pin" && this.vmoOf(r.args[2]) !== undefined) names.add("write pin");
    }
    return [...names].join(" and ") || "zx_vmo_set_size, zx_vmo_write or write pin";
  }

  /** Notes the VMO a `zx_pager_query_vmo_stats` with ZX_PAGER_RESET_VMO_STATS names. */
  #noteResetQuery(r: Resolved): void {
    if (r.name !== "zx_pager_query_vmo_stats" || r.args[2] !== ZX_PAGER_RESET_VMO_STATS) return;
    const vmo = this.vmoOf(r.args[1]);
    if (vmo !== undefined) this.#resetQueries.add(vmo);
  }

  /**
   * K17, what a successful WRITEBACK_BEGIN or END must do (not only what it may): judged from the
   * call's own range against the slots after the step, never the kernel's `writebackBegin/End`.
   * After END no page of its range is AwaitingClean: END cleans every AwaitingClean page, pinned
   * or not (`WritebackEndLocked`, vm_cow_pages.cc @ misttech/fuchsia 030dcba0; audit B4), and a
   * page made AwaitingClean again in the same step needs a second writeback (then `wb` is null).
   * After a BEGIN without IS_ZERO no page of its range is Dirty, save one pinned (BEGIN skips a
   * page with `pin_count > 0`: audit B4; the kernel's pin count exempts, never accuses) or one the
   * step wrote, committed or dirtied besides (a later write makes AwaitingClean Dirty again).
   */
  #judgeWriteback(vmo: Vmo, wb: Writeback): void {
    const slots = vmo.slots;
    const end = Math.min(wb.end, slots.length);
    if (!wb.begin) {
      for (let p = wb.start; p < end; p++) {
        if (slotKind(slots[p]) === "awaiting-clean") {
          this.#fail(
            "K17",
            `vmo${vmo.koid} page ${p}: still AwaitingClean after its WRITEBACK_END`,
          );
        }
      }
      return;
    }
    if (wb.zero) return;
    const calls = this.#stepCalls();
    if (
      this.#stored.has(vmo.koid) || this.#pins.length > 0 || this.#vmarCommit ||
      calls.has("zx_vmo_write") || calls.has("mem_write") || calls.has("zx_vmo_op_range") ||
      calls.has("zx_bti_pin")
    ) return;
    for (let p = wb.start; p < end; p++) {
      const s = slots[p];
      if (slotKind(s) === "dirty" && s instanceof Page && !vmo.pins.has(p)) {
        this.#fail("K17", `vmo${vmo.koid} page ${p}: still Dirty after its WRITEBACK_BEGIN`);
      }
    }
  }

  /** Collects this step's successful WRITEBACK_BEGIN/END calls by VMO. */
  #noteWritebacks(pageSize: number): void {
    for (const args of this.#pagerOps) {
      const op = args[1], handle = args[2], offset = args[3], length = args[4];
      if (op !== ZX_PAGER_OP_WRITEBACK_BEGIN && op !== ZX_PAGER_OP_WRITEBACK_END) continue;
      const vmo = this.vmoOf(handle);
      if (vmo === undefined || typeof offset !== "number" || typeof length !== "number") continue;
      const wb = {
        begin: op === ZX_PAGER_OP_WRITEBACK_BEGIN,
        start: Math.floor(offset / pageSize),
        end: Math.ceil((offset + length) / pageSize),
        zero: args[5] === ZX_VMO_DIRTY_RANGE_IS_ZERO,
      };
      this.#writebacks.set(vmo, this.#writebacks.has(vmo) ? null : wb);
    }
  }

  /**
   * Before a VMO's slot changes are walked: a WRITEBACK_BEGIN of the step moves its zero
   * intervals' ends; a WRITEBACK_END's removals are planned (returned). `kinds`: as the step
   * found them. Two writebacks in one step on one VMO: its ends are no longer known.
   */
  #zerosBefore(was: Before, kinds: readonly SlotKind[], wb: Writeback | null | undefined) {
    if (was.zeros === null || wb === undefined) return null;
    if (wb === null) {
      was.zeros = null;
      return null;
    }
    if (wb.begin) {
      was.zeros.begin(kinds, wb.start, wb.end);
      return null;
    }
    return { plan: was.zeros.planEnd(kinds, wb.start, wb.end), seen: 0 };
  }

  /**
   * A slot of `vmo` went from `a` to `b`, one of them zero: follows the intervals' ends
   * ({@linkcode ZeroEnds}), or under a WRITEBACK_END judges the removal against the plan (K18: a
   * Dirty zero slot dropped that the pager has not written back).
   */
  #zeroChange(
    vmo: Vmo,
    was: Before,
    end: { plan: EndPlan; seen: number } | null,
    left: readonly SlotKind[],
    right: readonly SlotKind[],
    p: number,
    a: SlotKind,
    b: SlotKind,
  ): void {
    const zeros = was.zeros;
    if (zeros === null) return;
    if (end === null) {
      if (a === "zero") zeros.take(left, right, p);
      else zeros.put(right, p);
      return;
    }
    if (a === "zero" && b === "absent" && !vmo.dead) {
      if (!end.plan.removed.includes(p)) {
        this.#fail(
          "K18",
          `vmo${vmo.koid} page ${p}: WRITEBACK_END removed a zero slot its interval's ` +
            `awaiting-clean end does not cover (removes ${showPages(end.plan.removed)})`,
        );
      }
      end.seen++;
      return;
    }
    was.zeros = null; // (another change under END: judged by the transition rules)
  }

  /** After a VMO's slot changes under a WRITEBACK_END: every planned removal happened (K17). */
  #zerosAfter(
    vmo: Vmo,
    was: Before,
    end: { plan: EndPlan; seen: number },
    kinds: readonly SlotKind[],
  ): void {
    if (was.zeros === null || vmo.dead) return;
    if (end.seen !== end.plan.removed.length) {
      const kept = end.plan.removed.find((p) => kinds[p] !== "absent");
      this.#fail(
        "K17",
        `vmo${vmo.koid} page ${kept}: WRITEBACK_END kept a zero slot its interval's ` +
          `awaiting-clean end covers (removes ${showPages(end.plan.removed)})`,
      );
    }
    was.zeros.applyEnd(end.plan);
  }

  /**
   * Whether this step may have marked `vmo` modified: a store into it, a write pin of it that
   * pinned everything, or a call that modifies (the comment of {@linkcode DirtyState.#judgeModified}).
   */
  #mayMarkModified(vmo: Vmo, calls: StepSet<string>): boolean {
    return this.#stored.has(vmo.koid) || this.#pins.some((pin) => pin.write && pin.root === vmo) ||
      [...calls].some((c) => SETS_MODIFIED.has(c));
  }

  /**
   * K25, a successful resetting query clears the flag: "if a `zx_vmo_write()` is followed by two consecutive
   * `zx_pager_query_vmo_stats()` with the ZX_PAGER_RESET_VMO_STATS option, only the first of those
   * will see `modified` set" (docs/reference/syscalls/pager_query_vmo_stats.md @ gnoliyil/fuchsia
   * 147df322). A VMO still modified after a step that queried it with RESET was marked again in
   * that step, by a call that modifies or a store (`#mayMarkModified`), or the reset was lost.
   */
  #judgeReset(vmo: Vmo): void {
    if (!vmo.modified || this.#mayMarkModified(vmo, this.#stepCalls())) return;
    this.#fail("K25", `vmo${vmo.koid} is still modified after a query of it with RESET`);
  }

  /** K25 for one VMO's modified flag through the step (the step's calls asked only on a change). */
  #judgeModified(vmo: Vmo, was: boolean, now: boolean): void {
    if (was === now) return;
    const calls = this.#stepCalls();
    // Any write marks the VMO modified, also one by a call whose handle names another VMO (a
    // user copy into a mapping: `VmMapping::PageFault` with a write flag calls
    // `mark_modified_locked`, zircon/kernel/vm/vm_mapping.cc @ misttech/fuchsia 59d70673), and
    // a write pin that pinned everything (`CommitRangeInternal`'s deferred cleanup,
    // vm_object_paged.cc @ misttech/fuchsia 056f3590).
    if (!was && now && !this.#mayMarkModified(vmo, calls)) {
      this.#fail("K25", `vmo${vmo.koid} became modified in a step running ${[...calls]}`);
    }
    // Only a query with ZX_PAGER_RESET_VMO_STATS clears it (spec 2.7; conformance W79
    // ModifiedNoReset: a query without the option leaves it set).
    if (was && !now && !this.#resetQueries.has(vmo)) {
      this.#fail(
        "K25",
        `vmo${vmo.koid} lost modified in a step running ${[...calls]}` +
          (calls.has("zx_pager_query_vmo_stats") ? " (no query of it with RESET)" : ""),
      );
    }
  }

  #compare(
    vmo: Vmo,
    was: Before,
    now: Before,
    calls: StepSet<string>,
    wb: Writeback | null | undefined,
  ): void {
    const at = (p: number) => `vmo${vmo.koid} page ${p}`;
    this.#followZeros(vmo, was, now, wb);
    const resized = calls.has("zx_vmo_set_size");
    if (now.kinds.length > was.kinds.length) {
      for (let p = was.kinds.length; p < now.kinds.length; p++) {
        if (now.kinds[p] !== "zero" && now.kinds[p] !== "absent" && !resized) {
          this.#fail("K20", `${at(p)} of a grown tail is ${now.kinds[p]}`);
        }
      }
    }
    if (now.kinds.length < was.kinds.length) {
      if (!resized) this.#fail("K21", `vmo${vmo.koid} shrank without zx_vmo_set_size`);
      for (const type of ["READ", "DIRTY"] as const) {
        // A straddling request stays for its in-range part; its cut part must be resolved.
        for (const r of present(vmo.source, "DirtyState: a page source").outstanding(type)) {
          if (r.start >= now.kinds.length || r.pending > now.kinds.length - r.start) {
            this.#fail("K21", `${type} #${r.id} [${r.start},${r.end}) outlives a shrink`);
          }
        }
      }
    }
    const n = Math.min(was.kinds.length, now.kinds.length);
    for (let p = 0; p < n; p++) {
      const a = was.kinds[p];
      const b = now.kinds[p];
      if (a === b) continue;
      const ok = this.#allowed(a, b, calls, vmo, p);
      if (!ok) {
        const code = (a === "dirty" || a === "awaiting-clean") && b === "absent" ? "K18" : "K17";
        this.#fail(code, `${at(p)} went from ${a} to ${b} in a step running ${[...calls]}`);
      }
    }
    this.#judgeModified(vmo, was.modified, now.modified);
  }

  /**
   * The zero intervals' ends through a step that resized the VMO or that paranoid mode compares
   * whole: the common part's changes in page order, then a shrink's cut or a grow's new zero
   * slots (`now.zeros` is `was.zeros`, followed in place).
   */
  #followZeros(vmo: Vmo, was: Before, now: Before, wb: Writeback | null | undefined): void {
    const plan = this.#zerosBefore(was, was.kinds, wb);
    const n = Math.min(was.kinds.length, now.kinds.length);
    for (let p = 0; p < n; p++) {
      const a = was.kinds[p];
      const b = now.kinds[p];
      if (a !== b && (a === "zero" || b === "zero")) {
        this.#zeroChange(vmo, was, plan, now.kinds, was.kinds, p, a, b);
      }
    }
    if (plan !== null) this.#zerosAfter(vmo, was, plan, now.kinds);
    const zeros = was.zeros;
    if (zeros !== null) {
      zeros.truncate(now.kinds.length);
      for (let p = n; p < now.kinds.length; p++) {
        if (now.kinds[p] === "zero") zeros.put(was.kinds, p);
      }
    }
    now.zeros = zeros;
  }

  /**
   * Whether every call of this step is a `zx_vmo_op_range(ZERO)`. Such a step leaves a marker a
   * marker: a whole page of zeros is one already, and `VmObjectPaged::ZeroPartialPage` returns
   * before it writes a page `PageWouldReadZeroLocked` says is "not currently committed" and would
   * be "read as zero" ("This is already considered zero so no need to redundantly zero again",
   * zircon/kernel/vm/vm_object_paged.cc @ misttech/fuchsia; a marker is a clean page of zeros,
   * spec 1.2). So no DIRTY request covers it and it never becomes a Dirty page (K3, K17).
   */
  #zeroesOnly(): boolean {
    const calls = this.#stepCalls();
    if (calls.size !== 1 || !calls.has("zx_vmo_op_range")) return false;
    for (let i = 0; i < this.#retiredN; i++) {
      const r = this.#retired[i];
      if (r.name === "zx_vmo_op_range" && r.args[1] !== ZX_VMO_OP_ZERO) return false;
    }
    const inCall = this.#inCallArgs;
    for (let i = 0; i < inCall.size; i++) {
      const r = inCall.valueAt(i);
      if (r.name === "zx_vmo_op_range" && r.args[1] !== ZX_VMO_OP_ZERO) return false;
    }
    return true;
  }

  #allowed(a: SlotKind, b: SlotKind, calls: StepSet<string>, vmo: Vmo, p: number): boolean {
    const pagerOp = calls.has("zx_pager_op_range");
    // A pin commits as COMMIT does (a zero slot of a TRAP_DIRTY VMO waits for a DIRTY request);
    // a write pin makes what it pinned Dirty, under TRAP_DIRTY only by OP_DIRTY, an AwaitingClean
    // page too (`PrepareForWriteLocked` dirties every page that is not Dirty, vm_cow_pages.cc @
    // gnoliyil/fuchsia 02de66e3; conformance WX7 WritePinAwaitingClean).
    // (Loops, not `find` and `some`: a closure per changed slot.)
    const pins = this.#pins;
    let pinned = false, writePinned = false;
    for (let i = 0; i < pins.length; i++) {
      if (!pinCovers(pins[i], vmo, p)) continue;
      pinned = true;
      if (pins[i].write) writePinned = true;
    }
    const commit = this.#vmarCommit || pinned;
    const pinDirtied = pinned && !vmo.trapDirty &&
      (a === "zero" || writePinned && (a === "clean" || a === "awaiting-clean" || a === "marker"));
    const write = calls.has("zx_vmo_write") || calls.has("mem_write") ||
      calls.has("zx_vmo_op_range") || this.#stored.has(vmo.koid);
    const detached = calls.has("zx_pager_detach_vmo") || calls.has("zx_handle_close");
    // A step's one writeback on this VMO moves pages only inside its own range (null: two).
    const wb = this.#writebacks.get(vmo);
    switch (b) {
      case "clean":
        // COMMIT gives a marker a Clean zero page ("Markers start clean": RequireOwnedPage).
        return (a === "absent" && calls.has("zx_pager_supply_pages")) ||
          (a === "awaiting-clean" && pagerOp && inWriteback(wb, false, p)) ||
          (a === "marker" && (calls.has("zx_vmo_op_range") || commit));
      case "marker":
        return a === "absent" && calls.has("zx_pager_supply_pages");
      case "awaiting-clean":
        return a === "dirty" && pagerOp && inWriteback(wb, true, p);
      case "dirty":
        if (a === "marker" && this.#zeroesOnly()) return false; // ZeroPartialPage skips markers
        // Under TRAP_DIRTY only OP_DIRTY dirties: a write first waits for a DIRTY request
        // (table 5.2; `VmCowPages::PrepareForWriteLocked`, vm_cow_pages.cc @ misttech/fuchsia
        // 030dcba0), and pins and commits do not dirty there (`pinDirtied` above).
        if (vmo.trapDirty) return pagerOp;
        return write || pagerOp || pinDirtied || this.#vmarCommit && a === "zero";
      case "zero":
        // Not from a marker by ZERO alone: its whole pages leave markers as they are (audit Z1,
        // conformance A3 OpZeroWithMarkers: "should be a no-op", nothing dirty, nothing reported
        // by query_dirty_ranges), its partial pages skip them (`#zeroesOnly`).
        if (a === "marker" && this.#zeroesOnly()) return false;
        return calls.has("zx_vmo_op_range");
      case "absent":
        if (a === "clean") return calls.has("kernel_evict") || detached;
        if (a === "marker") return detached;
        if (a === "zero") return pagerOp;
        return false;
    }
  }
}

/** Whether the step's one writeback on a VMO (begin or end) allows a move of page `p` (none, or two: any). */
function inWriteback(wb: Writeback | null | undefined, begin: boolean, p: number): boolean {
  return wb === undefined || wb === null ||
    wb.begin === begin && !(begin && wb.zero) && wb.start <= p && p < wb.end;
}
