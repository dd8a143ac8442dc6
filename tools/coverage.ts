/**
 * `deno task coverage`: the project's own coverage gate. Runs the test suite
 * under V8 coverage (`deno test --coverage`), maps it onto the TypeScript
 * sources through Deno's emitted source maps (v8.ts), renders it with c8
 * (text summary, coverage/index.html, coverage/lcov.info) and fails when a
 * gated folder is under its minimum line coverage (GATES).
 *
 * @module
 */

import { resolve } from "node:path";
import { InputError, parseFlags, runCommand, usage } from "../cli/args.ts";
import { taskCommand } from "../cli/task.ts";
import {
  checkThreshold,
  folderSummaries,
  formatPct,
  renderWithC8,
} from "../quality/coverage_report.ts";
import { convertRaw } from "../quality/v8_coverage.ts";

/** Folders gated, with their minimum line coverage in percent (c8 check-coverage --lines). */
export const GATES: Readonly<Record<string, number>> = { kernel: 90, sim: 90, scenario: 90 };

/**
 * The test command `deno task test` runs (deno.json), as deno arguments: the
 * coverage run is the same suite with the same permissions, so one run can be
 * both (`.ci/run` runs the suite once, under coverage, then renders it with --raw).
 */
export async function testTaskArgs(root: string): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(`${root}/deno.json`)) as {
    tasks?: Record<string, string>;
  };
  const task = config.tasks?.test ?? "";
  // The task runs `deno test ...` through cli/task.ts (which answers --help itself).
  const words = taskCommand(task);
  if (words === null || words[1] !== "test") {
    throw new InputError(`deno.json: task "test" is not a "deno test ..." command: ${task}`);
  }
  return words.slice(1);
}

const FLAGS = {
  out: { type: "string" as const, value: "DIR", help: "report folder (default coverage)" },
  raw: {
    type: "string" as const,
    value: "RAW",
    help: "render the raw V8 coverage a test run wrote to RAW instead of running the tests",
  },
  help: { type: "boolean" as const, help: "show this help" },
};

/** The command's `--help` text; its first line is the usage README's command table shows. */
export const USAGE: string = usage("deno task coverage", "[--out DIR] [--raw RAW]", FLAGS) + `

Runs the test suite (the command of \`deno task test\`) under V8 coverage,
renders the result with c8 onto the TypeScript sources (text summary;
DIR/index.html; DIR/lcov.info) and gates lines per folder:
${Object.entries(GATES).map(([f, m]) => `${f}/ ${m}%`).join(", ")}.
DIR is emptied first (but for RAW, when RAW is inside it).

With --raw, the tests are not run again: RAW holds what a test run recorded,
  deno task test --coverage=RAW --coverage-raw-data-only --preload ${"tools/uncovered_children.ts"}
which is how CI (.ci/run) runs the tests of the folders that cover the gated ones, once
for both the tests and the gates (the other folders' tests it runs uncovered).
Either way the tests' child processes (the CLI run as a user runs it) are not
covered: covered, each runs several times slower.
Exit status: 0 gates met, 1 a gate or a test failed, 2 bad input.`;

/**
 * Preloaded into the covered test run: the tests' child processes run
 * uncovered (tools/uncovered_children.ts says why).
 */
export const UNCOVERED_CHILDREN = "tools/uncovered_children.ts";

/** Module files whose coverage counts: project sources, not tests, benches or fixtures. */
export function countsForProject(root: string): (path: string) => boolean {
  return (path) =>
    path.startsWith(`${root}/`) && !/_(test|bench)\.tsx?$/.test(path) &&
    !path.includes("/testdata/") && !path.includes("/scratch/") && !path.includes("/e2e/");
}

async function main(): Promise<number> {
  const { values } = parseFlags(Deno.args, FLAGS);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const root = Deno.cwd();
  const out = resolve((values.out as string | undefined) ?? "coverage");
  const given = values.raw as string | undefined;
  const raw = given === undefined ? `${out}/raw` : resolve(given);
  if (given !== undefined) {
    const info = await Deno.stat(raw).catch(() => null);
    if (info === null || !info.isDirectory) {
      throw new InputError(
        `--raw ${given}: no such folder (write it with deno task test --coverage=${given} --coverage-raw-data-only)`,
      );
    }
    if (!(await hasCoverageFiles(raw))) {
      throw new InputError(`--raw ${given}: holds no V8 coverage (*.json)`);
    }
  }
  await emptyBut(out, given === undefined ? null : raw);
  if (given === undefined) {
    const test = await new Deno.Command("deno", {
      // Deno would also render its own report at the end: c8 renders this one.
      args: [
        ...(await testTaskArgs(root)),
        `--coverage=${raw}`,
        "--coverage-raw-data-only",
        `--preload=${UNCOVERED_CHILDREN}`,
      ],
      env: { PAGERSIM_UNDER_COVERAGE: "1" },
      stdin: "null",
    }).spawn().status;
    if (!test.success) {
      console.error(`coverage: the tests failed (exit ${test.code}); no report`);
      return 1;
    }
  }
  const converted = convertRaw(raw, `${out}/c8`, countsForProject(root));
  for (const m of converted.missing) {
    console.error(`warning: ${m}: no emitted code in Deno's cache`);
  }
  const map = await renderWithC8({
    tempDirectory: `${out}/c8`,
    reportsDirectory: out,
    reporters: ["html", "lcovonly", "text-summary"],
    root,
  });
  const folders = folderSummaries(map, root);
  let failed = false;
  for (const [folder, s] of folders) {
    const gate = GATES[folder];
    const verdict = gate === undefined
      ? ""
      : `  (gate ${gate}%: ${checkThreshold(folder, s, gate) === null ? "ok" : "FAILED"})`;
    console.log(
      `${folder.padEnd(12)} lines ${formatPct(s.lines.covered, s.lines.total).padStart(5)}% ` +
        `(${s.lines.covered}/${s.lines.total})  branches ${
          formatPct(s.branches.covered, s.branches.total).padStart(5)
        }% (${s.branches.covered}/${s.branches.total})${verdict}`,
    );
  }
  for (const [folder, gate] of Object.entries(GATES)) {
    const error = checkThreshold(folder, folders.get(folder), gate);
    if (error !== null) {
      console.error(error);
      failed = true;
    }
  }
  console.log(`coverage: ${out}/index.html, ${out}/lcov.info`);
  return failed ? 1 : 0;
}

/** Whether `dir` holds a V8 coverage file. */
async function hasCoverageFiles(dir: string): Promise<boolean> {
  for await (const e of Deno.readDir(dir)) if (e.isFile && e.name.endsWith(".json")) return true;
  return false;
}

/** Removes `dir`, or everything in it but `keep` when `keep` lies inside it. */
async function emptyBut(dir: string, keep: string | null): Promise<void> {
  if (keep === null || !keep.startsWith(`${dir}/`)) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    return;
  }
  const top = keep.slice(dir.length + 1).split("/")[0];
  for await (const e of Deno.readDir(dir)) {
    if (e.name !== top) await Deno.remove(`${dir}/${e.name}`, { recursive: true });
  }
}

if (import.meta.main) await runCommand(USAGE, main);
