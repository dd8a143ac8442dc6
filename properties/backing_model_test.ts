/** The checkers' backing model: its number fast path gives the bytes of the BigInt statement. */

import { strict as assert } from "node:assert";
import fc from "npm:fast-check@4.11.0";
import { backingByte, expectedPage, fillBacking } from "./_backing_model.ts";

const MASK64 = (1n << 64n) - 1n;

/** The pattern as the module states it: the 64-bit word `key + offset / 8`, little-endian. */
function statedByte(key: number, offset: number): number {
  const word = (BigInt(key) + BigInt(Math.floor(offset / 8))) & MASK64;
  return Number((word >> BigInt(8 * (offset % 8))) & 0xffn);
}

Deno.test("backingByte is the stated 64-bit little-endian pattern, past 32-bit keys and near 2^53", () => {
  const keys = fc.oneof(
    fc.nat({ max: 0xffff_ffff }),
    fc.integer({ min: 0x1_0000_0000, max: 0x1_ffff_ffff }),
    fc.integer({ min: Number.MAX_SAFE_INTEGER - 2 ** 20, max: Number.MAX_SAFE_INTEGER }),
  );
  fc.assert(
    fc.property(keys, fc.nat({ max: 2 ** 24 }), (key, offset) => {
      assert.equal(
        backingByte(key, offset),
        statedByte(key, offset),
        `key ${key} offset ${offset}`,
      );
    }),
    { numRuns: 20_000, seed: 1 },
  );
});

Deno.test("fillBacking writes backingByte's bytes, word-aligned or not, past 32-bit words and near 2^53", () => {
  const keys = fc.oneof(
    fc.nat({ max: 0xffff_ffff }),
    fc.integer({ min: 0x1_0000_0000, max: 0x1_ffff_ffff }),
    fc.integer({ min: Number.MAX_SAFE_INTEGER - 2 ** 20, max: Number.MAX_SAFE_INTEGER }),
    fc.integer({ min: -(2 ** 20), max: -1 }),
  );
  fc.assert(
    fc.property(keys, fc.nat({ max: 2 ** 24 }), fc.nat({ max: 80 }), (key, offset, length) => {
      const out = new Uint8Array(length).fill(0xa5);
      fillBacking(out, key, offset);
      for (let i = 0; i < length; i++) {
        assert.equal(out[i], backingByte(key, offset + i), `key ${key} offset ${offset} byte ${i}`);
      }
    }),
    { numRuns: 5_000, seed: 1 },
  );
  // Whole pages, as the content model asks for them: words past 2^32 and the last safe ones.
  for (const key of [1, 0xffff_fff0, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER - 600]) {
    const got = expectedPage(key, 1, 4096);
    for (let i = 0; i < 4096; i++) {
      assert.equal(got[i], statedByte(key, 4096 + i), `key ${key} byte ${i}`);
    }
  }
});
