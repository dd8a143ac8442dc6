import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";

const root = new URL("../", import.meta.url);
const data = "explore/testdata";

/** `deno run cli/explore.ts ARGS` from the project root: its exit code, stdout and stderr. */
const explore = (...args: string[]) =>
  denoOutput(
    ["run", "--allow-read", "--allow-write=/tmp", "cli/explore.ts", ...args],
    root.pathname,
  );

/**
 * Asserts that each bound's last progress line and its summary line say the same: "(bound
 * done)" with a summary that is not "(not finished)", and "(not finished)" in both otherwise.
 */
function assertBoundEndsAgree(stdout: string): number {
  const ends = [
    ...stdout.matchAll(
      /^bound (\S+): .*?, in \d+ s \(\d+ s since the search began\)( \(bound done\)| \(not finished\))$/gm,
    ),
  ];
  for (const [, bound, end] of ends) {
    const summary = new RegExp(`^  bound ${bound}: .*$`, "m").exec(stdout)?.[0] ?? "";
    assert.ok(summary !== "", `a summary line for bound ${bound}`);
    assert.equal(
      summary.endsWith("(not finished)"),
      end === " (not finished)",
      `bound ${bound}: progress says${end}, summary says: ${summary}`,
    );
  }
  return ends.length;
}

function lastLine(text: string): string {
  return text.trimEnd().split("\n").at(-1)!;
}

Deno.test("deno task explore: a bad flag is one error line plus the --help hint, exit 2", async () => {
  const r = await explore("--scenario", `${data}/suspend_blocked.json`, "--bogus");
  assert.equal(r.code, 2);
  const lines = r.err.split("\n");
  assert.match(lines[0], /^error: .*bogus/);
  assert.equal(lines[1], "run deno task explore --help for the options");
  const missing = await explore("--scenario", `${data}/suspend_blocked.json`);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /^error: --preemptions K is required/);
  const negative = await explore(
    "--scenario",
    `${data}/suspend_blocked.json`,
    "--preemptions",
    "-1",
  );
  assert.equal(negative.code, 2);
});

Deno.test("deno task explore: a passing exploration ends with the exact sentence, exit 0", async () => {
  const r = await explore("--scenario", `${data}/suspend_blocked.json`, "--preemptions", "1");
  assert.equal(r.code, 0, r.err);
  assert.match(
    lastLine(r.out),
    /^all \d+ schedules \(\d+ distinct states\) up to 1 preemptions satisfy every invariant$/,
  );
  assert.match(r.out, /bound 0: \d+ executions, \d+ complete/);
  assert.match(r.out, /bound 1: \d+ executions, \d+ complete/);
  assert.equal(assertBoundEndsAgree(r.out), 2);
  assert.match(r.out, /^bound 1: .* \(bound done\)$/m);
  // exp29: before bound 1 starts, its estimate, right after bound 0's end; none after the last.
  assert.match(
    r.out,
    /^bound 0: .* \(bound done\)\nnext: bound 1: about \d+-\d+ executions, .* at bound 0's \d+ executions\/s \(/m,
  );
  assert.doesNotMatch(r.out, /^next: bound 2/m);
});

Deno.test("deno task explore: the execution limit is said, exit 3", async () => {
  // exp29: --max-executions, the honest name of --max-schedules (still taken: the SIGTERM test).
  const r = await explore(
    "--scenario",
    `${data}/coalesce_two_readers.json`,
    "--preemptions",
    "2",
    "--max-executions",
    "5",
  );
  assert.equal(r.code, 3, r.err);
  assert.match(r.out, /^explore: .*, at most 5 executions,/m);
  assert.match(
    lastLine(r.out),
    /^stopped at the --max-executions limit of 5 executions \(those the state hash or a sleep set cut count too\): not exhaustive/,
  );
});

Deno.test("deno task explore: a counterexample goes to the corpus and deno task repro replays it", async () => {
  const corpus = await Deno.makeTempDir({ prefix: "pagersim-explore-" });
  try {
    const service = `${data}/forgetful_service.ts`;
    const r = await explore(
      "--scenario",
      `${data}/coalesce_two_readers.json`,
      "--preemptions",
      "2",
      "--service",
      service,
      "--corpus",
      corpus,
    );
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /^counterexample: 0 preemptions/m);
    assert.match(r.out, /^failing verdict: /m);
    // The bound the counterexample stopped is not done: progress and summary say so alike.
    assert.equal(assertBoundEndsAgree(r.out), 1, r.out);
    assert.match(r.out, /^bound 0: .* \(not finished\)$/m);
    const file = /^written: (.+)$/m.exec(r.out)![1];
    const kase = JSON.parse(await Deno.readTextFile(file));
    // The signature the file is named by, printed as sim and repro print it (user trial 18).
    assert.equal(/^signature: (.+)$/m.exec(r.out)?.[1], kase.signature, r.out);
    assert.equal(kase.format, "pagersim/case@2");
    assert.equal(kase.kind, "scenario");
    assert.equal(kase.service.path.endsWith("forgetful_service.ts"), true, "names its service");
    // userS26s: "with 1 preemption (bound 2)" read as found in bound 2; 2 was the limit.
    assert.match(
      kase.description,
      /^found by deno task explore: a schedule with 0 preemptions \(the search's limit: --preemptions 2\): /,
    );
    // The printed replay line, run as printed: the case names its service (issue 12: it
    // replayed as NOT reproduced, the service flag forgotten).
    const line = /^replay: deno task repro (.+)$/m.exec(r.out)![1];
    assert.equal(line, file);
    const again = await repro(file);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /reproduced/);
    assert.match(again.out, /trace-hash: [0-9a-f]{16}: match|match/);
  } finally {
    await Deno.remove(corpus, { recursive: true });
  }
});

/** `deno task repro FILE --trace none`, run as explore's printed replay line says. */
async function repro(file: string): Promise<{ code: number; out: string }> {
  const r = await denoOutput(
    ["run", "--allow-read", "--allow-write=/tmp", "cli/repro.ts", file, "--trace", "none"],
    root.pathname,
  );
  return { code: r.code, out: r.out + r.err };
}

Deno.test("explore: its counterexample is always written, and its printed replay line replays it, even when its file name holds another case of the same finding", async () => {
  // The new-user trial: the corpus held a campaign's smaller case of the same signature under
  // the name explore's case gets; explore printed "written:" and a replay line for that file,
  // which held the campaign's case, so the counterexample was lost and the line replayed
  // something else.
  const corpus = await Deno.makeTempDir({ prefix: "pagersim-explore-taken-" });
  try {
    const run = () =>
      explore(
        "--scenario",
        `${data}/coalesce_two_readers.json`,
        "--preemptions",
        "2",
        "--service",
        `${data}/forgetful_service.ts`,
        "--corpus",
        corpus,
        // The counterexample as found, beside the campaign's smaller case of its finding (shrunk,
        // it would be that case: cli/long_counterexample_test.ts).
        "--max-shrink",
        "0",
      );
    const first = await run();
    assert.equal(first.code, 1, first.err);
    const name = /^written: (.+)$/m.exec(first.out)?.[1] ?? "";
    // The name now holds another case of the same finding, smaller (the corpus's dedupe keeps it).
    const own = JSON.parse(await Deno.readTextFile(name));
    const other = JSON.stringify(
      {
        ...own,
        description: "found by fuzz campaign 1, run 7: a smaller case of the same signature",
        decisions: [],
        found: { by: "fuzz", campaignSeed: 1, run: 7 },
      },
      null,
      2,
    ) + "\n";
    await Deno.writeTextFile(name, other);
    for (const n of [1, 2]) {
      const r = await run();
      assert.equal(r.code, 1, r.err);
      // The first run writes its counterexample; the second finds the same replay there.
      const said = n === 1 ? "written" : "already in the corpus \\(the same replay\\)";
      const file = new RegExp(`^${said}: (.+)$`, "m").exec(r.out)?.[1] ?? "";
      assert.equal(file, name.replace(/\.json$/, "-2.json"), `run ${n}: ${r.out}`);
      // ...and says where the corpus's other case of the finding is (a trial read "-2" as a
      // second bug).
      assert.match(r.out, new RegExp(`^the corpus also holds this finding as ${name} `, "m"));
      assert.equal(await Deno.readTextFile(name), other, "the other case is never overwritten");
      // The printed line, run as printed: explore's verdict, at explore's step.
      const line = /^replay: deno task repro (.+)$/m.exec(r.out)?.[1];
      assert.equal(line, file);
      const rep = await repro(line);
      assert.equal(rep.code, 0, rep.out);
      assert.match(rep.out, /: reproduced$/m);
      const verdict = /^failing verdict: (.+)$/m.exec(r.out)?.[1];
      assert.ok(verdict !== undefined, r.out);
      assert.equal(/^verdict: (.+)$/m.exec(rep.out)?.[1], verdict);
      const steps = /^counterexample: \d+ preemptions, (\d+) steps$/m.exec(r.out)?.[1];
      assert.equal(/^steps: (\d+) /m.exec(rep.out)?.[1], steps);
    }
    // The second run found its own case already there: no third file.
    assert.equal([...Deno.readDirSync(corpus)].filter((e) => e.name.endsWith(".json")).length, 2);
  } finally {
    await Deno.remove(corpus, { recursive: true });
  }
});

Deno.test("explore: a --service outside the project tree is refused before the search, not after a finding", async () => {
  const outside = await Deno.makeTempDir({ prefix: "pagersim-explore-outside-" });
  try {
    // A service that never answers: the search would find a hang at bound 0.
    await Deno.writeTextFile(`${outside}/idle.ts`, "export default function* idle() {}\n");
    const r = await explore(
      "--scenario",
      `${data}/default_small.json`,
      "--preemptions",
      "0",
      "--service",
      `${outside}/idle.ts`,
      "--corpus",
      `${outside}/corpus`,
    );
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(r.err, /outside the project tree/);
    assert.doesNotMatch(r.out, /^bound |counterexample/m, "no search ran");
  } finally {
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("SIGTERM mid-search prints what was searched before the exit (not only a progress line)", async () => {
  // The header is printed once the scenario is loaded and the listeners are about to be set.
  const { code, out: stdout } = await stopWhen(/\n/, 3000, "--preemptions", "2");
  assert.match(stdout, /^explore: the default scenario, up to 2 preemptions/);
  assert.equal(code, 143, stdout);
  assert.match(
    lastLine(stdout),
    /^stopped by SIGTERM after \d+ s, not exhaustive: no bound finished(; bound 0 stopped after \d+ schedules and \d+ executions)?$/,
  );
});

/** Runs explore, sends SIGTERM `ms` after stdout matches `when`, and returns what it printed. */
async function stopWhen(
  when: RegExp,
  ms: number,
  ...args: string[]
): Promise<{ code: number; out: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write=/tmp", "cli/explore.ts", ...args],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  const dec = new TextDecoder();
  let stdout = "";
  let sent = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    stdout += dec.decode(value);
    if (!sent && when.test(stdout)) {
      sent = true;
      setTimeout(() => child.kill("SIGTERM"), ms);
    }
  }
  const { code } = await child.status;
  await child.stderr.cancel();
  assert.ok(sent, `never printed ${when}: ${stdout}`);
  return { code, out: stdout };
}

// Issue 17: a counterexample a finished task found is written at once (a stop cannot lose it).
// Since a counterexample ends its bound at its task (a README-only user watched the search go on
// after it was written), the tasks after it are stopped: on two workers, whichever task finished
// first, the corpus ends with the one chosen case, and it replays.
Deno.test("a counterexample ends the search at its task: one case in the corpus, on 2 workers, and it replays", async () => {
  const corpus = await Deno.makeTempDir({ prefix: "pagersim-explore-stop-" });
  try {
    const r = await explore(
      "--scenario",
      `${data}/coalesce_two_readers.json`,
      "--service",
      `${data}/forgetful_service.ts`,
      "--preemptions",
      "0",
      "--workers",
      "2",
      "--task-budget",
      "all",
      "--corpus",
      corpus,
    );
    assert.equal(r.code, 1, r.out);
    const file = /^written: (.+)$/m.exec(r.out)?.[1];
    assert.ok(file !== undefined, r.out);
    const kase = JSON.parse(await Deno.readTextFile(file));
    assert.equal(kase.kind, "scenario");
    assert.equal((await repro(file)).code, 0, "the case replays");
    const files = [];
    for await (const e of Deno.readDir(corpus)) if (e.name.endsWith(".json")) files.push(e.name);
    assert.equal(files.length, 1, files.join(", "));
  } finally {
    await Deno.remove(corpus, { recursive: true });
  }
});

// The --max-schedules search ran in the main thread, so SIGTERM's listener never ran until it
// ended (on the default scenario, minutes): now it runs in a worker and the stop is answered.
Deno.test("SIGTERM stops a --max-schedules exploration and says what was searched", async () => {
  const r = await stopWhen(
    /^explore: .*at most 10000000 executions/m,
    // The header comes just before the listeners are set: the search is well under way.
    3000,
    "--preemptions",
    "2",
    "--max-schedules",
    "10000000",
  );
  assert.equal(r.code, 143, r.out);
  assert.match(
    lastLine(r.out),
    /^stopped by SIGTERM after \d+ s, not exhaustive: no bound finished/,
  );
});

Deno.test("deno task explore: a long bound shows its progress on stderr at a steady pace, with its rate and, under --max-schedules, the time to the limit; stdout is unchanged", async () => {
  // user19: a 4-minute search printed a line every 30 s, with no rate and no estimate.
  // Every 0.2 s: at the default 5 s an idle machine finished the 2500 schedules before the first
  // line (fx21); the line's pace is the flag's, its content is what is checked.
  const r = await explore(
    "--preemptions",
    "2",
    "--max-schedules",
    "2500",
    "--progress-every",
    "0.2",
  );
  assert.equal(r.code, 3, r.err);
  const lines = r.err.split("\n").filter((l) => l.startsWith("bound "));
  assert.ok(lines.length >= 1, `progress lines on stderr: ${r.err}`);
  for (const l of lines) {
    assert.match(
      l,
      /^bound 0: \d+ executions \(\d+ executions\/s\), \d+ schedules, \d+ s into bound 0; no estimate yet: the first bound's size is known only once it is searched \(each later bound is estimated from the ones before\); (the --max-executions 2500 limit in about \d+ (s|min) at this rate, unless the bound ends first|the --max-executions 2500 limit: no rate yet)$/,
    );
  }
  assert.doesNotMatch(r.out, /executions\/s/, "the running lines are not stdout's");
  assert.match(
    r.out,
    /^stopped at the --max-executions limit of 2500 executions \(those the state hash or a sleep set cut count too\): not exhaustive/m,
  );
});

Deno.test("--progress-every: a bad value is one usage line naming it, before any search", async () => {
  for (const bad of ["0.05", "fast"]) {
    const r = await explore("--preemptions", "0", "--progress-every", bad);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /--progress-every must be a number of seconds, at least 0\.1, got/);
    assert.doesNotMatch(r.out, /^explore:/m);
  }
});

Deno.test("runningLine: no estimate without a limit, and says why", async () => {
  const { runningLine } = await import("./explore.ts");
  const p = { bound: 1, executions: 500, schedules: 400, states: null, boundDone: false };
  const line = runningLine({ ...p, tasks: 40, tasksDone: 3 }, {
    boundSeconds: 5,
    before: 0,
    limit: undefined,
  });
  assert.equal(
    line,
    "bound 1: 500 executions (100 executions/s), 400 schedules, 5 s into bound 1, split tasks " +
      "3 of 40 done (sizes differ: no estimate from them); no estimate: a bound's size is known " +
      "only once it is searched",
  );
});

Deno.test("boundDoneLine: the bound's own time and the time since the search began, each labelled", async () => {
  const { boundDoneLine } = await import("./explore.ts");
  const p = { bound: 1, executions: 900, schedules: 800, states: 700, boundDone: true };
  assert.equal(
    boundDoneLine(p, 145.2, 181.4),
    "bound 1: 800 schedules, 700 distinct states, 900 executions, in 145 s (181 s since the " +
      "search began) (bound done)",
  );
});
