/**
 * A note, not a verdict: service code that used a handle value the service itself had closed
 * (its threads, or its `open`/`close`/`writeback` entries; never an environment event's or a
 * workload's close). The model never reuses a handle value, so the use returns
 * `ZX_ERR_BAD_HANDLE`; in Zircon the value may by then name another object (another file's
 * VMO), and the call would act on it. userS26s's blobfs closed a VMO's handle in its `close`
 * entry while a worker still supplied through it, and read `verdict: pass` with nothing said.
 *
 * Not an obligation: the reference services do the same (measured on campaign seed 1, 1,000
 * runs each: examples/inode_pager.ts in 9, whose `close` entry detaches and closes while its
 * serve thread may still supply; the built-in detacher in 3, one pool thread closing the pager
 * while another supplies), so a checker would fail them. sim and repro print the note.
 *
 * @module
 */

import { ZX_ERR_BAD_HANDLE, ZX_OK } from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import { handleParams } from "../properties/_handle_params.ts";
import { threadLabel } from "../sim/trace.ts";
import { ENTRY_POINTS, type Monitor, type World } from "../sim/world.ts";

/** Syscalls that end the handle they are given (zx_handle_replace even when it fails). */
const ENDS_HANDLE = new Set(["zx_handle_close", "zx_handle_replace"]);

interface Who {
  readonly tid: number;
  readonly name: string;
  /** `the service thread` or `the service's \`close\` entry`. */
  readonly code: string;
}

/**
 * Watches a run for service code using a handle value that service code had closed; after the
 * run, {@linkcode HandleReuseNote.note} is the line to print, or null.
 *
 * @example
 * ```ts
 * import { HandleReuseNote } from "./_handle_note.ts";
 * const n = new HandleReuseNote();
 * console.assert(n.note() === null);
 * ```
 */
export class HandleReuseNote implements Monitor {
  readonly name = "handle-reuse-note";
  #world: World | null = null;
  readonly #closed = new Map<number, Who & { step: number }>();
  readonly #pending = new Map<number, { name: string; args: readonly unknown[]; who: Who }>();
  #first: string | null = null;
  #more = 0;

  stepHook(world: World): null {
    this.#world = world;
    return null;
  }

  /** Whose code thread `tid` runs now: service code (a service thread or entry), else null. */
  #serviceCode(tid: number): Who | null {
    const t = this.#world?.threads[tid - 1];
    if (t === undefined) return null;
    const entry = ENTRY_POINTS[t.entry];
    if (entry === "open" || entry === "close" || entry === "writeback") {
      return { tid, name: t.name, code: `the service's \`${entry}\` entry` };
    }
    return t.role === "service" ? { tid, name: t.name, code: "the service's thread" } : null;
  }

  onEvent(e: KernelEvent, step: number): void {
    if (e.k === "call") {
      const who = this.#serviceCode(e.tid);
      if (who !== null) this.#pending.set(e.tid, { name: e.name, args: e.args, who });
      else this.#pending.delete(e.tid);
      return;
    }
    if (e.k !== "ret") return;
    const p = this.#pending.get(e.tid);
    if (p === undefined || p.name !== e.name) return;
    this.#pending.delete(e.tid);
    const handle = p.args[0];
    if (
      ENDS_HANDLE.has(e.name) && typeof handle === "number" && handle !== 0 &&
      (e.status === ZX_OK || e.name === "zx_handle_replace")
    ) {
      this.#closed.set(handle, { ...p.who, step });
      return;
    }
    if (e.status !== ZX_ERR_BAD_HANDLE) return;
    for (const i of handleParams(e.name)) {
      const v = p.args[i];
      const closed = typeof v === "number" ? this.#closed.get(v) : undefined;
      if (closed === undefined) continue;
      if (this.#first !== null) {
        this.#more++;
        return;
      }
      const h = `0x${(v as number).toString(16)}`;
      const closer = closed.tid === p.who.tid && closed.code === p.who.code
        ? "the same code"
        : `${closed.code} (${threadLabel(closed.tid, closed.name)})`;
      this.#first = `${threadLabel(p.who.tid, p.who.name)} (${p.who.code}) called ${e.name} at ` +
        `step ${step} with handle ${h}, which ${closer} had closed at step ${closed.step}`;
      return;
    }
  }

  /** The note to print after the run, or null when service code used no handle it had closed. */
  note(): string | null {
    if (this.#first === null) return null;
    return `note: ${this.#first}${
      this.#more > 0 ? ` (and ${this.#more} more such use${this.#more === 1 ? "" : "s"})` : ""
    }: here ZX_ERR_BAD_HANDLE, but in Zircon a closed handle's value may be reused for another ` +
      "object (another file's VMO), which the call would then act on. Not part of the verdict " +
      "(no checker judges it: the reference services do it too)";
  }
}
