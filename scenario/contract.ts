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
  /** The contract clause, e.g. `vmoOptions.trapDirty`. */
  readonly clause: string;
  /** The scenario field that leaves it, as a path. */
  readonly path: readonly (string | number)[];
  /** What is out of contract, for people. */
  readonly message: string;
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
  ) => out.push({ service: who.name, clause, path, message });
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
      );
    }
    if (v.trapDirty && !c.vmoOptions.trapDirty) {
      add(
        who,
        "vmoOptions.trapDirty",
        ["vmos", i, "trapDirty"],
        `VMO "${v.name}" is created trap-dirty`,
      );
    }
    if (!v.trapDirty && c.vmoOptions.trapDirty === "always") {
      add(
        who,
        "vmoOptions.trapDirty",
        ["vmos", i, "trapDirty"],
        `VMO "${v.name}" is created without TRAP_DIRTY (the contract says always)`,
      );
    }
    if (c.opens !== false && v.startsClosed !== true) {
      add(
        who,
        "opens",
        ["vmos", i, "startsClosed"],
        `VMO "${v.name}" is created by the harness, but the service opens its own VMOs ` +
          `(it must be startsClosed, opened by an open op)`,
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
      if (op.op === "resize") {
        if (!c.events.includes("resize")) {
          add(
            who,
            c.vmoOptions.resizable ? "events" : "vmoOptions.resizable",
            path,
            `thread "${t.name}" resizes VMO "${op.vmo}" (resize is not in scope)`,
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
        add(who, "clones", path, `thread "${t.name}" clones VMO "${op.vmo}"`);
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
      add(who, clause, path, `event ${e.do}(${e.target}): ${why}`);
    }
  });
  return out;
}

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
   * violations) follow it, one line each, so a fix of the first does not reveal the next.
   */
  constructor(
    where: string,
    readonly violation: ContractViolation,
    others: readonly ContractViolation[] = [],
  ) {
    super(where, [violation.message]);
    const line = (v: ContractViolation) =>
      `out of the contract of service "${v.service}": clause ${v.clause}: ${v.message} ` +
      `(${v.path.join(".")})`;
    this.message = `${where}: ${line(violation)}` +
      others.map((v) => `\n  also ${line(v)}`).join("");
  }
}

/** The contracts of the custom services in `services`, by registered name. */
export function contractsOf(
  services: Readonly<Record<string, PagerService>> | undefined,
): (name: string) => ServiceContract | undefined {
  return (name) => contractOf(services?.[name])?.contract;
}

/**
 * Throws {@linkcode ContractError} if `scenario` leaves the contract of a
 * service of `services` that serves it.
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
): void {
  const v = contractViolations(scenario, contractsOf(services));
  if (v.length > 0) throw new ContractError(where, v[0], v.slice(1));
}

/**
 * What the harness delivers to services, counted per run
 * (`ScenarioRun.delivered`): VMOs created with each option, client
 * operations that need a contract clause, environment events executed, and
 * files opened during the run (`fileOpen`: an `open` op that opened one).
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
