import { strict as assert } from "node:assert";
import { ContentHashes, Hasher } from "./_hasher.ts";

Deno.test("Hasher.bytes: the same as mixing the words one by one, whatever the alignment", () => {
  const buf = new Uint8Array(4101).map((_, i) => (i * 131 + 7) & 0xff);
  for (const [start, len] of [[0, 4096], [4, 64], [1, 64], [0, 7], [3, 0]]) {
    const b = buf.subarray(start, start + len);
    const words = b.byteOffset % 4 === 0 ? b.length >>> 2 : 0;
    const slow = new Hasher();
    const view = words > 0 ? new Uint32Array(b.buffer, b.byteOffset, words) : [];
    for (let i = 0; i < words; i++) slow.word(view[i]);
    for (let i = words * 4; i < b.length; i++) slow.word(b[i]);
    slow.word(b.length);
    assert.deepEqual(new Hasher().bytes(b).value, slow.value, `${start}+${len}`);
  }
  assert.notDeepEqual(
    new Hasher().bytes(buf.subarray(0, 8)).value,
    new Hasher().bytes(buf.subarray(4, 12)).value,
  );
});

Deno.test("Hasher.clone: the copy goes on from the same state, independently", () => {
  const a = new Hasher().str("prefix");
  const b = a.clone();
  assert.deepEqual(b.value, a.value);
  a.word(1);
  assert.notDeepEqual(b.value, a.value);
  b.word(1);
  assert.deepEqual(b.value, a.value);
});

Deno.test("ContentHashes: always the content's own fingerprint, memoized or not", () => {
  const memo = new ContentHashes();
  const page = new Uint8Array(4096).map((_, i) => (i * 31) & 0xff);
  const same = page.slice();
  // Differs in a word the probe does not sample (the probe samples every 16th word here).
  const near = page.slice();
  near[4 * 17 + 1] ^= 0xff;
  const misaligned = new Uint8Array(4100).subarray(1, 4097);
  misaligned.set(page);
  for (let round = 0; round < 2; round++) {
    for (const b of [page, same, near, misaligned, page.subarray(0, 64)]) {
      assert.deepEqual(memo.of(b), new Hasher().bytes(b).value);
    }
  }
  assert.notDeepEqual(memo.of(near), memo.of(page));
  // The memo holds copies: writing the array after it was hashed changes its fingerprint.
  page[100] ^= 1;
  assert.deepEqual(memo.of(page), new Hasher().bytes(page).value);
  assert.notDeepEqual(memo.of(page), memo.of(same));
  // Past its size the memo starts again: still the same answers.
  for (let i = 0; i <= ContentHashes.MAX; i++) {
    const b = new Uint8Array(256);
    new DataView(b.buffer).setUint32(0, i);
    assert.deepEqual(memo.of(b), new Hasher().bytes(b).value);
  }
  assert.deepEqual(memo.of(same), new Hasher().bytes(same).value);
});
