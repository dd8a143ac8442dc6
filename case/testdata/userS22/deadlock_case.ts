/**
 * userS22's deadlock, checked: logstore_bug's receiver t1 takes READ #2, queues it for its
 * worker t2 and goes back to its port, and t2 is stuck on `mutex log` (the lock-order
 * inversion the user planted). The run the user's property printed (`prop_deadlock.json`, its
 * decisions and seed), under the kernel and service checkers; shared by the tests of the P1
 * wording (case/userS22_cases_test.ts) and of the property's signature line
 * (properties/failure_report_test.ts).
 *
 * @module
 */

import { checkCase } from "../../../properties/check_case.ts";
import type { CaseResult } from "../../../properties/check_case.ts";
import { checkersOf } from "../../kinds.ts";
import { withContract } from "../../../mod.ts";
import { parseScenario } from "../../../scenario/schema.ts";
import * as bug from "./logstore_bug.ts";

/** The deadlocking run of logstore_bug, checked. */
export async function userS22Deadlock(): Promise<CaseResult> {
  const path = new URL("./prop_deadlock.json", import.meta.url);
  const scenario = parseScenario(JSON.parse(await Deno.readTextFile(path)));
  return checkCase({
    scenario,
    decisions: [1, 0, 1, 1, 1, 1, 1, 0, 0, 0, 1, 2, 2, 0, 0, 0, 2, 1, 1, 1, 1],
    seed: 7,
  }, {
    monitors: checkersOf("kernel+service"),
    services: { mine: withContract(bug.default, bug.contract, { writeback: bug.flush }) },
  });
}
