/**
 * The checkers' own statement of the backing store's content, written apart
 * from `services/backing.ts` so the oracle never takes the service's word for
 * what a page holds: the 64-bit little-endian word at byte offset `o` of the
 * VMO with key `k` is `k + floor(o / 8)` (Zircon's pager-test pattern), here
 * computed byte by byte with BigInt arithmetic.
 *
 * @module
 */

const MASK64 = (1n << 64n) - 1n;

/** Byte `offset` of the backing content of the VMO with `key`. */
export function backingByte(key: number, offset: number): number {
  const index = Math.floor(offset / 8);
  // While the word stays below 2^53 a double holds it exactly (and it is below 2^64, so the mask
  // changes nothing): the same byte without BigInt, which large VMOs ask for by the thousand.
  if (key >= 0 && key + index <= Number.MAX_SAFE_INTEGER) {
    return Math.floor((key + index) / 2 ** (8 * (offset % 8))) % 256;
  }
  const word = (BigInt(key) + BigInt(index)) & MASK64;
  return Number((word >> BigInt(8 * (offset % 8))) & 0xffn);
}

/** Page `page` of the backing content of the VMO with `key`. */
export function expectedPage(key: number, page: number, pageSize: number): Uint8Array {
  const out = new Uint8Array(pageSize);
  const base = page * pageSize;
  for (let i = 0; i < pageSize; i++) out[i] = backingByte(key, base + i);
  return out;
}
