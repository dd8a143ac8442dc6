/**
 * What checkers remember beyond the kernel state (`Monitor.stateKey`): the
 * codes ranges were failed with and the detached VMOs, so exhaustive
 * exploration never merges runs these checkers would judge differently.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import { ZX_ERR_IO } from "../kernel/constants.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { parseScenario } from "../scenario/schema.ts";
import { NoLostRequests } from "./no_lost_requests.ts";
import { SyscallContract } from "./syscall_contract.ts";
import { failCodesKey } from "./_step_monitor.ts";

Deno.test("failCodesKey: canonical whatever the insertion order", () => {
  const a = failCodesKey(new Map([[7, new Set([5, -5])], [3, new Set([-40])]]), new Set([9, 2]));
  const b = failCodesKey(new Map([[3, new Set([-40])], [7, new Set([-5, 5])]]), new Set([2, 9]));
  assert.equal(a, b);
  assert.notEqual(a, failCodesKey(new Map([[7, new Set([5])]]), new Set([2, 9])));
});

Deno.test("stateKey: OP_FAIL codes and detaches show in the checkers that judge errors by them", () => {
  const keys = (kind: "flaky" | "eager", detach: boolean) => {
    const scenario = parseScenario({
      pageSize: 64,
      pagers: [{ name: "fs", service: { kind, failPercent: 100 } }],
      vmos: [{ name: "a", pager: "fs", pages: 1 }],
      threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
      events: detach ? [{ do: "detach", target: "a" }] : [],
    });
    const checkers = [new NoLostRequests(), new SyscallContract()];
    runScenario(scenario, { seed: 1, monitors: checkers, keepTrace: false });
    return checkers.map((c) => c.stateKey());
  };
  const [lost, contract] = keys("flaky", false);
  assert.match(lost, new RegExp(`^fail \\d+:${ZX_ERR_IO}; detached $`));
  assert.equal(contract, lost);
  assert.deepEqual(keys("eager", false), ["fail ; detached ", "fail ; detached "]);
  assert.match(keys("eager", true)[0], /^fail ; detached \d+$/);
});
