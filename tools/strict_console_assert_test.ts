// The test task preloads tools/strict_console_assert.ts, so a doc example's failed console.assert
// fails its test (it only printed "Assertion failed" before, and two examples were wrong unseen).
import { strict as assert } from "node:assert";

const root = new URL("../", import.meta.url);

Deno.test("deno task test preloads the strict console.assert", () => {
  const tasks = JSON.parse(Deno.readTextFileSync(new URL("deno.json", root))).tasks;
  assert.match(tasks.test, / --preload=tools\/strict_console_assert\.ts(\s|$)/);
});

Deno.test("with the preload a doc example whose console.assert fails is a failed test", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const example =
      "/**\n * @example\n * ```ts\n * const n: number = 1;\n * console.assert(n === 2);\n" +
      " * ```\n */\nexport const x = 1;\n";
    await Deno.writeTextFile(`${dir}/m.ts`, example);
    const run = (preload: string[]) =>
      new Deno.Command("deno", {
        args: ["test", "--doc", ...preload, `${dir}/m.ts`],
        stdout: "piped",
        stderr: "piped",
      }).output();
    const plain = await run([]);
    assert.equal(plain.code, 0, "without it Deno passes the example (why the preload exists)");
    const strict = await run([
      `--preload=${new URL("tools/strict_console_assert.ts", root).pathname}`,
    ]);
    assert.notEqual(strict.code, 0);
    assert.match(new TextDecoder().decode(strict.stdout), /FAILED/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
