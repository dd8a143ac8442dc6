/**
 * Tests of `deno task check`'s steps: the non-null lint is one of them, and
 * it fails on a `!` in the non-test code of a checked folder while letting
 * tests and their testdata use one.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import { NON_NULL_DIRS, NON_NULL_LINT, STEPS } from "./check.ts";

Deno.test("check runs the non-null lint on the model, checker and tool folders", () => {
  assert.ok(STEPS.includes(NON_NULL_LINT));
  assert.deepEqual(NON_NULL_LINT.slice(0, 3), [
    "lint",
    "--rules-tags=",
    "--rules-include=no-non-null-assertion",
  ]);
  for (const dir of ["kernel", "properties", "scenario", "explore", "conformance", "report"]) {
    assert.ok(NON_NULL_DIRS.includes(dir), dir);
  }
});

Deno.test("the non-null lint fails on a ! in checked code, not in tests or testdata", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim_check_test_" });
  try {
    const bang = 'export const m = new Map<string, number>();\nexport const x = m.get("a")!;\n';
    const lint = async () => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: [...NON_NULL_LINT],
        cwd: dir,
        env: { NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const dec = new TextDecoder();
      return { code: out.code, text: dec.decode(out.stdout) + dec.decode(out.stderr) };
    };
    await Deno.mkdir(`${dir}/kernel/testdata`, { recursive: true });
    await Deno.writeTextFile(`${dir}/kernel/a_test.ts`, bang);
    await Deno.writeTextFile(`${dir}/kernel/testdata/b.ts`, bang);
    await Deno.writeTextFile(`${dir}/kernel/c.ts`, "export const c = 1;\n");
    const clean = await lint();
    assert.equal(clean.code, 0, clean.text);

    await Deno.mkdir(`${dir}/properties`);
    await Deno.writeTextFile(`${dir}/properties/d.ts`, bang);
    const dirty = await lint();
    assert.notEqual(dirty.code, 0, dirty.text);
    assert.match(dirty.text, /no-non-null-assertion/);
    assert.match(dirty.text, /properties\/d\.ts/);
    assert.doesNotMatch(dirty.text, /a_test\.ts|testdata/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
