/**
 * The checkers' own statement of the backing store's content, written apart
 * from `services/backing.ts` so the oracle never takes the service's word for
 * what a page holds: the 64-bit little-endian word at byte offset `o` of the
 * VMO with key `k` is `k + floor(o / 8)` (Zircon's pager-test pattern), here
 * computed byte by byte with BigInt arithmetic.
 *
 * A file layout (sim/file_layout.ts: a byte size, holes) zeroes what lies
 * past the end of the file and inside its holes; it comes from the scenario,
 * recorded on the world by the interpreter, never from the service.
 *
 * @module
 */

import { type FileLayout, zeroByLayout } from "../sim/file_layout.ts";

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

/**
 * Writes the backing content of the VMO with `key` from byte `offset` into `out`: byte `i` is
 * `backingByte(key, offset + i)`. A range of whole words whose words stay below 2^53 is written a
 * word at a time, its eight bytes from the word's two 32-bit halves, least significant first
 * (the bytes {@linkcode backingByte} gives: byte `j` of word `v` is `floor(v / 2^(8j)) % 256`); any
 * other range byte by byte. Large VMOs ask the checkers' model for their pages by the thousand,
 * and a byte at a time was ~4% of a campaign's CPU time.
 */
export function fillBacking(out: Uint8Array, key: number, offset: number): void {
  const n = out.length;
  if (
    offset % 8 === 0 && n % 8 === 0 && Number.isSafeInteger(key) && key >= 0 &&
    Number.isSafeInteger(offset) && offset >= 0 && key + (offset + n) / 8 <= Number.MAX_SAFE_INTEGER
  ) {
    let word = key + offset / 8;
    for (let i = 0; i < n; i += 8, word++) {
      const lo = word % 2 ** 32, hi = Math.floor(word / 2 ** 32);
      out[i] = lo & 0xff;
      out[i + 1] = (lo >>> 8) & 0xff;
      out[i + 2] = (lo >>> 16) & 0xff;
      out[i + 3] = (lo >>> 24) & 0xff;
      out[i + 4] = hi & 0xff;
      out[i + 5] = (hi >>> 8) & 0xff;
      out[i + 6] = (hi >>> 16) & 0xff;
      out[i + 7] = (hi >>> 24) & 0xff;
    }
    return;
  }
  for (let i = 0; i < n; i++) out[i] = backingByte(key, offset + i);
}

/** Page `page` of the backing content of the VMO with `key`. */
export function expectedPage(key: number, page: number, pageSize: number): Uint8Array {
  const out = new Uint8Array(pageSize);
  fillBacking(out, key, page * pageSize);
  return out;
}

/**
 * Byte `offset` of the file behind the VMO with `key`, laid out as `file`
 * says: zero past the end of the file and inside a hole, the backing content
 * elsewhere (no layout: the backing content everywhere).
 */
export function fileByte(key: number, offset: number, file?: FileLayout): number {
  return file !== undefined && zeroByLayout(file, offset) ? 0 : backingByte(key, offset);
}

/** True when page `page` of a file laid out as `file` is the plain backing content. */
export function plainPage(file: FileLayout | undefined, page: number, pageSize: number): boolean {
  if (file === undefined) return true;
  const a = page * pageSize, b = a + pageSize;
  return file.bytes >= b && file.holes.every((h) => h.offset + h.length <= a || h.offset >= b);
}

/** Page `page` of the file behind the VMO with `key`, laid out as `file` says. */
export function expectedFilePage(
  key: number,
  page: number,
  pageSize: number,
  file?: FileLayout,
): Uint8Array {
  const out = new Uint8Array(pageSize);
  const base = page * pageSize;
  for (let i = 0; i < pageSize; i++) out[i] = fileByte(key, base + i, file);
  return out;
}
