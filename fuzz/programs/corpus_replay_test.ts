// Every program case in corpus/programs/ replays to its recorded verdict and trace hash.
import { strict as assert } from "node:assert";
import { parseProgramCase, replayProgramCase } from "./corpus.ts";

const dir = new URL("../../corpus/programs/", import.meta.url);
const files: string[] = [];
try {
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && e.name.endsWith(".json")) files.push(e.name);
  }
} catch (e) {
  if (!(e instanceof Deno.errors.NotFound)) throw e;
}

Deno.test("every program case in corpus/programs replays to its recorded verdict and hash", async (t) => {
  for (const name of files.sort()) {
    await t.step(name, async () => {
      const path = new URL(name, dir);
      const c = parseProgramCase(JSON.parse(await Deno.readTextFile(path)), name);
      const r = replayProgramCase(c);
      assert.ok(r.reproduced, `${name}: expected ${c.expected.verdict}, got ${r.run.verdict.kind}`);
      assert.ok(r.hashMatches, `${name}: trace hash ${r.run.traceHash}, recorded ${c.traceHash}`);
    });
  }
});
