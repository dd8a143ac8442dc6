// trial32 (session 32, finding 12): with a corpus that refuses writes, fuzz said once where its
// findings would go instead, yet tried the corpus first at every write and printed an
// `error: writing ...` line for each (an unshrunk and a shrunk write per finding). After the first
// refusal the campaign writes straight to its temporary folder, and says so in that one line.
import { strict as assert } from "node:assert";
import { dirname } from "node:path";
import { persistWithFallback } from "./fuzz.ts";
import { readCaseFile } from "../case/store.ts";

Deno.test("fuzz: after the corpus refuses one write, later writes go straight to the temporary folder, with one error line in all", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-refused-" });
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => lines.push(a.join(" "));
  const files: string[] = [];
  try {
    await Deno.writeTextFile(`${dir}/file`, "");
    const corpus = `${dir}/file/sub`; // under a file: refused, as root too
    const a = await readCaseFile("corpus/zoo-duplicate-read.json");
    const b = await readCaseFile("corpus/zoo-early-wake-skips-page.json");
    for (const c of [a, a, b]) {
      const { file, written } = await persistWithFallback(corpus, c);
      assert.ok(written);
      assert.ok(!file.startsWith(corpus), file);
      files.push(file);
    }
    const errors = lines.filter((l) => l.startsWith("error: writing"));
    assert.equal(errors.length, 1, lines.join("\n"));
    assert.match(errors[0], /later findings go to \S+ without trying \S+ again$/);
    assert.equal(new Set(files.map((f) => dirname(f))).size, 1, files.join(" "));
    assert.deepEqual((await readCaseFile(files[2])).decisions, b.decisions);
  } finally {
    console.log = log;
    await Deno.remove(dir, { recursive: true });
    if (files.length > 0) await Deno.remove(dirname(files[0]), { recursive: true });
  }
});
