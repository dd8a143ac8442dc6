// Seed-15 gaps (docs/mutation.md, "Gap list K"): mutants the tests judge killed and every
// campaign probe let through, each now failing a program of the mutate judge that passes
// unmutated. One mirror of the files; each program drawn afresh for every run, as the judge
// runs it, with each mutant switched on in turn (program/testdata/program_verdict.ts).
import { strict as assert } from "node:assert";
import { firstContractKiller, sharedProgramMirror } from "./testdata/program_verdict.ts";

const FILES = ["kernel/kernel.ts", "kernel/port.ts", "kernel/objects.ts"];

/** The one mirror of FILES and a verdict of the judge's program `k` from it. */
const judged = sharedProgramMirror(FILES);

const CASES: [key: string, what: string][] = [
  [
    "kernel/kernel.ts:364:12:ConditionalExpression:false",
    "zx_port_cancel_key removes nothing and says NOT_FOUND (port_model.ts)",
  ],
  ["kernel/port.ts:153:8:ConditionalExpression:true", "zx_port_cancel_key drops every packet"],
  [
    "kernel/kernel.ts:636:70:BooleanLiteral:false",
    "the ZX_INFO_VMO record is stored big-endian (info_record.ts)",
  ],
  [
    "kernel/objects.ts:723:20:ArrowFunction:() => undefined",
    "an overwrite over part of a mapping takes all of it (VmarModel.mapped)",
  ],
];

for (const [key, what] of CASES) {
  Deno.test(`gap list K: ${what}`, async () => {
    const { verdict } = await judged();
    const killer = firstContractKiller(verdict, key, 200);
    assert.ok(killer !== undefined, `no judge program among 200 fails the contract with ${key}`);
  });
}
