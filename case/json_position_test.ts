// The place jsonErrorOffset finds is V8's own wherever V8 names one, so the place it adds where V8
// names none (an unexpected token, an early end: trial37's truncated scenario) is in V8's terms.
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { jsonErrorOffset, lineColumn } from "./json_position.ts";
import { jsonErrorText } from "./store.ts";

const V8_PLACE = / in JSON at position (\d+) \(line (\d+) column (\d+)\)$/;

/** V8's message for `text`, or null when it parses. */
function v8Error(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

Deno.test("jsonErrorOffset: null for JSON, V8's position and line/column wherever V8 gives one", () => {
  // Texts near JSON: a JSON value's text with one cut, one character deleted, doubled or inserted.
  const edited = fc.tuple(
    fc.json({ maxDepth: 3 }).map((t) => JSON.stringify(JSON.parse(t), null, 2)),
    fc.nat(),
    fc.constantFrom("cut", "delete", "double", "insert"),
    fc.constantFrom(...'{}[],:"\\ \n0-.e1tfnx/u'.split("")),
  ).map(([text, n, edit, ch]) => {
    const i = n % (text.length + 1);
    if (edit === "cut") return text.slice(0, i);
    if (edit === "delete") return text.slice(0, i) + text.slice(i + 1);
    if (edit === "double") return text.slice(0, i) + text.slice(i, i + 1) + text.slice(i);
    return text.slice(0, i) + ch + text.slice(i);
  });
  let placed = 0;
  fc.assert(
    fc.property(edited, (text) => {
      const message = v8Error(text);
      const offset = jsonErrorOffset(text);
      if (message === null) return offset === null;
      assert.notEqual(offset, null, `${JSON.stringify(text)}: ${message}`);
      const m = V8_PLACE.exec(message);
      if (m === null) return true;
      placed++;
      assert.equal(offset, Number(m[1]), `${JSON.stringify(text)}: ${message}`);
      assert.equal(lineColumn(text, offset as number), `line ${m[2]} column ${m[3]}`);
      return true;
    }),
    { numRuns: 3000, seed: 37 },
  );
  assert.ok(placed > 500, `only ${placed} texts where V8 names the place`);
});

Deno.test("jsonErrorText adds the place where V8 names none, and only there", () => {
  const text = '{ "threads": [{ "ops": [\n  { "op": "read" }, ] ';
  const error = (t: string) => {
    try {
      JSON.parse(t);
    } catch (e) {
      return e;
    }
    throw new Error("parsed");
  };
  // trial37's truncated scenario: an unexpected token, no place from V8.
  assert.equal(
    jsonErrorText(error(text), text),
    `Unexpected token ']', ...""read" }, ] " is not valid JSON (line 2 column 21)`,
  );
  // An early end: the place is the end.
  assert.equal(
    jsonErrorText(error('{\n "a": '), '{\n "a": '),
    "Unexpected end of JSON input (line 2 column 7)",
  );
  // V8's own place is kept, not written twice.
  assert.equal(
    jsonErrorText(error('{\n "a": "x'), '{\n "a": "x'),
    "Unterminated string in JSON at position 10 (line 2 column 9)",
  );
  // Without the text, as before.
  assert.equal(
    jsonErrorText(error(text)),
    `Unexpected token ']', ...""read" }, ] " is not valid JSON`,
  );
});
