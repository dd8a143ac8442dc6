// trial37 wrote a read-ahead chunk pager from the README alone (trial37/ of branch trial37) and
// reported what the commands told it badly (its TRIAL.md). Each test is one of its reports.
import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";
import { pagersimCopy } from "./_tree_copy.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const DATA = "cli/testdata/trial37";

Deno.test("a truncated scenario file is named at line and column, as a truncated case is (F9)", async () => {
  // Was: `not valid JSON: Unexpected token ']', ..."es": 1 }, ] " is not valid JSON`, no place;
  // V8 names none for an unexpected token, where a truncated case got `(line 6 column 8)`.
  const file = `${DATA}/badcases/truncated.json`;
  const expected = `error: ${file}: not valid JSON: Unexpected token ']', ..."es": 1 }, ] " ` +
    `is not valid JSON (line 4 column 94)\n`;
  const sim = await denoOutput([
    "run",
    "--allow-run=deno",
    "--allow-read",
    "--allow-env=INIT_CWD",
    "cli/sim.ts",
    "--scenario",
    file,
  ], ROOT);
  assert.equal(sim.code, 2, sim.out + sim.err);
  assert.equal(sim.err, expected);
  const explore = await denoOutput([
    "run",
    "--allow-run=deno",
    "--allow-read",
    "--allow-write",
    "--allow-env=INIT_CWD",
    "cli/explore.ts",
    "--scenario",
    file,
    "--service",
    `${DATA}/chunk_pager.ts`,
    "--preemptions",
    "0",
  ], ROOT);
  assert.equal(explore.code, 2, explore.out + explore.err);
  assert.equal(explore.err, expected);
});

Deno.test("--contract-json and a corpus's bad file are named at their place too (F9)", async () => {
  const contract = await denoOutput([
    "run",
    "--allow-run=deno",
    "--allow-read",
    "--allow-env=INIT_CWD",
    "cli/sim.ts",
    "--service",
    `${DATA}/chunk_pager.ts`,
    "--contract-json",
    '{"threads": {"min": 2, "max": ]}}',
  ], ROOT);
  assert.equal(contract.code, 2, contract.out + contract.err);
  assert.match(contract.err, /^error: --contract-json: not valid JSON: .* \(line 1 column 31\)\n$/);
  const dir = await Deno.makeTempDir({ prefix: "pagersim-trial37-" });
  try {
    await Deno.copyFile(`${ROOT}${DATA}/badcases/truncated.json`, `${dir}/truncated.json`);
    const list = await denoOutput([
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env=INIT_CWD",
      "cli/corpus.ts",
      "list",
      dir,
    ], ROOT);
    assert.equal(list.code, 1, list.out + list.err);
    assert.match(list.out + list.err, /truncated\.json: not valid JSON: .* \(line 4 column 94\)/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the README's other-project test task runs a guarded property's cases in a child process it kills at a hang (F7)", async () => {
  // Was `"test": "deno test --allow-read"`: the guarded property ran its cases in the test's own
  // process, where a hang's two threads spun on (trial37's next test: 25 s instead of 7 s).
  const readme = await Deno.readTextFile(`${ROOT}README.md`);
  const block = /```jsonc\n\/\/ your-project\/deno\.json[^\n]*\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block !== undefined, "README shows another project's deno.json");
  const checkout = ROOT.replace(/\/$/, "");
  const dir = await Deno.makeTempDir({ prefix: "pagersim-trial37-" });
  try {
    await Deno.writeTextFile(`${dir}/deno.json`, block.replaceAll("../pagersim", checkout));
    await Deno.writeTextFile(
      `${dir}/spins.ts`,
      // The blocking twin of trial35's spinning service: the same hang, no core burned.
      (await Deno.readTextFile(`${ROOT}properties/testdata/blocks.ts`))
        .replace('"../../mod.ts"', '"pagersim"'),
    );
    await Deno.writeTextFile(
      `${dir}/spins_test.ts`,
      `import fc from "fast-check";
import { checkersOf, guardedPagerProperty } from "pagersim";
import spins from "./spins.ts";
Deno.test("hang", async () => {
  await fc.assert(
    guardedPagerProperty(checkersOf("kernel+service"), {
      scenario: { services: [], customServices: ["mine"] },
      services: { mine: spins },
      serviceModule: new URL("./spins.ts", import.meta.url),
      runTimeout: 1,
      confirmTimeout: 2,
    }),
    { numRuns: 50, seed: 1 },
  );
});
`,
    );
    const test = await denoOutput(
      ["task", "test", "--no-check", "spins_test.ts"],
      dir,
      { NO_COLOR: "1" },
    );
    const text = test.out + test.err;
    assert.equal(test.code, 1, text);
    assert.match(text, /^signature: service-hang: no yield$/m, text);
    assert.match(
      text,
      /the worker threads that never yielded \(the run's and its confirmation run's\) ended with the child process that ran them, killed$/m,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * A copy of pagersim's code and deno.json in a temporary folder, with trial37's first service in a
 * user's folder `myfs/` (as cli/trial36_test.ts makes one: CI lets a test write only to corpus/
 * and /tmp), and an empty `corpus/` of pagersim's own.
 */
async function treeWithUserFolder(): Promise<string> {
  const dir = await pagersimCopy();
  await Deno.mkdir(`${dir}/corpus`);
  await Deno.mkdir(`${dir}/myfs`);
  await Deno.writeTextFile(
    `${dir}/myfs/chunk_pager.ts`,
    (await Deno.readTextFile(`${ROOT}${DATA}/myfs/chunk_pager.ts`)).replaceAll(
      "../../../../",
      "../",
    ),
  );
  return dir;
}

Deno.test("a campaign on a user's service in pagersim's tree says where its case went and how to keep it in the user's folder (F3)", async () => {
  // Was: the case went to pagersim's own corpus/, which pagersim's deno task test replays, with
  // no word (two went stale there when trial37 edited its service). The default stays; one hint.
  const dir = await treeWithUserFolder();
  try {
    const fuzz = (corpus: string[]) =>
      denoOutput(
        [
          "run",
          "--allow-run=deno",
          "--allow-read",
          "--allow-write",
          "--allow-env=INIT_CWD",
          "cli/fuzz.ts",
          "--service",
          "myfs/chunk_pager.ts",
          "--runs",
          "10",
          "--seed",
          "1",
          "--workers",
          "1",
          ...corpus,
        ],
        dir,
        { NO_COLOR: "1" },
      );
    const own = await fuzz([]);
    assert.equal(own.code, 1, own.out + own.err);
    const written = [...Deno.readDirSync(`${dir}/corpus`)].map((e) => e.name);
    assert.equal(written.length, 1, written.join(", "));
    const hints = own.out.split("\n").filter((l) => l.startsWith("hint: "));
    assert.deepEqual(hints, [
      "hint: corpus is pagersim's own corpus, which its deno task test replays; keep the cases " +
      "of myfs/chunk_pager.ts in a folder of yours with --corpus myfs/corpus, and replay them " +
      'in your own test (README, "Writing your own pager service": Where its findings go)',
    ]);
    // The hint's own command: the case goes there, and no hint.
    const mine = await fuzz(["--corpus", "myfs/corpus"]);
    assert.equal(mine.code, 1, mine.out + mine.err);
    assert.equal([...Deno.readDirSync(`${dir}/myfs/corpus`)].length, 1);
    assert.doesNotMatch(mine.out + mine.err, /^hint: /m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the hint is for a user's folder of pagersim's tree and pagersim's corpus only (F3)", async () => {
  const { ownCorpusHint } = await import("./_corpus_hint.ts");
  const root = ROOT.replace(/\/$/, "");
  assert.match(ownCorpusHint("corpus", "myfs/pager.ts") ?? "", /--corpus myfs\/corpus,/);
  assert.match(ownCorpusHint(`${root}/corpus`, "pager.ts") ?? "", /--corpus my-corpus,/);
  // pagersim's own services and its examples (corpus/ keeps their cases on purpose).
  assert.equal(ownCorpusHint("corpus", "examples/testdata/blob_pager.ts"), null);
  assert.equal(ownCorpusHint("corpus", "services/pool.ts"), null);
  assert.equal(ownCorpusHint("corpus", "properties/testdata/trial35/spins.ts"), null);
  // Another corpus, or a service outside the tree (another project's corpus/ is its own).
  assert.equal(ownCorpusHint("myfs/corpus", "myfs/pager.ts"), null);
  assert.equal(ownCorpusHint("corpus", "/elsewhere/pager.ts"), null);
  assert.equal(ownCorpusHint("corpus", null), null);
});
