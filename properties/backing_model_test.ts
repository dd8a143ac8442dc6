/** The checkers' backing model: its number fast path gives the bytes of the BigInt statement. */

import { strict as assert } from "node:assert";
import fc from "npm:fast-check@4.11.0";
import { backingByte } from "./_backing_model.ts";

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
