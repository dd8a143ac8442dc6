/**
 * Scenarios: JSON documents that say which pagers, VMOs, faulting threads,
 * services and environment events a run has. Checked with zod; every error
 * names the path of the bad field.
 *
 * @module
 */

import { z } from "zod";
import { LIMITS } from "../kernel/constants.ts";

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
]);
/** One operation of a faulting thread. */
export type Op = z.infer<typeof OpSchema>;

/** Built-in reference services; `custom` names a module registered by the caller. */
export const SERVICE_KINDS = [
  "eager",
  "batching",
  "flaky",
  "detacher",
  "writeback",
  "custom",
] as const;

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
export type ServiceSpec = z.infer<typeof ServiceSchema>;

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

/** A scenario, with every default filled in. */
export type Scenario = z.infer<typeof ScenarioObject>;
/** A scenario as written (defaults may be left out). */
export type ScenarioInput = z.input<typeof ScenarioObject>;

/** The scenario schema, with cross-references checked. */
export const ScenarioSchema = ScenarioObject.superRefine((s, ctx) => {
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
  s.threads.forEach((t, i) => {
    t.ops.forEach((op, j) => {
      const v = vmos.get(op.vmo);
      if (v === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["threads", i, "ops", j, "vmo"],
          message: `no VMO named "${op.vmo}"`,
        });
      } else if (op.op === "resize" && !v.resizable) {
        ctx.addIssue({
          code: "custom",
          path: ["threads", i, "ops", j, "vmo"],
          message: `VMO "${op.vmo}" is not resizable`,
        });
      } else if ("page" in op && op.page + op.pages > v.pages) {
        ctx.addIssue({
          code: "custom",
          path: ["threads", i, "ops", j, "pages"],
          message: `pages [${op.page},${
            op.page + op.pages
          }) go past the end of VMO "${op.vmo}" (${v.pages} pages)`,
        });
      }
    });
  });
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
});

/** A scenario that failed validation: every problem, each with its path. */
export class ScenarioError extends Error {
  override name = "ScenarioError";
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
 * import { parseScenario } from "./scenario.ts";
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
  if (!r.success) throw new ScenarioError(where, formatIssues(r.error.issues));
  return r.data;
}
