/**
 * The trace of a run: every kernel event with the step it happened in, a text
 * form for people, and a stable hash (two 32-bit multiply-xor lanes over a
 * compact numeric encoding of each event: the fields its text shows) that is
 * the same on every machine for the same (scenario, decisions).
 *
 * @module
 */

import {
  type Status,
  statusName,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_PAGER_VMO_COMPLETE,
  ZX_PAGER_VMO_DIRTY,
  ZX_PAGER_VMO_READ,
  ZX_VMAR_OP_ALWAYS_NEED,
  ZX_VMAR_OP_COMMIT,
  ZX_VMAR_OP_DECOMMIT,
  ZX_VMAR_OP_DONT_NEED,
  ZX_VMAR_OP_MAP_RANGE,
  ZX_VMAR_OP_PREFETCH,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_CACHE_SYNC,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_DONT_NEED,
  ZX_VMO_OP_LOCK,
  ZX_VMO_OP_PREFETCH,
  ZX_VMO_OP_TRY_LOCK,
  ZX_VMO_OP_UNLOCK,
  ZX_VMO_OP_ZERO,
} from "../kernel/constants.ts";
import { type Param, SYSCALLS } from "../kernel/syscalls.ts";
import type {
  EventSink,
  EvictDetail,
  KernelEvent,
  PagePacket,
  SlotKind,
} from "../kernel/events.ts";

/** One trace entry. */
export interface TraceEntry {
  /** Scheduler step the event happened in. */
  readonly step: number;
  /** The kernel event. */
  readonly event: KernelEvent;
}

const COMMANDS: Record<number, string> = {
  [ZX_PAGER_VMO_READ]: "READ",
  [ZX_PAGER_VMO_COMPLETE]: "COMPLETE",
  [ZX_PAGER_VMO_DIRTY]: "DIRTY",
};

/** Zircon's name of a call's out-parameter, shown with its value in the trace text. */
const OUT_NAMES: Readonly<Record<string, string>> = {
  zx_vmo_get_size: "size",
  zx_vmar_map: "mapped_addr",
  zx_vmar_allocate: "child_addr",
  zx_pager_query_vmo_stats: "modified",
};

/** The names of op codes, by the kind of parameter that takes them (the syscall table's). */
const OP_NAMES: Readonly<Partial<Record<Param, Readonly<Record<number, string>>>>> = {
  pagerOp: {
    [ZX_PAGER_OP_FAIL]: "ZX_PAGER_OP_FAIL",
    [ZX_PAGER_OP_DIRTY]: "ZX_PAGER_OP_DIRTY",
    [ZX_PAGER_OP_WRITEBACK_BEGIN]: "ZX_PAGER_OP_WRITEBACK_BEGIN",
    [ZX_PAGER_OP_WRITEBACK_END]: "ZX_PAGER_OP_WRITEBACK_END",
  },
  vmoOp: {
    [ZX_VMO_OP_COMMIT]: "ZX_VMO_OP_COMMIT",
    [ZX_VMO_OP_DECOMMIT]: "ZX_VMO_OP_DECOMMIT",
    [ZX_VMO_OP_LOCK]: "ZX_VMO_OP_LOCK",
    [ZX_VMO_OP_UNLOCK]: "ZX_VMO_OP_UNLOCK",
    [ZX_VMO_OP_CACHE_SYNC]: "ZX_VMO_OP_CACHE_SYNC",
    [ZX_VMO_OP_ZERO]: "ZX_VMO_OP_ZERO",
    [ZX_VMO_OP_TRY_LOCK]: "ZX_VMO_OP_TRY_LOCK",
    [ZX_VMO_OP_DONT_NEED]: "ZX_VMO_OP_DONT_NEED",
    [ZX_VMO_OP_ALWAYS_NEED]: "ZX_VMO_OP_ALWAYS_NEED",
    [ZX_VMO_OP_PREFETCH]: "ZX_VMO_OP_PREFETCH",
  },
  vmarOp: {
    [ZX_VMAR_OP_COMMIT]: "ZX_VMAR_OP_COMMIT",
    [ZX_VMAR_OP_DECOMMIT]: "ZX_VMAR_OP_DECOMMIT",
    [ZX_VMAR_OP_MAP_RANGE]: "ZX_VMAR_OP_MAP_RANGE",
    [ZX_VMAR_OP_DONT_NEED]: "ZX_VMAR_OP_DONT_NEED",
    [ZX_VMAR_OP_ALWAYS_NEED]: "ZX_VMAR_OP_ALWAYS_NEED",
    [ZX_VMAR_OP_PREFETCH]: "ZX_VMAR_OP_PREFETCH",
  },
};

/**
 * Argument `i` of a call of `name` as the trace shows it: an op code by its name (the syscall
 * table says which parameter takes one), a status (OP_FAIL's `data`) by its name, anything else
 * as {@linkcode arg} does.
 */
function callArg(name: string, i: number, a: unknown): string {
  if (typeof a !== "number") return arg(a);
  const kind = SYSCALLS[name as keyof typeof SYSCALLS]?.params[i]?.kind;
  if (kind === undefined) return arg(a);
  if (kind === "failData") return a < 0 ? statusName(a as Status) : arg(a);
  return OP_NAMES[kind]?.[a] ?? arg(a);
}

function hex(n: number): string {
  return n < 0 ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`;
}

function arg(a: unknown): string {
  if (typeof a === "number") {
    if (a === Number.POSITIVE_INFINITY) return "inf";
    return Number.isInteger(a) && a >= 0 ? hex(a) : String(a);
  }
  if (a === undefined) return "undefined";
  try {
    return JSON.stringify(a) ?? String(a);
  } catch {
    return String(a);
  }
}

/** What a slot of each kind is, as the reason an eviction left the page where it was. */
const KEPT_SLOT: Readonly<Record<SlotKind, string>> = {
  absent: "not present",
  clean: "clean",
  dirty: "dirty",
  "awaiting-clean": "awaiting clean (written back, not yet ended)",
  marker: "a zero marker, no page",
  zero: "in a dirty zero interval",
};

/**
 * The page a `kernel_evict` named and its fate: `evicted vmo1005 page 1`, or `vmo1005 page 1
 * kept: dirty` with every reason the kernel had (the `evict` event chose a page that was
 * evictable then; a refusal means it changed before the eviction ran).
 */
function evictText(d: EvictDetail, status: Status): string {
  const page = `vmo${d.vmo} page ${d.page}`;
  if (status === ZX_OK) return `evicted ${page}`;
  const why: string[] = [];
  if (!d.pager) why.push("not a live pager VMO");
  if (d.slot !== "clean") why.push(KEPT_SLOT[d.slot]);
  if (d.pinned) why.push("pinned");
  if (d.alwaysNeed) why.push("ALWAYS_NEED");
  return `${page} kept: ${why.length > 0 ? why.join(", ") : "refused"}`;
}

function packet(p: PagePacket): string {
  return `${COMMANDS[p.command] ?? `cmd${p.command}`} key=${hex(p.key)} [${hex(p.offset)},+${
    hex(p.length)
  })`;
}

/**
 * How verdicts, checker messages and trace pages name a thread: its tid, then its name quoted, so
 * a generated name that looks like a tid (`t1`) is never read as another thread.
 *
 * @example
 * ```ts
 * import { threadLabel } from "./trace.ts";
 * console.assert(threadLabel(3, "t1") === 't3 "t1"');
 * ```
 */
export function threadLabel(tid: number, name: string): string {
  return `t${tid} ${JSON.stringify(name)}`;
}

/**
 * The text of one event (no step prefix).
 *
 * @example
 * ```ts
 * import { formatEvent } from "./trace.ts";
 * const text = formatEvent({ k: "call", tid: 2, name: "zx_vmo_read", args: [3, 0, 64] });
 * console.assert(text.includes("zx_vmo_read"));
 * ```
 */
export function formatEvent(e: KernelEvent): string {
  switch (e.k) {
    case "call":
      return `t${e.tid} ${e.name}(${e.args.map((a, i) => callArg(e.name, i, a)).join(", ")})`;
    case "ret":
      return `t${e.tid} ${e.name} -> ${statusName(e.status)}${
        e.handle !== undefined ? ` handle=${hex(e.handle)}` : ""
      }${e.value !== undefined ? ` ${OUT_NAMES[e.name] ?? "value"}=${hex(e.value)}` : ""}${
        e.ranges !== undefined
          ? ` ranges=${
            e.ranges.length === 0
              ? "none"
              : e.ranges.map((r) =>
                `[${hex(r.offset)},+${hex(r.length)})${rangeOptions(r.options)}`
              )
                .join(" ")
          }`
          : ""
      }${e.evict !== undefined ? ` (${evictText(e.evict, e.status)})` : ""}`;
    case "request":
      return `  vmo${e.vmo} new ${e.type} #${e.id} pages [${e.start},${e.end}) by t${e.tid}`;
    case "coalesce":
      return `  vmo${e.vmo} t${e.tid} joins request #${e.id}`;
    case "resolve":
      return `  vmo${e.vmo} request #${e.id} ${
        e.how === "cancel" ? "cancelled" : e.how === "detach" ? "detached" : `${e.how}d`
      }`;
    case "packet-queued":
      return `  port${e.port} <- ${packet(e.packet)} (#${e.id})`;
    case "packet-dequeued":
      return `  port${e.port} -> t${e.tid} ${packet(e.packet)}`;
    case "packet-withdrawn":
      return `  port${e.port} withdraws vmo${e.vmo} packet (#${e.id})`;
    case "packet-dropped":
      return `  port${e.port} drops vmo${e.vmo} packet`;
    case "block":
      return `  t${e.tid} blocks on ${e.on}`;
    case "wake":
      return `  t${e.tid} wakes: ${statusName(e.status)} (${e.why})`;
    case "refault":
      return `  t${e.tid} is back from its page fault at ${
        hex(e.addr)
      }: ${e.name} starts again at its next step`;
    case "supply":
      return `  vmo${e.vmo} page ${e.page} ${e.inserted ? "supplied" : `kept (${e.before})`}${
        e.content === undefined ? "" : e.inserted ? `: ${e.content}` : `, dropped: ${e.content}`
      }`;
    case "copy":
      return `  t${e.tid} reads vmo${e.vmo} ${hex(e.offset)}+${hex(e.bytes.length)}`;
    case "store":
      return `  t${e.tid} writes vmo${e.vmo} ${hex(e.offset)}+${hex(e.bytes.length)}`;
    case "detach":
      return `  vmo${e.vmo} detached (${e.why})`;
    case "page-fault":
      return `  t${e.tid} FATAL PAGE FAULT at ${hex(e.addr)} synth ${statusName(e.synth)}`;
    case "thread":
      return `  t${e.tid} ${e.what}`;
    case "atomic":
      return `  t${e.tid} ${e.op} futex word ${hex(e.addr)}: ${e.old} -> ${e.value}`;
    case "observed":
      return `  t${e.tid} observes signals ${hex(e.signals)} of koid ${e.koid}` +
        (e.key === 0 ? "" : ` (packet key ${e.key})`);
  }
}

/** A distinct tag per event kind, so equal fields of different kinds hash apart. */
const EVENT_TAG: Record<KernelEvent["k"], number> = {
  "call": 0x100,
  "ret": 0x101,
  "request": 0x102,
  "coalesce": 0x103,
  "resolve": 0x104,
  "packet-queued": 0x105,
  "packet-dequeued": 0x106,
  "packet-withdrawn": 0x107,
  "packet-dropped": 0x108,
  "block": 0x109,
  "wake": 0x10a,
  "supply": 0x10b,
  "copy": 0x10c,
  "store": 0x10d,
  "detach": 0x10e,
  "page-fault": 0x10f,
  "thread": 0x110,
  "atomic": 0x111,
  "observed": 0x112,
  "refault": 0x113,
};

const NAME_HASHES = new Map<string, number>();

/** FNV-1a of a name, memoised: names are the syscall and enum strings, a small fixed set. */
function nameHash(s: string): number {
  let h = NAME_HASHES.get(s);
  if (h === undefined) {
    h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    h >>>= 0;
    NAME_HASHES.set(s, h);
  }
  return h;
}

/** A queried dirty range's options as the trace shows them: `:IS_ZERO`, other bits in hex. */
function rangeOptions(options: number | undefined): string {
  if (options === undefined || options === 0) return "";
  const rest = options & ~ZX_VMO_DIRTY_RANGE_IS_ZERO;
  return (options & ZX_VMO_DIRTY_RANGE_IS_ZERO ? ":IS_ZERO" : "") + (rest ? `:${hex(rest)}` : "");
}

/**
 * The words of the event being hashed, mixed into the hash in one loop ({@linkcode Trace}'s
 * `#flush`). Each word is stored as a 32-bit integer: what `h ^ w` makes of any number (and
 * of anything else `ToNumber` takes) before it mixes it, so the hash is the one each word
 * mixed by itself gave.
 */
const WORDS = new Int32Array(64);

/**
 * Puts `x` after `n` words; returns the count. (A throw, of the store or of what gave `x`, leaves
 * the count as it was: only the words before it are mixed.)
 */
function put(n: number, x: number): number {
  WORDS[n] = x;
  return n + 1;
}

/** An event's first words, its kind's tag and its step; returns their count. */
function head(tag: number, step: number): number {
  WORDS[0] = tag;
  WORDS[1] = step;
  return 2;
}

/** A safe integer after `n` words (sign and magnitude, two 32-bit halves); returns the count. */
function putInt(n: number, x: number): number {
  const m = Math.abs(x);
  WORDS[n] = x < 0 ? 1 : 0;
  WORDS[n + 1] = m >>> 0;
  WORDS[n + 2] = Math.floor(m / 0x1_0000_0000) >>> 0;
  return n + 3;
}

/** A page-request packet's fields after `n` words; returns the count. */
function putPacket(n: number, p: PagePacket): number {
  n = putInt(n, p.command);
  n = putInt(n, p.key);
  n = putInt(n, p.offset);
  return putInt(n, p.length);
}

/**
 * Records events and hashes them as they arrive.
 *
 * @example
 * ```ts
 * import { runScenario } from "../scenario/interpreter.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 1 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
 * }), { seed: 1 });
 * console.assert(run.trace.entries.length > 0 && /^[0-9a-f]{16}$/.test(run.traceHash));
 * ```
 */
export class Trace implements EventSink {
  /** Every recorded event in order; empty when entries are not kept. */
  readonly entries: TraceEntry[] = [];
  /** The step events are attributed to; the world sets it. */
  step = 0;
  #h1 = 0x811c9dc5;
  #h2 = 0x01000193 ^ 0x5bd1e995;
  #listeners: ((e: KernelEvent, step: number) => void)[] = [];

  /**
   * Builds an empty trace; with `keep` false only the hash is kept, not the entries; with
   * `hashed` false not even the hash ({@linkcode Trace.hash} is then empty).
   */
  constructor(
    /** Whether events are kept in {@linkcode Trace.entries}. */
    readonly keep = true,
    /** Whether events are hashed: a campaign's passing run is never asked for its hash. */
    readonly hashed = true,
  ) {}

  /** Calls `fn` for every event from now on (properties use this). */
  listen(fn: (e: KernelEvent, step: number) => void): void {
    this.#listeners.push(fn);
  }

  /** Records one kernel event at the current step and mixes it into the hash. */
  emit(event: KernelEvent): void {
    if (this.keep) this.entries.push({ step: this.step, event });
    if (this.hashed) this.#mixEvent(event);
    // Indexed loops: an iterator here cost a sixth of the hash (bench/).
    const ls = this.#listeners;
    for (let i = 0; i < ls.length; i++) ls[i](event, this.step);
  }

  /** Adds a line that is not a kernel event (a verdict, a note) to the hash. */
  note(text: string): void {
    if (this.hashed) this.#mix(`${text}\n`);
  }

  /** The hash so far, 16 hex digits; empty for a trace built not to hash. */
  get hash(): string {
    if (!this.hashed) return "";
    return (this.#h1 >>> 0).toString(16).padStart(8, "0") +
      (this.#h2 >>> 0).toString(16).padStart(8, "0");
  }

  /** The text form, one line per event, `#step` first. */
  text(from = 0, to = Number.POSITIVE_INFINITY): string {
    const lines: string[] = [];
    for (const { step, event } of this.entries) {
      if (step < from || step > to) continue;
      lines.push(`#${step} ${formatEvent(event)}`);
    }
    return lines.join("\n");
  }

  // Hashing the fields instead of the formatted line keeps the hash off the hot path (bench/).
  #mixEvent(e: KernelEvent): void {
    // The words are put in order and mixed in one loop (`#flush`), also when a field throws
    // (a malformed event): the words before it are mixed, as they were one by one.
    let n = 0;
    try {
      // Each kind's tag by a named load (`EVENT_TAG[e.k]`, a keyed load by the kind, was two
      // fifths of the hash's time).
      const k = e.k;
      switch (k) {
        case "call":
          n = head(EVENT_TAG["call"], this.step);
          n = put(n, e.tid);
          n = put(n, nameHash(e.name));
          n = put(n, e.args.length);
          for (let i = 0; i < e.args.length; i++) {
            // A safe integer as two words, anything else by its text.
            const a = e.args[i];
            if (typeof a === "number" && Number.isSafeInteger(a)) {
              if (n > WORDS.length - 4) n = this.#flush(n);
              n = put(n, 1);
              n = putInt(n, a);
            } else {
              n = this.#flush(put(n, 2));
              n = this.#text(arg(a));
            }
          }
          return;
        case "ret":
          n = head(EVENT_TAG["ret"], this.step);
          // The out-value is shown in the text only: traces hashed before it was shown keep
          // their hashes (it follows from the calls before it, which the hash holds).
          n = put(n, e.tid);
          n = put(n, nameHash(e.name));
          n = putInt(n, e.status);
          return;
        case "request":
          n = head(EVENT_TAG["request"], this.step);
          n = put(n, e.vmo);
          n = put(n, e.type === "READ" ? 0 : 1);
          n = putInt(n, e.id);
          n = putInt(n, e.start);
          n = putInt(n, e.end);
          n = put(n, e.tid);
          return;
        case "coalesce":
          n = head(EVENT_TAG["coalesce"], this.step);
          n = put(n, e.vmo);
          n = put(n, e.tid);
          n = putInt(n, e.id);
          return;
        case "resolve":
          n = head(EVENT_TAG["resolve"], this.step);
          n = put(n, e.vmo);
          n = putInt(n, e.id);
          n = put(n, nameHash(e.how));
          return;
        case "packet-queued":
          n = head(EVENT_TAG["packet-queued"], this.step);
          n = put(n, e.port);
          n = putPacket(n, e.packet);
          n = putInt(n, e.id);
          return;
        case "packet-dequeued":
          n = head(EVENT_TAG["packet-dequeued"], this.step);
          n = put(n, e.port);
          n = put(n, e.tid);
          n = putPacket(n, e.packet);
          return;
        case "packet-withdrawn":
        case "packet-dropped":
          n = head(
            k === "packet-withdrawn" ? EVENT_TAG["packet-withdrawn"] : EVENT_TAG["packet-dropped"],
            this.step,
          );
          n = put(n, e.port);
          n = putInt(n, e.vmo);
          if (e.k === "packet-withdrawn") n = putInt(n, e.id);
          return;
        case "block":
          n = head(EVENT_TAG["block"], this.step);
          n = this.#flush(put(n, e.tid));
          n = this.#text(e.on);
          return;
        case "wake":
          n = head(EVENT_TAG["wake"], this.step);
          n = put(n, e.tid);
          n = this.#flush(putInt(n, e.status));
          n = this.#text(e.why);
          return;
        case "supply":
          n = head(EVENT_TAG["supply"], this.step);
          n = put(n, e.vmo);
          n = putInt(n, e.page);
          n = put(n, e.inserted ? 1 : 0);
          if (!e.inserted) n = put(n, nameHash(e.before));
          return;
        case "copy":
        case "store":
          n = head(k === "copy" ? EVENT_TAG["copy"] : EVENT_TAG["store"], this.step);
          n = put(n, e.tid);
          n = put(n, e.vmo);
          n = putInt(n, e.offset);
          n = putInt(n, e.bytes.length);
          return;
        case "detach":
          n = head(EVENT_TAG["detach"], this.step);
          n = put(n, e.vmo);
          n = put(n, nameHash(e.why));
          return;
        case "page-fault":
          n = head(EVENT_TAG["page-fault"], this.step);
          n = put(n, e.tid);
          n = putInt(n, e.addr);
          n = putInt(n, e.synth);
          return;
        case "thread":
          n = head(EVENT_TAG["thread"], this.step);
          n = put(n, e.tid);
          n = put(n, nameHash(e.what));
          return;
        case "atomic":
          n = head(EVENT_TAG["atomic"], this.step);
          n = put(n, e.tid);
          n = putInt(n, e.addr);
          n = put(n, nameHash(e.op));
          n = putInt(n, e.old);
          n = putInt(n, e.value);
          return;
        case "observed":
          n = head(EVENT_TAG["observed"], this.step);
          n = put(n, e.tid);
          n = putInt(n, e.koid);
          n = putInt(n, e.signals);
          n = putInt(n, e.key);
          return;
        case "refault":
          // Text only: it explains a step that printed nothing before, and every trace hash
          // recorded since then stays.
          return;
        default:
          // (A kind the trace does not know: its tag as the table gives it, and the step.)
          n = head(EVENT_TAG[k], this.step);
      }
    } finally {
      this.#flush(n);
    }
  }

  /**
   * Mixes the first `n` words of {@linkcode WORDS} into the hash, in order; returns 0 (the
   * count after). One loop over locals: a call per word that loaded and stored both halves of
   * the hash in the trace's fields was most of the hash's time.
   */
  #flush(n: number): number {
    let h1 = this.#h1, h2 = this.#h2;
    const w = WORDS;
    for (let i = 0; i < n; i++) {
      const x = w[i];
      h1 = Math.imul(h1 ^ x, 0x01000193);
      h1 ^= h1 >>> 13;
      h2 = Math.imul(h2 ^ x, 0x5bd1e995) ^ (h2 >>> 15);
    }
    this.#h1 = h1;
    this.#h2 = h2;
    return 0;
  }

  /**
   * A string, then its length, so the next word cannot run into it; the words before it are
   * mixed already. Returns the count of words put (its length).
   */
  #text(s: string): number {
    this.#mix(s);
    return put(0, s.length);
  }

  #mix(s: string): void {
    let h1 = this.#h1, h2 = this.#h2;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    this.#h1 = h1;
    this.#h2 = h2;
  }
}
