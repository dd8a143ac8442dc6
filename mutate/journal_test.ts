import { strict as assert } from "node:assert";
import {
  moduleClosure,
  openJournal,
  readJournal,
  StaleJournalError,
  treeDigests,
  treeFingerprint,
} from "./journal.ts";
import { judgeModuleRoots } from "./judges.ts";
import type { MutantResult } from "./report.ts";

function result(id: string): MutantResult {
  return {
    id,
    fileName: "kernel/a.ts",
    mutatorName: "BooleanLiteral",
    replacement: "false",
    location: { start: { line: Number(id), column: 0 }, end: { line: Number(id), column: 4 } },
    key: `kernel/a.ts:${Number(id) + 1}:1:BooleanLiteral:false`,
    static: false,
    judges: { campaign: { status: "survived", ran: 3, ms: 4 } },
  };
}

Deno.test("a journal keeps every recorded mutant across a stop; a cut last line is judged again", () => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/judged.jsonl`;
  const j = openJournal(path, "tree-a");
  assert.equal(j.prior.size, 0);
  assert.equal(j.note, undefined);
  j.record(result("0"));
  j.record(result("1"));
  Deno.writeTextFileSync(path, '{"id":"2","file', { append: true }); // the stop
  const again = openJournal(path, "tree-a");
  assert.deepEqual([...again.prior.keys()], ["0", "1"]);
  assert.deepEqual(again.prior.get("1"), result("1"));
  assert.match(again.note ?? "", /taking up 2 mutants/);
  // Recording goes on after what was taken up.
  again.record(result("3"));
  assert.deepEqual([...openJournal(path, "tree-a").prior.keys()], ["0", "1", "3"]);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("taking up a journal only appends to it: what it held stays byte for byte, in the same file", () => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/judged.jsonl`;
  openJournal(path, "tree-a").record(result("0"));
  const before = Deno.readTextFileSync(path);
  const ino = Deno.statSync(path).ino;
  const again = openJournal(path, "tree-a");
  assert.equal(again.prior.size, 1);
  again.record(result("1"));
  assert.equal(Deno.statSync(path).ino, ino, "the same file, not one renamed over it");
  assert.ok(Deno.readTextFileSync(path).startsWith(before));
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["judged.jsonl"]);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("two shards sharing one journal lose no line while a third run takes it up (the defect: taking up rewrote the file and dropped the lines appended meanwhile)", async () => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/shared.jsonl`;
  openJournal(path, "tree-a", { named: true });
  const journal = new URL("./journal.ts", import.meta.url).href;
  // Each writer opens the shared journal (taking up what is there) and records its own ids,
  // reopening it every 20 records, as shards started and stopped at different times do.
  const writer = (shard: number) =>
    new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `import { openJournal } from "${journal}";
         let j = openJournal(${JSON.stringify(path)}, "tree-a", { named: true });
         for (let i = 0; i < 300; i++) {
           if (i % 20 === 0) j = openJournal(${JSON.stringify(path)}, "tree-a", { named: true });
           const id = String(${shard} * 1000 + i);
           j.record({ id, key: id, fileName: "kernel/a.ts", judges: {} });
         }`,
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
  const outs = await Promise.all([writer(1), writer(2), writer(3)]);
  for (const o of outs) assert.equal(o.code, 0, new TextDecoder().decode(o.stderr));
  const ids = new Set(readJournal(path).results.keys());
  const missing = [1, 2, 3].flatMap((k) =>
    Array.from({ length: 300 }, (_, i) => String(k * 1000 + i)).filter((id) => !ids.has(id))
  );
  assert.deepEqual(missing, [], `${missing.length} records lost`);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("a stale named journal is refused naming the files that changed, were added or removed, and the judges", async () => {
  const root = Deno.makeTempDirSync();
  Deno.mkdirSync(`${root}/kernel`);
  Deno.writeTextFileSync(`${root}/kernel/a.ts`, "export const a = 1;\n");
  Deno.writeTextFileSync(`${root}/kernel/b.ts`, "export const b = 1;\n");
  const path = `${root}/out.jsonl`;
  const scope = { exclude: [path] };
  const was = await treeDigests(root, new Map(), ["tests", "campaign"], scope);
  openJournal(path, was, { named: true }).record(result("0"));
  Deno.writeTextFileSync(`${root}/kernel/a.ts`, "export const a = 2;\n");
  Deno.removeSync(`${root}/kernel/b.ts`);
  Deno.writeTextFileSync(`${root}/kernel/c.ts`, "export const c = 1;\n");
  const now = await treeDigests(root, new Map(), ["campaign"], scope);
  assert.throws(
    () => openJournal(path, now, { named: true }),
    (e: unknown) =>
      e instanceof StaleJournalError &&
      e.message.includes(
        "changed: kernel/a.ts; added: kernel/c.ts; removed: kernel/b.ts; " +
          "judges: campaign (was tests,campaign)",
      ),
  );
  // The same tree again: taken up, the digests kept in its first line.
  const same = await treeDigests(root, new Map(), ["campaign"], scope);
  assert.equal(same.fingerprint, now.fingerprint);
  assert.equal(same.fingerprint, await treeFingerprint(root, new Map(), ["campaign"], scope));
  openJournal(path, now, { named: true, fresh: true });
  assert.deepEqual(readJournal(path).head.files, now.files);
  assert.equal(openJournal(path, same, { named: true }).prior.size, 0);
  // A journal from before the digests cannot say what changed, and says so.
  Deno.writeTextFileSync(path, '{"fingerprint":"old"}\n');
  assert.throws(
    () => openJournal(path, now, { named: true }),
    (e: unknown) => e instanceof StaleJournalError && /predates per-file digests/.test(e.message),
  );
  Deno.removeSync(root, { recursive: true });
});

Deno.test("a journal of another tree is replaced; --fresh does not take one up; finish removes it", () => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/judged.jsonl`;
  openJournal(path, "tree-a").record(result("0"));
  const other = openJournal(path, "tree-b");
  assert.equal(other.prior.size, 0);
  assert.match(other.note ?? "", /another tree or other judges/);
  assert.equal(openJournal(path, "tree-a").prior.size, 0, "tree-a's results are gone");
  openJournal(path, "tree-c").record(result("5"));
  const fresh = openJournal(path, "tree-c", { fresh: true });
  assert.equal(fresh.prior.size, 0);
  assert.match(fresh.note ?? "", /not taken up \(--fresh\)/);
  fresh.finish();
  assert.throws(() => Deno.statSync(path), Deno.errors.NotFound);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("the fingerprint changes with the instrumented code, the judges and the corpus, not with the output directory or docs", async () => {
  const root = Deno.makeTempDirSync();
  Deno.mkdirSync(`${root}/kernel`);
  Deno.mkdirSync(`${root}/out`);
  Deno.mkdirSync(`${root}/corpus`);
  Deno.writeTextFileSync(`${root}/kernel/a.ts`, "export const a = 1;\n");
  const base = await treeFingerprint(root, new Map(), ["campaign"], { exclude: [`${root}/out`] });
  Deno.writeTextFileSync(`${root}/out/judged.jsonl`, "{}\n");
  Deno.writeTextFileSync(`${root}/README.md`, "# docs\n");
  assert.equal(
    await treeFingerprint(root, new Map(), ["campaign"], { exclude: [`${root}/out`] }),
    base,
  );
  // The tests judge replays the corpus: a new case is another tree.
  Deno.writeTextFileSync(`${root}/corpus/case.json`, "{}\n");
  assert.notEqual(
    await treeFingerprint(root, new Map(), ["campaign"], { exclude: [`${root}/out`] }),
    base,
  );
  const instrumented = new Map([["kernel/a.ts", "export const a = 2;\n"]]);
  assert.notEqual(
    await treeFingerprint(root, instrumented, ["campaign"], { exclude: [`${root}/out`] }),
    base,
  );
  assert.notEqual(
    await treeFingerprint(root, new Map(), ["tests", "campaign"], { exclude: [`${root}/out`] }),
    base,
  );
  Deno.writeTextFileSync(`${root}/kernel/a.ts`, "export const a = 3;\n");
  assert.notEqual(
    await treeFingerprint(root, new Map(), ["campaign"], { exclude: [`${root}/out`] }),
    base,
  );
  Deno.removeSync(root, { recursive: true });
});

Deno.test("a named journal of another tree is refused, not replaced; --fresh judges afresh into it; a finished run keeps it", () => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/nightly.jsonl`;
  const j = openJournal(path, "tree-a", { named: true });
  j.record(result("0"));
  j.finish();
  assert.deepEqual([...readJournal(path).results.keys()], ["0"], "kept after the run");
  assert.equal(readJournal(path).fingerprint, "tree-a");
  assert.deepEqual([...openJournal(path, "tree-a", { named: true }).prior.keys()], ["0"]);
  assert.throws(
    () => openJournal(path, "tree-b", { named: true }),
    (e: unknown) => e instanceof StaleJournalError && /cannot be taken up/.test(e.message),
  );
  assert.equal(readJournal(path).results.size, 1, "the refused journal is untouched");
  const fresh = openJournal(path, "tree-b", { named: true, fresh: true });
  assert.equal(fresh.prior.size, 0);
  assert.equal(readJournal(path).fingerprint, "tree-b");
  // An empty file (made by the writability check before the run) is no journal.
  Deno.writeTextFileSync(path, "");
  assert.equal(openJournal(path, "tree-c", { named: true }).prior.size, 0);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("with roots, the fingerprint covers the modules they reach, the instrumented files and data, not other .ts files or the journal", async () => {
  const root = Deno.makeTempDirSync();
  for (const d of ["cli", "mutate", "kernel", "tools", "corpus"]) Deno.mkdirSync(`${root}/${d}`);
  Deno.writeTextFileSync(`${root}/cli/mutate.ts`, 'import "../mutate/worker.ts";\n');
  Deno.writeTextFileSync(`${root}/mutate/worker.ts`, 'await import("./judges.ts");\n');
  Deno.writeTextFileSync(`${root}/mutate/judges.ts`, "export const runs = 300;\n");
  Deno.writeTextFileSync(`${root}/kernel/a.ts`, "export const a = 1;\n");
  Deno.writeTextFileSync(`${root}/tools/report.ts`, "export const t = 1;\n");
  const instrumented = new Map([["kernel/a.ts", "export const a = 1; // marks\n"]]);
  const scope = { roots: ["cli/mutate.ts"], exclude: [`${root}/nightly.jsonl`] };
  const fp = () => treeFingerprint(root, instrumented, ["tests", "campaign"], scope);
  const base = await fp();
  Deno.writeTextFileSync(`${root}/tools/report.ts`, "export const t = 2;\n");
  Deno.writeTextFileSync(`${root}/nightly.jsonl`, '{"fingerprint":"x"}\n');
  assert.equal(await fp(), base, "a tool and the journal are not judged code");
  Deno.writeTextFileSync(`${root}/mutate/judges.ts`, "export const runs = 301;\n");
  const judges = await fp();
  assert.notEqual(judges, base, "a module the worker imports is");
  Deno.writeTextFileSync(`${root}/corpus/case.json`, "{}\n");
  assert.notEqual(await fp(), judges, "data is");
  Deno.removeSync(root, { recursive: true });
});

Deno.test("the fingerprint's module closure holds every project module deno's graph of the judges' roots holds", async () => {
  const root = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
  const roots = judgeModuleRoots(new URL(`file://${root}/`));
  const closure = new Set(moduleClosure(root, roots));
  const entry = await Deno.makeTempFile({ suffix: ".ts" });
  Deno.writeTextFileSync(entry, roots.map((r) => `import "file://${root}/${r}";\n`).join(""));
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: root,
    stdout: "piped",
    stderr: "null",
  }).output();
  Deno.removeSync(entry);
  assert.equal(out.code, 0);
  const graph = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: { specifier: string }[];
  };
  const local = graph.modules.map((m) => m.specifier)
    .filter((s) => s.startsWith(`file://${root}/`))
    .map((s) => s.slice(`file://${root}/`.length));
  assert.ok(local.length > 100, `the graph has the judges' modules (${local.length})`);
  assert.deepEqual(local.filter((m) => !closure.has(m)), []);
});
