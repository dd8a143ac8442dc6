/**
 * `deno task check`: formatting, lint, the non-null lint (no `!` non-null
 * assertion outside tests in {@linkcode NON_NULL_DIRS}: write an assertion,
 * `present` of kernel/assert.ts), type check, doc lint, the structure check, the
 * mutant key check (every key of kernel/ or services/ a tracked file names is a
 * mutant of the tree, tools/rekey.ts) and the determinism lint of the deciding
 * folders, in that order; stops at the
 * first step that fails. `--help` prints this usage and does nothing else.
 *
 * @module
 */

import { parseFlags, runCommand, usage } from "../cli/args.ts";
import { DECIDING_DIRS } from "../quality/deciding.ts";
import { formatFinding, lintDecidingFolders } from "../quality/determinism_lint.ts";

const FLAGS = { help: { type: "boolean" as const, help: "show this help" } };

/**
 * The folders of the kernel model, its checkers and the tools around them,
 * whose non-test code may hold no `!` non-null assertion: "a `!` is an
 * assertion you did not write".
 */
export const NON_NULL_DIRS: readonly string[] = [
  "kernel",
  "sim",
  "properties",
  "scenario",
  "program",
  "case",
  "fuzz",
  "explore",
  "services",
  "zoo",
  "report",
  "conformance",
  "bench",
];

/**
 * The non-null lint: deno's no-non-null-assertion rule alone, on the non-test
 * files of those folders (tests and their testdata may use `!`).
 */
export const NON_NULL_LINT: readonly string[] = [
  "lint",
  "--rules-tags=",
  "--rules-include=no-non-null-assertion",
  "--ignore=**/*_test.ts,**/testdata/**",
  ...NON_NULL_DIRS,
];

/** The steps, as deno subcommands. */
export const STEPS: readonly (readonly string[])[] = [
  ["fmt", "--check"],
  ["lint"],
  NON_NULL_LINT,
  // `--doc`: the examples in TSDoc too, so CI's test runs need not type-check again (.ci/run).
  ["check", "--doc", "mod.ts", "**/*.ts"],
  ["doc", "--lint", "mod.ts", "kernel/constants.ts"],
  ["run", "--allow-read", "--allow-run", "--allow-write=/tmp", "tools/check_structure.ts"],
  // Every mutant key a tracked file names is a mutant of the tree (tools/rekey.ts).
  [
    "run",
    "--allow-read",
    "--allow-env",
    "--allow-run=git",
    "--allow-write=/tmp",
    "tools/rekey.ts",
    "--check",
  ],
];

const NON_NULL_NOTE = `
    (no \`!\` non-null assertion outside tests: write an assertion, present() of kernel/assert.ts)`;

const USAGE = usage("deno task check", "", FLAGS) + `

Runs, stopping at the first failure:
${STEPS.map((s) => `  deno ${s.join(" ")}${s === NON_NULL_LINT ? NON_NULL_NOTE : ""}`).join("\n")}
  the determinism lint of ${DECIDING_DIRS.join("/, ")}/ (quality/determinism_lint.ts)
Exit status: 0 clean, 1 a step failed, 2 bad input.`;

async function main(): Promise<number> {
  const { values } = parseFlags(Deno.args, FLAGS);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  for (const step of STEPS) {
    const status = await new Deno.Command("deno", { args: [...step], stdin: "null" }).spawn()
      .status;
    if (!status.success) {
      console.error(`check: deno ${step.join(" ")} failed (exit ${status.code})`);
      return 1;
    }
  }
  const r = await lintDecidingFolders();
  for (const f of r.findings) console.error(formatFinding(f));
  console.log(
    `determinism lint: ${r.findings.length} finding(s) in ${r.files.length} deciding module(s) ` +
      `(${(r.ms / 1000).toFixed(1)}s)`,
  );
  return r.findings.length === 0 ? 0 : 1;
}

if (import.meta.main) await runCommand(USAGE, main);
