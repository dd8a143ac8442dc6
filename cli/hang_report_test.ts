// A run that hangs names the stuck thread and its step, shows the trace up to it and prints a
// replay line that works as printed (issue hC: a user's service that loops without yielding got
// one line, "service-hang: no yield (the run did not finish within --run-timeout 2s)", and one
// that loops through syscalls got "step budget exhausted" with no thread named).
import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";
import { NIGHTLY } from "../tools/nightly.ts";

const TRIAL = "examples/testdata/trial";

const deno = (args: string[]) => denoOutput(args);

/** Runs a printed `deno task sim|repro ...` line as the task would (single quotes honoured). */
function runLine(line: string) {
  const w: string[] = [];
  const re = /'((?:[^']|'\\'')*)'|(\S+)/g;
  for (let m; (m = re.exec(line)) !== null;) {
    w.push(m[1] !== undefined ? m[1].replaceAll(`'\\''`, "'") : m[2]);
  }
  assert.deepEqual(w.slice(0, 2), ["deno", "task"], line);
  return deno(["run", "-A", `cli/${w[2]}.ts`, ...w.slice(3)]);
}

/**
 * A one-worker campaign of seed 1 on `service` with `--run-timeout 1` and the confirmation limit
 * `confirm`, writing to `corpus`.
 */
const spinCampaign = (service: string, runs: number, confirm: number, corpus: string) =>
  deno([
    "run",
    "-A",
    "cli/fuzz.ts",
    "--service",
    service,
    "--runs",
    String(runs),
    "--workers",
    "1",
    "--seed",
    "1",
    "--run-timeout",
    "1",
    "--confirm-timeout",
    String(confirm),
    "--corpus",
    corpus,
  ]);

for (const command of ["sim", "repro"]) {
  // repro's form nightly (session 36: 15 s of CI): in CI, "a hang a campaign found ... repro
  // replays under it" below and case/corpus_replay_test.ts replay hang cases with repro.
  Deno.test(
    `${command}: a service that never yields is named with its step, its trace and a replay line that works`,
    { ignore: command === "repro" && !NIGHTLY },
    async () => {
      const args = [
        "--scenario",
        `${TRIAL}/trial.json`,
        "--service",
        `${TRIAL}/block_service.ts`,
        "--seed",
        "1",
        "--run-timeout",
        "2",
        // Stopped at the run limit, the run is run again with this one: a hang only if stopped again.
        "--confirm-timeout",
        "3",
      ];
      const r = await deno(["run", "-A", `cli/${command}.ts`, ...args]);
      assert.equal(r.code, 1, r.out + r.err);
      // The trial's READ of page 2 reaches the service thread that never yields at step 13.
      assert.match(
        r.out,
        /^stuck: t1 "fs\.svc" \(service\) never yielded at step 13, running the service's body .*: .*up to step 12/m,
      );
      assert.match(r.out, /^#12 /m, "the trace up to the stuck step");
      assert.doesNotMatch(r.out, /^#13 /m);
      const verdict =
        /^verdict: service-hang: no yield \(t1 at step 13 never yielded, in the service's body .*: .*\)$/m;
      assert.match(r.out, verdict);
      assert.match(
        r.out,
        /within --run-timeout 2s, nor when run again within --confirm-timeout 3s\)$/m,
      );
      assert.match(r.out, /^signature: service-hang: no yield$/m);
      assert.match(
        r.err,
        /^note: the run went past the --run-timeout 2s run limit \(t1 at step \d+ had not yielded\); running it again .* This may take up to 3s; Ctrl-C stops it/m,
      );
      const line = /^replay: (.+)$/m.exec(r.out)?.[1] ?? "";
      assert.equal(line, `deno task ${command} ${args.join(" ")}`);
      const again = await runLine(line);
      assert.equal(again.code, 1, again.out + again.err);
      assert.equal(/^verdict: .*$/m.exec(again.out)?.[0], verdict.exec(r.out)?.[0]);
    },
  );
}

Deno.test("sim: a run stopped at its step limit names the thread that was still running", async () => {
  const r = await deno([
    "run",
    "-A",
    "cli/sim.ts",
    "--scenario",
    `${TRIAL}/trial_budget.json`,
    "--service",
    `${TRIAL}/busy_service.ts`,
    "--seed",
    "1",
  ]);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, /^verdict: step budget exhausted after 300 steps$/m);
  assert.match(
    r.out,
    /^stuck: t1 "fs\.svc" took 29\d of the 300 steps and was still running at step 300, .*; parked: t3 "reader2" waits on vmo \d+: READ request/m,
  );
  const line = /^replay: (.+)$/m.exec(r.out)?.[1] ?? "";
  const again = await runLine(line);
  assert.equal(again.code, 1);
  assert.equal(/^trace-hash: .*$/m.exec(again.out)?.[0], /^trace-hash: .*$/m.exec(r.out)?.[0]);
});

Deno.test("a hang a campaign found under --run-timeout 1 records it, and repro replays under it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-limits-" });
  try {
    const f = await spinCampaign(`${TRIAL}/block_service.ts`, 3, 2, dir);
    assert.equal(f.code, 1, f.out + f.err);
    // The stopped run shows in the progress line and the summary, with what it cost.
    assert.match(f.out, /^runs \d+ of 3 .*failing runs 1 \(1 stopped by a limit, \d+\.\ds\)/m);
    assert.match(
      f.out,
      /^failing runs 1 \(1 stopped by the watchdog, \d+\.\ds of workers' time\)/m,
    );
    // Not shrunk, and the summary says why (it said "shrunk to size 17 (from 17; ...)").
    assert.match(
      f.out,
      /^ {4}run \d+, 1 failing runs; size \d+ \(not shrunk: the watchdog stopped the run, /m,
    );
    assert.doesNotMatch(f.out, /shrunk to size/);
    // The finding names the thread that never yielded and whose code it ran, as sim and repro do.
    const stuck =
      /service-hang: no yield \(t1 at step \d+ never yielded, in the service's body \(the service function each service thread runs\); stopped at /;
    assert.match(
      f.out,
      new RegExp(`^ {4}found by fuzz campaign 1, run \\d+: ${stuck.source}`, "m"),
    );
    const file = /^ {4}replay: deno task repro (\S+)$/m.exec(f.out)?.[1] ?? "";
    const c = JSON.parse(await Deno.readTextFile(file));
    assert.equal(c.expected, "service-hang");
    assert.match(c.description, stuck);
    // The confirmation limit too (userS23: the campaign confirmed at --confirm-timeout 4, its
    // case's replay line at the default 10 x the run limit, 20 s).
    assert.deepEqual(c.limits, {
      maxSteps: c.input.maxSteps,
      runTimeout: 1,
      memoryMb: 512,
      confirmTimeout: 2,
    });
    // The replay line as printed: no flag to remember.
    const r = await runLine(`deno task repro ${file}`);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(
      r.out,
      /^limits: max-steps \d+, run-timeout 1s, memory 512 MiB, confirm-timeout 2s \(as the case/m,
    );
    assert.match(r.err, /running it again with the --confirm-timeout 2s limit/);
    assert.match(
      r.out,
      /^verdict: service-hang: no yield \(t\d+ at step \d+ never yielded, in the service's body .*: .* --run-timeout 1s, nor when run again within --confirm-timeout 2s\)$/m,
    );
    assert.match(r.out, /^expected: service-hang: reproduced$/m);
    // userS26s: sim's stuck line names the service module, "(blobfs/spin.ts)"; repro's did not.
    assert.match(
      r.out,
      /^stuck: .*, running the service's body \(.*\) \(\S*block_service\.ts\): /m,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("repro confirms under the case's recorded confirmation limit; an older case without one under 10 x its run limit", async () => {
  const { caseLimits } = await import("./repro.ts");
  const old = "corpus/invariant-writeback-served-w3-bug-lost-wakeup-d904b3ba.json";
  const c = JSON.parse(await Deno.readTextFile(old));
  assert.equal(c.limits.confirmTimeout, undefined, "a case written before it was recorded");
  const defaults = { runTimeout: 5, memoryMb: 512, confirmTimeout: 50 };
  const dir = await Deno.makeTempDir({ prefix: "pagersim-confirm-" });
  try {
    // The old case replays as before: its run limit, and 10 x it to confirm.
    const before = await caseLimits([old], defaults);
    assert.deepEqual(before, { ...defaults, confirmTimeout: 10 * c.limits.runTimeout });
    const file = `${dir}/recorded.json`;
    await Deno.writeTextFile(
      file,
      JSON.stringify({ ...c, limits: { ...c.limits, runTimeout: 2, confirmTimeout: 4 } }),
    );
    assert.equal((await caseLimits([file], defaults)).confirmTimeout, 4);
    // A flag given still wins.
    const flagged = await caseLimits([file, "--confirm-timeout", "7"], {
      ...defaults,
      confirmTimeout: 7,
    });
    assert.equal(flagged.confirmTimeout, 7);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

for (const command of ["sim", "repro"]) {
  Deno.test(`${command}: a service entry that spins while its thread starts is named: the thread, its role, the entry, the trace`, async () => {
    // userS23b's blobby with an `open` entry that never yields: the workload thread "owner" opens
    // its file as its first op, so the entry runs while the thread starts, at step 0. The report was
    // one verdict line naming t3 (no threads: line, no stuck: line, no trace, no entry).
    const r = await deno([
      "run",
      "-A",
      `cli/${command}.ts`,
      "--scenario",
      "case/testdata/userS23b/tiny.json",
      "--seed",
      "0",
      "--service",
      "case/testdata/userS23b/bad/block_open.ts",
      "--run-timeout",
      "2",
      "--confirm-timeout",
      "2",
    ]);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /^threads: t0 setup, .*t3 "owner" \(workload\)/m);
    assert.match(r.out, /^#0 t0 zx_pager_create/m, "the setup's trace");
    assert.match(
      r.out,
      /^stuck: t3 "owner" \(workload\) never yielded at step 0, while starting .*, running the service's `open` entry \(case\/testdata\/userS23b\/bad\/block_open\.ts\): .*the trace above is the setup before it$/m,
    );
    assert.match(
      r.out,
      /^verdict: service-hang: no yield \(t3 at step 0 .* in the service's `open` entry: /m,
    );
  });
}

Deno.test("fuzz: a hang in a service entry names the thread, its step and the entry, in the summary and the case", async () => {
  // The campaign's report said only "service-hang: no yield (stopped at the 1s run limit ...)":
  // nothing of the `open` entry that spun, which sim and repro name.
  const dir = await Deno.makeTempDir({ prefix: "pagersim-fuzz-entry-" });
  try {
    const f = await spinCampaign("case/testdata/userS23b/bad/block_open.ts", 1, 1, dir);
    assert.equal(f.code, 1, f.out + f.err);
    // The stop: the workload thread that opens the first file, while starting. Equal limits run
    // no confirmation (ux29: the stop is the hang; it said "and again at the 1s confirmation
    // limit" after a second run that could only end the same way).
    const stuck =
      /service-hang: no yield \(t\d+ at step \d+( \(starting, before the first step\))? never yielded, in the service's `open` entry; stopped at the 1s run limit \(not run again: --confirm-timeout 1 is not above it\); /;
    assert.match(f.out, new RegExp(`^ {4}found by fuzz campaign 1, run 0: ${stuck.source}`, "m"));
    const file = /^ {4}replay: deno task repro (\S+)$/m.exec(f.out)?.[1] ?? "";
    const c = JSON.parse(await Deno.readTextFile(file));
    assert.match(c.description, stuck);
    // The case's replay names the same thread and entry.
    const r = await runLine(`deno task repro ${file}`);
    assert.equal(r.code, 0, r.out + r.err);
    const named = /\((t\d+ at step \d+.*? never yielded, in the service's `open` entry)[;:]/;
    assert.equal(named.exec(r.out)?.[1], named.exec(c.description)?.[1], r.out);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
