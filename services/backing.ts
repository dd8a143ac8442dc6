/**
 * The backing store a reference service reads from: the content every page
 * of every VMO must have until a thread writes it. Like Zircon's pager tests,
 * the 64-bit little-endian word at byte offset `o` of the VMO with key `k`
 * holds `k + o / 8`, so a page names its own VMO and offset.
 *
 * @module
 */

/** Writes the pattern of VMO `key` for bytes `[offset, offset + out.length)` into `out`. */
function fillPattern(out: Uint8Array, key: number, offset: number): void {
  const end = offset + out.length;
  const firstWord = Math.floor(offset / 8);
  const lastWord = Math.ceil(end / 8);
  const aligned = offset % 8 === 0 && end % 8 === 0;
  // DataView, not a Uint32Array: the bytes must not depend on the host's endianness.
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const word = new Uint8Array(8);
  const wordView = new DataView(word.buffer);
  for (let w = firstWord; w < lastWord; w++) {
    const v = key + w;
    const lo = v >>> 0;
    const hi = v >= 2 ** 32 ? Math.floor(v / 2 ** 32) >>> 0 : 0;
    const at = w * 8 - offset;
    if (aligned) {
      view.setUint32(at, lo, true);
      if (hi !== 0) view.setUint32(at + 4, hi, true);
      continue;
    }
    wordView.setUint32(0, lo, true);
    wordView.setUint32(4, hi, true);
    for (let b = 0; b < 8; b++) {
      const i = at + b;
      if (i >= 0 && i < out.length) out[i] = word[b];
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
  const out = new Uint8Array(length);
  fillPattern(out, key, offset);
  return out;
}
