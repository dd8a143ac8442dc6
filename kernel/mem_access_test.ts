/**
 * Loads and stores through a mapping, and usercopies into and out of one, at addresses that are
 * not page aligned and cross a page boundary: each page of the access is its own chunk, cut at
 * the page boundary of the mapped VMO (`mem`, `userCopy` in vmo_pages.ts), and every byte lands
 * where its address says. The scenarios map and read whole pages only, so nothing else reaches
 * the cut.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import {
  ZX_ERR_OUT_OF_RANGE,
  ZX_OK,
  ZX_PAGER_VMO_COMPLETE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VM_SPECIFIC_OVERWRITE,
  ZX_VMAR_OP_COMMIT,
  ZX_VMAR_OP_PREFETCH,
  ZX_VMO_RESIZABLE,
} from "./constants.ts";
import { Kernel } from "./kernel.ts";
import { runSync } from "./yields.ts";

const PS = 64;

/** A 3-page anonymous VMO whose byte i holds i + 1 (mod 256), mapped read-write; and a second. */
function setup() {
  const k = new Kernel({ pageSize: PS });
  const [t] = k.createThread("main", 1);
  const [, vmo] = runSync(k.zx_vmo_create(t, 3 * PS, 0));
  const content = Uint8Array.from({ length: 3 * PS }, (_, i) => (i + 1) & 0xff);
  assert.equal(runSync(k.zx_vmo_write(t, vmo, content, 0)), ZX_OK);
  const perms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
  const [st, addr] = runSync(k.zx_vmar_map(t, k.rootVmarHandle, perms, 0, vmo, 0, 3 * PS));
  assert.equal(st, ZX_OK);
  const [, other] = runSync(k.zx_vmo_create(t, 3 * PS, 0));
  const read = (h: number) => {
    const [rs, bytes] = runSync(k.zx_vmo_read(t, h, 0, 3 * PS));
    assert.equal(rs, ZX_OK);
    return bytes;
  };
  return { k, t, vmo, addr, content, other, read };
}

/** Unaligned ranges that cross one or two page boundaries: [offset, length]. */
const RANGES = [[PS / 2, PS], [PS - 1, 2], [1, 2 * PS + 10], [PS + 7, PS - 7], [3, PS - 3]];

Deno.test("mem_read across page boundaries returns every byte of its range", () => {
  const { k, t, addr, content } = setup();
  for (const [off, len] of RANGES) {
    const got = runSync(k.memRead(t, addr + off, len));
    assert.deepEqual(got, content.subarray(off, off + len), `mem_read at +${off}, ${len} bytes`);
  }
});

Deno.test("mem_write across page boundaries stores every byte where its address says", () => {
  for (const [off, len] of RANGES) {
    const { k, t, vmo, addr, content, read } = setup();
    const data = Uint8Array.from({ length: len }, (_, i) => 0x80 | (i & 0x7f));
    runSync(k.memWrite(t, addr + off, data));
    const want = content.slice();
    want.set(data, off);
    assert.deepEqual(read(vmo), want, `mem_write at +${off}, ${len} bytes`);
  }
});

Deno.test("zx_vmo_read into, and zx_vmo_write from, an unaligned user buffer cross its pages", () => {
  for (const [off, len] of RANGES) {
    const { k, t, vmo, addr, content, other, read } = setup();
    // Out of `other` (zeros but for a pattern) into the mapping at +off: the usercopy stores.
    const pattern = Uint8Array.from({ length: len }, (_, i) => 0x80 | (i & 0x7f));
    assert.equal(runSync(k.zx_vmo_write(t, other, pattern, 0)), ZX_OK);
    const [rs] = runSync(k.zx_vmo_read(t, other, 0, len, addr + off));
    assert.equal(rs, ZX_OK);
    const want = content.slice();
    want.set(pattern, off);
    assert.deepEqual(read(vmo), want, `zx_vmo_read into +${off}, ${len} bytes`);
    // From the mapping at +off into `other` at 0: the usercopy loads.
    const { k: k2, t: t2, addr: a2, content: c2, other: o2, read: r2 } = setup();
    const ws = runSync(k2.zx_vmo_write(t2, o2, new Uint8Array(len), 0, a2 + off));
    assert.equal(ws, ZX_OK);
    assert.deepEqual(r2(o2).subarray(0, len), c2.subarray(off, off + len), `write from +${off}`);
  }
});

/** A kernel, its thread `t`, a pager and port, and a pager VMO of `pages` pages with `key`. */
function pagerVmo(key: number, pages: number) {
  const k = new Kernel({ pageSize: PS });
  const [t] = k.createThread("main", 1);
  const [, pager] = runSync(k.zx_pager_create(t, 0));
  const [, port] = runSync(k.zx_port_create(t, 0));
  const [, vmo] = runSync(k.zx_pager_create_vmo(t, pager, 0, port, key, pages * PS));
  /** The next packet on the port must be the VMO's COMPLETE (`why`: what would have kept it). */
  const completes = (why: string) => {
    const [st, packet] = runSync(k.zx_port_wait(t, port, 0));
    assert.equal(st, ZX_OK, why);
    assert.equal(packet?.key, key, why);
    assert.equal((packet as { command?: number })?.command, ZX_PAGER_VMO_COMPLETE, why);
  };
  return { k, t, pager, vmo, completes };
}

Deno.test("a pager VMO mapped, read through the mapping and by usercopy, unmapped and closed gets its COMPLETE", () => {
  for (const via of ["mem_read", "usercopy"] as const) {
    const { k, t, pager, vmo, completes } = pagerVmo(7, 2);
    const [, aux] = runSync(k.zx_vmo_create(t, 2 * PS, 0));
    assert.equal(runSync(k.zx_pager_supply_pages(t, pager, vmo, 0, 2 * PS, aux, 0)), ZX_OK);
    const [, addr] = runSync(
      k.zx_vmar_map(t, k.rootVmarHandle, ZX_VM_PERM_READ, 0, vmo, 0, 2 * PS),
    );
    if (via === "mem_read") runSync(k.memRead(t, addr + PS / 2, PS));
    else {
      const [, into] = runSync(k.zx_vmo_create(t, 2 * PS, 0));
      assert.equal(runSync(k.zx_vmo_write(t, into, new Uint8Array(PS), 0, addr + PS / 2)), ZX_OK);
    }
    assert.equal(runSync(k.zx_vmar_unmap(t, k.rootVmarHandle, addr, 2 * PS)), ZX_OK);
    assert.equal(runSync(k.zx_handle_close(t, vmo)), ZX_OK);
    // The access held the VMO while it ran; let go, the last reference is gone: COMPLETE.
    completes(`${via}: no COMPLETE after the last reference went`);
  }
});

Deno.test("a pager VMO committed through zx_vmar_op_range, unmapped and closed gets its COMPLETE", () => {
  // The op holds the VMO only while it runs; with nothing else keeping it the VMO dies, and VMO
  // death is its COMPLETE (pager-semantics.md, scope).
  const { k, t, pager, vmo, completes } = pagerVmo(3, 2);
  const [, aux] = runSync(k.zx_vmo_create(t, 2 * PS, 0));
  assert.equal(runSync(k.zx_pager_supply_pages(t, pager, vmo, 0, 2 * PS, aux, 0)), ZX_OK);
  const root = k.rootVmarHandle;
  const [, addr] = runSync(k.zx_vmar_map(t, root, ZX_VM_PERM_READ, 0, vmo, 0, 2 * PS));
  assert.equal(runSync(k.zx_vmar_op_range(t, root, ZX_VMAR_OP_PREFETCH, addr, 2 * PS)), ZX_OK);
  assert.equal(runSync(k.zx_vmar_unmap(t, root, addr, 2 * PS)), ZX_OK);
  assert.equal(runSync(k.zx_handle_close(t, vmo)), ZX_OK);
  completes("the op range still holds the VMO");
});

Deno.test("zx_vmar_op_range(COMMIT) over a mapping past its VMO's shrunk end: OUT_OF_RANGE", () => {
  const k = new Kernel({ pageSize: PS });
  const [t] = k.createThread("main", 1);
  const [, vmo] = runSync(k.zx_vmo_create(t, 2 * PS, ZX_VMO_RESIZABLE));
  const rw = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
  const [, addr] = runSync(k.zx_vmar_map(t, k.rootVmarHandle, rw, 0, vmo, 0, 2 * PS));
  assert.equal(
    runSync(k.zx_vmar_op_range(t, k.rootVmarHandle, ZX_VMAR_OP_COMMIT, addr, PS)),
    ZX_OK,
  );
  assert.equal(runSync(k.zx_vmo_set_size(t, vmo, PS)), ZX_OK);
  assert.equal(
    runSync(k.zx_vmar_op_range(t, k.rootVmarHandle, ZX_VMAR_OP_COMMIT, addr, 2 * PS)),
    ZX_ERR_OUT_OF_RANGE,
  );
  // Up to the new end exactly: in range.
  assert.equal(
    runSync(k.zx_vmar_op_range(t, k.rootVmarHandle, ZX_VMAR_OP_COMMIT, addr, PS)),
    ZX_OK,
  );
});

Deno.test("a mapping replaced by SPECIFIC_OVERWRITE lets its pager VMO go: COMPLETE once its handle closes", () => {
  const { k, t, vmo, completes } = pagerVmo(5, 1);
  const [, other] = runSync(k.zx_vmo_create(t, PS, 0));
  const [, at] = runSync(k.zx_vmar_map(t, k.rootVmarHandle, ZX_VM_PERM_READ, 0, vmo, 0, PS));
  const over = ZX_VM_PERM_READ | ZX_VM_SPECIFIC_OVERWRITE;
  const offset = at - k.rootVmar.base;
  const [st, again] = runSync(k.zx_vmar_map(t, k.rootVmarHandle, over, offset, other, 0, PS));
  assert.equal(st, ZX_OK);
  assert.equal(again, at);
  assert.equal(runSync(k.zx_handle_close(t, vmo)), ZX_OK);
  completes("the replaced mapping still holds the pager VMO");
});
