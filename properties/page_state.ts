/**
 * `page-state`: how page slots may change (K2, K9, K10, K13, K15, K26). A READ
 * request covers only absent pages inside the VMO; a page appears only by a
 * supply (Clean from a committed aux page, a marker from an uncommitted one,
 * with the aux page's bytes) and the aux range is decommitted, or as a zero
 * slot by OP_ZERO or a grow; a page disappears only by detach (Clean pages and
 * markers only), VMO death, eviction (Clean pages), WRITEBACK_END (a zero slot
 * written back) or a shrink; bytes change only where a thread wrote (zero
 * slots and markers hold zeros, so OP_DIRTY and COMMIT turning them into Dirty
 * pages change none); OP_FAIL changes nothing; after `zx_pager_detach_vmo` no
 * Clean page or marker remains. Which dirty-state moves are legal is
 * dirty-state's (K17); this checker only ties each move to a cause.
 *
 * @module
 */

import {
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
} from "../kernel/constants.ts";
import type { KernelEvent, SlotKind } from "../kernel/events.ts";
import { type Page, type Slot, slotKind, type Vmo } from "../kernel/objects.ts";
import type { World } from "../sim/world.ts";
import { AuxSnapshot } from "./_aux_snapshot.ts";
import { sameBytes } from "./_bytes.ts";
import { type Call, pagerVmo, StepMonitor } from "./_step_monitor.ts";

interface SlotCopy {
  readonly kind: SlotKind;
  readonly data: Uint8Array | null;
}

/** One shared zero page per page size (copies are only ever compared, never written). */
const ZERO_PAGES = new Map<number, Uint8Array>();

/** A slot's kind and bytes: markers and zero slots read as zeros; absent has none. */
function copy(s: Slot, pageSize: number): SlotCopy {
  const kind = slotKind(s);
  if (kind === "absent") return { kind, data: null };
  if (kind === "marker" || kind === "zero") {
    let zero = ZERO_PAGES.get(pageSize);
    if (zero === undefined) ZERO_PAGES.set(pageSize, zero = new Uint8Array(pageSize));
    return { kind, data: zero };
  }
  return { kind, data: (s as Page).data.slice() };
}

/** True if slot `s` still has the kind and bytes of its copy `was`. */
function unchanged(s: Slot, was: SlotCopy): boolean {
  const kind = slotKind(s);
  if (kind !== was.kind) return false;
  if (kind === "absent" || kind === "marker" || kind === "zero") return true;
  return sameBytes((s as Page).data, was.data);
}

/** What the step's syscall may do to slots besides writing and supplying. */
interface StepCause {
  /** OP_FAIL: nothing may change (K15 instead of K26). */
  readonly failing: boolean;
  /** OP_DIRTY: non-Dirty content becomes Dirty. */
  readonly opDirty: boolean;
  /** WRITEBACK_BEGIN/END: Dirty to AwaitingClean to Clean; written-back zero slots go absent. */
  readonly writeback: boolean;
  /** `zx_vmo_op_range` (COMMIT of a zero slot allocates a Dirty page). */
  readonly vmoOp: boolean;
  /** The kernel evicted a Clean page. */
  readonly evict: boolean;
  /** `zx_vmo_set_size`: a grow adds zero slots (or gaps), a shrink drops the tail. */
  readonly resize: boolean;
}

function causeOf(call: Call | undefined): StepCause {
  const pagerOp = call?.name === "zx_pager_op_range" ? call.args[1] : undefined;
  return {
    failing: pagerOp === ZX_PAGER_OP_FAIL,
    opDirty: pagerOp === ZX_PAGER_OP_DIRTY,
    writeback: pagerOp === ZX_PAGER_OP_WRITEBACK_BEGIN || pagerOp === ZX_PAGER_OP_WRITEBACK_END,
    vmoOp: call?.name === "zx_vmo_op_range",
    evict: call?.name === "kernel_evict",
    resize: call?.name === "zx_vmo_set_size",
  };
}

/** Checks every slot change of every pager VMO against the step's events. */
export class PageState extends StepMonitor {
  readonly name = "page-state";
  #before = new Map<Vmo, SlotCopy[]>();
  readonly #aux = new AuxSnapshot();
  #requests: { vmo: number; id: number; start: number; end: number }[] = [];
  /** The stepping thread's syscall (also one that resumed from a block in this step). */
  #supplied = new Map<string, Call>();
  #written = new Set<string>();
  #detached = new Map<number, string>();
  #supplyRets: Call[] = [];
  #stepCall: Call | undefined;

  protected override onStepEvent(e: KernelEvent, call: Call | undefined, world: World): void {
    const stepping = world.running?.tid;
    if (call !== undefined && (!("tid" in e) || e.tid === stepping)) this.#stepCall ??= call;
    switch (e.k) {
      case "request":
        // DIRTY requests cover present content by design (K3 is dirty-state's).
        if (e.type === "READ") {
          this.#requests.push({ vmo: e.vmo, id: e.id, start: e.start, end: e.end });
        }
        break;
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
    const cause = causeOf(this.#stepCall);
    const change = cause.failing ? "K15" : "K26";
    for (const vmo of world.kernel.pagerVmos) {
      const before = this.#before.get(vmo);
      const why = this.#detached.get(vmo.koid);
      // An unchanged slot keeps its copy: no allocation, and nothing to check.
      const nowCopies = Array.from(vmo.slots, (s, p) => {
        const was = before?.[p];
        return was !== undefined && unchanged(s, was) ? was : copy(s, vmo.pageSize);
      });
      if (before !== undefined) {
        for (let p = 0; p < vmo.slots.length; p++) {
          const now = nowCopies[p];
          if (p < before.length && now === before[p]) continue;
          if (p < before.length) this.#checkSlot(vmo, p, before[p], now, why, change, cause);
          else if (!cause.resize || (now.kind !== "zero" && now.kind !== "absent")) {
            this.fail(change, `vmo${vmo.koid} page ${p} appeared as ${now.kind} past the old end`);
          }
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
      this.#before.set(vmo, nowCopies);
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
    cause: StepCause,
  ): void {
    const at = `vmo${vmo.koid} page ${p}`;
    const written = this.#written.has(`${vmo.koid}:${p}`);
    if (was.kind === "absent" && now.kind === "absent") return;
    if (was.kind === "absent" && now.kind === "zero") {
      if (!written) this.fail(change, `${at} became a zero slot without OP_ZERO`);
      return;
    }
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
      if (cause.evict && was.kind === "clean") return;
      if (cause.writeback && was.kind === "zero") return;
      this.fail(why === "detach" ? "K13" : change, `${at} (${was.kind}) vanished`);
    }
    if (!written && !sameBytes(was.data, now.data)) {
      this.fail(change, `${at} bytes changed without a write`);
    }
    if (was.kind === now.kind) return;
    const dirtied = now.kind === "dirty" && (written || cause.opDirty ||
      cause.vmoOp && was.kind === "zero");
    const zeroed = written && now.kind === "zero";
    // COMMIT gives a marker a Clean zero page (RequireOwnedPage: "Markers start clean").
    const committed = cause.vmoOp && was.kind === "marker" && now.kind === "clean";
    const cleaned = cause.writeback &&
      (was.kind === "dirty" && now.kind === "awaiting-clean" ||
        was.kind === "awaiting-clean" && now.kind === "clean");
    if (!dirtied && !zeroed && !cleaned && !committed) {
      this.fail(change, `${at} went from ${was.kind} to ${now.kind}`);
    }
  }
}
