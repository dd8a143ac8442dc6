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
    }, "lost-read.json");
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
    assert.deepEqual(await replaceEarlier(join(dir, "a.json"), other, "b.json"), other);
    assert.deepEqual(await names(dir), ["b.json"]);
    // The better one was already in the corpus (a campaign's file, not written by this run).
    await Deno.writeTextFile(join(dir, "b-2.json"), "earlier");
    const known = { file: join(dir, "b.json"), written: false, sameFindingAt: undefined };
    assert.deepEqual(await replaceEarlier(join(dir, "b-2.json"), known, "b.json"), known);
    assert.deepEqual(await names(dir), ["b.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// userS29a: `explore --corpus EMPTY` named its shrunk counterexample `…-24217830-2.json`. The
// shrunk case passed over the unshrunk one it replaces (a different replay), and the move to the
// earlier name read the signature id `24217830`, all decimal digits, as a number: the two names
// looked like different findings' names, so the shrunk case kept its `-2`.
Deno.test("explore's shrunk counterexample takes its unshrunk one's name when the signature id is all digits", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const name = "lost-wakeup-condvar-queue-nonempty-tinyfs-bug-24217830.json";
    const numbered = name.replace(/\.json$/, "-2.json");
    await Deno.writeTextFile(join(dir, name), "unshrunk");
    await Deno.writeTextFile(join(dir, numbered), "shrunk");
    const kept = await replaceEarlier(join(dir, name), {
      file: join(dir, numbered),
      written: true,
      sameFindingAt: join(dir, name),
    }, name);
    assert.equal(kept.file, join(dir, name));
    assert.deepEqual(await names(dir), [name]);
    assert.equal(await Deno.readTextFile(join(dir, name)), "shrunk");
    // A file of another name that only looks numbered (another signature's id) is not moved.
    await Deno.writeTextFile(join(dir, "x-1234.json"), "other");
    const other = { file: join(dir, "x-1234.json"), written: true, sameFindingAt: undefined };
    assert.deepEqual(await replaceEarlier(join(dir, name), other, "x-1234.json"), other);
    assert.deepEqual(await names(dir), ["x-1234.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
