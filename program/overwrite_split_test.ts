// The VMAR picture splits a mapping a SPECIFIC_OVERWRITE covers in part, as upstream's
// overwrite (an unmap of its range) does: a kernel that lets such an overwrite through and takes
// the whole old mapping with it (kernel/objects.ts:647:20, a seed-15 gap no checker saw) fails a
// judge program that passes unmutated.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { judgeProgram } from "../mutate/judges.ts";
import { programMonitors, runProgram } from "./run.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("overwrite split: an overwrite that takes the whole old mapping fails a judge program", async () => {
  const key = "kernel/objects.ts:647:20:ArrowFunction:() => undefined";
  const m = await mutantMirror("kernel/objects.ts");
  try {
    const judges = await m.load("mutate/judges.ts") as Any;
    const run = await m.load("program/run.ts") as Any;
    let killer: number | undefined;
    for (let k = 0; k < 200 && killer === undefined; k++) {
      const { program, ...how } = judges.judgeProgram(k);
      const v = m.withMutant(
        key,
        () => run.runProgram(program, { ...how, monitors: run.programMonitors }).verdict,
      );
      if (v.kind === "invariant" && v.invariant === "program-contract") killer = k;
    }
    assert.ok(killer !== undefined, `no judge program among 200 fails the contract with ${key}`);
    const { program, ...how } = judgeProgram(killer);
    assert.equal(runProgram(program, { ...how, monitors: programMonitors }).verdict.kind, "pass");
  } finally {
    m.dispose();
  }
});
