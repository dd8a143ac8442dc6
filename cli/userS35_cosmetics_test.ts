// trial35's cosmetic frictions, each pinned: #7 a JSON error quoted the file's raw newline (the
// message split over two lines in repro's error and fuzz's corpus warning); #8 the lint of a
// generator yielded without the star suggested `yield* sys.vmoGetSize(h)` for the user's
// `yield sys.portWait(...)`; #9 explore's `next:` line advised `--max-executions N` to a search
// run with `--max-executions 3000`; #10 an accepted case keeps its failure's file name, unsaid;
// #6 fuzz's corpus warning skipped a case whose service module is missing; #4 explore's shrink
// note said "shrunk" of no change, and of a run that got longer.
import { strict as assert } from "node:assert";
import { CaseFileError, jsonErrorText, readCorpus, readJsonFile } from "../case/store.ts";
import { formatFinding } from "../quality/determinism_lint.ts";
import { nextBoundEstimate, nextBoundLine } from "./_explore_estimate.ts";
import { denoOutput } from "./_deno_output.ts";
import { shrinkHeadline } from "./explore.ts";

Deno.test("#7: a JSON parse error quoting a raw newline is said on one line", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/garbage.json`, "not json {\n");
    const { errors } = await readCorpus(dir);
    assert.equal(errors.length, 1);
    assert.doesNotMatch(errors[0].message, /\n/);
    assert.match(errors[0].message, /^not valid JSON: .*"not json \{\\n"/);
    await assert.rejects(() => readJsonFile(`${dir}/garbage.json`, CaseFileError), (e: Error) => {
      assert.doesNotMatch(e.message, /\n/);
      assert.match(e.message, /garbage\.json: not valid JSON: .*\{\\n"/);
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert.equal(jsonErrorText(new Error("a\tb\r\u0001")), "a\\tb\\r\\u0001");
});

Deno.test("#8: a generator yielded without the star is told to yield* that same call", () => {
  const line = formatFinding({
    file: "nostar.ts",
    line: 4,
    column: 3,
    category: "yieldedGenerator",
    name: "yield sys.portWait(...)",
    via: null,
  });
  assert.match(line, /instead yield\* it: `yield\* sys\.portWait\(\.\.\.\)` runs the call;/);
  assert.doesNotMatch(line, /vmoGetSize/);
});

Deno.test("#9: under --max-executions the next: line's hint is a lower limit, not the flag again", () => {
  const e = nextBoundEstimate([{ bound: 0, executions: 1434 }])!;
  const limited = nextBoundLine(e, 130, 3000);
  assert.match(limited, /the --max-executions limit stops it after 3000 more/);
  assert.match(limited, /to cut it: .*a lower --max-executions/);
  assert.doesNotMatch(limited, /--max-executions N/);
  assert.match(nextBoundLine(e, 130, undefined), /--max-executions N \(stops there/);
});

const root = new URL("../", import.meta.url).pathname;

Deno.test("#10: corpus accept says the file keeps the name of the failure it was found as", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-accept-name-" });
  try {
    const c = JSON.parse(await Deno.readTextFile(`${root}corpus/zoo-duplicate-read.json`));
    const file = `${dir}/invariant-data-integrity-1234abcd.json`;
    await Deno.writeTextFile(
      file,
      JSON.stringify({
        ...c,
        expected: "invariant:data-integrity",
        signature: "invariant:data-integrity",
      }),
    );
    const accept = () =>
      denoOutput(["run", "--allow-read", "--allow-write", "cli/corpus.ts", "accept", file], root);
    const o = await accept();
    assert.equal(o.code, 0, o.out + o.err);
    assert.match(
      o.out,
      /\n {2}note: the file keeps its name, invariant-data-integrity-1234abcd\.json, made from the failure it was found as; nothing reads the name: rename it/,
    );
    // Accepted again as it now stands: nothing re-recorded, nothing to say of the name.
    const again = await accept();
    assert.doesNotMatch(again.out, /keeps its name/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("#6: fuzz's corpus warning names a case whose service module is missing, as corpus list does", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-missing-service-" });
  try {
    // Its service is `../nonexistent.ts`: not there (outside the project, from a temporary folder).
    await Deno.copyFile(
      `${root}case/testdata/userS23/corpus_bad/bad_service.json`,
      `${dir}/missing_service.json`,
    );
    const o = await denoOutput(
      ["run", "-A", "cli/fuzz.ts", "--runs", "1", "--seed", "1", "--workers", "1", "--corpus", dir],
      root,
    );
    assert.equal(o.code, 0, o.out + o.err);
    assert.match(
      o.err,
      /warning: 1 file\(s\) of .* are not valid cases .*\n {2}.*missing_service\.json: cannot replay: .*\.\.\/nonexistent\.ts/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("#4: explore's shrink note says when nothing shrank, and when steps grew", () => {
  const was = { steps: 21, decisions: 14 };
  assert.equal(shrinkHeadline(was, was, false), "not shrunk (no smaller case failed alike)");
  assert.match(
    shrinkHeadline({ steps: 20, decisions: 18 }, { steps: 22, decisions: 0 }, false),
    /^shrunk to fewer decisions \(more steps: /,
  );
  assert.equal(shrinkHeadline(was, { steps: 12, decisions: 3 }, false), "shrunk");
  assert.equal(shrinkHeadline(was, was, true), "shrunk"); // the scenario was cut
});
