import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";
import { reRecorded } from "./corpus.ts";
import { readCaseFile } from "../case/store.ts";

const root = new URL("../", import.meta.url).pathname;

/** `deno task corpus accept FILE` as the task runs it, from the project root. */
const accept = (file: string) =>
  denoOutput(["run", "--allow-read", "--allow-write", "cli/corpus.ts", "accept", file], root);

Deno.test("corpus accept of a case that still fails says so: the case then guards the failure, not a fix", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-accept-" });
  try {
    const c = JSON.parse(await Deno.readTextFile(`${root}corpus/zoo-duplicate-read.json`));
    const file = `${dir}/case.json`;
    // A recorded trace hash the replay no longer gives: accept re-records the failure.
    await Deno.writeTextFile(file, JSON.stringify({ ...c, traceHash: "0000000000000000" }));
    const o = await accept(file);
    const out = o.out + o.err;
    assert.equal(o.code, 0, out);
    assert.match(
      out,
      /re-recorded\n {2}note: it still fails: the case now expects invariant:packet-discipline/,
    );
    assert.equal(JSON.parse(await Deno.readTextFile(file)).traceHash, c.traceHash);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("corpus accept of a failure that changed shape records its signature now", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-accept-" });
  try {
    const c = JSON.parse(await Deno.readTextFile(`${root}corpus/zoo-duplicate-read.json`));
    const file = `${dir}/case.json`;
    // Recorded as another failure: accept re-records what it does now, signature included (it
    // kept the old one: a case expecting packet-discipline under data-integrity's signature).
    await Deno.writeTextFile(
      file,
      JSON.stringify({
        ...c,
        expected: "invariant:data-integrity",
        signature: "invariant:data-integrity",
      }),
    );
    const o = await accept(file);
    const out = o.out + o.err;
    assert.equal(o.code, 0, out);
    assert.match(out, /recorded invariant:data-integrity, now invariant:packet-discipline:K4/);
    const after = JSON.parse(await Deno.readTextFile(file));
    assert.equal(after.expected, c.expected);
    assert.equal(after.signature, c.signature);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// userS27k: syscall-contract's early-wake rule was the one rule of its checker cited by a word, so
// its signature named no rule (`invariant:syscall-contract`, where K14w's is
// `invariant:syscall-contract:K14w`). It is K11e now; a case recorded under the old signature is
// re-recorded by accept even though its verdict and trace hash did not change.
Deno.test("the early-wake rule signs as invariant:syscall-contract:K11e, and accept re-records a case signed before", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-accept-k11e-" });
  try {
    const c = JSON.parse(
      await Deno.readTextFile(`${root}corpus/zoo-partial-supply-no-wake.json`),
    );
    const file = `${dir}/case.json`;
    await Deno.writeTextFile(
      file,
      JSON.stringify({ ...c, signature: "invariant:syscall-contract" }),
    );
    const o = await accept(file);
    const out = o.out + o.err;
    assert.equal(o.code, 0, out);
    assert.match(
      out,
      /recorded invariant:syscall-contract, now invariant:syscall-contract:K11e: re-recorded/,
    );
    const now = JSON.parse(await Deno.readTextFile(file));
    assert.equal(now.signature, "invariant:syscall-contract:K11e");
    assert.equal(now.traceHash, c.traceHash);
    // Accepted again: nothing changed.
    assert.match((await accept(file)).out, /unchanged/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// userS31a: accept re-recorded a fixed case as pass and kept the fixed failure's signature, and a
// campaign that met that failure again called it known (nothing written, nothing shrunk). A
// committed case that expects pass records no signature (tools/migrate_corpus_test).
Deno.test("corpus accept of a case that passes now drops the signature, and re-records one an older accept left", async () => {
  const old = await readCaseFile(
    `${root}case/testdata/userS31a/corpus/` +
      "invariant-answers-every-read-blob-pager-d1bd25bc.json",
  );
  // As the trial's corpus holds it: accepted as pass, under the fixed failure's signature.
  assert.equal(old.expected, "pass");
  const again = reRecorded(old, { verdict: "pass", traceHash: old.traceHash }, "pass", {});
  assert.equal(again.next.signature, undefined);
  assert.ok(again.resigned, "a stale signature must not be left as 'unchanged'");
  assert.equal(again.next.expected, "pass");
  assert.equal(again.next.traceHash, old.traceHash);
  // The fix itself: the case failed as recorded, and passes now.
  const failing = { ...old, expected: "invariant:answers-every-read" };
  const fixed = reRecorded(failing, { verdict: "pass", traceHash: "0".repeat(16) }, "pass", {});
  assert.equal(fixed.next.signature, undefined);
  assert.equal(fixed.next.expected, "pass");
  // A failure still keeps (and re-signs) its signature.
  const r = { verdict: failing.expected, traceHash: old.traceHash };
  const still = reRecorded(failing, r, "invariant:answers-every-read:P1", {});
  assert.equal(still.next.signature, "invariant:answers-every-read:P1");
  assert.ok(still.resigned);
});
