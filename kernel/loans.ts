/**
 * Physical page loaning, abstractly: the frames of contiguous VMOs that a
 * `ZX_VMO_OP_DECOMMIT` lent to the PMM, the pager-VMO pages living in them,
 * and their return.
 *
 * Upstream (misttech/fuchsia: vm_object_paged.cc @ 056f3590, physical_page_provider.cc @ 01ae4fc3,
 * include/vm/vm_cow_pages.h @ a28ec820, include/vm/physical_page_borrowing_config.h; the test
 * PinPagerVmoWithLoanedPages in pager.cc @ b394d1c8; docs/audit.md L1-L8): decommitting pages of a contiguous VMO with loaning enabled hands them to
 * the PMM as FREE_LOANED (`VmObjectPaged::DecommitRange`, `PhysicalPageProvider::FreePages`:
 * `BeginLoan`); with loaning disabled the DECOMMIT is NOT_SUPPORTED. A user-pager VMO that may
 * borrow (`VmCowPages::can_borrow_locked`: a preserving page source, borrowing enabled, not
 * high priority, never pinned, not TRAP_DIRTY) may receive a loaned page for content it is
 * supplied. Pinning needs non-loaned pages: `CommitRangeInternal` calls
 * `ReplacePagesWithNonLoanedLocked` before `PinRangeLocked`, which copies each loaned page into
 * a fresh one and frees the loaned page back to FREE_LOANED. Recommitting the contiguous VMO
 * takes its frames back (`PhysicalPageProvider::UnloanRange`): a frame in use by another VMO is
 * freed from it by `ReplacePage` (content copied into a non-loaned page) or, failing that,
 * evicted; the model takes the replace path (`is_replace_on_unloan_enabled`), so the borrower
 * keeps its bytes and raises no request. The recommitted page reads as zeros.
 *
 * The model has no physical addresses: a {@linkcode LoanFrame} stands for one physical page of a
 * contiguous VMO, and a {@linkcode Page} holding {@linkcode Page.loan} lives in that frame.
 * "Replacing a loaned page with a non-loaned one" keeps the page object (its bytes are its
 * logical content) and moves the frame back to the free list. Which free frame a supply gets is
 * the oldest one lent (first in, first out: insertion-ordered sets, never host order or time).
 * A borrower page that goes away (eviction, decommit, shrink, death) frees its frame lazily: the
 * frame's backlink ({@linkcode LoanFrame.where}/{@linkcode LoanFrame.at}) no longer finds it, and
 * the next borrow with no free frame reclaims such frames, oldest first.
 *
 * @example
 * ```ts
 * import { LoanPool } from "./loans.ts";
 * import { LoanFrame, Page, Vmo } from "./objects.ts";
 * const contig = new Vmo(1, 64, 64, false, 0, null, null, 0);
 * contig.frames = [new LoanFrame(contig, 0)];
 * const pool = new LoanPool();
 * pool.lend(contig.frames[0]);
 * const borrower = new Vmo(2, 64, 64, false, 5, null, null, 0);
 * const page = new Page(new Uint8Array(64).fill(7), "clean");
 * borrower.slots[0] = page;
 * console.assert(pool.borrow(borrower, 0, page) && page.loan === contig.frames[0]);
 * pool.replace(page); // a pin: the page leaves the frame, its bytes stay
 * console.assert(page.loan === undefined && page.peek()[0] === 7 && pool.free === 1);
 * ```
 *
 * @module
 */

import { assert } from "./assert.ts";
import type { LoanFrame, Page, Vmo } from "./objects.ts";

/** The loaned frames of one kernel: free ones (FREE_LOANED) and borrowed ones. */
export class LoanPool {
  /**
   * Loaning enabled (`PhysicalPageBorrowingConfig::is_loaning_enabled`): a DECOMMIT of a
   * contiguous VMO lends its pages; when false it is NOT_SUPPORTED. Default on, as the upstream
   * test expects when it runs (PinPagerVmoWithLoanedPages skips when it is off).
   */
  enabled = true;
  /** Free loaned frames, oldest lent first. */
  readonly #free: Set<LoanFrame> = new Set();
  /** Borrowed frames, oldest borrowed first. */
  readonly #lent: Set<LoanFrame> = new Set();

  /** Free loaned frames. */
  get free(): number {
    return this.#free.size;
  }

  /** Frames some page lives in (their backlinks may be stale until reclaimed). */
  get borrowed(): number {
    return this.#lent.size;
  }

  /** Any frame on loan at all: the cheap test every borrowing site makes first. */
  get any(): boolean {
    return this.#free.size + this.#lent.size > 0;
  }

  /** A contiguous VMO's DECOMMIT lends `frame` (its page is gone). */
  lend(frame: LoanFrame): void {
    assert(frame.state === "owned", () => `frame ${frame.index} lent while ${frame.state}`);
    frame.state = "free";
    this.#free.add(frame);
  }

  /**
   * Page `page`, just placed at `at` of pager VMO `vmo`, gets the oldest free frame; false when
   * there is none (then frames whose borrower left are reclaimed first).
   */
  borrow(vmo: Vmo, at: number, page: Page): boolean {
    assert(page.loan === undefined, () => `vmo ${vmo.koid} page ${at} borrows twice`);
    if (this.#free.size === 0) this.#reclaimStale();
    const frame = first(this.#free);
    if (frame === undefined) return false;
    this.#free.delete(frame);
    frame.state = "borrowed";
    frame.borrower = page;
    frame.where = vmo;
    frame.at = at;
    page.loan = frame;
    this.#lent.add(frame);
    return true;
  }

  /**
   * `ReplacePageWithNonLoaned`: `page` leaves its loaned frame (its bytes stay, now in a
   * non-loaned page) and the frame is free again.
   */
  replace(page: Page): void {
    const frame = page.loan;
    assert(frame !== undefined, () => "a non-loaned page replaced as loaned");
    this.#evict(frame);
    this.#free.add(frame);
    frame.state = "free";
  }

  /**
   * The owner takes `frame` back (`UnloanRange`): out of the free list, or out of the page living
   * in it, which keeps its bytes in a non-loaned page (the replace-on-unloan path).
   */
  unloan(frame: LoanFrame): void {
    if (frame.state === "owned") return;
    if (frame.state === "free") assert(this.#free.delete(frame), () => "free frame unpooled");
    else this.#evict(frame);
    frame.state = "owned";
  }

  /**
   * Contiguous VMO `vmo` dies: it takes every frame back first (the `~PhysicalPageProvider`
   * `UnloanRange` over the whole VMO), so nothing keeps living in a freed frame.
   */
  retire(vmo: Vmo): void {
    for (const frame of vmo.frames ?? []) this.unloan(frame);
  }

  /** The page living in borrowed `frame` leaves it; the frame is neither free nor owned yet. */
  #evict(frame: LoanFrame): void {
    const page = frame.borrower;
    assert(frame.state === "borrowed" && page !== null, () => `frame ${frame.index} not borrowed`);
    page.loan = undefined;
    frame.borrower = null;
    frame.where = null;
    this.#lent.delete(frame);
  }

  /** Frames whose borrower is no longer where it was placed (or whose VMO died) are free again. */
  #reclaimStale(): void {
    for (const frame of [...this.#lent]) {
      const v = frame.where;
      if (v !== null && !v.dead && v.slots[frame.at] === frame.borrower) continue;
      this.#evict(frame);
      frame.state = "free";
      this.#free.add(frame);
    }
  }

  /**
   * Kernel assertions: every frame is in exactly the place its state says, and a borrowed
   * frame's page points back at it (a free frame lost from both lists: `unloan`'s assertion).
   */
  check(): void {
    for (const f of this.#free) {
      assert(
        f.state === "free" && f.borrower === null,
        () => `free frame ${f.index} is ${f.state}`,
      );
      assert(!f.owner.dead, () => `frame ${f.index} of dead vmo ${f.owner.koid} still free`);
    }
    for (const f of this.#lent) {
      assert(
        f.state === "borrowed" && f.borrower !== null && f.borrower.loan === f,
        () => `borrowed frame ${f.index} of vmo ${f.owner.koid} lost its page`,
      );
    }
  }
}

/** The first element of a set in insertion order. */
function first<T>(set: Set<T>): T | undefined {
  for (const x of set) return x;
  return undefined;
}
