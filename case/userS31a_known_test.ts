// userS31a: after `corpus accept` re-recorded a fixed case (it then expected pass and kept the
// fixed failure's signature), a campaign that met that failure again printed "known case: deno
// task repro corpus/<that case>" and "new distinct failures 0": the failure was neither written
// nor shrunk. A case that expects pass makes no failure known, and holds no failure's place.
import { strict as assert } from "node:assert";
import { findingKey, knownCases, moduleRef, readCaseFile, writeCaseOutcome } from "./store.ts";

const DATA = new URL("./testdata/userS31a/", import.meta.url).pathname;
const CORPUS = `${DATA}corpus`;
const ACCEPTED = `${CORPUS}/invariant-answers-every-read-blob-pager-d1bd25bc.json`;

Deno.test("userS31a: a case that expects pass (a fix accept re-recorded) makes no failure known", async () => {
  const c = await readCaseFile(ACCEPTED);
  // The file as the trial's `corpus accept` left it: pass, under the fixed failure's signature.
  assert.equal(c.expected, "pass");
  assert.equal(c.signature, "invariant:answers-every-read");
  // The context as `deno task fuzz --service blob_pager.ts` gives it (cli/fuzz.ts).
  const service = await moduleRef(`${DATA}blob_pager.ts`, CORPUS);
  const known = await knownCases(CORPUS, { bug: null, service, checkers: "kernel+service" });
  assert.equal(known.size, 0, [...known].join(", "));
  assert.equal((await knownCases(CORPUS)).size, 0);
});

Deno.test("userS31a: a failure is written beside a passing case of its signature, not dropped as that finding", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-s31a-" });
  try {
    await Deno.copyFile(ACCEPTED, `${dir}/${ACCEPTED.split("/").pop()}`);
    const pass = await readCaseFile(ACCEPTED);
    // The same failure found again (the same size: the tie goes to the lower trace hash, the
    // passing case's): before, it was "the same finding" and the passing case stayed.
    const failure = {
      ...pass,
      expected: "invariant:answers-every-read",
      traceHash: "f000000000000000",
    };
    // `corpus merge` keeps one case per finding key: the failure is not the passing case's.
    assert.notEqual(findingKey(failure), findingKey(pass));
    const out = await writeCaseOutcome(dir, failure);
    assert.ok(out.written, `not written: ${out.path} holds it`);
    assert.equal((await readCaseFile(out.path)).expected, "invariant:answers-every-read");
    assert.equal((await readCaseFile(ACCEPTED)).expected, "pass");
    assert.equal((await knownCases(dir)).get("invariant:answers-every-read"), out.path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
