/**
 * `deno task mutate`: mutation testing of the kernel model and the reference
 * services, judged twice per mutant — by the fast tests and by a fixed,
 * seeded campaign budget judged only by the checkers.
 *
 * Copies of `kernel/` and `services/` are instrumented with Stryker's
 * instrumenter (mutant switching) in a temporary mirror of the project; every
 * mutant runs in process, in worker threads on all cores, each judge with a
 * time limit (a mutant that loops is `timeout`, and counts as killed).
 *
 * @example
 * ```sh
 * deno task mutate --sample 200 --seed 1 --only --order ranked --memory 256   # the CI sample
 * deno task mutate --by tests --files 'kernel/page_source.ts'
 * ```
 *
 * @module
 */

import {
  choiceError,
  InputError,
  intFlag,
  parseFlags,
  runCommand,
  usage,
  UsageError,
} from "./args.ts";
import {
  instrumentFiles,
  mirrorTree,
  mutableFiles,
  type Mutant,
  withoutCoverage,
} from "../mutate/instrument.ts";
import { judgeModuleRoots, type JudgeName, JUDGES } from "../mutate/judges.ts";
import { HIT_LIMIT, MEMORY_LIMIT_MIB } from "../mutate/ns.ts";
import {
  count,
  type Counts,
  type JudgeResult,
  mutantKey,
  type MutantResult,
  reportHtml,
  schemaReport,
  scoreLine,
  scorePercent,
  tables,
  viewerScript,
  zero,
} from "../mutate/report.ts";
import type { FromWorker, ToWorker } from "../mutate/worker.ts";
import {
  addCoverage,
  emptyCoverage,
  type JudgeOutcome,
  probesOfMutant,
  startsAProcess,
  timeLimitMs,
  TIMEOUT_FACTOR,
} from "../mutate/probe_run.ts";
import {
  JOURNAL,
  type Journal,
  openJournal,
  readJournal,
  StaleJournalError,
  treeChanges,
  type TreeDigests,
  treeDigests,
} from "../mutate/journal.ts";
import { MAX_SHARDS, parseShard, shardOf, shuffled } from "../mutate/shard.ts";
import { equivalentMutants, loadEquivalents } from "../mutate/equivalents.ts";
import { loadRank, type ProbeRank, rankProbes } from "../mutate/probe_rank.ts";

/** The flags of `deno task mutate`. */
export const FLAGS = {
  by: {
    type: "string",
    value: "JUDGE",
    help: "judge the score is for: campaign (default) or tests",
  },
  files: {
    type: "string",
    value: "GLOB",
    help: "mutate only these files (default: kernel/**, services/**)",
  },
  sample: { type: "string", value: "N", help: "judge N mutants drawn at random (default: all)" },
  seed: { type: "string", value: "S", help: "seed of the sample (default 1)" },
  workers: { type: "string", value: "N", help: "worker threads (default: one per core)" },
  floor: {
    type: "string",
    value: "P",
    help: "exit 1 when the chosen judge's score is under P percent",
  },
  out: {
    type: "string",
    value: "DIR",
    help: "where mutation.json and mutation.html go (default coverage/mutation)",
  },
  json: {
    type: "boolean",
    help: "print every mutant's result as JSON on stdout instead of tables",
  },
  only: { type: "boolean", help: "run only the --by judge (the CI sample: half the time)" },
  memory: {
    type: "string",
    value: "MIB",
    help: `memory limit of one mutant's run: what it may grow its worker's own heap by; past it ` +
      `its verdict is "memory limit" (default ${MEMORY_LIMIT_MIB})`,
  },
  keys: {
    type: "string",
    value: "KEY,...",
    help:
      "judge only these mutants, comma-separated (file:line:column:mutator:replacement, as reported)",
  },
  fresh: {
    type: "boolean",
    help: "judge every mutant again, not taking up what a stopped run of the same tree judged",
  },
  journal: {
    type: "string",
    value: "FILE",
    help: "keep the journal in FILE (default DIR/judged.jsonl, removed when the run ends; " +
      "with --shard K/N, DIR/shard-K-of-N.jsonl): kept, taken up by the next run of the same " +
      "judged code, refused if that code changed (naming what changed)",
  },
  shard: {
    type: "string",
    value: "K/N",
    help: "judge only shard K of N (a seeded 1/N of the mutants), into its own kept journal " +
      "(DIR/shard-K-of-N.jsonl unless --journal), for --merge",
  },
  order: {
    type: "string",
    value: "ORDER",
    help: "the order a mutant meets its probes: fixed (default; the judges' own) or ranked " +
      "(the campaign judge's past killers first, from mutate/probe_rank.json: fewer probes " +
      "before a kill)",
  },
  merge: {
    type: "string",
    value: "FILE,...",
    help: "judge nothing: the report of the shards' journals (every mutant in one of them)",
  },
  help: { type: "boolean", help: "show this help" },
} as const;

const USAGE = usage("deno task mutate", "[options]", FLAGS);

/** A mutant past its time limit is judged again with this many times the limit. */
const RETRY_FACTOR = 3;

/**
 * Whether a mutant's run past the time limit `limitMs` is a timeout as it stands, with no second
 * run: the limit was at least {@linkcode TIMEOUT_FACTOR} times `unmutatedMs`, what the same probes
 * take unmutated just after it (so the run was not slow because the machine was). On a loaded
 * machine the unmutated probes take longer than the coverage run that set the limit, and the
 * mutant is judged again with {@linkcode RETRY_FACTOR} times the larger of the two.
 *
 * @example
 * ```ts
 * import { timeoutStands } from "./mutate.ts";
 * console.assert(timeoutStands(8_000, 4_000)); // 1.5 x 4 s fits in 8 s: a timeout
 * console.assert(!timeoutStands(8_000, 6_000)); // the machine slowed down: judged again
 * ```
 */
export function timeoutStands(limitMs: number, unmutatedMs: number): boolean {
  return limitMs >= TIMEOUT_FACTOR * unmutatedMs;
}

class Pool {
  #idle: Worker[] = [];
  #waiters: ((w: Worker) => void)[] = [];
  #all = new Set<Worker>();
  /** Requests in flight: how to end each early, and whether it judges a memory suspect. */
  #pending = new Map<Worker, { end: (message: string) => void; suspect: boolean }>();
  /** Each worker's stop flag (mutate/worker.ts reads it on every hit of the active mutant). */
  #stops = new Map<Worker, Int32Array>();

  /** `url`: the worker module; `memoryLimitMiB`: each mutant run's own memory limit. */
  constructor(readonly url: URL, readonly memoryLimitMiB: number) {}

  /** Starts a worker and waits for its `ready`. */
  async spawn(
    mutants: number,
    staticMutant?: string,
  ): Promise<{ worker: Worker; ready: FromWorker & { type: "ready" } }> {
    const worker = new Worker(this.url, { type: "module" });
    this.#all.add(worker);
    const stop = new SharedArrayBuffer(4);
    this.#stops.set(worker, new Int32Array(stop));
    const init: ToWorker = {
      type: "init",
      mutants,
      staticMutant,
      stop,
      memoryLimitMiB: this.memoryLimitMiB,
    };
    const ready = await this.request(worker, init).catch(
      (e) => {
        this.kill(worker);
        const first = String(e instanceof Error ? e.message : e).split("\n")[0];
        throw new InputError(`the instrumented copy of the project does not load: ${first}`);
      },
    );
    if (ready.type !== "ready") throw new Error(`worker did not start: ${JSON.stringify(ready)}`);
    return { worker, ready };
  }

  /** Sends one message and waits for the answer (or the time limit: then `null`). */
  request(
    worker: Worker,
    m: ToWorker,
    limitMs?: number,
    suspect = false,
  ): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = () => {
        clearTimeout(timer);
        this.#pending.delete(worker);
      };
      worker.onmessage = (e: MessageEvent<FromWorker>) => {
        settle();
        if (e.data.type === "error") reject(new Error(e.data.message));
        else resolve(e.data);
      };
      worker.onerror = (e) => {
        settle();
        e.preventDefault();
        reject(new Error(e.message));
      };
      const end = (message: string) => {
        settle();
        this.kill(worker);
        resolve({ type: "error", message });
      };
      if (limitMs !== undefined) timer = setTimeout(() => end("timeout"), limitMs);
      // Only a mutant's run is ended for memory (a worker starting up is not judging anything).
      if (m.type === "mutant") this.#pending.set(worker, { end, suspect });
      worker.postMessage(m);
    });
  }

  /**
   * The process is over its memory budget: ends the requests judging a memory suspect if any run
   * (the suspect is the likelier cause), else every request in flight, each with "memory".
   * Returns how many it ended.
   */
  overMemory(): number {
    const all = [...this.#pending.values()];
    const suspects = all.filter((p) => p.suspect);
    const ended = suspects.length > 0 ? suspects : all;
    for (const p of ended) p.end("memory");
    return ended.length;
  }

  /**
   * A pool worker's request is over: it goes back to the pool if it answered, else (ended by a
   * time or memory limit, so terminated) a fresh worker takes its place. A worker whose run went
   * over its memory limit is replaced too: the next run starts from a fresh worker's memory, as
   * the first run of the process did.
   */
  async returnAfter(worker: Worker, r: FromWorker, mutants: number): Promise<void> {
    if (r.type === "mutant" && r.outcome.memoryMiB === undefined) {
      this.release(worker);
      return;
    }
    if (r.type === "mutant") this.kill(worker);
    this.release((await this.spawn(mutants)).worker);
  }

  /**
   * Ends a worker: its stop flag first (a mutant looping through its own code throws at its next
   * hit, see mutate/worker.ts), then `terminate()`, which alone leaves a busy worker running.
   */
  kill(worker: Worker): void {
    const stop = this.#stops.get(worker);
    if (stop !== undefined) Atomics.store(stop, 0, 1);
    this.#stops.delete(worker);
    worker.terminate();
    this.#all.delete(worker);
  }

  release(worker: Worker): void {
    if (!this.#all.has(worker)) return;
    const w = this.#waiters.shift();
    if (w) w(worker);
    else this.#idle.push(worker);
  }

  acquire(): Promise<Worker> {
    const w = this.#idle.pop();
    if (w) return Promise.resolve(w);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  close(): void {
    for (const w of [...this.#all]) this.kill(w);
  }
}

function sample<T extends { id: string }>(items: readonly T[], n: number, seed: number): T[] {
  if (n >= items.length) return [...items];
  return shuffled(items, n, seed, "mutate/sample").sort((x, y) => Number(x.id) - Number(y.id));
}

async function main(args: string[]): Promise<number> {
  const { values } = parseFlags(args, FLAGS);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const byFlag = (values.by ?? "campaign") as string;
  if (byFlag !== "tests" && byFlag !== "campaign") {
    throw choiceError("by", byFlag, ["tests", "campaign"]);
  }
  const by: JudgeName = byFlag;
  const orderFlag = (values.order ?? "fixed") as string;
  if (orderFlag !== "fixed" && orderFlag !== "ranked") {
    throw choiceError("order", orderFlag, ["fixed", "ranked"]);
  }
  const sampleN = values.sample === undefined ? undefined : intFlag(values, "sample", 0, 1);
  const seed = intFlag(values, "seed", 1);
  const workers = intFlag(values, "workers", navigator.hardwareConcurrency, 1, 64);
  const floor = values.floor === undefined ? undefined : intFlag(values, "floor", 0, 0, 100);
  const memoryMib = intFlag(values, "memory", MEMORY_LIMIT_MIB, 1, 1 << 20);
  const out = (values.out as string | undefined) ?? "coverage/mutation";
  // Before any work: the journal and the report go there, and a run must not end unable to write.
  await Deno.mkdir(out, { recursive: true }).catch((e) => {
    throw new InputError(
      `--out ${out}: cannot write there (${e instanceof Error ? e.message : e})`,
    );
  });
  const shard = values.shard === undefined ? undefined : parseShard(values.shard as string);
  if (values.shard !== undefined && shard === undefined) {
    throw new UsageError(
      `--shard must be K/N with 1 <= K <= N <= ${MAX_SHARDS}, got "${values.shard}"`,
    );
  }
  const merge = values.merge === undefined
    ? undefined
    : (values.merge as string).split(",").filter((f) => f !== "");
  if (merge !== undefined) {
    if (merge.length === 0) throw new UsageError("--merge needs at least one journal");
    for (const other of ["shard", "journal", "fresh"] as const) {
      if (values[other] !== undefined) {
        throw new UsageError(`--merge judges nothing: it takes no --${other}`);
      }
    }
    for (const f of merge) {
      if (readJournal(f).fingerprint === undefined) {
        throw new InputError(
          `--merge: ${f} is no journal of deno task mutate (no fingerprint line)`,
        );
      }
    }
  }
  // A shard's own journal by default, kept: shards sharing an output directory never share one
  // (nor does a finished shard remove another's), and `--merge` takes them up.
  const journalPath = (values.journal as string | undefined) ??
    (shard === undefined ? `${out}/${JOURNAL}` : `${out}/${shardJournalName(shard)}`);
  const namedJournal = values.journal !== undefined || shard !== undefined;
  if (namedJournal) {
    // Before any work: a journal that cannot be written would lose the run.
    try {
      Deno.openSync(journalPath, { append: true, create: true }).close();
    } catch (e) {
      throw new InputError(
        `--journal ${journalPath}: cannot write there (${e instanceof Error ? e.message : e})`,
      );
    }
  }
  const json = values.json === true;
  const judges: readonly JudgeName[] = values.only === true ? [by] : JUDGES;
  const log = (s: string) => json ? console.error(s) : console.log(s);

  const root = Deno.cwd();
  const files = mutableFiles(root, values.files as string | undefined);
  if (files.length === 0) {
    throw new UsageError(`--files ${values.files} matches no .ts file under kernel/ or services/`);
  }
  const triaged = loadEquivalents(root);
  const t0 = performance.now();
  const { contents, mutants: all, idSpace } = await instrumentFiles(root, files).catch((e) => {
    throw new InputError(`cannot instrument: ${e instanceof Error ? e.message : e}`);
  });
  const sources = new Map(files.map((f) => [f, Deno.readTextFileSync(`${root}/${f}`)]));
  const { reasons, unmatched, keyOf } = await equivalentMutants(all, sources, triaged).catch(
    (e) => {
      throw new InputError(e instanceof Error ? e.message : String(e));
    },
  );
  // By the mutant's own key: two mutants can share a start (mutate/equivalents.ts keyOf).
  const equivalents = (m: Mutant): string | undefined => reasons.get(keyOf(m));
  if (unmatched.length > 0 && values.files === undefined) {
    // Only a run over every file can tell an entry whose line changed (re-triage it).
    log(
      `mutate/equivalent.json: ${unmatched.length} entr${
        unmatched.length === 1 ? "y finds" : "ies find"
      } ` +
        `no mutant (its line changed; judged again): ${unmatched.map((e) => e.key).join(", ")}`,
    );
  }
  const sampled = sampleN === undefined ? all : sample(all, sampleN, seed);
  const chosen = values.keys === undefined
    ? sampled
    : byKeys(sampled, splitKeys(values.keys as string));
  const mutants = shard === undefined ? chosen : shardOf(chosen, shard);
  log(
    `instrumented ${files.length} files into ${all.length} mutants` +
      (sampleN === undefined ? "" : `; judging a sample of ${chosen.length} (seed ${seed})`) +
      (shard === undefined
        ? ""
        : `; shard ${shard.index}/${shard.count}: ${mutants.length} mutants`) +
      ` in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  // Everything the judges load, the instrumented copies in place of their sources: a journal
  // stands for this code only.
  const tree = await treeDigests(root, contents, judges, {
    roots: judgeModuleRoots(new URL(`file://${root}/`)),
    exclude: [out, journalPath, ...(merge ?? [])],
  });
  if (merge !== undefined) {
    const results = merged(merge, tree, mutants);
    return await finishRun(results, results.length, (performance.now() - t0) / 1000);
  }

  /** Writes the report of `results` and prints the tables (or the JSON) and the score line. */
  async function finishRun(
    results: MutantResult[],
    takenUp: number,
    wall: number,
  ): Promise<number> {
    const report = schemaReport(root, results, by);
    await Deno.writeTextFile(`${out}/mutation.json`, JSON.stringify(report));
    await Deno.writeTextFile(
      `${out}/mutation.html`,
      reportHtml(report, `pagersim mutation report (${by})`, viewerScript()),
    );
    const totals: Record<JudgeName, Counts> = { tests: zero(), campaign: zero() };
    for (const m of results) {
      for (const j of judges) count(totals[j], m.judges[j]?.status ?? "no-coverage");
    }
    const detected = (s: string | undefined) => s === "killed" || s === "timeout";
    const testsKilled = results.filter((m) => detected(m.judges.tests?.status));
    const blind = testsKilled.filter((m) => !detected(m.judges.campaign?.status));
    if (json) {
      console.log(
        JSON.stringify({
          by,
          seed,
          sample: sampleN ?? null,
          shard: shard === undefined ? null : `${shard.index}/${shard.count}`,
          wallSeconds: wall,
          takenUp,
          results,
        }),
      );
    } else {
      console.log("");
      console.log(tables(results, judges));
      console.log("");
      if (judges.length === 2) {
        console.log(
          `campaign kills ${testsKilled.length - blind.length} of the ${testsKilled.length} ` +
            `mutants the tests kill; ${blind.length} are blind spots of the checkers`,
        );
      }
      for (const j of judges) {
        console.log(`${j.padEnd(8)} ${scoreLine(totals[j])}`);
      }
      console.log(
        `report: ${out}/mutation.html (${by}); wall ${wall.toFixed(1)} s on ${workers} workers` +
          (merge !== undefined
            ? ` (merged from ${merge.length} journals)`
            : takenUp > 0
            ? ` (${takenUp} mutants taken up from a stopped run)`
            : ""),
      );
    }
    // With --json, stdout is the one JSON document; the score line goes beside the progress.
    log(scoreLine(totals[by]));
    if (floor !== undefined && scorePercent(totals[by]) < floor) {
      console.error(
        `error: ${by} mutation score ${
          scorePercent(totals[by]).toFixed(1)
        }% is under the floor of ${floor}%`,
      );
      return 1;
    }
    return 0;
  }

  // Two mirrors: one whose instrumented code marks coverage, one without the marks.
  const tmp = await Deno.makeTempDir({ prefix: "pagersim-mutate-" });
  const coverage = new Pool(new URL(`file://${tmp}/coverage/mutate/worker.ts`), memoryMib);
  const pool = new Pool(new URL(`file://${tmp}/judge/mutate/worker.ts`), memoryMib);
  try {
    mirrorTree(root, `${tmp}/coverage`, contents);
    const stripped = new Map([...contents].map(([f, text]) => [f, withoutCoverage(text)]));
    mirrorTree(root, `${tmp}/judge`, stripped);
    // Every judged mutant goes to the journal at once: a stopped run loses nothing.
    const journal = openJournalOrRefuse(journalPath, tree, {
      fresh: values.fresh === true,
      named: namedJournal,
    });
    if (journal.note !== undefined) log(journal.note);
    const done = allTakenUp(mutants, journal);
    if (done !== undefined) {
      // A finished shard run again (a nightly loop over every shard): no coverage run.
      log(`every mutant is in ${journalPath}: nothing to judge`);
      const code = await finishRun(done, done.length, (performance.now() - t0) / 1000);
      journal.finish();
      return code;
    }
    const results = await judgeAll(
      coverage,
      pool,
      workers,
      idSpace,
      mutants,
      equivalents,
      judges,
      log,
      journal,
      memoryMib,
      orderFlag === "ranked" ? loadRank(root) : undefined,
    );
    const wall = (performance.now() - t0) / 1000;
    // The wall time is this run's: results taken up from a stopped run cost it nothing.
    const takenUp = results.filter((r) => journal.prior.get(r.id) === r).length;
    const code = await finishRun(results, takenUp, wall);
    journal.finish();
    return code;
  } finally {
    coverage.close();
    pool.close();
    await Deno.remove(tmp, { recursive: true });
  }
}

async function judgeAll(
  coverage: Pool,
  pool: Pool,
  workers: number,
  mutantCount: number,
  mutants: readonly Mutant[],
  equivalents: (m: Mutant) => string | undefined,
  judgesRun: readonly JudgeName[],
  log: (s: string) => void,
  journal: Journal,
  memoryMib: number,
  rank: ProbeRank | undefined,
): Promise<MutantResult[]> {
  const t0 = performance.now();
  const started = await Promise.all(
    Array.from({ length: workers }, () => coverage.spawn(mutantCount)),
  );
  const loaded = started[0].ready.probes;
  const staticIds = new Set(started.flatMap((s) => s.ready.staticCoverage));

  // Coverage: every probe once, unmutated, recording the mutants it reaches.
  const cov = emptyCoverage();
  const { probeMs, exempt, failures, broken, childTests } = cov;
  await Promise.all(started.map(async ({ worker }, w) => {
    for (const judge of judgesRun) {
      const ids = loaded[judge].filter((_, i) => i % workers === w);
      const r = await coverage.request(worker, { type: "coverage", judge, ids });
      if (r.type !== "coverage") throw new Error(`coverage failed: ${JSON.stringify(r)}`);
      addCoverage(cov, judge, r);
    }
    coverage.kill(worker);
  }));
  // A campaign probe that fails unmutated by the kernel checkers alone would "kill" every
  // mutant it reaches: it is left out (and named), never counted.
  const probes: Record<JudgeName, readonly string[]> = {
    tests: loaded.tests.filter((p) => !startsAProcess(cov, p)),
    campaign: loaded.campaign.filter((p) => !broken.has(p)),
  };
  if (childTests.length > 0) {
    log(
      `left out ${childTests.length} tests that start a process (its child loads the project's ` +
        `modules, never the mutant): ${childTests.slice(0, 5).join("; ")}`,
    );
  }
  if (broken.size > 0) {
    log(
      `left out ${broken.size} campaign probes that fail unmutated: ${
        [...broken].slice(0, 5).map(([p, why]) => `${p} (${why.slice(0, 80)})`).join("; ")
      }`,
    );
  }
  const judging = await Promise.all(Array.from({ length: workers }, () => pool.spawn(mutantCount)));
  for (const { worker } of judging) pool.release(worker);
  const slow = [...probeMs.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6)
    .map(([id, ms]) => `${id.slice(0, 70)} ${Math.round(ms)} ms`);
  log(`slowest probes: ${slow.join("; ")}`);
  log(`coverage time by kind of probe: ${timeByKind(probeMs)}`);
  if (failures.length > 0) {
    // The tree's own tests must pass before its mutants can be judged: a stated stop, not a bug.
    throw new InputError(
      `the unmutated tests fail, so no mutant can be judged (fix them, or judge by --only ` +
        `--by campaign):\n${failures.join("\n")}`,
    );
  }
  log(
    `coverage: ${probes.tests.length} test probes, ${probes.campaign.length} campaign probes ` +
      `(${
        new Set(exempt.map((e) => e.split("#")[0])).size
      } break a service obligation unmutated) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const results: MutantResult[] = [];
  let done = 0;
  // Where the judging time goes (worker wall milliseconds by kind of work), for the closing
  // `cost:` line: logged only, never part of a result.
  const cost = new Map<string, { n: number; ms: number }>();
  const spent = (what: string, since: number) => {
    const c = cost.get(what) ?? { n: 0, ms: 0 };
    c.n++;
    c.ms += performance.now() - since;
    cost.set(what, c);
  };
  const inFlight = new Map<string, { what: string; since: number }>();
  const progress = setInterval(() => {
    const now = performance.now();
    const oldest = [...inFlight.values()].sort((a, b) => a.since - b.since)[0];
    log(
      `  ${done} of ${mutants.length} mutants judged` +
        (oldest
          ? `; longest running: ${oldest.what} for ${((now - oldest.since) / 1000).toFixed(0)} s`
          : ""),
    );
  }, 15_000);
  /**
   * Wall milliseconds the probes `ids` of `judge` take unmutated now, in a worker of the pool (at most
   * 10 times `limit` plus a minute: a machine that slow gets that bound).
   */
  const unmutatedMs = async (
    judge: JudgeName,
    ids: readonly string[],
    limit: number,
  ): Promise<number> => {
    const worker = await pool.acquire();
    const t0 = performance.now();
    const bound = 10 * limit + 60_000;
    const r = await pool.request(worker, {
      type: "mutant",
      id: "",
      judge,
      serviceMutant: false,
      serviceExempt: [],
      ids,
    }, bound);
    await pool.returnAfter(worker, r, mutantCount);
    spent("calibration (unmutated, after a time limit)", t0);
    return Math.min(bound, performance.now() - t0);
  };
  // Memory suspects are judged one at a time: a breach while one runs is its own.
  let suspectTail: Promise<void> = Promise.resolve();
  const oneSuspect = async <T>(f: () => Promise<T>): Promise<T> => {
    const before = suspectTail;
    let done = () => {};
    suspectTail = new Promise((r) => done = r);
    await before;
    try {
      return await f();
    } finally {
      done();
    }
  };
  // Each run is judged by its own worker's memory (the worker stops it past --memory, see
  // mutate/ns.ts). The process's RSS is only a backstop, for memory no instrumented site sees
  // (a loop allocating in code that is not mutated): a worker that reaches V8's heap limit would
  // take the process down with it. The RSS keeps what ended workers held (tools/worker_rss.ts), so
  // the backstop leaves room for every worker to have grown to its limit.
  const backstopMib = processBackstopMib(memoryMib, workers);
  const memoryBytes = backstopMib * 2 ** 20;
  const watchdog = setInterval(() => {
    const rss = Deno.memoryUsage().rss;
    if (rss <= memoryBytes) return;
    const n = pool.overMemory();
    if (n > 0) {
      log(
        `  memory: the process at ${Math.round(rss / 2 ** 20)} MiB, over its ${backstopMib} MiB ` +
          `backstop: ${n} mutant run(s) ended`,
      );
    }
  }, 250);
  Deno.unrefTimer(watchdog); // an error on the way out must not keep the process alive
  const judgeOne = async (m: Mutant): Promise<MutantResult> => {
    const key = mutantKey(m);
    const isStatic = staticIds.has(m.id);
    const equivalent = equivalents(m);
    const judges = {} as Record<JudgeName, JudgeResult>;
    for (const judge of judgesRun) {
      // In the judge's order (fixed), or, for the campaign judge, past killers first (--order
      // ranked, a committed ranking): either way which probe kills is reproducible. The tests
      // judge keeps its order: ranked by past kills, its costly killers went first and a rare
      // killer later (seed-17 sample: its kills took twice the time, docs/mutation.md).
      const fixed = probesOfMutant(cov, judge, probes[judge], m.id, isStatic);
      const ids = rank === undefined || judge !== "campaign"
        ? fixed
        : rankProbes(rank, judge, m.fileName, fixed);
      // An equivalent mutant is left out of the score: judging it would only cost time (a
      // survivor runs every probe that reaches it).
      if (ids.length === 0 || equivalent) {
        judges[judge] = { status: equivalent ? "equivalent" : "no-coverage", ran: 0, ms: 0 };
        continue;
      }
      const limit = timeLimitMs(cov, judge, ids);
      const flight = `${m.id}/${judge}`;
      inFlight.set(flight, {
        what: `mutant ${m.id} (${m.fileName}:${
          m.location.start.line + 1
        } ${m.mutatorName}) ${judge}`,
        since: performance.now(),
      });
      let res: JudgeResult | undefined;
      // A time limit passed on a loaded machine is not a hang: a mutant that times out is judged
      // once more, in a fresh worker, before it counts, with RETRY_FACTOR times the larger of the
      // limit and what the same probes take unmutated now (measured: under load the coverage
      // run's times are no guide, and a fixed factor let limits pass twice without any hang).
      const limits = [limit];
      // Ended with others when the process went over its memory budget: judged again alone
      // among suspects, where a second breach is this mutant's own.
      let suspect = false;
      // Over its memory limit in a pool worker: judged again in a worker of its own, fresh, where
      // nothing an earlier run left in the worker counts (only that run's verdict stands).
      let alone = false;
      for (let attempt = 0; attempt < limits.length; attempt++) {
        const l = limits[attempt];
        // A static mutant that stops the project loading at all is killed by the load: every
        // probe would fail (Stryker's RuntimeError). The unmutated copy loaded before judging.
        const spawnedAt = performance.now();
        const spawned = isStatic || alone
          ? await pool.spawn(mutantCount, isStatic ? m.id : undefined).catch((e) => {
            if (e instanceof InputError) return e;
            throw e;
          })
          : null;
        if (isStatic) spent("static: a fresh worker loads", spawnedAt);
        if (spawned instanceof InputError) {
          res = {
            status: "killed",
            killedBy: { probe: "module load", reason: spawned.message },
            ran: 0,
            ms: 0,
          };
          break;
        }
        const ask = async () => {
          const worker = spawned !== null ? spawned.worker : await pool.acquire();
          const asked = performance.now();
          const r = await pool.request(
            worker,
            {
              type: "mutant",
              id: m.id,
              judge,
              serviceMutant: m.fileName.startsWith("services/"),
              serviceExempt: exempt,
              ids,
            },
            l,
            suspect,
          );
          spent(`${judge} ${attemptKind(r, attempt, suspect)}`, asked);
          if (spawned !== null) pool.kill(worker);
          else await pool.returnAfter(worker, r, mutantCount);
          return r;
        };
        const r = suspect ? await oneSuspect(ask) : await ask();
        if (r.type === "mutant") {
          if (r.outcome.memoryMiB !== undefined) {
            const again = spawned === null;
            log(
              `  memory: mutant ${key} ${judge}: its run grew its worker by ` +
                `${r.outcome.memoryMiB} MiB (live), over the ${memoryMib} MiB limit` +
                (again ? "; judged again in a fresh worker" : ""),
            );
            if (again) {
              alone = true;
              limits.push(l);
              continue;
            }
          }
          res = toResult(r.outcome, memoryMib);
          break;
        }
        if (r.type === "error" && r.message === "memory") {
          res = {
            status: "timeout",
            killedBy: {
              probe: "memory limit",
              reason:
                `the process passed its ${backstopMib} MiB backstop while the run went on alone`,
            },
            ran: 0,
            ms: 0,
          };
          if (suspect) break; // its own breach: the judged code did not finish
          suspect = true;
          limits.push(l);
          continue;
        }
        res = {
          status: "timeout",
          killedBy: { probe: "time limit", reason: `${Math.round(l)} ms` },
          ran: 0,
          ms: l,
        };
        if (attempt === 0) {
          const now = await unmutatedMs(judge, ids, l);
          // The limit gave the probes at least TIMEOUT_FACTOR times what they take unmutated at
          // this moment: the machine is not slower than when the limit was set, and the mutant
          // ran past 1.5 times its code's time (Stryker's own timeout, which it never retries).
          // Judging it again could only spend 3 limits more (most of the CI sample's cost).
          if (timeoutStands(l, now)) {
            res = {
              ...res,
              killedBy: {
                probe: "time limit",
                reason: `${Math.round(l)} ms (${Math.round(now)} ms unmutated, measured after it)`,
              },
            };
          } else limits.push(RETRY_FACTOR * Math.max(l, now));
        }
      }
      inFlight.delete(flight);
      if (res === undefined) throw new Error(`mutant ${m.id} was not judged`);
      judges[judge] = equivalent ? { ...res, status: "equivalent" } : res;
    }
    done++;
    return { ...m, key, static: isStatic, equivalent, judges };
  };
  // In a seeded random order, so the mutants a stopped run judged (its journal) are a uniform
  // sample of the whole set, not the first files; static mutants need a fresh worker each:
  // judged after the others.
  const queue = shuffled(mutants, mutants.length, 0, "mutate/order").sort((a, b) =>
    Number(staticIds.has(a.id)) - Number(staticIds.has(b.id))
  );
  const running = new Set<Promise<void>>();
  for (const m of queue) {
    const prior = journal.prior.get(m.id);
    if (prior !== undefined && prior.key === mutantKey(m)) {
      results.push(prior);
      done++;
      continue;
    }
    const p = judgeOne(m).then((r) => {
      journal.record(r);
      results.push(r);
      running.delete(p);
    });
    running.add(p);
    if (running.size >= workers) await Promise.race(running);
  }
  await Promise.all(running);
  clearInterval(progress);
  clearInterval(watchdog);
  const total = [...cost.values()].reduce((a, c) => a + c.ms, 0);
  log(
    `cost (worker wall s): ${(total / 1000).toFixed(0)} in all; ` +
      [...cost].sort((a, b) => b[1].ms - a[1].ms).map(([what, c]) =>
        `${what} ${(c.ms / 1000).toFixed(0)} (${c.n})`
      ).join("; "),
  );
  return results.sort((a, b) => Number(a.id) - Number(b.id));
}

/** The journal's results of `mutants` when it holds every one of them, else `undefined`. */
function allTakenUp(mutants: readonly Mutant[], journal: Journal): MutantResult[] | undefined {
  const results: MutantResult[] = [];
  for (const m of mutants) {
    const r = journal.prior.get(m.id);
    if (r === undefined || r.key !== mutantKey(m)) return undefined;
    results.push(r);
  }
  return results;
}

/** Opens the run's journal; a named journal of other judged code is a clear input error. */
function openJournalOrRefuse(
  path: string,
  tree: TreeDigests,
  options: { fresh: boolean; named: boolean },
): Journal {
  try {
    return openJournal(path, tree, options);
  } catch (e) {
    if (e instanceof StaleJournalError) throw new InputError(e.message);
    throw e;
  }
}

/**
 * The results of `mutants` from the shard journals `paths`: each must be of this tree and these
 * judges (`tree`), and every mutant must be in one of them.
 */
function merged(
  paths: readonly string[],
  tree: TreeDigests,
  mutants: readonly Mutant[],
): MutantResult[] {
  const found = new Map<string, MutantResult>();
  for (const path of paths) {
    const j = readJournal(path);
    if (j.fingerprint !== tree.fingerprint) {
      throw new InputError(new StaleJournalError(path, treeChanges(j.head, tree)).message);
    }
    for (const [id, r] of j.results) found.set(id, r);
  }
  const results: MutantResult[] = [];
  const missing: string[] = [];
  for (const m of mutants) {
    const r = found.get(m.id);
    if (r !== undefined && r.key === mutantKey(m)) results.push(r);
    else missing.push(mutantKey(m));
  }
  if (missing.length > 0) {
    throw new InputError(
      `--merge: ${missing.length} of the ${mutants.length} mutants are in none of the journals ` +
        `(a shard not run or not finished: run it again with its --journal, which takes up ` +
        `what it judged), e.g. ${missing.slice(0, 3).join(", ")}`,
    );
  }
  return results;
}

/**
 * The file name of shard `shard`'s journal when no `--journal` names one: `shard-K-of-N.jsonl`.
 *
 * @example
 * ```ts
 * import { shardJournalName } from "./mutate.ts";
 * console.assert(shardJournalName({ index: 2, count: 8 }) === "shard-2-of-8.jsonl");
 * ```
 */
export function shardJournalName(shard: { index: number; count: number }): string {
  return `shard-${shard.index}-of-${shard.count}.jsonl`;
}

/**
 * The unmutated probes' wall seconds (`probeMs`, keyed `judge/id`) summed by judge and kind of
 * probe (the id up to its first `:`: `run`, `program`, `scenario`, `explore`, `conformance`; a test
 * file for the tests judge), the six largest: a survivor runs every probe that reaches it, so
 * this is where a survivor's time goes.
 *
 * @example
 * ```ts
 * import { timeByKind } from "./mutate.ts";
 * const ms = new Map([["campaign/run:0", 1500], ["campaign/run:1", 500], ["campaign/explore:a", 3000]]);
 * console.assert(timeByKind(ms) === "campaign/explore 3.0 s; campaign/run 2.0 s");
 * ```
 */
export function timeByKind(probeMs: ReadonlyMap<string, number>): string {
  const kinds = new Map<string, number>();
  for (const [id, ms] of probeMs) {
    const kind = id.split(":")[0];
    kinds.set(kind, (kinds.get(kind) ?? 0) + ms);
  }
  return [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 6)
    .map(([kind, ms]) => `${kind} ${(ms / 1000).toFixed(1)} s`).join("; ");
}

/** What one request of a mutant's judging came to, for the cost line. */
function attemptKind(r: FromWorker, attempt: number, suspect: boolean): string {
  const again = attempt > 0 ? (suspect ? " (alone, after a memory breach)" : " (retry)") : "";
  if (r.type !== "mutant") {
    const by = r.type === "error" && r.message === "memory" ? "process backstop" : "time limit";
    return `ended by the ${by}${again}`;
  }
  const o = r.outcome;
  if (o.memoryMiB !== undefined) return `over its memory limit${again}`;
  const what = o.killedBy === null ? "survived" : o.hitLimit ? "hit limit" : "killed";
  return `${what}${again}`;
}

/**
 * The process RSS past which the watchdog ends the runs in flight (MiB): the main thread, and each
 * worker's probes with a run at twice its limit (a check sees the live memory at most about half
 * the limit past it, mutate/ns.ts).
 */
export function processBackstopMib(memoryLimitMib: number, workers: number): number {
  return 1024 + workers * (2 * memoryLimitMib + 1024);
}

/**
 * The keys of a `--keys` list: split at each comma that starts the next key (a key's replacement
 * may hold commas: `Math.max(pages, base.parentLimit - at)`).
 *
 * @example
 * ```ts
 * import { splitKeys } from "./mutate.ts";
 * console.assert(splitKeys("kernel/a.ts:1:2:M:f(x, y),services/b.ts:3:4:N:;").length === 2);
 * ```
 */
export function splitKeys(list: string): string[] {
  return list.split(/,(?=(?:kernel|services)\/[\w./-]+\.ts:\d+:\d+:)/).filter((k) => k !== "");
}

/** The mutants of `mutants` whose keys are `keys`; an unknown key is a usage error naming it. */
function byKeys(mutants: readonly Mutant[], keys: readonly string[]): Mutant[] {
  const wanted = new Set(keys);
  const found = mutants.filter((m) => wanted.has(mutantKey(m)));
  const known = new Set(found.map(mutantKey));
  const unknown = keys.filter((k) => !known.has(k));
  if (keys.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `--keys: no mutant of the chosen files (and sample) has the key ${
        unknown.length > 0 ? unknown.map((k) => `"${k}"`).join(", ") : "(none given)"
      }`,
    );
  }
  return found;
}

function toResult(o: JudgeOutcome, memoryMib: number): JudgeResult {
  if (o.memoryMiB !== undefined) {
    // Counted as killed, as a time limit is: the judged code did not finish.
    const killedBy = {
      probe: "memory limit",
      reason: `its run grew its worker's live memory past the ${memoryMib} MiB limit ` +
        `(in ${o.killedBy?.probe ?? "a probe"})`,
    };
    return { status: "timeout", killedBy, ran: o.ran, ms: o.ms };
  }
  if (o.killedBy && o.hitLimit) {
    const killedBy = {
      probe: o.killedBy.probe,
      reason: `reached the mutant over ${HIT_LIMIT} times`,
    };
    return { status: "timeout", killedBy, ran: o.ran, ms: o.ms };
  }
  return o.killedBy
    ? { status: "killed", killedBy: o.killedBy, ran: o.ran, ms: o.ms }
    : { status: "survived", ran: o.ran, ms: o.ms };
}

if (import.meta.main) await runCommand(USAGE, () => main(Deno.args));
