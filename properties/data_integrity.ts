/**
 * `data-integrity`: every byte a thread reads from a root pager VMO equals the
 * reference model ({@linkcode ContentModel}): the backing store (laid out as
 * the scenario's file layout says: zeros past the end of the file, the partial
 * last page's tail included, and in holes of any size) overlaid with
 * every store that happened before (writes, OP_ZERO, a grow's zero tail), so
 * content written back and re-supplied after an eviction must still read as
 * written. Every page a supply inserts must hold what the model says
 * (`supply`): the backing content, from the checkers' own model of the backing
 * store, not the service's; a zero marker (an uncommitted aux page) is judged
 * as zeros, so a service cannot declare a page zeros that the store says is
 * not. A page that saw a write and is supplied again (written back, evicted,
 * re-read) must arrive as the last write left it (`lost-write`, spec 5.3), and a page of a re-opened
 * file whose writeback ended (WRITEBACK_END cleaned it, no write since its BEGIN) as that writeback
 * left it (`lost-write`), never as the file's original pattern. That allowance, and a state an
 * earlier VMO of the file took, count for the page's first supply to a VMO only: a writeback that
 * ended after it does not count for that VMO, whose page, once held, changes only by a write to it
 * (`supply: ... a page of a VMO may not change without a write to it`, userS32a). This is the one
 * checker for "what must a
 * page hold"; level 2's durable-data is the same checker under its own name.
 *
 * @module
 */

import { present } from "../kernel/assert.ts";
import type { KernelEvent } from "../kernel/events.ts";
import { MARKER, type Page, slotKind, type Vmo, ZeroSlot } from "../kernel/objects.ts";
import { ZX_PAGER_OP_WRITEBACK_BEGIN, ZX_PAGER_OP_WRITEBACK_END } from "../kernel/constants.ts";
import type { FileLayout } from "../sim/file_layout.ts";
import type { World } from "../sim/world.ts";
import { ContentModel } from "./_content_model.ts";
import { type Call, pagerVmo, StepMonitor } from "./_step_monitor.ts";

/** The event kinds onStepEvent judges (one set for every run, not one per checker made). */
const STEP_KINDS: ReadonlySet<KernelEvent["k"]> = new Set([
  "supply",
  "store",
  "copy",
  "detach",
  "ret",
]);

/** Whether a syscall is `zx_pager_op_range` ({@linkcode DataIntegrity}'s only `ret` events). */
function isPagerOpRange(name: string): boolean {
  return name === "zx_pager_op_range";
}

/** The file a VMO holds: the one the harness opened for its koid (`this`: `World.fileIds`), or its key. */
function fileIdIn(this: ReadonlyMap<number, number>, vmo: Vmo): number {
  return this.get(vmo.koid) ?? vmo.key;
}

/** Whether a VMO holds a file that comes and goes (`this`: `World.fileIds`). */
function isFileIn(this: ReadonlyMap<number, number>, vmo: Vmo): boolean {
  return this.has(vmo.koid);
}

/**
 * Compares every read and every supplied page with the reference model
 * (`lost-write` for a page that was written: the pager must bring back what it
 * persisted; `supply` for any other).
 */
export class DataIntegrity extends StepMonitor {
  readonly name: string = "data-integrity";
  protected override readonly stepKinds: ReadonlySet<KernelEvent["k"]> = STEP_KINDS;
  /** Of the returns, only a `zx_pager_op_range`'s (a writeback) says anything of the content. */
  protected override readonly stepCalls: (name: string) => boolean = isPagerOpRange;
  readonly #model = new ContentModel();
  /** The world's file ids the model's `fileId` and `lifecycle` read, once a file was opened. */
  #files: ReadonlyMap<number, number> | null = null;
  /**
   * The step each page of a VMO of a file that comes and goes was first supplied in, by koid and
   * page: a re-supply that changed the page names it ({@linkcode DataIntegrity.#changedWithoutWrite}).
   */
  readonly #suppliedAt = new Map<number, Map<number, number>>();

  protected override onStepEvent(e: KernelEvent, call: Call | undefined, world: World): void {
    // Files that come and go hold the file the harness opened, whatever key their VMO has. Set
    // once, as functions bound to the world's map: arrows made here and stored in the model kept
    // the run alive through every scavenge until a full collection (bound functions do not).
    if (world.fileIds.size > 0 && this.#files !== world.fileIds) {
      this.#files = world.fileIds;
      this.#model.fileId = fileIdIn.bind(world.fileIds);
      this.#model.lifecycle = isFileIn.bind(world.fileIds);
    }
    switch (e.k) {
      case "supply": {
        if (!e.inserted || call?.name !== "zx_pager_supply_pages") return;
        const vmo = present(pagerVmo(world, e.vmo), "DataIntegrity: a supplied VMO");
        const slot = vmo.slots[e.page];
        if (slot === undefined || slot instanceof ZeroSlot) return;
        const file = world.files.get(vmo.koid);
        if (this.#model.written(vmo, e.page)) this.#checkDurable(vmo, e.page, slot, file);
        else this.#checkSupplied(vmo, e.page, slot, file, world.step);
        return;
      }
      case "store": {
        const vmo = pagerVmo(world, e.vmo);
        if (vmo !== undefined) {
          this.#model.store(vmo, e.offset, e.bytes, world.files.get(vmo.koid));
        }
        return;
      }
      case "detach": {
        const vmo = pagerVmo(world, e.vmo);
        if (vmo !== undefined) this.#model.ended(vmo);
        return;
      }
      case "ret": {
        if (e.name === "zx_pager_op_range" && e.status === 0 && call !== undefined) {
          this.#noteWriteback(call, world);
        }
        return;
      }
      case "copy": {
        const vmo = pagerVmo(world, e.vmo);
        if (vmo === undefined) return;
        const bad = this.#model.mismatch(vmo, e.offset, e.bytes, world.files.get(vmo.koid));
        if (bad !== null) {
          this.fail(
            "read",
            `t${e.tid} read vmo${e.vmo} byte 0x${bad.pos.toString(16)} = 0x${
              bad.got.toString(16)
            }, reference says 0x${bad.want.toString(16)}`,
          );
        }
        return;
      }
    }
  }

  /**
   * A successful WRITEBACK_BEGIN or END on a VMO of a file that comes and goes, judged from the
   * call's own range and the kernel's slots after the step (never the service's store): a BEGIN
   * notes the pages it left awaiting clean, an END makes the ones it cleaned, untouched since,
   * the file's written-back content ({@linkcode ContentModel.endedWriteback}).
   */
  #noteWriteback(call: Call, world: World): void {
    const [, op, handle, offset, length] = call.args;
    if (op !== ZX_PAGER_OP_WRITEBACK_BEGIN && op !== ZX_PAGER_OP_WRITEBACK_END) return;
    if (typeof offset !== "number" || typeof length !== "number") return;
    const vmo = this.vmoOf(handle);
    if (vmo === undefined || !world.fileIds.has(vmo.koid)) return;
    const ps = vmo.pageSize;
    const end = Math.min(Math.ceil((offset + length) / ps), vmo.slots.length);
    const file = world.files.get(vmo.koid);
    for (let p = Math.floor(offset / ps); p < end; p++) {
      const kind = slotKind(vmo.slots[p]);
      if (op === ZX_PAGER_OP_WRITEBACK_BEGIN) {
        if (kind === "awaiting-clean" || kind === "zero") this.#model.beganWriteback(vmo, p, file);
      } else {
        this.#model.endedWriteback(vmo, p, kind === "clean" || kind === "absent", world.step);
      }
    }
  }

  /** A page that saw a write is supplied again (after writeback and eviction): it must keep it. */
  #checkDurable(vmo: Vmo, page: number, slot: Page | typeof MARKER, file?: FileLayout): void {
    const got = slot === MARKER ? new Uint8Array(vmo.pageSize) : (slot as Page).peek();
    const bad = this.#model.mismatch(vmo, page * vmo.pageSize, got, file);
    if (bad === null) return;
    this.fail(
      "lost-write",
      `vmo${vmo.koid} page ${page} supplied with byte 0x${bad.got.toString(16)} at 0x${
        bad.pos.toString(16)
      }, the last write left 0x${bad.want.toString(16)}`,
    );
  }

  /**
   * A page nobody wrote is supplied: it must hold the backing content, as the
   * checkers' own model of the backing store states it. A zero marker (an
   * uncommitted aux page, spec 2.4) is the service saying "zeros", and is
   * judged the same way: the service's word is not evidence. For a VMO of a file that comes and
   * goes, a page's first supply may also bring what a writeback of the file that ended before it
   * left, or a state an earlier VMO of the file took; a re-supply (the VMO held the page, and an
   * eviction took it) must bring what the VMO held: a page of a VMO may not change without a
   * write to it, whatever another VMO of the file wrote back since.
   */
  #checkSupplied(
    vmo: Vmo,
    page: number,
    slot: Page | typeof MARKER,
    file: FileLayout | undefined,
    step: number,
  ): void {
    const got = slot === MARKER ? new Uint8Array(vmo.pageSize) : (slot as Page).peek();
    const held = this.#model.holds(vmo, page);
    const back = this.#model.suppliedAfterWriteback(vmo, page, got);
    if (back !== null) {
      if (back.ok) return this.#noteSupplied(vmo, page, step);
      const at = got.findIndex((b, i) => b !== back.want[i]);
      this.fail(
        "lost-write",
        `vmo${vmo.koid} page ${page} supplied${slot === MARKER ? " as zeros" : ""} with byte 0x${
          got[at].toString(16)
        } at 0x${(page * vmo.pageSize + at).toString(16)} after the file was re-opened, ` +
          `its last writeback (WRITEBACK_END ZX_OK) wrote back 0x${back.want[at].toString(16)}`,
      );
    }
    const bad = this.#model.mismatch(vmo, page * vmo.pageSize, got, file);
    if (bad === null || (!held && this.#model.adoptEarlier(vmo, page, got))) {
      if (!held) this.#noteSupplied(vmo, page, step);
      return;
    }
    const zeros = slot === MARKER ? " as zeros" : "";
    const where = `vmo${vmo.koid} page ${page} supplied${zeros} with byte 0x${
      bad.got.toString(16)
    } at 0x${bad.pos.toString(16)}`;
    if (held && this.#model.lifecycle(vmo)) {
      this.fail("supply", `${where}, ${this.#changedWithoutWrite(vmo, page, bad.want)}`);
    }
    this.fail("supply", `${where}, the backing store holds 0x${bad.want.toString(16)}`);
  }

  /** Notes the step a page of a VMO of a file that comes and goes was first supplied in. */
  #noteSupplied(vmo: Vmo, page: number, step: number): void {
    if (!this.#model.lifecycle(vmo)) return;
    let m = this.#suppliedAt.get(vmo.koid);
    if (m === undefined) this.#suppliedAt.set(vmo.koid, m = new Map());
    if (!m.has(page)) m.set(page, step);
  }

  /**
   * Why a re-supply of a page of a VMO of a file that comes and goes, unwritten in that VMO, is
   * wrong: what the VMO held, since when, and the writeback of another VMO of the file that ended
   * after it (the usual source of the new bytes), which counts for a later VMO's first supply
   * of the page only.
   */
  #changedWithoutWrite(vmo: Vmo, page: number, want: number): string {
    const since = this.#suppliedAt.get(vmo.koid)?.get(page);
    const held = `where it held 0x${want.toString(16)}${
      since === undefined ? "" : ` (supplied at step ${since})`
    } and nothing wrote to vmo${vmo.koid} since`;
    const last = this.#model.lastWriteback(vmo, page);
    if (
      last !== undefined && last.koid !== vmo.koid && (since === undefined || last.endStep > since)
    ) {
      return `${held}: vmo${last.koid}'s writeback of the page ended (WRITEBACK_END ZX_OK) at step ${last.endStep}, ` +
        `after vmo${vmo.koid} was supplied the page, so it does not count for vmo${vmo.koid}: ` +
        `a page of a VMO may not change without a write to it`;
    }
    return `${held}: a page of a VMO may not change without a write to it (what another VMO of ` +
      `the file wrote, or wrote back, counts for the first supply of the page only)`;
  }
}
