// EvictionOracle (properties/_evictable.ts) after an ALWAYS_NEED hint through a child: only the
// root pages under the hinted window, `[start + shift, end + shift)` with `shift` the child's
// offset into the root (spec 2.8.2, 6.1), are left unjudged; the root's other pages are judged as
// if no child had hinted (docs/mutation.md, "Two open classes closed").
import { strict as assert } from "node:assert";
import { EvictionOracle } from "./_evictable.ts";
import { Vmo } from "../kernel/objects.ts";
import type { PageSource } from "../kernel/page_source.ts";

const PS = 64;

/** A 6-page pager root and a clone of it at page `offset` (4 pages), as the kernel links them. */
function rootAndClone(offset: number): { root: Vmo; clone: Vmo } {
  const root = new Vmo(1, PS, 6 * PS, false, 9, {} as PageSource, null, 1);
  const clone = new Vmo(2, PS, 4 * PS, false, 0, null, null, 0);
  clone.childKind = "clone";
  clone.parent = root;
  clone.parentOffset = offset;
  return { root, clone };
}

Deno.test("EvictionOracle: a hint through a clone at page 2 leaves root pages [4, 6) open and judges [0, 4) Clean pages evictable", () => {
  const { root, clone } = rootAndClone(2);
  const oracle = new EvictionOracle();
  oracle.hint(clone, 2 * PS, 2 * PS, PS, true);
  assert.ok(oracle.hinted);
  const judged = [0, 1, 2, 3, 4, 5].map((p) => oracle.evictable(root, p, "clean", false));
  assert.deepEqual(judged, [true, true, true, true, undefined, undefined]);
});

Deno.test("EvictionOracle: a hint through a slice of a clone adds both offsets", () => {
  const { root, clone } = rootAndClone(1);
  const slice = new Vmo(3, PS, 2 * PS, false, 0, null, null, 0);
  slice.childKind = "slice";
  slice.parent = clone;
  slice.parentOffset = 2;
  const oracle = new EvictionOracle();
  oracle.hint(slice, 0, PS, PS, false);
  const judged = [0, 1, 2, 3, 4, 5].map((p) => oracle.evictable(root, p, "clean", false));
  assert.deepEqual(judged, [true, true, true, undefined, true, true]);
});
