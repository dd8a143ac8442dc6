// userS33a (session 33), findings 1, 2 and 4: a hog service's campaign (`--memory 128`) found
// invariant:answers-every-read, and a replay while shrinking it went past the 5 s run limit.
// - 1: the summary ended `error: run 3: ... (kernel-hang: no yield); its case stays unshrunk`:
//   no --kernel variant ran, and `error:` is a harness error's (README: exit 2), not this.
// - 2: `corpus list` then said of the case "its campaign was killed while shrinking it".
// - 4: a held unshrunk case's `not written` line did not say it was unshrunk, and after SIGINT
//   the summary said "replayed and shrunk" of a shrink cut short.
import { strict as assert } from "node:assert";
import { foundLine, heldCase, summaryText } from "../cli/fuzz.ts";
import { shrinkNote } from "../cli/corpus.ts";
import { markUnshrunk, readCaseFile } from "../case/store.ts";
import { IN_SYSCALL } from "../sim/world.ts";
import { type CampaignSummary, investigateStopWords } from "./orchestrate.ts";

const USER_CASE = new URL(
  "../case/testdata/userS33a/c_hog/invariant-answers-every-read-hog-b25f0c56.json",
  import.meta.url,
).pathname;

Deno.test("userS33a (1): a shrinking replay stopped by a limit is named for the code under test", () => {
  // The hog's thread stood in a syscall (eventCreate) when the clock stopped the replay.
  const inSyscall = { step: 30, tid: 3, entry: 4 * IN_SYSCALL + 1 };
  assert.equal(
    investigateStopWords("hang", inSyscall, false, 128, false),
    "service-hang: no yield",
  );
  assert.match(
    investigateStopWords("hang", inSyscall, true, 128, false),
    /^service-hang: no yield; the process grew by half the --memory 128 MiB heap limit or more/,
  );
  // With a --kernel variant (or a program), its code inside a syscall is the code under test.
  assert.equal(
    investigateStopWords("hang", inSyscall, false, 128, true),
    "kernel-hang: no yield",
  );
  assert.equal(investigateStopWords("out-of-memory", inSyscall, true, 128, false), "out-of-memory");
});

Deno.test("userS33a (1, 4): the summary says a shrink a limit stopped as a note, and a cut shrink as cut", async () => {
  // A 1-run campaign's summary (`deno task fuzz --runs 1 --workers 1 --seed 1 --json`).
  const s: CampaignSummary = JSON.parse(
    await Deno.readTextFile(new URL("./testdata/one_run_summary.json", import.meta.url)),
  );
  assert.deepEqual(s.notes, []);
  const note = "run 3: a replay while shrinking its case went past the 5s run limit " +
    "(service-hang: no yield); the case stays unshrunk, as it ran";
  const finding = {
    signature: "invariant:answers-every-read",
    k: 3,
    file: "c_hog/x.json",
    replay: "deno task repro c_hog/x.json",
    size: { from: 39, to: 39 },
    shrunk: false,
    shrinkCut: false,
    unconfirmed: false,
    decisions: 27,
    shrunkFrom: 27,
    occurrences: 5,
    description: "found by fuzz campaign 1, run 3: invariant:answers-every-read (P1: ...)",
  };
  const text = summaryText({ ...s, notes: [note], findings: [finding] });
  assert.ok(text.split("\n").includes(`note: ${note}`), text);
  assert.doesNotMatch(text, /^error:/m);
  assert.doesNotMatch(text, /kernel-hang/);
  // After SIGINT: the one shrink was cut short, and the shrinking line says so.
  const cut = summaryText({
    ...s,
    interrupted: true,
    shrinking: { cases: 1, seconds: 3.7 },
    findings: [{ ...finding, shrunk: true, shrinkCut: true, size: { from: 45, to: 16 } }],
  });
  assert.match(cut, /^shrinking: 1 failing run replayed, shrinking cut short, in 3\.7s /m);
  assert.doesNotMatch(cut, /replayed and shrunk/);
});

Deno.test("userS33a (2): an unshrunk case records why, and corpus list says it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-s33a-unshrunk-" });
  try {
    const path = `${dir}/case.json`;
    await Deno.copyFile(USER_CASE, path);
    const before = await readCaseFile(path);
    // The user's case, written before the reason was recorded: "not shrunk", no guess.
    assert.equal(before.found?.unshrunk, true);
    assert.match(shrinkNote(before), /^, not shrunk: it fails as recorded/);
    // Another run's case in the file is left alone.
    assert.equal(await markUnshrunk(path, { campaignSeed: 1, run: 4 }, "run-limit"), false);
    assert.equal(await markUnshrunk(path, { campaignSeed: 1, run: 3 }, "run-limit"), true);
    const after = await readCaseFile(path); // still a valid case
    assert.equal(after.found?.unshrunkWhy, "run-limit");
    const note = shrinkNote(after);
    assert.match(
      note,
      /^, not shrunk \(its campaign gave the shrinking up: a shrinking replay went past the run limit\): /,
    );
    assert.doesNotMatch(note, /killed/);
    assert.match(
      shrinkNote({
        found: { by: "fuzz", unshrunk: true, unshrunkWhy: "written-before-shrinking" },
      }),
      /its campaign was killed while shrinking it/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("userS33a (4): a held unshrunk case's line says it is not shrunk", () => {
  const f = { signature: "lost-wakeup:condvar queue nonempty", k: 3, stage: "unshrunk" } as const;
  const killed = heldCase({
    description: "found by fuzz campaign 1, run 3: lost-wakeup:condvar queue nonempty (P1: ...)",
    decisions: Array(33).fill(0),
    found: { unshrunk: true },
  });
  const line = foundLine(f, { file: "c_kill3/x.json", held: killed });
  assert.match(
    line,
    /already holds a case of it no larger \(33 decisions, found by fuzz campaign 1, run 3; it is not shrunk\), which stays/,
  );
  const marked = heldCase({
    description: "found by fuzz campaign 1, run 3: x",
    decisions: [0],
    found: { unshrunk: true, unshrunkWhy: "written-before-shrinking" },
  });
  assert.match(
    foundLine(f, { file: "c/x.json", held: marked }),
    /; it is not shrunk \(written as it ran, before shrinking it; its campaign was killed while shrinking it\)\)/,
  );
});
