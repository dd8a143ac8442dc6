import { strict as assert } from "node:assert";
import { join } from "node:path";
import { replaceEarlier } from "./explore.ts";

const names = async (dir: string) =>
  (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();

Deno.test("explore's better counterexample is written before the earlier one goes, then takes its name", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "lost-read.json"), "earlier");
    await Deno.writeTextFile(join(dir, "lost-read-2.json"), "better");
    const kept = await replaceEarlier(join(dir, "lost-read.json"), {
      file: join(dir, "lost-read-2.json"),
      written: true,
      sameFindingAt: join(dir, "lost-read.json"),
    });
    assert.deepEqual(kept, {
      file: join(dir, "lost-read.json"),
      written: true,
      sameFindingAt: undefined,
    });
    assert.deepEqual(await names(dir), ["lost-read.json"]);
    assert.equal(await Deno.readTextFile(join(dir, "lost-read.json")), "better");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("explore's earlier counterexample of another finding, or of a replay already kept, just goes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "a.json"), "earlier");
    await Deno.writeTextFile(join(dir, "b.json"), "better");
    const other = { file: join(dir, "b.json"), written: true, sameFindingAt: undefined };
    assert.deepEqual(await replaceEarlier(join(dir, "a.json"), other), other);
    assert.deepEqual(await names(dir), ["b.json"]);
    // The better one was already in the corpus (a campaign's file, not written by this run).
    await Deno.writeTextFile(join(dir, "b-2.json"), "earlier");
    const known = { file: join(dir, "b.json"), written: false, sameFindingAt: undefined };
    assert.deepEqual(await replaceEarlier(join(dir, "b-2.json"), known), known);
    assert.deepEqual(await names(dir), ["b.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
