/**
 * `page-state`: how page slots may change (K2, K9, K10, K13, K15, K26). A READ
 * request covers only absent pages inside the VMO; a page appears only by a
 * supply (Clean from a committed aux page, a marker from an uncommitted one,
 * with the aux page's bytes) and the aux range is decommitted; a page
 * disappears only by detach (Clean pages and markers only) or VMO death;
 * bytes change only where a thread wrote; OP_FAIL changes nothing; after
 * `zx_pager_detach_vmo` no Clean page or marker remains.
 *
 * @module
 */

import { ZX_OK, ZX_PAGER_OP_FAIL } from "../kernel/constants.ts";
import type { KernelEvent, SlotKind } from "../kernel/events.ts";
import { type Page, type Slot, slotKind, type Vmo } from "../kernel/objects.ts";
import type { World } from "../sim/world.ts";
import { AuxSnapshot } from "./_aux_snapshot.ts";
import { type Call, pagerVmo, StepMonitor } from "./_step_monitor.ts";

interface SlotCopy {
  readonly kind: SlotKind;
  readonly data: Uint8Array | null;
}

function copy(s: Slot): SlotCopy {
  const kind = slotKind(s);
  return { kind, data: kind === "absent" || kind === "marker" ? null : (s as Page).data.slice() };
}

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Checks every slot change of every pager VMO against the step's events. */
export class PageState extends StepMonitor {
  readonly name = "page-state";
  #before = new Map<Vmo, SlotCopy[]>();
  readonly #aux = new AuxSnapshot();
  #requests: { vmo: number; id: number; start: number; end: number }[] = [];
  #supplied = new Map<string, Call>();
  #written = new Set<string>();
  #detached = new Map<number, string>();
  #supplyRets: Call[] = [];
  #stepCall: Call | undefined;

  protected override onStepEvent(e: KernelEvent, call: Call | undefined, world: World): void {
    switch (e.k) {
      case "call":
        if (world.running?.tid === e.tid) this.#stepCall = call;
        return;
      case "request":
        this.#requests.push({ vmo: e.vmo, id: e.id, start: e.start, end: e.end });
        return;
      case "supply":
        if (e.inserted && call !== undefined) this.#supplied.set(`${e.vmo}:${e.page}`, call);
        return;
      case "store": {
        const ps = world.kernel.pageSize;
        const first = Math.floor(e.offset / ps);
        const last = Math.floor((e.offset + Math.max(e.bytes.length, 1) - 1) / ps);
        for (let p = first; p <= last; p++) this.#written.add(`${e.vmo}:${p}`);
        return;
      }
      case "detach":
        this.#detached.set(e.vmo, e.why);
        return;
      case "ret":
        if (e.name === "zx_pager_supply_pages" && e.status === ZX_OK && call !== undefined) {
          this.#supplyRets.push(call);
        }
        return;
    }
  }

  protected override endStep(world: World): void {
    for (const r of this.#requests) {
      const vmo = pagerVmo(world, r.vmo)!;
      if (r.end > vmo.pageCount) {
        this.fail("K2", `vmo${r.vmo} READ #${r.id} [${r.start},${r.end}) past the VMO end`);
      }
      for (let p = r.start; p < r.end; p++) {
        if (vmo.slots[p] !== undefined) {
          this.fail(
            "K2",
            `vmo${r.vmo} READ #${r.id} covers page ${p}, which is ${slotKind(vmo.slots[p])}`,
          );
        }
      }
    }
    const failing = this.#stepCall?.name === "zx_pager_op_range" &&
      this.#stepCall.args[1] === ZX_PAGER_OP_FAIL;
    const writeback = this.#stepCall?.name === "zx_pager_op_range" && !failing;
    const change = failing ? "K15" : "K26";
    for (const vmo of world.kernel.pagerVmos) {
      const before = this.#before.get(vmo);
      const why = this.#detached.get(vmo.koid);
      if (before !== undefined) {
        for (let p = 0; p < vmo.slots.length; p++) {
          this.#checkSlot(vmo, p, before[p], copy(vmo.slots[p]), why, change, writeback);
        }
      }
      if (why === "detach") {
        const kept = vmo.slots.findIndex((s) => {
          const k = slotKind(s);
          return k === "clean" || k === "marker";
        });
        if (kept >= 0) {
          this.fail(
            "K13",
            `vmo${vmo.koid} page ${kept} is ${slotKind(vmo.slots[kept])} after detach`,
          );
        }
      }
      this.#before.set(vmo, Array.from(vmo.slots, copy));
    }
    for (const call of this.#supplyRets) {
      const aux = this.vmoOf(call.args[4]);
      if (aux === undefined || aux.source !== null) continue;
      const [, , , length, , auxOffset] = call.args as number[];
      const ps = world.kernel.pageSize;
      for (let p = auxOffset / ps; p < (auxOffset + length) / ps; p++) {
        if (aux.slots[p] !== undefined) {
          this.fail("K10", `aux vmo${aux.koid} page ${p} still committed after a supply`);
        }
      }
    }
    this.#aux.take(world);
    this.#requests = [];
    this.#supplied = new Map();
    this.#written = new Set();
    this.#detached = new Map();
    this.#supplyRets = [];
    this.#stepCall = undefined;
  }

  #checkSlot(
    vmo: Vmo,
    p: number,
    was: SlotCopy,
    now: SlotCopy,
    why: string | undefined,
    change: string,
    writeback: boolean,
  ): void {
    const at = `vmo${vmo.koid} page ${p}`;
    if (was.kind === "absent" && now.kind === "absent") return;
    if (was.kind === "absent") {
      const call = this.#supplied.get(`${vmo.koid}:${p}`);
      if (call === undefined) this.fail(change, `${at} became ${now.kind} without a supply`);
      const src = this.#aux.source(this.vmoOf(call.args[4]), call, p, vmo);
      if (src === undefined) return;
      const want = src === null ? "marker" : "clean";
      if (now.kind !== want) {
        this.fail("K9", `${at} supplied as ${now.kind}; the aux page calls for ${want}`);
      }
      if (src !== null && !sameBytes(src, now.data)) {
        this.fail(change, `${at} content differs from the aux page it was supplied from`);
      }
      return;
    }
    if (now.kind === "absent") {
      if (why === "vmo-dead") return;
      if (why === "detach" && (was.kind === "clean" || was.kind === "marker")) return;
      this.fail(why === "detach" ? "K13" : change, `${at} (${was.kind}) vanished`);
    }
    const written = this.#written.has(`${vmo.koid}:${p}`);
    if (!written && !sameBytes(was.data ?? new Uint8Array(0), now.data ?? new Uint8Array(0))) {
      this.fail(change, `${at} bytes changed without a write`);
    }
    if (was.kind === now.kind) return;
    const dirtied = written && now.kind === "dirty";
    const cleaned = writeback &&
      (was.kind === "dirty" && now.kind === "awaiting-clean" ||
        was.kind === "awaiting-clean" && now.kind === "clean");
    if (!dirtied && !cleaned) this.fail(change, `${at} went from ${was.kind} to ${now.kind}`);
  }
}
