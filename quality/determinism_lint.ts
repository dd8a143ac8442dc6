/**
 * The determinism lint: finds every place where code that decides a run reads
 * something the seeded decision source does not control — host randomness,
 * wall-clock time, host timers and scheduling, host queries and I/O, workers,
 * host-dependent iteration order, locale and garbage-collector timing.
 *
 * It is built on the TypeScript type checker, not on source text: every
 * reference is resolved to the declaration it names, so an alias
 * (`const r = Math.random; r()`), a destructuring (`const { now } = Date`),
 * element access on the global object (`globalThis["Date"]`), a re-export
 * chain and a wrapper imported from another module all land on the same
 * forbidden declaration. A function, method or variable whose body reaches a
 * forbidden declaration is itself tainted, transitively; a use of a tainted
 * declaration from another module is a finding at the use, naming the chain.
 *
 * Only relative and `file:` imports are followed (project and user modules);
 * `npm:`, `jsr:` and `node:` modules are not read, and importing a host module
 * (`node:crypto`, `node:os`, `node:process`, `node:worker_threads`, ...) is
 * itself a finding.
 *
 * @module
 */

import { dirname, isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DECIDING_DIRS, HOST_FILES } from "./deciding.ts";
import { isPagersimPath } from "../sim/variant_crash.ts";
import { HOST_LIB, HOST_LIB_NAME } from "./host_lib.ts";
import type TS from "npm:typescript@6.0.3";

type Ts = typeof TS;

/** Why a declaration is forbidden, and what to use instead. */
export interface Category {
  /** What the host decides. */
  readonly what: string;
  /** The sanctioned alternative. */
  readonly instead: string;
  /** How a count of findings names them: one, and more than one (`2 host timers`). */
  readonly counted: readonly [one: string, many: string];
  /**
   * Whether a run that uses it may not replay (the host decides part of it). Not so for a
   * dropped generator call: a bug in the service (its body never runs), but the same every run.
   */
  readonly breaksReplay: boolean;
}

/** Every category a finding can have. */
export const CATEGORIES: Readonly<Record<string, Category>> = {
  random: {
    what: "host randomness",
    instead: "draw from the run's seeded decision source: sys.random(n)",
    counted: ["use of host randomness", "uses of host randomness"],
    breaksReplay: true,
  },
  clock: {
    what: "wall-clock time",
    instead: "use virtual ticks: sys.now, and portWait deadlines in ticks",
    counted: ["wall-clock read", "wall-clock reads"],
    breaksReplay: true,
  },
  timer: {
    what: "a host timer",
    instead: "wait in virtual ticks: sys.portWait with a deadline",
    counted: ["host timer", "host timers"],
    breaksReplay: true,
  },
  scheduling: {
    what: "host scheduling",
    instead: "let the simulated scheduler order work: yield* a sys call",
    counted: ["host scheduling call", "host scheduling calls"],
    breaksReplay: true,
  },
  host: {
    what: "a host query",
    instead: "take configuration from the scenario or the ServiceContext",
    counted: ["host query", "host queries"],
    breaksReplay: true,
  },
  io: {
    what: "host I/O",
    instead: "keep a service's data in its backing store (ServiceContext)",
    counted: ["host I/O call", "host I/O calls"],
    breaksReplay: true,
  },
  worker: {
    what: "host threads",
    instead: "run concurrency as simulated threads of the scenario",
    counted: ["host thread", "host threads"],
    breaksReplay: true,
  },
  iteration: {
    what: "host-dependent iteration order",
    instead: "iterate a Map or array you built, in an order you chose",
    counted: ["host-ordered iteration", "host-ordered iterations"],
    breaksReplay: true,
  },
  locale: {
    what: "the host's locale and time zone",
    instead: "format with locale-free code (String, toFixed, a fixed comparator)",
    counted: ["locale-dependent call", "locale-dependent calls"],
    breaksReplay: true,
  },
  gc: {
    what: "garbage-collector timing",
    instead: "keep strong references and release them explicitly",
    counted: ["dependence on GC timing", "dependences on GC timing"],
    breaksReplay: true,
  },
  dynamic: {
    what: "code the lint cannot see",
    instead: "call the code directly",
    counted: ["use of dynamic code", "uses of dynamic code"],
    breaksReplay: true,
  },
  droppedGenerator: {
    what: "a generator called and dropped (its body never runs)",
    instead: "yield* it: a sys call, Mutex/CondVar method or helper that is a generator does " +
      "nothing until it is iterated",
    counted: ["dropped generator call", "dropped generator calls"],
    breaksReplay: false,
  },
  yieldedGenerator: {
    what: "a generator yielded without the star (the scheduler gets a generator, not a syscall: " +
      "the thread faults)",
    instead: "yield* it: `yield* sys.vmoGetSize(h)` runs the call; `yield` hands its generator " +
      "to the scheduler",
    counted: ["generator yielded without yield*", "generators yielded without yield*"],
    breaksReplay: false,
  },
  moduleState: {
    what: "module-level mutable state",
    instead: "keep per-run state inside the service function (a kernel variant: in the kernel " +
      "object); module state survives between runs in a worker (a failing run then does not " +
      "reproduce alone)",
    counted: ["module-level mutable variable", "module-level mutable variables"],
    breaksReplay: true,
  },
};

/** Methods of the built-in containers that change them. */
const MUTATORS: ReadonlySet<string> = new Set([
  "set",
  "add",
  "delete",
  "clear",
  "push",
  "pop",
  "shift",
  "unshift",
  "splice",
  "sort",
  "reverse",
  "fill",
  "copyWithin",
]);

/** Built-in classes whose instances change only through MUTATORS (or element writes). */
const BUILTIN_CONTAINERS: ReadonlySet<string> = new Set([
  "Map",
  "Set",
  "WeakMap",
  "WeakSet",
  "Array",
  "Object",
  "Uint8Array",
  "Uint16Array",
  "Uint32Array",
  "Int8Array",
  "Int16Array",
  "Int32Array",
  "Float32Array",
  "Float64Array",
  "BigInt64Array",
  "BigUint64Array",
  "Uint8ClampedArray",
]);

/** Declarations of the ECMAScript libs that are forbidden, by qualified name. */
const ES_FORBIDDEN: Readonly<Record<string, string>> = {
  "Math.random": "random",
  "Date": "clock",
  "Intl": "locale",
  "String.localeCompare": "locale",
  "String.toLocaleUpperCase": "locale",
  "String.toLocaleLowerCase": "locale",
  "Number.toLocaleString": "locale",
  "BigInt.toLocaleString": "locale",
  "Array.toLocaleString": "locale",
  "Object.toLocaleString": "locale",
  "WeakRef": "gc",
  "FinalizationRegistry": "gc",
  "eval": "dynamic",
};

/** Iterations whose order is the host's when given a host object. */
const ITERATORS: ReadonlySet<string> = new Set([
  "ObjectConstructor.keys",
  "ObjectConstructor.values",
  "ObjectConstructor.entries",
  "ObjectConstructor.getOwnPropertyNames",
  "ObjectConstructor.getOwnPropertySymbols",
  "ObjectConstructor.getOwnPropertyDescriptors",
  "Reflect.ownKeys",
]);

/** Host modules whose import is itself a finding, with its category. */
const HOST_MODULES: Readonly<Record<string, string>> = {
  crypto: "random",
  os: "host",
  process: "host",
  perf_hooks: "clock",
  timers: "timer",
  "timers/promises": "timer",
  worker_threads: "worker",
  child_process: "worker",
  cluster: "worker",
  fs: "io",
  "fs/promises": "io",
  net: "io",
  http: "io",
  https: "io",
  dgram: "io",
};

/** One forbidden use. */
export interface Finding {
  /** File path as given (relative to the working directory when under it). */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** Key into CATEGORIES. */
  readonly category: string;
  /** The forbidden thing as resolved, e.g. `Math.random` or `wallMs → performance.now`. */
  readonly name: string;
  /** Where a used wrapper reaches the forbidden declaration (`file:line`), if through one. */
  readonly via: string | null;
}

/** What a lint run saw. */
export interface LintResult {
  /** Findings, sorted by file, line and column. */
  readonly findings: Finding[];
  /** Files linted (reported on). */
  readonly files: string[];
  /** Milliseconds spent building the program and linting. */
  readonly ms: number;
}

/** Options of a lint run. */
export interface LintOptions {
  /** Files to report on (their imports are followed for resolution and taint). */
  readonly roots: readonly string[];
  /** Whether a file (absolute path) reached through imports is reported on too. */
  readonly report?: (file: string) => boolean;
  /** Files (absolute paths) never reported on, whose exports still taint their users. */
  readonly hostSide?: readonly string[];
  /**
   * Whether module-level mutable state used from inside a function (a top-level
   * `let`, or a top-level `const` container changed from inside a function) is
   * a finding in the reported files: on for services, whose module state
   * outlives a run in a campaign worker. Not in the layers under a service
   * ({@linkcode HARNESS_LAYERS}): their caches are the harness's own.
   */
  readonly moduleState?: boolean;
}

/**
 * The project's layers a service runs on (its `Sys` and the kernel model): the module-state rule
 * is about service code, and these hold caches that are pure functions' results (a name's hash,
 * a backing page's bytes: `sim/byte_memo.ts`), the same whatever ran before. Their outcomes
 * are judged by the determinism lint of the deciding folders and the replay tests.
 */
export const HARNESS_LAYERS: readonly string[] = ["kernel", "sim"];

/** `file:line:col: error|warning: ...` with the sanctioned alternative. */
export function formatFinding(f: Finding, level: "error" | "warning" = "error"): string {
  const c = CATEGORIES[f.category];
  const via = f.via !== null ? ` (via ${f.via})` : "";
  // The user's own call as the example (trial35: `yield sys.portWait(...)` was told to write
  // `yield* sys.vmoGetSize(h)`).
  const instead = f.category === "yieldedGenerator" && f.name.startsWith("yield ")
    ? c.instead.replace("`yield* sys.vmoGetSize(h)`", `\`yield* ${f.name.slice("yield ".length)}\``)
    : c.instead;
  return `${f.file}:${f.line}:${f.column}: ${level}: ${f.name}${via}: ${c.what}; instead ${instead}`;
}

/**
 * What `findings` are, counted by kind in the order each kind first appears: the one-line
 * summary the commands print below the findings, e.g. `1 dropped generator call` or
 * `2 host timers, 1 module-level mutable variable`.
 *
 * @example
 * ```ts
 * import { summarizeFindings } from "./determinism_lint.ts";
 * const at = { file: "svc.ts", line: 1, column: 1, name: "x", via: null };
 * console.assert(summarizeFindings([{ ...at, category: "droppedGenerator" }]) ===
 *   "1 dropped generator call");
 * console.assert(summarizeFindings([
 *   { ...at, category: "timer" }, { ...at, category: "moduleState" }, { ...at, category: "timer" },
 * ]) === "2 host timers, 1 module-level mutable variable");
 * ```
 */
export function summarizeFindings(findings: readonly Pick<Finding, "category">[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.category, (counts.get(f.category) ?? 0) + 1);
  return [...counts].map(([category, n]) => {
    const [one, many] = CATEGORIES[category].counted;
    return `${n} ${n === 1 ? one : many}`;
  }).join(", ");
}

let tsPromise: Promise<Ts> | null = null;

/**
 * Loads the TypeScript compiler once. Its Node system probes a few environment
 * variables at load time; it gets an empty environment so the lint needs only
 * read permission.
 */
export function loadTypeScript(): Promise<Ts> {
  tsPromise ??= (async () => {
    const { default: process } = await import("node:process");
    const saved = Object.getOwnPropertyDescriptor(process, "env");
    Object.defineProperty(process, "env", { value: {}, configurable: true, writable: true });
    try {
      return (await import("npm:typescript@6.0.3")).default as Ts;
    } finally {
      if (saved !== undefined) Object.defineProperty(process, "env", saved);
    }
  })();
  return tsPromise;
}

/**
 * The ECMAScript libs the checker reads: every one that declares a forbidden
 * name or an iterator of ITERATORS, and what generator services need; about
 * half of lib.es2023 to parse. A name missing from them is only ever `any`.
 */
const LIBS = [
  "lib.es5.d.ts",
  "lib.es2015.core.d.ts",
  "lib.es2015.collection.d.ts",
  "lib.es2015.generator.d.ts",
  "lib.es2015.iterable.d.ts",
  "lib.es2015.promise.d.ts",
  "lib.es2015.reflect.d.ts",
  "lib.es2015.symbol.d.ts",
  "lib.es2015.symbol.wellknown.d.ts",
  "lib.es2017.object.d.ts",
  "lib.es2018.asyncgenerator.d.ts",
  "lib.es2018.asynciterable.d.ts",
  "lib.es2020.bigint.d.ts",
  "lib.es2021.weakref.d.ts",
];

const sourceCache = new Map<string, { text: string; sf: TS.SourceFile }>();

/**
 * Builds the program: the roots, what they import by relative or file: specifier, ES libs, the host lib.
 * tools/sys_reference.ts reads the `Sys` types through it too, with the whole of lib.es2022 (`libs`)
 * so that the types it prints read as the project's own type check does.
 */
export function createProgram(
  ts: Ts,
  roots: readonly string[],
  libs: readonly string[] = LIBS,
): { program: TS.Program; libDir: string } {
  const options: TS.CompilerOptions = {
    noEmit: true,
    allowJs: true,
    allowImportingTsExtensions: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    lib: [...libs],
    types: [],
    strict: true,
    skipLibCheck: true,
    noResolve: false,
  };
  const libDir = dirname(ts.getDefaultLibFilePath(options));
  const read = (path: string): string | undefined => {
    if (path === HOST_LIB_NAME) return HOST_LIB;
    try {
      return Deno.readTextFileSync(path);
    } catch {
      return undefined;
    }
  };
  const host: TS.CompilerHost = {
    getSourceFile(fileName, languageVersion) {
      const text = read(fileName);
      if (text === undefined) return undefined;
      const isLib = fileName.startsWith(libDir) || fileName === HOST_LIB_NAME;
      const cached = isLib ? sourceCache.get(fileName) : undefined;
      if (cached !== undefined && cached.text === text) return cached.sf;
      const sf = ts.createSourceFile(fileName, text, languageVersion, true);
      if (isLib) sourceCache.set(fileName, { text, sf });
      return sf;
    },
    getDefaultLibFileName: () => `${libDir}/lib.es5.d.ts`,
    getDefaultLibLocation: () => libDir,
    writeFile: () => {},
    getCurrentDirectory: () => Deno.cwd(),
    getDirectories: () => [],
    fileExists: (f) => read(f) !== undefined,
    readFile: read,
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    resolveModuleNameLiterals(literals, containingFile) {
      return literals.map((lit) => {
        const spec = lit.text;
        let path: string | null = null;
        if (spec.startsWith("./") || spec.startsWith("../") || spec.startsWith("/")) {
          path = resolve(dirname(containingFile), spec);
        } else if (spec.startsWith("file:")) {
          path = fileURLToPath(spec);
        } else {
          // A bare specifier ("pagersim", "pagersim/constants"): the import map of the
          // deno.json nearest the importing file, as deno resolves it for that file.
          path = importMapResolve(spec, containingFile);
        }
        if (path === null || read(path) === undefined) return { resolvedModule: undefined };
        const ext = /\.[cm]?jsx?$/.test(path)
          ? ts.Extension.Js
          : path.endsWith(".tsx")
          ? ts.Extension.Tsx
          : path.endsWith(".d.ts")
          ? ts.Extension.Dts
          : ts.Extension.Ts;
        return { resolvedModule: { resolvedFileName: path, extension: ext } };
      });
    },
  };
  const program = ts.createProgram({ rootNames: [...roots, HOST_LIB_NAME], options, host });
  return { program, libDir };
}

/** An import map: its entries, sorted longest key first, values as absolute paths or URLs. */
type ImportMap = readonly (readonly [string, string])[];

const importMapCache = new Map<string, ImportMap | null>();

/** JSON with comments (deno.jsonc): comments outside strings removed. */
function parseJsonc(text: string): unknown {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      out += text.slice(start, i + 1);
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2);
      if (i < 0) i = text.length;
      else i++;
    } else out += c;
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, "$1"));
}

/**
 * The import map of the deno.json (or deno.jsonc) nearest `dir`, walking up: its
 * `imports`, or the file its `importMap` names. Null when there is none.
 */
function nearestImportMap(dir: string): ImportMap | null {
  const cached = importMapCache.get(dir);
  if (cached !== undefined) return cached;
  let map: ImportMap | null = null;
  let found = false;
  for (const name of ["deno.json", "deno.jsonc"]) {
    let text: string;
    try {
      text = Deno.readTextFileSync(`${dir}/${name}`);
    } catch {
      continue;
    }
    found = true;
    try {
      let cfg = parseJsonc(text) as { imports?: Record<string, string>; importMap?: string };
      let base = dir;
      if (cfg.imports === undefined && typeof cfg.importMap === "string") {
        const file = resolve(dir, cfg.importMap);
        cfg = parseJsonc(Deno.readTextFileSync(file)) as typeof cfg;
        base = dirname(file);
      }
      const entries = Object.entries(cfg.imports ?? {}).map(([k, v]): [string, string] => [
        k,
        /^[a-z][a-z0-9+.-]*:/i.test(v) ? v : resolve(base, v) + (v.endsWith("/") ? "/" : ""),
      ]);
      map = entries.sort((a, b) => b[0].length - a[0].length);
    } catch {
      map = null;
    }
    break;
  }
  if (!found) {
    const up = dirname(dir);
    map = up === dir ? null : nearestImportMap(up);
  }
  importMapCache.set(dir, map);
  return map;
}

/**
 * Where the import map nearest `containingFile` sends a bare specifier, when it is a
 * file (a relative or file: target); null otherwise (npm:, jsr:, unmapped).
 */
function importMapResolve(spec: string, containingFile: string): string | null {
  const map = nearestImportMap(dirname(containingFile));
  if (map === null) return null;
  for (const [key, target] of map) {
    let out: string | null = null;
    if (key === spec) out = target;
    else if (key.endsWith("/") && spec.startsWith(key) && target.endsWith("/")) {
      out = target + spec.slice(key.length);
    }
    if (out === null) continue;
    if (out.startsWith("file:")) return fileURLToPath(out);
    return out.startsWith("/") ? out : null;
  }
  return null;
}

/** A use found while walking, before the taint fixpoint. */
interface Use {
  readonly node: TS.Node;
  /** Declarations (owners) enclosing the use. */
  readonly owners: readonly TS.Node[];
  /** The forbidden category, if the use itself is forbidden. */
  readonly category: string | null;
  /** The resolved name (forbidden) or the symbol used (for taint). */
  readonly name: string;
  readonly symbol: TS.Symbol | null;
  /** Inside host-side code (`@hostSide`, `if (import.meta.main)`): taints, never reported. */
  readonly exempt: boolean;
}

/** Lints `roots` and what they import. */
export async function lint(opts: LintOptions): Promise<LintResult> {
  const t0 = performance.now();
  const ts = await loadTypeScript();
  const roots = opts.roots.map((r) => resolve(r));
  const hostSide = new Set((opts.hostSide ?? []).map((f) => resolve(f)));
  const rootSet = new Set(roots);
  const { program, libDir } = createProgram(ts, roots);
  const checker = program.getTypeChecker();
  const hostLib = program.getSourceFile(HOST_LIB_NAME);
  const isLibFile = (sf: TS.SourceFile) =>
    sf === hostLib || program.isSourceFileDefaultLibrary(sf) ||
    sf.fileName.startsWith(`${libDir}/`);

  const reported = (sf: TS.SourceFile): boolean =>
    !isLibFile(sf) && !hostSide.has(sf.fileName) &&
    (rootSet.has(sf.fileName) || (opts.report?.(sf.fileName) ?? false));

  const resolveAlias = (s: TS.Symbol): TS.Symbol =>
    s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;

  /** The forbidden category of a resolved symbol, or null. */
  const forbidden = (s: TS.Symbol): string | null => {
    const decls = s.declarations ?? [];
    if (decls.length === 0) return null;
    if (decls.some((d) => d.getSourceFile() === hostLib)) {
      // Only what the host lib tags is forbidden: an untagged member (say the
      // `name` of a directory entry) came from a call that is already a finding.
      for (const d of decls) {
        if (d.getSourceFile() !== hostLib) continue;
        const nd = ts.getJSDocTags(d).find((t) => t.tagName.text === "nondeterministic");
        if (nd !== undefined) return String(nd.comment ?? "host").trim();
      }
      return null;
    }
    if (decls.every((d) => isLibFile(d.getSourceFile()))) {
      return ES_FORBIDDEN[checker.getFullyQualifiedName(s)] ?? null;
    }
    return null;
  };

  /** Whether a type is a host object (declared in the host lib, or the global object). */
  const isHostType = (type: TS.Type): boolean => {
    const s = type.aliasSymbol ?? type.getSymbol();
    if (s === undefined) return false;
    if (s.escapedName === "globalThis") return true;
    return (s.declarations ?? []).some((d) => d.getSourceFile() === hostLib);
  };

  const isOwner = (n: TS.Node): boolean =>
    ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isVariableDeclaration(n) ||
    ts.isClassDeclaration(n) || ts.isPropertyDeclaration(n) || ts.isGetAccessorDeclaration(n) ||
    ts.isSetAccessorDeclaration(n) || ts.isPropertyAssignment(n) ||
    ts.isShorthandPropertyAssignment(n) || ts.isBindingElement(n) || ts.isClassExpression(n) ||
    ts.isExportAssignment(n);

  const uses: Use[] = [];
  const fileName = (sf: TS.SourceFile) => sf.fileName;

  /** Records the uses in `root`'s subtree (a file, or a declaration reached from reported code). */
  const walk = (root: TS.Node) => {
    const owners: TS.Node[] = [];
    let exempt = 0;
    const record = (node: TS.Node, symbol: TS.Symbol | undefined, fallback: string) => {
      if (symbol === undefined) return;
      const target = resolveAlias(symbol);
      const category = forbidden(target);
      uses.push({
        node,
        owners: [...owners],
        category,
        name: category !== null
          ? displayName(target, fallback)
          : target.name === "default"
          ? fallback
          : target.name,
        symbol: target,
        exempt: exempt > 0,
      });
    };
    const flag = (node: TS.Node, category: string, name: string) =>
      uses.push({ node, owners: [...owners], category, name, symbol: null, exempt: exempt > 0 });

    const visit = (node: TS.Node): void => {
      if (ts.isTypeNode(node) && !ts.isExpressionWithTypeArguments(node)) return;
      if (
        ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) ||
        ts.isImportSpecifier(node) || ts.isExportSpecifier(node) || ts.isImportClause(node) ||
        ts.isNamespaceImport(node)
      ) return;
      if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
        const spec = node.moduleSpecifier;
        if (spec !== undefined && ts.isStringLiteral(spec)) {
          const m = /^(?:node:)?(.+)$/.exec(spec.text);
          const name = m?.[1] ?? "";
          const category = spec.text.startsWith("node:") || name in HOST_MODULES
            ? HOST_MODULES[name]
            : undefined;
          if (category !== undefined) flag(spec, category, `import "${spec.text}"`);
        }
        return;
      }
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        flag(node, "dynamic", "import()");
      }
      if (ts.isIfStatement(node) && node.expression.getText() === "import.meta.main") {
        // A module's command-line entry point never runs inside a simulation.
        visit(node.expression);
        exempt++;
        visit(node.thenStatement);
        exempt--;
        if (node.elseStatement !== undefined) visit(node.elseStatement);
        return;
      }
      const owner = isOwner(node);
      const hostSide = owner && ts.getJSDocTags(node).some((t) => t.tagName.text === "hostSide");
      if (owner) owners.push(node);
      if (hostSide) exempt++;
      if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) {
        if (!isDeclarationName(node)) {
          record(node, checker.getSymbolAtLocation(node), node.text);
        }
      } else if (ts.isElementAccessExpression(node)) {
        const arg = node.argumentExpression;
        const objType = checker.getTypeAtLocation(node.expression);
        if (ts.isStringLiteralLike(arg)) {
          const prop = checker.getPropertyOfType(objType, arg.text);
          record(arg, prop, arg.text);
        } else if (isHostType(objType) && !ts.isNumericLiteral(arg)) {
          flag(node, "dynamic", `${node.expression.getText()}[${arg.getText()}]`);
        }
      } else if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
        const key = node.propertyName ?? node.name;
        if (ts.isIdentifier(key) || ts.isStringLiteralLike(key)) {
          const from = node.parent.parent;
          const source = ts.isVariableDeclaration(from) ? from.initializer : undefined;
          if (source !== undefined) {
            const prop = checker.getPropertyOfType(checker.getTypeAtLocation(source), key.text);
            record(key, prop, key.text);
          }
        }
      } else if (ts.isCallExpression(node) && node.arguments.length > 0) {
        const callee = checker.getSymbolAtLocation(
          ts.isPropertyAccessExpression(node.expression) ? node.expression.name : node.expression,
        );
        if (callee !== undefined) {
          const q = checker.getFullyQualifiedName(resolveAlias(callee));
          if (ITERATORS.has(q) && isHostType(checker.getTypeAtLocation(node.arguments[0]))) {
            flag(
              node,
              "iteration",
              `${q.replace("Constructor", "")}(${node.arguments[0].getText()})`,
            );
          }
        }
      } else if (ts.isForInStatement(node)) {
        if (isHostType(checker.getTypeAtLocation(node.expression))) {
          flag(node.expression, "iteration", `for (… in ${node.expression.getText()})`);
        }
      } else if (ts.isPropertyAccessExpression(node)) {
        // A member the host lib does not declare, on a host object: still the host.
        if (checker.getSymbolAtLocation(node.name) === undefined) {
          const t = checker.getTypeAtLocation(node.expression);
          const s = t.getSymbol() ?? checker.getSymbolAtLocation(node.expression);
          const target = s !== undefined ? resolveAlias(s) : undefined;
          if (
            target !== undefined &&
            (target.declarations ?? []).some((d) => d.getSourceFile() === hostLib) &&
            target.escapedName !== "globalThis"
          ) {
            flag(node.name, "host", `${node.expression.getText()}.${node.name.text}`);
          }
        }
      }
      ts.forEachChild(node, visit);
      if (owner) owners.pop();
      if (hostSide) exempt--;
    };
    visit(root);
  };

  /** Names a forbidden symbol with its container, e.g. `Math.random`, `Deno.env`. */
  const displayName = (s: TS.Symbol, fallback: string): string => {
    const q = checker.getFullyQualifiedName(s);
    const pretty = q.replace(/^Host([A-Z]\w*)\./, (_, t: string) => `${lowerFirst(t)}.`)
      .replace(/^SubtleCrypto\./, "crypto.subtle.");
    return pretty.includes("__") || pretty === "" ? fallback : pretty;
  };

  const isDeclarationName = (id: TS.Node): boolean => {
    const p = id.parent;
    if (p === undefined) return false;
    const named = p as TS.Node & { name?: TS.Node };
    if (named.name !== id) return false;
    return ts.isVariableDeclaration(p) || ts.isFunctionDeclaration(p) ||
      ts.isParameter(p) || ts.isClassDeclaration(p) || ts.isMethodDeclaration(p) ||
      ts.isPropertyDeclaration(p) || ts.isPropertyAssignment(p) || ts.isBindingElement(p) ||
      ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p) ||
      ts.isEnumMember(p) || ts.isEnumDeclaration(p) || ts.isFunctionExpression(p) ||
      ts.isClassExpression(p) || ts.isModuleDeclaration(p) || ts.isTypeParameterDeclaration(p) ||
      ts.isPropertySignature(p) || ts.isMethodSignature(p) || ts.isLabeledStatement(p);
  };

  // Walk the reported files whole, then every declaration their code uses,
  // transitively: only what reported code reaches is ever checked (a service
  // importing mod.ts does not make the lint type-check the whole project).
  const walked = new Set<TS.Node>();
  const isWalked = (n: TS.Node): boolean => {
    for (let p: TS.Node | undefined = n; p !== undefined; p = p.parent) {
      if (walked.has(p)) return true;
    }
    return false;
  };
  const reportedFiles = program.getSourceFiles().filter(reported);
  for (const sf of reportedFiles) {
    walked.add(sf);
    walk(sf);
  }
  for (let i = 0; i < uses.length; i++) {
    for (const d of uses[i].symbol?.declarations ?? []) {
      if (isLibFile(d.getSourceFile()) || isWalked(d)) continue;
      walked.add(d);
      walk(d);
    }
  }

  // Taint: an owner that reaches a forbidden use or a tainted symbol is tainted.
  const tainted = new Map<TS.Node, { name: string; at: TS.Node }>();
  const taintOf = (s: TS.Symbol | null): { name: string; at: TS.Node } | undefined => {
    if (s === null) return undefined;
    for (const d of s.declarations ?? []) {
      const t = tainted.get(d);
      if (t !== undefined) return t;
    }
    return undefined;
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (const u of uses) {
      const reason = u.category !== null ? { name: u.name, at: u.node } : taintOf(u.symbol);
      if (reason === undefined) continue;
      for (const o of u.owners) {
        if (tainted.has(o)) continue;
        const via = u.category !== null ? reason : {
          name: `${u.name} → ${reason.name}`,
          at: reason.at,
        };
        tainted.set(o, via);
        changed = true;
      }
    }
  }

  const findings: Finding[] = [];
  const seen = new Set<string>();
  /** One finding per file:line:column. */
  const add = (f: Finding): void => {
    const key = `${f.file}:${f.line}:${f.column}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push(f);
  };
  const where = (n: TS.Node) => {
    const sf = n.getSourceFile();
    const { line, character } = sf.getLineAndCharacterOfPosition(n.getStart(sf));
    return { file: displayPath(fileName(sf)), line: line + 1, column: character + 1 };
  };
  for (const u of uses) {
    const sf = u.node.getSourceFile();
    if (u.exempt || !reported(sf)) continue;
    let finding: Finding | null = null;
    if (u.category !== null) {
      finding = { ...where(u.node), category: u.category, name: u.name, via: null };
    } else if (u.symbol !== null) {
      const decls = u.symbol.declarations ?? [];
      const crossFile = decls.length > 0 && decls.every((d) => d.getSourceFile() !== sf);
      const t = crossFile ? taintOf(u.symbol) : undefined;
      if (t !== undefined) {
        const at = where(t.at);
        const root = uses.find((x) => x.node === t.at && x.category !== null);
        finding = {
          ...where(u.node),
          category: root?.category ?? "host",
          name: `${u.name} → ${t.name}`,
          via: `${at.file}:${at.line}`,
        };
      }
    }
    if (finding !== null) add(finding);
  }
  const harness = HARNESS_LAYERS.map((d) => `${resolve(projectRoot(), d)}/`);
  for (const sf of reportedFiles) {
    droppedGeneratorFindings(ts, checker, sf).forEach(add);
    if (opts.moduleState === true && !harness.some((h) => sf.fileName.startsWith(h))) {
      moduleStateFindings(ts, checker, sf).forEach(add);
    }
  }
  findings.sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column
  );
  const files = reportedFiles.map((sf) => displayPath(sf.fileName)).sort();
  return { findings, files, ms: performance.now() - t0 };
}

/**
 * Module-level mutable state of `sf` that its functions use: a top-level `let`
 * or `var` read or written inside a function, and a top-level `const` holding a
 * container (Map, Set, array, object literal, class instance) that a function
 * changes. A campaign runs many runs in one worker, so such state leaks from one
 * run into the next: a failing run then depends on the runs before it and does
 * not reproduce alone. One finding per variable, at its declaration, naming the
 * first use inside a function.
 */
function moduleStateFindings(ts: Ts, checker: TS.TypeChecker, sf: TS.SourceFile): Finding[] {
  interface Candidate {
    readonly decl: { readonly name: TS.Node };
    readonly name: string;
    readonly isLet: boolean;
    /** An instance of a class that is not a built-in container: any method call may change it. */
    readonly instance: boolean;
    /**
     * A static field of a top-level class (`static seen = 0`): state of the module all the same
     * (userS28k's variant counted supplies in one, and the lint said nothing). It counts when a
     * function assigns it (`C.seen++`), or changes the container it holds.
     */
    readonly isStatic?: { readonly readonly: boolean };
  }
  const candidates = new Map<TS.Symbol, Candidate>();
  /** The container, instance or other value an initializer holds, for what may change it. */
  const held = (init: TS.Expression | undefined): { instance: boolean } | null => {
    while (
      init !== undefined &&
      (ts.isAsExpression(init) || ts.isParenthesizedExpression(init) ||
        ts.isSatisfiesExpression(init))
    ) init = init.expression;
    if (init === undefined) return null;
    if (ts.isArrayLiteralExpression(init) || ts.isObjectLiteralExpression(init)) {
      return { instance: false };
    }
    if (ts.isNewExpression(init)) {
      const cls = ts.isIdentifier(init.expression) ? init.expression.text : "";
      return { instance: !BUILTIN_CONTAINERS.has(cls) };
    }
    return null;
  };
  for (const st of sf.statements) {
    if (ts.isClassDeclaration(st) && st.name !== undefined) {
      for (const m of st.members) {
        if (!ts.isPropertyDeclaration(m) || !ts.isIdentifier(m.name)) continue;
        const mods = ts.getCombinedModifierFlags(m);
        if ((mods & ts.ModifierFlags.Static) === 0) continue;
        const symbol = checker.getSymbolAtLocation(m.name);
        if (symbol === undefined) continue;
        const readonly = (mods & ts.ModifierFlags.Readonly) !== 0;
        const h = held(m.initializer);
        if (readonly && h === null) continue;
        candidates.set(symbol, {
          decl: m,
          name: `${st.name.text}.${m.name.text}`,
          isLet: false,
          instance: h?.instance ?? false,
          isStatic: { readonly },
        });
      }
      continue;
    }
    if (!ts.isVariableStatement(st)) continue;
    const list = st.declarationList;
    const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
    for (const decl of list.declarations) {
      if (!ts.isIdentifier(decl.name)) continue;
      const symbol = checker.getSymbolAtLocation(decl.name);
      if (symbol === undefined) continue;
      let init = decl.initializer;
      while (
        init !== undefined &&
        (ts.isAsExpression(init) || ts.isParenthesizedExpression(init) ||
          ts.isSatisfiesExpression(init))
      ) init = init.expression;
      if (!isConst) {
        candidates.set(symbol, { decl, name: decl.name.text, isLet: true, instance: false });
        continue;
      }
      if (init === undefined) continue;
      if (ts.isArrayLiteralExpression(init) || ts.isObjectLiteralExpression(init)) {
        candidates.set(symbol, { decl, name: decl.name.text, isLet: false, instance: false });
      } else if (ts.isNewExpression(init)) {
        const cls = ts.isIdentifier(init.expression) ? init.expression.text : "";
        candidates.set(symbol, {
          decl,
          name: decl.name.text,
          isLet: false,
          instance: !BUILTIN_CONTAINERS.has(cls),
        });
      }
    }
  }
  if (candidates.size === 0) return [];
  const insideFunction = (n: TS.Node): boolean => {
    for (let p = n.parent; p !== undefined; p = p.parent) {
      if (ts.isFunctionLike(p)) return true;
    }
    return false;
  };
  /** Whether the use `id` (of a const container) changes it. */
  const changes = (id: TS.Identifier, c: Candidate): boolean => {
    // A static field is used as C.f (or this.f in a static method): the chain starts there.
    const start: TS.Expression =
      c.isStatic !== undefined && ts.isPropertyAccessExpression(id.parent) &&
        id.parent.name === id
        ? id.parent
        : id;
    // Climb the access chain rooted at the identifier: x.a.b, x[i].c, ...
    let top: TS.Expression = start;
    while (
      (ts.isPropertyAccessExpression(top.parent) || ts.isElementAccessExpression(top.parent)) &&
      top.parent.expression === top
    ) top = top.parent;
    const parent = top.parent;
    // A writable static field assigned itself: C.f = ..., C.f++.
    if (c.isStatic !== undefined && !c.isStatic.readonly && top === start && start !== id) {
      if (
        ts.isBinaryExpression(parent) && parent.left === top &&
        parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment
      ) return true;
      if (
        (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) &&
        (parent.operator === ts.SyntaxKind.PlusPlusToken ||
          parent.operator === ts.SyntaxKind.MinusMinusToken)
      ) return true;
    }
    if (top !== start) {
      if (
        ts.isBinaryExpression(parent) && parent.left === top &&
        parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment
      ) return true;
      if (
        (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) &&
        (parent.operator === ts.SyntaxKind.PlusPlusToken ||
          parent.operator === ts.SyntaxKind.MinusMinusToken)
      ) return true;
      if (ts.isDeleteExpression(parent)) return true;
      if (ts.isCallExpression(parent) && parent.expression === top) {
        const callee = top;
        if (ts.isPropertyAccessExpression(callee) && MUTATORS.has(callee.name.text)) return true;
        if (c.instance && callee.parent === parent) return true;
      }
    }
    return false;
  };
  const firstUse = new Map<TS.Symbol, TS.Node>();
  const visit = (node: TS.Node): void => {
    if (ts.isIdentifier(node) && insideFunction(node)) {
      const symbol = checker.getSymbolAtLocation(node);
      const c = symbol !== undefined ? candidates.get(symbol) : undefined;
      if (
        symbol !== undefined && c !== undefined && c.decl.name !== node &&
        !firstUse.has(symbol) && (c.isLet || changes(node, c))
      ) firstUse.set(symbol, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const out: Finding[] = [];
  for (const [symbol, use] of firstUse) {
    const c = candidates.get(symbol);
    if (c === undefined) continue;
    const at = sf.getLineAndCharacterOfPosition(c.decl.name.getStart(sf));
    const u = sf.getLineAndCharacterOfPosition(use.getStart(sf));
    out.push({
      file: displayPath(sf.fileName),
      line: at.line + 1,
      column: at.character + 1,
      category: "moduleState",
      name: `${c.isStatic !== undefined ? "static" : c.isLet ? "let" : "const"} ${c.name} (${
        c.isLet ? "used" : "changed"
      } in a function)`,
      via: `${displayPath(sf.fileName)}:${u.line + 1}`,
    });
  }
  return out;
}

/**
 * Calls whose result is a generator and is dropped: an expression statement
 * `cv.signal(sys);` (or `sys.pagerSupplyPages(...)`) creates the generator and
 * throws it away, so nothing runs: a lost wake-up or a missing supply that
 * type-checks. Written `yield* cv.signal(sys)` it runs.
 */
function droppedGeneratorFindings(
  ts: Ts,
  checker: TS.TypeChecker,
  sf: TS.SourceFile,
): Finding[] {
  const out: Finding[] = [];
  const isGenerator = (t: TS.Type): boolean => {
    if (t.isUnion()) return t.types.length > 0 && t.types.every(isGenerator);
    const name = (t.aliasSymbol ?? t.getSymbol())?.getName();
    if (name === "Generator" || name === "IterableIterator" || name === "Syscall") return true;
    // A generator object: next, return and throw.
    return ["next", "return", "throw"].every((m) => t.getProperty(m) !== undefined) &&
      t.getProperty("then") === undefined;
  };
  const report = (e: TS.CallExpression, at: TS.Node, category: string, prefix: string) => {
    const pos = sf.getLineAndCharacterOfPosition(at.getStart(sf));
    const callee = e.expression.getText(sf);
    out.push({
      file: displayPath(sf.fileName),
      line: pos.line + 1,
      column: pos.character + 1,
      category,
      name: `${prefix}${callee.length > 60 ? `${callee.slice(0, 57)}...` : callee}(...)`,
      via: null,
    });
  };
  const visit = (node: TS.Node): void => {
    if (ts.isExpressionStatement(node)) {
      let e = node.expression;
      while (ts.isParenthesizedExpression(e)) e = e.expression;
      if (ts.isCallExpression(e) && isGenerator(checker.getTypeAtLocation(e))) {
        report(e, e, "droppedGenerator", "");
      }
    }
    // `yield sys.vmoGetSize(h)` (cast or not: `yield sys.vmoGetSize(h) as any`) or `yield
    // helper(...)`: the generator goes to the scheduler, which faults the thread (userS27t).
    if (ts.isYieldExpression(node) && node.asteriskToken === undefined && node.expression) {
      let e = node.expression;
      while (
        ts.isParenthesizedExpression(e) || ts.isAsExpression(e) ||
        ts.isTypeAssertionExpression(e) ||
        ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e)
      ) e = e.expression;
      if (ts.isCallExpression(e) && isGenerator(checker.getTypeAtLocation(e))) {
        report(e, node, "yieldedGenerator", "yield ");
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** A path relative to the working directory when it is under it. */
function displayPath(path: string): string {
  const rel = relative(Deno.cwd(), path);
  return rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

/**
 * Whether `file` (absolute) is pagersim's own library module: it lies in this project
 * (`root`) or another pagersim checkout (the user's import map may name one), in one of
 * its folders (quality/deciding.ts `LIBRARY_DIRS`) or at mod.ts, and in no `testdata/` or
 * `examples/` folder (`isPagersimPath`, the rule every loader and stack reader uses).
 *
 * @example
 * ```ts
 * import { isPagersimLibrary } from "./determinism_lint.ts";
 * console.assert(isPagersimLibrary("/p/kernel/kernel.ts", "/p"));
 * console.assert(!isPagersimLibrary("/p/blobfs/counter.ts", "/p"));
 * console.assert(!isPagersimLibrary("/p/case/testdata/u/svc.ts", "/p"));
 * ```
 */
export function isPagersimLibrary(file: string, root: string = projectRoot()): boolean {
  const checkout = file.startsWith(`${root}/`) ? root : pagersimCheckoutOf(file);
  if (checkout === null) return false;
  return isPagersimPath(file.slice(checkout.length + 1));
}

/**
 * Lints a user's service module (or several of a user's modules in one program: a service and a
 * kernel variant, `cli/_quality_hooks.ts`) and the local modules it imports (by a relative or
 * `file:` specifier, or an import map entry naming a file): every one that is not pagersim's own
 * library ({@linkcode isPagersimLibrary}) is reported on, in the project tree too (a
 * `blobfs/` folder in a clone); npm: and jsr: modules are not read. pagersim's modules are
 * not reported on (`deno task check` lints the deciding ones), but whatever the service uses
 * from them that reaches the host — fuzz/clock.ts, the campaign's workers — is a finding at
 * the use.
 *
 * @example
 * ```ts
 * import { lintServiceModule } from "./determinism_lint.ts";
 * const { findings, files } = await lintServiceModule("examples/my_service.ts");
 * console.assert(findings.length === 0 && files.includes("examples/my_service.ts"));
 * ```
 */
export function lintServiceModule(
  path: string | readonly string[],
  root: string = projectRoot(),
): Promise<LintResult> {
  return lint({
    roots: typeof path === "string" ? [path] : path,
    report: (file) => !isPagersimLibrary(file, root),
    hostSide: HOST_FILES.map((f) => resolve(root, f)),
    moduleState: true,
  });
}

/**
 * Lints every non-test module of the project's deciding folders (DECIDING_DIRS
 * in deciding.ts), following their imports for taint: a deciding module that
 * uses fuzz/clock.ts, or anything else that reaches the host, is a finding.
 * `deno task check` runs it; the example is not run as a doc test (it would lint
 * every deciding module a second time in `deno task test`).
 *
 * @example
 * ```ts ignore
 * import { lintDecidingFolders } from "./determinism_lint.ts";
 * const { findings } = await lintDecidingFolders();
 * console.assert(findings.length === 0);
 * ```
 */
export async function lintDecidingFolders(
  root: string = projectRoot(),
  dirs: readonly string[] = DECIDING_DIRS,
): Promise<LintResult> {
  const roots: string[] = [];
  const walk = (dir: string) => {
    const entries = [...Deno.readDirSync(dir)].sort((a, b) => a.name < b.name ? -1 : 1);
    for (const e of entries) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory && e.name !== "testdata") walk(path);
      else if (e.isFile && /\.tsx?$/.test(e.name) && !/_(test|bench)\.tsx?$/.test(e.name)) {
        roots.push(path);
      }
    }
  };
  for (const d of dirs) walk(resolve(root, d));
  return await lint({ roots, hostSide: HOST_FILES.map((f) => resolve(root, f)) });
}

const checkoutCache = new Map<string, string | null>();

/** The pagersim checkout `file` lies in (its nearest deno.json names @pagersim/pagersim), or null. */
function pagersimCheckoutOf(file: string): string | null {
  const dir = dirname(file);
  const cached = checkoutCache.get(dir);
  if (cached !== undefined) return cached;
  let out: string | null;
  try {
    const cfg = parseJsonc(Deno.readTextFileSync(`${dir}/deno.json`)) as { name?: unknown };
    out = cfg.name === "@pagersim/pagersim" ? dir : null;
  } catch (e) {
    out = e instanceof Deno.errors.NotFound && dirname(dir) !== dir
      ? pagersimCheckoutOf(dir)
      : null;
  }
  checkoutCache.set(dir, out);
  return out;
}

/** The project root: one folder up from this module. */
function projectRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..");
}
