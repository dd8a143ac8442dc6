/**
 * Scenarios: JSON documents that say which pagers, VMOs, faulting threads,
 * services and environment events a run has. Checked with zod; every error
 * names the path of the bad field.
 *
 * @module
 */

import { z } from "npm:zod@4.6.7";
import { LIMITS } from "../kernel/constants.ts";
import { nearest } from "./nearest.ts";

/** The scenario format tag; bump it when the meaning of a field changes. */
export const SCENARIO_FORMAT = "pagersim/scenario@1";

const name = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, _ . - only");
const page = z.number().int().min(0).max(1 << 20);
const pages = z.number().int().min(1).max(1 << 20);

const range = { vmo: name, page, pages: pages.default(1) };

/** One operation of a faulting thread. */
export const OpSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("read"), ...range }).strict(),
  z.object({ op: z.literal("write"), ...range, byte: z.number().int().min(0).max(255).optional() })
    .strict(),
  z.object({ op: z.literal("commit"), ...range }).strict(),
  z.object({ op: z.literal("mapRead"), ...range }).strict(),
  z.object({
    op: z.literal("mapWrite"),
    ...range,
    byte: z.number().int().min(0).max(255).optional(),
  })
    .strict(),
  z.object({ op: z.literal("info"), vmo: name }).strict(),
  /** `zx_vmo_set_size` to `newPages` pages (the VMO must be `resizable`). */
  z.object({ op: z.literal("resize"), vmo: name, newPages: z.number().int().min(0).max(4096) })
    .strict(),
  /** `ZX_VMO_OP_ZERO` over the range. */
  z.object({ op: z.literal("zero"), ...range }).strict(),
  /** Creates an at-least-on-write clone of the whole VMO, reads the range through it, closes it. */
  z.object({ op: z.literal("cloneRead"), ...range }).strict(),
  /** As `cloneRead`, but writes the range through the clone (the root never sees it). */
  z.object({
    op: z.literal("cloneWrite"),
    ...range,
    byte: z.number().int().min(0).max(255).optional(),
  }).strict(),
  /**
   * Opens the file: creates the VMO (a file opened during the run), hands it
   * to its pager's service and to the workload. Valid on a VMO that is closed
   * (one declared `startsClosed`, or after a `close`).
   */
  z.object({ op: z.literal("open"), vmo: name }).strict(),
  /**
   * Closes the file: the workload's handle closes and the service lets go of
   * the VMO (detach, its handle closed), so its COMPLETE comes; a later `open`
   * re-creates it under the same key once the service has taken that COMPLETE.
   */
  z.object({ op: z.literal("close"), vmo: name }).strict(),
]);
/** The page range an operation covers. */
export interface OpRange {
  /** The VMO, by scenario name. */
  vmo: string;
  /** First page. */
  page: number;
  /** Number of pages (default 1). */
  pages: number;
}

/** One operation of a faulting thread. */
export type Op =
  | ({ op: "read" | "commit" | "mapRead" | "zero" | "cloneRead" } & OpRange)
  | ({ op: "write" | "mapWrite" | "cloneWrite"; byte?: number } & OpRange)
  | { op: "info" | "open" | "close"; vmo: string }
  | { op: "resize"; vmo: string; newPages: number };

/** Built-in reference services; `custom` names a module registered by the caller. */
export const SERVICE_KINDS = [
  "eager",
  "batching",
  "flaky",
  "detacher",
  "writeback",
  "custom",
] as const;

/**
 * Whether a pager served by `kind` may get `ZX_VMO_TRAP_DIRTY` VMOs: the
 * writeback reference service answers DIRTY requests, the other reference
 * services were written for the original protocol, and a custom service (a
 * user's) is held to the whole protocol, as a campaign's `--service` holds it.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { answersDirty } from "./schema.ts";
 * assert.ok(answersDirty("writeback") && answersDirty("custom") && !answersDirty("eager"));
 * ```
 */
export function answersDirty(kind: string): boolean {
  return kind === "writeback" || kind === "custom";
}

/** A pager service and its parameters. */
export const ServiceSchema = z.object({
  kind: z.enum(SERVICE_KINDS).default("eager"),
  /** batching: packets gathered before supplying. */
  batch: z.number().int().min(1).max(64).default(4),
  /** batching: extra pages supplied past each request. */
  readAhead: z.number().int().min(0).max(64).default(2),
  /** flaky: percent of requests answered with OP_FAIL. */
  failPercent: z.number().int().min(0).max(100).default(30),
  /** detacher: packets served before it detaches (or closes the pager). */
  detachAfter: z.number().int().min(0).max(1000).default(1),
  /** detacher: close the pager handle instead of detaching one VMO. */
  closePager: z.boolean().default(false),
  /** writeback: ticks between writeback passes. */
  writebackTicks: z.number().int().min(1).max(1_000_000).default(200),
  /** custom: the name the service was registered under. */
  name: z.string().optional(),
}).strict();
/** A pager service and its parameters. */
export interface ServiceSpec {
  /** Which service serves the pager. */
  kind: typeof SERVICE_KINDS[number];
  /** batching: packets gathered before supplying. */
  batch: number;
  /** batching: extra pages supplied past each request. */
  readAhead: number;
  /** flaky: percent of requests answered with OP_FAIL. */
  failPercent: number;
  /** detacher: packets served before it detaches (or closes the pager). */
  detachAfter: number;
  /** detacher: close the pager handle instead of detaching one VMO. */
  closePager: boolean;
  /** writeback: ticks between writeback passes. */
  writebackTicks: number;
  /** custom: the name the service was registered under. */
  name?: string;
}

/** Environment events: scheduled fault injection, each run by its own thread. */
export const EVENT_KINDS = [
  "detach",
  "closePager",
  "closePort",
  "closeVmo",
  "suspend",
  "kill",
] as const;

/**
 * Level-2 environment events: the kernel evicts a Clean page of the target VMO
 * (chosen through the decision source), or the target pager's writeback
 * service is asked to write back now. Kept apart from {@linkcode EVENT_KINDS}
 * so level-1 swarms do not draw them.
 */
export const LEVEL2_EVENT_KINDS = ["evict", "writeback"] as const;

const ScenarioObject = z.object({
  format: z.literal(SCENARIO_FORMAT).default(SCENARIO_FORMAT),
  name: z.string().max(200).optional(),
  pageSize: z.number().int().min(LIMITS.minPageSize).max(LIMITS.maxPageSize)
    .refine((n) => (n & (n - 1)) === 0, "must be a power of two").default(4096),
  overtimeTicks: z.number().int().min(0).default(0),
  allocFailPercent: z.number().int().min(0).max(100).optional(),
  maxSteps: z.number().int().min(1).max(10_000_000).default(100_000),
  liveness: z.object({
    afterSteps: z.number().int().min(0),
    bound: z.number().int().min(1),
  }).strict().default({ afterSteps: 5000, bound: 20_000 }),
  pagers: z.array(
    z.object({
      name,
      service: ServiceSchema.default(ServiceSchema.parse({})),
      threads: z.number().int().min(1).max(8).default(1),
    }).strict(),
  ).min(1).max(16),
  vmos: z.array(
    z.object({
      name,
      pager: name,
      pages: z.number().int().min(1).max(4096),
      key: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
      /** Created with `ZX_VMO_TRAP_DIRTY`. */
      trapDirty: z.boolean().default(false),
      /** Created with `ZX_VMO_RESIZABLE` (needed by `resize` ops). */
      resizable: z.boolean().default(false),
      /** Not created at setup: a thread's `open` op creates it (a file opened later). */
      startsClosed: z.boolean().optional(),
      /** The file's size in bytes (it may end mid-page); absent: the whole VMO. */
      bytes: z.number().int().min(0).max(4096 * LIMITS.maxPageSize).optional(),
      /** Byte ranges of the file that read as zero (any size); absent: none. */
      holes: z.array(
        z.object({
          offset: z.number().int().min(0).max(4096 * LIMITS.maxPageSize),
          length: z.number().int().min(1).max(4096 * LIMITS.maxPageSize),
        }).strict(),
      ).max(16).optional(),
    }).strict(),
  ).min(1).max(64),
  threads: z.array(
    z.object({
      name,
      ops: z.array(OpSchema).min(1).max(256),
      failInsteadOfBlock: z.boolean().default(false),
    }).strict(),
  ).min(1).max(64),
  events: z.array(
    z.object({
      do: z.enum([...EVENT_KINDS, ...LEVEL2_EVENT_KINDS]),
      target: name,
      notBefore: z.number().int().min(0).default(0),
    }).strict(),
  ).max(64).default([]),
}).strict();

/** A scenario, with every default filled in (the fields are described in the README). */
export interface Scenario {
  /** The format tag, {@linkcode SCENARIO_FORMAT}. */
  format: typeof SCENARIO_FORMAT;
  /** A name for people. */
  name?: string;
  /** Page size in bytes, a power of two. */
  pageSize: number;
  /** Overtime timeout of pager waits in virtual ticks (0: never). */
  overtimeTicks: number;
  /**
   * Allocation-failure injection: the chance, in percent, that an allocating
   * call of a service thread fails with ZX_ERR_NO_MEMORY (a recorded draw per
   * call; kernel/alloc_fault.ts). Absent or 0: allocations never fail.
   */
  allocFailPercent?: number;
  /** Steps after which the run ends with "step budget exhausted". */
  maxSteps: number;
  /** When the fair liveness phase starts, and how many steps it may take. */
  liveness: { afterSteps: number; bound: number };
  /** Pagers, each with the service that serves it. */
  pagers: { name: string; service: ServiceSpec; threads: number }[];
  /**
   * Pager-backed VMOs. `bytes` and `holes` are the file's layout
   * (sim/file_layout.ts): bytes at and past `bytes` and inside a hole read as
   * zero. Without them a VMO is whole pages of the backing pattern.
   */
  vmos: {
    name: string;
    pager: string;
    pages: number;
    key?: number;
    trapDirty: boolean;
    resizable: boolean;
    /** Created by a thread's `open` op, not at setup. */
    startsClosed?: boolean;
    bytes?: number;
    holes?: { offset: number; length: number }[];
  }[];
  /** Faulting threads and their operations. */
  threads: { name: string; ops: Op[]; failInsteadOfBlock: boolean }[];
  /** Environment events, fired when the scheduler chooses. */
  events: {
    do: typeof EVENT_KINDS[number] | typeof LEVEL2_EVENT_KINDS[number];
    target: string;
    notBefore: number;
  }[];
}

/** An operation as written: `pages` may be left out (default 1). */
export type OpInput = Op extends infer O
  ? O extends OpRange ? Omit<O, "pages"> & { pages?: number } : O
  : never;

/** A scenario as written: every field that has a default may be left out. */
export interface ScenarioInput {
  /** The format tag (default {@linkcode SCENARIO_FORMAT}). */
  format?: typeof SCENARIO_FORMAT;
  /** A name for people. */
  name?: string;
  /** Page size in bytes (default 4096). */
  pageSize?: number;
  /** Overtime timeout in virtual ticks (default 0: never). */
  overtimeTicks?: number;
  /** Allocation-failure injection into service threads, in percent per call (default: none). */
  allocFailPercent?: number;
  /** Step budget (default 100000). */
  maxSteps?: number;
  /** The liveness phase (default from step 5000, bound 20000). */
  liveness?: { afterSteps: number; bound: number };
  /** Pagers; the service defaults to eager, one thread. */
  pagers: { name: string; service?: Partial<ServiceSpec>; threads?: number }[];
  /** Pager-backed VMOs. */
  vmos: {
    name: string;
    pager: string;
    pages: number;
    key?: number;
    trapDirty?: boolean;
    resizable?: boolean;
    /** Created by a thread's `open` op, not at setup (default false). */
    startsClosed?: boolean;
    /** The file's size in bytes (default: the whole VMO). */
    bytes?: number;
    /** Byte ranges that read as zero (default: none). */
    holes?: { offset: number; length: number }[];
  }[];
  /** Faulting threads. */
  threads: { name: string; ops: OpInput[]; failInsteadOfBlock?: boolean }[];
  /** Environment events (default none). */
  events?: { do: Scenario["events"][number]["do"]; target: string; notBefore?: number }[];
}

/** True when each of A and B is assignable to the other. */
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
// Fail to type-check if the schema and the documented types drift apart.
type _OpMatches = Assert<Mutual<z.infer<typeof OpSchema>, Op>>;
type _ServiceMatches = Assert<Mutual<z.infer<typeof ServiceSchema>, ServiceSpec>>;
type _ScenarioMatches = Assert<Mutual<z.infer<typeof ScenarioObject>, Scenario>>;
type _InputMatches = Assert<Mutual<z.input<typeof ScenarioObject>, ScenarioInput>>;

/** @internal The scenario schema, with cross-references checked (use {@linkcode parseScenario}). */
/**
 * The ops that name a VMO that does not exist, resize one that is not resizable, or reach past
 * its end, each at its path. A resizable VMO's ops may reach as far as any resize op grows it
 * (before the grow, or if it never runs first, they get ZX_ERR_OUT_OF_RANGE: a documented
 * outcome). Shared by the schema and by {@linkcode parseScenario}'s lenient pass over a scenario
 * that does not parse whole (`vmos`: those whose fields parse).
 */
function opIssues(
  vmoList: readonly Pick<Scenario["vmos"][number], "name" | "pages" | "resizable">[],
  threads: readonly { readonly ops: readonly (Op | null)[] }[],
  unknownVmos = true,
): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  const vmos = new Map(vmoList.map((v) => [v.name, v]));
  const reach = new Map<string, number>();
  for (const t of threads) {
    for (const op of t.ops) {
      if (op?.op === "resize" && vmos.get(op.vmo)?.resizable === true) {
        reach.set(op.vmo, Math.max(reach.get(op.vmo) ?? 0, op.newPages));
      }
    }
  }
  threads.forEach((t, i) => {
    t.ops.forEach((op, j) => {
      if (op === null) return;
      const v = vmos.get(op.vmo);
      if (v === undefined) {
        if (unknownVmos) {
          out.push({ path: ["threads", i, "ops", j, "vmo"], message: `no VMO named "${op.vmo}"` });
        }
      } else if (op.op === "resize" && !v.resizable) {
        out.push({
          path: ["threads", i, "ops", j, "vmo"],
          message: `VMO "${op.vmo}" is not resizable`,
        });
      } else if ("page" in op && op.page + op.pages > Math.max(v.pages, reach.get(op.vmo) ?? 0)) {
        const grown = reach.get(op.vmo);
        out.push({
          path: ["threads", i, "ops", j, "pages"],
          message: `pages [${op.page},${op.page + op.pages}) go past the end of VMO "${op.vmo}" (${
            grown === undefined ? `${v.pages} pages` : `${v.pages} pages, grown to at most ${grown}`
          })`,
        });
      }
    });
  });
  return out;
}

/**
 * What the schema's shape cannot say of a scenario whose fields all parse (duplicate names,
 * dangling references, ranges past a VMO's end, file layouts past it, lifecycle misuse, the
 * memory budget), each at its path, in the order the schema reports them.
 */
function crossIssues(s: Scenario): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const ctx = {
    addIssue: (i: { code: "custom"; path: (string | number)[]; message: string }) =>
      void issues.push({ path: i.path, message: i.message }),
  };
  const unique = (list: { name: string }[], key: string) => {
    const seen = new Set<string>();
    list.forEach((x, i) => {
      if (seen.has(x.name)) {
        ctx.addIssue({
          code: "custom",
          path: [key, i, "name"],
          message: `duplicate name "${x.name}"`,
        });
      }
      seen.add(x.name);
    });
  };
  unique(s.pagers, "pagers");
  unique(s.vmos, "vmos");
  unique(s.threads, "threads");
  const pagers = new Set(s.pagers.map((p) => p.name));
  const vmos = new Map(s.vmos.map((v) => [v.name, v]));
  const threads = new Set(s.threads.map((t) => t.name));
  s.vmos.forEach((v, i) => {
    const size = v.pages * s.pageSize;
    if (v.bytes !== undefined && v.bytes > size) {
      ctx.addIssue({
        code: "custom",
        path: ["vmos", i, "bytes"],
        message: `${v.bytes} bytes do not fit in ${v.pages} pages of ${s.pageSize} (${size} bytes)`,
      });
    }
    (v.holes ?? []).forEach((h, j) => {
      if (h.offset + h.length > size) {
        ctx.addIssue({
          code: "custom",
          path: ["vmos", i, "holes", j],
          message:
            `hole [${h.offset},${h.offset + h.length}) goes past the end of VMO "${v.name}" ` +
            `(${size} bytes)`,
        });
      }
    });
    if (!pagers.has(v.pager)) {
      ctx.addIssue({
        code: "custom",
        path: ["vmos", i, "pager"],
        message: `no pager named "${v.pager}"`,
      });
    }
  });
  s.pagers.forEach((p, i) => {
    if (p.service.kind === "custom" && !p.service.name) {
      ctx.addIssue({
        code: "custom",
        path: ["pagers", i, "service", "name"],
        message: "a custom service needs the name it was registered under",
      });
    }
  });
  opIssues(s.vmos, s.threads).forEach(({ path, message }) =>
    ctx.addIssue({ code: "custom", path, message })
  );
  lifecycleIssues(s).forEach(([path, message]) => ctx.addIssue({ code: "custom", path, message }));
  const memory = scenarioMemory(s);
  if (memory.totalBytes > MEMORY_BUDGET_BYTES) {
    ctx.addIssue({
      code: "custom",
      path: [...memory.largest.path],
      message:
        `the scenario's operations touch up to ${bytesText(memory.totalBytes)} of pages (${
          bytesText(memory.touchBytes)
        } in VMOs, ${
          bytesText(memory.cloneBytes)
        } copied into clones, at pageSize ${s.pageSize}), ` +
        `over the memory budget of ${
          bytesText(MEMORY_BUDGET_BYTES)
        } (MEMORY_BUDGET_BYTES); this field ` +
        `costs the most (${bytesText(memory.largest.bytes)})`,
    });
  }
  s.events.forEach((e, i) => {
    const wants = e.do === "suspend" || e.do === "kill"
      ? ["thread", threads]
      : e.do === "closePager" || e.do === "closePort" || e.do === "writeback"
      ? ["pager", pagers]
      : ["VMO", new Set(vmos.keys())];
    if (!(wants[1] as Set<string>).has(e.target)) {
      ctx.addIssue({
        code: "custom",
        path: ["events", i, "target"],
        message: `no ${wants[0]} named "${e.target}"`,
      });
    }
  });
  return issues;
}

export const ScenarioSchema: z.ZodType<Scenario, unknown> = ScenarioObject.superRefine((s, ctx) => {
  for (const { path, message } of crossIssues(s)) ctx.addIssue({ code: "custom", path, message });
});

/**
 * The VMOs whose files come and go: declared `startsClosed` or named by an
 * `open` or `close` op.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { lifecycleVmos, parseScenario } from "./schema.ts";
 * const s = parseScenario({
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 1, startsClosed: true }, { name: "b", pager: "fs", pages: 1 }],
 *   threads: [{ name: "t", ops: [{ op: "open", vmo: "a" }, { op: "read", vmo: "a", page: 0 }] }],
 * });
 * assert.deepEqual([...lifecycleVmos(s)], ["a"]);
 * ```
 */
export function lifecycleVmos(s: Pick<Scenario, "vmos" | "threads">): Set<string> {
  const out = new Set(s.vmos.filter((v) => v.startsClosed === true).map((v) => v.name));
  for (const t of s.threads) {
    for (const op of t.ops) if (op.op === "open" || op.op === "close") out.add(op.vmo);
  }
  return out;
}

/**
 * The rules of files that come and go: one thread owns a VMO's `open` and
 * `close` ops and they alternate (a `startsClosed` VMO opens first, any other
 * closes first); that thread uses the VMO only while it is open. (An
 * environment event aimed at it acts on the VMO open when the event runs.)
 */
function lifecycleIssues(s: Scenario): [(string | number)[], string][] {
  const out: [(string | number)[], string][] = [];
  const life = lifecycleVmos(s);
  if (life.size === 0) return out;
  const owner = new Map<string, number>();
  s.threads.forEach((t, i) => {
    const open = new Map<string, boolean>();
    t.ops.forEach((op, j) => {
      if (!life.has(op.vmo)) return;
      const path = ["threads", i, "ops", j, "vmo"];
      const v = s.vmos.find((x) => x.name === op.vmo);
      if (v === undefined) return;
      if (op.op !== "open" && op.op !== "close") {
        if (open.get(op.vmo) === false) {
          out.push([path, `VMO "${op.vmo}" is closed here (thread "${t.name}" closed it)`]);
        }
        return;
      }
      const first = owner.get(op.vmo);
      if (first !== undefined && first !== i) {
        out.push([
          path,
          `VMO "${op.vmo}" is opened and closed by thread "${s.threads[first].name}": ` +
          `one thread owns a file's open and close ops`,
        ]);
        return;
      }
      owner.set(op.vmo, i);
      const isOpen = open.get(op.vmo) ?? v.startsClosed !== true;
      if (op.op === "open" && isOpen) out.push([path, `VMO "${op.vmo}" is already open`]);
      if (op.op === "close" && !isOpen) out.push([path, `VMO "${op.vmo}" is not open`]);
      open.set(op.vmo, op.op === "open");
    });
  });
  // The owner's own ops before its first open of a startsClosed VMO (checked above once owned).
  s.threads.forEach((t, i) => {
    let seen = false;
    t.ops.forEach((op, j) => {
      if (seen || !life.has(op.vmo) || owner.get(op.vmo) !== i) return;
      if (op.op === "open" || op.op === "close") return void (seen = true);
      const v = s.vmos.find((x) => x.name === op.vmo);
      if (v?.startsClosed === true) {
        out.push([["threads", i, "ops", j, "vmo"], `VMO "${op.vmo}" is not open yet`]);
      }
    });
  });
  return out;
}

/**
 * The memory budget of a scenario: the most bytes of page data a run of it
 * can touch, {@linkcode scenarioMemory}. Pages cost bytes only once written or
 * supplied (an untouched page of a declared VMO costs one slot), and the
 * checkers share what the model holds, so a scenario may declare VMOs up to
 * the schema's limits (64 VMOs of 4,096 pages of 64 KiB: 16 GiB of address
 * space) as long as its operations touch at most this much. A run touching
 * the whole budget under every kernel checker peaks at about 3.5 times it
 * plus 100 MB of runtime (bench/memory_test.ts measures it): a scenario over
 * budget would take the machine's memory instead of giving a verdict, and
 * the schema rejects it, naming the field that costs the most.
 */
export const MEMORY_BUDGET_BYTES = 128 * 2 ** 20;

/** What a scenario's page data costs, checked against {@linkcode MEMORY_BUDGET_BYTES}. */
export interface ScenarioMemory {
  /** Every VMO at its largest size (declared pages, or a larger `resize`), times the page size: address space, not memory. */
  readonly vmoBytes: number;
  /**
   * Pages the operations can touch in the VMOs they name (each range plus its
   * pager's read-ahead, at most the VMO's largest size), times the page size.
   */
  readonly touchBytes: number;
  /** Pages written through clones (`cloneWrite` ranges: each is a private copy), times the page size. */
  readonly cloneBytes: number;
  /** `touchBytes + cloneBytes`: what the budget limits. */
  readonly totalBytes: number;
  /** The field that costs the most, as a schema path, and what it costs. */
  readonly largest: { readonly path: readonly (string | number)[]; readonly bytes: number };
}

/**
 * The page data a scenario may touch (see {@linkcode MEMORY_BUDGET_BYTES}).
 * Operations on unknown VMOs are skipped (the schema reports them).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { MEMORY_BUDGET_BYTES, parseScenario, scenarioMemory } from "./schema.ts";
 * const m = scenarioMemory(parseScenario({
 *   pageSize: 4096,
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 4096 }],
 *   threads: [{ name: "t", ops: [{ op: "cloneWrite", vmo: "a", page: 0, pages: 2 }] }],
 * }));
 * // Two pages and the pager's read-ahead of 2 are touched; the two written are copied.
 * assert.deepEqual([m.vmoBytes, m.touchBytes, m.cloneBytes], [4096 * 4096, 16384, 8192]);
 * assert.ok(m.totalBytes <= MEMORY_BUDGET_BYTES);
 * ```
 */
export function scenarioMemory(
  s: Pick<Scenario, "pageSize" | "vmos" | "threads"> & { pagers?: Scenario["pagers"] },
): ScenarioMemory {
  const ps = s.pageSize;
  const most = new Map<
    string,
    { pages: number; ranges: [number, number][]; readAhead: number }
  >();
  const readAhead = new Map((s.pagers ?? []).map((p) => [p.name, p.service.readAhead]));
  s.vmos.forEach((v) =>
    most.set(v.name, { pages: v.pages, ranges: [], readAhead: readAhead.get(v.pager) ?? 0 })
  );
  s.threads.forEach((t) =>
    t.ops.forEach((op) => {
      const v = most.get(op.vmo);
      if (op.op === "resize" && v !== undefined && op.newPages > v.pages) v.pages = op.newPages;
    })
  );
  let largest: { path: (string | number)[]; bytes: number } = { path: ["vmos"], bytes: 0 };
  let cloneBytes = 0;
  s.threads.forEach((t, i) =>
    t.ops.forEach((op, j) => {
      const v = most.get(op.vmo);
      if (v === undefined || !("pages" in op) || op.op === "zero") return;
      const pages = Math.min(v.pages, op.pages + v.readAhead);
      v.ranges.push([op.page, op.page + op.pages + v.readAhead]);
      let bytes = pages * ps;
      if (op.op === "cloneWrite") {
        cloneBytes += op.pages * ps;
        bytes += op.pages * ps;
      }
      if (bytes > largest.bytes) largest = { path: ["threads", i, "ops", j, "pages"], bytes };
    })
  );
  let vmoBytes = 0;
  let touchBytes = 0;
  for (const v of most.values()) {
    vmoBytes += v.pages * ps;
    // Each page once, however many operations touch it.
    v.ranges.sort((a, b) => a[0] - b[0]);
    let touched = 0;
    let end = 0;
    for (const [from, to] of v.ranges) {
      const a = Math.max(from, end);
      const b = Math.min(to, v.pages);
      if (b > a) touched += b - a;
      end = Math.max(end, to);
    }
    touchBytes += touched * ps;
  }
  return { vmoBytes, touchBytes, cloneBytes, totalBytes: touchBytes + cloneBytes, largest };
}

/** Bytes for people: `6 GiB`, `64 KiB`, `100 B`. */
function bytesText(n: number): string {
  for (const [unit, size] of [["GiB", 2 ** 30], ["MiB", 2 ** 20], ["KiB", 2 ** 10]] as const) {
    if (n >= size) return `${+(n / size).toFixed(2)} ${unit}`;
  }
  return `${n} B`;
}

/**
 * A scenario that failed validation: every problem, each with its path.
 *
 * @example
 * ```ts
 * import { parseScenario, ScenarioError } from "./schema.ts";
 * try {
 *   parseScenario({ pagers: [], vmos: [], threads: [] }, "s.json");
 * } catch (e) {
 *   console.assert(e instanceof ScenarioError && e.message.startsWith("s.json: invalid scenario"));
 * }
 * ```
 */
export class ScenarioError extends Error {
  /** The error's name. */
  override name = "ScenarioError";
  /** A rejection of the scenario read from `where`, with one line per problem. */
  constructor(readonly where: string, readonly problems: readonly string[]) {
    super(`${where}: invalid scenario:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Formats zod issues as `path: message` lines. */
export function formatIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): string[] {
  return issues.map((i) =>
    `${i.path.length ? i.path.map(String).join(".") : "(root)"}: ${i.message}`
  );
}

/**
 * Validates a scenario, filling defaults; throws {@linkcode ScenarioError}
 * naming every bad field.
 *
 * @example
 * ```ts
 * import { parseScenario } from "./schema.ts";
 * const s = parseScenario({
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 2 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 2 }] }],
 * });
 * console.assert(s.pageSize === 4096 && s.pagers[0].service.kind === "eager");
 * ```
 */
export function parseScenario(input: unknown, where = "scenario"): Scenario {
  const r = ScenarioSchema.safeParse(input);
  if (r.success) return r.data;
  // The schema's cross-reference and range checks run only on a scenario whose fields all parse:
  // they are run on the raw input too (each op and VMO that parses on its own), so one pass
  // reports every kind.
  const lines = formatIssues(withSuggestions(input, r.error.issues));
  const seen = new Set(lines);
  const extra = withSuggestions(input, [...danglingReferences(input), ...opRangeIssues(input)]);
  for (const line of formatIssues(extra)) {
    if (!seen.has(line)) lines.push(line);
    seen.add(line);
  }
  throw new ScenarioError(where, lines);
}

/**
 * The scenario {@linkcode parseScenario} makes of `input`, made without zod's walk of the
 * schema when `input` is plainly valid: every field of the right type and range, no unknown
 * key, the cross-references sound. For scenarios built by code, one per run (the campaign's
 * generator): the walk cost a sixth of a campaign run. Any input it cannot vouch for goes to
 * {@linkcode parseScenario}, which returns or throws as it always does, so the two agree on
 * every input (`scenario/schema_test.ts` holds them to it).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseBuiltScenario, parseScenario } from "./schema.ts";
 * const input = {
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 2 }],
 *   threads: [{ name: "r", ops: [{ op: "read" as const, vmo: "a", page: 0, pages: 2 }] }],
 * };
 * assert.deepEqual(parseBuiltScenario(input), parseScenario(input));
 * assert.throws(() => parseBuiltScenario({ ...input, pagers: [] }), /invalid scenario/);
 * ```
 */
export function parseBuiltScenario(input: ScenarioInput, where = "scenario"): Scenario {
  const s = builtScenario(input);
  return s !== null && crossIssues(s).length === 0 ? s : parseScenario(input, where);
}

const NAME_CHARS = /^[A-Za-z0-9_.-]+$/;
const isName = (v: unknown): v is string =>
  typeof v === "string" && v.length >= 1 && v.length <= 64 && NAME_CHARS.test(v);
const isInt = (v: unknown, lo: number, hi: number): v is number =>
  Number.isSafeInteger(v) && (v as number) >= lo && (v as number) <= hi;
const isBool = (v: unknown): v is boolean => typeof v === "boolean";
/** Absent, or a safe integer in `[lo, hi]`. */
const intOr = (v: unknown, lo: number, hi: number) => v === undefined || isInt(v, lo, hi);
/**
 * A plain object whose keys are all in `keys`, none of them holding undefined or null (the
 * schema has no nullable field; and so `??` below takes a default only for a key left out).
 */
function only(v: unknown, keys: ReadonlySet<string>): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (!keys.has(k) || x === undefined || x === null) return false;
  }
  return true;
}
/** An array of `lo` to `hi` elements with no holes (`map` would skip a hole). */
function isArray(v: unknown, lo: number, hi: number): v is unknown[] {
  if (!Array.isArray(v) || v.length < lo || v.length > hi) return false;
  for (let i = 0; i < v.length; i++) if (!(i in v)) return false;
  return true;
}

const TOP_KEYS = new Set(Object.keys(ScenarioObject.shape));
const SERVICE_KEYS = new Set(Object.keys(ServiceSchema.shape));
const PAGER_KEYS = new Set(["name", "service", "threads"]);
const VMO_KEYS = new Set([
  "name",
  "pager",
  "pages",
  "key",
  "trapDirty",
  "resizable",
  "startsClosed",
  "bytes",
  "holes",
]);
const HOLE_KEYS = new Set(["offset", "length"]);
const THREAD_KEYS = new Set(["name", "ops", "failInsteadOfBlock"]);
const EVENT_KEYS = new Set(["do", "target", "notBefore"]);
const EVENT_DOS: ReadonlySet<unknown> = new Set([...EVENT_KINDS, ...LEVEL2_EVENT_KINDS]);
const RANGE_OPS: ReadonlySet<unknown> = new Set(["read", "commit", "mapRead", "zero", "cloneRead"]);
const BYTE_OPS: ReadonlySet<unknown> = new Set(["write", "mapWrite", "cloneWrite"]);
const VMO_OPS: ReadonlySet<unknown> = new Set(["info", "open", "close"]);
const RANGE_KEYS = new Set(["op", "vmo", "page", "pages"]);
const BYTE_KEYS = new Set(["op", "vmo", "page", "pages", "byte"]);
const VMO_OP_KEYS = new Set(["op", "vmo"]);
const RESIZE_KEYS = new Set(["op", "vmo", "newPages"]);
const FILE_BYTES = 4096 * LIMITS.maxPageSize;

/**
 * What the schema makes of `input` (its keys in the schema's order, defaults filled), if every
 * field of it parses; null if any might not. Cross-references are not checked here.
 */
function builtScenario(input: unknown): Scenario | null {
  if (!only(input, TOP_KEYS)) return null;
  const i = input;
  if (i.format !== undefined && i.format !== SCENARIO_FORMAT) return null;
  if (i.name !== undefined && (typeof i.name !== "string" || i.name.length > 200)) return null;
  const pageSize = i.pageSize ?? 4096;
  if (
    !isInt(pageSize, LIMITS.minPageSize, LIMITS.maxPageSize) || (pageSize & (pageSize - 1)) !== 0
  ) return null;
  if (!intOr(i.overtimeTicks, 0, Number.MAX_SAFE_INTEGER)) return null;
  if (!intOr(i.allocFailPercent, 0, 100) || !intOr(i.maxSteps, 1, 10_000_000)) return null;
  const live = i.liveness ?? { afterSteps: 5000, bound: 20_000 };
  if (
    !only(live, LIVENESS_KEYS) || !isInt(live.afterSteps, 0, Number.MAX_SAFE_INTEGER) ||
    !isInt(live.bound, 1, Number.MAX_SAFE_INTEGER)
  ) return null;
  if (!isArray(i.pagers, 1, 16) || !isArray(i.vmos, 1, 64) || !isArray(i.threads, 1, 64)) {
    return null;
  }
  if (i.events !== undefined && !isArray(i.events, 0, 64)) return null;
  const pagers = i.pagers.map(builtPager);
  const vmos = i.vmos.map(builtVmo);
  const threads = i.threads.map(builtThread);
  const events = ((i.events ?? []) as unknown[]).map(builtEvent);
  if (pagers.includes(null) || vmos.includes(null) || threads.includes(null)) return null;
  if (events.includes(null)) return null;
  return {
    format: SCENARIO_FORMAT,
    ...(i.name === undefined ? {} : { name: i.name as string }),
    pageSize,
    overtimeTicks: (i.overtimeTicks ?? 0) as number,
    ...(i.allocFailPercent === undefined ? {} : { allocFailPercent: i.allocFailPercent as number }),
    maxSteps: (i.maxSteps ?? 100_000) as number,
    liveness: { afterSteps: live.afterSteps, bound: live.bound },
    pagers: pagers as Scenario["pagers"],
    vmos: vmos as Scenario["vmos"],
    threads: threads as Scenario["threads"],
    events: events as Scenario["events"],
  };
}

const LIVENESS_KEYS = new Set(["afterSteps", "bound"]);

function builtPager(p: unknown): Scenario["pagers"][number] | null {
  if (!only(p, PAGER_KEYS) || !isName(p.name) || !intOr(p.threads, 1, 8)) return null;
  const v = p.service ?? {};
  if (!only(v, SERVICE_KEYS)) return null;
  const kind = v.kind ?? "eager";
  if (!(SERVICE_KINDS as readonly unknown[]).includes(kind)) return null;
  if (!intOr(v.batch, 1, 64) || !intOr(v.readAhead, 0, 64) || !intOr(v.failPercent, 0, 100)) {
    return null;
  }
  if (!intOr(v.detachAfter, 0, 1000) || !intOr(v.writebackTicks, 1, 1_000_000)) return null;
  if (v.closePager !== undefined && !isBool(v.closePager)) return null;
  if (v.name !== undefined && typeof v.name !== "string") return null;
  return {
    name: p.name,
    service: {
      kind: kind as ServiceSpec["kind"],
      batch: (v.batch ?? 4) as number,
      readAhead: (v.readAhead ?? 2) as number,
      failPercent: (v.failPercent ?? 30) as number,
      detachAfter: (v.detachAfter ?? 1) as number,
      closePager: (v.closePager ?? false) as boolean,
      writebackTicks: (v.writebackTicks ?? 200) as number,
      ...(v.name === undefined ? {} : { name: v.name as string }),
    },
    threads: (p.threads ?? 1) as number,
  };
}

function builtVmo(v: unknown): Scenario["vmos"][number] | null {
  if (!only(v, VMO_KEYS) || !isName(v.name) || !isName(v.pager) || !isInt(v.pages, 1, 4096)) {
    return null;
  }
  if (!intOr(v.key, 0, Number.MAX_SAFE_INTEGER) || !intOr(v.bytes, 0, FILE_BYTES)) return null;
  for (const b of [v.trapDirty, v.resizable, v.startsClosed]) {
    if (b !== undefined && !isBool(b)) return null;
  }
  let holes: { offset: number; length: number }[] | undefined;
  if (v.holes !== undefined) {
    if (!isArray(v.holes, 0, 16)) return null;
    holes = [];
    for (const h of v.holes) {
      if (!only(h, HOLE_KEYS) || !isInt(h.offset, 0, FILE_BYTES)) return null;
      if (!isInt(h.length, 1, FILE_BYTES)) return null;
      holes.push({ offset: h.offset, length: h.length });
    }
  }
  return {
    name: v.name,
    pager: v.pager,
    pages: v.pages,
    ...(v.key === undefined ? {} : { key: v.key as number }),
    trapDirty: (v.trapDirty ?? false) as boolean,
    resizable: (v.resizable ?? false) as boolean,
    ...(v.startsClosed === undefined ? {} : { startsClosed: v.startsClosed as boolean }),
    ...(v.bytes === undefined ? {} : { bytes: v.bytes as number }),
    ...(holes === undefined ? {} : { holes }),
  };
}

function builtThread(t: unknown): Scenario["threads"][number] | null {
  if (!only(t, THREAD_KEYS) || !isName(t.name) || !isArray(t.ops, 1, 256)) return null;
  if (t.failInsteadOfBlock !== undefined && !isBool(t.failInsteadOfBlock)) return null;
  const ops: Op[] = [];
  for (const o of t.ops) {
    const op = builtOp(o);
    if (op === null) return null;
    ops.push(op);
  }
  return { name: t.name, ops, failInsteadOfBlock: (t.failInsteadOfBlock ?? false) as boolean };
}

function builtOp(o: unknown): Op | null {
  if (typeof o !== "object" || o === null) return null;
  const kind = (o as { op?: unknown }).op;
  if (VMO_OPS.has(kind)) {
    if (!only(o, VMO_OP_KEYS) || !isName(o.vmo)) return null;
    return { op: kind as "info", vmo: o.vmo };
  }
  if (kind === "resize") {
    if (!only(o, RESIZE_KEYS) || !isName(o.vmo) || !isInt(o.newPages, 0, 4096)) return null;
    return { op: "resize", vmo: o.vmo, newPages: o.newPages };
  }
  const bytes = BYTE_OPS.has(kind);
  if (!bytes && !RANGE_OPS.has(kind)) return null;
  if (!only(o, bytes ? BYTE_KEYS : RANGE_KEYS) || !isName(o.vmo)) return null;
  if (!isInt(o.page, 0, 1 << 20) || !intOr(o.pages, 1, 1 << 20) || !intOr(o.byte, 0, 255)) {
    return null;
  }
  return {
    op: kind as "write",
    vmo: o.vmo,
    page: o.page,
    pages: (o.pages ?? 1) as number,
    ...(o.byte === undefined ? {} : { byte: o.byte as number }),
  };
}

function builtEvent(e: unknown): Scenario["events"][number] | null {
  if (!only(e, EVENT_KEYS) || !EVENT_DOS.has(e.do) || !isName(e.target)) return null;
  if (!intOr(e.notBefore, 0, Number.MAX_SAFE_INTEGER)) return null;
  return {
    do: e.do as Scenario["events"][number]["do"],
    target: e.target,
    notBefore: (e.notBefore ?? 0) as number,
  };
}

/**
 * {@linkcode ScenarioSchema} as a case reads a scenario: the same parse, and its issues carry the
 * "did you mean" hints {@linkcode parseScenario} gives (a case's `"op": "raed"` is named as the
 * scenario file's is).
 *
 * @example
 * ```ts
 * import { ScenarioInputSchema } from "./schema.ts";
 * const r = ScenarioInputSchema.safeParse({
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 1 }],
 *   threads: [{ name: "r", ops: [{ op: "raed", vmo: "a", page: 0 }] }],
 * });
 * console.assert(!r.success && r.error.issues.some((i) => i.message.includes('"read"')));
 * ```
 */
export const ScenarioInputSchema = {
  parse: (doc: unknown): Scenario => ScenarioSchema.parse(doc),
  safeParse(doc: unknown):
    | { readonly success: true; readonly data: Scenario }
    | {
      readonly success: false;
      readonly error: { readonly issues: { path: readonly PropertyKey[]; message: string }[] };
    } {
    const r = ScenarioSchema.safeParse(doc);
    if (r.success) return { success: true, data: r.data };
    return { success: false, error: { issues: withSuggestions(doc, r.error.issues) } };
  },
};

/** A schema issue as zod reports it: what the suggestions read of one. */
export interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
  readonly values?: readonly unknown[];
  readonly options?: readonly unknown[];
  readonly keys?: readonly string[];
}

/**
 * The issues with a "did you mean" added where a misspelled value or key has a near match
 * (`scenario/nearest.ts`): a value outside an enum (`"kind": "eagr"`), an op or event kind, a
 * name that points at nothing (`no VMO named "fiel"`), a key the object does not have. `root`
 * is the zod object schema `input` was parsed with (the keys a misspelled key is matched
 * against): the scenario's by default, a service contract's for `parseContract`.
 *
 * @example
 * ```ts
 * import { z } from "npm:zod@4.6.7";
 * import { withSuggestions } from "./schema.ts";
 * const root = z.object({ events: z.array(z.enum(["detach", "evict"])) }).strict();
 * const input = { events: ["detach", "evcit"], evnets: [] };
 * const r = root.safeParse(input);
 * const text = r.success ? [] : withSuggestions(input, r.error.issues, root).map((i) => i.message);
 * console.assert(text.some((m) => m.endsWith('did you mean "evict"?')), text.join("\n"));
 * console.assert(text.some((m) => m.endsWith('did you mean "events"?')), text.join("\n"));
 * ```
 */
export function withSuggestions(
  input: unknown,
  issues: readonly SchemaIssue[],
  root: z.ZodType = ScenarioObject,
): { path: readonly PropertyKey[]; message: string }[] {
  return issues.map((i) => {
    const hint = suggestion(input, i, root);
    return hint === null ? i : { path: i.path, message: `${i.message}; ${hint}` };
  });
}

function suggestion(input: unknown, i: SchemaIssue, root: z.ZodType): string | null {
  const strings = (list: readonly unknown[] | undefined) =>
    (list ?? []).filter((v): v is string => typeof v === "string");
  const typed = valueAt(input, i.path);
  if (i.code === "unrecognized_keys") {
    const known = keysAt(input, i.path, root);
    // A field the object has already is the last one its typo is of (`"page": 0, "pagse": 1`
    // is "pages", though "page" is as near): the others first.
    const given = isRecord(typed) ? typed : {};
    const absent = known.filter((k) => !Object.hasOwn(given, k));
    const keys = i.keys ?? [];
    const hints = keys.flatMap((k) => {
      const near = nearest(k, absent) ?? nearest(k, known);
      if (near === null) return [];
      return [keys.length === 1 ? `did you mean "${near}"?` : `"${k}": did you mean "${near}"?`];
    });
    return hints.length === 0 ? null : hints.join("; ");
  }
  if (typeof typed !== "string") return null;
  const dangling = /^no (pager|VMO|thread) named "/.exec(i.message);
  const candidates = i.code === "invalid_value"
    ? strings(i.values)
    : i.code === "invalid_union"
    ? strings(i.options)
    : dangling !== null
    ? [...(isRecord(input) ? declared(input, `${dangling[1].toLowerCase()}s`) ?? [] : [])]
    : [];
  const near = nearest(typed, candidates);
  return near === null ? null : `did you mean "${near}"?`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const k of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** zod's definition of a schema: the fields the key walk below reads. */
interface SchemaDef {
  readonly type: string;
  readonly shape?: Record<string, { readonly _zod: { readonly def: SchemaDef } }>;
  readonly element?: { readonly _zod: { readonly def: SchemaDef } };
  readonly innerType?: { readonly _zod: { readonly def: SchemaDef } };
  readonly in?: { readonly _zod: { readonly def: SchemaDef } };
  readonly options?: readonly { readonly _zod: { readonly def: SchemaDef } }[];
  readonly discriminator?: string;
  readonly values?: readonly unknown[];
}

/** The keys the schema allows for the object at `path` of `input` (empty when it cannot tell). */
function keysAt(input: unknown, path: readonly PropertyKey[], root: z.ZodType): string[] {
  let defs: SchemaDef[] = [(root as unknown as { _zod: { def: SchemaDef } })._zod.def];
  const unwrap = (d: SchemaDef): SchemaDef => {
    for (let n = 0; n < 20; n++) {
      const inner = d.innerType ?? d.in;
      if (d.type === "object" || d.type === "array" || d.type === "union" || inner === undefined) {
        break;
      }
      d = inner._zod.def;
    }
    return d;
  };
  const at = (n: number) => valueAt(input, path.slice(0, n));
  const objects = (ds: SchemaDef[], raw: unknown): SchemaDef[] =>
    ds.map(unwrap).flatMap((d) => {
      if (d.type !== "union") return d.type === "object" ? [d] : [];
      const tag = d.discriminator === undefined || typeof raw !== "object" || raw === null
        ? undefined
        : (raw as Record<string, unknown>)[d.discriminator];
      const picked = (d.options ?? []).map((o) => unwrap(o._zod.def)).filter((o) => {
        const lit = d.discriminator === undefined ? undefined : o.shape?.[d.discriminator];
        return tag === undefined || lit === undefined || (lit._zod.def.values ?? []).includes(tag);
      });
      return objects(picked, raw);
    });
  for (let n = 0; n < path.length; n++) {
    const k = path[n];
    const next: SchemaDef[] = [];
    for (const d of defs.map(unwrap)) {
      if (d.type === "array" && typeof k === "number" && d.element !== undefined) {
        next.push(d.element._zod.def);
      } else {
        for (const o of objects([d], at(n))) {
          const f = o.shape?.[String(k)];
          if (f !== undefined) next.push(f._zod.def);
        }
      }
    }
    defs = next;
  }
  const keys = objects(defs, at(path.length)).flatMap((d) => Object.keys(d.shape ?? {}));
  return [...new Set(keys)];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The entries of `input[key]` that are objects, with their indices ([] if it is no array). */
function entries(input: Record<string, unknown>, key: string): [number, Record<string, unknown>][] {
  const list = input[key];
  if (!Array.isArray(list)) return [];
  return list.flatMap((x, i) => isRecord(x) ? [[i, x] as [number, Record<string, unknown>]] : []);
}

/**
 * The names declared in `input[key]`, or null when they are not all known (the list is missing
 * or an entry has no string name): then no reference to them is judged, as it might name the
 * entry that did not parse.
 */
function declared(input: Record<string, unknown>, key: string): Set<string> | null {
  const list = input[key];
  if (!Array.isArray(list)) return null;
  const names = new Set<string>();
  for (const x of list) {
    if (!isRecord(x) || typeof x.name !== "string") return null;
    names.add(x.name);
  }
  return names;
}

/**
 * The references of a scenario as written (possibly not parseable) that name nothing: a VMO's
 * pager, an op's VMO, an event's target; each at its path, in the schema's own words. Read
 * leniently: a field of the wrong type, or a list whose names are not all known, is left to the
 * schema's own issues.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { danglingReferences } from "./schema.ts";
 * const refs = danglingReferences({
 *   pageSize: 100, // not a power of two: the schema's own issue, which stops its reference checks
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fss", pages: 2 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "b", page: 0 }] }],
 * });
 * assert.deepEqual(refs.map((r) => `${r.path.join(".")}: ${r.message}`), [
 *   'vmos.0.pager: no pager named "fss"',
 *   'threads.0.ops.0.vmo: no VMO named "b"',
 * ]);
 * ```
 */
export function danglingReferences(
  input: unknown,
): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  if (!isRecord(input)) return out;
  const pagers = declared(input, "pagers");
  const vmos = declared(input, "vmos");
  const threads = declared(input, "threads");
  for (const [i, v] of entries(input, "vmos")) {
    if (pagers !== null && typeof v.pager === "string" && !pagers.has(v.pager)) {
      out.push({ path: ["vmos", i, "pager"], message: `no pager named "${v.pager}"` });
    }
  }
  for (const [i, t] of entries(input, "threads")) {
    for (const [j, op] of entries(t, "ops")) {
      if (vmos !== null && typeof op.vmo === "string" && !vmos.has(op.vmo)) {
        out.push({ path: ["threads", i, "ops", j, "vmo"], message: `no VMO named "${op.vmo}"` });
      }
    }
  }
  const kinds: ReadonlySet<unknown> = new Set([...EVENT_KINDS, ...LEVEL2_EVENT_KINDS]);
  for (const [i, e] of entries(input, "events")) {
    if (!kinds.has(e.do) || typeof e.target !== "string") continue;
    const [what, names] = e.do === "suspend" || e.do === "kill"
      ? ["thread", threads]
      : e.do === "closePager" || e.do === "closePort" || e.do === "writeback"
      ? ["pager", pagers]
      : ["VMO", vmos];
    if (names !== null && !names.has(e.target)) {
      out.push({ path: ["events", i, "target"], message: `no ${what} named "${e.target}"` });
    }
  }
  return out;
}

/**
 * {@linkcode opIssues} of a scenario as written (possibly not parseable): the ops and VMOs that
 * parse on their own are judged (a VMO whose fields do not parse is left out, and so are the ops
 * on it); a name no VMO has is left to {@linkcode danglingReferences}. So an op reaching past its
 * VMO's end is reported even beside an invalid op elsewhere.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { opRangeIssues } from "./schema.ts";
 * const issues = opRangeIssues({
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 2 }],
 *   threads: [{ name: "r", ops: [{ op: "mapRead", vmo: "a", page: 5 }, { op: "frobnicate" }] }],
 * });
 * assert.deepEqual(issues.map((i) => `${i.path.join(".")}: ${i.message}`), [
 *   'threads.0.ops.0.pages: pages [5,6) go past the end of VMO "a" (2 pages)',
 * ]);
 * ```
 */
export function opRangeIssues(input: unknown): { path: (string | number)[]; message: string }[] {
  if (!isRecord(input)) return [];
  const vmoShape = ScenarioObject.shape.vmos.element;
  const vmos = entries(input, "vmos").flatMap(([, v]) => {
    const r = vmoShape.safeParse(v);
    return r.success ? [r.data] : [];
  });
  const declaredVmos = declared(input, "vmos");
  const threads: { ops: (Op | null)[] }[] = [];
  const list = input.threads;
  if (!Array.isArray(list)) return [];
  for (const t of list) {
    const ops = isRecord(t) && Array.isArray(t.ops) ? t.ops : [];
    threads.push({
      ops: ops.map((o) => {
        const r = OpSchema.safeParse(o);
        // An op on a VMO that did not parse is not judged against a list missing it.
        return r.success && vmos.some((v) => v.name === r.data.vmo) ? r.data : null;
      }),
    });
  }
  return declaredVmos === null ? [] : opIssues(vmos, threads, false);
}
