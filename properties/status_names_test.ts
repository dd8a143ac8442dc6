// syscall-contract `status` on the status names the trace shows (properties/_zx_status.ts
// `shownStatusProblem`): OP_FAIL's `data`, a wake's status and a fatal fault's are shown by
// errors.h's names, and the judge programs' signal layout passes every errors.h number as OP_FAIL
// data (`CallBuilder.#failDataNames`), so a status no call returns is judged too: its number
// renumbered, its name emptied in the kernel's table, or the table's fallback text emptied,
// each fails a judge program that passes unmutated.
import { strict as assert } from "node:assert";
import * as constants from "../kernel/constants.ts";
import {
  MODEL_UNNAMED,
  shownStatusProblem,
  UPSTREAM_FAIL_CODES,
  UPSTREAM_STATUS,
} from "./_zx_status.ts";
import { judgeProgram } from "../mutate/judges.ts";
import { programMonitors, runProgram } from "../program/run.ts";
import { staticConstantsKiller as killer } from "../program/testdata/program_verdict.ts";

Deno.test("shownStatusProblem: the kernel shows every errors.h number by errors.h's name", () => {
  for (const [name, n] of UPSTREAM_STATUS) {
    assert.equal(shownStatusProblem(n), undefined, name);
    assert.equal(
      constants.statusName(n),
      MODEL_UNNAMED.has(name) ? `ZX_STATUS(${n})` : name,
      name,
    );
  }
  // A number errors.h has no name for is shown as ZX_STATUS(n), and only so.
  for (const n of [-5, -60, -1000, 7]) assert.equal(shownStatusProblem(n), undefined, `${n}`);
  // Every name the model leaves out is an errors.h name, none a status the kernel exports.
  for (const name of MODEL_UNNAMED) {
    assert.ok(UPSTREAM_STATUS.has(name), name);
    assert.equal(name in constants, false, name);
  }
});

Deno.test("UPSTREAM_FAIL_CODES: IsValidExternalFailureCode's five, by errors.h's numbers", () => {
  assert.deepEqual(UPSTREAM_FAIL_CODES, [-40, -42, -20, -54, -15]);
  assert.deepEqual([...constants.PAGER_FAIL_CODES].sort(), [...UPSTREAM_FAIL_CODES].sort());
});

for (
  const [key, what] of [
    [
      "kernel/constants.ts:43:40:UnaryOperator:+23",
      "ZX_ERR_CANCELED (no call returns it) made +23",
    ],
    ["kernel/constants.ts:121:38:StringLiteral:``", "the ZX_STATUS(n) fallback emptied"],
  ]
) {
  Deno.test(`syscall-contract status: ${what} fails a judge program`, async () => {
    const found = await killer(key, 100);
    assert.ok(found !== undefined, `no judge program among 100 fails syscall-contract with ${key}`);
    assert.match(found.why, /the trace shows .* shown as/);
    const { program, ...how } = judgeProgram(found.k);
    assert.equal(runProgram(program, { ...how, monitors: programMonitors }).verdict.kind, "pass");
  });
}
