// read-content's clones of clones and R5, with the draw-free `cloneOfClone` and `sliceFirstReads`
// ends of pin-layout threads (program/generate.ts): the mutants of kernel/vmo_pages.ts's
// placement of an at-least-on-write child and of kernel/objects.ts's clone lookup they kill, and
// READs sized from the wrong offsets through a slice, each switched on in one instrumented mirror
// and judged on the programs of the mutate judge (mutate/judges.ts `judgeProgram`). Before them
// the campaign judge survived these: read-content left every clone of a clone unjudged, and held
// a READ only inside the call's pages (docs/mutation.md, "Clones of clones and first READs").
import { type FirstProgramsCase, stepsKillOnFirstPrograms } from "./testdata/program_verdict.ts";

/** The judge's programs searched: the first with a pin layout whose thread reaches its end. */
const PROGRAMS = 20;

const CASES: FirstProgramsCase[] = [
  [
    "kernel/vmo_pages.ts:1405:30:ConditionalExpression:false",
    "a child of a clone always hangs from the root (misses the clone's fork)",
    /^R1: .* = 0x5a; the model of its content says 0x61$/,
  ],
  [
    "kernel/vmo_pages.ts:1404:73:ArithmeticOperator:nodeOff - lim",
    "a child of a clone looks for the clone's pages in the wrong range (misses its fork)",
    /^R1: .* = 0x5a; the model of its content says 0x61$/,
  ],
  [
    "kernel/objects.ts:426:11:ConditionalExpression:false @end+0:35",
    "a clone's lookup walks past the pages a clone between holds (the root shows through)",
    /^R1: .* the model of its content says 0x61$/,
  ],
  [
    "kernel/vmo_pages.ts:547:50:ArithmeticOperator:stop - off",
    "COMMIT through a slice at page 1 sizes its READ from the slice's end less its offset",
    /^R5: .* asked READ #\d+ \[1,2\) .* the READ covers \[1,3\)$/,
  ],
  [
    "kernel/vmo_pages.ts:488:43:ArithmeticOperator:p - off",
    "a read through a slice at page 1 starts its READ's run at page 0 (present): an empty READ",
    /empty range/,
    "kernel-assertion",
  ],
  [
    "kernel/vmo_pages.ts:540:15:ConditionalExpression:true @end+0:27",
    "COMMIT of a child hung from a clone reads the owner of a page past that clone's limit",
    /^TypeError: Cannot read properties of null \(reading 'owner'\)$/,
    "thread-fault",
  ],
];

Deno.test("read-content's clone chains and R5 kill vmo_pages.ts's child placement and slice READ mutants, and a COMMIT past a clone's limit", async (t) => {
  await stepsKillOnFirstPrograms(t, PROGRAMS, CASES, "read-content");
});
