// The program contract's `ChildBirths` (program/child_births.ts), reached by the draw-free
// `childBirths` end of pin-layout threads (program/generate.ts): a child queried at birth
// reports at most half its populated bytes as its own, it and its parent together hold what the
// parent held just before, and a clone of a slice is made of a root's slice and refused
// of a clone's. Each mutant is switched on in one
// instrumented mirror and judged on the programs of the mutate judge (mutate/judges.ts
// `judgeProgram`); before them the campaign judge survived them (docs/mutation.md, "Snapshot
// attribution and a slice's children").
import { type FirstProgramsCase, stepsKillOnFirstPrograms } from "./testdata/program_verdict.ts";

/** The judge's programs searched: the first with a pin layout whose thread reaches its end. */
const PROGRAMS = 20;

const CASES: FirstProgramsCase[] = [
  [
    'kernel/objects.ts:455:61:StringLiteral:""',
    "attribution counts the sharers in the root alone (a snapshot's shared page is its own)",
    /zx_object_get_info: populated_scaled_bytes (\d+) of \1 populated for a child just made/,
  ],
  [
    "kernel/objects.ts:454:43:BlockStatement:{}",
    "attribution walks no clone of the root",
    /zx_object_get_info: populated_scaled_bytes (\d+) of \1 populated for a child just made/,
  ],
  [
    "kernel/objects.ts:470:12:AssignmentOperator:fraction -= this.pageSize / (holders.get(token) ?? 1)",
    "a shared page's share taken away, not added",
    /zx_object_get_info: populated_scaled_bytes -?\d+ of the parent and -?\d+ of the child it just made, \d+ of the parent alone before/,
  ],
  [
    "kernel/objects.ts:461:48:ArithmeticOperator:(holders.get(token) ?? 0) - 1",
    "a shared page's sharers counted down (its share negative)",
    /zx_object_get_info: populated_scaled_bytes -?\d+ of the parent and -?\d+ of the child it just made, \d+ of the parent alone before/,
  ],
  [
    "kernel/vmo_pages.ts:1420:23:EqualityOperator:p <= pages",
    "a snapshot copies one page past its end",
    /zx_object_get_info reports \d+ committed bytes of \d+$/,
  ],
  [
    "kernel/vmo_pages.ts:1388:28:EqualityOperator:base.parent === null",
    "a clone of a slice of a root refused, one of a slice of a clone made",
    /zx_vmo_create_child: (refused a clone of a slice of a pager-backed root|made a clone of a slice of a clone)/,
  ],
  [
    "kernel/vmo_pages.ts:1388:9:ConditionalExpression:false",
    "a clone of a slice of a clone made",
    /zx_vmo_create_child: made a clone of a slice of a clone/,
  ],
];

Deno.test("the contract's ChildBirths kills attribution and slice-clone mutants of objects.ts and vmo_pages.ts", async (t) => {
  await stepsKillOnFirstPrograms(t, PROGRAMS, CASES);
});
