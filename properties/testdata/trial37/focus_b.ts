// trial37's focus test B (trial37/focus_test.ts), as a module: a plain pagerProperty over the
// planted lock-order bug (services.mine) under the correct module's name (serviceModule), which
// fails with a deadlock. Run as a program (properties/replay_check_test.ts runs it without
// permission to run deno), it prints the report of the failure fast-check reports.
import fc from "npm:fast-check@4.11.0";
import { checkersOf, pagerProperty, withContract } from "../../../mod.ts";
import { contract } from "./chunk_pager.ts";
import lockOrderPager from "./chunk_pager_lockorder.ts";

/** The property, with `serviceModule` naming `module` (a file of this folder). */
export function focusB(module = "chunk_pager.ts"): ReturnType<typeof pagerProperty> {
  return pagerProperty(checkersOf("kernel+service"), {
    scenario: { services: [], customServices: ["mine"] },
    services: { mine: withContract(lockOrderPager, contract) },
    serviceModule: new URL(`./${module}`, import.meta.url),
  });
}

/** trial37's parameters: fails after ~450 tests. */
export const FOCUS_B_RUNS = { numRuns: 2000, seed: 2 };

if (import.meta.main) {
  const out = fc.check(focusB(), FOCUS_B_RUNS);
  console.log(out.failed ? (out.errorInstance as Error).message : "passed");
}
