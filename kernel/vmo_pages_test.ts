import { strict as assert } from "node:assert";
import { Kernel } from "./kernel.ts";
import { PAGE_SLAB_BYTES } from "./vmo_pages.ts";

Deno.test("newPageBytes: every page is zeroed, its own and page-sized, across blocks", () => {
  const pages = new Kernel({ pageSize: 4096 }).pages;
  const made: Uint8Array[] = [];
  for (let i = 0; i < (3 * PAGE_SLAB_BYTES) / 4096 + 1; i++) {
    const b = pages.newPageBytes();
    assert.equal(b.length, 4096);
    assert.ok(b.every((x) => x === 0), `page ${i} is not zeroed`);
    b.fill(i + 1); // writing one page must not show in any other
    made.push(b);
  }
  for (const [i, b] of made.entries()) assert.ok(b.every((x) => x === i + 1), `page ${i} changed`);
});

Deno.test("newPageBytes: pages over a quarter of a block get a buffer of their own", () => {
  const big = new Kernel({ pageSize: PAGE_SLAB_BYTES }).pages.newPageBytes();
  assert.equal(big.byteOffset, 0);
  assert.equal(big.buffer.byteLength, PAGE_SLAB_BYTES);
});
