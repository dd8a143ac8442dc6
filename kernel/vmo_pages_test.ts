import { strict as assert } from "node:assert";
import { LIMITS, ZX_ERR_NO_MEMORY, ZX_ERR_OUT_OF_RANGE, ZX_VMO_RESIZABLE } from "./constants.ts";
import { Kernel } from "./kernel.ts";
import { runSync } from "./yields.ts";
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

Deno.test("zx_vmo_set_size at the size limit: 2^40 bytes is in range (too many pages), a page more is not", () => {
  const k = new Kernel({ pageSize: 4096 });
  const [t] = k.createThread("main", 1);
  const [, vmo] = runSync(k.zx_vmo_create(t, 4096, ZX_VMO_RESIZABLE));
  assert.equal(runSync(k.zx_vmo_set_size(t, vmo, LIMITS.maxVmoBytes)), ZX_ERR_NO_MEMORY);
  assert.equal(
    runSync(k.zx_vmo_set_size(t, vmo, LIMITS.maxVmoBytes + 4096)),
    ZX_ERR_OUT_OF_RANGE,
  );
});
