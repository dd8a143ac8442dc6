/**
 * A scenario against the contracts of the services that run it
 * (`scenario/service_contract.ts`): which clause a scenario breaks, the one-line
 * error the commands print for it, and the delivery counter that shows a
 * campaign kept inside a contract (what the harness gave the services, by
 * kind, and which of those a contract excludes).
 *
 * @module
 */

import type { PagerService } from "../services/service.ts";
import {
  type ContractEvent,
  contractOf,
  contractText,
  type ServiceContract,
} from "./service_contract.ts";
import { lifecycleVmos, type Scenario, ScenarioError } from "./schema.ts";

/** A way a scenario leaves a contract. */
export interface ContractViolation {
  /** The service (its registered name) whose contract it leaves. */
  readonly service: string;
  /**
   * The module the service was loaded from (`--service blobby.ts`, a case's `../svc.ts`), where
   * known: errors name it, not the name the harness registered it under (`user`).
   */
  readonly module?: string;
  /** The contract clause, e.g. `vmoOptions.trapDirty`. */
  readonly clause: string;
  /** The scenario field that leaves it, as a path. */
  readonly path: readonly (string | number)[];
  /** What is out of contract, for people. */
  readonly message: string;
  /** The edit that brings the scenario inside the clause (`set pagers[0].threads to 2`). */
  readonly fix?: string;
}

/**
 * Every way `scenario` leaves the contract of a service that serves one of
 * its pagers (`contractFor` gives a custom service name's contract, or
 * undefined for none). A clause binds only what reaches a contracted
 * service: its pagers, their VMOs, and events aimed at them; the page size
 * and the workload's `suspend` and `kill` bind every contracted service.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseScenario } from "./schema.ts";
 * import { contractViolations } from "./contract.ts";
 * import { parseContract } from "./service_contract.ts";
 * const contract = parseContract({ vmoOptions: { trapDirty: false, resizable: false } });
 * const s = parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "mine" } }],
 *   vmos: [{ name: "a", pager: "fs", pages: 1, trapDirty: true }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
 *   events: [{ do: "closePort", target: "fs" }],
 * });
 * const v = contractViolations(s, (name) => name === "mine" ? contract : undefined);
 * assert.deepEqual(v.map((x) => x.clause), ["vmoOptions.trapDirty", "reachable.port"]);
 * ```
 */
export function contractViolations(
  scenario: Scenario,
  contractFor: (serviceName: string) => ServiceContract | undefined,
  moduleOf: (serviceName: string) => string | undefined = () => undefined,
): ContractViolation[] {
  const out: ContractViolation[] = [];
  const of = new Map<string, { name: string; contract: ServiceContract }>();
  for (const p of scenario.pagers) {
    if (p.service.kind !== "custom" || p.service.name === undefined) continue;
    const c = contractFor(p.service.name);
    if (c !== undefined) of.set(p.name, { name: p.service.name, contract: c });
  }
  if (of.size === 0) return out;
  const add = (
    who: { name: string },
    clause: string,
    path: (string | number)[],
    message: string,
    fix?: string,
  ) => {
    const module = moduleOf(who.name);
    out.push({
      service: who.name,
      ...(module !== undefined ? { module } : {}),
      clause,
      path,
      message,
      ...(fix !== undefined ? { fix } : {}),
    });
  };
  const into = (n: number, r: { min: number; max: number }) => Math.min(Math.max(n, r.min), r.max);
  const vmoPager = new Map(scenario.vmos.map((v) => [v.name, v.pager]));
  const life = lifecycleVmos(scenario);
  const everyOnce = [...new Map([...of.values()].map((x) => [x.name, x])).values()];

  for (const who of everyOnce) {
    const r = who.contract.pageSize;
    if (scenario.pageSize < r.min || scenario.pageSize > r.max) {
      add(
        who,
        "pageSize",
        ["pageSize"],
        `page size ${scenario.pageSize} is outside ${r.min}-${r.max}`,
        `set pageSize to ${scenario.pageSize < r.min ? r.min : r.max}`,
      );
    }
  }
  scenario.pagers.forEach((p, i) => {
    const who = of.get(p.name);
    if (who === undefined) return;
    const r = who.contract.threads;
    if (p.threads < r.min || p.threads > r.max) {
      add(
        who,
        "threads",
        ["pagers", i, "threads"],
        `pager "${p.name}" runs ${p.threads} service threads, outside ${r.min}-${r.max}`,
        `set ${field(["pagers", i, "threads"])} to ${into(p.threads, r)}`,
      );
    }
  });
  scenario.vmos.forEach((v, i) => {
    const who = of.get(v.pager);
    if (who === undefined) return;
    const c = who.contract;
    if (v.pages < c.vmoPages.min || v.pages > c.vmoPages.max) {
      add(
        who,
        "vmoPages",
        ["vmos", i, "pages"],
        `VMO "${v.name}" has ${v.pages} pages, outside ${c.vmoPages.min}-${c.vmoPages.max}`,
        `set ${field(["vmos", i, "pages"])} to ${into(v.pages, c.vmoPages)}`,
      );
    }
    if (v.trapDirty && !c.vmoOptions.trapDirty) {
      add(
        who,
        "vmoOptions.trapDirty",
        ["vmos", i, "trapDirty"],
        `VMO "${v.name}" is created trap-dirty`,
        `set ${field(["vmos", i, "trapDirty"])} to false`,
      );
    }
    if (!v.trapDirty && c.vmoOptions.trapDirty === "always") {
      add(
        who,
        "vmoOptions.trapDirty",
        ["vmos", i, "trapDirty"],
        `VMO "${v.name}" is created without TRAP_DIRTY (the contract says always)`,
        `set ${field(["vmos", i, "trapDirty"])} to true`,
      );
    }
    if (c.opens !== false && v.startsClosed !== true) {
      add(
        who,
        "opens",
        ["vmos", i, "startsClosed"],
        `VMO "${v.name}" is created by the harness, but the service opens its own VMOs ` +
          `(it must be startsClosed, opened by an open op)`,
        `set ${
          field(["vmos", i, "startsClosed"])
        } to true and put {"op":"open","vmo":"${v.name}"} ` +
          `before the first op on it`,
      );
    } else if (!c.lifecycle && life.has(v.name)) {
      add(who, "lifecycle", ["vmos", i], `VMO "${v.name}" comes and goes (open/close ops)`);
    }
    if (v.resizable && !c.vmoOptions.resizable) {
      add(
        who,
        "vmoOptions.resizable",
        ["vmos", i, "resizable"],
        `VMO "${v.name}" is created resizable`,
        `set ${field(["vmos", i, "resizable"])} to false`,
      );
    }
  });
  scenario.threads.forEach((t, i) =>
    t.ops.forEach((op, j) => {
      const pager = vmoPager.get(op.vmo);
      const who = pager === undefined ? undefined : of.get(pager);
      if (who === undefined) return;
      const c = who.contract;
      const path = ["threads", i, "ops", j];
      const drop = `remove ${field(path)} (a ${op.op} op)`;
      if (op.op === "resize") {
        if (!c.events.includes("resize")) {
          add(
            who,
            c.vmoOptions.resizable ? "events" : "vmoOptions.resizable",
            path,
            `thread "${t.name}" resizes VMO "${op.vmo}" (resize is not in scope)`,
            drop,
          );
        } else if (op.newPages > c.vmoPages.max) {
          add(
            who,
            "vmoPages",
            [...path, "newPages"],
            `thread "${t.name}" grows VMO "${op.vmo}" to ${op.newPages} pages, past ${c.vmoPages.max}`,
          );
        }
      }
      if ((op.op === "cloneRead" || op.op === "cloneWrite") && !c.clones) {
        add(who, "clones", path, `thread "${t.name}" clones VMO "${op.vmo}"`, drop);
      }
      if (WRITE_OPS.has(op.op) && !c.writes) {
        add(
          who,
          "writes",
          path,
          `thread "${t.name}" writes VMO "${op.vmo}" (${op.op}): its files are read-only`,
          drop,
        );
      }
    })
  );
  scenario.events.forEach((e, i) => {
    const path = ["events", i];
    const targets = e.do === "suspend" || e.do === "kill"
      ? everyOnce
      : e.do === "closePager" || e.do === "closePort" || e.do === "writeback"
      ? [of.get(e.target)]
      : [of.get(vmoPager.get(e.target) ?? "")];
    for (const who of targets) {
      if (who === undefined) continue;
      const c = who.contract;
      if (c.events.includes(e.do)) continue;
      const clause = e.do === "closePort" && !c.reachable.port
        ? "reachable.port"
        : e.do === "closePager" && !c.reachable.pager
        ? "reachable.pager"
        : e.do === "writeback" && c.writeback === false
        ? "writeback"
        : "events";
      const why = clause === "reachable.port"
        ? "its port is private"
        : clause === "reachable.pager"
        ? "its pager is private"
        : clause === "writeback"
        ? "it takes no writeback requests"
        : `${e.do} is not in scope`;
      add(who, clause, path, `event ${e.do}(${e.target}): ${why}`, `remove ${field(path)}`);
    }
  });
  return out;
}

/** A scenario field's path as its JSON reads: `pagers[0].threads`. */
function field(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** The ops that write a service's VMO (a contract's `writes`; delivered as `write`). */
export const WRITE_OPS: ReadonlySet<string> = new Set(["write", "mapWrite", "zero"]);

/**
 * A scenario outside a service's contract: one line naming the service, the
 * clause and the field (a {@linkcode ScenarioError}, so every command prints
 * it as bad input, exit status 2).
 */
export class ContractError extends ScenarioError {
  /** The error's name. */
  override name = "ContractError";
  /**
   * The refusal of `violation` in the scenario read from `where`; `others` (the scenario's other
   * violations) follow it, one line each, so a fix of the first does not reveal the next. The
   * first says the edit that fixes it in `where`, its field under `within` (`input.` in a case
   * file, whose scenario is its `input`).
   */
  constructor(
    where: string,
    readonly violation: ContractViolation,
    others: readonly ContractViolation[] = [],
    within = "",
  ) {
    super(where, [violation.message]);
    const line = (v: ContractViolation, file = "") =>
      `out of the contract of ${
        v.module !== undefined ? `service ${v.module}` : `service "${v.service}"`
      }: clause ${v.clause}: ${v.message} ` +
      `(${v.path.join(".")})${
        v.fix !== undefined ? `: ${v.fix.replace(/^(set|remove) /, `$1 ${within}`)}${file}` : ""
      }`;
    this.message = `${where}: ${line(violation, ` in ${where}`)}` +
      others.map((v) => `\n  also ${line(v)}`).join("");
  }
}

/** The contracts of the custom services in `services`, by registered name. */
export function contractsOf(
  services: Readonly<Record<string, PagerService>> | undefined,
): (name: string) => ServiceContract | undefined {
  return (name) => contractOf(services?.[name])?.contract;
}

/** The modules the custom services in `services` were loaded from, by registered name. */
export function modulesOf(
  services: Readonly<Record<string, PagerService>> | undefined,
): (name: string) => string | undefined {
  return (name) => contractOf(services?.[name])?.module;
}

/**
 * Throws {@linkcode ContractError} if `scenario` leaves the contract of a
 * service of `services` that serves it (read from `where`, at `within` in it: `input.` for a case).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { eagerService, parseScenario, withContract } from "../mod.ts";
 * import { assertInContract } from "./contract.ts";
 * const s = parseScenario({
 *   pageSize: 4096,
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "mine" } }],
 *   vmos: [{ name: "a", pager: "fs", pages: 1 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
 * });
 * const mine = withContract(eagerService, { pageSize: { min: 64, max: 256 } });
 * assert.throws(() => assertInContract(s, { mine }, "s.json"), /s\.json: .*clause pageSize/);
 * ```
 */
export function assertInContract(
  scenario: Scenario,
  services: Readonly<Record<string, PagerService>> | undefined,
  where: string = scenario.name ?? "scenario",
  within = "",
): void {
  const v = contractViolations(scenario, contractsOf(services), modulesOf(services));
  if (v.length > 0) throw new ContractError(where, v[0], v.slice(1), within);
}

/**
 * What the harness delivers to services, counted per run
 * (`ScenarioRun.delivered`): VMOs created with each option, client
 * operations that need a contract clause, environment events executed,
 * files opened during the run (`fileOpen`: an `open` op that opened one), and
 * writes to them (`write`: a `write`, `mapWrite` or `zero` op that ran).
 */
export const DELIVERY_KINDS = [
  "trapDirtyVmo",
  "plainVmo",
  "resizableVmo",
  "resize",
  "clone",
  "writeback",
  "closePort",
  "closePager",
  "detach",
  "closeVmo",
  "suspend",
  "kill",
  "evict",
  "fileOpen",
  "write",
] as const;

/** One of {@linkcode DELIVERY_KINDS}. */
export type DeliveryKind = typeof DELIVERY_KINDS[number];

/**
 * Whether `contract` excludes deliveries of `kind`.
 *
 * @example
 * ```ts
 * import { parseContract } from "./service_contract.ts";
 * import { excludes } from "./contract.ts";
 * const c = parseContract({ vmoOptions: { trapDirty: false, resizable: false } });
 * console.assert(excludes(c, "trapDirtyVmo") && excludes(c, "closePort") && !excludes(c, "kill"));
 * ```
 */
export function excludes(contract: ServiceContract, kind: DeliveryKind): boolean {
  switch (kind) {
    case "trapDirtyVmo":
      return !contract.vmoOptions.trapDirty;
    case "plainVmo":
      return contract.vmoOptions.trapDirty === "always";
    case "resizableVmo":
      return !contract.vmoOptions.resizable;
    case "clone":
      return !contract.clones;
    case "fileOpen":
      return !contract.lifecycle;
    case "write":
      return !contract.writes;
    default:
      return !contract.events.includes(kind as ContractEvent);
  }
}

/** A campaign's delivery counter under a contract (`CampaignSummary.contract`). */
export interface ContractCounter {
  /** The contract the campaign ran under. */
  readonly contract: ServiceContract;
  /** The contract in one line. */
  readonly text: string;
  /** Deliveries the contract excludes, by kind (each should be 0), and their sum. */
  readonly outOfContract: { readonly total: number; readonly byKind: Record<string, number> };
}

/**
 * The counter of a campaign that delivered `delivered` under `contract`.
 *
 * @example
 * ```ts
 * import { parseContract } from "./service_contract.ts";
 * import { contractCounter } from "./contract.ts";
 * const c = contractCounter(parseContract({ vmoOptions: { trapDirty: false } }), { kill: 3 });
 * console.assert(c.outOfContract.total === 0 && c.outOfContract.byKind.trapDirtyVmo === 0);
 * ```
 */
export function contractCounter(
  contract: ServiceContract,
  delivered: Readonly<Record<string, number>>,
): ContractCounter {
  const byKind: Record<string, number> = {};
  let total = 0;
  for (const k of DELIVERY_KINDS) {
    if (!excludes(contract, k)) continue;
    byKind[k] = delivered[k] ?? 0;
    total += byKind[k];
  }
  return { contract, text: contractText(contract), outOfContract: { total, byKind } };
}

/**
 * `scenario` (the built-in default, which no contract was written for) changed to fit the
 * contracts of the services that serve it: a VMO's trap-dirty or resizable option set as the
 * contract says, the page size, a page count or a pager's thread count brought into range (ops past a VMO's
 * new end dropped or cut), and the ops and events the contract rules out dropped. `note` says
 * what changed in one line (null: nothing). Throws the {@linkcode ContractError} of the first
 * violation it cannot fix (services that open their own VMOs, VMOs that come and go),
 * pointing to how to write a scenario.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { DEFAULT_SCENARIO, eagerService, parseScenario, withContract } from "../mod.ts";
 * import { withService } from "./bind.ts";
 * import { contractViolations, contractsOf, fitToContract } from "./contract.ts";
 * const mine = withContract(eagerService, { vmoOptions: { trapDirty: "always" } });
 * const s = withService(parseScenario(DEFAULT_SCENARIO), "mine");
 * const fit = fitToContract(s, { mine }, "default scenario");
 * assert.deepEqual(contractViolations(fit.scenario, contractsOf({ mine })), []);
 * assert.match(fit.note ?? "", /trap-dirty/);
 * ```
 */
export function fitToContract(
  scenario: Scenario,
  services: Readonly<Record<string, PagerService>> | undefined,
  where: string,
  example = "examples/file_lifecycle.json",
): { scenario: Scenario; note: string | null } {
  const contracts = contractsOf(services);
  const s = structuredClone(scenario);
  const changes: string[] = [];
  for (let round = 0; round < 4; round++) {
    const v = contractViolations(s, contracts, modulesOf(services));
    if (v.length === 0) break;
    const dropOps = new Set<string>();
    const dropEvents = new Set<number>();
    const opens: (() => void)[] = [];
    for (const x of v) {
      const c = contracts(x.service);
      if (c === undefined) throw new ContractError(where, x);
      const [kind, i, , j] = x.path as [string, number, string?, number?];
      if (x.clause === "vmoOptions.trapDirty") {
        s.vmos[i].trapDirty = c.vmoOptions.trapDirty === "always";
        changes.push(`VMO "${s.vmos[i].name}" ${s.vmos[i].trapDirty ? "made" : "not"} trap-dirty`);
      } else if (x.clause === "vmoOptions.resizable" && kind === "vmos") {
        s.vmos[i].resizable = false;
        changes.push(`VMO "${s.vmos[i].name}" not resizable`);
      } else if (x.clause === "vmoPages" && kind === "vmos") {
        const vmo = s.vmos[i];
        vmo.pages = Math.min(Math.max(vmo.pages, c.vmoPages.min), c.vmoPages.max);
        changes.push(`VMO "${vmo.name}" ${vmo.pages} pages`);
        s.threads.forEach((t, ti) =>
          t.ops.forEach((op, oj) => {
            const o = op as { vmo?: string; page?: number; pages?: number };
            if (o.vmo !== vmo.name || typeof o.page !== "number") return;
            if (o.page >= vmo.pages) dropOps.add(`${ti}.${oj}`);
            else if (o.pages !== undefined) o.pages = Math.min(o.pages, vmo.pages - o.page);
          })
        );
      } else if (x.clause === "pageSize" && kind === "pageSize") {
        // A power of two in range (page counts are in pages: the workload keeps its shape).
        let size = 1;
        while (size < c.pageSize.min) size *= 2;
        if (size <= c.pageSize.max && size !== s.pageSize) {
          s.pageSize = size;
          changes.push(`page size ${size}`);
        }
      } else if (x.clause === "threads" && kind === "pagers") {
        const p = s.pagers[i];
        p.threads = Math.min(Math.max(p.threads, c.threads.min), c.threads.max);
        changes.push(`pager "${p.name}" ${p.threads} service thread(s)`);
      } else if (x.clause === "opens" && kind === "vmos") {
        // The service opens its own VMOs: the file starts closed, and the first thread that uses
        // it opens it first (its owner; another thread's op before the open gets BAD_HANDLE).
        const vmo = s.vmos[i];
        vmo.startsClosed = true;
        const owner = s.threads.find((t) => t.ops.some((o) => o.vmo === vmo.name));
        if (owner !== undefined) {
          // After this round's drops: an op put first now would shift the indices they name.
          opens.push(() =>
            owner.ops.unshift({ op: "open", vmo: vmo.name } as typeof owner.ops[number])
          );
          changes.push(`VMO "${vmo.name}" opened by thread "${owner.name}" (the service opens it)`);
        } else changes.push(`VMO "${vmo.name}" starts closed (the service opens its own VMOs)`);
      } else if (kind === "events" && x.path.length === 2) {
        dropEvents.add(i);
      } else if (kind === "threads" && typeof j === "number" && x.path.length === 4) {
        dropOps.add(`${i}.${j}`);
      } else {
        const e = new ContractError(where, x);
        e.message += unfitted(example);
        throw e;
      }
    }
    for (const i of [...dropEvents].sort((a, b) => b - a)) {
      const e = s.events[i];
      changes.push(`event ${e.do}(${e.target}) dropped`);
      s.events.splice(i, 1);
    }
    s.threads.forEach((t, ti) => {
      const before = t.ops.length;
      t.ops = t.ops.filter((_, oj) => !dropOps.has(`${ti}.${oj}`));
      if (t.ops.length < before) {
        changes.push(`${before - t.ops.length} op(s) of thread "${t.name}" dropped`);
      }
    });
    for (const open of opens) open();
  }
  const left = contractViolations(s, contracts, modulesOf(services));
  if (left.length > 0) {
    const e = new ContractError(where, left[0], left.slice(1));
    e.message += unfitted(example);
    throw e;
  }
  return { scenario: s, note: changes.length === 0 ? null : changes.join(", ") };
}

/** What a refusal of the default scenario adds: write a scenario, and an example of one. */
function unfitted(example: string): string {
  return `\n  the default scenario cannot be fitted to this contract: give --scenario FILE, a ` +
    `scenario inside it (README "Scenarios" and "A service contract"; ` +
    `${example} is one for a service that opens its own VMOs: set ` +
    `its pager's threads and its VMOs' pages to your contract's ranges)`;
}
