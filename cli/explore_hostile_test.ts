/**
 * `deno task explore` with hostile user code (README "Bounded exhaustive
 * exploration"): a service that never yields, allocates without bound, throws
 * or is nondeterministic ends the search with a clear finding, never a hang
 * or a crash. Each runs `deno task explore` in a subprocess: a spinning
 * worker outlives `Worker.terminate()` (Deno 2.9.6), so only the end of a
 * process stops it (fuzz/testdata/fuzz_cli.ts).
 *
 * @module
 */

import { strict as assert } from "node:assert";
import { run } from "../fuzz/testdata/fuzz_cli.ts";

/** Fails with the whole text when `text` does not hold `part`. */
function assertIncludes(text: string, part: string): void {
  assert.ok(text.includes(part), `expected ${JSON.stringify(part)} in:\n${text}`);
}

/** `deno task explore` up to its own flags, with its task's permissions (deno.json). */
const EXPLORE = [
  "run",
  "--allow-run=deno",
  "--allow-read",
  "--allow-write",
  "--allow-env=INIT_CWD",
  "cli/explore.ts",
];

/** `deno task repro FILE --confirm-timeout S`, with its task's permissions (deno.json). */
function repro(file: string, confirmTimeout: number) {
  return run([
    "run",
    "--allow-run=deno",
    "--allow-read",
    "--allow-write",
    "--allow-env=INIT_CWD",
    "cli/repro.ts",
    file,
    "--confirm-timeout",
    String(confirmTimeout),
  ]);
}

/** The case file a `written: FILE` line names, parsed. */
async function writtenCase(out: string): Promise<{ file: string; doc: Record<string, unknown> }> {
  const m = out.match(/^written: (.+)$/m);
  assert.ok(m !== null, out);
  return { file: m[1], doc: JSON.parse(await Deno.readTextFile(m[1])) };
}

Deno.test("explore: a service that never yields ends the search with service-hang and a case repro replays", async () => {
  const corpus = await Deno.makeTempDir({ prefix: "explore_hang_" });
  try {
    const r = await run([
      ...EXPLORE,
      "--scenario",
      "examples/testdata/trial/trial.json",
      "--service",
      "examples/testdata/trial/block_service.ts",
      "--preemptions",
      "0",
      "--workers",
      "2",
      "--run-timeout",
      "1",
      "--confirm-timeout",
      "1",
      "--corpus",
      corpus,
    ]);
    assert.equal(r.code, 1, r.out + r.err);
    // The thread whose code spun, and the step: the trial's service thread on its READ of page 2.
    assertIncludes(r.out, "verdict: service-hang: no yield (t1 at step 3 never yielded");
    assertIncludes(r.out, "signature: service-hang: no yield");
    const { file, doc } = await writtenCase(r.out);
    assert.equal(doc.expected, "service-hang");
    assert.equal((doc.found as { by: string }).by, "explore");
    assert.equal((doc.limits as { runTimeout: number }).runTimeout, 1);
    assertIncludes(r.out, `replay: deno task repro ${file}`);
    // The replay command as printed (repro's own permissions) stops at the same thread and step.
    const again = await repro(file, 1);
    assertIncludes(
      again.out,
      'stuck: t1 "fs.svc" (service) never yielded at step 3, running the service\'s body',
    );
    assertIncludes(again.out, "expected: service-hang: reproduced");
  } finally {
    await Deno.remove(corpus, { recursive: true });
  }
});

// trial36: explore's hang case went beside a campaign's case of the same hang (`…-2.json`) with
// only a `written:` line, where a counterexample names the other file.
Deno.test("explore: a hang case written beside another case of the same hang names that file", async () => {
  const corpus = await Deno.makeTempDir({ prefix: "explore_hang_beside_" });
  try {
    const hang = () =>
      run([
        ...EXPLORE,
        "--scenario",
        "examples/testdata/trial/trial.json",
        "--service",
        "examples/testdata/trial/block_service.ts",
        "--preemptions",
        "0",
        "--workers",
        "1",
        "--run-timeout",
        "1",
        "--confirm-timeout",
        "1",
        "--corpus",
        corpus,
      ]);
    const first = await hang();
    assert.equal(first.code, 1, first.out + first.err);
    assert.doesNotMatch(first.out, /also holds this finding/);
    const { file, doc } = await writtenCase(first.out);
    // The name now holds a campaign's case of the same hang: another schedule, the same finding.
    const other = JSON.stringify(
      { ...doc, decisions: [0], found: { by: "fuzz", campaignSeed: 1, run: 7 } },
      null,
      2,
    ) + "\n";
    await Deno.writeTextFile(file, other);
    const r = await hang();
    assert.equal(r.code, 1, r.out + r.err);
    const beside = file.replace(/\.json$/, "-2.json");
    assertIncludes(r.out, `written: ${beside}\n`);
    assertIncludes(
      r.out,
      `the corpus also holds this finding as ${file} (another schedule of it, found before); ` +
        `${beside.split("/").at(-1)} is this exploration's case, the schedule its search stopped ` +
        `at\nreplay: deno task repro ${beside}\n`,
    );
    assert.equal(await Deno.readTextFile(file), other, "the other case is never overwritten");
  } finally {
    await Deno.remove(corpus, { recursive: true });
  }
});

Deno.test("explore: the schedule-limited search (one worker) is watched too", async () => {
  const corpus = await Deno.makeTempDir({ prefix: "explore_hang1_" });
  try {
    const r = await run([
      ...EXPLORE,
      "--scenario",
      "examples/testdata/trial/trial.json",
      "--service",
      "fuzz/testdata/never_yields_service.ts",
      "--preemptions",
      "0",
      "--max-schedules",
      "100",
      "--run-timeout",
      "1",
      "--confirm-timeout",
      "1",
      "--corpus",
      corpus,
    ]);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /verdict: service-hang: no yield \(t\d+ at step \d+ never yielded/);
    assert.equal((await writtenCase(r.out)).doc.expected, "service-hang");
  } finally {
    await Deno.remove(corpus, { recursive: true });
  }
});

// How far the process grew by the stop is timing (at 2 s an execution was once stopped before
// the heap limit): the stop signs as the hang it is either way, and the replay signs it the same.
Deno.test("explore: a service that allocates without bound in one step ends the search with service-hang, and repro signs it the same", async () => {
  const corpus = await Deno.makeTempDir({ prefix: "explore_oom_" });
  try {
    const r = await run([
      ...EXPLORE,
      "--scenario",
      "cli/testdata/two_vmos.json",
      "--service",
      "fuzz/testdata/allocating_service.ts",
      "--preemptions",
      "1",
      "--workers",
      "1",
      "--run-timeout",
      "2",
      "--confirm-timeout",
      "2",
      "--memory",
      "128",
      "--corpus",
      corpus,
    ]);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /^verdict: service-hang: no yield \(t\d+ at step \d+ never yielded/m);
    assert.match(r.out, /^signature: service-hang: no yield$/m);
    const { file, doc } = await writtenCase(r.out);
    assert.equal(doc.expected, "service-hang");
    const again = await repro(file, 2);
    assertIncludes(again.out, "expected: service-hang: reproduced");
  } finally {
    await Deno.remove(corpus, { recursive: true });
  }
});

Deno.test("explore: a service that throws is a thread fault counterexample with its step", async () => {
  const corpus = await Deno.makeTempDir({ prefix: "explore_throw_" });
  try {
    const r = await run([
      ...EXPLORE,
      "--scenario",
      "examples/testdata/trial/trial.json",
      "--service",
      "fuzz/testdata/throwing_service.ts",
      "--preemptions",
      "0",
      "--workers",
      "1",
      "--corpus",
      corpus,
    ]);
    assert.equal(r.code, 1, r.out + r.err);
    assertIncludes(
      r.out,
      'failing verdict: thread t1 "fs.svc" faulted at step 3: Error: decompressor: frame table corrupt',
    );
    assertIncludes(r.out, "signature: thread-fault:Error@throwing_service.ts:throwingService");
    assert.equal((await writtenCase(r.out)).doc.expected, "thread-fault");
  } finally {
    await Deno.remove(corpus, { recursive: true });
  }
});

Deno.test("explore: a service whose replay differs from its first run is an error, not a verdict", async () => {
  // Module-level state: each worker's first execution is cold, its later ones warm, so a replay
  // of a schedule the cold execution recorded meets other threads at its choice points.
  const r = await run([
    ...EXPLORE,
    "--scenario",
    "examples/testdata/trial/trial.json",
    "--service",
    "explore/testdata/stateful_service.ts",
    "--lint-warn",
    "--preemptions",
    "1",
    "--workers",
    "2",
    "--corpus",
    "/tmp/explore_nondeterministic_unused",
  ]);
  assert.equal(r.code, 2, r.out + r.err);
  assertIncludes(r.out, "error: nondeterministic service: an execution's replay");
  assertIncludes(r.out, "no verdict");
  assert.ok(!r.err.includes("Uncaught"), r.err);
  // Without --lint-warn the lint refuses it before any run.
  const linted = await run([
    ...EXPLORE,
    "--scenario",
    "examples/testdata/trial/trial.json",
    "--service",
    "explore/testdata/stateful_service.ts",
    "--preemptions",
    "0",
  ]);
  assert.equal(linted.code, 2);
  assertIncludes(linted.err, "module-level mutable state");
});
