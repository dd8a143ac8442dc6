import { deepStrictEqual as assertEquals } from "node:assert";
import { journalSurvivors, relocate, resolveKey, splitKeys } from "./_mutant_args.ts";

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

Deno.test("journalSurvivors: the campaign judge's survivors, with no-coverage, each with its end", () => {
  const line = (key: string, status: string) =>
    JSON.stringify({
      id: "1",
      fileName: "kernel/a.ts",
      key,
      location: { start: { line: 2, column: 4 }, end: { line: 3, column: 9 } },
      judges: { tests: { status: "killed" }, campaign: { status } },
    });
  const text = [
    line("kernel/a.ts:3:5:M:r", "survived"),
    line("kernel/a.ts:3:5:M:s", "no-coverage"),
    line("kernel/a.ts:3:5:M:t", "killed"),
  ].join("\n");
  assertEquals(journalSurvivors(text, "kernel/a.ts", "campaign", true), [
    "kernel/a.ts:3:5:M:r @end+1:10",
    "kernel/a.ts:3:5:M:s @end+1:10",
  ]);
  assertEquals(journalSurvivors(text, "kernel/a.ts", "campaign"), [
    "kernel/a.ts:3:5:M:r @end+1:10",
  ]);
  assertEquals(journalSurvivors(text, "kernel/a.ts"), []);
});

Deno.test("resolveKey: a key with its end names one mutant; a key two mutants share names both", () => {
  const known = new Set([
    "f.ts:3:5:ConditionalExpression:true @end+0:30",
    "f.ts:3:5:ConditionalExpression:true @end+0:12",
    "f.ts:4:1:BooleanLiteral:false",
  ]);
  assertEquals(resolveKey("f.ts:3:5:ConditionalExpression:true @end+0:12", known), [
    "f.ts:3:5:ConditionalExpression:true @end+0:12",
  ]);
  assertEquals(resolveKey("f.ts:3:5:ConditionalExpression:true", known), [
    "f.ts:3:5:ConditionalExpression:true @end+0:30",
    "f.ts:3:5:ConditionalExpression:true @end+0:12",
  ]);
  // A key alone that names one mutant: its end is dropped.
  assertEquals(resolveKey("f.ts:4:1:BooleanLiteral:false @end+0:9", known), [
    "f.ts:4:1:BooleanLiteral:false",
  ]);
  assertEquals(resolveKey("f.ts:3:5:ConditionalExpression:true @end+0:99", known), []);
  // Relocated with its end, to the line of the same text.
  assertEquals(
    relocate("f.ts:2:5:ConditionalExpression:true @end+0:12", ["", "if (a && b) {"], [
      "",
      "",
      "if (a && b) {",
    ], known),
    "f.ts:3:5:ConditionalExpression:true @end+0:12",
  );
});
