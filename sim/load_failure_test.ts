import { strict as assert } from "node:assert";
import { loadFailure, shownPath } from "./load_failure.ts";

const OWN = new URL("../", import.meta.url).href;

/** An Error as Deno hands a failed import, with the stack given. */
function thrown(name: string, message: string, stack: string): Error {
  const e = new Error(message);
  e.name = name;
  e.stack = `${name}: ${message}\n${stack}`;
  return e;
}

Deno.test("shownPath: relative under the working directory, absolute elsewhere, non-URLs as they are", () => {
  assert.equal(shownPath("file:///p/q/myfs/a.ts", "/p/q"), "myfs/a.ts");
  assert.equal(shownPath("file:///p/other/a.ts", "/p/q"), "/p/other/a.ts");
  assert.equal(shownPath("file:///p/q", "/p/q"), "/p/q");
  assert.equal(shownPath("jsr:@x/y", "/p/q"), "jsr:@x/y");
});

Deno.test("loadFailure: a syntax error at Deno's position, relative to the working directory", () => {
  const e = thrown(
    "SyntaxError",
    "SyntaxError: Unexpected token ')'\n    at file:///p/q/bad/m8.ts:1:32",
    "",
  );
  assert.equal(loadFailure(e, "/p/q"), "syntax error at bad/m8.ts:1:32: Unexpected token ')'");
});

Deno.test("loadFailure: a throw at load names the first frame of the user's, past pagersim's", () => {
  const e = thrown(
    "Error",
    "blob index missing",
    `    at ${OWN}case/store.ts:900:10\n    at file:///p/q/blobfs/m3b.ts:3:9\n    at ${OWN}sim/world.ts:1:1`,
  );
  assert.equal(
    loadFailure(e, "/p/q"),
    "the module threw while loading, at blobfs/m3b.ts:3:9: Error: blob index missing",
  );
  // A user's folder inside pagersim's tree is the user's (trial36's blobfs/).
  const inTree = thrown(
    "Error",
    "x",
    `    at ${OWN}case/store.ts:1:1\n    at ${OWN}blobfs/m.ts:4:2`,
  );
  assert.equal(loadFailure(inTree, "/nowhere").endsWith("blobfs/m.ts:4:2: Error: x"), true);
  // Our test fixtures stand in for a user's modules.
  const fixture = thrown("Error", "y", `    at ${OWN}case/testdata/m.ts:2:1`);
  assert.equal(loadFailure(fixture, "/nowhere").includes("case/testdata/m.ts:2:1: Error: y"), true);
});

Deno.test("loadFailure: only pagersim's frames: the error's own words", () => {
  const e = thrown(
    "TypeError",
    'Module not found "file:///p/q/gone.ts".',
    `    at ${OWN}case/store.ts:9:9`,
  );
  assert.equal(loadFailure(e, "/p/q"), 'TypeError: Module not found "file:///p/q/gone.ts".');
});

Deno.test("loadFailure: a JSON.parse position is the parsed text's", () => {
  const e = thrown(
    "SyntaxError",
    "Unexpected token 'x', \"x\" is not valid JSON in JSON at position 0 (line 1 column 1)",
    "    at file:///p/q/m3.ts:2:6",
  );
  assert.equal(
    loadFailure(e, "/p/q"),
    "the module threw while loading, at m3.ts:2:6: SyntaxError: Unexpected token 'x', \"x\" is " +
      "not valid JSON in JSON at position 0 (line 1 column 1 of the text given to JSON.parse)",
  );
});

Deno.test("loadFailure: an unmapped pagersim import says to map it", () => {
  const e = thrown(
    "TypeError",
    'Import "pagersim/mod.ts" not a dependency and not in import map from "file:///p/q/fs.ts"',
    `    at ${OWN}case/store.ts:1:1`,
  );
  assert.equal(
    loadFailure(e, "/p/q"),
    'TypeError: Import "pagersim/mod.ts" not a dependency and not in import map: map ' +
      '"pagersim/mod.ts" in the imports of your deno.json (README, "In another project")',
  );
});

Deno.test("loadFailure: a thrown non-Error", () => {
  assert.equal(loadFailure("boom", "/p"), "the module threw boom while loading");
});
