// The byte memo (sim/byte_memo.ts) across mutants: a mutant of the backing pattern's maker fills
// memo entries with its own bytes; they must not outlive it (a later mutant of the worker would
// read them and fail data-integrity: a false kill), and entries made before it must not hide its
// bytes from it (a false survival).
import { strict as assert } from "node:assert";
import { backingRange } from "../services/backing.ts";
import { mutantMirror } from "./mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("a mutant of the backing pattern sees its own bytes, and its bytes are gone once it is off", async () => {
  const m = await mutantMirror("services/backing.ts");
  try {
    const { backingRange: mirrored } = await m.load("services/backing.ts") as Any;
    const want = backingRange(3, 4096, 4096);
    // Made unmutated first: the memo holds the right bytes.
    assert.deepEqual(mirrored(3, 4096, 4096), want);
    const mutated = m.withMutant(
      "services/backing.ts:22:15:ArithmeticOperator:key - w",
      () => mirrored(3, 4096, 4096) as Uint8Array,
    );
    assert.notDeepEqual(mutated, want, "the mutant's own pattern, not the memo's");
    assert.deepEqual(mirrored(3, 4096, 4096), want, "the unmutated pattern again");
  } finally {
    m.dispose();
  }
});
