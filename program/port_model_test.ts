// The contract's model of user packets on the program's own ports (program/port_model.ts):
// judge programs pass unmutated, and a kernel whose zx_port_cancel_key removes nothing and says
// NOT_FOUND (kernel/kernel.ts:354:12, a seed-15 gap no checker saw) fails one of them.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
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

for (
  const [key, what] of [
    [
      "kernel/kernel.ts:354:12:ConditionalExpression:false",
      "zx_port_cancel_key removes nothing and says NOT_FOUND",
    ],
    ["kernel/port.ts:153:8:ConditionalExpression:true", "zx_port_cancel_key drops every packet"],
  ]
) {
  Deno.test(`port model: ${what} fails a judge program`, async () => {
    const file = key.split(":")[0];
    const m = await mutantMirror(file);
    try {
      const judges = await m.load("mutate/judges.ts") as Any;
      const run = await m.load("program/run.ts") as Any;
      let killer: number | undefined;
      for (let k = 0; k < 100 && killer === undefined; k++) {
        const { program, ...how } = judges.judgeProgram(k);
        const v = m.withMutant(
          key,
          () => run.runProgram(program, { ...how, monitors: run.programMonitors }).verdict,
        );
        if (v.kind === "invariant" && v.invariant === "program-contract") killer = k;
      }
      assert.ok(killer !== undefined, `no judge program among 100 fails the contract with ${key}`);
      const { program, ...how } = judgeProgram(killer);
      assert.equal(runProgram(program, { ...how, monitors: programMonitors }).verdict.kind, "pass");
    } finally {
      m.dispose();
    }
  });
}
