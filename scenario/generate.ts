/**
 * The campaign's scenario generator: a seeded function of a run's plan (its
 * index, run seed and swarm features). The same plan always gives the same
 * scenario; the corpus and campaign tests pin it. `fuzz/campaign.ts` plans
 * runs and calls this; nothing here knows about campaigns.
 *
 * @module
 */

import { makeRng } from "../sim/rng.ts";
import { TAIL_STEPS } from "../sim/world.ts";
import type { ServiceContract } from "./service_contract.ts";
import {
  answersDirty,
  EVENT_KINDS,
  LEVEL2_EVENT_KINDS,
  parseBuiltScenario,
  type Scenario,
  SCENARIO_FORMAT,
} from "./schema.ts";

/** Which fault families and features a run has switched on (swarm testing). */
export interface Swarm {
  /** Environment event kinds the run may inject (possibly none), level 2's evict and writeback too. */
  readonly events: readonly ((typeof EVENT_KINDS)[number] | (typeof LEVEL2_EVENT_KINDS)[number])[];
  /** Reference services the run's pagers draw from (at least one). */
  readonly services: readonly ("eager" | "batching" | "flaky" | "detacher" | "writeback")[];
  /** Threads may fault through mappings (`mapRead`, `mapWrite`). */
  readonly mapped: boolean;
  /** Threads may commit ranges (`commit`). */
  readonly commit: boolean;
  /** Threads may write (`write`). */
  readonly writes: boolean;
  /** Threads may use fail-instead-of-block mode. */
  readonly failInsteadOfBlock: boolean;
  /** The kernel's page-request overtime timeout is on. */
  readonly overtime: boolean;
  /** VMOs of writeback pagers may be created with `ZX_VMO_TRAP_DIRTY`. */
  readonly trapDirty: boolean;
  /** VMOs may be resizable and threads may resize them (`resize`). */
  readonly resize: boolean;
  /** Threads may zero ranges (`zero`, `ZX_VMO_OP_ZERO`). */
  readonly zero: boolean;
  /** Threads may read and write through at-least-on-write clones (`cloneRead`, `cloneWrite`). */
  readonly clones: boolean;
  /** Service allocations may fail with ZX_ERR_NO_MEMORY (injected; `allocFailPercent`). */
  readonly allocFailures?: boolean;
  /** Files may come and go: VMOs opened during the run, closed and re-opened (`open`, `close`). */
  readonly lifecycle?: boolean;
  /**
   * VMOs may have file layouts (sim/file_layout.ts): a byte size that ends
   * mid-page, holes of any size (`vmos[i].bytes`, `vmos[i].holes`).
   */
  readonly files?: boolean;
  /**
   * Real services' sizes (issue 13.4): VMOs of up to {@linkcode LARGE_VMO_PAGES} pages (half of
   * them at least 256), up to {@linkcode MAX_VMOS_REAL} VMOs, 1 to 4 service threads per pager,
   * and reads and writes in chunks at the head, the tail (the last page) and in between. Its
   * draws come from a stream of their own, so a run without it keeps its scenario.
   */
  readonly realSizes?: boolean;
}

/** The largest VMO a real-sizes run draws, in pages (the generator's own range; a contract cuts it). */
export const LARGE_VMO_PAGES = 1024;
/** The smallest "large" VMO of a real-sizes run, in pages. */
export const LARGE_VMO_MIN = 256;
/** The most VMOs a real-sizes run has. */
export const MAX_VMOS_REAL = 12;
/** The longest range one op of a real-sizes run covers (a read-ahead window, a chunk). */
export const MAX_CHUNK_PAGES = 64;

/** What the generator reads of a run's plan (`fuzz/campaign.ts` `RunPlan` has these and more). */
export interface ScenarioPlan {
  /** Run index within the campaign (names the scenario). */
  readonly k: number;
  /** Seed of the run's scenario. */
  readonly runSeed: number;
  /** Fault families and features switched on for this run. */
  readonly swarm: Swarm;
}

/**
 * The swarm features a contract leaves (`scenario/service_contract.ts`): event kinds
 * out of scope, trap-dirty VMOs, resizes, clones and writes it excludes are off.
 *
 * @example
 * ```ts
 * import { planRun } from "../fuzz/campaign.ts";
 * import { parseContract } from "./service_contract.ts";
 * import { contractSwarm } from "./generate.ts";
 * const sw = contractSwarm(planRun(1, 0).swarm, parseContract({ clones: false }));
 * console.assert(!sw.clones && !sw.events.includes("closePort"));
 * ```
 */
export function contractSwarm(sw: Swarm, c: ServiceContract): Swarm {
  return {
    ...sw,
    events: sw.events.filter((k) => c.events.includes(k)),
    trapDirty: sw.trapDirty && c.vmoOptions.trapDirty !== false,
    resize: sw.resize && c.events.includes("resize"),
    clones: sw.clones && c.clones,
    // Read-only files: no write, mapWrite or zero op (the mapped kinds lose mapWrite below).
    writes: sw.writes && c.writes,
    zero: sw.zero && c.writes,
    lifecycle: (sw.lifecycle === true && c.lifecycle) || c.opens !== false,
  };
}

/**
 * `lo + rng.int(hi - lo + 1)` over the generator's own range `[lo, hi]`, cut
 * to a contract's range (or, when they do not meet, the contract's range
 * from its low end, as wide as the generator's).
 */
function within(
  draw: (n: number) => number,
  lo: number,
  hi: number,
  r?: { min: number; max: number },
): number {
  let a = lo, b = hi;
  if (r !== undefined) {
    a = Math.max(lo, r.min);
    b = Math.min(hi, r.max);
    if (a > b) [a, b] = [r.min, Math.min(r.max, r.min + hi - lo)];
  }
  return a + draw(b - a + 1);
}

/** A VMO of a scenario being generated, as {@linkcode addLifecycles} edits it. */
export type GenVmo = { name: string; pager: string; startsClosed?: boolean };
/** A thread of a scenario being generated, as {@linkcode addLifecycles} edits it. */
export type GenThread = { name: string; ops: { op: string; vmo: string }[] };

/**
 * Files that come and go, drawn from their own stream (runs without the
 * feature keep their scenarios): some VMOs (every one, under a contract whose
 * service opens its own) become files owned by one thread, which opens them
 * (when they start closed) before its first op on them, and closes and
 * re-opens them between its ops; other threads keep using them and may find
 * them closed (events aimed at them act on the VMO open when they run). The
 * campaign generator and the fast-check arbitraries share it.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { addLifecycles } from "./generate.ts";
 * const vmos = [{ name: "v0", pager: "p0" }];
 * const threads = [{ name: "w0", ops: [{ op: "read", vmo: "v0" }] }];
 * addLifecycles({ int: () => 0 }, vmos, threads, [], undefined);
 * assert.deepEqual(threads[0].ops.map((o) => o.op), ["open", "close", "open", "read", "close", "open", "read"]);
 * ```
 */
export function addLifecycles(
  rng: { int(n: number): number },
  vmos: GenVmo[],
  threads: GenThread[],
  events: { do: string; target: string }[],
  contract: ServiceContract | undefined,
): void {
  const every = contract !== undefined && contract.opens !== false;
  const files = new Set<string>();
  for (const v of vmos) {
    if (every || rng.int(2) === 0) {
      files.add(v.name);
      v.startsClosed = every || rng.int(2) === 0;
    }
  }
  if (files.size === 0) return;
  for (const v of vmos) {
    if (!files.has(v.name)) continue;
    const owner = threads[rng.int(threads.length)];
    const ops: GenThread["ops"] = [];
    let open = v.startsClosed !== true;
    let first = true;
    for (const op of owner.ops) {
      if (op.vmo === v.name && !open && first) {
        ops.push({ op: "open", vmo: v.name });
        open = true;
      }
      if (op.vmo === v.name) first = false;
      if (op.vmo === v.name && rng.int(3) === 0) {
        // A close and a re-open under the same key before this op.
        ops.push({ op: "close", vmo: v.name }, { op: "open", vmo: v.name });
      }
      ops.push(op);
    }
    if (!open) ops.unshift({ op: "open", vmo: v.name });
    // Often end with a close (the file's COMPLETE comes while the run goes on) and a re-open.
    if (rng.int(2) === 0) {
      ops.push({ op: "close", vmo: v.name });
      if (rng.int(2) === 0) {
        ops.push(
          { op: "open", vmo: v.name },
          { op: "read", vmo: v.name, page: 0 } as GenThread["ops"][number],
        );
      }
    }
    owner.ops = ops.slice(0, 256);
  }
  void events; // an event aimed at a file acts on the VMO open when it runs
}

/** A generated VMO as the scenario-building helpers below push it (a scenario's `vmos` entry). */
export interface DraftVmo {
  /** Its name in the scenario. */
  name: string;
  /** The pager it belongs to. */
  pager: string;
  /** Its size in pages. */
  pages: number;
  /** The key its pager's packets carry. */
  key: number;
  /** Made with ZX_VMO_TRAP_DIRTY. */
  trapDirty: boolean;
  /** Made with ZX_VMO_RESIZABLE. */
  resizable: boolean;
}

/** A generated thread as those helpers push it (a scenario's `threads` entry). */
export interface DraftThread {
  /** Its name in the scenario. */
  name: string;
  /** The scenario thread's `failInsteadOfBlock`: its faults fail rather than block. */
  failInsteadOfBlock: boolean;
  /** Its ops, in order. */
  ops: { op: string; vmo: string }[];
}

/**
 * Half the time, a resizable VMO of 2-8 pages (cut to the contract's range) that one new thread
 * reads while another shrinks it to a size that keeps the page read but cuts the range after it
 * (trial friction 1: a service that read the size, then supplied a whole chunk past the new size,
 * dropped the supply and left the read unanswered; generated resizes, drawn anywhere and to any
 * size, never raced a read that way). Under an `opens` contract the VMO starts closed and one of
 * the two threads opens it first; the other pads with a few `info` ops (BAD_HANDLE while the
 * file is still closed), so the schedules vary where the shrink lands.
 *
 * @example
 * ```ts
 * import { addShrinkRace } from "./generate.ts";
 * import { parseContract } from "./service_contract.ts";
 * const vmos: { name: string; pager: string; pages: number; key: number; trapDirty: boolean; resizable: boolean }[] = [];
 * const threads: { name: string; failInsteadOfBlock: boolean; ops: { op: string; vmo: string }[] }[] = [];
 * addShrinkRace({ int: () => 0 }, vmos, threads, 1, parseContract({}));
 * console.assert(vmos[0].resizable && threads.length === 2);
 * console.assert(threads.some((t) => t.ops.some((o) => o.op === "resize")));
 * ```
 */
export function addShrinkRace(
  rng: { int(n: number): number },
  vmos: DraftVmo[],
  threads: DraftThread[],
  pagerCount: number,
  contract: ServiceContract,
): void {
  if (contract.vmoPages.max < 2) return;
  const pages = within((n) => rng.int(n), 2, 8, contract.vmoPages);
  const name = `v${vmos.length}`;
  const v = {
    name,
    pager: `p${rng.int(pagerCount)}`,
    pages,
    key: 1 + vmos.length,
    trapDirty: contract.vmoOptions.trapDirty === "always",
    resizable: true,
  };
  const opens = contract.opens !== false;
  if (opens) (v as typeof v & { startsClosed?: boolean }).startsClosed = true;
  vmos.push(v);
  const page = rng.int(pages - 1);
  const newPages = page + 1 + rng.int(pages - 1 - page);
  const length = rng.int(2) === 0 ? 1 : 1 + rng.int(pages - page);
  const pad = (n: number) => Array.from({ length: n }, () => ({ op: "info", vmo: name }));
  const open = [{ op: "open", vmo: name }];
  const readerOpens = opens && rng.int(2) === 0;
  type GenOp = GenThread["ops"][number];
  const read = { op: "read", vmo: name, page, pages: length } as GenOp;
  const shrink = { op: "resize", vmo: name, newPages } as GenOp;
  const regrow = { op: "resize", vmo: name, newPages: pages } as GenOp;
  threads.push(
    {
      name: `w${threads.length}`,
      failInsteadOfBlock: false,
      ops: [...(readerOpens ? open : []), ...pad(rng.int(4)), read],
    },
    {
      name: `w${threads.length + 1}`,
      failInsteadOfBlock: false,
      ops: [
        ...(opens && !readerOpens ? open : []),
        ...pad(rng.int(8)),
        // A few shrink-and-grow rounds: each shrink is one more chance to land in the window.
        ...Array.from({ length: rng.int(4) }, () => [shrink, regrow]).flat(),
        shrink,
        // Sometimes a read of a page left in range after the shrink, too.
        ...(rng.int(2) === 0
          ? [{ op: "read", vmo: name, page: rng.int(newPages), pages: 1 } as GenOp]
          : []),
      ],
    },
  );
}

/**
 * A VMO of its own on pager `target` for a generated sequence: `lo`-`hi` pages within the
 * contract's, trap-dirty when the contract says "always" or, when it allows it, as `trap` draws;
 * it starts closed when the service opens its VMOs. Pushed onto `vmos`. The draws, in order:
 * the pages, then `trap` (only when the contract allows trap-dirty).
 */
function draftOwnVmo(
  rng: { int(n: number): number },
  vmos: DraftVmo[],
  target: string,
  contract: ServiceContract,
  lo: number,
  hi: number,
  trap: (r: { int(n: number): number }) => boolean,
): { name: string; opens: boolean; v: { pages: number } } {
  const name = `v${vmos.length}`;
  const v = {
    name,
    pager: target,
    pages: within((n) => rng.int(n), lo, hi, contract.vmoPages),
    key: 1 + vmos.length,
    trapDirty: contract.vmoOptions.trapDirty === "always" ||
      (contract.vmoOptions.trapDirty === true && trap(rng)),
    resizable: false,
  };
  const opens = contract.opens !== false;
  if (opens) (v as typeof v & { startsClosed?: boolean }).startsClosed = true;
  vmos.push(v);
  return { name, opens, v };
}

/**
 * Writes racing a burst of writeback requests: a VMO of its own on pager `target`, a thread that
 * writes its first page 4-8 times, and 4-9 writeback requests to `target`, about one every two
 * steps. A service that hands a request to a writer thread loses it when the writer is not
 * yet waiting (a lost wake-up), and that shows (writeback-served W3) only when the request lost is
 * the last one and a write landed in the writer's pass: one request at a time rarely gives both.
 * Pushes onto `vmos`, `threads` and `events`.
 *
 * @example
 * ```ts
 * import { addWritebackBurst } from "./generate.ts";
 * import { parseContract } from "./service_contract.ts";
 * const vmos: { name: string; pager: string; pages: number; key: number; trapDirty: boolean; resizable: boolean }[] = [];
 * const threads: { name: string; failInsteadOfBlock: boolean; ops: { op: string; vmo: string }[] }[] = [];
 * const events: { do: string; target: string; notBefore: number }[] = [];
 * addWritebackBurst({ int: () => 0 }, vmos, threads, events, "p0", parseContract({}));
 * console.assert(vmos.length === 1 && threads.length === 1 && events.length === 4);
 * ```
 */
export function addWritebackBurst(
  rng: { int(n: number): number },
  vmos: DraftVmo[],
  threads: DraftThread[],
  events: { do: string; target: string; notBefore: number }[],
  target: string,
  contract: ServiceContract,
): void {
  const { name, opens } = draftOwnVmo(rng, vmos, target, contract, 1, 2, (r) => r.int(2) === 0);
  type GenOp = GenThread["ops"][number];
  const write = { op: "write", vmo: name, page: 0, pages: 1 } as GenOp;
  threads.push({
    name: `w${threads.length}`,
    failInsteadOfBlock: false,
    ops: [
      ...(opens ? [{ op: "open", vmo: name } as GenOp] : []),
      ...Array.from({ length: 4 + rng.int(5) }, () => write),
    ],
  });
  // One every two steps or so: spread over the writes, more of them land in a pass.
  const base = rng.int(30);
  for (let n = 0, count = 4 + rng.int(6); n < count; n++) {
    events.push({ do: "writeback", target, notBefore: base + 2 * n + rng.int(2) });
  }
}

/**
 * A page written, written back, evicted and read again: a VMO of its own on pager `target` (1-2
 * pages, trap-dirty as the contract allows), a thread that writes one page and then reads it
 * again 4-6 times, each read after 15-25 `info` ops (the time a writeback pass and an eviction
 * take), 2-3 writeback requests to `target` from step 20 on (the write's READ and DIRTY round
 * trips come first), each with 3 evictions of the VMO 5-44 steps after it: during the pass and
 * after it (an eviction finds the page clean only once the pass ENDed it). A service
 * that keeps written pages in a log serves the re-read from the log: the read-back path a random
 * mix reached once in thousands of runs. Pushes onto `vmos`, `threads` and `events`.
 *
 * @example
 * ```ts
 * import { addWriteEvictReread } from "./generate.ts";
 * import { parseContract } from "./service_contract.ts";
 * const vmos: { name: string; pager: string; pages: number; key: number; trapDirty: boolean; resizable: boolean }[] = [];
 * const threads: { name: string; failInsteadOfBlock: boolean; ops: { op: string; vmo: string }[] }[] = [];
 * const events: { do: string; target: string; notBefore: number }[] = [];
 * addWriteEvictReread({ int: () => 0 }, vmos, threads, events, "p0", parseContract({}));
 * console.assert(vmos.length === 1 && threads[0].ops[0].op === "write" && events.length === 8);
 * ```
 */
export function addWriteEvictReread(
  rng: { int(n: number): number },
  vmos: DraftVmo[],
  threads: DraftThread[],
  events: { do: string; target: string; notBefore: number }[],
  target: string,
  contract: ServiceContract,
): void {
  const { name, opens, v } = draftOwnVmo(rng, vmos, target, contract, 3, 3, (r) => r.int(4) !== 0);
  type GenOp = GenThread["ops"][number];
  // Two pages apart when it has three: two dirty ranges, so a pass spans two BEGIN..END.
  const page = v.pages >= 3 ? 0 : rng.int(v.pages);
  const other = v.pages >= 3 ? 2 : page;
  const read = { op: "read", vmo: name, page, pages: 1 } as GenOp;
  const ops: GenOp[] = [
    ...(opens ? [{ op: "open", vmo: name } as GenOp] : []),
    { op: "write", vmo: name, page, pages: 1 } as GenOp,
    ...(other !== page ? [{ op: "write", vmo: name, page: other, pages: 1 } as GenOp] : []),
  ];
  for (let r = 4 + rng.int(3); r > 0; r--) {
    for (let i = 15 + rng.int(11); i > 0; i--) ops.push({ op: "info", vmo: name });
    ops.push(read);
  }
  threads.push({ name: `w${threads.length}`, failInsteadOfBlock: false, ops });
  // A second reader of the page, reading more often: one read is likelier to land between an
  // eviction and the pass's end. It never opens the file: the writer owns its open and close
  // (the schema's lifecycle rule), so a read before the writer's open finds it closed.
  const often: GenOp[] = [];
  for (let r = 8 + rng.int(5); r > 0; r--) {
    for (let i = 3 + rng.int(6); i > 0; i--) often.push({ op: "info", vmo: name });
    often.push(read);
  }
  threads.push({ name: `w${threads.length}`, failInsteadOfBlock: false, ops: often });
  // The writes take a READ and a DIRTY round trip: the first writeback no earlier than step 20.
  const wb = 20 + rng.int(20);
  // Evictions during each writeback pass as well as after it: a page the service ENDs before its
  // index says where the data went is evicted and read back in between.
  for (let n = 2 + rng.int(2), at = wb; n > 0; n--, at += 20 + rng.int(20)) {
    events.push({ do: "writeback", target, notBefore: at });
    for (let e = 3; e > 0; e--) {
      events.push({ do: "evict", target: name, notBefore: at + 5 + rng.int(40) });
    }
  }
}

/** A real-sizes VMO's pages: small (1-6), medium (7-64) or, half the time, large (256 and up). */
function realPages(int: (n: number) => number, contract?: ServiceContract): number {
  const cls = int(4);
  const [lo, hi] = cls === 0 ? [1, 6] : cls === 1 ? [7, 64] : [LARGE_VMO_MIN, LARGE_VMO_PAGES];
  return within(int, lo, hi, contract?.vmoPages);
}

/**
 * A real-sizes op's range in a VMO of `n` pages: a chunk from the head, one that ends at the
 * last page (an end-of-file clamp), or one in between; at most {@linkcode MAX_CHUNK_PAGES}.
 */
function realRange(int: (n: number) => number, n: number): { page: number; pages: number } {
  // Half the chunks are short (up to 8 pages): boundaries, not bulk, are what a run is for.
  const most = Math.min(n, int(2) === 0 ? 8 : MAX_CHUNK_PAGES);
  const pages = 1 + int(most);
  switch (int(3)) {
    case 0:
      return { page: 0, pages };
    case 1:
      return { page: n - pages, pages };
    default: {
      const page = int(n - pages + 1);
      return { page, pages };
    }
  }
}

/**
 * A small generator of scenarios for a plan, honouring its swarm features
 * and, when a service is held to one, its contract (without a contract the
 * draws are exactly what they always were).
 */
export function generateScenario(
  plan: ScenarioPlan,
  contract?: ServiceContract,
  options: GenerateScenarioOptions = {},
): Scenario {
  const rng = makeRng(plan.runSeed, "scenario");
  // Real sizes draw from their own stream: runs without them draw exactly what they always did.
  const real = plan.swarm.realSizes === true ? makeRng(plan.runSeed, "sizes") : null;
  const sw = contract === undefined ? plan.swarm : contractSwarm(plan.swarm, contract);
  const draw = (n: number) => rng.int(n);
  const sizes = [64, 128, 256].filter((n) =>
    contract === undefined || (n >= contract.pageSize.min && n <= contract.pageSize.max)
  );
  const pageSize = sizes.length > 0
    ? sizes[rng.int(sizes.length)]
    : (contract as ServiceContract).pageSize.min <= 64
    ? (contract as ServiceContract).pageSize.max // all of it below 64: the largest
    : (contract as ServiceContract).pageSize.min; // all of it above 256: the smallest
  const pagerCount = 1 + rng.int(2);
  const pagers = Array.from({ length: pagerCount }, (_, i) => {
    // Half the pagers of a writeback run write back: level-2 paths need a writeback pager.
    const kind = sw.services.includes("writeback") && rng.int(2) === 0
      ? "writeback"
      : sw.services[rng.int(sw.services.length)];
    return {
      name: `p${i}`,
      threads: real !== null
        ? within((n) => real.int(n), 1, 4, contract?.threads)
        : contract === undefined
        ? 1 + (rng.int(4) === 0 ? 1 : 0)
        : within(draw, 1, 2, contract.threads),
      service: {
        kind,
        batch: 1 + rng.int(4),
        readAhead: rng.int(3),
        failPercent: [10, 30, 60][rng.int(3)],
        detachAfter: rng.int(4),
        closePager: rng.int(3) === 0,
        // Writeback passes often enough to race with faults, evictions and writes.
        ...(kind === "writeback" ? { writebackTicks: 10 + rng.int(60) } : {}),
      },
    };
  });
  // A contract whose VMOs are all trap-dirty gets no other (the draw below is kept, so a
  // contract allowing both draws the same scenario otherwise).
  const alwaysTrapDirty = contract?.vmoOptions.trapDirty === "always";
  // Real sizes: sometimes many VMOs (8 or more on one pager), each small, medium or large.
  const vmoCount = 1 + rng.int(3) +
    (real !== null && real.int(2) === 0 ? MAX_VMOS_REAL - 3 - real.int(3) : 0);
  const vmos = Array.from({ length: vmoCount }, (_, i) => {
    const pager = real !== null && vmoCount > 3 && real.int(4) !== 0 ? 0 : rng.int(pagerCount);
    const pages = real === null
      ? within(draw, 1, 6, contract?.vmoPages)
      : realPages((n) => real.int(n), contract);
    return {
      name: `v${i}`,
      pager: `p${pager}`,
      pages,
      key: 1 + i + (rng.int(4) === 0 ? 0x1_0000_0000 : 0),
      // Only services that answer DIRTY requests get trap-dirty VMOs (the same rule as the arbitraries).
      trapDirty: (sw.trapDirty && answersDirty(pagers[pager].service.kind) && rng.int(2) === 0) ||
        alwaysTrapDirty,
      resizable: sw.resize && rng.int(2) === 0,
    };
  });
  const kinds = [
    "read",
    "read",
    ...(sw.writes ? ["write"] : []),
    ...(sw.commit ? ["commit"] : []),
    ...(sw.mapped ? (contract?.writes === false ? ["mapRead"] : ["mapRead", "mapWrite"]) : []),
    ...(sw.zero ? ["zero"] : []),
    ...(sw.clones ? ["cloneRead", "cloneWrite"] : []),
    ...(sw.resize && vmos.some((v) => v.resizable) ? ["resize"] : []),
    "info",
  ];
  // Writeback runs need write, writeback, evict, re-read sequences: longer threads.
  const opsMax = sw.services.includes("writeback") ? 6 : 3;
  const many = real !== null && vmoCount > 3;
  const threads = Array.from({ length: 1 + rng.int(3) }, (_, i) => ({
    name: `w${i}`,
    failInsteadOfBlock: sw.failInsteadOfBlock && rng.int(2) === 0,
    // Many files: more ops, and the ops walk the VMOs (a directory scan), so one pager serves many.
    ops: Array.from({ length: 1 + rng.int(opsMax) + (many ? real.int(opsMax + 2) : 0) }, (_, j) => {
      const op = kinds[rng.int(kinds.length)];
      const pool = op === "resize" ? vmos.filter((v) => v.resizable) : vmos;
      const drawn = rng.int(pool.length);
      const v = pool[many && op !== "resize" ? (drawn + i + 3 * j) % pool.length : drawn];
      if (op === "info") return { op: "info" as const, vmo: v.name };
      if (op === "resize") {
        const most = Math.min(8, (contract?.vmoPages.max ?? 7) + 1);
        return { op: "resize" as const, vmo: v.name, newPages: rng.int(most) };
      }
      if (real !== null && v.pages > 6) {
        return { op: op as "read", vmo: v.name, ...realRange((n) => real.int(n), v.pages) };
      }
      const page = rng.int(v.pages);
      return { op: op as "read", vmo: v.name, page, pages: 1 + rng.int(v.pages - page) };
    }),
  }));
  // Writeback events go to writeback pagers when there are any (others ignore the packet).
  const writebackPagers = pagers.filter((p) => p.service.kind === "writeback");
  const wbTargets = writebackPagers.length > 0 ? writebackPagers : pagers;
  const events = sw.events.length === 0 ? [] : Array.from({ length: rng.int(3) }, () => {
    const kind = sw.events[rng.int(sw.events.length)];
    const target = kind === "suspend" || kind === "kill"
      ? threads[rng.int(threads.length)].name
      : kind === "closePager" || kind === "closePort"
      ? pagers[rng.int(pagers.length)].name
      : kind === "writeback"
      ? wbTargets[rng.int(wbTargets.length)].name
      : vmos[rng.int(vmos.length)].name;
    return { do: kind, target, notBefore: rng.int(3) === 0 ? rng.int(20) : 0 };
  });
  // Evictions and writebacks matter after pages arrive and are written: more of them, spread out.
  const level2Events = sw.events.filter((k) => k === "evict" || k === "writeback");
  if (level2Events.length > 0) {
    for (let n = 2 + rng.int(6); n > 0; n--) {
      const kind = level2Events[rng.int(level2Events.length)];
      const target = kind === "writeback"
        ? wbTargets[rng.int(wbTargets.length)].name
        : vmos[rng.int(vmos.length)].name;
      events.push({ do: kind, target, notBefore: rng.int(150) });
    }
  }
  const overtimeTicks = sw.overtime ? 200 + rng.int(400) : 0;
  // Drawn last, and only when switched on: runs without it keep their scenarios.
  const allocFailPercent = sw.allocFailures === true ? [5, 15, 30][rng.int(3)] : undefined;
  if (sw.lifecycle === true) {
    addLifecycles(makeRng(plan.runSeed, "lifecycle"), vmos, threads, events, contract);
  }
  // A shrink racing a read, from its own stream and only under a contract with resizes: runs
  // without a contract (the zoo's, the kernel's) keep their scenarios.
  if (contract !== undefined && sw.resize && contract.vmoOptions.resizable) {
    addShrinkRace(makeRng(plan.runSeed, "shrink-race"), vmos, threads, pagers.length, contract);
  }
  // Writes racing a burst of writeback requests, likewise only under a contract that takes them
  // as packets (the reference writeback service's runs keep their scenarios).
  if (
    contract !== undefined && contract.writeback !== false && "packet" in contract.writeback &&
    sw.events.includes("writeback") && sw.writes
  ) {
    const burst = makeRng(plan.runSeed, "writeback-burst");
    const target = wbTargets[burst.int(wbTargets.length)].name;
    addWritebackBurst(burst, vmos, threads, events, target, contract);
  }
  // Write, write back, evict, re-read the same page, from its own stream, in a third of the runs
  // under a contract that takes writeback requests and evictions, whatever the run's swarm drew
  // (the four together came in about 1 run in 20): runs without a contract keep their scenarios.
  if (
    contract !== undefined && contract.writeback !== false && contract.writes &&
    contract.events.includes("writeback") && contract.events.includes("evict")
  ) {
    const wer = makeRng(plan.runSeed, "write-evict-reread");
    if (wer.int(3) === 0) {
      const target = wbTargets[wer.int(wbTargets.length)].name;
      addWriteEvictReread(wer, vmos, threads, events, target, contract);
    }
  }
  // Readers joined on one request, some cancelled while parked, from their own stream.
  if (options.joinedReaders !== false) {
    addJoinedReaders(makeRng(plan.runSeed, "joined-readers"), vmos, threads, events, contract);
  }
  // File layouts from their own stream, only when switched on: every other draw stays the same.
  // (The stream is keyed on its own, so making it only when drawn from changes no draw.)
  const files = sw.files === true ? makeRng(plan.runSeed, "files") : null;
  const laidOut = files !== null
    ? vmos.map((v) => ({
      ...v,
      ...drawFileLayout((n) => files.int(n), v.pages * pageSize, pageSize),
    }))
    : vmos;
  // A bound that fits the workload: a slow but correct service is not a dropped request.
  const liveness = livenessBound({ threads, events });
  return parseBuiltScenario({
    format: SCENARIO_FORMAT,
    name: `campaign run ${plan.k}`,
    pageSize,
    overtimeTicks,
    ...(allocFailPercent === undefined ? {} : { allocFailPercent }),
    // Room for the whole liveness phase and a quiescent tail after it.
    maxSteps: Math.max(20_000, LIVENESS_AFTER + liveness + TAIL_STEPS),
    liveness: { afterSteps: LIVENESS_AFTER, bound: liveness },
    pagers,
    vmos: laidOut,
    threads,
    events,
  }, `run ${plan.k}`);
}

/** What {@linkcode generateScenario} may leave out. */
export interface GenerateScenarioOptions {
  /**
   * Draw {@linkcode addJoinedReaders}' readers (default true). The campaign judge's `run:K`
   * probes (mutate/judges.ts) pass false: they stay the scenarios they were before the readers
   * came (session 28), so the judge's verdicts, ranks and timings are unchanged.
   */
  readonly joinedReaders?: boolean;
}

/** One generated scenario in this many gets {@linkcode addJoinedReaders}' readers. */
export const JOINED_READERS = 4;

/**
 * Three readers of one page, two of them cancelled (suspended or killed) while they wait, in one
 * run in {@linkcode JOINED_READERS}: the first reader's request is the one the others join, and
 * its cancel hands the request on with the others still parked on it. Random draws seldom park
 * three threads on one request and cancel one of them (userS28k's v6, which dropped the last
 * joined waiter when the request's first waiter was cancelled with two others joined, failed
 * about one campaign run in 1000). The readers read the page first thing, the cancels come from
 * step 2 on (`notBefore`). Only events a contract allows (suspend, kill); none: no readers. The
 * draws are this stream's own, so every other draw of the scenario is what it was.
 */
export function addJoinedReaders(
  rng: { int(n: number): number },
  vmos: readonly { name: string; pages: number }[],
  threads: { name: string; failInsteadOfBlock: boolean; ops: unknown[] }[],
  events: { do: string; target: string; notBefore: number }[],
  contract?: Pick<ServiceContract, "events">,
): void {
  if (rng.int(JOINED_READERS) !== 0) return;
  const cancels = (["suspend", "kill"] as const).filter((k) =>
    contract === undefined || contract.events.includes(k)
  );
  if (cancels.length === 0) return;
  const v = vmos[rng.int(vmos.length)];
  const page = rng.int(v.pages);
  const first = threads.length;
  for (let i = 0; i < 3; i++) {
    threads.push({
      name: `w${first + i}`,
      failInsteadOfBlock: false,
      ops: [{ op: "read", vmo: v.name, page, pages: 1 }],
    });
  }
  for (let i = 0; i < 2; i++) {
    events.push({
      do: cancels[rng.int(cancels.length)],
      target: `w${first + rng.int(3)}`,
      notBefore: 2 + rng.int(3),
    });
  }
}

/** The step a generated scenario's fair liveness phase begins at. */
export const LIVENESS_AFTER = 400;

/** The least liveness bound of a generated scenario (fair steps from {@linkcode LIVENESS_AFTER}). */
export const LIVENESS_BOUND_MIN = 4000;

/**
 * Fair steps a generated scenario's liveness bound allows per unit of work
 * ({@linkcode workloadUnits}): about twice the most a correct service was measured to need
 * (bench/liveness_budget.ts; docs/performance.md, session 22, helper fxA22: the reference
 * services at most 3.9, userS22's receiver + worker log store 11.6). Small workloads keep
 * {@linkcode LIVENESS_BOUND_MIN}.
 */
export const LIVENESS_STEPS_PER_UNIT = 24;

/**
 * The work a scenario's workload asks for: every page its ops touch (an op without a range
 * counts one) and every event.
 *
 * @example
 * ```ts
 * import { workloadUnits } from "./generate.ts";
 * const threads = [{ ops: [{ op: "read", vmo: "v", page: 0, pages: 3 }, { op: "info", vmo: "v" }] }];
 * console.assert(workloadUnits({ threads, events: [{}] }) === 5);
 * ```
 */
export function workloadUnits(
  s: { threads: readonly { ops: readonly object[] }[]; events?: readonly unknown[] },
): number {
  let units = s.events?.length ?? 0;
  for (const t of s.threads) {
    for (const op of t.ops) {
      const pages = (op as { pages?: unknown }).pages;
      units += typeof pages === "number" ? Math.max(1, pages) : 1;
    }
  }
  return units;
}

/**
 * The liveness bound a generated scenario gets: enough fair steps for its workload
 * ({@linkcode LIVENESS_STEPS_PER_UNIT} per unit), never less than {@linkcode LIVENESS_BOUND_MIN}.
 *
 * @example
 * ```ts
 * import { LIVENESS_BOUND_MIN, livenessBound } from "./generate.ts";
 * console.assert(livenessBound({ threads: [{ ops: [] }] }) === LIVENESS_BOUND_MIN);
 * ```
 */
export function livenessBound(
  s: { threads: readonly { ops: readonly object[] }[]; events?: readonly unknown[] },
): number {
  return Math.max(LIVENESS_BOUND_MIN, LIVENESS_STEPS_PER_UNIT * workloadUnits(s));
}

/**
 * A file layout for a VMO of `size` bytes (sim/file_layout.ts), drawn with
 * `draw(n)` (an integer below `n`): mostly a byte size inside the last page
 * (the partial-page zero fill and the zero tail past end of file), sometimes
 * anywhere or none; up to two holes, mostly smaller than 16 bytes, some up
 * to two pages. An empty object is "whole pages, no holes".
 *
 * @example
 * ```ts
 * import { makeRng } from "../sim/rng.ts";
 * import { drawFileLayout } from "./generate.ts";
 * const rng = makeRng(1, "doc");
 * const f = drawFileLayout((n) => rng.int(n), 256, 64);
 * console.assert(f.bytes === undefined || f.bytes <= 256);
 * ```
 */
export function drawFileLayout(
  draw: (n: number) => number,
  size: number,
  pageSize: number,
): { bytes?: number; holes?: { offset: number; length: number }[] } {
  const mode = draw(4);
  const bytes = mode === 0
    ? draw(size + 1)
    : mode === 1
    ? undefined
    : Math.max(0, size - pageSize) + draw(Math.min(size, pageSize) + 1);
  const holes = Array.from({ length: draw(3) }, () => {
    const offset = draw(size);
    const most = Math.min(draw(2) === 0 ? 16 : 2 * pageSize, size - offset);
    return { offset, length: 1 + draw(most) };
  });
  return {
    ...(bytes === undefined ? {} : { bytes }),
    ...(holes.length === 0 ? {} : { holes }),
  };
}
