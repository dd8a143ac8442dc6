/**
 * fast-check arbitraries for pager scenarios and schedules. Both are
 * ordinary `fc.Arbitrary` values, so fast-check shrinks the schedule (the
 * decision list) along with the scenario, and both compose with a user's own
 * `fc.assert`.
 *
 * @module
 */

import fc, { type Arbitrary } from "npm:fast-check@4.11.0";
import {
  EVENT_KINDS,
  LEVEL2_EVENT_KINDS,
  parseScenario,
  type Scenario,
  type ScenarioInput,
  SERVICE_KINDS,
} from "../scenario/schema.ts";
import { answersDirty } from "../scenario/schema.ts";
import type { ServiceContract } from "../scenario/service_contract.ts";
import {
  addJoinedReaders,
  addLifecycles,
  type GenThread,
  type GenVmo,
  JOINED_READERS,
} from "../scenario/generate.ts";

export { answersDirty };

/**
 * fast-check's own `Arbitrary<T>` under a local name: deno doc --lint flags
 * types from npm packages as private (denoland/deno#27364).
 *
 * @internal
 */
export type FcArbitrary<T> = Arbitrary<T>;

/** A service kind a scenario may use. */
export type ServiceKind = Exclude<typeof SERVICE_KINDS[number], "custom">;
/** An environment event kind (level 2 adds `evict` and `writeback`). */
export type EventKind = typeof EVENT_KINDS[number] | typeof LEVEL2_EVENT_KINDS[number];
/** An operation kind of a faulting thread (level 2 adds resize, zero and the clone ops). */
export type OpKind =
  | "read"
  | "write"
  | "commit"
  | "mapRead"
  | "mapWrite"
  | "info"
  | "resize"
  | "zero"
  | "cloneRead"
  | "cloneWrite";

/**
 * Options of {@linkcode scenarioArbitrary}; every bound is inclusive. The
 * defaults draw from (at least) every scenario a `deno task fuzz` campaign
 * generates, so a property and a campaign judge a service on the same
 * universe (`properties/arbitraries_test.ts` checks it).
 */
export interface ScenarioArbitraryOptions {
  /** Pagers (each with its own port and service). Default 2. */
  readonly maxPagers?: number;
  /** VMOs in all. Default 3. */
  readonly maxVmos?: number;
  /** Pages per VMO. Default 6. */
  readonly maxPages?: number;
  /** Faulting threads. Default 3. */
  readonly maxThreads?: number;
  /** Operations per faulting thread. Default 6. */
  readonly maxOps?: number;
  /** Environment events. Default 9. */
  readonly maxEvents?: number;
  /** Page sizes to draw from. Default 64, 128, 256, 512. */
  readonly pageSizes?: readonly number[];
  /** Reference services to draw from. Default eager, batching, flaky, detacher, writeback. */
  readonly services?: readonly ServiceKind[];
  /** Names of custom services (passed to the run as `services`) to draw from as well. */
  readonly customServices?: readonly string[];
  /** Environment events to draw from. Default all of them. */
  readonly events?: readonly EventKind[];
  /** Operations to draw from. Default all of them. */
  readonly ops?: readonly OpKind[];
  /** Let threads use fail-instead-of-block mode. Default true. */
  readonly failInsteadOfBlock?: boolean;
  /** Service threads per pager. Default 2. */
  readonly maxServiceThreads?: number;
  /**
   * Let VMOs be created with `ZX_VMO_TRAP_DIRTY` (those of pagers whose
   * service answers DIRTY requests: writeback and every custom service, see
   * {@linkcode answersDirty}) and `ZX_VMO_RESIZABLE`. Default true.
   */
  readonly vmoFlags?: boolean;
  /** Let the kernel's overtime timeout of pager waits be on. Default true. */
  readonly overtime?: boolean;
  /**
   * Let files come and go: VMOs opened during the run, closed and re-opened
   * under the same key (`open`, `close`, `startsClosed`), as campaigns draw
   * them. Default true (a contract without `lifecycle` turns it off; one
   * whose service opens its own VMOs makes every VMO such a file).
   */
  readonly lifecycle?: boolean;
  /**
   * Let VMOs have file layouts (sim/file_layout.ts): a byte size that ends
   * mid-page, holes of any size, sub-page ones mostly. Default true. They
   * shrink toward no layout, a whole file and no holes.
   */
  readonly files?: boolean;
  /**
   * Draw only scenarios inside this service contract (`scenario/service_contract.ts`):
   * its page sizes, VMO sizes, service thread counts, VMO options, clones and
   * events in scope, for every pager. Default: none (the whole universe).
   * {@linkcode pagerProperty} takes it from a contracted custom service.
   */
  readonly contract?: ServiceContract;
  /**
   * Real services' sizes (issue 13.4): VMOs up to 1,024 pages, up to 12 of them, 1 to 4 service
   * threads, and op ranges drawn over the whole VMO, a third of them ending at its last page.
   * Sets the defaults of `maxPages`, `maxVmos` and `maxServiceThreads` (given ones win).
   * Default false: the small universe.
   */
  readonly realSizes?: boolean;
  /**
   * Joined readers, as campaigns draw them (scenario/generate.ts `addJoinedReaders`): in about
   * one run in {@linkcode JOINED_READERS}, three more threads read one page of one VMO first
   * thing, and two suspend or kill events (whichever the events allow) cancel drawn ones while
   * they wait, so a request is handed on with waiters still joined to it. The faulting threads
   * then number up to `maxThreads` + 3. Drawn last, so every other draw of a run is what it was
   * without them; it shrinks to none. Default true.
   */
  readonly joinedReaders?: boolean;
}

const OP_KINDS: readonly OpKind[] = [
  "read",
  "write",
  "commit",
  "mapRead",
  "mapWrite",
  "info",
  "resize",
  "zero",
  "cloneRead",
  "cloneWrite",
];

const ALL_EVENT_KINDS: readonly EventKind[] = [...EVENT_KINDS, ...LEVEL2_EVENT_KINDS];

/** Run limits of drawn scenarios: small, so a property runs hundreds of cases in seconds. */
const LIMITS = { maxSteps: 20_000, liveness: { afterSteps: 400, bound: 4_000 } };

/**
 * Valid scenarios. Cross-references are drawn as indices and taken modulo
 * the number of things they point at, so every draw (and every shrink) is
 * valid. The defaults cover what a campaign draws: trap-dirty VMOs for every
 * service that must answer DIRTY ({@linkcode answersDirty}), the overtime
 * timeout, keys past 32 bits, events from step 0 to 150.
 *
 * @example
 * ```ts
 * import fc from "npm:fast-check@4.11.0";
 * import { scenarioArbitrary } from "./arbitraries.ts";
 * const [s] = fc.sample(scenarioArbitrary({ maxPagers: 1 }), { numRuns: 1, seed: 1 });
 * console.assert(s.pagers.length === 1 && s.pageSize <= 512);
 * ```
 */
export function scenarioArbitrary(options: ScenarioArbitraryOptions = {}): FcArbitrary<Scenario> {
  const services: string[] = [
    ...(options.services ?? ["eager", "batching", "flaky", "detacher", "writeback"]),
  ];
  const custom = options.customServices ?? [];
  const serviceNames = [...services, ...custom.map((n) => `custom:${n}`)];
  const c = options.contract;
  const ops = (options.ops ?? OP_KINDS).filter((o) =>
    c === undefined ||
    (o === "resize"
      ? c.events.includes("resize")
      : o === "cloneRead" || o === "cloneWrite"
      ? c.clones
      : o === "write" || o === "mapWrite" || o === "zero"
      ? c.writes
      : true)
  );
  const events = (options.events ?? ALL_EVENT_KINDS).filter((e) =>
    c === undefined || c.events.includes(e)
  );
  const vmoFlags = options.vmoFlags ?? true;
  const trapDirtyOk = vmoFlags && (c === undefined || c.vmoOptions.trapDirty !== false);
  // A contract whose VMOs are all trap-dirty: every VMO of a pager answering DIRTY is.
  const alwaysTrapDirty = c?.vmoOptions.trapDirty === "always";
  const resizableOk = vmoFlags && (c === undefined || c.vmoOptions.resizable);
  /** `[lo, hi]` cut to a contract's range (its low end when they do not meet). */
  const cut = (lo: number, hi: number, r?: { min: number; max: number }) => {
    if (r === undefined) return { min: lo, max: hi };
    const a = Math.max(lo, r.min), b = Math.min(hi, r.max);
    return a <= b ? { min: a, max: b } : { min: r.min, max: Math.min(r.max, r.min + hi - lo) };
  };
  const wantSizes = options.pageSizes ?? [64, 128, 256, 512];
  const fitting = wantSizes.filter((n) =>
    c === undefined || (n >= c.pageSize.min && n <= c.pageSize.max)
  );
  const pageSizes = fitting.length > 0 ? fitting : [
    c !== undefined && c.pageSize.min <= wantSizes[0] ? c.pageSize.max : (c?.pageSize.min ?? 64),
  ];
  const overtime = options.overtime ?? true;
  const lifecycle = (options.lifecycle ?? true) && (c === undefined || c.lifecycle);
  const opensAll = c !== undefined && c.opens !== false;
  const nat = (max: number) => fc.nat({ max });
  const real = options.realSizes === true;
  const service = fc.record({
    which: fc.constantFrom(...serviceNames),
    batch: fc.integer({ min: 1, max: 4 }),
    readAhead: nat(2),
    failPercent: nat(60),
    detachAfter: nat(3),
    closePager: fc.boolean(),
    threads: fc.integer(cut(1, options.maxServiceThreads ?? (real ? 4 : 2), c?.threads)),
    writebackTicks: fc.integer({ min: 5, max: 80 }),
  });
  // Real sizes: ranges over the whole VMO (taken modulo its size), a third of them at its end.
  const op = fc.record({
    op: fc.constantFrom(...ops),
    vmo: nat(15),
    page: real ? fc.nat() : nat(15),
    pages: real ? fc.oneof(nat(7), nat(63)) : nat(15),
    byte: fc.option(nat(255), { nil: undefined }),
    ...(real ? { tail: fc.nat(2).map((n) => n === 0) } : {}),
  });
  const raw = fc.record({
    pageSize: fc.constantFrom(...pageSizes),
    overtimeTicks: overtime
      ? fc.oneof(fc.constant(0), fc.integer({ min: 100, max: 600 }))
      : fc.constant(0),
    pagers: fc.array(service, { minLength: 1, maxLength: options.maxPagers ?? 2 }),
    vmos: fc.array(
      fc.record({
        pager: nat(15),
        pages: real && options.maxPages === undefined
          ? fc.oneof(fc.integer(cut(1, 64, c?.vmoPages)), fc.integer(cut(256, 1024, c?.vmoPages)))
          : fc.integer(cut(1, options.maxPages ?? 6, c?.vmoPages)),
        // Keys past 32 bits too: a service must not truncate them.
        highKey: fc.boolean(),
        trapDirty: alwaysTrapDirty
          ? fc.constant(true)
          : trapDirtyOk
          ? fc.boolean()
          : fc.constant(false),
        resizable: resizableOk ? fc.boolean() : fc.constant(false),
      }),
      { minLength: 1, maxLength: options.maxVmos ?? (real ? 12 : 3) },
    ),
    threads: fc.array(
      fc.record({
        ops: fc.array(op, { minLength: 1, maxLength: options.maxOps ?? 6 }),
        failInsteadOfBlock: options.failInsteadOfBlock === false
          ? fc.constant(false)
          : fc.boolean(),
      }),
      { minLength: 1, maxLength: options.maxThreads ?? 3 },
    ),
    events: fc.array(
      fc.record({
        do: fc.constantFrom(...(events.length > 0 ? events : ALL_EVENT_KINDS)),
        target: nat(15),
        notBefore: nat(150),
      }),
      { maxLength: events.length === 0 ? 0 : options.maxEvents ?? 9 },
    ),
    // Files that come and go: on or off (shrinks to off), and the draws that shape them.
    lifecycle: lifecycle && !opensAll ? fc.boolean() : fc.constant(opensAll),
    lifeDraws: lifecycle ? fc.array(nat(5), { maxLength: 12 }) : fc.constant([]),
    // Drawn last, one per VMO that may be drawn: fast-check gives each run its own random stream,
    // so every other field of a run is what it was before layouts existed.
    layouts: options.files === false ? fc.constant([]) : fc.array(
      fc.option(
        fc.record({
          // Bytes short of the VMO's end (0: the whole VMO), and holes: both shrink to none.
          short: fc.oneof(nat(1024), nat(1 << 16)),
          holes: fc.array(
            fc.record({ offset: nat(1 << 16), length: fc.oneof(nat(15), nat(1 << 10)) }),
            { maxLength: 2 },
          ),
        }),
        { nil: null },
      ),
      { minLength: options.maxVmos ?? 3, maxLength: options.maxVmos ?? 3 },
    ),
    // Drawn after the layouts, for the same reason: the joined readers' draws (one run in
    // JOINED_READERS; null shrinks first).
    joined: options.joinedReaders === false ? fc.constant(null) : fc.oneof(
      { arbitrary: fc.constant(null), weight: JOINED_READERS - 1 },
      { arbitrary: fc.array(nat(1 << 16), { minLength: 6, maxLength: 6 }), weight: 1 },
    ),
  });
  return raw.map((r) => {
    const dirtyOk = (i: number) => {
      const which = r.pagers[i % r.pagers.length].which;
      return answersDirty(which.startsWith("custom:") ? "custom" : which);
    };
    const resized = new Set<number>();
    for (const t of r.threads) {
      for (const o of t.ops) if (o.op === "resize") resized.add(o.vmo % r.vmos.length);
    }
    const vmos = r.vmos.map((v, i) => ({
      name: `v${i}`,
      pager: `p${v.pager % r.pagers.length}`,
      pages: v.pages,
      key: 1 + i + (v.highKey ? 0x1_0000_0000 : 0),
      // A resized VMO must be resizable.
      trapDirty: v.trapDirty && dirtyOk(v.pager),
      resizable: v.resizable || resized.has(i),
      ...layoutOf(r.layouts[i] ?? null, v.pages * r.pageSize, r.pageSize),
    }));
    const input: ScenarioInput = {
      pageSize: r.pageSize,
      overtimeTicks: r.overtimeTicks,
      ...LIMITS,
      pagers: r.pagers.map((p, i) => {
        const isCustom = p.which.startsWith("custom:");
        return {
          name: `p${i}`,
          threads: p.threads,
          service: {
            kind: isCustom ? "custom" : p.which as ServiceKind,
            ...(isCustom ? { name: p.which.slice("custom:".length) } : {}),
            batch: p.batch,
            readAhead: p.readAhead,
            failPercent: p.failPercent,
            detachAfter: p.detachAfter,
            closePager: p.closePager,
            writebackTicks: p.writebackTicks,
          },
        };
      }),
      vmos,
      threads: r.threads.map((t, i) => ({
        name: `w${i}`,
        failInsteadOfBlock: t.failInsteadOfBlock,
        ops: t.ops.map((o) => {
          const v = vmos[o.vmo % vmos.length];
          if (o.op === "info") return { op: "info" as const, vmo: v.name };
          if (o.op === "resize") {
            const newPages = Math.min(
              o.pages % (Math.max(8, 2 * v.pages + 1)),
              c?.vmoPages.max ?? Infinity,
            );
            return { op: "resize" as const, vmo: v.name, newPages };
          }
          const tail = "tail" in o && o.tail === true;
          const page = tail ? Math.max(0, v.pages - 1 - o.pages % v.pages) : o.page % v.pages;
          const pages = tail ? v.pages - page : 1 + o.pages % (v.pages - page);
          const writes = o.op === "write" || o.op === "mapWrite" || o.op === "cloneWrite";
          return {
            op: o.op,
            vmo: v.name,
            page,
            pages,
            ...(writes && o.byte !== undefined ? { byte: o.byte } : {}),
          };
        }),
      })),
      events: r.events.map((e) => {
        const target = e.do === "suspend" || e.do === "kill"
          ? `w${e.target % r.threads.length}`
          : e.do === "closePager" || e.do === "closePort" || e.do === "writeback"
          ? `p${e.target % r.pagers.length}`
          : `v${e.target % vmos.length}`;
        return { do: e.do, target, notBefore: e.notBefore };
      }),
    };
    if (r.lifecycle) {
      let at = 0;
      const tape = {
        int: (n: number) =>
          (r.lifeDraws.length === 0 ? 1 : r.lifeDraws[at++ % r.lifeDraws.length]) % n,
      };
      addLifecycles(
        tape,
        input.vmos as GenVmo[],
        input.threads as GenThread[],
        input.events as { do: string; target: string }[],
        c,
      );
    }
    if (r.joined !== null) {
      // Of the VMOs open from the start; the campaign's helper, fed the drawn values (its first
      // draw, whether to add readers at all, is the `oneof` above: 0 here).
      const open = vmos.filter((v) => !(v as GenVmo).startsClosed);
      const draws = [0, ...r.joined];
      let at = 0;
      if (open.length > 0) {
        addJoinedReaders(
          { int: (n: number) => draws[at++ % draws.length] % n },
          open,
          input.threads as { name: string; failInsteadOfBlock: boolean; ops: unknown[] }[],
          input.events as { do: string; target: string; notBefore: number }[],
          { events },
        );
      }
    }
    return parseScenario(input, "scenarioArbitrary");
  });
}

/** A drawn file layout made to fit a VMO of `size` bytes (sim/file_layout.ts); null: none. */
function layoutOf(
  f: { short: number; holes: { offset: number; length: number }[] } | null,
  size: number,
  pageSize: number,
): { bytes?: number; holes?: { offset: number; length: number }[] } {
  if (f === null) return {};
  const holes = f.holes.map((h) => {
    const offset = h.offset % size;
    return { offset, length: 1 + h.length % Math.min(2 * pageSize, size - offset) };
  });
  return { bytes: size - f.short % (size + 1), ...(holes.length === 0 ? {} : { holes }) };
}

/** Options of {@linkcode decisionsArbitrary}. */
export interface DecisionsArbitraryOptions {
  /** Longest list. Default 64. */
  readonly maxLength?: number;
  /** Largest index drawn (taken modulo the runnable set). Default 7. */
  readonly maxValue?: number;
}

/**
 * Decision lists: plain arrays of small indices. Each picks among the
 * runnable threads (mod their number); past the end the seeded fallback picks.
 *
 * @example
 * ```ts
 * import fc from "npm:fast-check@4.11.0";
 * import { decisionsArbitrary } from "./arbitraries.ts";
 * const [d] = fc.sample(decisionsArbitrary({ maxLength: 4 }), { numRuns: 1, seed: 1 });
 * console.assert(d.length <= 4);
 * ```
 */
export function decisionsArbitrary(
  options: DecisionsArbitraryOptions = {},
): FcArbitrary<number[]> {
  return fc.array(fc.nat({ max: options.maxValue ?? 7 }), { maxLength: options.maxLength ?? 64 });
}
