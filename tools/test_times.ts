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
 * ```
 *
 * @module
 */

import { HELP_FLAG, parseFlags, runCommand, usage, UsageError } from "../cli/args.ts";
import { taskCommand } from "../cli/task.ts";

const FLAGS = {
  help: HELP_FLAG,
  coverage: { type: "boolean" as const, help: "run each file under V8 coverage, as .ci/run" },
  json: { type: "string" as const, value: "FILE", help: "also write the rows as JSON to FILE" },
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
