/**
 * Named mutants, for regression tests that must fail on them: the project is mirrored into a
 * temporary directory with `file` instrumented (coverage marks dropped), and the caller imports
 * modules from the mirror (so every `../kernel/...` import reaches the instrumented copy) and
 * switches a mutant on by its key: `deno task mutate`'s `file:line:column:mutator:replacement`
 * (line 1-based), as in `mutate/equivalent.json`.
 *
 * @example
 * ```ts ignore
 * import { mutantMirror } from "./mutant_mirror.ts";
 * const m = await mutantMirror("kernel/page_source.ts");
 * try {
 *   const { checkCase } = await m.load("properties/check_case.ts");
 *   m.withMutant("kernel/page_source.ts:454:47:ConditionalExpression:false", () => {
 *     // ... run a case: the mutant is in effect
 *   });
 * } finally {
 *   m.dispose();
 * }
 * ```
 *
 * @module
 */

import { instrumentFiles, mirrorTree, type Mutant, withoutCoverage } from "./instrument.ts";
import { mutantKey } from "./report.ts";
import { strykerNs } from "./ns.ts";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

/**
 * A mutant's key with its end, `KEY @end+L:C` (L: the end's line less the start's, C: the end's
 * 1-based column): what tells apart the mutants Stryker makes with one key (an `if` condition
 * and an expression inside it start at the same place). Relative, so it moves with its line.
 */
export function spanKey(m: Mutant): string {
  const { start, end } = m.location;
  return `${mutantKey(m)} @end+${end.line - start.line}:${end.column + 1}`;
}

/** A mirror of the project with some files instrumented, and the switch of their mutants. */
export interface MutantMirror {
  /** The mirror's root directory. */
  readonly dir: string;
  /**
   * A key per mutant of the instrumented files, in id order: its key, or where two mutants share
   * the key, its {@linkcode spanKey}.
   */
  readonly keys: readonly string[];
  /** Every mutant of the instrumented files, as the instrumenter describes it. */
  readonly mutants: readonly Mutant[];
  /** One more than the largest mutant id: the length of a coverage array. */
  readonly idSpace: number;
  /**
   * The id of the mutant `key` or {@linkcode spanKey} (what `__stryker__.activeMutant` holds);
   * unknown or shared keys throw.
   */
  idOf(key: string): number;
  /** Imports a project module (path relative to the project root) from the mirror. */
  load(path: string): Promise<Record<string, unknown>>;
  /** Turns the mutant `key` on (the mirror's code runs unmutated until then); unknown or shared keys throw. */
  activate(key: string): void;
  /** Turns it off again. */
  deactivate(): void;
  /** Runs `f` with the mutant `key` on, and turns it off again however `f` ends. */
  withMutant<T>(key: string, f: () => T): T;
  /** Removes the mirror. */
  dispose(): void;
}

/**
 * One mirror of `files` for every test of a test file, made on first use and removed when the
 * file unloads (making one per test was most of each test's time): the mutant tests' shared
 * fixture.
 */
export function sharedMirror(files: string | readonly string[]): () => Promise<MutantMirror> {
  let shared: Promise<MutantMirror> | undefined;
  return () =>
    shared ??= mutantMirror(typeof files === "string" ? files : [...files]).then((m) => {
      globalThis.addEventListener("unload", () => m.dispose());
      return m;
    });
}

/**
 * Mirrors the project with `file` instrumented (or each of several files: one mirror, one load of
 * the modules, for tests that judge mutants of several files on the same costly setup); with
 * `coverage`, the instrumented copies keep their coverage marks (they mark `__stryker__.hits`
 * while it is set, as in the coverage run of `deno task mutate`; otherwise they cost a call per
 * mutant site and do nothing). A mutant's key names its file, so keys of different files never
 * collide.
 */
export async function mutantMirror(
  file: string | readonly string[],
  options: { coverage?: boolean } = {},
): Promise<MutantMirror> {
  const files = typeof file === "string" ? [file] : file;
  const named = files.join(", ");
  const { contents, mutants, idSpace } = await instrumentFiles(ROOT, files);
  // Stryker can make two mutants with one key (an `if` condition and the expression in it):
  // such a key names neither; the key with the mutant's end (`spanKey`) names each.
  const ids = new Map<string, number>();
  for (const m of mutants) {
    ids.set(mutantKey(m), ids.has(mutantKey(m)) ? -1 : Number(m.id));
    ids.set(spanKey(m), Number(m.id));
  }
  const shared = new Set([...ids].filter(([, id]) => id < 0).map(([k]) => k));
  const dir = Deno.makeTempDirSync({ prefix: "pagersim-mutant-mirror-" });
  mirrorTree(
    ROOT,
    dir,
    options.coverage ? contents : new Map([...contents].map(([k, v]) => [k, withoutCoverage(v)])),
  );
  const ns = strykerNs();
  // The mirror's byte memo: cleared whenever the mutant changes (sim/byte_memo.ts).
  const { clearByteMemo } = await import(`file://${dir}/sim/byte_memo.ts`) as {
    clearByteMemo: () => void;
  };
  const mirror: MutantMirror = {
    dir,
    keys: mutants.map((m) => shared.has(mutantKey(m)) ? spanKey(m) : mutantKey(m)),
    mutants,
    idSpace,
    idOf: (key) => {
      const id = ids.get(key);
      if (id === undefined) {
        throw new Error(`${named}: no mutant ${key} (an edit above its line moves the key)`);
      }
      if (id < 0) {
        throw new Error(
          `${named}: two mutants have the key ${key}: name one with its end (${
            mutants.filter((m) => mutantKey(m) === key).map(spanKey).join(", ")
          })`,
        );
      }
      return id;
    },
    load: (path) => import(`file://${dir}/${path}`),
    withMutant: (key, f) => {
      mirror.activate(key);
      try {
        return f();
      } finally {
        mirror.deactivate();
      }
    },
    activate: (key) => {
      const id = mirror.idOf(key);
      clearByteMemo();
      ns.activeMutant = id;
    },
    deactivate: () => {
      ns.activeMutant = undefined;
      clearByteMemo();
    },
    dispose: () => {
      ns.activeMutant = undefined;
      Deno.removeSync(dir, { recursive: true });
    },
  };
  return mirror;
}

/**
 * A probe program of the judge (the `program/generate.ts` export `program`, called with `args`,
 * run at seed 0 with the program monitors) with `file` instrumented: its run unmutated, and its
 * verdict under each of `keys` (a throw as `{ kind: "threw", message }`, as the judge's probe
 * reports it). The shared body of the `program/shard*_probes_test.ts` judges.
 */
export async function judgeProgram(
  file: string,
  program: string,
  keys: readonly string[],
  args: readonly unknown[] = [],
  // deno-lint-ignore no-explicit-any
): Promise<{ base: any; mutants: any[] }> {
  const m = await mutantMirror([file]);
  try {
    // deno-lint-ignore no-explicit-any
    const g = await m.load("program/generate.ts") as any;
    // deno-lint-ignore no-explicit-any
    const run = await m.load("program/run.ts") as any;
    const go = () =>
      run.runProgram(g[program](...args), { seed: 0, monitors: run.programMonitors });
    const base = go();
    const mutants = keys.map((key) =>
      m.withMutant(key, () => {
        try {
          return go().verdict;
        } catch (e) {
          return { kind: "threw", message: String(e) };
        }
      })
    );
    return { base, mutants };
  } finally {
    m.dispose();
  }
}

/**
 * Campaign run `k` of campaign seed 1 (`planRun` + `generateScenario` + `executePlan`, as the
 * mutate judge runs it) from the mirror, judged by the kernel checkers: its verdict, with
 * whatever mutant is on.
 */
export async function mirrorCampaignRun(m: MutantMirror): Promise<(k: number) => unknown> {
  // deno-lint-ignore no-explicit-any
  const { executePlan, planRun } = await m.load("fuzz/campaign.ts") as any;
  // deno-lint-ignore no-explicit-any
  const { generateScenario } = await m.load("scenario/generate.ts") as any;
  // deno-lint-ignore no-explicit-any
  const { checkersOf } = await m.load("case/kinds.ts") as any;
  return (k) => {
    const plan = planRun(1, k);
    const scenario = generateScenario(plan, undefined, { joinedReaders: false });
    return executePlan(plan, scenario, { monitors: checkersOf("kernel") }).verdict;
  };
}

/**
 * Seed `seed` of the judge's seeded scenario `name` (`mutate/scenarios/NAME.json`, with the
 * judge's custom services, as a `scenario:NAME:K` probe runs it) from the mirror, judged by the
 * checker set `checkers`: its verdict, with whatever mutant is on.
 */
export async function mirrorScenarioRun(
  m: MutantMirror,
  checkers: "kernel" | "kernel+service",
): Promise<(name: string, seed: number) => unknown> {
  // deno-lint-ignore no-explicit-any
  const { checkCase } = await m.load("properties/check_case.ts") as any;
  // deno-lint-ignore no-explicit-any
  const { checkersOf } = await m.load("case/kinds.ts") as any;
  // deno-lint-ignore no-explicit-any
  const { parseScenario } = await m.load("scenario/schema.ts") as any;
  // deno-lint-ignore no-explicit-any
  const { SCENARIO_SERVICES: services } = await m.load("mutate/scenario_services.ts") as any;
  const parsed = new Map<string, unknown>();
  const scenario = (name: string) => {
    if (!parsed.has(name)) {
      const url = new URL(`./scenarios/${name}.json`, import.meta.url);
      parsed.set(name, parseScenario(JSON.parse(Deno.readTextFileSync(url))));
    }
    return parsed.get(name);
  };
  return (name, seed) =>
    checkCase({ scenario: scenario(name), decisions: [], seed }, {
      monitors: checkersOf(checkers),
      services,
    }).verdict;
}
