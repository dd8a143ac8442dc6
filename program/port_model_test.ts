// The contract's model of user packets on the program's own ports (program/port_model.ts):
// judge programs that carry signalLayout's user packets pass unmutated (the mutants it kills:
// program/oracle_gap_k_test.ts).
import { strict as assert } from "node:assert";
import { judgeProgram } from "../mutate/judges.ts";
import { programMonitors, runProgram } from "./run.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("port model: signalLayout's user packets are queued, cancelled and taken as predicted", () => {
  // Some program of the judge carries the layout (its port calls are all judged) and passes.
  let seen = 0;
  for (let k = 0; k < 200 && seen < 3; k++) {
    const { program, ...how } = judgeProgram(k);
    const calls = program.threads.flatMap((t: Any) => t.calls.map((c: Any) => c.call));
    if (!calls.includes("zx_port_cancel_key") || !calls.includes("zx_port_queue")) continue;
    seen++;
    assert.equal(runProgram(program, { ...how, monitors: programMonitors }).verdict.kind, "pass");
  }
  assert.ok(seen >= 1, "no judge program among 200 queues and cancels user packets");
});
