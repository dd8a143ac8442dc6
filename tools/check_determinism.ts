/**
 * The determinism check: code that decides a run's outcome (kernel/, sim/,
 * and the rest of DECIDING_DIRS) must not read wall-clock time, timers, host
 * randomness or the environment. Wall-clock reads for campaign budgets and
 * progress live in fuzz/clock.ts, outside those folders.
 *
 * Run: `deno run --allow-read tools/check_determinism.ts [DIR...]`; exits 1 and
 * names every offending line.
 *
 * @module
 */

/**
 * The scope of the check, in one place: folders whose code decides a run's
 * outcome, and the host-side files inside them (file I/O, workers, the clock),
 * which are left out by name.
 */
export const DECIDING_DIRS = [
  "kernel",
  "sim",
  "scenario",
  "program",
  "case",
  "fuzz",
  "properties",
  "services",
  "zoo",
  "explore",
];

/** Host-side files inside {@linkcode DECIDING_DIRS}: they do I/O, never decide a run's outcome. */
export const HOST_FILES: readonly string[] = [
  "case/store.ts",
  "fuzz/_worker_pool.ts",
  "fuzz/clock.ts",
  "fuzz/corpus_io.ts",
  "fuzz/orchestrate.ts",
  "fuzz/worker.ts",
];

/** Forbidden sources of nondeterminism, with why each is forbidden. */
export const FORBIDDEN: readonly { pattern: RegExp; why: string }[] = [
  { pattern: /\bMath\.random\b/, why: "host randomness: use the decision source" },
  { pattern: /\bDate\b/, why: "wall-clock time: use virtual ticks" },
  { pattern: /\bperformance\s*\.\s*now\b/, why: "wall-clock time: use virtual ticks" },
  { pattern: /\bset(Timeout|Interval|Immediate)\b/, why: "host timers: use virtual time" },
  { pattern: /\bqueueMicrotask\b/, why: "host scheduling: the scheduler decides order" },
  { pattern: /\bcrypto\s*\.\s*(getRandomValues|randomUUID|subtle)\b/, why: "host randomness" },
  {
    pattern: /\bDeno\s*\.\s*(env|hrtime|pid|hostname|osRelease|systemMemoryInfo)\b/,
    why: "host-dependent input",
  },
  { pattern: /\bnew\s+Worker\b/, why: "host scheduling" },
];

/** A forbidden use found in a file. */
export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly why: string;
}

/** Strips `//` and `/* *\/` comments and string contents so only code is matched. */
function codeOnly(source: string): string[] {
  const noBlock = source.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, " "));
  return noBlock.split("\n").map((line) =>
    line.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""').replace(/\/\/.*$/, "")
  );
}

/** Scans one source text. */
export function scanSource(file: string, source: string): Finding[] {
  const findings: Finding[] = [];
  codeOnly(source).forEach((line, i) => {
    for (const { pattern, why } of FORBIDDEN) {
      if (pattern.test(line)) findings.push({ file, line: i + 1, text: line.trim(), why });
    }
  });
  return findings;
}

/** Scans every non-test `.ts` file under `dirs`. */
export async function scanDirs(dirs: readonly string[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = [];
    for await (const e of Deno.readDir(dir)) entries.push(e);
    entries.sort((a, b) => a.name < b.name ? -1 : 1);
    for (const e of entries) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(path);
      else if (
        e.name.endsWith(".ts") && !e.name.endsWith("_test.ts") && !e.name.endsWith("_bench.ts") &&
        !HOST_FILES.includes(path.replace(/^\.\//, ""))
      ) {
        findings.push(...scanSource(path, await Deno.readTextFile(path)));
      }
    }
  };
  for (const d of dirs) await walk(d);
  return findings;
}

if (import.meta.main) {
  const dirs = Deno.args.length > 0 ? Deno.args : DECIDING_DIRS;
  const findings = await scanDirs(dirs);
  for (const f of findings) console.error(`${f.file}:${f.line}: ${f.why}: ${f.text}`);
  console.log(`determinism check: ${findings.length} forbidden uses in ${dirs.join(", ")}`);
  Deno.exit(findings.length === 0 ? 0 : 1);
}
