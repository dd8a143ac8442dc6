/**
 * The coverage gate: reads an lcov report (from `deno coverage --lcov`),
 * prints line and branch coverage per folder, and fails (exit 1) when any
 * gated folder is under its minimum line coverage.
 *
 * Run: deno run --allow-read tools/coverage_gate.ts coverage/lcov.info
 *
 * @module
 */

/** Folders gated, with their minimum line coverage in percent. */
export const GATES: Readonly<Record<string, number>> = { kernel: 90, sim: 90, scenario: 90 };

/** Totals for one folder. */
export interface FolderCoverage {
  linesFound: number;
  linesHit: number;
  branchesFound: number;
  branchesHit: number;
}

/** Sums an lcov report by top-level folder (relative to `root`), skipping test and bench files. */
export function summarize(lcov: string, root: string): Map<string, FolderCoverage> {
  const out = new Map<string, FolderCoverage>();
  let current: FolderCoverage | null = null;
  for (const line of lcov.split("\n")) {
    if (line.startsWith("SF:")) {
      const file = line.slice(3).replace(/^file:\/\//, "");
      const rel = file.startsWith(root) ? file.slice(root.length).replace(/^\//, "") : file;
      const folder = rel.includes("/") ? rel.slice(0, rel.indexOf("/")) : "(root)";
      const skip = /_test\.ts$|_bench\.ts$/.test(rel);
      current = skip
        ? null
        : out.get(folder) ?? { linesFound: 0, linesHit: 0, branchesFound: 0, branchesHit: 0 };
      if (current !== null) out.set(folder, current);
    } else if (current !== null) {
      const [key, value] = line.split(":");
      const n = Number(value);
      if (key === "LF") current.linesFound += n;
      else if (key === "LH") current.linesHit += n;
      else if (key === "BRF") current.branchesFound += n;
      else if (key === "BRH") current.branchesHit += n;
    }
  }
  return out;
}

function pct(hit: number, found: number): number {
  return found === 0 ? 100 : (100 * hit) / found;
}

if (import.meta.main) {
  const file = Deno.args[0] ?? "coverage/lcov.info";
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    console.error(`error: ${file}: cannot read: ${(e as Error).message} (run deno task coverage)`);
    Deno.exit(2);
  }
  const folders = summarize(text, Deno.cwd());
  let failed = false;
  for (const [folder, c] of [...folders].sort()) {
    const lines = pct(c.linesHit, c.linesFound);
    const gate = GATES[folder];
    const verdict = gate === undefined
      ? ""
      : lines >= gate
      ? `  (gate ${gate}%: ok)`
      : `  (gate ${gate}%: FAILED)`;
    if (gate !== undefined && lines < gate) failed = true;
    console.log(
      `${folder.padEnd(12)} lines ${
        lines.toFixed(1).padStart(5)
      }% (${c.linesHit}/${c.linesFound})  ` +
        `branches ${
          pct(c.branchesHit, c.branchesFound).toFixed(1).padStart(5)
        }% (${c.branchesHit}/${c.branchesFound})${verdict}`,
    );
  }
  for (const folder of Object.keys(GATES)) {
    if (!folders.has(folder)) {
      console.error(`error: no coverage data for ${folder}/`);
      failed = true;
    }
  }
  Deno.exit(failed ? 1 : 0);
}
