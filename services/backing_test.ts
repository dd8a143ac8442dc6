import { strict as assert } from "node:assert";
import { backingPage, backingRange, fileRange } from "./backing.ts";

function word(bytes: Uint8Array, at: number): number {
  const v = new DataView(bytes.buffer, bytes.byteOffset);
  return v.getUint32(at, true) + v.getUint32(at + 4, true) * 2 ** 32;
}

Deno.test("backing page: the word at byte offset o holds key + o/8", () => {
  const page = backingPage(5, 2, 64);
  for (let i = 0; i < 8; i++) assert.equal(word(page, i * 8), 5 + 16 + i);
});

Deno.test("backing page: keys above 2^32 fill the high word", () => {
  const key = 0x1_0000_0003;
  assert.equal(word(backingPage(key, 0, 16), 8), key + 1);
});

Deno.test("backing range: unaligned ranges are slices of the aligned content", () => {
  const whole = backingRange(7, 0, 256);
  for (const [off, len] of [[3, 20], [61, 70], [0, 5], [255, 1], [8, 8]]) {
    assert.deepEqual(backingRange(7, off, len), whole.subarray(off, off + len), `${off}+${len}`);
  }
  assert.deepEqual(backingRange(7, 64, 64), backingPage(7, 1, 64));
});

Deno.test("backing range: every call returns bytes of its own (a writer cannot change the next call's)", () => {
  const first = backingRange(11, 4096, 4096);
  const want = first.slice();
  first.fill(0xee);
  const again = backingRange(11, 4096, 4096);
  assert.deepEqual(again, want);
  assert.ok(again !== first);
  // Past the memo's range bound the bytes are made afresh, the same pattern.
  const big = backingRange(11, 0, 512 * 1024);
  assert.deepEqual(big.subarray(4096, 8192), want);
});

Deno.test("fileRange hands out bytes of its own too: a supply's source written by a kernel changes no later run", () => {
  const first = fileRange(12, 0, 128);
  const want = first.slice();
  first.fill(0xee); // a kernel variant writing into zx_vmo_write's source
  assert.deepEqual(fileRange(12, 0, 128), want);
});
