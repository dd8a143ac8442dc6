// syscall-contract's `status` check against upstream's numbers (properties/_zx_status.ts): the
// kernel's status constants agree with errors.h, the check names each way a status can be wrong,
// and a status renumbered in kernel/constants.ts (a mutant every other comparison misses: both
// sides import the same constant) fails a program of the mutate judge that passes unmutated.
import { strict as assert } from "node:assert";
import * as constants from "../kernel/constants.ts";
import { UPSTREAM_STATUS, upstreamStatusProblem } from "./_zx_status.ts";
import { judgeProgram } from "../mutate/judges.ts";
import { programMonitors, runProgram } from "../program/run.ts";
import { staticConstantsKiller as killer } from "../program/testdata/program_verdict.ts";

Deno.test("_zx_status: every status kernel/constants.ts exports has errors.h's number", () => {
  const exported = Object.entries(constants).filter(([name]) => /^ZX_(OK|ERR_)/.test(name));
  assert.ok(exported.length >= 30, `only ${exported.length} statuses exported`);
  for (const [name, value] of exported) {
    assert.equal(value, UPSTREAM_STATUS.get(name), name);
    assert.equal(constants.statusName(value as number), name);
    assert.equal(upstreamStatusProblem(value), undefined, name);
  }
});

Deno.test("_zx_status: a non-status, an unnamed number and a renumbered status each fail", () => {
  assert.equal(upstreamStatusProblem(undefined), "undefined, no Zircon status");
  assert.equal(upstreamStatusProblem(-1000), "-1000 (ZX_STATUS(-1000)), no Zircon status");
  // Flow control (ZX_ERR_STOP -60) is never returned by a system call (errors.h).
  assert.match(upstreamStatusProblem(-60)!, /no Zircon status/);
  assert.equal(upstreamStatusProblem(0.5), "0.5 (ZX_STATUS(0.5)), no Zircon status");
});

for (
  const [key, what] of [
    ["kernel/constants.ts:25:44:UnaryOperator:+10", "ZX_ERR_INVALID_ARGS made +10"],
    ["kernel/constants.ts:27:42:UnaryOperator:+11", "ZX_ERR_BAD_HANDLE made +11"],
    ["kernel/constants.ts:39:41:UnaryOperator:+21", "ZX_ERR_TIMED_OUT made +21"],
  ]
) {
  Deno.test(`syscall-contract status: ${what} fails a judge program`, async () => {
    const found = await killer(key, 300);
    assert.ok(found !== undefined, `no judge program among 300 fails syscall-contract with ${key}`);
    assert.match(found.why, /errors\.h numbers/);
    const { program, ...how } = judgeProgram(found.k);
    assert.equal(runProgram(program, { ...how, monitors: programMonitors }).verdict.kind, "pass");
  });
}
