import { strict as assert } from "node:assert";
import { DECIDING_DIRS, scanDirs, scanSource } from "./check_determinism.ts";

Deno.test("determinism check finds each forbidden source in code", () => {
  const bad = [
    "const x = Math.random();",
    "const t = Date.now();",
    "const t = performance.now();",
    "setTimeout(f, 1);",
    "crypto.getRandomValues(buf);",
    "const v = Deno.env.get('X');",
  ];
  for (const line of bad) assert.equal(scanSource("f.ts", line).length, 1, line);
});

Deno.test("determinism check ignores comments and strings", () => {
  const ok = [
    "// Math.random is forbidden",
    "/* Date.now() */ const a = 1;",
    'const s = "Date.now()";',
  ];
  for (const line of ok) assert.deepEqual(scanSource("f.ts", line), [], line);
});

Deno.test("the outcome-deciding folders use no forbidden source", async () => {
  const findings = await scanDirs(DECIDING_DIRS);
  assert.deepEqual(findings.map((f) => `${f.file}:${f.line}: ${f.text}`), []);
});
