/**
 * The base of the checkers: buffers the kernel events of one scheduler step
 * and replays them in order after the step, with the world at hand, the
 * syscall each thread is in, and every handle value ever seen (values are
 * never reused, so a handle closed during the step still resolves).
 *
 * @module
 */

import { ZX_BTI_PERM_WRITE } from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import { HANDLE_FIRST, HANDLE_STEP, type HandleEntry } from "../kernel/handles.ts";
import { Vmo } from "../kernel/objects.ts";
import { SlotLogs } from "./_slot_log.ts";
import {
  type FailureFacts,
  InvariantViolation,
  type Monitor,
  type Verdict,
  type World,
} from "../sim/world.ts";
import { TidMap } from "./_tid_map.ts";

/** A syscall a thread is in: its name, arguments and the step it started in. */
export interface Call {
  /** The calling thread. */
  readonly tid: number;
  readonly name: string;
  readonly args: readonly unknown[];
  readonly step: number;
}

/**
 * A monitor that can also judge a run the world ended without a pass (a hang,
 * a thread fault): it may throw an {@linkcode InvariantViolation} naming the
 * cause, or return true when the outcome is documented behaviour.
 */
export interface VerdictJudge {
  judge(world: World, verdict: Verdict): boolean;
}

/**
 * One bit per event kind, given out as kinds are first seen (kinds past the 30th share the top
 * bit): a step's kinds are one number, so a checker that judges none of them skips the step's
 * events without looking at them.
 */
const KIND_BITS = new Map<string, number>();

function kindBit(kind: string): number {
  let bit = KIND_BITS.get(kind);
  if (bit === undefined) KIND_BITS.set(kind, bit = 1 << Math.min(KIND_BITS.size, 30));
  return bit;
}

/**
 * The bits of each kind set seen: the checkers' sets are module constants, so a run's checkers
 * look their masks up instead of walking their sets (a kind's bit never changes once given).
 */
const MASKS = new WeakMap<ReadonlySet<string>, number>();

/** The bits of `kinds` (null: every kind). */
function kindMask(kinds: ReadonlySet<string> | null): number {
  if (kinds === null) return -1;
  let mask = MASKS.get(kinds);
  if (mask === undefined) {
    mask = 0;
    for (const k of kinds) mask |= kindBit(k);
    MASKS.set(kinds, mask);
  }
  return mask;
}

/**
 * Whether events of each kind name a VMO (a `vmo` field): looked up by kind, where `"vmo" in event`
 * on events of a dozen shapes took a visible share of page-state's and dirty-state's step events
 * in the CPU profile. The type makes each entry what the kind's event type says, so a kind that
 * gains or loses its `vmo` cannot be left wrong here.
 */
export const NAMES_VMO: {
  readonly [K in KernelEvent["k"]]: "vmo" extends keyof Extract<KernelEvent, { k: K }> ? true
    : false;
} = {
  call: false,
  ret: false,
  request: true,
  coalesce: true,
  resolve: true,
  "packet-queued": true,
  "packet-dequeued": true,
  "packet-withdrawn": true,
  "packet-dropped": true,
  block: false,
  wake: false,
  supply: true,
  copy: true,
  store: true,
  detach: true,
  "page-fault": true,
  thread: false,
  atomic: false,
  observed: false,
  refault: false,
};

/**
 * The bits of the kinds the trace knows ({@linkcode NAMES_VMO}'s keys), given out before any
 * event is seen, so any other kind has a bit of {@linkcode OTHER_KINDS_MASK}.
 */
let knownMask = 0;
for (const k of Object.keys(NAMES_VMO)) knownMask |= kindBit(k);
/** The bits of every kind the trace does not know (`StepMonitor.immediateOtherKinds`). */
const OTHER_KINDS_MASK = ~knownMask;

/**
 * An event kind's bit, as the journal records it with the event and hands it to
 * {@linkcode StepMonitor.onStepEvent} (for a checker that calls its own `onStepEvent`).
 */
export function kindBitOf(kind: string): number {
  return kindBit(kind);
}

/** Whether events of each kind carry a thread (a `tid` field): as {@linkcode NAMES_VMO}. */
const CARRIES_TID: {
  readonly [K in KernelEvent["k"]]: "tid" extends keyof Extract<KernelEvent, { k: K }> ? true
    : false;
} = {
  call: true,
  ret: true,
  request: true,
  coalesce: true,
  resolve: false,
  "packet-queued": false,
  "packet-dequeued": true,
  "packet-withdrawn": false,
  "packet-dropped": false,
  block: true,
  wake: true,
  supply: false,
  copy: true,
  store: true,
  detach: false,
  "page-fault": true,
  thread: true,
  atomic: true,
  observed: true,
  refault: true,
};

/**
 * The bits of the kinds whose events name a VMO ({@linkcode NAMES_VMO}): `(bit & VMO_KIND_BITS)
 * !== 0` for the bit {@linkcode StepMonitor.onStepEvent} is handed says what `NAMES_VMO[k]` says,
 * without a keyed load of a table by the kind's string (slower than a `Map`'s, per event).
 */
export const VMO_KIND_BITS: number = maskWhere(NAMES_VMO);

/** The bits of the kinds whose events carry a thread ({@linkcode CARRIES_TID}), as above. */
export const TID_KIND_BITS: number = maskWhere(CARRIES_TID);

/** The bits of the kinds a table of every known kind says true for. */
function maskWhere(table: Readonly<Record<KernelEvent["k"], boolean>>): number {
  let mask = 0;
  for (const k of Object.keys(table) as KernelEvent["k"][]) if (table[k]) mask |= kindBit(k);
  return mask;
}

/** Whether events of kind `k` carry a thread (for a checker that has read the kind already). */
export function kindCarriesTid(k: KernelEvent["k"]): boolean {
  return CARRIES_TID[k];
}

/**
 * A call as the journal records it: a {@linkcode Call} with the VMOs its handle arguments named,
 * worked out when first asked and kept while the journal has seen no new handle
 * ({@linkcode StepMonitor.callVmos}).
 */
class JournalCall implements Call {
  /** The VMOs (not their roots: a clone's parent can change) its arguments named; null: not yet. */
  vmos: readonly Vmo[] | null = null;
  /** How many handles the journal had seen when `vmos` was worked out. */
  vmosAt = -1;
  constructor(
    readonly tid: number,
    readonly name: string,
    readonly args: readonly unknown[],
    readonly step: number,
  ) {}
}

/**
 * The most slots a VMO may have for {@linkcode StepMonitor.slotChanges} to answer "walk every
 * slot" without the journal's walk: a VMO this small costs a monitor less to walk whole.
 */
export const SMALL_VMO = 16;

/** The VMOs of an argument list that names none: one shared array. */
const NO_VMOS: readonly Vmo[] = Object.freeze([]);

/** The thread `event` carries, if its kind carries one (a table lookup, not `"tid" in event`). */
export function eventTid(event: KernelEvent): number | undefined {
  return CARRIES_TID[event.k] ? (event as { readonly tid: number }).tid : undefined;
}

/** The VMO (koid) `event` names, if its kind names one ({@linkcode NAMES_VMO}). */
export function namedVmo(event: KernelEvent): number | undefined {
  return NAMES_VMO[event.k] ? (event as { readonly vmo: number }).vmo : undefined;
}

/** True if a monitor can judge non-pass verdicts. */
export function isJudge(m: Monitor): m is Monitor & VerdictJudge {
  return typeof (m as Partial<VerdictJudge>).judge === "function";
}

/**
 * One run's record of the step's events, shared by the step monitors of a
 * checker set ({@linkcode shareJournal}): the events are stored once, each
 * with the syscall it belongs to, and the handle table is read once per new
 * handle, however many checkers look.
 */
class StepJournal {
  /** Every handle value seen in the run (values are never reused). */
  readonly handles = new Map<number, HandleEntry>();
  /** The syscall each thread is in (set and dropped at every call and return). */
  readonly calls = new TidMap<Call>();
  /**
   * The step's events and their steps, `count` of them: the arrays are reused from step to step
   * (entries past `count` are stale), since emptying and regrowing four arrays every step cost a
   * checked run more than all it stored.
   */
  readonly events: KernelEvent[] = [];
  readonly steps: number[] = [];
  /** The syscall of each event's (or the stepping) thread; the first `settled` are worked out. */
  readonly context: (Call | undefined)[] = [];
  /** Each event's kind bit ({@linkcode kindBit}), recorded with it. */
  readonly bits: number[] = [];
  /**
   * For each settled `call` and `ret` event, the {@linkcode Reader.callBit}s of the members that
   * judge a call of its name ({@linkcode StepJournal.nameMask}); -1 for every other event.
   */
  readonly names: number[] = [];
  /** {@linkcode StepJournal.nameMask}'s answers, by name: forgotten whenever a member joins. */
  readonly nameMasks = new Map<unknown, number>();
  /** Whether some member judges the calls of some names only (its `callBit` is not 0). */
  filtered = false;
  /** How many events the step recorded. */
  count = 0;
  /** How many of them have their context and bit. */
  settled = 0;
  /** The bits of every event recorded since the last clear. */
  mask = 0;
  /**
   * The member whose `onEvent` the world calls: it runs every present member's immediate checks
   * and records the event (the others give the world no `onEvent`, so an event costs one call).
   */
  leader: StepMonitor | null = null;
  /** The members in the run: those the world asked for an `onEvent`, in the world's order. */
  readonly present: StepMonitor[] = [];
  /** Their readers, in the same order. */
  readonly readers: Reader[] = [];
  /** The present members with checks of their own in `immediate`, in the same order. */
  readonly immediates: StepMonitor[] = [];
  /**
   * Their `immediate` methods, looked up once: called through this array, not looked up on the
   * members' six checker classes at every event (a megamorphic load the CPU profile showed).
   */
  readonly immediateFns: ((event: KernelEvent, step: number) => void)[] = [];
  /** The bits of their `immediateKinds`: an event of no kind of a member's is not passed to it. */
  readonly immediateMasks: number[] = [];
  /** The leader's `onEvent`. */
  listener: ((event: KernelEvent, step: number) => void) | undefined = undefined;
  /** Bumped whenever the events are cleared, so members restart their reading. */
  generation = 0;
  /**
   * Who judges a step ({@linkcode StepMonitor.afterStep}), settled at the world's first call:
   * "leader" when the members are one unbroken run of the world's monitors led by the leader (the
   * leader's call judges every member in that order, the others' calls return at once: the same
   * order, one call's worth of bookkeeping); "each" otherwise (each member its own).
   */
  mode: "unsettled" | "leader" | "each" = "unsettled";
  #issued = -1;
  /**
   * The slots of the VMOs members asked about, walked once per look: a look is one
   * {@linkcode StepJournal.settle} call (the world holds still from one to the next, as the
   * members judge in turn), however many members ask ({@linkcode StepMonitor.slotChanges}).
   */
  readonly slotLogs = new SlotLogs();

  /** Settles {@linkcode StepJournal.mode} against the world's monitors; returns it. */
  settleMode(world: World): "leader" | "each" {
    const present = this.present;
    const at = world.monitors.indexOf(present[0]);
    let leader = at >= 0 && present[0] === this.leader;
    for (let i = 1; leader && i < present.length; i++) {
      leader = world.monitors[at + i] === present[i];
    }
    return this.mode = leader ? "leader" : "each";
  }

  /**
   * Records an event and its kind bit; starts a new record first if the last one was all
   * judged.
   */
  add(event: KernelEvent, step: number, bit: number): void {
    let n = this.count;
    if (n > 0 && this.settled === n) {
      n = this.settled = 0;
      this.mask = 0;
      this.generation++;
    }
    if (n < this.events.length) {
      this.events[n] = event;
      this.steps[n] = step;
      this.bits[n] = bit;
    } else {
      this.events.push(event);
      this.steps.push(step);
      this.bits.push(bit);
    }
    this.count = n + 1;
  }

  /**
   * The bits of the members whose `onStepEvent` is handed a `call` or `ret` event of syscall
   * `name`: every bit but the {@linkcode Reader.callBit}s of the members whose
   * {@linkcode StepMonitor.stepCalls} refuses the name. Worked out once per name per run (a name
   * that is no string goes to every member).
   */
  nameMask(name: unknown): number {
    let mask = this.nameMasks.get(name);
    if (mask === undefined) {
      mask = -1;
      if (typeof name === "string") {
        const readers = this.readers;
        for (let i = 0; i < readers.length; i++) {
          const r = readers[i];
          if (r.callBit !== 0 && r.calls !== null && !r.calls(name)) mask &= ~r.callBit;
        }
      }
      this.nameMasks.set(name, mask);
    }
    return mask;
  }

  /** Brings handles and call contexts up to date with the world after a step. */
  settle(world: World): void {
    this.slotLogs.look++;
    const table = world.kernel.handles;
    const issued = table.issued;
    if (issued !== this.#issued) {
      // Values are issued in order, 0x10 apart, never reused: only those issued since the last
      // look are new (one made and closed within a step is gone either way).
      const from = this.#issued < 0 ? HANDLE_FIRST : this.#issued;
      if (issued > from && issued - from <= 64 * HANDLE_STEP) {
        for (let h = from; h < issued; h += HANDLE_STEP) {
          const e = table.entry(h);
          if (e !== undefined) this.handles.set(h, e);
        }
      } else {
        for (const [h, e] of table) if (!this.handles.has(h)) this.handles.set(h, e);
      }
      this.#issued = issued;
    }
    const n = this.count;
    if (this.settled === n) return;
    const stepping = world.running?.tid;
    const events = this.events, context = this.context, bits = this.bits, names = this.names;
    const filtered = this.filtered;
    let mask = this.mask;
    for (let i = this.settled; i < n; i++) {
      const event = events[i];
      // (The kind read once: the events' field loads are megamorphic.)
      const k = event.k;
      let tid = stepping;
      let named = -1;
      if (k === "call") {
        tid = event.tid;
        const name = event.name;
        this.calls.set(tid, new JournalCall(tid, name, event.args, this.steps[i]));
        if (filtered) named = this.nameMask(name);
      } else if ((bits[i] & TID_KIND_BITS) !== 0) tid = (event as { readonly tid: number }).tid;
      const call = tid === undefined ? undefined : this.calls.get(tid);
      if (i < context.length) {
        context[i] = call;
        names[i] = named;
      } else {
        context.push(call);
        names.push(named);
      }
      mask |= bits[i];
      if (k === "ret") {
        const name = event.name;
        if (filtered) names[i] = this.nameMask(name);
        if (call !== undefined && call.name === name) this.calls.delete(call.tid);
      }
    }
    this.mask = mask;
    this.settled = n;
  }
}

/**
 * Makes the step monitors among `monitors` share one {@linkcode StepJournal}
 * (a checker set built for one run); returns `monitors`.
 */
export function shareJournal<T extends readonly Monitor[]>(monitors: T): T {
  const journal = new StepJournal();
  for (const m of monitors) {
    if (m instanceof StepMonitor) m.useJournal(journal);
  }
  return monitors;
}

function noStep(): void {}
function noEnd(): void {}

/** A step monitor's place in its journal: how far it has read, and what it reads. */
class Reader {
  /** How many of the journal's events the monitor has judged, in which generation. */
  read = 0;
  generation = 0;
  /**
   * The bits of the monitor's `stepKinds`, worked out on the first step: 0 if it has no
   * `onStepEvent` of its own (no event is passed to a method that does nothing).
   */
  want: number | null = null;
  /** Whether the monitor has an `endStep` of its own, worked out with `want`. */
  ends = true;
  /**
   * The monitor's {@linkcode StepMonitor.stepCalls}, and its bit in the journal's
   * {@linkcode StepJournal.names} (set when it joins the run): 0 when it judges the calls of
   * every name (or is past the 31st member: then it is handed them all, as if it did).
   */
  calls: ((name: string) => boolean) | null = null;
  callBit = 0;
  /**
   * The monitor's `onStepEvent` and `endStep`, looked up once: called through the reader (one
   * class), not looked up on ten checker classes every step.
   */
  onStep: (event: KernelEvent, call: Call | undefined, world: World, bit: number) => void = noStep;
  end: (world: World) => void = noEnd;
  /** Whether the world asked the monitor for its `onEvent` (it is in the run). */
  present = false;
  /** The journal; made on first use unless {@linkcode shareJournal} gave one. */
  journal: StepJournal | null = null;
  /** The monitor's number among the journal's slot-change subscribers; -1 until it asks. */
  slotSub = -1;

  constructor(readonly monitor: StepMonitor) {}

  /** The journal, made if none was given. */
  get j(): StepJournal {
    return this.journal ??= new StepJournal();
  }
}

/** A checker that sees each step's events after the step, with the world. */
export abstract class StepMonitor implements Monitor, VerdictJudge {
  abstract readonly name: string;
  /** Where this monitor reads its journal (one object of one shape, whatever the checker class). */
  readonly #r = new Reader(this);

  /** @internal Shares `journal` with the other monitors of a checker set (before the run). */
  useJournal(journal: StepJournal): void {
    this.#r.journal = journal;
  }

  /**
   * The world asks each monitor for its `onEvent` when the run starts: that makes the monitor
   * a member of the run. The first member of a journal gets the one listener, which runs every
   * member's immediate checks in the world's order and records the event; the others answer
   * undefined (members that are not in the run are never asked, so they never hear an event).
   */
  get onEvent(): ((event: KernelEvent, step: number) => void) | undefined {
    const r = this.#r;
    const j = r.j;
    if (!r.present) {
      r.present = true;
      j.present.push(this);
      j.readers.push(r);
      r.calls = this.stepCalls;
      if (r.calls !== null && j.readers.length <= 31) {
        r.callBit = 1 << (j.readers.length - 1);
        j.filtered = true;
      }
      j.nameMasks.clear();
      if (this.immediate !== StepMonitor.prototype.immediate) {
        j.immediates.push(this);
        j.immediateFns.push(this.immediate);
        j.immediateMasks.push(
          kindMask(this.immediateKinds) | (this.immediateOtherKinds ? OTHER_KINDS_MASK : 0),
        );
      }
      if (j.leader === null) {
        j.leader = this;
        j.listener = StepMonitor.#listenerOf(j);
      }
    }
    return j.leader === this ? j.listener : undefined;
  }

  /**
   * The leader's listener: every present member's immediate checks, then the record. It closes
   * over the journal only, not over a monitor: a listener that called a method of the leader
   * made every scavenge of a checked run keep far more alive (with `--v8-flags=--trace-gc`,
   * 3,000 default-scenario runs under the kernel checkers spent 231 ms in scavenges and 6
   * old-space collections, against 54 ms and 2 with this one).
   */
  static #listenerOf(j: StepJournal): (event: KernelEvent, step: number) => void {
    return (event, step) => {
      const bit = kindBit(event.k);
      const immediates = j.immediates;
      const fns = j.immediateFns;
      const masks = j.immediateMasks;
      for (let i = 0; i < immediates.length; i++) {
        if ((masks[i] & bit) !== 0) fns[i].call(immediates[i], event, step);
      }
      j.add(event, step, bit);
    };
  }

  /**
   * Judges the events recorded since this monitor last read the journal, in order, then the
   * step ({@linkcode StepMonitor.endStep}). The world calls it after every step of every
   * checker: when the journal's members are an unbroken run of the world's monitors, the first
   * member's call judges them all, in the world's order, and the others' calls return at once
   * ({@linkcode StepJournal.mode}).
   */
  afterStep(world: World): void {
    const j = this.#r.j;
    if (j.mode === "leader") {
      if (j.leader === this) StepMonitor.#judgeAll(j, world);
      return;
    }
    if (j.mode === "unsettled" && j.present.length > 0 && j.settleMode(world) === "leader") {
      this.afterStep(world);
      return;
    }
    this.#catchUp(world);
  }

  /**
   * The world's one call after each step for this monitor ({@linkcode Monitor.stepHook}), asked
   * once every member has been asked for its `onEvent`: when the journal's members are an
   * unbroken run of the world's monitors, the leader's hook judges them all and the others have
   * none (no call per member per step that returns at once); otherwise its `afterStep`.
   */
  stepHook(world: World): ((world: World) => void) | null {
    const j = this.#r.j;
    if (j.mode === "unsettled" && j.present.length > 0) j.settleMode(world);
    if (j.mode !== "leader") return (w) => this.afterStep(w);
    if (j.leader !== this) return null;
    // (Closes over the journal only, as the event listener does.)
    return (w) => StepMonitor.#judgeAll(j, w);
  }

  /** Settles `j`, then judges every member's unread events and step, in the world's order. */
  static #judgeAll(j: StepJournal, world: World): void {
    j.settle(world);
    // A member with no endStep and none of its step events' kinds among the step's has nothing
    // to judge: skipped (its reading is put right when it next catches up; what it skipped holds
    // no event of its kinds). `want` is worked out at the member's first judgement.
    const readers = j.readers;
    const mask = j.mask;
    for (let i = 0; i < readers.length; i++) {
      const r = readers[i];
      if (r.ends || r.want === null || (r.want & mask) !== 0) StepMonitor.#judgeStep(r, world);
    }
  }

  /** Settles the journal, then judges this monitor's unread events and the step. */
  #catchUp(world: World): void {
    const r = this.#r;
    r.j.settle(world);
    StepMonitor.#judgeStep(r, world);
  }

  /**
   * Judges the events of the settled journal that the monitor of `r` has not read, then the
   * step (the world's order: every member in turn, each its events then its step).
   */
  static #judgeStep(r: Reader, world: World): void {
    const j = r.j;
    const m = r.monitor;
    if (r.generation !== j.generation) {
      r.generation = j.generation;
      r.read = 0;
    }
    const events = j.events;
    const n = j.count;
    let want = r.want;
    if (want === null) {
      want = r.want = m.onStepEvent === StepMonitor.prototype.onStepEvent
        ? 0
        : kindMask(m.stepKinds);
      r.ends = m.endStep !== StepMonitor.prototype.endStep;
      r.onStep = m.onStepEvent;
      r.end = m.endStep;
    }
    if ((j.mask & want) !== 0) {
      const context = j.context;
      const bits = j.bits;
      const names = j.names;
      // (0 for a member that judges every call: the test below then always passes.)
      const callBit = r.callBit;
      for (let i = r.read; i < n; i++) {
        if ((bits[i] & want) === 0 || (names[i] & callBit) !== callBit) continue;
        r.read = i + 1;
        r.onStep.call(m, events[i], context[i], world, bits[i]);
      }
    }
    r.read = n;
    if (r.ends) r.end.call(m, world);
  }

  atEnd(world: World, verdict: Verdict): void {
    this.#catchUp(world);
    this.finish(world, verdict);
  }

  judge(world: World, verdict: Verdict): boolean {
    this.#catchUp(world);
    return this.judgeEnd(world, verdict);
  }

  /**
   * The event kinds {@linkcode StepMonitor.onStepEvent} judges (null: all);
   * the others are not passed to it.
   */
  protected readonly stepKinds: ReadonlySet<KernelEvent["k"]> | null = null;

  /**
   * The syscalls whose `call` and `ret` events {@linkcode StepMonitor.onStepEvent} judges (null:
   * every one): a `call` or `ret` event of a name this refuses is not passed to it, so it may
   * refuse only the names whose events it does nothing with (changes no state of its own, fails
   * nothing). Asked once per name per run; it must answer the same every time. A name that is no
   * string is passed to every checker.
   */
  protected readonly stepCalls: ((name: string) => boolean) | null = null;

  /**
   * The event kinds {@linkcode StepMonitor.immediate} checks (null: all); the others are not
   * passed to it.
   */
  protected readonly immediateKinds: ReadonlySet<KernelEvent["k"]> | null = null;

  /**
   * Whether {@linkcode StepMonitor.immediate} also checks events of every kind the trace does not
   * know (`KernelEvent`'s union), besides `immediateKinds`.
   */
  protected readonly immediateOtherKinds: boolean = false;

  /** Checks that need only the event, run as it is emitted (before any kernel assertion). */
  protected immediate(_event: KernelEvent, _step: number): void {}

  /**
   * One event of the step, in order; `call` is the syscall of the event's (or stepping) thread,
   * `bit` the event kind's bit ({@linkcode kindBitOf}: test it against {@linkcode VMO_KIND_BITS}
   * or {@linkcode TID_KIND_BITS}).
   */
  protected onStepEvent(
    _event: KernelEvent,
    _call: Call | undefined,
    _world: World,
    _bit: number,
  ): void {}

  /** After the step's events: compare kernel state. */
  protected endStep(_world: World): void {}

  /** After a passing run. */
  protected finish(_world: World, _verdict: Verdict): void {}

  /** After a run that did not pass; true if the outcome is documented behaviour. */
  protected judgeEnd(_world: World, _verdict: Verdict): boolean {
    return false;
  }

  /**
   * {@linkcode StepMonitor.entry} as a function value, made once per checker (not an arrow per
   * event) for the models that take a handle lookup: the delivery model, futex owners.
   */
  protected readonly entryOf = (handle: unknown): HandleEntry | undefined => this.entry(handle);

  /** {@linkcode StepMonitor.vmoOf} as a function value, made once per checker, as above. */
  protected readonly vmoOfHandle = (handle: unknown): Vmo | undefined => this.vmoOf(handle);

  /** The handle entry a value named at any point of the run. */
  protected entry(handle: unknown): HandleEntry | undefined {
    return typeof handle === "number" ? this.#r.j.handles.get(handle) : undefined;
  }

  /**
   * The VMOs the arguments of `call` name as handles, in argument order with repeats (each
   * argument as {@linkcode StepMonitor.vmoOf} reads it): for a call of the journal, worked out
   * once and kept while the journal has seen no new handle (the handles it has seen never change,
   * so only a new one can change the answer); any other call is read anew.
   */
  protected callVmos(call: Call): readonly Vmo[] {
    const seen = this.#r.j.handles.size;
    const jc = call instanceof JournalCall ? call : undefined;
    if (jc !== undefined && jc.vmosAt === seen && jc.vmos !== null) return jc.vmos;
    let vmos = NO_VMOS;
    const args = call.args;
    for (let i = 0; i < args.length; i++) {
      const v = this.vmoOf(args[i]);
      if (v !== undefined) vmos = vmos === NO_VMOS ? [v] : [...vmos, v];
    }
    if (jc !== undefined) {
      jc.vmos = vmos;
      jc.vmosAt = seen;
    }
    return vmos;
  }

  /**
   * Every handle value the run has seen, with what it named (values are never reused; one open
   * at a step's end is among them once the step is judged), closed ones included.
   */
  protected handlesSeen(): ReadonlyMap<number, HandleEntry> {
    return this.#r.j.handles;
  }

  /**
   * The pages of `vmo` whose slot object or kind may differ from what they were when this monitor
   * last called this for `vmo`, in page order without repeats, into `out` (entries past the count
   * are stale); their count, or -1 at the first call (or one after a long while: then every page
   * may differ). Either way the next call reports changes from now on, so a monitor calls it at
   * every look at `vmo` and brings its own record of the slots up to date with the VMO there.
   * The journal walks each VMO asked about once per look ({@linkcode StepJournal.look}) for every
   * monitor, against its own copy of the slots.
   *
   * A VMO of at most {@linkcode SMALL_VMO} slots is never walked by the journal: the answer is -1
   * (walk every slot) at every call, and any record the journal kept of it is dropped, so if it
   * grows past the bound the next call is a first one again (-1), and the listing starts there.
   * A walk of a few slots by the monitor costs less than the journal's walk, its record and the
   * listing (the default scenario's VMOs have 8 and 4 pages).
   */
  protected slotChanges(vmo: Vmo, out: number[]): number {
    const r = this.#r;
    const j = r.j;
    if (vmo.slots.length <= SMALL_VMO) {
      j.slotLogs.forget(vmo);
      return -1;
    }
    if (r.slotSub < 0) r.slotSub = j.slotLogs.subscribers++;
    return j.slotLogs.changes(vmo, r.slotSub, out);
  }

  /** The VMO a handle named, if it named one. */
  protected vmoOf(handle: unknown): Vmo | undefined {
    // (A class test: `"slots" in o` on the table's dozen object shapes was a megamorphic lookup.)
    const o = typeof handle === "number" ? this.#r.j.handles.get(handle)?.object : undefined;
    return o instanceof Vmo ? o : undefined;
  }

  /**
   * Throws the violation of this checker; `code` names the spec item (K4, P10, ...); `facts`, what
   * it found as data, for the failure's signature ({@linkcode FailureFacts}).
   */
  protected fail(code: string, message: string, facts?: FailureFacts): never {
    throw new InvariantViolation(this.name, `${code}: ${message}`, facts);
  }
}

/** The pager VMO with a koid, if any. */
export function pagerVmo(world: World, koid: number): Vmo | undefined {
  // (A loop, not `find`: a closure per call, at most events of a checked run.)
  const vmos = world.kernel.pagerVmos;
  for (let i = 0; i < vmos.length; i++) if (vmos[i].koid === koid) return vmos[i];
  return undefined;
}

/** A canonical text of per-VMO fail codes and detached VMOs, for {@linkcode Monitor.stateKey}. */
export function failCodesKey(
  failCodes: ReadonlyMap<number, ReadonlySet<number>>,
  detached: ReadonlySet<number>,
): string {
  const codes = [...failCodes].map(([vmo, c]) => `${vmo}:${[...c].sort((a, b) => a - b)}`);
  return `fail ${codes.sort().join(" ")}; detached ${[...detached].sort((a, b) => a - b)}`;
}

/** The pages of a pager root a `zx_bti_pin` commits and pins, and whether it pins for writing. */
export interface PinRange {
  readonly root: Vmo;
  /** Root pages `[start, end)`. */
  readonly start: number;
  readonly end: number;
  readonly write: boolean;
}

/**
 * What a `zx_bti_pin(bti, options, vmo, offset, size)` with arguments `args` can change of a pager
 * root, `vmo` being the VMO its handle names: through slices and references to their root
 * (a slice's pages are its root's, `VmObjectPaged::GetCowRange`), the pinned pages; undefined for
 * a clone or an anonymous VMO (no pager root's page is pinned). The commit of a pin gives a marker
 * a Clean zero page and a zero slot a Dirty page (not under TRAP_DIRTY: a DIRTY request first); a
 * write pin also makes Clean and AwaitingClean pages Dirty (not under TRAP_DIRTY), and marks the
 * root modified once it pinned everything (`CommitRangeInternal`, zircon/kernel/vm/
 * vm_object_paged.cc @ misttech/fuchsia 056f3590; the model's `VmoPages.#pinTracked`).
 */
export function pinRange(
  vmo: Vmo,
  args: readonly unknown[],
  pageSize: number,
): PinRange | undefined {
  const [, options, , offset, size] = args;
  if (typeof options !== "number" || typeof offset !== "number" || typeof size !== "number") {
    return undefined;
  }
  let v = vmo;
  let off = 0;
  while ((v.childKind === "slice" || v.childKind === "reference") && v.parent !== null) {
    off += v.parentOffset;
    v = v.parent;
  }
  if (v.parent !== null || v.source === null) return undefined;
  return {
    root: v,
    start: Math.floor(offset / pageSize) + off,
    end: Math.ceil((offset + size) / pageSize) + off,
    write: (options & ZX_BTI_PERM_WRITE) !== 0,
  };
}

/** Whether `pin` covers page `p` of `vmo`. */
export function pinCovers(pin: PinRange | undefined, vmo: Vmo, p: number): boolean {
  return pin !== undefined && pin.root === vmo && p >= pin.start && p < pin.end;
}
