import { strict as assert } from "node:assert";
import { instrumentFiles, mutableFiles } from "./instrument.ts";
import { ASSERTION_MESSAGE, endKey, equivalentMutants, loadEquivalents } from "./equivalents.ts";
import { mutantKey } from "./report.ts";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("every mutate/equivalent.json entry finds its mutant in this tree (a changed line is triaged again)", async () => {
  const files = mutableFiles(ROOT);
  const { mutants } = await instrumentFiles(ROOT, files);
  const sources = new Map(files.map((f) => [f, Deno.readTextFileSync(`${ROOT}/${f}`)]));
  const list = loadEquivalents(ROOT);
  const { reasons, unmatched } = await equivalentMutants(mutants, sources, list);
  assert.deepEqual(unmatched.map((e) => e.key), [], "entries whose line changed: re-triage them");
  // Each entry is its own mutant (two entries on one mutant would hide a stale one).
  const listed = [...reasons.values()].filter((r) => r !== ASSERTION_MESSAGE).length;
  assert.equal(listed, list.length);
  // The rule finds messages in the kernel's assertions; a condition is never one of them.
  const rule = [...reasons].filter(([, r]) => r === ASSERTION_MESSAGE).map(([k]) => k);
  assert.ok(rule.length > 50, `${rule.length} assertion-message mutants`);
});

Deno.test("an entry follows its line when lines above it move, and the rule takes only the message", async () => {
  const before = [
    "export function f(x: number): number {",
    '  assert(x > 0, () => "x is " + x);',
    "  return x + 1;",
    "}",
  ].join("\n");
  const after = "// a comment added above\n// and another\n" + before;
  const mutantsOf = async (text: string) => {
    const dir = await Deno.makeTempDir({ prefix: "pagersim-equiv-" });
    try {
      await Deno.mkdir(`${dir}/kernel`);
      await Deno.writeTextFile(`${dir}/kernel/f.ts`, text);
      return (await instrumentFiles(dir, ["kernel/f.ts"])).mutants;
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  };
  const old = await mutantsOf(before);
  const plus = old.find((m) =>
    m.mutatorName === "ArithmeticOperator" && m.location.start.line === 2
  );
  assert.ok(plus !== undefined, "the `x + 1` mutant");
  const entry = { key: mutantKey(plus), line: "return x + 1;", reason: "test" };
  const moved = await mutantsOf(after);
  const found = await equivalentMutants(moved, new Map([["kernel/f.ts", after]]), [entry]);
  assert.deepEqual(found.unmatched, []);
  const [key] = [...found.reasons].find(([, r]) => r === "test") ?? [];
  assert.equal(key, mutantKey(plus).replace("kernel/f.ts:3:", "kernel/f.ts:5:"));
  // The message's mutants are the rule's; the condition's are not.
  for (const m of moved) {
    const inMessage = m.location.start.line === 3 && m.location.start.column >= 16;
    assert.equal(
      found.reasons.get(mutantKey(m)) === ASSERTION_MESSAGE,
      inMessage,
      `${mutantKey(m)}`,
    );
  }
  // Another line text: the entry finds nothing.
  const edited = after.replace("return x + 1;", "return x + 2;");
  const gone = await equivalentMutants(moved, new Map([["kernel/f.ts", edited]]), [entry]);
  assert.deepEqual(gone.unmatched, [entry]);
});

Deno.test("an entry names one mutant: a key two mutants share needs its end, and marks only that one", async () => {
  const text = [
    "export function f(a: boolean, b: boolean, c: boolean): boolean {",
    "  return a && b && c;",
    "}",
  ].join("\n");
  const dir = await Deno.makeTempDir({ prefix: "pagersim-equiv-" });
  let mutants;
  try {
    await Deno.mkdir(`${dir}/kernel`);
    await Deno.writeTextFile(`${dir}/kernel/f.ts`, text);
    mutants = (await instrumentFiles(dir, ["kernel/f.ts"])).mutants;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  // `a && b && c` and `a && b` both become true at column 10: one key, two mutants.
  const shared = mutants.filter((m) =>
    mutantKey(m) === "kernel/f.ts:2:10:ConditionalExpression:true"
  );
  assert.equal(shared.length, 2);
  const sources = new Map([["kernel/f.ts", text]]);
  const bare = { key: mutantKey(shared[0]), line: "return a && b && c;", reason: "bare" };
  await assert.rejects(
    () => equivalentMutants(mutants, sources, [bare]),
    (e: Error) => e.message.includes(`entry ${bare.key} names 2 mutants`),
  );
  const whole = shared.find((m) => m.location.end.column === 20); // 0-based, past the `c`
  assert.ok(whole !== undefined, "the whole condition's mutant");
  const entry = { ...bare, key: endKey(whole), reason: "whole" };
  const found = await equivalentMutants(mutants, sources, [entry]);
  assert.deepEqual(found.unmatched, []);
  assert.deepEqual([...found.reasons], [[endKey(whole), "whole"]]);
  for (const m of shared) {
    assert.equal(found.reasons.get(found.keyOf(m)), m === whole ? "whole" : undefined);
  }
  // A mutant alone at its start keeps its plain key.
  const alone = mutants.filter((m) =>
    mutants.filter((n) => mutantKey(n) === mutantKey(m)).length === 1
  );
  assert.ok(alone.length > 0);
  for (const m of alone) assert.equal(found.keyOf(m), mutantKey(m));
  // An end that names no mutant of the key finds nothing.
  const wrong = { ...bare, key: `${bare.key} @end+0:99` };
  const none = await equivalentMutants(mutants, sources, [wrong]);
  assert.deepEqual(none.unmatched, [wrong]);
});
