// fuzz's warning about corpus files that are not valid cases names each bad field once (a user saw
// `decisions: decisions: Invalid input...` and `input.vmos.0.pager: input.vmos.0.pager: no pager
// named "nosuch"`).
import { strict as assert } from "node:assert";
import { parseCase } from "../case/envelope.ts";
import { skippedLine } from "./fuzz.ts";

const FILE = "corpus/invariant-quiescent-end-q2-01bde2a7.json";

Deno.test("the corpus warning names a bad field once", async () => {
  const doc = JSON.parse(await Deno.readTextFile(FILE));
  const errors = (d: unknown) => {
    const r = parseCase(d, "c.json");
    assert.ok("errors" in r, "the edited case was accepted");
    return r.errors;
  };
  const typed = errors({ ...doc, decisions: "1,2" });
  assert.equal(typed.length, 1);
  assert.match(skippedLine(typed[0]), /^ {2}c\.json: decisions: Invalid input: expected array/);
  const vmos = [{ ...doc.input.vmos[0], pager: "nosuch" }, ...doc.input.vmos.slice(1)];
  const pager = errors({ ...doc, input: { ...doc.input, vmos } });
  assert.equal(skippedLine(pager[0]), '  c.json: input.vmos.0.pager: no pager named "nosuch"');
  // A JSON error's message names no field: the line says where.
  assert.equal(
    skippedLine({ file: "b.json", field: "(json)", message: "Unterminated string in JSON" }),
    "  b.json: (json): Unterminated string in JSON",
  );
  // readCorpus says it in repro's words (userS23), which name it already.
  assert.equal(
    skippedLine({ file: "b.json", field: "(json)", message: "not valid JSON: Unterminated" }),
    "  b.json: not valid JSON: Unterminated",
  );
});
