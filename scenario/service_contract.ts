/**
 * Service contracts: what a pager service declares it can be given. A
 * service module may export, beside its default export, a `contract`: the
 * VMO options it creates its VMOs with, whether it serves clones, DIRTY
 * requests and writeback (and how a writeback is asked of it), which
 * environment events are in scope, the page sizes, VMO sizes and service
 * thread counts it runs at, and which of its handles (port, pager) the
 * environment can reach. Every generator then draws only scenarios inside the
 * contract, and `sim`, `explore` and `repro` refuse a scenario outside it,
 * naming the clause (`./contract.ts` checks a scenario against it).
 *
 * A module without a contract gets the whole universe, as before. A contract
 * is a zod-checked object; every field has a default, so a contract names only
 * what differs: the defaults are the whole universe, except that the
 * service's port and pager are private (no `closePort`/`closePager` events
 * against them) and no writeback is asked of it. New clauses (more ranges,
 * file lifecycles) are added the same way, each with a default that keeps
 * older contracts meaning what they meant.
 *
 * @module
 */

import type { FileLayout } from "../sim/file_layout.ts";
import { z } from "npm:zod@4.6.7";
import { LIMITS } from "../kernel/constants.ts";
import { EVENT_KINDS, formatIssues, LEVEL2_EVENT_KINDS, withSuggestions } from "./schema.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";
import type { Status } from "../kernel/constants.ts";
import type { Syscall } from "../kernel/kernel.ts";
import type { PagerService, ServiceContext } from "../services/service.ts";

/**
 * What a contract's `events` may put in scope: the environment events
 * (`detach`, `closePager`, `closePort`, `closeVmo`, `suspend`, `kill`,
 * `evict`, `writeback`) and `resize` (a client's `zx_vmo_set_size` on one of
 * the service's VMOs).
 */
export const CONTRACT_EVENTS = [...EVENT_KINDS, ...LEVEL2_EVENT_KINDS, "resize"] as const;

/** One of {@linkcode CONTRACT_EVENTS}. */
export type ContractEvent = typeof CONTRACT_EVENTS[number];

/** The largest service thread count a scenario's pager can have. */
const MAX_SERVICE_THREADS = 8;
/** The largest VMO a scenario can declare, in pages. */
const MAX_VMO_PAGES = 4096;

/** An inclusive range. */
export interface ContractRange {
  /** Smallest value. */
  readonly min: number;
  /** Largest value. */
  readonly max: number;
}

/**
 * How the harness asks the service for a writeback: `{ entry: NAME }` calls
 * the module's export `NAME` (a generator function `(sys, ctx)`, run on the
 * environment thread of the `writeback` event, with the same context the
 * service's threads got); `{ packet: KEY }` queues a user packet with key
 * `KEY` on the service's port (the reference writeback service's way,
 * `WRITEBACK_KEY`). `false`: the service takes no writeback requests.
 */
export type WritebackPath = false | { readonly entry: string } | { readonly packet: number };

/** A service's contract, every default filled in (see the module docs). */
export interface ServiceContract {
  /** Page sizes the service runs at (bytes, powers of two). Default: any. */
  readonly pageSize: ContractRange;
  /** Sizes its VMOs are created with, in pages; a resize never grows one past `max`. Default: any. */
  readonly vmoPages: ContractRange;
  /** Options it creates VMOs with. Default: both. */
  readonly vmoOptions: {
    /**
     * `ZX_VMO_TRAP_DIRTY`: writes raise DIRTY requests first (needs `dirty`). `true`: its VMOs
     * may be created with it or without; `"always"`: every one is (a filesystem such as fxfs
     * creates each VMO trap-dirty, so a VMO without it is an input it never gets); `false`: none.
     */
    readonly trapDirty: boolean | "always";
    /** `ZX_VMO_RESIZABLE`: clients may resize them (with `resize` in `events`). */
    readonly resizable: boolean;
  };
  /** Service threads per pager (a scenario pager's `threads`). Default 1 to 8. */
  readonly threads: ContractRange;
  /** Its VMOs may be cloned by clients (`cloneRead`, `cloneWrite`). Default true. */
  readonly clones: boolean;
  /** It answers DIRTY requests. Default true. */
  readonly dirty: boolean;
  /**
   * Clients write its VMOs (`write`, `mapWrite`, `zero` ops on them; a clone's own writes are
   * the clone's). Default true; `false` for read-only files (a blobfs's immutable blobs).
   */
  readonly writes: boolean;
  /** How a writeback is asked of it. Default `false`: never. */
  readonly writeback: WritebackPath;
  /** Which of its handles the environment can reach (and close). Default: neither. */
  readonly reachable: {
    /** `closePort` events may close its port. */
    readonly port: boolean;
    /** `closePager` events may close its pager. */
    readonly pager: boolean;
  };
  /** Environment events (and `resize`) in scope. Default: every one the other clauses allow. */
  readonly events: readonly ContractEvent[];
  /**
   * Who creates its VMOs and picks their keys. `false` (default): the
   * harness, as it always did. `{ entry, close }`: the service, as a
   * filesystem does: the workload's `open` op calls the module's export
   * `entry` (an {@linkcode OpenEntry}) with the file, which creates the VMO
   * with a key of its own and returns the client's handle; `close` calls
   * the export `close` (a {@linkcode CloseEntry}). Every VMO of its pagers
   * is then `startsClosed`.
   */
  readonly opens: OpensPath;
  /**
   * Files come and go: its VMOs may be opened during the run, closed and
   * re-created under the same key after their COMPLETE (`open`/`close` ops,
   * `startsClosed` VMOs). Default: true when `opens` names entry points, else false.
   */
  readonly lifecycle: boolean;
}

/** Who creates a service's VMOs: the harness (`false`) or the service's entry points. */
export type OpensPath = false | { readonly entry: string; readonly close: string };

/** A contract as written: every field may be left out (see {@linkcode ServiceContract}). */
export interface ServiceContractInput {
  /** Page sizes (default: any). */
  pageSize?: { min: number; max: number };
  /** VMO sizes in pages (default: any). */
  vmoPages?: { min: number; max: number };
  /** VMO options (default: both). */
  vmoOptions?: { trapDirty?: boolean | "always"; resizable?: boolean };
  /** Service threads per pager (default 1 to 8). */
  threads?: { min: number; max: number };
  /** Serves clones (default true). */
  clones?: boolean;
  /** Answers DIRTY requests (default true). */
  dirty?: boolean;
  /** Clients write its VMOs (default true; false: read-only files). */
  writes?: boolean;
  /** How a writeback is asked (default false: never). */
  writeback?: false | { entry: string } | { packet: number };
  /** Reachable handles (default: neither). */
  reachable?: { port?: boolean; pager?: boolean };
  /** Events in scope (default: every one the other clauses allow). */
  events?: ContractEvent[];
  /** Who creates the VMOs (default false: the harness). */
  opens?: false | { entry: string; close: string };
  /** Files come and go (default: true when `opens` names entry points). */
  lifecycle?: boolean;
}

const range = (lo: number, hi: number) =>
  z.object({
    min: z.number().int().min(lo).max(hi),
    max: z.number().int().min(lo).max(hi),
  }).strict().refine((r) => r.min <= r.max, { message: "min is above max", path: ["max"] });

const powerOfTwo = (n: number) => (n & (n - 1)) === 0;
const exportName = z.string().regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, "the name of a module export");

const ContractObject = z.object({
  pageSize: range(LIMITS.minPageSize, LIMITS.maxPageSize)
    .refine((r) => powerOfTwo(r.min) && powerOfTwo(r.max), "min and max must be powers of two")
    .default({ min: LIMITS.minPageSize, max: LIMITS.maxPageSize }),
  vmoPages: range(1, MAX_VMO_PAGES).default({ min: 1, max: MAX_VMO_PAGES }),
  vmoOptions: z.object({
    trapDirty: z.union([z.boolean(), z.literal("always")]).default(true),
    resizable: z.boolean().default(true),
  }).strict().default({ trapDirty: true, resizable: true }),
  threads: range(1, MAX_SERVICE_THREADS).default({ min: 1, max: MAX_SERVICE_THREADS }),
  clones: z.boolean().default(true),
  dirty: z.boolean().default(true),
  writes: z.boolean().default(true),
  writeback: z.union([
    z.literal(false),
    z.object({ entry: exportName }).strict(),
    z.object({ packet: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }).strict(),
  ]).default(false),
  reachable: z.object({
    port: z.boolean().default(false),
    pager: z.boolean().default(false),
  }).strict().default({ port: false, pager: false }),
  events: z.array(z.enum(CONTRACT_EVENTS)).max(64).optional(),
  opens: z.union([
    z.literal(false),
    z.object({ entry: exportName, close: exportName }).strict(),
  ]).default(false),
  lifecycle: z.boolean().optional(),
}).strict();

/** The events the other clauses allow: `events`' default. */
function allowedEvents(c: Omit<ServiceContract, "events" | "lifecycle">): ContractEvent[] {
  return CONTRACT_EVENTS.filter((e) => eventProblem(c, e) === null);
}

/** Why `e` cannot be in scope under the other clauses, as [clause, message], or null. */
function eventProblem(
  c: Omit<ServiceContract, "events" | "lifecycle">,
  e: ContractEvent,
): [string, string] | null {
  if (e === "writeback" && c.writeback === false) {
    return ["writeback", "writeback is in scope but the contract names no writeback path"];
  }
  if (e === "resize" && !c.vmoOptions.resizable) {
    return ["vmoOptions.resizable", "resize is in scope but the VMOs are not resizable"];
  }
  if (e === "closePort" && !c.reachable.port) {
    return ["reachable.port", "closePort is in scope but the port is private"];
  }
  if (e === "closePager" && !c.reachable.pager) {
    return ["reachable.pager", "closePager is in scope but the pager is private"];
  }
  return null;
}

/** A problem between clauses, with the clauses (top-level keys) it reads. */
interface ClauseIssue {
  readonly path: (string | number)[];
  readonly message: string;
  readonly reads: readonly string[];
}

/** The problems between clauses of a contract whose clauses each parse. */
function clauseIssues(c: z.output<typeof ContractObject>): ClauseIssue[] {
  const out: ClauseIssue[] = [];
  if (c.opens !== false && c.lifecycle === false) {
    out.push({
      path: ["lifecycle"],
      message: "a service that opens its own VMOs has files that come and go: " +
        "lifecycle must be true (or opens false)",
      reads: ["opens", "lifecycle"],
    });
  }
  if (c.vmoOptions.trapDirty !== false && !c.dirty) {
    out.push({
      path: ["dirty"],
      message: "trap-dirty VMOs send DIRTY requests: dirty must be true " +
        "(or vmoOptions.trapDirty false)",
      reads: ["vmoOptions", "dirty"],
    });
  }
  (c.events ?? []).forEach((e, i) => {
    const p = eventProblem(c, e);
    if (p !== null) {
      out.push({
        path: ["events", i],
        message: `${p[1]} (${p[0]})`,
        reads: ["events", "writeback", "vmoOptions", "reachable"],
      });
    }
  });
  return out;
}

/** The contract schema: checks a contract as written, filling every default. */
export const ServiceContractSchema: z.ZodType<ServiceContract, unknown> = ContractObject
  .superRefine((c, ctx) => {
    for (const i of clauseIssues(c)) {
      ctx.addIssue({ code: "custom", path: i.path, message: i.message });
    }
  })
  .transform((c) => ({
    ...c,
    events: c.events === undefined ? allowedEvents(c) : [...new Set(c.events)],
    lifecycle: c.lifecycle ?? c.opens !== false,
  }));

/**
 * A contract that failed its schema: one line naming the bad field, or, for several, a line
 * each (as a scenario's errors are listed), each with the "did you mean" a scenario's gets.
 */
export class ContractSchemaError extends Error {
  /** The error's name. */
  override name = "ContractSchemaError";
}

/**
 * Checks a contract as written and fills its defaults; throws
 * {@linkcode ContractSchemaError} naming every bad field: one line for one
 * (`where: contract.vmoOptions.trapDirty: ...`), else `where: invalid contract:`
 * and a `  - contract.FIELD: ...` line each; a misspelled value or key gets
 * the "did you mean" a scenario's gets (`scenario/schema.ts` `withSuggestions`).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseContract } from "./service_contract.ts";
 * const c = parseContract({ vmoOptions: { trapDirty: false, resizable: false } });
 * assert.ok(!c.events.includes("resize") && !c.events.includes("closePort"));
 * assert.throws(
 *   () => parseContract({ vmoOptions: { trapDirty: "no" } }, "my.ts"),
 *   /^ContractSchemaError: my\.ts: contract\.vmoOptions\.trapDirty: /,
 * );
 * assert.throws(
 *   () => parseContract({ threads: { min: 1, max: "two" }, events: ["detach", "evcit"] }, "my.ts"),
 *   /^ContractSchemaError: my\.ts: invalid contract:\n {2}- contract\.threads\.max: .*\n {2}- contract\.events\.1: .*did you mean "evict"\?$/,
 * );
 * ```
 */
export function parseContract(input: unknown, where = "service"): ServiceContract {
  const r = ServiceContractSchema.safeParse(input);
  if (!r.success) {
    const issues = withSuggestions(input, r.error.issues, ContractObject);
    // The checks between clauses run only on clauses that parse: run them again without the bad
    // clauses, and keep what they find among clauses that all parsed (a scenario's errors list
    // its cross-references the same way, every kind in one pass).
    const bad = new Set(issues.map((i) => String(i.path[0] ?? "")));
    if (typeof input === "object" && input !== null && !Array.isArray(input)) {
      const known = (k: string) => Object.hasOwn(ContractObject.shape, k); // unknown keys: (root)
      const rest = Object.fromEntries(
        Object.entries(input).filter(([k]) => known(k) && !bad.has(k)),
      );
      const clauses = ContractObject.safeParse(rest);
      if (clauses.success) {
        for (const i of clauseIssues(clauses.data)) {
          if (i.reads.every((k) => !bad.has(k))) issues.push(i);
        }
      }
    }
    const lines = formatIssues(issues).map((l) => `contract.${l}`);
    throw new ContractSchemaError(
      lines.length === 1
        ? `${where}: ${lines[0]}`
        : `${where}: invalid contract:\n${lines.map((l) => `  - ${l}`).join("\n")}`,
    );
  }
  return r.data;
}

/** A writeback entry point: run on the `writeback` event's thread with the service's context. */
export type WritebackEntry = (sys: Sys, ctx: ServiceContext) => ThreadBody;

/**
 * A file the workload opens through a service that creates its own VMOs
 * (`opens: { entry }`): the harness's identity of the file and its shape.
 */
export interface OpenFile {
  /** The scenario's name of the VMO. */
  readonly name: string;
  /**
   * The file's identity in the backing store (the scenario's `key`, or its
   * index + 1): its content is the backing pattern of this id, which the
   * checkers judge against. The service picks its own packet key (an inode
   * number, a filesystem id in the high bits) and must not rely on this one.
   */
  readonly id: number;
  /** Size in bytes. */
  readonly size: number;
  /** Create it with `ZX_VMO_TRAP_DIRTY`. */
  readonly trapDirty: boolean;
  /** Create it with `ZX_VMO_RESIZABLE`. */
  readonly resizable: boolean;
  /**
   * The file's layout as the scenario states it (a byte size that may end
   * mid-page, holes): absent, whole pages of the backing pattern. Serve it
   * with `fileRange(id, offset, length, file)`: zeros past the end of the file
   * and in holes.
   */
  readonly file?: FileLayout;
}

/**
 * A service's open entry point (`opens: { entry }`): runs on the workload
 * thread that opens `file`, with the service's context; creates the VMO
 * (`zx_pager_create_vmo` on `ctx.pager` and `ctx.port`, with the service's own
 * key), keeps what it needs, and returns `[ZX_OK, handle]`: a handle the
 * client owns from then on (the service keeps its own). A failure status
 * leaves the file closed.
 */
export type OpenEntry = (
  sys: Sys,
  ctx: ServiceContext,
  file: OpenFile,
) => Syscall<[Status, number]>;

/**
 * A service's close entry point (`opens: { close }`): runs on the workload
 * thread after it closed its handle to `file`'s VMO; the service lets the
 * VMO go (detach it, close its own handle), so its COMPLETE comes.
 */
export type CloseEntry = (sys: Sys, ctx: ServiceContext, file: OpenFile) => Syscall<Status>;

/** A service's contract with its entry points resolved. */
export interface BoundContract {
  /** The contract, defaults filled in. */
  readonly contract: ServiceContract;
  /** The writeback entry (`writeback: { entry }`), or null. */
  readonly writeback: WritebackEntry | null;
  /** The open and close entries (`opens: { entry, close }`), or null. */
  readonly opens: { readonly open: OpenEntry; readonly close: CloseEntry } | null;
  /** The module the service was loaded from (`--service PATH`), for errors; absent otherwise. */
  readonly module?: string;
  /**
   * The function held to the contract: what was given to {@linkcode withContract}, itself
   * unwrapped if it was held to one (`guardedPagerProperty` checks it is `serviceModule`'s).
   */
  readonly service: PagerService;
}

const BOUND = new WeakMap<PagerService, BoundContract>();

/** The service each {@linkcode withContract} result runs: the function it was given. */
const GIVEN = new WeakMap<PagerService, PagerService>();

/**
 * The function a service runs: the one given to {@linkcode withContract} (through any number of
 * them), or the service itself. Its text is the user's code (`pagerProperty` looks for it in its
 * `serviceModule`); a held service's own text is withContract's.
 *
 * @internal for properties/pager_property.ts's failure report
 *
 * @example
 * ```ts
 * import { eagerService, withContract } from "../mod.ts";
 * import { givenService } from "./service_contract.ts";
 * console.assert(givenService(withContract(withContract(eagerService, {}), {})) === eagerService);
 * console.assert(givenService(eagerService) === eagerService);
 * ```
 */
export function givenService(service: PagerService): PagerService {
  let s = service;
  for (let next = GIVEN.get(s); next !== undefined; next = GIVEN.get(s)) s = next;
  return s;
}

/**
 * The service `service` held to `contract`: a new service (the same body)
 * that the interpreter, the generators and the commands know the contract
 * of ({@linkcode contractOf}). A contract whose writeback is
 * `{ entry: NAME }` needs `entries.writeback`, the entry point itself (a
 * `--service` module's loader passes its export `NAME`).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import {
 *   contractOf, eagerService, parseScenario, runScenario, withContract,
 * } from "../mod.ts";
 * const mine = withContract(eagerService, { vmoOptions: { trapDirty: false, resizable: false } });
 * assert.equal(contractOf(mine)?.contract.vmoOptions.trapDirty, false);
 * const scenario = (trapDirty: boolean) => parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "mine" } }],
 *   vmos: [{ name: "file", pager: "fs", pages: 1, trapDirty }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "file", page: 0 }] }],
 * });
 * assert.equal(runScenario(scenario(false), { services: { mine } }).verdict.kind, "pass");
 * // A trap-dirty VMO is outside the contract: refused, naming the clause.
 * assert.throws(() => runScenario(scenario(true), { services: { mine } }), /vmoOptions\.trapDirty/);
 * ```
 */
export function withContract(
  service: PagerService,
  contract: ServiceContractInput | ServiceContract,
  entries: {
    readonly writeback?: WritebackEntry;
    readonly open?: OpenEntry;
    readonly close?: CloseEntry;
    /** The module the service comes from, named in contract errors. */
    readonly module?: string;
  } = {},
): PagerService {
  const c = parseContract(contract, service.name || "service");
  const wb = c.writeback;
  if (c.opens !== false && (entries.open === undefined || entries.close === undefined)) {
    throw new ContractSchemaError(
      `${service.name || "service"}: contract.opens: names "${c.opens.entry}" and ` +
        `"${c.opens.close}" but no open and close entry points were given`,
    );
  }
  if (wb !== false && "entry" in wb && entries.writeback === undefined) {
    throw new ContractSchemaError(
      `${service.name || "service"}: contract.writeback.entry: names "${wb.entry}" ` +
        `but no writeback entry point was given`,
    );
  }
  const bound = function* (sys: Sys, ctx: ServiceContext): ThreadBody {
    return yield* service(sys, ctx);
  };
  Object.defineProperty(bound, "name", { value: service.name });
  GIVEN.set(bound, service);
  BOUND.set(bound, {
    contract: c,
    writeback: wb !== false && "entry" in wb ? entries.writeback ?? null : null,
    opens: c.opens !== false && entries.open !== undefined && entries.close !== undefined
      ? { open: entries.open, close: entries.close }
      : null,
    ...(entries.module !== undefined ? { module: entries.module } : {}),
    service: BOUND.get(service)?.service ?? service,
  });
  return bound;
}

/**
 * The contract a service is held to ({@linkcode withContract}, or a
 * `--service` module's `contract` export), or undefined: the whole universe.
 *
 * @example
 * ```ts
 * import { contractOf, eagerService, withContract } from "../mod.ts";
 * console.assert(contractOf(eagerService) === undefined);
 * console.assert(contractOf(withContract(eagerService, {}))?.contract.reachable.port === false);
 * ```
 */
export function contractOf(service: PagerService | undefined): BoundContract | undefined {
  return service === undefined ? undefined : BOUND.get(service);
}

const ORIGIN = new WeakMap<PagerService, string>();

/**
 * Records where `service`'s code is, as a stack frame names it (`svc (file:///me/fs.ts:28:16)`):
 * the `--service` loader does, so a service thread's fault that has no stack of its own (a
 * yield of something that is not a syscall) names the service's module and function.
 */
export function setServiceOrigin(service: PagerService, origin: string): void {
  ORIGIN.set(service, origin);
}

/**
 * Where `service`'s code is ({@linkcode setServiceOrigin}), or null when no loader said.
 *
 * @example
 * ```ts
 * import { serviceOrigin, setServiceOrigin } from "./service_contract.ts";
 * const svc = function* () {};
 * console.assert(serviceOrigin(svc) === null);
 * setServiceOrigin(svc, "svc (file:///me/fs.ts:1:1)");
 * console.assert(serviceOrigin(svc) === "svc (file:///me/fs.ts:1:1)");
 * ```
 */
export function serviceOrigin(service: PagerService | undefined): string | null {
  return service === undefined ? null : ORIGIN.get(service) ?? null;
}

/**
 * A contract in one line, for summaries and headers.
 *
 * @example
 * ```ts
 * import { contractText, parseContract } from "./service_contract.ts";
 * const text = contractText(parseContract({ vmoOptions: { trapDirty: false, resizable: false } }));
 * console.assert(text.includes("trapDirty no") && text.includes("port private"));
 * const fs = contractText(parseContract({ opens: { entry: "open", close: "close" } }));
 * console.assert(fs.endsWith("opens entry open/close, files come and go"));
 * ```
 */
export function contractText(c: ServiceContract): string {
  const yn = (b: boolean) => (b ? "yes" : "no");
  const r = (x: ContractRange) => (x.min === x.max ? `${x.min}` : `${x.min}-${x.max}`);
  const wb = c.writeback === false
    ? "no"
    : "entry" in c.writeback
    ? `entry ${c.writeback.entry}`
    : `packet key ${c.writeback.packet}`;
  const td = c.vmoOptions.trapDirty;
  return `pageSize ${r(c.pageSize)}, vmoPages ${r(c.vmoPages)}, trapDirty ${
    td === "always" ? "always" : yn(td)
  }, resizable ${yn(c.vmoOptions.resizable)}, threads ${r(c.threads)}, clones ${
    yn(c.clones)
  }, dirty ${yn(c.dirty)}${c.writes ? "" : ", writes no"}, writeback ${wb}, port ${
    c.reachable.port ? "reachable" : "private"
  }, pager ${c.reachable.pager ? "reachable" : "private"}, events ${
    c.events.length > 0 ? c.events.join(" ") : "none"
  }${c.opens === false ? "" : `, opens entry ${c.opens.entry}/${c.opens.close}`}${
    c.lifecycle ? ", files come and go" : ""
  }`;
}
