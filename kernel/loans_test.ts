/**
 * Contiguous VMOs and page loaning (kernel/loans.ts): a DECOMMIT of a contiguous VMO lends its
 * frames, a supply into a pager VMO that may borrow places content in them (oldest lent first),
 * a pin replaces loaned pages with non-loaned ones keeping their bytes, and the contiguous VMO
 * takes its frames back on COMMIT, on access and when it dies (zircon/kernel/vm of
 * misttech/fuchsia, revisions in docs/audit.md L1-L8).
 *
 * @module
 */

import { strict as assert } from "node:assert";
import { KernelAssertionError } from "./assert.ts";
import {
  ZX_BTI_COMPRESS,
  ZX_BTI_CONTIGUOUS,
  ZX_BTI_PERM_READ,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_UNAVAILABLE,
  ZX_INFO_VMO,
  ZX_INFO_VMO_CONTIGUOUS,
  ZX_OK,
  ZX_RIGHT_RESIZE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_ZERO,
  ZX_VMO_TRAP_DIRTY,
} from "./constants.ts";
import { Kernel, type KernelOptions } from "./kernel.ts";
import { LoanPool } from "./loans.ts";
import { runSync } from "./yields.ts";
import { LoanFrame, Page, Vmo } from "./objects.ts";

const PS = 4096;

function ok<T>(r: [number, T, ...unknown[]]): T {
  assert.equal(r[0], ZX_OK);
  return r[1];
}

/** A kernel with a pager, a port, a BTI and `contig` one-page contiguous VMOs. */
function setup(contig: number, options: KernelOptions = {}) {
  const k = new Kernel({ pageSize: PS, ...options });
  const [t] = k.createThread("main", 1);
  const pager = ok(runSync(k.zx_pager_create(t, 0)));
  const port = ok(runSync(k.zx_port_create(t, 0)));
  const bti = ok(runSync(k.zx_bti_create(t, 0, 1)));
  const contigs: number[] = [];
  for (let i = 0; i < contig; i++) {
    contigs.push(ok(runSync(k.zx_vmo_create_contiguous(t, bti, PS, 0))));
  }
  const decommitAll = () => {
    for (const c of contigs) {
      assert.equal(runSync(k.zx_vmo_op_range(t, c, ZX_VMO_OP_DECOMMIT, 0, PS)), ZX_OK);
    }
  };
  /** A pager VMO of `pages` pages, options `options`; its page `i` supplied with byte `i + 1`. */
  const pagerVmo = (pages: number, options = 0): [number, Vmo] => {
    const h = ok(runSync(k.zx_pager_create_vmo(t, pager, options, port, 7, pages * PS)));
    return [h, k.pagerVmos[k.pagerVmos.length - 1]];
  };
  const supply = (h: number, page: number, pages: number) => {
    const aux = ok(runSync(k.zx_vmo_create(t, pages * PS, 0)));
    const bytes = new Uint8Array(pages * PS);
    for (let i = 0; i < pages; i++) bytes.fill(page + i + 1, i * PS, (i + 1) * PS);
    assert.equal(runSync(k.zx_vmo_write(t, aux, bytes, 0)), ZX_OK);
    assert.equal(
      runSync(k.zx_pager_supply_pages(t, pager, h, page * PS, pages * PS, aux, 0)),
      ZX_OK,
    );
    assert.equal(runSync(k.zx_handle_close(t, aux)), ZX_OK);
  };
  const vmoOf = (h: number) => k.handles.entry(h)?.object as Vmo;
  return { k, t, bti, contigs, decommitAll, pagerVmo, supply, vmoOf };
}

const loanOf = (v: Vmo, q: number) => (v.slots[q] as Page).loan;

Deno.test("loans: a contiguous VMO is committed, flagged contiguous, and not resizable", () => {
  const { k, t, contigs } = setup(1);
  const [st, info] = runSync(k.zx_object_get_info(t, contigs[0], ZX_INFO_VMO));
  assert.equal(st, ZX_OK);
  assert.ok(info !== null && (info.flags & ZX_INFO_VMO_CONTIGUOUS) !== 0);
  assert.equal(info.committedBytes, PS);
  assert.equal(info.handleRights & ZX_RIGHT_RESIZE, 0);
  assert.equal(runSync(k.zx_vmo_set_size(t, contigs[0], 2 * PS)), ZX_ERR_UNAVAILABLE);
});

Deno.test("loans: DECOMMIT lends the frames; a read takes one back as zeros", () => {
  const { k, t, contigs } = setup(2);
  assert.equal(runSync(k.zx_vmo_write(t, contigs[0], new Uint8Array(PS).fill(9), 0)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_op_range(t, contigs[0], ZX_VMO_OP_DECOMMIT, 0, PS)), ZX_OK);
  assert.equal(k.pages.loans.free, 1);
  const [, info] = runSync(k.zx_object_get_info(t, contigs[0], ZX_INFO_VMO));
  assert.equal(info?.committedBytes, 0);
  const [st, data] = runSync(k.zx_vmo_read(t, contigs[0], 0, PS));
  assert.equal(st, ZX_OK);
  assert.deepEqual(data, new Uint8Array(PS));
  assert.equal(k.pages.loans.free, 0);
  const [, after] = runSync(k.zx_object_get_info(t, contigs[0], ZX_INFO_VMO));
  assert.equal(after?.committedBytes, PS);
});

Deno.test("loans: with loaning off, DECOMMIT of a contiguous VMO is NOT_SUPPORTED", () => {
  const { k, t, contigs } = setup(1, { pageLoaning: false });
  assert.equal(
    runSync(k.zx_vmo_op_range(t, contigs[0], ZX_VMO_OP_DECOMMIT, 0, PS)),
    ZX_ERR_NOT_SUPPORTED,
  );
});

Deno.test("loans: DECOMMIT over a pinned contiguous page is BAD_STATE; CONTIGUOUS pins it", () => {
  const { k, t, bti, contigs } = setup(1);
  const opts = ZX_BTI_PERM_READ | ZX_BTI_CONTIGUOUS;
  assert.equal(
    runSync(k.zx_bti_pin(t, bti, opts | ZX_BTI_COMPRESS, contigs[0], 0, PS))[0],
    ZX_ERR_INVALID_ARGS,
  );
  const pmt = ok(runSync(k.zx_bti_pin(t, bti, opts, contigs[0], 0, PS)));
  assert.equal(
    runSync(k.zx_vmo_op_range(t, contigs[0], ZX_VMO_OP_DECOMMIT, 0, PS)),
    ZX_ERR_BAD_STATE,
  );
  assert.equal(runSync(k.zx_pmt_unpin(t, pmt)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_op_range(t, contigs[0], ZX_VMO_OP_DECOMMIT, 0, PS)), ZX_OK);
});

Deno.test("loans: ZERO of a contiguous VMO zeroes in place and never decommits", () => {
  const { k, t, contigs } = setup(1);
  assert.equal(runSync(k.zx_vmo_write(t, contigs[0], new Uint8Array(PS).fill(9), 0)), ZX_OK);
  assert.equal(runSync(k.zx_vmo_op_range(t, contigs[0], ZX_VMO_OP_ZERO, 0, PS)), ZX_OK);
  const [, info] = runSync(k.zx_object_get_info(t, contigs[0], ZX_INFO_VMO));
  assert.equal(info?.committedBytes, PS);
  assert.deepEqual(runSync(k.zx_vmo_read(t, contigs[0], 0, PS))[1], new Uint8Array(PS));
  assert.equal(k.pages.loans.free, 0);
});

Deno.test("loans: a supply places content in loaned frames, oldest lent first", () => {
  const { k, contigs, decommitAll, pagerVmo, supply, vmoOf } = setup(3);
  decommitAll();
  const [h, v] = pagerVmo(2);
  supply(h, 0, 2);
  assert.equal(loanOf(v, 0)?.owner, vmoOf(contigs[0]));
  assert.equal(loanOf(v, 1)?.owner, vmoOf(contigs[1]));
  assert.equal(k.pages.loans.free, 1);
  assert.equal(k.pages.loans.borrowed, 2);
  k.pages.loans.check();
});

Deno.test("loans: TRAP_DIRTY and ever-pinned pager VMOs never borrow (can_borrow_locked)", () => {
  const { k, t, bti, decommitAll, pagerVmo, supply } = setup(2);
  decommitAll();
  const [trap, tv] = pagerVmo(1, ZX_VMO_TRAP_DIRTY);
  supply(trap, 0, 1);
  assert.equal(loanOf(tv, 0), undefined);
  const [h, v] = pagerVmo(2);
  supply(h, 0, 1);
  const pmt = ok(runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, h, 0, PS)));
  assert.equal(runSync(k.zx_pmt_unpin(t, pmt)), ZX_OK);
  supply(h, 1, 1);
  assert.equal(loanOf(v, 1), undefined);
  assert.equal(k.pages.loans.free, 2);
});

Deno.test("loans: a pin replaces loaned pages with non-loaned ones, bytes kept", () => {
  const { k, t, bti, decommitAll, pagerVmo, supply } = setup(2);
  decommitAll();
  const [h, v] = pagerVmo(2);
  supply(h, 0, 2);
  assert.equal(k.pages.loans.borrowed, 2);
  const pmt = ok(runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, h, 0, 2 * PS)));
  assert.equal(loanOf(v, 0), undefined);
  assert.equal(loanOf(v, 1), undefined);
  assert.equal(k.pages.loans.free, 2);
  assert.equal(k.pages.loans.borrowed, 0);
  const [st, data] = runSync(k.zx_vmo_read(t, h, 0, 2 * PS));
  assert.equal(st, ZX_OK);
  assert.equal(data[0], 1);
  assert.equal(data[PS], 2);
  assert.equal(runSync(k.zx_pmt_unpin(t, pmt)), ZX_OK);
});

Deno.test("loans: a pinned loaned page is a kernel assertion", () => {
  const { k, t, bti, decommitAll, pagerVmo, supply } = setup(1);
  decommitAll();
  const [h, v] = pagerVmo(1);
  supply(h, 0, 1);
  const frame = loanOf(v, 0);
  assert.ok(frame !== undefined);
  const pmt = ok(runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, h, 0, PS)));
  (v.slots[0] as Page).loan = frame;
  assert.throws(() => k.pages.checkPins(v), KernelAssertionError);
  (v.slots[0] as Page).loan = undefined;
  assert.equal(runSync(k.zx_pmt_unpin(t, pmt)), ZX_OK);
});

Deno.test("loans: recommitting the contiguous VMO takes its frame from the borrower, bytes kept", () => {
  const { k, t, contigs, decommitAll, pagerVmo, supply } = setup(1);
  decommitAll();
  const [h, v] = pagerVmo(1);
  supply(h, 0, 1);
  assert.ok(loanOf(v, 0) !== undefined);
  assert.equal(runSync(k.zx_vmo_op_range(t, contigs[0], ZX_VMO_OP_COMMIT, 0, PS)), ZX_OK);
  assert.equal(loanOf(v, 0), undefined);
  assert.equal(k.pages.loans.any, false);
  const [st, data] = runSync(k.zx_vmo_read(t, h, 0, PS));
  assert.equal(st, ZX_OK);
  assert.equal(data[0], 1);
  assert.deepEqual(runSync(k.zx_vmo_read(t, contigs[0], 0, PS))[1], new Uint8Array(PS));
});

Deno.test("loans: a dying contiguous VMO takes its frames back first", () => {
  const { k, t, contigs, decommitAll, pagerVmo, supply } = setup(2);
  decommitAll();
  const [h, v] = pagerVmo(1);
  supply(h, 0, 1);
  assert.equal(runSync(k.zx_handle_close(t, contigs[0])), ZX_OK);
  assert.equal(loanOf(v, 0), undefined);
  assert.equal(k.pages.loans.free, 1);
  k.pages.loans.check();
});

Deno.test("loans: a frame whose borrower was evicted serves the next supply", () => {
  const { k, t, decommitAll, pagerVmo, supply } = setup(1);
  decommitAll();
  const [h, v] = pagerVmo(2);
  supply(h, 0, 1);
  const frame = loanOf(v, 0);
  assert.equal(runSync(k.kernel_evict(t, h, 0)), ZX_OK);
  assert.equal(k.pages.loans.free, 0);
  supply(h, 1, 1);
  assert.equal(loanOf(v, 1), frame);
  k.pages.loans.check();
});

Deno.test("loans: a pin after an earlier pin made the VMO ineligible still replaces loaned pages", () => {
  // PinPagerVmoWithLoanedPages (pager.cc @ misttech/fuchsia b394d1c8): the first pin sets
  // ever-pinned, yet pages loaned by the earlier supply must still be replaced by the second.
  const { k, t, bti, decommitAll, pagerVmo, supply } = setup(2);
  decommitAll();
  const [h, v] = pagerVmo(2);
  supply(h, 0, 2);
  const pmt = ok(runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, h, 0, PS)));
  assert.equal(v.everPinned, true);
  assert.ok(loanOf(v, 1) !== undefined);
  const pmt2 = ok(runSync(k.zx_bti_pin(t, bti, ZX_BTI_PERM_READ, h, PS, PS)));
  assert.equal(loanOf(v, 1), undefined);
  assert.equal(runSync(k.zx_vmo_read(t, h, PS, PS))[1][0], 2);
  assert.equal(runSync(k.zx_pmt_unpin(t, pmt2)), ZX_OK);
  assert.equal(runSync(k.zx_pmt_unpin(t, pmt)), ZX_OK);
});

Deno.test("loans: a borrowed frame whose page forgot it is a kernel assertion", () => {
  const { k, decommitAll, pagerVmo, supply } = setup(1);
  decommitAll();
  const [h, v] = pagerVmo(1);
  supply(h, 0, 1);
  k.pages.loans.check();
  (v.slots[0] as Page).loan = undefined;
  assert.throws(() => k.pages.loans.check(), KernelAssertionError);
});

Deno.test("loans: a supply of more pages than free frames puts the rest in non-loaned pages", () => {
  const { k, t, contigs, decommitAll, pagerVmo, supply, vmoOf } = setup(1);
  decommitAll();
  const [h, v] = pagerVmo(2);
  supply(h, 0, 2);
  assert.equal(loanOf(v, 0)?.owner, vmoOf(contigs[0]));
  assert.equal(loanOf(v, 1), undefined);
  assert.deepEqual(
    runSync(k.zx_vmo_read(t, h, 0, 2 * PS))[1].filter((_, i) => i % PS === 0),
    Uint8Array.from([1, 2]),
  );
  k.pages.loans.check();
});

Deno.test("loans: a contiguous VMO that never lent a frame dies cleanly", () => {
  // ~PhysicalPageProvider's UnloanRange covers the whole VMO: frames it still owns are simply
  // its own; only the lent one leaves the free list.
  const { k, t, bti } = setup(0);
  const c = ok(runSync(k.zx_vmo_create_contiguous(t, bti, 2 * PS, 0)));
  assert.equal(runSync(k.zx_vmo_op_range(t, c, ZX_VMO_OP_DECOMMIT, PS, PS)), ZX_OK);
  assert.equal(k.pages.loans.free, 1);
  assert.equal(runSync(k.zx_handle_close(t, c)), ZX_OK);
  assert.equal(k.pages.loans.free, 0);
  k.pages.loans.check();
});

Deno.test("loans: a page borrowing a second frame is a kernel assertion", () => {
  const { k, decommitAll, pagerVmo, supply } = setup(2);
  decommitAll();
  const [h, v] = pagerVmo(1);
  supply(h, 0, 1);
  assert.throws(() => k.pages.loans.borrow(v, 0, v.slots[0] as Page), KernelAssertionError);
});

Deno.test("loans: a borrowed frame that lost its page is a kernel assertion when taken back", () => {
  const { k, t, contigs, decommitAll, pagerVmo, supply } = setup(1);
  decommitAll();
  const [h, v] = pagerVmo(1);
  supply(h, 0, 1);
  const frame = loanOf(v, 0);
  assert.ok(frame !== undefined);
  frame.borrower = null;
  assert.throws(() => runSync(k.zx_handle_close(t, contigs[0])), KernelAssertionError);
});

Deno.test("loans: a free frame that names a borrower is a kernel assertion", () => {
  const { k, contigs, decommitAll, pagerVmo, supply, vmoOf } = setup(2);
  decommitAll();
  const [h, v] = pagerVmo(1);
  supply(h, 0, 1);
  const free = vmoOf(contigs[1]).frames?.[0];
  assert.ok(free !== undefined && free.state === "free");
  k.pages.loans.check();
  free.borrower = v.slots[0] as Page;
  assert.throws(() => k.pages.loans.check(), KernelAssertionError);
});

Deno.test("loans: a contiguous page decommitted, recommitted and decommitted again is lent again", () => {
  // loans.ts: COMMIT takes the frame back (`UnloanRange`); a later DECOMMIT lends it again.
  const { k, t, contigs } = setup(1);
  const op = (o: number) => runSync(k.zx_vmo_op_range(t, contigs[0], o, 0, PS));
  assert.equal(op(ZX_VMO_OP_DECOMMIT), ZX_OK);
  assert.equal(op(ZX_VMO_OP_COMMIT), ZX_OK);
  assert.equal(k.pages.loans.free, 0);
  assert.equal(op(ZX_VMO_OP_DECOMMIT), ZX_OK);
  assert.equal(k.pages.loans.free, 1);
  k.pages.loans.check();
});

Deno.test("loans: frames whose borrower left are reclaimed only when no frame is free, oldest first", () => {
  // loans.ts: a borrower page that goes away frees its frame lazily; `borrowed` counts frames
  // "(their backlinks may be stale until reclaimed)"; "the next borrow with no free frame
  // reclaims such frames, oldest first".
  const { k, t, contigs, decommitAll, pagerVmo, supply, vmoOf } = setup(3);
  const [a, b, c] = contigs.map((h) => vmoOf(h).frames?.[0]);
  decommitAll();
  const [h, v] = pagerVmo(4);
  const pool = k.pages.loans;
  supply(h, 0, 1);
  assert.equal(runSync(k.kernel_evict(t, h, 0)), ZX_OK);
  supply(h, 1, 1);
  assert.equal(loanOf(v, 1), b);
  assert.deepEqual([pool.free, pool.borrowed], [1, 2], "a's frame is not reclaimed yet");
  assert.equal(runSync(k.kernel_evict(t, h, 1)), ZX_OK);
  supply(h, 2, 1);
  assert.equal(loanOf(v, 2), c);
  supply(h, 3, 1); // no free frame: a's and b's are reclaimed, a's (oldest) serves
  assert.equal(loanOf(v, 3), a);
  assert.deepEqual([pool.free, pool.borrowed], [1, 2]);
  pool.check();
});

/** A contiguous VMO of one page with its frame, and a one-page pager VMO with a page in slot 0. */
function loanParts(): { frame: LoanFrame; vmo: Vmo; page: Page } {
  const contig = new Vmo(1, 64, 64, false, 0, null, null, 0);
  contig.frames = [new LoanFrame(contig, 0)];
  const vmo = new Vmo(2, 64, 64, false, 5, null, null, 0);
  const page = new Page(new Uint8Array(64).fill(7), "clean");
  vmo.slots[0] = page;
  return { frame: contig.frames[0], vmo, page };
}

Deno.test("LoanPool: loaning is on by default", () => {
  // LoanPool.enabled: "Default on, as the upstream test expects when it runs".
  assert.equal(new LoanPool().enabled, true);
});

Deno.test("LoanPool.borrow: true when the page got a free frame, false when none is free", () => {
  const { frame, vmo, page } = loanParts();
  const pool = new LoanPool();
  assert.equal(pool.borrow(vmo, 0, page), false);
  assert.equal(page.loan, undefined);
  pool.lend(frame);
  assert.equal(pool.borrow(vmo, 0, page), true);
  assert.equal(page.loan, frame);
  assert.deepEqual([frame.state, pool.free, pool.borrowed], ["borrowed", 0, 1]);
});

Deno.test("LoanPool: lending a frame that is not the owner's is a kernel assertion", () => {
  const { frame } = loanParts();
  const pool = new LoanPool();
  pool.lend(frame);
  assert.throws(() => pool.lend(frame), KernelAssertionError);
});

Deno.test("LoanPool: replacing a page that is not loaned is a kernel assertion", () => {
  const { page } = loanParts();
  assert.throws(() => new LoanPool().replace(page), KernelAssertionError);
});

Deno.test("LoanPool.check: a borrowed frame marked free, or with no page, is a kernel assertion", () => {
  for (const corrupt of [(f: LoanFrame) => f.state = "free", (f: LoanFrame) => f.borrower = null]) {
    const { frame, vmo, page } = loanParts();
    const pool = new LoanPool();
    pool.lend(frame);
    pool.borrow(vmo, 0, page);
    pool.check();
    corrupt(frame);
    assert.throws(() => pool.check(), KernelAssertionError);
  }
});
