import { strict as assert } from "node:assert";
import { BYTE_MEMO_MAX_LENGTH } from "../sim/byte_memo.ts";
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

/** Byte `x` of VMO `key`'s pattern, from the rule itself: the LE 64-bit word at `8w` holds `key + w`. */
function patternByte(key: number, x: number): number {
  const v = BigInt(key) + BigInt(Math.floor(x / 8));
  return Number((v >> BigInt(8 * (x % 8))) & 0xffn);
}

Deno.test("backing range past the memo bound: every byte follows the word rule, at any alignment", () => {
  // Ranges longer than BYTE_MEMO_MAX_LENGTH are made afresh on every call (no memo between).
  const length = BYTE_MEMO_MAX_LENGTH + 13;
  // Small keys, a key whose words cross 2^32, and keys with high words of many bits (an inode
  // pager's `0x2a * 2^32 + inode`, README).
  for (const key of [7, 0x1_0000_0003, 2 ** 32 - 2, 0x2a * 2 ** 32 + 5, 0x12_3456_789a_bcde]) {
    for (const offset of [0, 3, 8, 13, 4096 + 5]) {
      const got = backingRange(key, offset, length);
      assert.equal(got.length, length);
      // The head and tail (partial words at either end), and a sample in between.
      const at = [...Array(80).keys(), ...Array.from({ length: 80 }, (_, i) => length - 1 - i)];
      for (let i = 80; i < length - 80; i += 4099) at.push(i);
      for (const i of at) {
        assert.equal(
          got[i],
          patternByte(key, offset + i),
          `key ${key} offset ${offset}: byte ${i}`,
        );
      }
    }
  }
});
