// A corpus that cannot be written loses no finding, as a user meets it (the commands spawned as
// run): a path that is a file (or under one) is refused at the start by fuzz and explore, before
// any run; a missing parent is created; a folder the process may not write in (a read-only
// corpus: here by Deno's permissions, since the tests may run as root, whom no mode bit stops)
// is said at the start; and a corpus that goes away in the middle of a campaign, with no
// temporary folder to fall back on either, still gets each finding printed with a replay line
// that needs no file, exit 1, no stack trace. Before: a file path cost explore its whole search,
// and a read-only corpus was said only when the first finding came.
import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";
import { slowReplayCampaign, spawnActing } from "../fuzz/testdata/fuzz_cli.ts";

const root = new URL("../", import.meta.url).pathname;
const FUZZ = ["run", "--v8-flags=--single-threaded-gc", "-A", "cli/fuzz.ts"];
const EXPLORE = [
  "cli/explore.ts",
  "--scenario",
  "explore/testdata/coalesce_two_readers.json",
  "--preemptions",
  "0",
  "--service",
  "explore/testdata/forgetful_service.ts",
  "--workers",
  "1",
];

/** No stack trace: no `    at file:...` frame. */
function assertNoStack(text: string): void {
  assert.doesNotMatch(text, /^\s+at .*:\d+:\d+\)?$/m, text);
}

/** Runs a printed `deno task repro ...` line (no quoted words) and returns its output. */
async function runReplay(line: string): Promise<{ code: number; out: string; err: string }> {
  const w = line.split(" ");
  assert.deepEqual(w.slice(0, 3), ["deno", "task", "repro"], line);
  return await denoOutput(["run", "--allow-read", "cli/repro.ts", ...w.slice(3)], root);
}

Deno.test("a --corpus that is a file, or under one: fuzz and explore refuse it before any run", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-corpus-file-" });
  try {
    await Deno.writeTextFile(`${dir}/file`, "");
    for (const corpus of [`${dir}/file`, `${dir}/file/sub`]) {
      for (const args of [[...FUZZ, "--runs", "1", "--workers", "1"], ["run", "-A", ...EXPLORE]]) {
        const r = await denoOutput([...args, "--corpus", corpus], root);
        const what = `${args.at(-1)} --corpus ${corpus}`;
        assert.equal(r.code, 2, `${what}: ${r.out}${r.err}`);
        assert.match(
          r.err,
          /^error: --corpus \S+: (\S+ is|cannot create \S+: \S+ is) a file, not a folder$/m,
        );
        assert.equal(r.out, "", `${what}: nothing ran`);
        assertNoStack(r.err);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a read-only --corpus is said at the start (fuzz: where its findings go; explore: the line that needs no file); a missing parent is created", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-corpus-ro-" });
  const tmp = await Deno.makeTempDir({ prefix: "pagersim-tmpdir-" });
  try {
    const ro = `${dir}/ro`;
    await Deno.mkdir(ro);
    // The corpus is read-only to the command: it may write only under TMPDIR.
    const fuzz = await denoOutput(
      [
        "run",
        "--allow-read",
        `--allow-write=${tmp}`,
        "--allow-env=INIT_CWD",
        "cli/fuzz.ts",
        "--runs",
        "1",
        "--workers",
        "1",
        "--corpus",
        ro,
      ],
      root,
      { TMPDIR: tmp },
    );
    assert.equal(fuzz.code, 0, fuzz.out + fuzz.err);
    const warned = new RegExp(
      `^warning: --corpus ${ro}: cannot write in ${ro}: .*: this campaign's findings go to ` +
        `${tmp}/pagersim-findings-\\S+ instead`,
      "m",
    );
    assert.match(fuzz.err, warned);
    const explore = await denoOutput(
      ["run", "--allow-read", `--allow-write=${tmp}`, ...EXPLORE, "--corpus", ro],
      root,
    );
    assert.equal(explore.code, 1, explore.out + explore.err);
    // Said before the search: the warning is stderr's first line, before the header on stdout.
    assert.match(
      explore.err.split("\n")[0],
      new RegExp(`^warning: --corpus ${ro}: cannot write in ${ro}: .*needs no file$`),
    );
    const line = /^replay: (.+)$/m.exec(explore.out)?.[1];
    assert.ok(line !== undefined && line.includes("--decisions"), explore.out);
    const rep = await runReplay(line);
    assert.equal(rep.code, 1, rep.out + rep.err); // a failing run replayed: exit 1
    assert.match(rep.out, /^signature: invariant:answers-every-read$/m);
    // The trace hash, which no case file records here, printed with the replay line: repro's
    // last line prints the same (trial32 finding 12: explore printed none to compare).
    const hash = /^trace-hash: ([0-9a-f]{16}) \(the replay line above ends with the same one\)$/m
      .exec(explore.out)?.[1];
    assert.ok(hash !== undefined, explore.out);
    assert.match(rep.out, new RegExp(`^trace-hash: ${hash}$`, "m"));
    assert.deepEqual([...Deno.readDirSync(ro)], [], "nothing written to the read-only corpus");
    // A missing parent: created, with the corpus.
    const deep = `${dir}/a/b/corpus`;
    const created = await denoOutput([...FUZZ, "--runs", "1", "--workers", "1", "--corpus", deep]);
    assert.equal(created.code, 0, created.out + created.err);
    assert.ok(Deno.statSync(deep).isDirectory);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("a read-only --corpus and no temporary folder: a program campaign does not start; a scenario campaign says its findings get --campaign lines", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-corpus-nowhere-" });
  try {
    await Deno.mkdir(`${dir}/ro/programs`, { recursive: true });
    await Deno.writeTextFile(`${dir}/tmpfile`, "");
    const fuzz = (flags: string[]) =>
      denoOutput(
        [
          "run",
          "--allow-read",
          `--allow-write=${dir}/tmpfile`, // neither the corpus nor TMPDIR, a file, takes a folder
          "--allow-env=INIT_CWD",
          "cli/fuzz.ts",
          ...flags,
          "--runs",
          "1",
          "--workers",
          "1",
          "--corpus",
          `${dir}/ro`,
        ],
        root,
        { TMPDIR: `${dir}/tmpfile` },
      );
    const programs = await fuzz(["--mode", "programs"]);
    assert.equal(programs.code, 2, programs.out + programs.err);
    assert.equal(programs.out, "", "no campaign ran");
    assert.match(
      programs.err,
      /^error: --corpus \S+: cannot write in \S+\/programs: .*, nor can a temporary folder be made \(.*\): a program run replays only from its case file, so no campaign runs$/m,
    );
    assertNoStack(programs.err);
    const scenarios = await fuzz([]);
    assert.equal(scenarios.code, 0, scenarios.out + scenarios.err);
    assert.match(
      scenarios.err.split("\n")[0],
      /^warning: --corpus \S+: cannot write in \S+: .*, nor can a temporary folder be made .*--campaign S --run K line, which needs no file$/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "a corpus that becomes unwritable mid-campaign, with no temporary folder either: each finding is printed with its --campaign/--run replay, exit 1, no stack trace",
  ignore: Deno.permissions.querySync({ name: "run" }).state !== "granted",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "pagersim-corpus-gone-" });
    const corpus = `${dir}/corpus`;
    await Deno.mkdir(corpus);
    await Deno.writeTextFile(`${dir}/tmpfile`, "");
    try {
      // Its service drops every READ and, loaded anew to investigate a failing run, says so and
      // waits 3 s before the case is written: the corpus is swapped for a file in that window.
      const { out: text, err, status, acted: swapped } = await spawnActing(
        slowReplayCampaign(corpus, ["--runs", "10"]),
        "stderr",
        (text) => text.includes("slow_replay_service: investigating"),
        async () => {
          await Deno.remove(corpus, { recursive: true });
          await Deno.writeTextFile(corpus, "");
        },
        { TMPDIR: `${dir}/tmpfile` }, // no temporary folder can be made there
      );
      assert.ok(swapped, err);
      assert.equal(status.code, 1, text + err);
      assertNoStack(err);
      assertNoStack(text);
      const found = /^new failure (\S+) \(run (\d+)\), not written \((.*)\): replay: (.+)$/m
        .exec(text);
      assert.ok(found !== null, text);
      const [, signature, k, why, line] = found;
      assert.equal(signature, "invariant:answers-every-read");
      assert.match(why, /^writing \S+\/corpus: .*; nor in a temporary folder: /);
      assert.equal(
        line,
        `deno task repro --campaign 1 --run ${k} --service fuzz/testdata/slow_replay_service.ts ` +
          "--checkers kernel+service",
      );
      // The summary gives the same line, and it replays the failure without any file.
      assert.equal(/^ {4}replay: (.+)$/m.exec(text)?.[1], line, text);
      assert.match(text, /^error: writing invariant:answers-every-read \(run \d+, unshrunk\): /m);
      const rep = await runReplay(line);
      assert.equal(rep.code, 1, rep.out + rep.err);
      assert.match(rep.out, /^signature: invariant:answers-every-read$/m);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
