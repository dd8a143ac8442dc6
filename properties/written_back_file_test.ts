/**
 * A page of a file that comes and goes, written back (WRITEBACK_END cleaned it, no write since its
 * WRITEBACK_BEGIN), is the file's content: a later VMO of the file must be supplied it, not the
 * file's original pattern. The regression: userS24w's writeback service dropped a file's stored
 * pages on COMPLETE and supplied the pattern after re-open, and data-integrity took the pattern as
 * "what the backing store holds" (case/testdata/userS24w). Data never written back may still be
 * lost at close, and a file cut short since may come back as zeros.
 */

import { strict as assert } from "node:assert";
import { ZX_OK, ZX_VMO_RESIZABLE } from "../kernel/constants.ts";
import { Kernel } from "../kernel/kernel.ts";
import { runSync } from "../kernel/yields.ts";
import { ContentModel } from "./_content_model.ts";
import { expectedPage } from "./_backing_model.ts";

const PS = 64;

/** A kernel with two pager VMOs of 2 pages, both of file 7 (a file opened twice). */
function twoLives() {
  const k = new Kernel({ pageSize: PS });
  const [t] = k.createThread("main", 1);
  const [, pager] = runSync(k.zx_pager_create(t, 0));
  const [, port] = runSync(k.zx_port_create(t, 0));
  const [s1, h1] = runSync(k.zx_pager_create_vmo(t, pager, ZX_VMO_RESIZABLE, port, 1, 2 * PS));
  const [s2] = runSync(k.zx_pager_create_vmo(t, pager, ZX_VMO_RESIZABLE, port, 2, 2 * PS));
  assert.equal(s1, ZX_OK);
  assert.equal(s2, ZX_OK);
  const model = new ContentModel();
  model.fileId = () => 7;
  model.lifecycle = () => true;
  const [first, second] = k.pagerVmos;
  const shrink = (bytes: number) => assert.equal(runSync(k.zx_vmo_set_size(t, h1, bytes)), ZX_OK);
  return { model, first, second, shrink };
}

const fill = (b: number) => new Uint8Array(PS).fill(b);
const pattern = expectedPage(7, 0, PS);

Deno.test("a written-back page must come back as written back, not as the file's pattern", () => {
  const { model, first, second } = twoLives();
  model.store(first, 0, fill(0x56));
  model.beganWriteback(first, 0);
  model.endedWriteback(first, 0, true);
  const fresh = twoLives();
  assert.equal(fresh.model.suppliedAfterWriteback(fresh.second, 0, pattern), null, "older rule");
  assert.equal(model.suppliedAfterWriteback(second, 0, pattern)?.ok, false);
  assert.equal(model.suppliedAfterWriteback(second, 0, fill(0x56))?.ok, true);
  // Once supplied, this VMO's page is the model's: judged as any page, not again here.
  assert.equal(model.suppliedAfterWriteback(second, 0, pattern), null);
  assert.equal(model.suppliedAfterWriteback(second, 1, pattern), null, "page 1: no writeback");
});

Deno.test("a write between WRITEBACK_BEGIN and END leaves the page not written back", () => {
  const { model, first, second } = twoLives();
  model.store(first, 0, fill(0x56));
  model.beganWriteback(first, 0);
  model.store(first, 0, fill(0x57)); // re-dirtied: END leaves it Dirty
  model.endedWriteback(first, 0, false);
  assert.equal(model.suppliedAfterWriteback(second, 0, pattern), null);
  // Nor when the kernel says the END cleaned it (the model's own trace says a write came between).
  model.endedWriteback(first, 0, true);
  assert.equal(model.suppliedAfterWriteback(second, 0, pattern), null);
});

Deno.test("an END that left the page dirty (OP_DIRTY since BEGIN) writes nothing back", () => {
  const { model, first, second } = twoLives();
  model.store(first, 0, fill(0x56));
  model.beganWriteback(first, 0);
  model.endedWriteback(first, 0, false);
  assert.equal(model.suppliedAfterWriteback(second, 0, pattern), null);
});

Deno.test("a later write, never written back, may be kept or lost; an older state may not come back", () => {
  const { model, first, second } = twoLives();
  model.store(first, 0, fill(0x55));
  model.store(first, 0, fill(0x56));
  model.beganWriteback(first, 0);
  model.endedWriteback(first, 0, true);
  model.store(first, 0, fill(0x57));
  assert.equal(model.suppliedAfterWriteback(second, 0, fill(0x55))?.ok, false, "older");
  assert.equal(model.suppliedAfterWriteback(second, 0, fill(0x57))?.ok, true, "newer, kept");
  const { model: m, first: f, second: s } = twoLives();
  m.store(f, 0, fill(0x56));
  m.beganWriteback(f, 0);
  m.endedWriteback(f, 0, true);
  m.store(f, 0, fill(0x57));
  assert.equal(m.suppliedAfterWriteback(s, 0, fill(0x56))?.ok, true, "newer, lost");
});

Deno.test("a newer writeback replaces the written-back content", () => {
  const { model, first, second } = twoLives();
  model.store(first, 0, fill(0x56));
  model.beganWriteback(first, 0);
  model.endedWriteback(first, 0, true);
  model.store(first, 0, fill(0x57));
  model.beganWriteback(first, 0);
  model.endedWriteback(first, 0, true);
  assert.equal(model.suppliedAfterWriteback(second, 0, fill(0x56))?.ok, false);
  assert.equal(model.suppliedAfterWriteback(second, 0, fill(0x57))?.ok, true);
});

Deno.test("a file cut short after its writeback may come back as zeros there, not before it", () => {
  const cut = twoLives();
  cut.model.store(cut.first, PS, fill(0x56));
  cut.model.beganWriteback(cut.first, 1);
  cut.model.endedWriteback(cut.first, 1, true);
  cut.shrink(PS);
  cut.model.ended(cut.first);
  assert.equal(cut.model.suppliedAfterWriteback(cut.second, 1, fill(0))?.ok, true);
  const early = twoLives();
  early.shrink(PS);
  early.model.ended(early.first);
  early.shrink(2 * PS);
  early.model.store(early.first, PS, fill(0x56));
  early.model.beganWriteback(early.first, 1);
  early.model.endedWriteback(early.first, 1, true);
  early.model.ended(early.first);
  assert.equal(early.model.suppliedAfterWriteback(early.second, 1, fill(0))?.ok, false);
});

Deno.test("a VMO of a file that does not come and go keeps no written-back state", () => {
  const { model, first, second } = twoLives();
  model.lifecycle = () => false;
  model.store(first, 0, fill(0x56));
  model.beganWriteback(first, 0);
  model.endedWriteback(first, 0, true);
  assert.equal(model.suppliedAfterWriteback(second, 0, pattern), null);
});
