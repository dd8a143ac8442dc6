// userS29b, a README-only user:
// 1. `repro ... --trace json` (and `sim`'s) put `replaying:`, `verdict:` and the other text lines
//    on stdout among the JSON lines, so stdout could not be piped into a JSON parser. Under
//    `--trace json` stdout is the JSON lines alone, and every other line goes to stderr.
// 2. A saved (non-terminal) fuzz summary cut verdicts mid-word (`only when every page o…`): a
//    case's description now holds the verdict's first line whole, the summary cuts it only on a
//    terminal, after a whole word, and says where the whole text is.
// 3. `conformance` said nowhere how long it takes, and had no way to list the rows for --filter
//    (the user guessed `Supply`): `--list` lists them (area, id, name; --filter too), running none.
import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";
import { summaryText } from "./fuzz.ts";
import { main as conformance, USAGE as CONFORMANCE_USAGE } from "./conformance.ts";
import { ALL_CASES } from "../conformance/cases.ts";
import { toEnvelope } from "../case/investigate.ts";
import { SCENARIO_KIND } from "../case/kinds.ts";
import { runCampaign } from "../fuzz/orchestrate.ts";
import type { Verdict } from "../sim/world.ts";

const root = new URL("../", import.meta.url).pathname;

Deno.test("repro --trace json: stdout is JSON lines alone, the text lines are on stderr", async () => {
  const r = await denoOutput([
    "run",
    "-A",
    "cli/repro.ts",
    "corpus/fxfs-no-page-in-barrier.json",
    "--trace",
    "json",
  ]);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split("\n").filter((l) => l !== "");
  // Every line parses: the legend first, then one object per event.
  const docs = lines.map((l, i) => {
    try {
      return JSON.parse(l);
    } catch (e) {
      throw new Error(`stdout line ${i + 1} is not JSON (${(e as Error).message}): ${l}`);
    }
  });
  assert.ok(docs.length > 10, r.out);
  assert.ok(Array.isArray(docs[0].threads), lines[0]);
  assert.ok(docs.slice(1).every((d) => typeof d.step === "number" && typeof d.text === "string"));
  // The human lines are all still printed, on stderr.
  for (const head of ["replaying: ", "verdict: ", "replay: ", "expected: ", "trace-hash: "]) {
    assert.match(r.err, new RegExp(`^${head}`, "m"), `${head} on stderr`);
  }
});

// userS29b's verdict (fuzz_kernel_scen.log), 330 characters.
const MESSAGE = "resolve-count: vmo1005 READ request #2 [4,5) completed at step 7 by t1 " +
  "zx_pager_supply_pages(0x30, 0x60, 0x80, 0x80, 0xa0, 0x0) with 0 of its 1 pages filled since " +
  "it was made: a request completes, waking its waiters, only when every page of its range was " +
  "supplied (or failed) since it was made (K28 judges one owed and not made)";

Deno.test("a case's description holds the verdict whole; the fuzz summary cuts it only on a terminal, at a word", async () => {
  const verdict = {
    kind: "invariant",
    invariant: "single-supply",
    message: MESSAGE,
    step: 7,
  } as unknown as Verdict;
  const c = toEnvelope(
    SCENARIO_KIND,
    {} as never,
    1,
    {
      verdict,
      decisions: [],
      traceHash: "0",
    },
    { checkers: "kernel", found: { by: "fuzz", campaignSeed: 1, run: 288 } },
    "invariant:single-supply",
  );
  const description = `found by fuzz campaign 1, run 288: invariant:single-supply (${MESSAGE})`;
  assert.equal(c.description, description);

  const s = await runCampaign({
    seed: 1,
    workers: 1,
    seconds: null,
    runs: 1,
    servicePath: null,
    kernelPath: `${root}fuzz/testdata/variant_kernel.ts`,
    known: [],
    maxShrink: 5,
    checkers: "kernel",
    modules: {},
    persist: () => Promise.resolve("(not written)"),
    progress: () => {},
    progressEvery: 60,
  });
  const file = "corpus_v1/invariant-single-supply-my-kernel-a5b16b60.json";
  const withFinding = {
    ...s,
    findings: [{
      signature: "invariant:single-supply",
      k: 288,
      file,
      replay: `deno task repro ${file}`,
      size: { from: 21, to: 4 },
      shrunk: true,
      shrinkCut: false,
      unconfirmed: false,
      decisions: 0,
      shrunkFrom: 10,
      occurrences: 2,
      description,
      shrunkFailure: `invariant:single-supply (${MESSAGE})`,
      runReplay: "deno task repro --campaign 1 --run 288 --kernel my_kernel.ts",
    }],
  };
  // Saved to a file: every word of it.
  const saved = summaryText(withFinding).split("\n");
  assert.ok(saved.includes(`    ${description}`), saved.join("\n"));
  assert.ok(saved.includes(`    the shrunk case fails: invariant:single-supply (${MESSAGE})`));
  assert.ok(!saved.some((l) => l.includes("…")), saved.join("\n"));
  // On a terminal: cut after a whole word, and the line says where the whole text is.
  const shown = summaryText(withFinding, { terminal: true }).split("\n");
  const found = shown.find((l) => l.startsWith("    found by fuzz campaign 1, run 288: "));
  assert.ok(found !== undefined, shown.join("\n"));
  const [cut, where] = found.split("…");
  assert.ok(description.startsWith(cut.trimStart()), found);
  assert.equal(description[cut.trimStart().length], " ", `cut inside a word: ${found}`);
  // Run 288's own failure: the case file holds the shrunk run's (userS29c: the pointer named the
  // file, whose description was another run's text), so the line that replays run 288.
  assert.equal(
    where,
    " [cut to fit: deno task repro --campaign 1 --run 288 --kernel my_kernel.ts prints it whole]",
  );
  const shrunk = shown.find((l) => l.startsWith("    the shrunk case fails: "));
  assert.match(shrunk ?? "", /[a-z)]… \[cut to fit: the whole text is the description in /);
});

/** What `f` prints with console.log. */
async function printed(f: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(" "));
  try {
    await f();
  } finally {
    console.log = log;
  }
  return lines;
}

Deno.test("conformance --list lists the rows --filter selects, area, id and name, and runs none", async () => {
  let code = -1;
  const all = await printed(async () => code = await conformance(["--list"]));
  assert.equal(code, 0);
  assert.equal(all.length, 1 + ALL_CASES.length);
  assert.match(all[0], /^conformance: \d+ rows \(\d+ skipped\), by area; --filter S runs/);
  assert.ok(
    all.some((l) => /^read-fault +P1 SinglePageTestVmar$/.test(l)),
    all.slice(0, 4).join("\n"),
  );
  assert.ok(all.some((l) => /^skipped-upstream +SX1 ResizeSnapshotRace {2}\(skipped\)$/.test(l)));
  assert.ok(!all.some((l) => /^\s*(PASS|FAIL) /.test(l)), "nothing is run");
  const supply = await printed(() => conformance(["--list", "--filter", "Supply"]));
  assert.equal(
    supply.length,
    1 + ALL_CASES.filter((c) => `${c.id} ${c.name}`.includes("Supply")).length,
  );
  assert.match(supply[0], /^conformance: 20 rows whose "id name" holds "Supply"/);
  assert.ok(supply.slice(1).every((l) => l.includes("Supply")), supply.join("\n"));
  // The help says how long a run takes.
  assert.match(
    CONFORMANCE_USAGE,
    /How long \(all \d+ rows, each under 5 seeds\): on the model about/,
  );
  assert.match(CONFORMANCE_USAGE, /--list shows the rows/);
});
