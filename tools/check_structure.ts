/**
 * The structure check, built on `deno info --json`: no import cycle between
 * top-level folders, no import cycle between files, no CLI code outside
 * `cli/` (nothing outside it imports it), and no file I/O in the folders whose
 * code decides a run's outcome except their listed host-side files
 * (`quality/deciding.ts`, one place for that scope). Test files are
 * left out: a test may import anything.
 *
 * Run: `deno run --allow-read --allow-run --allow-write=/tmp tools/check_structure.ts`;
 * exits 1 and names every offence.
 *
 * @module
 */

import { runCommand, scriptArgs } from "../cli/args.ts";
import { DECIDING_DIRS, HOST_FILES } from "../quality/deciding.ts";

/** One module of the graph: its path from the root and the local modules it imports. */
export interface GraphModule {
  /** Path relative to the project root (`case/store.ts`). */
  readonly path: string;
  /** Local modules it imports, relative to the root. */
  readonly imports: readonly string[];
  /** The subset imported for values (not `import type` only); default: all of `imports`. */
  readonly codeImports?: readonly string[];
}

/** The folder of a path: its first segment, or `.` for a root file. */
export function folderOf(path: string): string {
  const i = path.indexOf("/");
  return i < 0 ? "." : path.slice(0, i);
}

/** Strongly connected components of more than one node (or a self-loop): the cycles of a graph. */
export function cycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>(), low = new Map<string, number>();
  const stack: string[] = [], on = new Set<string>(), out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v) as number, idx.get(w) as number));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      for (;;) {
        const w = stack.pop() as string;
        on.delete(w);
        scc.push(w);
        if (w === v) break;
      }
      if (scc.length > 1 || edges.get(v)?.has(v)) out.push(scc.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!idx.has(v)) visit(v);
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/** File I/O and process calls that only `cli/` and host-side files may make. */
const IO =
  /\bDeno\s*\.\s*(readTextFile|readFile|writeTextFile|writeFile|readDir|mkdir|remove|rename|link|open|create|stat|lstat|realPath|makeTempDir|makeTempFile|copyFile|Command|args|exit)\b/;

/** What the structure check found wrong, one line each. */
export function offences(
  modules: readonly GraphModule[],
  sources: ReadonlyMap<string, string>,
): string[] {
  const out: string[] = [];
  const files = new Map<string, Set<string>>();
  const folders = new Map<string, Set<string>>();
  for (const m of modules) {
    files.set(m.path, new Set(m.imports));
    const from = folderOf(m.path);
    for (const to of m.imports) {
      const f = folderOf(to);
      if (f !== from) {
        if (!folders.has(from)) folders.set(from, new Set());
        (folders.get(from) as Set<string>).add(f);
      }
      // Commands live in cli/; tools/ scripts (the project's own commands) may use its parser.
      if (f === "cli" && from !== "cli" && from !== "." && from !== "tools") {
        out.push(`${m.path} imports ${to}: CLI code is only for cli/`);
      }
    }
  }
  for (const c of cycles(folders)) out.push(`folder cycle: ${c.join(" <-> ")}`);
  // A cycle of `import type` edges only is erased at run time (types naming each other);
  // a cycle with one value import among its files is an initialisation-order hazard.
  const code = new Map(modules.map((m) => [m.path, new Set(m.codeImports ?? m.imports)]));
  for (const c of cycles(files)) {
    const members = new Set(c);
    if (c.some((f) => [...code.get(f) ?? []].some((t) => members.has(t)))) {
      out.push(`file cycle: ${c.join(" <-> ")}`);
    }
  }
  for (const m of modules) {
    if (!DECIDING_DIRS.includes(folderOf(m.path)) || HOST_FILES.includes(m.path)) continue;
    const lines = (sources.get(m.path) ?? "").split("\n");
    lines.forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, "");
      if (!code.trimStart().startsWith("*") && IO.test(code)) {
        out.push(`${m.path}:${i + 1}: file or process I/O outside cli/ and the host-side files`);
      }
    });
  }
  return out;
}

/** The project's non-test modules and their local imports, from `deno info --json`. */
export async function projectGraph(root: string): Promise<{
  modules: GraphModule[];
  sources: Map<string, string>;
}> {
  const paths: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(`${root}/${dir}`)) {
      const p = dir === "." ? e.name : `${dir}/${e.name}`;
      if (e.isDirectory) {
        if (
          !e.name.startsWith(".") &&
          !["coverage", "scratch", "node_modules", "testdata"].includes(e.name)
        ) {
          await walk(p);
        }
      } else if (
        p.endsWith(".ts") && !/_(test|bench)\.ts$/.test(p) && !p.startsWith("bench/") &&
        !p.startsWith("e2e/")
      ) {
        paths.push(p);
      }
    }
  };
  await walk(".");
  paths.sort();
  const entry = await Deno.makeTempFile({ prefix: "pagersim-structure-", suffix: ".ts" });
  try {
    await Deno.writeTextFile(
      entry,
      paths.map((p) => `import "${new URL(p, `file://${root}/`).href}";`).join("\n") + "\n",
    );
    const o = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", "--config", `${root}/deno.json`, entry],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!o.success) throw new Error(`deno info failed: ${new TextDecoder().decode(o.stderr)}`);
    const info = JSON.parse(new TextDecoder().decode(o.stdout)) as {
      modules: {
        specifier: string;
        local?: string;
        dependencies?: { code?: { specifier?: string }; type?: { specifier?: string } }[];
      }[];
    };
    const prefix = `file://${root}/`;
    const rel = (s: string | undefined) => s?.startsWith(prefix) ? s.slice(prefix.length) : null;
    const modules: GraphModule[] = [];
    const sources = new Map<string, string>();
    for (const m of info.modules) {
      const path = rel(m.specifier);
      if (path === null || !paths.includes(path)) continue;
      const imports = new Set<string>(), codeImports = new Set<string>();
      for (const d of m.dependencies ?? []) {
        const code = rel(d.code?.specifier), type = rel(d.type?.specifier);
        for (const to of [code, type]) if (to !== null && to !== path) imports.add(to);
        if (code !== null && code !== path) codeImports.add(code);
      }
      modules.push({ path, imports: [...imports].sort(), codeImports: [...codeImports].sort() });
      sources.set(path, await Deno.readTextFile(`${root}/${path}`));
    }
    return { modules, sources };
  } finally {
    await Deno.remove(entry);
  }
}

const USAGE = `usage: deno run --allow-read --allow-run --allow-write=/tmp tools/check_structure.ts

Checks the import graph (deno info --json): no cycle between folders, no value-import cycle
between files, nothing outside cli/ (and tools/) importing cli/, file I/O only in cli/ and the
host files of quality/deciding.ts. Exit status 1 names every offence.

options:
  --help    print this help and exit`;

async function main(): Promise<number> {
  if (scriptArgs(Deno.args, USAGE, 0) === null) return 0;
  const root = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
  const { modules, sources } = await projectGraph(root);
  const found = offences(modules, sources);
  for (const f of found) console.error(f);
  console.log(`structure check: ${modules.length} modules, ${found.length} offences`);
  return found.length === 0 ? 0 : 1;
}

if (import.meta.main) await runCommand(USAGE, main);
