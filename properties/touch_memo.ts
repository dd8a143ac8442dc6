/**
 * An independent oracle for the checkers' byte memo ({@linkcode PageTouches}, kernel/objects.ts):
 * page-state and dirty-state compare only the pages a step touched, each against the copy the
 * memo made before its first touch, so a wrong memo does not fail a run, it blinds them (the
 * mutants of the memo survived every campaign probe: docs/mutation.md, "The CI sample at 200
 * under two minutes"). This monitor keeps its own copy of every page's bytes at the start of
 * each step and, at the step's end, holds the memo to it:
 *
 * - a page that existed at the start and holds other bytes at the end was touched: the memo
 *   has a copy of it;
 * - the memo's copy of a page that existed at the start is the bytes it held then, and the
 *   memo lists that page among the step's touched pages (`size`, `pageAt`: what the checkers
 *   walk);
 * - the memo lists no page made during the step (none of the steps so far began with it).
 *
 * Paranoid by design (it copies every page of every VMO it can reach, every step), so it runs
 * only in the campaign judge's `touch-memo:*` probes and in its test, never in campaigns. The
 * pages it sees are those of the VMOs reachable from the handle table, the pager VMOs, the
 * mappings of the root VMAR's tree and their parents and children (a VMO it cannot reach is
 * left out: fewer checks, never a false alarm).
 *
 * @module
 */

import { HandleTable } from "../kernel/handles.ts";
import { Page, type PageTouches, Vmar, Vmo } from "../kernel/objects.ts";
import { ZX_OK, ZX_VM_PERM_READ, ZX_VM_PERM_WRITE } from "../kernel/constants.ts";
import type { Syscall } from "../kernel/kernel.ts";
import { randomStrategy } from "../sim/strategy.ts";
import { InvariantViolation, type Monitor, type Verdict, World } from "../sim/world.ts";

/** The invariant a failure names. */
export const TOUCH_MEMO = "touch-memo";

/** Every VMO reachable from `world`'s handles, pager VMOs and mappings, with parents and children. */
function reachableVmos(world: World): Set<Vmo> {
  const seen = new Set<Vmo>();
  const stack: Vmo[] = [];
  const add = (o: unknown) => {
    if (o instanceof Vmo && !seen.has(o)) {
      seen.add(o);
      stack.push(o);
    }
  };
  const k = world.kernel;
  for (const v of k.pagerVmos) add(v);
  const handles: HandleTable = k.handles;
  for (const [, e] of handles) add(e.object);
  const regions: Vmar[] = [k.rootVmar];
  for (let r = regions.pop(); r !== undefined; r = regions.pop()) {
    for (const m of r.mappings) add(m.vmo);
    regions.push(...r.regions);
  }
  for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
    add(v.parent);
    for (const c of v.children) add(c);
  }
  return seen;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Where a page was at the step's start, for the message. */
interface Snap {
  readonly bytes: Uint8Array;
  readonly vmo: number;
  readonly page: number;
}

/**
 * The monitor (fresh for one run). `touch-memo`'s failures name the page, the step and what the
 * memo said.
 *
 * @example
 * ```ts
 * import { TouchMemo } from "./touch_memo.ts";
 * console.assert(new TouchMemo().name === "touch-memo");
 * ```
 */
export class TouchMemo implements Monitor {
  readonly name = TOUCH_MEMO;
  /** Every page's bytes at the start of the step under way (the end of the last one). */
  #snap = new Map<Page, Snap>();
  /** Every page any step began with. */
  readonly #seen = new WeakSet<Page>();
  /** Steps judged (for tests: the monitor is not vacuous). */
  steps = 0;
  /** Pages compared, over all steps. */
  pages = 0;

  /**
   * Takes its copies as each step begins, exactly where the world clears the memo (the kernel's
   * own `clear`, wrapped on this run's kernel alone: setup calls before the first step and
   * anything between steps are seen), and judges the step after it.
   */
  stepHook(world: World): (world: World) => void {
    const touches = world.kernel.pages.touches;
    const clear = touches.clear;
    touches.clear = () => {
      this.#take(world);
      clear.call(touches);
    };
    return (w) => this.#judge(w);
  }

  #take(world: World): void {
    const snap = new Map<Page, Snap>();
    for (const v of reachableVmos(world)) {
      const slots = v.slots;
      for (let p = 0; p < slots.length; p++) {
        const s = slots[p];
        if (s instanceof Page && !snap.has(s)) {
          snap.set(s, { bytes: s.peek().slice(), vmo: v.koid, page: p });
          this.#seen.add(s);
        }
      }
    }
    this.#snap = snap;
  }

  #judge(world: World): void {
    this.steps++;
    const touches: PageTouches = world.kernel.pages.touches;
    if (!touches.enabled) return;
    const listed = new Set<Page>();
    for (let i = 0; i < touches.size; i++) {
      const page = touches.pageAt(i);
      listed.add(page);
      if (!this.#snap.has(page) && !this.#seen.has(page)) {
        throw new InvariantViolation(
          TOUCH_MEMO,
          `step ${world.step}: the touch memo lists a page made during the step (entry ${i}): ` +
            `no VMO held it when the step began, so it has no bytes from before it`,
        );
      }
    }
    for (const [page, was] of this.#snap) {
      this.pages++;
      const before = touches.before(page);
      const where = `vmo${was.vmo} page ${was.page} (as the step began)`;
      if (before === undefined) {
        if (!same(page.peek(), was.bytes)) {
          throw new InvariantViolation(
            TOUCH_MEMO,
            `step ${world.step}: ${where} changed its bytes, but the step's touch memo has no ` +
              `copy of it (the checkers compare only the pages it lists)`,
          );
        }
      } else if (!listed.has(page)) {
        throw new InvariantViolation(
          TOUCH_MEMO,
          `step ${world.step}: the touch memo has a copy of ${where} but does not list it ` +
            `among the step's ${touches.size} touched pages (the checkers walk only that list)`,
        );
      } else if (!same(before, was.bytes)) {
        const at = before.findIndex((b, i) => b !== was.bytes[i]);
        throw new InvariantViolation(
          TOUCH_MEMO,
          `step ${world.step}: the touch memo's copy of ${where} says byte 0x${
            Math.max(at, 0).toString(16)
          } was 0x${(before[at] ?? 0).toString(16)} before the step; it was 0x${
            (was.bytes[at] ?? 0).toString(16)
          }`,
        );
      }
    }
  }
}

/** Drives a syscall that cannot block to completion outside any step (process setup). */
function runSync<T>(call: Syscall<T>): T {
  for (;;) {
    const r = call.next();
    if (r.done) return r.value;
    if (r.value.kind !== "syscall") throw new Error(`setup call blocked (${r.value.kind})`);
  }
}

/**
 * The campaign judge's `touch-memo:first-step` probe: a world whose kernel holds a committed
 * three-page VMO, mapped, before the run's first step (made by setup calls, as a scenario's setup
 * makes its VMOs), judged by {@linkcode TouchMemo} alone. One thread overwrites bytes of page 0
 * in the run's first step (the memo's first generation, which a page's stamps, set before any
 * step, must not already claim), then writes pages 1-2 from a user buffer that is the mapping
 * of pages 0-1 (the copy in, page by page, reads page 1 after its own first chunk wrote it: a
 * page touched again after a change in one step, whose memo copy must stay the first), then
 * reads the VMO; last it makes a VMO and writes it (the page made in that step is not in the
 * memo). Every other run makes its pages in steps, and none copies a VMO onto itself.
 *
 * @example
 * ```ts
 * import { firstStepRun } from "./touch_memo.ts";
 * console.assert(firstStepRun().kind === "pass");
 * ```
 */
export function firstStepRun(pageSize = 4096): Verdict {
  const world = new World({
    pageSize,
    strategy: randomStrategy(0),
    monitors: [new TouchMemo()],
    quiescentTail: false,
  });
  const k = world.kernel;
  const [setup] = k.createThread("setup", 0);
  const size = 3 * pageSize;
  const [st, vmo] = runSync(k.zx_vmo_create(setup, size, 0));
  if (st !== ZX_OK) throw new Error(`firstStepRun: zx_vmo_create returned ${st}`);
  const bytes = new Uint8Array(size);
  for (let p = 0; p < 3; p++) bytes.fill(0x31 + p, p * pageSize, (p + 1) * pageSize);
  const filled = runSync(k.zx_vmo_write(setup, vmo, bytes, 0));
  if (filled !== ZX_OK) throw new Error(`firstStepRun: zx_vmo_write returned ${filled}`);
  const rw = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
  const [mapped, addr] = runSync(k.zx_vmar_map(setup, k.rootVmarHandle, rw, 0, vmo, 0, size));
  if (mapped !== ZX_OK) throw new Error(`firstStepRun: zx_vmar_map returned ${mapped}`);
  world.spawn("writer", "workload", function* (sys) {
    yield* sys.vmoWrite(vmo, new Uint8Array(16).fill(0x44), 8);
    yield* sys.vmoRead(vmo, 0, 2 * pageSize, addr + pageSize / 2);
    yield* sys.vmoRead(vmo, 0, size);
    const [made, fresh] = yield* sys.vmoCreate(pageSize, 0);
    if (made === ZX_OK) yield* sys.vmoWrite(fresh, new Uint8Array(8).fill(0x55), 0);
  });
  return world.run().verdict;
}
