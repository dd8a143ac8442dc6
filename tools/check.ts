/**
 * `deno task check`: formatting, lint, type check, doc lint and the
 * determinism lint of the deciding folders, in that order; stops at the first
 * step that fails. `--help` prints this usage and does nothing else.
 *
 * @module
 */

import { parseFlags, runCommand, usage } from "../cli/args.ts";
import { DECIDING_DIRS } from "../quality/deciding.ts";
import { formatFinding, lintDecidingFolders } from "../quality/determinism_lint.ts";

const FLAGS = { help: { type: "boolean" as const, help: "show this help" } };

/** The steps, as deno subcommands. */
export const STEPS: readonly (readonly string[])[] = [
  ["fmt", "--check"],
  ["lint"],
  ["check", "mod.ts", "**/*.ts"],
  ["doc", "--lint", "mod.ts", "kernel/constants.ts"],
  ["run", "--allow-read", "--allow-run", "--allow-write=/tmp", "tools/check_structure.ts"],
];

const USAGE = usage("deno task check", "", FLAGS) + `

Runs, stopping at the first failure:
${STEPS.map((s) => `  deno ${s.join(" ")}`).join("\n")}
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
