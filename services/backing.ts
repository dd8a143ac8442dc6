/**
 * The backing store a reference service reads from: the content every page
 * of every VMO must have until a thread writes it. Like Zircon's pager tests,
 * the 64-bit little-endian word at byte offset `o` of the VMO with key `k`
 * holds `k + o / 8`, so a page names its own VMO and offset.
 *
 * @module
 */

/** Content of one page of a VMO, by key and page index. */
export function backingPage(key: number, page: number, pageSize: number): Uint8Array {
  const out = new Uint8Array(pageSize);
  const view = new DataView(out.buffer);
  const first = (page * pageSize) / 8;
  for (let i = 0; i < pageSize / 8; i++) {
    const v = key + first + i;
    view.setUint32(i * 8, v >>> 0, true);
    view.setUint32(i * 8 + 4, Math.floor(v / 2 ** 32) >>> 0, true);
  }
  return out;
}

/** Content of a byte range `[offset, offset + length)` of a VMO, page aligned or not. */
export function backingRange(
  key: number,
  offset: number,
  length: number,
  pageSize: number,
): Uint8Array {
  const out = new Uint8Array(length);
  let pos = offset;
  while (pos < offset + length) {
    const p = Math.floor(pos / pageSize);
    const inPage = pos - p * pageSize;
    const n = Math.min(offset + length - pos, pageSize - inPage);
    out.set(backingPage(key, p, pageSize).subarray(inPage, inPage + n), pos - offset);
    pos += n;
  }
  return out;
}
