// TidMap, the checkers' per-thread map: a Map's answers (values, size, insertion order, a set
// of a held key keeping its place) for thread-id keys held in an array.
import { strict as assert } from "node:assert";
import { TidMap } from "./_tid_map.ts";

/** The map's entries, in its iteration order. */
function entries<V>(m: TidMap<V>): [number, V][] {
  const out: [number, V][] = [];
  for (let i = 0; i < m.size; i++) out.push([m.keyAt(i), m.valueAt(i)]);
  return out;
}

Deno.test("TidMap answers as a Map does through sets, deletes and clears", () => {
  const m = new TidMap<string>();
  const ref = new Map<number, string>();
  // A seeded walk of operations over tids 0..7 (a linear congruential generator: fixed).
  let x = 12345;
  for (let op = 0; op < 2000; op++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const tid = x % 8;
    const what = (x >> 8) % 10;
    if (what < 5) {
      assert.equal(m.set(tid, `v${op}`), m);
      ref.set(tid, `v${op}`);
    } else if (what < 9) assert.equal(m.delete(tid), ref.delete(tid));
    else {
      m.clear();
      ref.clear();
    }
    assert.equal(m.size, ref.size);
    assert.deepEqual(entries(m), [...ref]);
    for (let t = 0; t < 8; t++) {
      assert.equal(m.has(t), ref.has(t));
      assert.equal(m.get(t), ref.get(t));
    }
  }
});

Deno.test("TidMap refuses a key that is no thread id and an undefined value", () => {
  const m = new TidMap<number>();
  assert.throws(() => m.set(-1, 0), /not a thread id/);
  assert.throws(() => m.set(1.5, 0), /not a thread id/);
  assert.throws(() => m.set(2, undefined as unknown as number), /no undefined value/);
  assert.equal(m.size, 0);
});
