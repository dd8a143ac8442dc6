/**
 * The trace of a run: every kernel event with the step it happened in, a text
 * form for people, and a stable hash (FNV-1a over the text, two 32-bit lanes)
 * that is the same on every machine for the same (scenario, decisions).
 *
 * @module
 */

import {
  statusName,
  ZX_PAGER_VMO_COMPLETE,
  ZX_PAGER_VMO_DIRTY,
  ZX_PAGER_VMO_READ,
} from "../kernel/constants.ts";
import type { EventSink, KernelEvent, PagePacket } from "../kernel/events.ts";

/** One trace entry. */
export interface TraceEntry {
  readonly step: number;
  readonly event: KernelEvent;
}

const COMMANDS: Record<number, string> = {
  [ZX_PAGER_VMO_READ]: "READ",
  [ZX_PAGER_VMO_COMPLETE]: "COMPLETE",
  [ZX_PAGER_VMO_DIRTY]: "DIRTY",
};

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

function packet(p: PagePacket): string {
  return `${COMMANDS[p.command] ?? `cmd${p.command}`} key=${hex(p.key)} [${hex(p.offset)},+${
    hex(p.length)
  })`;
}

/** The text of one event (no step prefix). */
export function formatEvent(e: KernelEvent): string {
  switch (e.k) {
    case "call":
      return `t${e.tid} ${e.name}(${e.args.map(arg).join(", ")})`;
    case "ret":
      return `t${e.tid} ${e.name} -> ${statusName(e.status)}`;
    case "request":
      return `  vmo${e.vmo} new ${e.type} #${e.id} pages [${e.start},${e.end}) by t${e.tid}`;
    case "coalesce":
      return `  vmo${e.vmo} t${e.tid} joins request #${e.id}`;
    case "resolve":
      return `  vmo${e.vmo} request #${e.id} ${e.how}d`;
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
    case "supply":
      return `  vmo${e.vmo} page ${e.page} ${e.inserted ? "supplied" : `kept (${e.before})`}`;
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
  }
}

/** Records events and hashes them as they arrive. */
export class Trace implements EventSink {
  readonly entries: TraceEntry[] = [];
  /** The step events are attributed to; the world sets it. */
  step = 0;
  #h1 = 0x811c9dc5;
  #h2 = 0x01000193 ^ 0x5bd1e995;
  #listeners: ((e: KernelEvent, step: number) => void)[] = [];

  constructor(readonly keep = true) {}

  /** Calls `fn` for every event from now on (properties use this). */
  listen(fn: (e: KernelEvent, step: number) => void): void {
    this.#listeners.push(fn);
  }

  emit(event: KernelEvent): void {
    if (this.keep) this.entries.push({ step: this.step, event });
    this.#mix(`${this.step} ${formatEvent(event)}\n`);
    for (const fn of this.#listeners) fn(event, this.step);
  }

  /** Adds a line that is not a kernel event (a verdict, a note) to the hash. */
  note(text: string): void {
    this.#mix(`${text}\n`);
  }

  /** The hash so far, 16 hex digits. */
  get hash(): string {
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
