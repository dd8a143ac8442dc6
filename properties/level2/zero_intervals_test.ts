// dirty-state's own picture of zero intervals' awaiting-clean ends (_zero_intervals.ts), rule by
// rule, with the expected removals worked out by hand from spec 2.5.3/2.5.4 and the split rule of
// vmpl_awaiting_clean_split_test (zircon/kernel/vm/unittests/vm_page_list_unittest.cc).
import { strict as assert } from "node:assert";
import type { SlotKind } from "../../kernel/events.ts";
import { ZeroEnds } from "./_zero_intervals.ts";

const Z = "zero", A = "absent", D = "dirty";

/** A picture of `kinds` built the way a kernel builds it: every zero slot put in page order. */
function built(kinds: SlotKind[]): ZeroEnds {
  const z = ZeroEnds.of(kinds.map(() => A));
  assert.ok(z !== null);
  const now: SlotKind[] = kinds.map(() => A);
  for (let p = 0; p < kinds.length; p++) {
    if (kinds[p] !== Z) continue;
    z.put(now, p);
    now[p] = Z;
  }
  return z;
}

Deno.test("a VMO first seen with zero slots has no picture; one without has an empty one", () => {
  assert.equal(ZeroEnds.of([A, Z]), null);
  const z = ZeroEnds.of([A, D]);
  assert.ok(z !== null);
  assert.deepEqual(z.planEnd([A, D], 0, 2).removed, []);
});

Deno.test("END removes nothing of an interval BEGIN never covered", () => {
  const kinds: SlotKind[] = [Z, Z, Z];
  assert.deepEqual(built(kinds).planEnd(kinds, 0, 3), { removed: [], carried: [] });
});

Deno.test("BEGIN then END over an interval removes it whole", () => {
  const kinds: SlotKind[] = [A, Z, Z, Z, A];
  const z = built(kinds);
  z.begin(kinds, 1, 4);
  assert.deepEqual(z.planEnd(kinds, 0, 5), { removed: [1, 2, 3], carried: [] });
});

Deno.test("BEGIN over a range that starts inside an interval leaves the interval alone", () => {
  const kinds: SlotKind[] = [Z, Z, Z];
  const z = built(kinds);
  z.begin(kinds, 1, 3);
  assert.deepEqual(z.planEnd(kinds, 0, 3).removed, []);
});

Deno.test("BEGIN over part of an interval covers that part; END clips it and the rest keeps the end", () => {
  const kinds: SlotKind[] = [Z, Z, Z, Z];
  const z = built(kinds);
  z.begin(kinds, 0, 2);
  const plan = z.planEnd(kinds, 0, 4);
  assert.deepEqual(plan, { removed: [0, 1], carried: [[2, 2]] });
});

Deno.test("END over a range shorter than the interval's awaiting-clean end removes only the range", () => {
  const kinds: SlotKind[] = [Z, Z, Z, Z];
  const z = built(kinds);
  z.begin(kinds, 0, 4);
  assert.deepEqual(z.planEnd(kinds, 0, 2), { removed: [0, 1], carried: [[2, 4]] });
});

Deno.test("END carries one interval's end over the next interval in its range", () => {
  // [0,2) BEGIN'd to 2 and then split by a page at 1... here: two intervals, the first with an
  // end reaching past the second's start (left by a split), the second with none of its own.
  const kinds: SlotKind[] = [Z, Z, Z, Z];
  const z = built(kinds);
  z.begin(kinds, 0, 4);
  const after: SlotKind[] = [Z, D, Z, Z];
  z.take(after, kinds, 1); // the middle: the part right of it starts with none
  assert.deepEqual(z.planEnd(after, 0, 4), { removed: [0, 2, 3], carried: [] });
  // Only the right part in the range: it has no end of its own.
  assert.deepEqual(z.planEnd(after, 2, 4).removed, []);
});

Deno.test("taking an interval's first slot leaves the rest its end", () => {
  const kinds: SlotKind[] = [Z, Z, Z];
  const z = built(kinds);
  z.begin(kinds, 0, 3);
  const after: SlotKind[] = [D, Z, Z];
  z.take(after, kinds, 0);
  assert.deepEqual(z.planEnd(after, 1, 3).removed, [1, 2]);
});

Deno.test("a zero slot put left of an interval joins it and the interval's end is lost", () => {
  const kinds: SlotKind[] = [A, Z, Z];
  const z = built(kinds);
  z.begin(kinds, 1, 3);
  const after: SlotKind[] = [Z, Z, Z];
  z.put(kinds, 0);
  assert.deepEqual(z.planEnd(after, 0, 3).removed, []);
});

Deno.test("a zero slot put right of an interval joins it under the interval's end", () => {
  const kinds: SlotKind[] = [Z, Z, A];
  const z = built(kinds);
  z.begin(kinds, 0, 2);
  const after: SlotKind[] = [Z, Z, Z];
  z.put(kinds, 2);
  assert.deepEqual(z.planEnd(after, 0, 3), { removed: [0, 1], carried: [[2, 2]] });
});

Deno.test("a shrink cuts the picture; a grow's new slots start with no end", () => {
  const kinds: SlotKind[] = [A, Z, Z, Z];
  const z = built(kinds);
  z.begin(kinds, 1, 4);
  z.truncate(2);
  const grown: SlotKind[] = [A, Z, Z, Z];
  z.put([A, Z], 2);
  z.put([A, Z], 3);
  // The run's end (4) stands and covers the regrown slots, as the kernel's start slot keeps it.
  assert.deepEqual(z.planEnd(grown, 0, 4).removed, [1, 2, 3]);
});
