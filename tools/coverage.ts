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
import { parseFlags, runCommand, usage } from "../cli/args.ts";
import {
  checkThreshold,
  folderSummaries,
  formatPct,
  renderWithC8,
} from "../quality/coverage_report.ts";
import { convertRaw } from "../quality/v8_coverage.ts";

/** Folders gated, with their minimum line coverage in percent (c8 check-coverage --lines). */
export const GATES: Readonly<Record<string, number>> = { kernel: 90, sim: 90, scenario: 90 };

/** Folders whose tests run under coverage. */
export const TESTED = [
  "kernel/",
  "sim/",
  "scenario/",
  "program/",
  "case/",
  "services/",
  "conformance/",
  "fuzz/",
  "tools/",
  "properties/",
  "explore/",
  "zoo/",
  "cli/",
  "examples/",
];

/** The permissions `deno task test` gives the tests. */
const TEST_PERMISSIONS = [
  "--allow-read",
  "--allow-write=corpus,/tmp",
  "--allow-env",
  "--allow-run",
];

const FLAGS = {
  out: { type: "string" as const, value: "DIR", help: "report folder (default coverage)" },
  help: { type: "boolean" as const, help: "show this help" },
};

const USAGE = usage("deno task coverage", "[--out DIR]", FLAGS) + `

Runs the tests of ${TESTED.join(" ")} under V8 coverage, renders the result
with c8 onto the TypeScript sources (text summary; DIR/index.html; DIR/lcov.info)
and gates lines per folder: ${Object.entries(GATES).map(([f, m]) => `${f}/ ${m}%`).join(", ")}.
DIR is emptied first.
Exit status: 0 gates met, 1 a gate or a test failed, 2 bad input.`;

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
  await Deno.remove(out, { recursive: true }).catch(() => {});
  const raw = `${out}/raw`;
  const test = await new Deno.Command("deno", {
    // Deno would also render its own report at the end: c8 renders this one.
    args: ["test", ...TEST_PERMISSIONS, `--coverage=${raw}`, "--coverage-raw-data-only", ...TESTED],
    env: { PAGERSIM_UNDER_COVERAGE: "1" },
    stdin: "null",
  }).spawn().status;
  if (!test.success) {
    console.error(`coverage: the tests failed (exit ${test.code}); no report`);
    return 1;
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

if (import.meta.main) await runCommand(USAGE, main);
