// Every command takes --help without doing the job (issue 12): it exits 0, prints its usage, and
// changes no file of the checkout. Regression: `deno task bench:zoo --help` ran the whole
// benchmark and rewrote docs/benchmarks.md; zoo/expose.ts wrote cases into a "--help" directory;
// the bench and program-fuzzing scripts ran their measurements.
// (`check` and `coverage` are covered with their own fixes.)
import { strict as assert } from "node:assert";

const root = new URL("../", import.meta.url);

/** Every file of the checkout (not .git) with its size and modification time. */
async function snapshot(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (dir: URL, rel: string) => {
    for await (const e of Deno.readDir(dir)) {
      // .git, and coverage/ (deno task coverage runs this test while the commands it starts write
      // their V8 coverage there): neither is a file a command's --help could have changed.
      if (rel === "" && (e.name === ".git" || e.name === "coverage")) continue;
      const path = rel + e.name;
      if (e.isDirectory) await walk(new URL(`${e.name}/`, dir), `${path}/`);
      else {
        const st = await Deno.lstat(new URL(e.name, dir));
        files.set(path, `${st.size} ${st.mtime?.getTime()}`);
      }
    }
  };
  await walk(root, "");
  return files;
}

function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [p, v] of after) if (before.get(p) !== v) out.push(before.has(p) ? p : `+${p}`);
  for (const p of before.keys()) if (!after.has(p)) out.push(`-${p}`);
  return out;
}

/**
 * Every task, run the way deno.json runs it: a `deno run` task directly (so a command that
 * ignores --help can be stopped), the others (deno's own test, bench) through `deno task`.
 * `check` and `coverage` are left to their own fix.
 */
function taskCommands(): string[][] {
  return [...namedTaskCommands().values()];
}

/** {@linkcode taskCommands} by task name. */
function namedTaskCommands(): Map<string, string[]> {
  const tasks: Record<string, string> = JSON.parse(
    Deno.readTextFileSync(new URL("deno.json", root)),
  ).tasks;
  const out = new Map<string, string[]>();
  for (const [name, line] of Object.entries(tasks)) {
    if (name === "check" || name === "coverage") continue;
    out.set(name, line.startsWith("deno run ") ? line.split(/\s+/).slice(1) : ["task", name]);
  }
  return out;
}

/** The task a command runs, if it is one of deno.json's (its usage must name it). */
function taskOf(command: readonly string[]): string | undefined {
  for (const [name, c] of namedTaskCommands()) {
    if (c.length === command.length && c.every((a, i) => a === command[i])) return name;
  }
  return undefined;
}

/** The tasks whose command is a shorter start of `command` (a task that only adds flags). */
function baseTasksOf(command: readonly string[]): string[] {
  return [...namedTaskCommands()]
    .filter(([, c]) => c.length < command.length && c.every((a, i) => a === command[i]))
    .map(([name]) => name);
}

const direct = (task: string, ...more: string[]) => {
  const line = taskCommands().find((c) => c.some((a) => a.endsWith(`cli/${task}.ts`)));
  assert.ok(line, task);
  return [...line, ...more];
};

const SCRIPT = ["run", "-A"];
/** A case of the corpus that `corpus accept` would rewrite and `repro` replay. */
const CASE = "corpus/zoo-duplicate-read.json";
const lintService = namedTaskCommands().get("lint-service") ?? [];
const COMMANDS: readonly (readonly string[])[] = [
  ...taskCommands(),
  direct("fuzz", "--mode", "programs"),
  direct("corpus", "merge"),
  direct("corpus", "list"),
  // The flag after what would start the job: `corpus accept` runs in a guarded worker of its
  // own and rewrites its case, the others would run, replay or search.
  direct("corpus", "accept", CASE),
  direct("repro", CASE),
  direct("sim", "--seed", "1"),
  // A bad contract would be refused (exit 2), a good one replayed: --help does neither.
  direct("repro", "--service", "fuzz/testdata/lossy_service.ts", "--contract-json", "{"),
  direct("sim", "--service", "fuzz/testdata/lossy_service.ts", "--contract-json", "{}"),
  direct("fuzz", "--runs", "5"),
  direct("explore", "--preemptions", "1"),
  direct("mutate", "--sample", "1"),
  [...lintService, "examples/my_service.ts"],
  [...SCRIPT, "bench/report.ts"],
  [...SCRIPT, "bench/throughput_report.ts"],
  [...SCRIPT, "bench/campaign_report.ts"],
  [...SCRIPT, "tools/guidance_compare.ts"],
  [...SCRIPT, "tools/zoo_expose.ts"],
  [...SCRIPT, "tools/migrate_corpus.ts"],
  [...SCRIPT, "tools/check_structure.ts"],
  [...SCRIPT, "tools/test_kills.ts"],
  [...SCRIPT, "tools/campaign_kills.ts"],
  [...SCRIPT, "tools/checker_costs.ts"],
  [...SCRIPT, "tools/judge_programs.ts"],
];

/**
 * Runs `deno ARGS` from the project root, killed after 30 s: a command that does its job instead
 * of printing its usage or refusing the flag takes minutes, and the assertion then says so.
 */
async function bounded(args: string[]): Promise<Deno.CommandOutput> {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  try {
    return await child.output();
  } finally {
    clearTimeout(timer);
  }
}

for (const command of COMMANDS) {
  const shown = `deno ${command.join(" ")} --help`;
  Deno.test(`${shown}: exits 0, prints usage, changes no file`, async () => {
    const before = await snapshot();
    const out = await bounded([...command, "--help"]);
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, `${shown} exited ${out.code} (signal ${out.signal}):\n${text}`);
    assert.match(text, /usage:/i, `${shown} printed no usage:\n${text}`);
    // Ours, not the runner's: `deno task bench --help` printed Deno's own "Usage: deno bench".
    const task = taskOf(command);
    if (task !== undefined) {
      // A task that is another task's command with flags added (mutate:full is mutate's) prints
      // that task's usage.
      const names = [task, ...baseTasksOf(command)].map((t) => t.replace(/[.:]/g, "\\$&"));
      const ours = new RegExp(`^usage: deno task (${names.join("|")})( |$)`, "m");
      assert.match(text, ours, `${shown} printed another usage than its task's:\n${text}`);
    }
    assert.deepEqual(changes(before, await snapshot()), [], `${shown} changed files`);
  });
}

// Every command, given a flag it does not know, says so in one line of ours (the same words for
// all: `repro FILE --seeed 3` and `corpus list --x` printed node's parseArgs message, with its
// unbalanced quote), then one line saying where its usage is (kfix27: the whole usage, 40 lines
// for fuzz, buried the error), and exits 2 having run nothing. The wrapped runners (test,
// bench, ...) hand their arguments to deno's own, which words its errors itself.
const ALL_TASKS: Record<string, string> = JSON.parse(
  Deno.readTextFileSync(new URL("deno.json", root)),
).tasks;
const UNKNOWN_FLAG_COMMANDS: readonly (readonly string[])[] = [
  ...COMMANDS.filter((c) => c[0] !== "task" && !c.some((a) => a.endsWith("cli/task.ts"))),
  ...["check", "coverage"].map((t) => ALL_TASKS[t].split(/\s+/).slice(1)),
  direct("repro", "corpus/none.json"),
  direct("fuzz", "--mode", "programs", "--runs", "1"),
];
for (const command of UNKNOWN_FLAG_COMMANDS) {
  for (const [flag, line] of [["--frobnicate", "error: unknown flag --frobnicate"]]) {
    const shown = `deno ${command.join(" ")} ${flag}`;
    Deno.test(`${shown}: one line of ours, the --help hint, exit 2`, async () => {
      const before = await snapshot();
      const out = await bounded([...command, flag]);
      const err = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 2, `${shown} exited ${out.code} (signal ${out.signal}):\n${err}`);
      assert.equal(err.split("\n")[0], line, `${shown}:\n${err}`);
      assert.match(
        err.split("\n")[1],
        /^run deno (task \S+|run .*\.ts) --help for the options$/,
        `${shown} printed no --help hint:\n${err}`,
      );
      assert.doesNotMatch(err, /^usage: |^options:/m, `${shown} printed its usage:\n${err}`);
      assert.equal(err.trimEnd().split("\n").length, 2, `${shown}: more than two lines:\n${err}`);
      assert.doesNotMatch(err, /Unknown option|positional argument|\n\s+at /, `${shown}:\n${err}`);
      assert.deepEqual(changes(before, await snapshot()), [], `${shown} changed files`);
    });
  }
}

Deno.test("a mistyped flag after a positional gets the suggestion (repro FILE --seeed 3)", async () => {
  for (
    const [command, line] of [
      [
        direct("repro", "corpus/none.json", "--seeed", "3"),
        "unknown flag --seeed; did you mean --seed?",
      ],
      [direct("corpus", "list", "--int"), "unknown flag --int; did you mean --into?"],
    ] as const
  ) {
    const out = await bounded([...command]);
    const err = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 2, err);
    assert.equal(err.split("\n")[0], `error: ${line}`, err);
  }
});

// Session 33 (fix33a, trial32b): `deno run --allow-read cli/mutate.ts --help` died with a Babel
// NotCapable stack trace (BABEL_ENV): loading Stryker's instrumenter reads the environment, and
// help loaded it. Every other cli/*.ts prints its help with --allow-read alone; mutate now loads
// the instrumenter on first use (mutate/instrument.ts).
Deno.test("cli/mutate.ts --help needs no permission beyond --allow-read", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "cli/mutate.ts", "--help"],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, err);
  assert.match(new TextDecoder().decode(out.stdout), /^usage: deno task mutate /);
  assert.doesNotMatch(err, /NotCapable/);
});
