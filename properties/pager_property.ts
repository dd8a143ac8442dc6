/**
 * The pager property: for every drawn scenario, decision list and seed, the
 * run passes every checker. Usable in a user's own `fc.assert`; a failure
 * throws the report of the (shrunk) case.
 *
 * @module
 */

import fc, { type IPropertyWithHooks } from "npm:fast-check@4.11.0";
import type { Monitor } from "../sim/world.ts";
import type { PagerService } from "../services/service.ts";
import {
  decisionsArbitrary,
  type DecisionsArbitraryOptions,
  scenarioArbitrary,
  type ScenarioArbitraryOptions,
} from "./arbitraries.ts";
import { type CaseResult, checkCase } from "./check_case.ts";
import { formatFailure } from "./failure_report.ts";

/**
 * fast-check's own `IPropertyWithHooks<Ts>` under a local name: deno doc
 * --lint flags types from npm packages as private (denoland/deno#27364).
 *
 * @internal
 */
export type FcPropertyWithHooks<Ts> = IPropertyWithHooks<Ts>;

/** Options of {@linkcode pagerProperty}. */
export interface PagerPropertyOptions {
  /** Shapes the drawn scenarios. */
  readonly scenario?: ScenarioArbitraryOptions;
  /** Shapes the drawn decision lists. */
  readonly decisions?: DecisionsArbitraryOptions;
  /** Services for `custom` kinds, by name. */
  readonly services?: Readonly<Record<string, PagerService>>;
  /** Called with every failing case (each shrink step too); the last call is the shrunk one. */
  readonly onFailure?: (result: CaseResult) => void;
}

/** Thrown by the property for a failing case; carries the case. */
export class PagerPropertyFailure extends Error {
  /** Error name shown in reports: "PagerPropertyFailure". */
  override name = "PagerPropertyFailure";
  /** Builds the failure of `result`; the message is its failure report. */
  constructor(
    /** The failing case and its settled run. */
    readonly result: CaseResult,
  ) {
    super(formatFailure(result));
  }
}

/**
 * A fast-check property over (scenario, decisions, seed) that every checker
 * made by `monitors` holds.
 *
 * @example
 * ```ts
 * import fc from "npm:fast-check@4.11.0";
 * import { pagerProperty } from "./pager_property.ts";
 * import { kernelInvariants } from "./kernel_invariants.ts";
 * fc.assert(pagerProperty(kernelInvariants, { scenario: { maxThreads: 1 } }), { numRuns: 5 });
 * ```
 */
export function pagerProperty(
  monitors: () => readonly Monitor[],
  options: PagerPropertyOptions = {},
): FcPropertyWithHooks<[import("../sim/scenario.ts").Scenario, number[], number]> {
  return fc.property(
    scenarioArbitrary(options.scenario),
    decisionsArbitrary(options.decisions),
    fc.nat({ max: 1 << 16 }),
    (scenario, decisions, seed) => {
      const result = checkCase({ scenario, decisions, seed }, {
        monitors,
        services: options.services,
      });
      if (result.verdict.kind !== "pass") {
        options.onFailure?.(result);
        throw new PagerPropertyFailure(result);
      }
    },
  );
}
