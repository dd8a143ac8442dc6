import { strict as assert } from "node:assert";
import { ANY_FILE, countKills, FIRST, loadRank, rankProbes } from "./probe_rank.ts";
import type { JudgeResult, MutantResult } from "./report.ts";

type R = Pick<MutantResult, "key" | "fileName" | "judges">;
const kill = (probe: string, status: JudgeResult["status"] = "killed"): JudgeResult => ({
  status,
  killedBy: { probe, reason: "r" },
  ran: 1,
  ms: 1,
});

Deno.test("countKills counts each key's latest killer per file and over all files, not loads, limits or skipped keys", () => {
  const results: R[] = [
    { key: "k1", fileName: "kernel/a.ts", judges: { campaign: kill("run:3") } },
    // A later journal judged k1 again: its killer is the one counted.
    { key: "k1", fileName: "kernel/a.ts", judges: { campaign: kill("program:7") } },
    {
      key: "k2",
      fileName: "kernel/b.ts",
      judges: { campaign: kill("program:7"), tests: kill("kernel/x_test.ts::t::step 2") },
    },
    { key: "k3", fileName: "kernel/b.ts", judges: { campaign: kill("module load") } },
    { key: "k4", fileName: "kernel/b.ts", judges: { campaign: kill("time limit", "timeout") } },
    { key: "k5", fileName: "kernel/b.ts", judges: { campaign: kill("run:9") } },
  ];
  const r = countKills(results, ["x.jsonl"], new Set(["k5"]));
  assert.deepEqual(r.judges.campaign, {
    "kernel/a.ts": { "program:7": 1 },
    "kernel/b.ts": { "program:7": 1 },
    [ANY_FILE]: { "program:7": 2 },
  });
  // A step's kill counts for its test.
  assert.deepEqual(r.judges.tests[ANY_FILE], { "kernel/x_test.ts::t": 1 });
  assert.deepEqual(r.from, ["x.jsonl"]);
});

Deno.test("rankProbes puts the file's killers first, then any file's, then the fixed order; a test's steps keep with it", () => {
  const rank = {
    from: [],
    judges: {
      tests: { "kernel/a.ts": { "f_test.ts::late": 3 }, [ANY_FILE]: { "f_test.ts::late": 3 } },
      campaign: {
        "kernel/a.ts": { "run:9": 1 },
        [ANY_FILE]: { "run:9": 1, "program:2": 5, "run:4": 5 },
      },
    },
  };
  const fixed = ["run:1", "run:4", "run:9", "program:2", "program:3"];
  assert.deepEqual(rankProbes(rank, "campaign", "kernel/a.ts", fixed), [
    "run:9",
    "run:4",
    "program:2",
    "run:1",
    "program:3",
  ]);
  // Another file has no kills of its own: any file's order, ties as fixed.
  assert.deepEqual(rankProbes(rank, "campaign", "kernel/z.ts", fixed), [
    "run:4",
    "program:2",
    "run:9",
    "run:1",
    "program:3",
  ]);
  const tests = [
    "f_test.ts::early",
    "f_test.ts::early::s1",
    "f_test.ts::late::s1",
    "f_test.ts::late::s2",
  ];
  assert.deepEqual(rankProbes(rank, "tests", "kernel/a.ts", tests), [
    "f_test.ts::late::s1",
    "f_test.ts::late::s2",
    "f_test.ts::early",
    "f_test.ts::early::s1",
  ]);
  // The same probes, reordered: none added or lost.
  assert.deepEqual(
    [...rankProbes(rank, "campaign", "kernel/a.ts", fixed)].sort(),
    [...fixed].sort(),
  );
});

Deno.test("the committed ranking holds kills of both judges, counted from committed journals", () => {
  const root = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
  const rank = loadRank(root);
  assert.ok(rank.from.length > 0);
  for (const f of rank.from) assert.ok(Deno.statSync(`${root}/${f}`).isFile, f);
  for (const judge of ["tests", "campaign"] as const) {
    const any = rank.judges[judge][ANY_FILE];
    const total = Object.values(any).reduce((a, b) => a + b, 0);
    assert.ok(total > 100, `${judge}: ${total} kills`);
  }
});

Deno.test("deno task mutate --order takes fixed or ranked only: a clear error, no stack trace", async () => {
  const root = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli/mutate.ts", "--order", "random"],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 2, err);
  assert.match(err, /--order/);
  assert.match(err, /ranked/);
  assert.doesNotMatch(err, /^\s+at /m);
});

Deno.test("rankProbes puts the probes FIRST names for a file before its ranking, for the campaign judge only", () => {
  const rank = {
    from: [],
    judges: { tests: {}, campaign: { [ANY_FILE]: { "run:1": 9 } } },
  };
  const [a] = FIRST["kernel/kernel.ts"];
  const b = "run:3";
  const fixed = ["run:1", b, "run:2", a];
  assert.deepEqual(rankProbes(rank, "campaign", "kernel/kernel.ts", fixed), [
    a,
    "run:1",
    b,
    "run:2",
  ]);
  // Another file's mutants meet them where the ranking puts them.
  assert.deepEqual(rankProbes(rank, "campaign", "kernel/port.ts", fixed), ["run:1", b, "run:2", a]);
  // A probe FIRST names that does not reach the mutant is not added.
  assert.deepEqual(rankProbes(rank, "campaign", "kernel/kernel.ts", ["run:2", b]), ["run:2", b]);
});
