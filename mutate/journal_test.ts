import { strict as assert } from "node:assert";
import { openJournal, treeFingerprint } from "./journal.ts";
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
