import { deepStrictEqual as assertEquals } from "node:assert";
import { journalSurvivors, relocate, splitKeys } from "./test_kills.ts";

Deno.test("relocate: a key whose line moved is found on the line of the same text nearest it", () => {
  const was = ["a", "if (x) {", "b"];
  const now = ["new", "a", "if (x) {", "b", "if (x) {"];
  const known = new Set([
    "f.ts:3:5:ConditionalExpression:true",
    "f.ts:5:5:ConditionalExpression:true",
  ]);
  assertEquals(
    relocate("f.ts:2:5:ConditionalExpression:true", was, now, known),
    "f.ts:3:5:ConditionalExpression:true",
  );
  // The line's text changed: no mutant is the old one.
  assertEquals(
    relocate("f.ts:2:5:ConditionalExpression:true", was, ["a", "if (y) {"], known),
    undefined,
  );
  // Another mutator on the same line is not the same mutant.
  assertEquals(relocate("f.ts:2:5:ConditionalExpression:false", was, now, known), undefined);
});

Deno.test("journalSurvivors: the tests judge's survivors of one file, nothing else", () => {
  const line = (file: string, key: string, status: string) =>
    JSON.stringify({ id: "1", fileName: file, key, judges: { tests: { status } } });
  const text = [
    JSON.stringify({ fingerprint: "x" }),
    line("kernel/a.ts", "kernel/a.ts:1:1:M:r", "survived"),
    line("kernel/a.ts", "kernel/a.ts:2:1:M:r", "killed"),
    line("kernel/b.ts", "kernel/b.ts:1:1:M:r", "survived"),
  ].join("\n");
  assertEquals(journalSurvivors(text, "kernel/a.ts"), ["kernel/a.ts:1:1:M:r"]);
});

Deno.test("splitKeys: a comma inside a replacement does not split a key", () => {
  assertEquals(
    splitKeys(
      "kernel/a.ts:3:5:MethodExpression:Math.max(a, b),kernel/b.ts:9:1:BooleanLiteral:true",
    ),
    ["kernel/a.ts:3:5:MethodExpression:Math.max(a, b)", "kernel/b.ts:9:1:BooleanLiteral:true"],
  );
});
