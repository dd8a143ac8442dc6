/**
 * Instruments copies of `kernel/` and `services/` with Stryker's
 * instrumenter (mutant switching: every mutant of a file in one copy, active
 * when `globalThis.__stryker__.activeMutant` is its id) and mirrors the
 * project into a temporary tree where the copies replace the sources, so every
 * relative import of the rest of the project reaches the instrumented code.
 * The sources are only read.
 *
 * @module
 */

/**
 * Stryker's instrumenter, loaded on first use: loading it reads `BABEL_ENV`, so a command that
 * only imports this module (`deno run --allow-read cli/mutate.ts --help`) needs no env access
 * (session 33: that help died with a NotCapable stack trace).
 */
async function instrumenterClass() {
  return (await import("npm:@stryker-mutator/instrumenter@10.1.1")).Instrumenter;
}

/** A mutant as the instrumenter describes it (0-based lines and columns). */
export interface Mutant {
  readonly id: string;
  readonly fileName: string;
  readonly mutatorName: string;
  readonly replacement: string;
  readonly location: {
    readonly start: { readonly line: number; readonly column: number };
    readonly end: { readonly line: number; readonly column: number };
  };
}

/** The directories whose `.ts` files (tests excepted) are mutated. */
export const MUTATED_DIRS = ["kernel", "services"] as const;

/** Directories never copied into the mirror. */
const SKIP = new Set([".git", "coverage", "node_modules", "scratch", ".ci"]);

/** Turns a glob (`*`, `**`, `?`, `{a,b}`) into an anchored regular expression over `/` paths. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") {
      if (glob[i + 1] === "*") {
        i++;
        if (glob[i + 1] === "/") {
          i++;
          re += "(?:.*/)?";
        } else re += ".*";
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "{") re += "(?:";
    else if (c === "}") re += ")";
    else if (c === ",") re += "|";
    else re += c.replace(/[.+^$()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** Test code that is not a test file: a fixture tests share (`kernel/_pages_fixture.ts`). */
function isTestCode(name: string): boolean {
  return name.endsWith("_test.ts") || name.endsWith("_fixture.ts");
}

/** The mutable source files under `root` (project-relative, sorted), filtered by `glob`. */
export function mutableFiles(root: string, glob?: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of Deno.readDirSync(`${root}/${rel}`)) {
      const path = `${rel}/${e.name}`;
      if (e.isDirectory) walk(path);
      else if (e.isFile && e.name.endsWith(".ts") && !isTestCode(e.name)) out.push(path);
    }
  };
  for (const d of MUTATED_DIRS) walk(d);
  const re = glob === undefined ? null : globToRegExp(glob);
  return out.filter((f) => re === null || re.test(f)).sort();
}

const quiet = () => false;
const noop = () => {};
const LOGGER = {
  isTraceEnabled: quiet,
  isDebugEnabled: quiet,
  isInfoEnabled: quiet,
  isWarnEnabled: quiet,
  isErrorEnabled: quiet,
  isFatalEnabled: quiet,
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  fatal: noop,
};

/**
 * The mutants of `sources` (project-relative name to text), as {@linkcode instrumentFiles} makes
 * them, without the instrumented copies: for tools that compare the mutants of two versions of a
 * file (`tools/rekey.ts`).
 */
export async function mutantsOf(sources: ReadonlyMap<string, string>): Promise<Mutant[]> {
  if (sources.size === 0) return [];
  // deno-lint-ignore no-explicit-any
  const instrumenter = new (await instrumenterClass())(LOGGER as any);
  const input = [...sources].map(([name, content]) => ({ name, mutate: true as const, content }));
  const result = await instrumenter.instrument(input, {
    plugins: null,
    excludedMutations: [],
    ignorers: [],
  });
  return result.mutants.map((m) => ({
    id: m.id,
    fileName: m.fileName,
    mutatorName: m.mutatorName,
    replacement: m.replacement,
    location: m.location,
  }));
}

/** Instruments `files` (project-relative) read from `root`. */
export async function instrumentFiles(
  root: string,
  files: readonly string[],
): Promise<{ contents: Map<string, string>; mutants: Mutant[]; idSpace: number }> {
  // deno-lint-ignore no-explicit-any
  const instrumenter = new (await instrumenterClass())(LOGGER as any);
  const input = files.map((name) => ({
    name,
    mutate: true as const,
    content: Deno.readTextFileSync(`${root}/${name}`),
  }));
  const result = await instrumenter.instrument(input, {
    plugins: null,
    excludedMutations: [],
    ignorers: [],
  });
  const contents = new Map<string, string>();
  for (const f of result.files) {
    assertNoLabelledSwitch(f.name, f.content);
    contents.set(f.name, quietCoverage(f.name, f.content));
  }
  // A `// Stryker disable next-line all: reason` comment (the kernel's change-counter lines,
  // bookkeeping no run's outcome reads) leaves its line's mutants out of the switch: the
  // instrumenter lists them as Ignored, never placed, so they are not mutants of the run.
  const mutants = result.mutants.filter((m) => m.status !== "Ignored").map((m) => ({
    id: m.id,
    fileName: m.fileName,
    mutatorName: m.mutatorName,
    replacement: m.replacement,
    location: m.location,
  }));
  // The worker marks coverage in arrays indexed by mutant id.
  let idSpace = 0;
  for (const m of mutants) {
    if (!/^\d+$/.test(m.id)) throw new Error(`mutant id "${m.id}" is not a small integer`);
    idSpace = Math.max(idSpace, Number(m.id) + 1);
  }
  return { contents, mutants, idSpace };
}

/**
 * Throws, naming the file and line, where the instrumenter put a loop's label
 * on its mutant switch (`L: if (stryMutAct…) { for (; false;) … } else …`): a
 * `continue L` inside no longer names a loop, and V8 rejects the whole file
 * (with a misleading message about private fields when the loop uses one).
 */
export function assertNoLabelledSwitch(name: string, text: string): void {
  const m = /^[ \t]*([A-Za-z_$][\w$]*): if \(stryMutAct_9fa48\(/m.exec(text);
  if (m === null) return;
  throw new Error(
    `${name}: the loop labelled "${m[1]}" cannot be mutated: Stryker's mutant switch moves ` +
      `the label onto an if, so a "continue ${
        m[1]
      }" no longer parses; write the loop without a label`,
  );
}

/** The coverage helper of Stryker's header (it counts hits per test in nested objects). */
const COVER_HEAD = `  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }`;
/** Ours: marks hits in `__stryker__.hits`, the current probe's array, and does nothing without one. */
const COVER_FLAGS = `  function cover() {
    var c = ns.hits;
    if (c === undefined) return;
    for (var i = 0; i < arguments.length; i++) c[arguments[i]] = 1;
  }`;

/** The mutant switch of Stryker's header (it counts the active mutant's hits against the limit). */
const SWITCH_HEAD = `  function isActive(id) {
    if (ns.activeMutant === id) {`;
/**
 * Ours: every site evaluated, active mutant or not, counts `__stryker__.tick` down, and the memory
 * limit is checked when it runs out (mutate/ns.ts, `armMemoryLimit`): a mutant whose code makes
 * the kernel's own loops allocate without bound is seen there, not only through its own hits.
 */
const SWITCH_POLL = `  function isActive(id) {
    if (--ns.tick < 0) ns.poll();
    if (ns.activeMutant === id) {`;

/**
 * Replaces the coverage helper: the worker needs only which mutants a probe
 * reaches, and nothing at all while it judges mutants. Stryker's helper costs
 * a nested lookup and a counter per mutant site (14 times slower conformance
 * tests with per-test coverage on; ours, 3 times).
 */
function quietCoverage(name: string, text: string): string {
  const at = text.indexOf(COVER_HEAD);
  if (at < 0 && !text.includes("stryMutAct_9fa48(")) return text; // no mutant, no header
  if (at < 0) throw new Error(`${name}: the instrumenter's coverage helper has changed shape`);
  const quiet = text.slice(0, at) + COVER_FLAGS + text.slice(at + COVER_HEAD.length);
  const sw = quiet.indexOf(SWITCH_HEAD);
  if (sw < 0) throw new Error(`${name}: the instrumenter's mutant switch has changed shape`);
  return numericIds(quiet.slice(0, sw) + SWITCH_POLL + quiet.slice(sw + SWITCH_HEAD.length));
}

/**
 * Mutant ids as number literals at the switches and coverage marks: a typed
 * array indexed by a string, and a string compare against an active id that
 * is not interned, each cost more than the code they guard.
 */
function numericIds(text: string): string {
  return text
    .replace(/stryMutAct_9fa48\("(\d+)"\)/g, "stryMutAct_9fa48($1)")
    .replace(
      /stryCov_9fa48\(((?:"\d+"(?:, )?)+)\)/g,
      (_, ids: string) => `stryCov_9fa48(${ids.replaceAll('"', "")})`,
    );
}

/**
 * The instrumented text without its coverage marks, for judging mutants once
 * coverage is known: a mark left in costs a call per mutant site, and takes
 * the conformance tests from 3 to 5 times the time of the sources.
 */
export function withoutCoverage(text: string): string {
  return text.replace(/stryCov_9fa48\((\d+(?:, \d+)*)\)/g, "0");
}

/**
 * Copies the project at `root` into `dest` (a fresh directory), with the
 * instrumented `contents` in place of their sources.
 */
export function mirrorTree(
  root: string,
  dest: string,
  contents: ReadonlyMap<string, string>,
): void {
  const copy = (rel: string) => {
    const from = rel === "" ? root : `${root}/${rel}`;
    const to = rel === "" ? dest : `${dest}/${rel}`;
    Deno.mkdirSync(to, { recursive: true });
    for (const e of Deno.readDirSync(from)) {
      const path = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory) {
        if (!SKIP.has(e.name)) copy(path);
      } else if (e.isFile) {
        const text = contents.get(path);
        if (text !== undefined) Deno.writeTextFileSync(`${to}/${e.name}`, text);
        else Deno.copyFileSync(`${from}/${e.name}`, `${to}/${e.name}`);
      }
    }
  };
  copy("");
}
