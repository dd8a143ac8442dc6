/**
 * The built-in default scenario: the read/supply workload `deno task sim`
 * runs when no scenario is given, and the benchmark's default workload.
 *
 * @module
 */

import type { ScenarioInput } from "./schema.ts";

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
