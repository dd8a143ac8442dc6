// detached-access K12 on zx_pager_op_range: OP_FAIL and OP_DIRTY of a detached VMO are BAD_STATE
// once their argument and range checks pass (spec 2.5.1, 2.5.2), never ZX_OK, nor NOT_FOUND.
// Zircon's own pager tests, run as the campaign judge runs them (expectations left out, kernel
// checkers alone), pass unmutated; with the detach check of kernel/vmo_pages.ts `pagerOp`
// (OP_FAIL) or `dirty` (OP_DIRTY) switched off, detached-access fails them. Both mutants passed
// every checker before (docs/mutation.md, blind-spot triage of sample cee8f81).
import { conformanceMutantSteps } from "../mutate/_conformance_mutants.ts";

const CASES: [id: string, name: string, key: string, rule: RegExp][] = [
  [
    "P69",
    "FailAfterDetach",
    "kernel/vmo_pages.ts:1014:13:ConditionalExpression:false",
    /^K12: t\d+ zx_pager_op_range\(FAIL\) on detached vmo\d+ returned ZX_OK$/,
  ],
  [
    "W68",
    "ResolveDirtyRequestAfterDetach",
    "kernel/vmo_pages.ts:1204:9:ConditionalExpression:false",
    /^K12: t\d+ zx_pager_op_range\(DIRTY\) on detached vmo\d+ returned ZX_(OK|ERR_NOT_FOUND)$/,
  ],
];

Deno.test("detached-access: OP_FAIL and OP_DIRTY of a detached VMO that pass its detach check fail Zircon's pager tests", (t) =>
  conformanceMutantSteps(
    t,
    "kernel/vmo_pages.ts",
    CASES.map(([id, name, key, rule]) => ({
      what: `${id} ${name}`,
      id,
      name,
      key,
      checker: "detached-access",
      rule,
    })),
  ));
