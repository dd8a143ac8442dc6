/**
 * Per-file cost of the test suite: runs each test file in its own `deno test` with the test
 * task's permissions (read from deno.json, so the figures follow the task), one after another,
 * and prints each file's wall and CPU seconds (user + system, children included, from
 * `/usr/bin/time`), slowest first, with the totals. CPU seconds hold steadier than wall seconds
 * on a loaded machine. `--coverage` runs each file as `.ci/run` does (V8 coverage into a
 * temporary directory, the children uncovered). Type checking is left out (`--no-check`; CI
 * checks once, in `deno task check`), and so are the doc examples of non-test modules.
 *
 * @example
 * ```sh
 * deno run --allow-read --allow-run --allow-write=/tmp tools/test_times.ts program/ cli/hang_report_test.ts
 * deno run --allow-read --allow-run --allow-write=/tmp tools/test_times.ts --coverage --json /tmp/times.json
 * deno run --allow-read tools/test_times.ts --log ci.log --part 1 --after "conformance --kernel"
 * ```
 *
 * `--log` reads the durations a `deno test` run reported in a log instead (CI's: `.ci/run` runs two,
 * `--part` picks one): each file's tests summed, and with `--after TEXT` the tests reported before
 * and after the first one whose name holds TEXT. In one run of the whole suite a file that leaves
 * a worker busy slows every file after it (session 28: the covered tests after one such test took
 * 3x their time), which files timed one by one do not show.
 *
 * @module
 */

import { HELP_FLAG, intFlag, parseFlags, runCommand, usage, UsageError } from "../cli/args.ts";
import { taskCommand } from "../cli/task.ts";

const FLAGS = {
  help: HELP_FLAG,
  coverage: { type: "boolean" as const, help: "run each file under V8 coverage, as .ci/run" },
  json: { type: "string" as const, value: "FILE", help: "also write the rows as JSON to FILE" },
  log: {
    type: "string" as const,
    value: "LOG",
    help: "read the test durations a deno test run printed in LOG instead of running files",
  },
  part: {
    type: "string" as const,
    value: "K",
    help: "with --log: the K-th deno test run of the log (default 1)",
  },
  after: {
    type: "string" as const,
    value: "TEXT",
    help: "with --log: also sum the tests before and after the first whose name holds TEXT",
  },
};

const USAGE = usage(
  "deno run --allow-read --allow-run --allow-write=/tmp tools/test_times.ts",
  "[PATH...]",
  FLAGS,
) + `

PATH: test files or folders (default: the whole project). Exit status: 0 every file passed,
1 some file failed (its row says so), 2 bad input.`;

/** One test file's run. */
export interface FileTime {
  /** Path relative to the project root. */
  readonly file: string;
  /** Wall-clock seconds of its `deno test`. */
  readonly wall: number;
  /** User plus system CPU seconds of it and its children. */
  readonly cpu: number;
  /** Its `deno test` exit status. */
  readonly code: number;
}

const SKIP_DIRS = new Set(["node_modules", "coverage", ".git"]);

/**
 * The test files (`*_test.ts`) under `paths` (files or folders, relative to `root`), sorted
 * and without repeats; a path that does not exist is a {@linkcode UsageError}.
 */
export function testFiles(root: string, paths: readonly string[]): string[] {
  const out = new Set<string>();
  const walk = (rel: string): void => {
    const entries = [...Deno.readDirSync(`${root}/${rel}`)].sort((a, b) =>
      a.name < b.name ? -1 : 1
    );
    for (const e of entries) {
      const path = rel === "." ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory && !SKIP_DIRS.has(e.name)) walk(path);
      else if (e.isFile && e.name.endsWith("_test.ts")) out.add(path);
    }
  };
  for (const p of paths) {
    const rel = p.replace(/^\.\//, "").replace(/\/$/, "") || ".";
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(`${root}/${rel}`);
    } catch {
      throw new UsageError(`no such file or folder: ${p}`);
    }
    if (info.isDirectory) walk(rel);
    else out.add(rel);
  }
  return [...out].sort();
}

/**
 * The rows as a table, slowest (wall) first, with each file's share of the total and the totals.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { timeTable } from "./test_times.ts";
 * const table = timeTable([
 *   { file: "a_test.ts", wall: 1, cpu: 0.5, code: 0 },
 *   { file: "b_test.ts", wall: 3, cpu: 2.5, code: 1 },
 * ]);
 * assert.deepEqual(table.split("\n").map((l) => l.trim().split(/\s+/)[0]), [
 *   "wall", "3.0", "1.0", "4.0",
 * ]);
 * assert.match(table, /b_test\.ts FAILED \(exit 1\)/);
 * ```
 */
export function timeTable(rows: readonly FileTime[]): string {
  const total = (k: "wall" | "cpu") => rows.reduce((s, r) => s + r[k], 0);
  const wall = total("wall"), cpu = total("cpu");
  const line = (w: number, c: number, share: string, name: string) =>
    `${w.toFixed(1).padStart(8)} ${c.toFixed(1).padStart(8)} ${share.padStart(6)}  ${name}`;
  const sorted = [...rows].sort((a, b) => b.wall - a.wall || (a.file < b.file ? -1 : 1));
  return [
    `${"wall s".padStart(8)} ${"cpu s".padStart(8)} ${"share".padStart(6)}  file`,
    ...sorted.map((r) =>
      line(
        r.wall,
        r.cpu,
        `${(wall > 0 ? 100 * r.wall / wall : 0).toFixed(1)}%`,
        r.code === 0 ? r.file : `${r.file} FAILED (exit ${r.code})`,
      )
    ),
    line(wall, cpu, "100%", `total: ${rows.length} files`),
  ].join("\n");
}

/** One test's reported duration in a `deno test` log. */
export interface LoggedTest {
  readonly file: string;
  readonly name: string;
  readonly seconds: number;
}

/**
 * The tests of the `part`-th `deno test` run in `log` (runs end at their `| N passed` summary
 * line), in the order reported, with their durations; steps of a test are left out (their test
 * counts them).
 *
 * @example
 * ```ts
 * import { loggedTests } from "./test_times.ts";
 * const log = "./a_test.ts => one ... ok (2s)\n./a_test.ts => two ... ok (1m3s)\n" +
 *   "ok | 2 passed | 0 failed (1m5s)\n./b_test.ts => three ... ok (12ms)\n";
 * console.assert(loggedTests(log, 1).map((t) => t.seconds).join() === "2,63");
 * console.assert(loggedTests(log, 2)[0].seconds === 0.012);
 * ```
 */
export function loggedTests(log: string, part: number): LoggedTest[] {
  const out: LoggedTest[] = [];
  let run = 1;
  // deno-lint-ignore no-control-regex
  for (const raw of log.replace(/\x1b\[[0-9;]*m/g, "").split("\n")) {
    const line = raw.trim();
    if (/^(ok|FAILED) \| \d+ passed/.test(line)) {
      run++;
      continue;
    }
    if (run !== part) continue;
    const m = /^(\.\/\S+) => (.*) \.\.\. (?:ok|FAILED) \((?:(\d+)m)?([\d.]+)(ms|s|µs)\)$/.exec(
      line,
    );
    if (m === null || m[2].includes(" ... ")) continue;
    const unit = m[5] === "ms" ? 1e-3 : m[5] === "µs" ? 1e-6 : 1;
    out.push({ file: m[1], name: m[2], seconds: Number(m[3] ?? 0) * 60 + Number(m[4]) * unit });
  }
  return out;
}

/** `--log`: per-file sums of the logged tests, slowest first, and the split at `after`. */
function logTable(tests: readonly LoggedTest[], after: string | undefined): string {
  const perFile = new Map<string, number>();
  for (const t of tests) perFile.set(t.file, (perFile.get(t.file) ?? 0) + t.seconds);
  const sum = (ts: readonly LoggedTest[]) => ts.reduce((n, t) => n + t.seconds, 0);
  const lines = [...perFile].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([file, s]) => `${s.toFixed(1).padStart(8)}  ${file}`);
  lines.push(
    `${sum(tests).toFixed(1).padStart(8)}  total: ${tests.length} tests, ${perFile.size} files`,
  );
  if (after !== undefined) {
    const at = tests.findIndex((t) => t.name.includes(after));
    if (at < 0) throw new UsageError(`--after: no test of the run is named with "${after}"`);
    lines.push(
      `before ${tests[at].file} => ${tests[at].name}: ${at} tests, ${
        sum(tests.slice(0, at)).toFixed(1)
      } s; ` +
        `it: ${tests[at].seconds.toFixed(1)} s; after: ${tests.length - at - 1} tests, ` +
        `${sum(tests.slice(at + 1)).toFixed(1)} s`,
    );
  }
  return lines.join("\n");
}

/** The test task's `deno test` words (deno.json), without `--doc`, type checking left out. */
function testCommand(root: string): string[] {
  const tasks = JSON.parse(Deno.readTextFileSync(`${root}/deno.json`)).tasks;
  const command = taskCommand(tasks.test);
  if (command === null) throw new Error("deno.json: the test task runs no deno command");
  return [...command.filter((w) => w !== "--doc"), "--no-check"];
}

async function timeFile(root: string, command: readonly string[], file: string, coverage: boolean) {
  const timeOut = Deno.makeTempFileSync({ prefix: "pagersim-test-times-" });
  const covDir = coverage ? Deno.makeTempDirSync({ prefix: "pagersim-test-times-cov-" }) : null;
  const covArgs = covDir === null ? [] : [
    `--coverage=${covDir}`,
    "--coverage-raw-data-only",
    "--preload",
    "tools/uncovered_children.ts",
  ];
  try {
    const start = performance.now();
    const { code } = await new Deno.Command("/usr/bin/time", {
      args: ["-f", "%U %S", "-o", timeOut, ...command, ...covArgs, file],
      cwd: root,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
    const wall = (performance.now() - start) / 1000;
    const [user, sys] = Deno.readTextFileSync(timeOut).trim().split("\n").at(-1)!.split(" ")
      .map(Number);
    return { file, wall, cpu: user + sys, code };
  } finally {
    Deno.removeSync(timeOut);
    if (covDir !== null) Deno.removeSync(covDir, { recursive: true });
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseFlags(Deno.args, FLAGS, true);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (typeof values.log === "string") {
    const part = intFlag(values, "part", 1, 1, 2 ** 31);
    let log: string;
    try {
      log = Deno.readTextFileSync(values.log);
    } catch (e) {
      throw new UsageError(`--log: cannot read ${values.log}: ${(e as Error).message}`);
    }
    const tests = loggedTests(log, part);
    if (tests.length === 0) {
      throw new UsageError(`--log: no test durations in run ${part} of ${values.log}`);
    }
    console.log(logTable(tests, typeof values.after === "string" ? values.after : undefined));
    return 0;
  }
  const root = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
  const files = testFiles(root, positionals.length === 0 ? ["."] : positionals);
  if (files.length === 0) throw new UsageError(`no test files under ${positionals.join(" ")}`);
  const command = testCommand(root);
  const rows: FileTime[] = [];
  for (const file of files) {
    const row = await timeFile(root, command, file, values.coverage === true);
    console.error(
      `${row.wall.toFixed(1).padStart(7)}s wall ${
        row.cpu.toFixed(1).padStart(7)
      }s cpu  ${row.file}${row.code ? " FAILED" : ""}`,
    );
    rows.push(row);
  }
  console.log(timeTable(rows));
  if (typeof values.json === "string") {
    Deno.writeTextFileSync(values.json, JSON.stringify(rows, null, 1) + "\n");
  }
  return rows.every((r) => r.code === 0) ? 0 : 1;
}

if (import.meta.main) await runCommand(USAGE, main);
