/**
 * The built-in default scenario: the read/supply workload `deno task sim`
 * runs when no scenario is given, and the benchmark's default workload.
 *
 * @module
 */

import type { Scenario, ScenarioInput } from "./schema.ts";

/** Two VMOs served by one eager pager; readers, a writer, a mapping and a suspended reader. */
export const DEFAULT_SCENARIO: ScenarioInput = {
  name: "default: two VMOs, eager service, readers, a writer, a mapping, a suspend",
  pagers: [{ name: "fs", service: { kind: "eager" } }],
  vmos: [
    { name: "data", pager: "fs", pages: 8, key: 1 },
    { name: "meta", pager: "fs", pages: 4, key: 2 },
  ],
  threads: [
    { name: "reader", ops: [{ op: "read", vmo: "data", page: 0, pages: 8 }] },
    {
      name: "writer",
      ops: [
        { op: "write", vmo: "meta", page: 1, pages: 2 },
        { op: "read", vmo: "meta", page: 0, pages: 4 },
      ],
    },
    {
      name: "mapper",
      ops: [
        { op: "mapRead", vmo: "data", page: 2, pages: 3 },
        { op: "commit", vmo: "meta", page: 0, pages: 4 },
      ],
    },
  ],
  events: [{ do: "suspend", target: "reader" }],
};

const COUNTS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

/**
 * The default scenario's description, from what `s` has: its VMOs, an eager service, its readers,
 * writers, mappings and suspends. For the built-in default it is the default's own name; for the
 * default fitted to a service's contract (`fitToContract`: an event or ops dropped) it names what
 * is left, so `sim`'s `scenario:` line describes the scenario actually run.
 *
 * @example
 * ```ts
 * import { DEFAULT_SCENARIO, defaultScenarioName } from "./default.ts";
 * import { parseScenario } from "./schema.ts";
 * const s = parseScenario(DEFAULT_SCENARIO);
 * console.assert(defaultScenarioName(s) === DEFAULT_SCENARIO.name);
 * console.assert(defaultScenarioName({ ...s, events: [] }).endsWith("a writer, a mapping"));
 * ```
 */
export function defaultScenarioName(s: Scenario): string {
  const some = (n: number, one: string, many: string) =>
    n === 0 ? [] : [n === 1 ? `a ${one}` : many];
  const threadsWith = (ops: readonly string[]) =>
    s.threads.filter((t) => t.ops.some((o) => ops.includes(o.op))).length;
  const vmos = s.vmos.length;
  const parts = [
    `${COUNTS[vmos] ?? vmos} VMO${vmos === 1 ? "" : "s"}`,
    ...(s.pagers.length > 0 && s.pagers.every((p) => p.service.kind === "eager")
      ? ["eager service"]
      : []),
    ...some(threadsWith(["read"]), "reader", "readers"),
    ...some(threadsWith(["write"]), "writer", "writers"),
    ...some(threadsWith(["mapRead", "mapWrite"]), "mapping", "mappings"),
    ...some(s.events.filter((e) => e.do === "suspend").length, "suspend", "suspends"),
  ];
  return `default: ${parts.join(", ")}`;
}
