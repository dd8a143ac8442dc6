// userS29b, a README-only user:
// 1. `repro ... --trace json` (and `sim`'s) put `replaying:`, `verdict:` and the other text lines
//    on stdout among the JSON lines, so stdout could not be piped into a JSON parser. Under
//    `--trace json` stdout is the JSON lines alone, and every other line goes to stderr.
import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";

Deno.test("repro --trace json: stdout is JSON lines alone, the text lines are on stderr", async () => {
  const r = await denoOutput([
    "run",
    "-A",
    "cli/repro.ts",
    "corpus/fxfs-no-page-in-barrier.json",
    "--trace",
    "json",
  ]);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split("\n").filter((l) => l !== "");
  // Every line parses: the legend first, then one object per event.
  const docs = lines.map((l, i) => {
    try {
      return JSON.parse(l);
    } catch (e) {
      throw new Error(`stdout line ${i + 1} is not JSON (${(e as Error).message}): ${l}`);
    }
  });
  assert.ok(docs.length > 10, r.out);
  assert.ok(Array.isArray(docs[0].threads), lines[0]);
  assert.ok(docs.slice(1).every((d) => typeof d.step === "number" && typeof d.text === "string"));
  // The human lines are all still printed, on stderr.
  for (const head of ["replaying: ", "verdict: ", "replay: ", "expected: ", "trace-hash: "]) {
    assert.match(r.err, new RegExp(`^${head}`, "m"), `${head} on stderr`);
  }
});
