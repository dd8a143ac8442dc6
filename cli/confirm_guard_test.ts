// The guard of sim and repro only suspects a hang at the wall-clock run limit (a user trial under
// load got a "service-hang" for a run that passes): a stopped run is run again with the
// confirmation limit, and is a hang only if stopped again.
import { strict as assert } from "node:assert";
import { NIGHTLY } from "../tools/nightly.ts";
import { denoOutput } from "./_deno_output.ts";
import { confirmNote, runConfirmed, runGuarded } from "./_guard.ts";

const slow = new URL("./testdata/slow_command.ts", import.meta.url).href;

// Nightly (session 36: 8 s of CI): in CI, fuzz/confirm_test.ts runs the same confirmation in a
// campaign, and the tests below sim's and repro's limits.
Deno.test("a slow command past the run limit finishes when run again with the confirmation limit", {
  ignore: !NIGHTLY,
}, async () => {
  const limits = { runTimeout: 0.01, memoryMb: 4096, confirmTimeout: 600 };
  // The run limit alone stops it (what the guard did before it confirmed)...
  assert.equal((await runGuarded(slow, limits)).kind, "service-hang");
  // ...the confirmation run lets it finish: its exit status, no hang.
  assert.deepEqual(await runConfirmed(slow, limits), { kind: "done", code: 0 });
});

Deno.test("a command that never yields is a hang at the confirmation limit too", async () => {
  // In a child process (cli/testdata/confirm_spin_child.ts): the two stopped workers spin on
  // until their process ends.
  const child = new URL("./testdata/confirm_spin_child.ts", import.meta.url).pathname;
  const r = await denoOutput(["run", "--allow-read", child]);
  const o = JSON.parse(r.out);
  assert.equal(o.kind, "service-hang");
});

Deno.test("the note at the run limit says where the run was, how long confirming may take and how to cut it short", () => {
  const limits = { runTimeout: 5, memoryMb: 512, confirmTimeout: 50 };
  const note = confirmNote(limits, { kind: "service-hang", at: { tid: 2, step: 14 } });
  assert.match(
    note,
    /^note: the run went past the --run-timeout 5s run limit \(t2 at step 14 had not yielded\); /,
  );
  assert.match(
    note,
    /may take up to 50s; Ctrl-C stops it, and --confirm-timeout 5 \(equal to --run-timeout\) skips the wait\. The output below is that run's alone\.$/,
  );
  assert.doesNotMatch(confirmNote(limits, { kind: "service-hang", at: null }), /had not yielded/);
});

Deno.test("a confirmation limit equal to the run limit skips the wait, as the note says", async () => {
  // userS28s: `sim --run-timeout 2 --confirm-timeout 2` was told "--confirm-timeout 2 (not below
  // --run-timeout) skips the wait", the value it had, and the run went again.
  const limits = { runTimeout: 0.01, memoryMb: 4096, confirmTimeout: 0.01 };
  const notes: string[] = [];
  const error = console.error;
  console.error = (...a: unknown[]) => notes.push(a.join(" "));
  let o;
  try {
    o = await runConfirmed(slow, limits);
  } finally {
    console.error = error;
  }
  assert.equal(o.kind, "service-hang");
  assert.equal(notes.length, 1, notes.join("\n"));
  assert.match(
    notes[0],
    /^note: the run went past the --run-timeout 0\.01s run limit.*; not running it again: --confirm-timeout 0\.01 is not above --run-timeout, so the stop is the hang /,
  );
  assert.doesNotMatch(notes[0], /running it again with/);
});

Deno.test("userS33a: a run stopped at the run limit and confirmed prints its output once", async () => {
  // `repro --current-code` on a loaded machine printed the notice, the replay, its trace and
  // verdict twice: the stopped run's (it had printed them all) and the confirmation run's.
  const printing = new URL("./testdata/print_slow_command.ts", import.meta.url).href;
  const limits = { runTimeout: 0.01, memoryMb: 4096, confirmTimeout: 600 };
  const out: string[] = [], err: string[] = [];
  const { log, error } = console;
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  console.error = (...a: unknown[]) => err.push(a.join(" "));
  let o;
  try {
    o = await runConfirmed(printing, limits);
  } finally {
    console.log = log;
    console.error = error;
  }
  assert.deepEqual(o, { kind: "done", code: 0 });
  assert.deepEqual(out, ["replaying: the case", "verdict: pass"]);
  // The one line that says the first attempt hit the limit, the run's own, and the verdict's note.
  assert.equal(err.length, 3, err.join("\n"));
  assert.match(err[0], /^note: the run went past the --run-timeout 0\.01s run limit/);
  assert.equal(err[1], "a line on stderr");
  assert.match(err[2], /^note: run again, it finished within the --confirm-timeout 600s limit/);
});
