/**
 * "Sometimes" counters of program campaigns: events of a syscall program's run
 * a campaign should reach now and then, above all the kernel's copies through
 * a user buffer (`zx_vmo_read`, `zx_vmo_write` and `zx_object_get_info` given
 * a buffer address, `program/generate.ts`), which fault on a pager VMO's
 * mapping and park like any access. A campaign reports how many runs reached
 * each one and names those it never reached, as scenario campaigns do with
 * `fuzz/sometimes.ts`. The monitor only watches: it judges nothing, so it
 * changes no verdict and no trace hash.
 *
 * @module
 */

import { ZX_OK } from "../../kernel/constants.ts";
import type { KernelEvent } from "../../kernel/events.ts";
import { Vmo } from "../../kernel/objects.ts";
import { CALLS } from "../../program/program.ts";
import type { Monitor, World } from "../../sim/world.ts";

/** The program events counted, with what each means. */
export const PROGRAM_SOMETIMES: Readonly<Record<string, string>> = {
  "user-buffer-call":
    "a zx_vmo_read, zx_vmo_write or zx_object_get_info was given a user buffer (the kernel copies through the caller's mappings)",
  "user-copy-ok": "a call given a user buffer returned ZX_OK (its copy went through)",
  "user-copy-error": "a call given a user buffer returned an error",
  "user-copy-request":
    "a user-buffer copy raised or joined a page request (it faulted on a pager VMO's mapping)",
  "user-copy-parked": "a user-buffer copy's page request parked its thread",
  "pin-request": "zx_bti_pin raised or joined a page request",
  "vmar-op-request":
    "zx_vmar_op_range raised or joined a page request (an op over a pager VMO's mapping)",
  "dirty-request": "a write raised a DIRTY request",
};

/** True if a call event passes its optional user-buffer argument (as `givesUserBuffer`). */
function buffered(name: string, args: readonly unknown[]): boolean {
  const spec = (CALLS as Readonly<Record<string, (typeof CALLS)[keyof typeof CALLS]>>)[name];
  if (spec === undefined || args.length <= spec.params.length) return false;
  return spec.optional.slice(0, args.length - spec.params.length).includes("userBuffer");
}

/** Records which {@linkcode PROGRAM_SOMETIMES} events one program run reached. */
export class ProgramSometimesMonitor implements Monitor {
  readonly name = "program-sometimes";
  readonly hit = new Set<string>();
  /** The call each thread is in: its name, arguments, and whether it has a user buffer. */
  readonly #calls = new Map<number, { name: string; args: readonly unknown[]; buffer: boolean }>();
  /** This step's requests raised or joined inside a call with a buffer. */
  #pending: { tid: number; vmo: number; pages: [number, number] | null; blocked: boolean }[] = [];
  /** Threads whose copy raised a request, until they block (parked) or return. */
  readonly #copying = new Set<number>();

  onEvent(e: KernelEvent): void {
    switch (e.k) {
      case "call": {
        const buffer = buffered(e.name, e.args);
        if (buffer) this.hit.add("user-buffer-call");
        this.#calls.set(e.tid, { name: e.name, args: e.args, buffer });
        break;
      }
      case "ret": {
        const call = this.#calls.get(e.tid);
        if (call?.buffer) this.hit.add(e.status === ZX_OK ? "user-copy-ok" : "user-copy-error");
        this.#calls.delete(e.tid);
        this.#copying.delete(e.tid);
        break;
      }
      case "request":
      case "coalesce": {
        if (e.k === "request" && e.type === "DIRTY") this.hit.add("dirty-request");
        const call = this.#calls.get(e.tid);
        if (call?.name === "zx_bti_pin") this.hit.add("pin-request");
        if (call?.name === "zx_vmar_op_range") this.hit.add("vmar-op-request");
        if (call?.buffer) {
          const pages: [number, number] | null = e.k === "request" ? [e.start, e.end] : null;
          this.#pending.push({ tid: e.tid, vmo: e.vmo, pages, blocked: false });
        }
        break;
      }
      case "block":
        for (const p of this.#pending) if (p.tid === e.tid) p.blocked = true;
        if (this.#copying.delete(e.tid)) this.hit.add("user-copy-parked");
        break;
    }
  }

  afterStep(world: World): void {
    for (const { tid, vmo, pages, blocked } of this.#pending) {
      const call = this.#calls.get(tid);
      if (call === undefined || !copyRequest(world, call.name, call.args, vmo, pages)) continue;
      this.hit.add("user-copy-request");
      if (blocked) this.hit.add("user-copy-parked");
      else this.#copying.add(tid);
    }
    this.#pending = [];
  }
}

/**
 * Whether a page request raised (`pages`: its range) or joined (null) inside a call given a user
 * buffer is its copy's: zx_object_get_info touches no VMO but the buffer's; zx_vmo_read and
 * zx_vmo_write fault on their own VMO too, so a request there is the copy's only outside the
 * pages the call itself reads or writes (a buffer mapped over the same VMO, elsewhere).
 */
function copyRequest(
  world: World,
  name: string,
  args: readonly unknown[],
  vmo: number,
  pages: [number, number] | null,
): boolean {
  if (name === "zx_object_get_info") return true;
  const own = world.kernel.handles.entry(args[0])?.object;
  if (!(own instanceof Vmo) || own.root.koid !== vmo) return true;
  // A child's own requests land on its root at the child's offset: not worth telling apart.
  if (own !== own.root || pages === null) return false;
  const [offset, length] = name === "zx_vmo_read"
    ? [args[1], args[2]]
    : [args[2], args[1] instanceof Uint8Array ? args[1].length : args[1]];
  if (typeof offset !== "number" || typeof length !== "number") return false;
  const ps = world.kernel.pageSize;
  const first = Math.floor(offset / ps), end = Math.ceil((offset + length) / ps);
  return pages[1] <= first || pages[0] >= end;
}
