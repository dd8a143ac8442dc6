// The campaign judge runs Zircon's pager tests (conformance/) as workloads with their expectations
// left out (`runChecked`), judged by the kernel checkers alone: each case below passes unmutated,
// and with the mutant of kernel/kernel.ts on, a checker fails it.
//
// F9: a case whose check fails ends its run there as a pass, and the step the check failed in is
// still judged by the checkers (the world ends a run at a thread's fault before the monitors'
// `afterStep`, so a violation in that step was lost): the mutant skips zx_futex_requeue's
// current-value check, the requeue returns OK and the case's own check of that fails in the same
// step; futex-discipline sees the OK with the word at 100, not 101 (docs/mutation.md, "C (masked)").
// W79: spec 2.7, only ZX_PAGER_RESET_VMO_STATS clears the modified flag, and a query reports it.
import { conformanceMutantSteps } from "./_conformance_mutants.ts";

const CASES: [
  what: string,
  id: string,
  name: string,
  key: string,
  checker: string,
  rule: RegExp,
][] = [
  [
    "runChecked judges the step a case's failed check ends the run in",
    "F9",
    "RequeueValueMismatch",
    "kernel/kernel.ts:565:9:ConditionalExpression:false",
    "futex-discipline",
    /held 100, yet it returned ZX_OK/,
  ],
  [
    "dirty-state K25: a stats query without RESET that clears modified fails",
    "W79",
    "ModifiedNoResetTrapDirty",
    "kernel/kernel.ts:296:9:ConditionalExpression:true",
    "dirty-state",
    /^K25: vmo\d+ lost modified .* \(no query of it with RESET\)$/,
  ],
  [
    "dirty-state K25: a stats query that reports no MODIFIED flag of a modified VMO fails",
    "W79",
    "ModifiedNoResetTrapDirty",
    "kernel/kernel.ts:295:19:ObjectLiteral:{}",
    "dirty-state",
    /^K25: zx_pager_query_vmo_stats of vmo\d+ reported flags undefined$/,
  ],
];

Deno.test("Zircon's pager tests under the kernel checkers alone show these kernel.ts mutants", (t) =>
  conformanceMutantSteps(
    t,
    "kernel/kernel.ts",
    CASES.map(([what, id, name, key, checker, rule]) => ({ what, id, name, key, checker, rule })),
  ));
