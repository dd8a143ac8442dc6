/**
 * Unit tests of the assertions: `present` passes every value but `undefined`
 * and `null` through unchanged (falsy ones too, unlike a truthiness check),
 * builds its message only on failure, and throws a harness error, not a
 * kernel one.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import { HarnessAssertionError, KernelAssertionError, present } from "./assert.ts";

Deno.test("present returns falsy values that are there", () => {
  const built: string[] = [];
  const what = () => {
    built.push("built");
    return "test: a value";
  };
  assert.equal(present(0, what), 0);
  assert.equal(present("", what), "");
  assert.equal(present(false, what), false);
  assert.ok(Number.isNaN(present(NaN, what)));
  const o = {};
  assert.equal(present(o, what), o);
  assert.deepEqual(built, [], "the message is built only on failure");
});

Deno.test("present throws a harness assertion naming what is missing", () => {
  for (const [value, shown] of [[undefined, "undefined"], [null, "null"]] as const) {
    assert.throws(
      () => present(value, () => `test: the handle of pager p`),
      (e: unknown) =>
        e instanceof HarnessAssertionError && !(e instanceof KernelAssertionError) &&
        e.message === `test: the handle of pager p is missing (${shown})`,
    );
    assert.throws(
      () => present(value, "test: a constant"),
      /^HarnessAssertionError: test: a constant is missing/,
    );
  }
});
