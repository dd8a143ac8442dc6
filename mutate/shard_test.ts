import { strict as assert } from "node:assert";
import { MAX_SHARDS, parseShard, shardOf } from "./shard.ts";
import { instrumentFiles } from "./instrument.ts";
import { readJournal, treeDigests, treeFingerprint } from "./journal.ts";
import { shardJournalName } from "../cli/mutate.ts";
import { judgeModuleRoots } from "./judges.ts";
import { mutantKey, type MutantResult } from "./report.ts";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("--shard K/N parses only 1 <= K <= N <= MAX_SHARDS", () => {
  assert.deepEqual(parseShard("1/1"), { index: 1, count: 1 });
  assert.deepEqual(parseShard(" 3/4 "), { index: 3, count: 4 });
  for (const bad of ["0/4", "5/4", "1/0", "4", "a/b", "-1/2", `1/${MAX_SHARDS + 1}`, "1/2/3"]) {
    assert.equal(parseShard(bad), undefined, bad);
  }
});

Deno.test("the N shards of a set are disjoint, cover it, differ in size by at most one, and name the same mutants every time", () => {
  const all = Array.from({ length: 101 }, (_, i) => ({ id: String(i) }));
  const parts = [1, 2, 3, 4].map((index) => shardOf(all, { index, count: 4 }));
  const ids = parts.flat().map((m) => m.id);
  assert.equal(new Set(ids).size, 101);
  assert.deepEqual(parts.map((p) => p.length).sort(), [25, 25, 25, 26]);
  for (const p of parts) assert.deepEqual(p, [...p].sort((a, b) => Number(a.id) - Number(b.id)));
  // A seeded shuffle, not a slice: a shard spreads over the whole id range.
  assert.ok(Number(parts[0][0].id) < 10 && Number(parts[0].at(-1)?.id) > 90);
  assert.deepEqual(shardOf(all, { index: 2, count: 4 }), parts[1]);
  assert.deepEqual(shardOf(all, { index: 1, count: 1 }), all);
});

/** Runs `deno task mutate` with `args` (one worker, `--json`); no judging is expected. */
async function mutate(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli/mutate.ts", "--json", "--workers", "1", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

/** A journal of this tree (both judges, `--files services/eager.ts`) holding `results`. */
async function eagerJournal(path: string, dir: string, results: readonly MutantResult[]) {
  const { contents } = await instrumentFiles(ROOT, ["services/eager.ts"]);
  const fingerprint = await treeFingerprint(ROOT, contents, ["tests", "campaign"], {
    roots: judgeModuleRoots(new URL(`file://${ROOT}/`)),
    exclude: [dir, path],
  });
  Deno.writeTextFileSync(
    path,
    [{ fingerprint }, ...results].map((r) => JSON.stringify(r) + "\n").join(""),
  );
}

async function eagerResults(): Promise<MutantResult[]> {
  const { mutants } = await instrumentFiles(ROOT, ["services/eager.ts"]);
  return mutants.map((m, i) => ({
    ...m,
    key: mutantKey(m),
    static: false,
    judges: {
      tests: {
        status: "killed",
        killedBy: { probe: `shard ${i % 2}`, reason: "r" },
        ran: 1,
        ms: 1,
      },
      campaign: { status: i % 2 === 0 ? "killed" : "survived", ran: 1, ms: 1 },
    },
  }));
}

Deno.test("--merge makes one report of the shards' journals without judging, and names what no journal holds", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-mutate-merge-" });
  const results = await eagerResults();
  const [a, b] = [`${dir}/shard-1.jsonl`, `${dir}/shard-2.jsonl`];
  await eagerJournal(a, dir, results.filter((_, i) => i % 2 === 0));
  await eagerJournal(b, dir, results.filter((_, i) => i % 2 === 1));
  const files = ["--files", "services/eager.ts", "--out", dir];
  const whole = await mutate(...files, "--merge", `${a},${b}`);
  assert.equal(whole.code, 0, whole.stderr);
  const doc = JSON.parse(whole.stdout);
  assert.equal(doc.results.length, results.length);
  assert.equal(doc.takenUp, results.length);
  assert.doesNotMatch(whole.stderr, /coverage:/, "nothing was judged");
  const killed = results.filter((_, i) => i % 2 === 0).length;
  assert.match(
    whole.stderr,
    new RegExp(`^mutation score: ${killed} of ${results.length} killed`, "m"),
  );
  assert.ok(Deno.statSync(`${dir}/mutation.json`).isFile);
  assert.equal(readJournal(a).results.size, killed, "the shards' journals stay");

  const half = await mutate(...files, "--merge", a);
  assert.equal(half.code, 2, half.stderr);
  assert.match(half.stderr, /--merge: \d+ of the \d+ mutants are in none of the journals/);
  assert.doesNotMatch(half.stderr, /^\s+at /m, "no stack trace");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a --journal of other judged code is refused with a clear error before any mutant is judged", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-mutate-stale-" });
  const path = `${dir}/nightly.jsonl`;
  Deno.writeTextFileSync(path, `${JSON.stringify({ fingerprint: "of another tree" })}\n`);
  const r = await mutate("--files", "services/eager.ts", "--out", dir, "--journal", path);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^error: .*nightly\.jsonl: judged on another tree .* cannot be taken up/m);
  assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
  assert.doesNotMatch(r.stderr, /coverage:/, "it stops before the coverage run");
  assert.match(Deno.readTextFileSync(path), /of another tree/, "the journal is untouched");
  const merge = await mutate("--files", "services/eager.ts", "--out", dir, "--merge", path);
  assert.equal(merge.code, 2, merge.stderr);
  assert.match(merge.stderr, /judged on another tree/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("--shard K/N without --journal keeps its own DIR/shard-K-of-N.jsonl, refused when stale naming what changed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-mutate-shardj-" });
  const path = `${dir}/${shardJournalName({ index: 1, count: 2 })}`;
  const { contents } = await instrumentFiles(ROOT, ["services/eager.ts"]);
  const now = await treeDigests(ROOT, contents, ["tests", "campaign"], {
    roots: judgeModuleRoots(new URL(`file://${ROOT}/`)),
    exclude: [dir, path],
  });
  // A journal of this tree but for the instrumented eager.ts and the judges run.
  const files = { ...now.files, "services/eager.ts": "0000000000000000" };
  Deno.writeTextFileSync(
    path,
    `${JSON.stringify({ fingerprint: "earlier", judges: ["campaign"], files })}\n`,
  );
  const r = await mutate("--files", "services/eager.ts", "--out", dir, "--shard", "1/2");
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /shard-1-of-2\.jsonl: judged on another tree/);
  assert.match(
    r.stderr,
    /changed: services\/eager\.ts; judges: tests,campaign \(was campaign\)/,
  );
  assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
  assert.doesNotMatch(r.stderr, /coverage:/, "it stops before the coverage run");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a shard whose journal holds every one of its mutants is reported at once, without a coverage run", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-mutate-shard-done-" });
  const path = `${dir}/${shardJournalName({ index: 1, count: 2 })}`;
  const results = await eagerResults();
  await eagerJournal(path, dir, results);
  const r = await mutate("--files", "services/eager.ts", "--out", dir, "--shard", "1/2");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /nothing to judge/);
  assert.doesNotMatch(r.stderr, /coverage:/);
  const doc = JSON.parse(r.stdout);
  const half = shardOf(results, { index: 1, count: 2 });
  assert.deepEqual(doc.results.map((x: MutantResult) => x.id), half.map((x) => x.id));
  assert.equal(doc.takenUp, half.length);
  assert.equal(readJournal(path).results.size, results.length, "the shard's journal stays");
  await Deno.remove(dir, { recursive: true });
});
