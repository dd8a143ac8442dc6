// Two `deno task fuzz` campaigns writing one --corpus folder at once, as a user starts them (two
// processes; fuzz/corpus_stress_test.ts and case/store_test.ts race writeCase itself): with the
// same seed (the same finding, the same case, written by both) and with different seeds (the
// same finding shrunk to different cases), and into a corpus whose file of that finding's name
// holds a different case. No case file may be torn, lost or overwritten by a different case;
// `corpus list` and `corpus merge` of the result must be valid.
import { strict as assert } from "node:assert";
import { findingKey, readCaseFile, readCorpus } from "../case/store.ts";
import type { CampaignSummary } from "./orchestrate.ts";
import { FUZZ, run, summaryOf } from "./testdata/fuzz_cli.ts";
import { NIGHTLY } from "../tools/nightly.ts";

const SERVICE = "fuzz/testdata/lossy_service.ts";

/** Campaigns of `seeds` into `dir` at once; their summaries, each checked for a clean end. */
async function twoAtOnce(dir: string, seeds: number[]): Promise<CampaignSummary[]> {
  const campaign = (seed: number) =>
    run([
      ...FUZZ,
      "--service",
      SERVICE,
      "--seed",
      String(seed),
      "--workers",
      "1",
      "--runs",
      "40",
      "--max-shrink",
      "30",
      "--corpus",
      dir,
      "--json",
    ]);
  const results = await Promise.all(seeds.map(campaign));
  return results.map((r, i) => {
    assert.equal(r.code, 1, `seed ${seeds[i]}: ${r.err}`);
    assert.doesNotMatch(r.err, /^error|^\s+at /m, r.err);
    const s = summaryOf(r.out);
    assert.deepEqual(s.errors, [], `seed ${seeds[i]}`);
    assert.ok(s.findings.length > 0, `seed ${seeds[i]} found nothing`);
    return s;
  });
}

/**
 * Every file of `dir` is a whole, valid case (no temp file left); each finding a summary names
 * is in the file it names, a case of that same finding.
 */
async function assertIntact(dir: string, summaries: CampaignSummary[]): Promise<void> {
  const names = [...Deno.readDirSync(dir)].map((e) => e.name);
  assert.ok(names.every((n) => n.endsWith(".json")), `left over: ${names}`);
  const { cases, errors } = await readCorpus(dir);
  assert.deepEqual(errors, []);
  assert.equal(cases.length, names.length);
  for (const s of summaries) {
    for (const f of s.findings) {
      const c = await readCaseFile(f.file);
      assert.equal(c.signature, f.signature, `${f.file} holds another finding`);
      assert.equal(c.service?.path.endsWith("lossy_service.ts"), true, f.file);
    }
  }
}

/** `corpus list DIR` is clean, and `corpus merge DIR --into NEW` keeps every finding. */
async function assertListsAndMerges(dir: string): Promise<void> {
  const list = await run(["run", "-A", "cli/corpus.ts", "list", dir]);
  assert.equal(list.code, 0, list.out + list.err);
  const into = `${dir}-merged`;
  try {
    const merge = await run(["run", "-A", "cli/corpus.ts", "merge", dir, "--into", into]);
    assert.equal(merge.code, 0, merge.out + merge.err);
    const again = await run(["run", "-A", "cli/corpus.ts", "list", into]);
    assert.equal(again.code, 0, again.out + again.err);
    const keys = async (d: string) =>
      [...new Set((await readCorpus(d)).cases.map((c) => findingKey(c.case)))].sort();
    // Paths are rebased to the new folder: compare signatures and kinds.
    const bare = (ks: string[]) => ks.map((k) => k.replace(/service:\S+/, "service:*"));
    assert.deepEqual(bare(await keys(into)), bare(await keys(dir)));
  } finally {
    await Deno.remove(into, { recursive: true }).catch(() => {});
  }
}

Deno.test({
  name:
    "two fuzz processes into one corpus (same seed, other seeds, a name held by another case): nothing torn, lost or overwritten; list and merge are clean",
  ignore: Deno.permissions.querySync({ name: "run" }).state !== "granted",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "pagersim-two-" });
    try {
      // Same seed: the same finding's same case, written by both to one file (deno task test
      // samples: one campaign writes it there; deno task nightly races two for it).
      const same = await twoAtOnce(dir, NIGHTLY ? [1, 1] : [1]);
      await assertIntact(dir, same);
      for (const s of same.slice(1)) {
        assert.deepEqual(
          s.findings.map((f) => [f.signature, f.file]),
          same[0].findings.map((f) => [f.signature, f.file]),
          "one file per finding",
        );
      }
      // The finding's file now holds a different case (another finding's): the campaigns,
      // which no longer know the finding, must write beside it, never over it.
      const taken = same[0].findings[0].file;
      const other = await Deno.readTextFile("corpus/zoo-duplicate-read.json");
      await Deno.writeTextFile(taken, other);
      const seeds = await twoAtOnce(dir, [2, 3]);
      assert.equal(await Deno.readTextFile(taken), other, "the different case was overwritten");
      await assertIntact(dir, seeds);
      for (const s of seeds) {
        for (const f of s.findings) assert.notEqual(f.file, taken, JSON.stringify(f));
      }
      await assertListsAndMerges(dir);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
