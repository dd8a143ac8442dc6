// Session 29, README-only users: `corpus list` did not say which cases' shrinking was cut short
// (`found.shrinkCut`), and `corpus list FILE` printed the OS's "Not a directory (os error 20)".
// In process: `list` prints as the command does.
import { strict as assert } from "node:assert";
import { list, shrinkNote } from "./corpus.ts";

/** Runs `f` with console.log and console.error captured. */
async function captured<T>(f: () => Promise<T>): Promise<{ value: T; out: string; err: string }> {
  const out: string[] = [], err: string[] = [];
  const { log, error } = console;
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  console.error = (...a: unknown[]) => err.push(a.join(" "));
  try {
    return { value: await f(), out: out.join("\n"), err: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

// A case userS22's campaign wrote with its shrinking cut short.
const CUT = "case/testdata/userS22/corpus/invariant-answers-every-read-logstore-b389fae5.json";

Deno.test("corpus list marks a case whose shrinking was cut short, and says what that means", async () => {
  const r = await captured(() => list("case/testdata/userS22/corpus"));
  assert.equal(r.value, 0, r.out + r.err);
  assert.match(
    r.out,
    /^invariant-answers-every-read-logstore-b389fae5\.json: scenario, expects invariant:answers-every-read, 398 decisions, service case\/testdata\/userS22\/logstore\.ts, shrink cut short \(the campaign or explore ended while shrinking it\): it fails as recorded and may shrink further; it is not counted as known, so the next campaign that meets its signature shrinks it again/m,
  );
  // An unshrunk case without `unshrunkWhy` (written before session 33): no guess at why.
  assert.match(shrinkNote({ found: { by: "fuzz", unshrunk: true } }), /^, not shrunk: /);
  assert.equal(shrinkNote({ found: { by: "fuzz" } }), "");
});

Deno.test("corpus list FILE lists that one case; a file that is no case is named in repro's words", async () => {
  const one = await captured(() => list(CUT));
  assert.equal(one.value, 0, one.out + one.err);
  assert.doesNotMatch(one.out + one.err, /os error|Not a directory/);
  const lines = one.out.split("\n");
  // The case, the line saying where its module paths are shown from (session 33), the count.
  assert.equal(lines.length, 3, one.out);
  assert.match(lines[0], /^invariant-answers-every-read-logstore-b389fae5\.json: scenario, /);
  assert.match(lines[1], /^\(service and kernel paths above are from /);
  assert.equal(
    lines[2],
    `corpus: 1 valid, 0 invalid (the one case ${CUT}: a file, not a corpus folder)`,
  );
  const notCase = await captured(() => list("corpus/README.md"));
  assert.equal(notCase.value, 1);
  assert.match(notCase.err, /^error: corpus\/README\.md: not valid JSON: /);
  assert.match(notCase.out, /^corpus: 0 valid, 1 invalid \(the one case corpus\/README\.md: /m);
});
