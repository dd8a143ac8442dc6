/**
 * The configuration flags (`--config`, `--import-map`, `--lock`, ...) a child `deno run` needs
 * to load what this process loads: the project's import map, so a service of another project
 * importing `pagersim/constants` still loads. Apart from the coverage tooling (which re-exports
 * them), so that a command giving them to its children does not hold c8 in its module graph
 * (userS29a; `cli/coverage_imports_test.ts`).
 *
 * @module
 */
import { resolve } from "node:path";
import { projectConfig } from "./store.ts";

/** Deno flags of `deno run` that name the configuration (import map) and take a separate value. */
const CONFIG_VALUE_FLAGS = new Set(["--config", "-c", "--import-map", "--lock"]);
/** Deno flags that take a separate value but say nothing of the configuration. */
const OTHER_VALUE_FLAGS = new Set([
  "--cert",
  "--location",
  "--seed",
  "--unsafely-ignore-certificate-errors",
]);

/**
 * The configuration flags (`--config`, `--import-map`, `--lock`, `--no-config`, ...) of a
 * `deno run` command line `argv` (the process's own, `deno run ... module args`), made
 * absolute against `cwd`: those before the module, the command's own arguments are not
 * Deno's. A rerun without them loses the project's import map: a service of another project
 * importing `pagersim/constants` would not load.
 */
export function configFlags(argv: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  const run = argv.indexOf("run");
  if (run < 0) return out;
  for (let i = run + 1; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("-")) break; // the module: what follows is the command's
    const eq = a.indexOf("=");
    const name = eq < 0 ? a : a.slice(0, eq);
    if (CONFIG_VALUE_FLAGS.has(name)) {
      const value = eq < 0 ? argv[++i] : a.slice(eq + 1);
      if (value === undefined) break;
      out.push(`${name === "-c" ? "--config" : name}=${resolve(cwd, value)}`);
    } else if (OTHER_VALUE_FLAGS.has(name) && eq < 0) {
      i++;
    } else if (name === "--no-config" || name === "--no-lock") {
      out.push(name);
    }
  }
  return out;
}

/**
 * The configuration this process runs with, to give the rerun: its own command line's
 * `--config`/`--import-map` where the host shows it (Linux /proc, readable with -A, as the
 * README's "In another project" tasks run), else the project's deno.json(c) nearest the
 * working directory (where `deno task` runs; case/store.ts `projectConfig`), else none.
 */
export async function parentConfigFlags(cwd: string = Deno.cwd()): Promise<string[]> {
  try {
    const argv = (await Deno.readTextFile("/proc/self/cmdline")).split("\0");
    return configFlags(argv, cwd);
  } catch {
    // not Linux, or no read access to /proc: the project's deno.json
  }
  const config = await projectConfig(cwd);
  return config === null ? [] : [`--config=${config}`];
}
