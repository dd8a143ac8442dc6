import { strict as assert } from "node:assert";
import { readCaseFile, readCorpus, replayCase, writeCase } from "./store.ts";
import type { CaseEnvelope } from "./envelope.ts";

for (const dir of ["corpus", "corpus/programs"]) {
  Deno.test(`every case in ${dir} replays through replayCase alone, old formats too`, async () => {
    const { cases, errors } = await readCorpus(dir);
    assert.deepEqual(errors, []);
    assert.ok(cases.length > 0);
    for (const { file, case: c } of cases) {
      const r = await replayCase(c, file);
      assert.equal(r.verdict, c.expected, `${file}: verdict`);
      assert.equal(r.traceHash, c.traceHash, `${file}: trace hash`);
      assert.ok(r.ok);
    }
  });
}

async function sample(): Promise<CaseEnvelope> {
  return await readCaseFile(new URL("../corpus/zoo-duplicate-read.json", import.meta.url).pathname);
}

Deno.test("two writes of one signature at once use distinct temp files and leave one valid case", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const c = { ...(await sample()), signature: "invariant:packet-discipline@x" };
    const paths = await Promise.all(Array.from({ length: 8 }, () => writeCase(dir, c)));
    assert.equal(new Set(paths).size, 1);
    const names = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.deepEqual(names, [paths[0].split("/").pop()]);
    assert.equal((await readCaseFile(paths[0])).traceHash, c.traceHash);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a different case never overwrites another: it takes the next free name", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = { ...(await sample()), signature: "sig-a" };
    const first = await writeCase(dir, a, "same.json");
    const b = { ...a, signature: "sig-b" };
    const second = await writeCase(dir, b, "same.json");
    assert.notEqual(first, second);
    assert.ok(second.endsWith("same-2.json"));
    assert.equal((await readCaseFile(first)).signature, "sig-a");
    assert.equal((await readCaseFile(second)).signature, "sig-b");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("one signature: the smaller case wins, and a shrunk case replaces its unshrunk form", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const small = { ...(await sample()), signature: "sig" };
    const big = { ...small, decisions: [...small.decisions, 0, 0, 0] };
    const path = await writeCase(dir, small);
    assert.equal(await writeCase(dir, big), path);
    assert.equal((await readCaseFile(path)).decisions.length, small.decisions.length);
    const dir2 = await Deno.makeTempDir();
    try {
      const unshrunk = { ...big, found: { by: "test", unshrunk: true } };
      const p = await writeCase(dir2, unshrunk);
      await writeCase(dir2, { ...big, decisions: [...big.decisions, 1], found: { by: "test" } });
      assert.equal((await readCaseFile(p)).found?.unshrunk, undefined);
    } finally {
      await Deno.remove(dir2, { recursive: true });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeCase refuses an invalid case, naming the field", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bad = { ...(await sample()), traceHash: "xyz" };
    await assert.rejects(() => writeCase(dir, bad), /traceHash/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a case naming a kernel module replays with it; one outside the project is refused", async () => {
  const repo = new URL("../", import.meta.url);
  // A project of the user's own, in /tmp: its tree is where the working directory's deno.json is.
  const project = await Deno.makeTempDir({ prefix: "pagersim-project-" });
  const cwd = Deno.cwd();
  try {
    await Deno.writeTextFile(`${project}/deno.json`, "{}\n");
    await Deno.writeTextFile(
      `${project}/variant.ts`,
      `export { duplicateRead as makeKernel } from "${
        new URL("zoo/kernel_bugs.ts", repo).href
      }";\n`,
    );
    const zoo = await readCaseFile(new URL("corpus/zoo-duplicate-read.json", repo).pathname);
    Deno.chdir(project);
    const { moduleRef } = await import("./store.ts");
    const { bug: _, ...rest } = zoo;
    const c: CaseEnvelope = {
      ...rest,
      kernel: await moduleRef(`${project}/variant.ts`, `${project}/corpus`),
    };
    const file = await writeCase(`${project}/corpus`, c, "k.json");
    assert.equal((await readCaseFile(file)).kernel?.path, "../variant.ts");
    const r = await replayCase(await readCaseFile(file), file);
    assert.ok(r.ok, `${r.verdict} ${r.traceHash}`);
    const escaped = { ...c, kernel: { path: "../../../../../../etc/evil.ts", sha256: null } };
    await assert.rejects(() => replayCase(escaped, file), /outside the project tree/);
  } finally {
    Deno.chdir(cwd);
    await Deno.remove(project, { recursive: true });
  }
});
