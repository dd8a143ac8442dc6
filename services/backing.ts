/**
 * The backing store a reference service reads from: the content every page
 * of every VMO must have until a thread writes it. Like Zircon's pager tests,
 * the 64-bit little-endian word at byte offset `o` of the VMO with key `k`
 * holds `k + o / 8`, so a page names its own VMO and offset.
 *
 * @module
 */

import { SharedBytes } from "../kernel/objects.ts";
import type { FileLayout } from "../sim/file_layout.ts";
import { BYTE_MEMO_MAX_LENGTH, memoBytes } from "../sim/byte_memo.ts";

/** Writes the pattern of VMO `key` for bytes `[offset, offset + out.length)` into `out`, all zeros. */
function fillPattern(out: Uint8Array, key: number, offset: number): void {
  const end = offset + out.length;
  const lastWord = Math.ceil(end / 8);
  // DataView stores and byte shifts: the bytes must not depend on the host's endianness. No
  // scratch word: a partial word at either end is written byte by byte.
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let w = Math.floor(offset / 8); w < lastWord; w++) {
    const v = key + w;
    const lo = v >>> 0;
    const hi = v >= 2 ** 32 ? Math.floor(v / 2 ** 32) >>> 0 : 0;
    const at = w * 8 - offset;
    if (at >= 0 && at + 8 <= out.length) {
      view.setUint32(at, lo, true);
      if (hi !== 0) view.setUint32(at + 4, hi, true); // `out` is fresh: zeros already
      continue;
    }
    for (let b = 0; b < 8; b++) {
      const i = at + b;
      if (i >= 0 && i < out.length) out[i] = (b < 4 ? lo >>> (8 * b) : hi >>> (8 * (b - 4))) & 0xff;
    }
  }
}

/**
 * Content of one page of a VMO, by key and page index.
 *
 * @example
 * ```ts
 * import { backingPage, backingRange } from "./backing.ts";
 * const page = backingPage(7, 1, 64);
 * console.assert(page.length === 64 && page.every((b, i) => b === backingRange(7, 64, 64)[i]));
 * ```
 */
export function backingPage(key: number, page: number, pageSize: number): Uint8Array {
  const out = new Uint8Array(pageSize);
  fillPattern(out, key, page * pageSize);
  return out;
}

/**
 * Content of a byte range `[offset, offset + length)` of a VMO, page aligned or not.
 *
 * @example
 * ```ts
 * import { backingRange } from "./backing.ts";
 * const a = backingRange(7, 10, 20), b = backingRange(7, 0, 64);
 * console.assert(a.every((x, i) => x === b[10 + i])); // the same bytes wherever read from
 * ```
 */
export function backingRange(
  key: number,
  offset: number,
  length: number,
  _pageSize?: number,
): Uint8Array {
  if (length > BYTE_MEMO_MAX_LENGTH) {
    const out = new Uint8Array(length);
    fillPattern(out, key, offset);
    return out;
  }
  // The caller's to write: a copy, never the memo's own bytes. Not even to a caller that only
  // reads: a supply's bytes go to zx_vmo_write, and a kernel variant (a mutant, a user's
  // --kernel) that writes into a write's source would change every later run in the process.
  return memoized(key, offset, length).slice();
}

/** The memo's array of `[offset, offset + length)` of VMO `key` (shared: never handed out). */
function memoized(key: number, offset: number, length: number): Uint8Array {
  return memoBytes(`${key}:${offset}:${length}`, length, (out) => fillPattern(out, key, offset));
}

/**
 * Content of `[offset, offset + length)` of the file behind the VMO with
 * `key`, laid out as `file` says (sim/file_layout.ts): the backing pattern,
 * with zeros inside every hole and from the end of the file on — the partial
 * page past end of file included. Without a layout, {@linkcode backingRange}.
 * This is what a filesystem does when it reads a file into a page: copy what
 * the file holds, zero-fill the rest.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { backingRange, fileRange } from "./backing.ts";
 * const file = { bytes: 40, holes: [{ offset: 3, length: 2 }] };
 * const got = fileRange(7, 0, 64, file), all = backingRange(7, 0, 64);
 * assert.deepEqual([...got.subarray(0, 3)], [...all.subarray(0, 3)]);
 * assert.ok(got[3] === 0 && got[4] === 0 && got[5] === all[5]);
 * assert.ok(got.subarray(40).every((b) => b === 0)); // the tail past end of file
 * ```
 */
export function fileRange(
  key: number,
  offset: number,
  length: number,
  file?: FileLayout,
): Uint8Array {
  const out = backingRange(key, offset, length);
  if (file !== undefined) zeroOutside(out, offset, file);
  return out;
}

/**
 * {@linkcode fileRange} as {@linkcode SharedBytes}: the bytes of a supply, never written
 * once made, so the kernel's aux pages take them without a copy of their own.
 *
 * @example
 * ```ts
 * import { SharedBytes } from "../kernel/objects.ts";
 * import { fileRange, supplyRange } from "./backing.ts";
 * const got = supplyRange(7, 0, 64, { bytes: 40, holes: [] });
 * console.assert(got instanceof SharedBytes && got.every((b, i) => b === fileRange(7, 0, 64, { bytes: 40, holes: [] })[i]));
 * ```
 */
export function supplyRange(
  key: number,
  offset: number,
  length: number,
  file?: FileLayout,
): SharedBytes {
  const out = new SharedBytes(length);
  if (length > BYTE_MEMO_MAX_LENGTH) fillPattern(out, key, offset);
  else out.set(memoized(key, offset, length));
  if (file !== undefined) zeroOutside(out, offset, file);
  return out;
}

/** Zeroes the bytes of `out` (holding the file's bytes from `offset`) past the end of `file` and in its holes. */
export function zeroOutside(out: Uint8Array, offset: number, file: FileLayout): void {
  const end = offset + out.length;
  if (file.bytes < end) out.fill(0, Math.max(0, file.bytes - offset));
  for (const h of file.holes) {
    const a = Math.max(h.offset, offset), b = Math.min(h.offset + h.length, end);
    if (a < b) out.fill(0, a - offset, b - offset);
  }
}
