import { strict as assert } from "node:assert";
import { Hasher } from "./_hasher.ts";

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
