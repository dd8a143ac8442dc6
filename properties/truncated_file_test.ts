/**
 * A file that comes and goes, shrunk while open, may come back truncated: the filesystem kept its
 * size. data-integrity's content model accepts zeros past where an earlier VMO of the file ended,
 * and nothing else there. The regression: a README-only
 * user's write-back cache that persists a file's size on write-back was failed with
 * `supply: ... the backing store holds 0x1` when the workload re-opened the shrunk file at its
 * first size (session 20 trial, friction 1).
 */

import { strict as assert } from "node:assert";
import { ZX_OK, ZX_VMO_RESIZABLE } from "../kernel/constants.ts";
import { Kernel } from "../kernel/kernel.ts";
import { runSync } from "../kernel/yields.ts";
import { ContentModel } from "./_content_model.ts";

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

const zeros = new Uint8Array(PS);

Deno.test("a file whose earlier VMO ended short of a page may be supplied zeros there", () => {
  const { model, first, second, shrink } = twoLives();
  // Before any life ended, zeros are not the file's content (its backing pattern is not zero).
  assert.equal(model.adoptEarlier(second, 1, zeros), false);
  shrink(PS);
  model.ended(first);
  assert.equal(model.adoptEarlier(second, 1, zeros), true, "page 1 was cut off");
  assert.equal(model.adoptEarlier(second, 0, zeros), false, "page 0 was kept whole");
});

Deno.test("the file's shortest earlier life is where zeros begin", () => {
  const { model, first, second, shrink } = twoLives();
  shrink(0);
  model.ended(first);
  shrink(2 * PS);
  model.ended(first); // a later life of the file ends whole: the truncation may still be kept
  assert.equal(model.adoptEarlier(second, 0, zeros), true);
  assert.equal(model.adoptEarlier(second, 1, zeros), true);
  const junk = new Uint8Array(PS).fill(0x5a);
  assert.equal(model.adoptEarlier(second, 1, junk), false, "only zeros, not any bytes");
});

Deno.test("a VMO of a file that does not come and go leaves no truncated state", () => {
  const { model, first, second, shrink } = twoLives();
  model.lifecycle = () => false;
  shrink(0);
  model.ended(first);
  assert.equal(model.adoptEarlier(second, 1, zeros), false);
});
