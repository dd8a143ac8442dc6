// read-content R4 and the draw-free `rangeContent` end of pin-layout threads (program/generate.ts):
// the mutants of kernel/vmo_pages.ts's ZERO range arithmetic they kill, each switched on in an
// instrumented mirror of the project (mutate/mutant_mirror.ts) and judged on the programs of the
// mutate judge (mutate/judges.ts `judgeProgram`). Before them the campaign judge survived these:
// read-content applied a pager root's ZERO and every write where the kernel's own stores said
// they landed, and no program wrote, zeroed and read back such ranges (docs/mutation.md,
// "Range arithmetic of vmo_pages.ts").
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { mirrorProgramVerdict } from "./testdata/program_verdict.ts";

/** The judge's programs searched: the first with a pin layout whose thread reaches its end. */
const PROGRAMS = 40;

const CASES: [key: string, what: string, message: RegExp, invariant?: string][] = [
  [
    // Sample 756b652 (seed 14): a gap of both the tests and the campaign judge's, now killed.
    "kernel/vmo_pages.ts:856:11:EqualityOperator:st === ZX_OK",
    "ZERO stops after a partial first page that it zeroed (ZX_OK, the whole pages left)",
    /^R1: .* the model of its content says 0x0$/,
  ],
  [
    "kernel/vmo_pages.ts:892:22:CallExpression:;",
    "ZERO leaves the unpinned whole pages of an anonymous VMO as they were",
    /^R1: .* the model of its content says 0x0$/,
  ],
  [
    "kernel/vmo_pages.ts:891:14:EqualityOperator:to <= last",
    "ZERO's run of unpinned whole pages goes one page past its last",
    /^R4: t\d+ ZERO of \[0x[0-9a-f]+,0x[0-9a-f]+\) stored zeros at .* outside its range there$/,
  ],
  [
    "kernel/vmo_pages.ts:874:60:ArithmeticOperator:to + from",
    "ZERO's partial page writes as many zeros as its range's ends add up to",
    /^R4: t\d+ ZERO of \[0x[0-9a-f]+,0x[0-9a-f]+\) stored zeros at .* outside its range there$/,
  ],
  [
    // Gaps of samples 9070cc1 and 6ddc879: a contiguous VMO's ZERO zeroes in place, page by page.
    "kernel/vmo_pages.ts:981:28:ArithmeticOperator:offset - size",
    "a contiguous VMO's ZERO ends where its range's start less its size ends (nothing zeroed)",
    /^R1: .* = 0x14; the model of its content says 0x0$/,
  ],
  [
    "kernel/vmo_pages.ts:987:20:ArithmeticOperator:Math.min(offset + size, (p + 1) * ps) + p * ps",
    "a contiguous VMO's ZERO zeroes each page to the page's end (past the range's last byte)",
    /^R1: .* = 0x0; the model of its content says 0x14$/,
  ],
  [
    // Sample 756b652 (seed 14): a gap of the campaign judge's, now killed by the contract's
    // existing prediction, which no program reached (no TRAP_DIRTY pager VMO of a known size).
    "kernel/vmo_pages.ts:1200:37:BlockStatement:{}",
    "OP_DIRTY past a TRAP_DIRTY VMO's end goes on to the page loop (NOT_FOUND)",
    /^t\d+#\d+ zx_pager_op_range returned ZX_ERR_NOT_FOUND; the handle model says ZX_ERR_OUT_OF_RANGE$/,
    "program-contract",
  ],
];

Deno.test("read-content R4 and rangeContent kill vmo_pages.ts's ZERO and DIRTY range mutants, contiguous VMOs' too", async (t) => {
  const m = await mutantMirror("kernel/vmo_pages.ts");
  try {
    const verdict = await mirrorProgramVerdict(m);
    const programs = Array.from({ length: PROGRAMS }, (_, k) => k);
    const passing = programs.filter((k) => verdict(k).kind === "pass");
    assert.equal(passing.length, PROGRAMS, "every program passes unmutated");
    for (const [key, what, message, invariant = "read-content"] of CASES) {
      await t.step(what, () => {
        const failed = passing.map((k) => verdict(k, key)).find((v) => v.kind !== "pass");
        assert.ok(failed !== undefined, `no program of the first ${PROGRAMS} fails with ${key}`);
        assert.equal(failed.kind, "invariant", JSON.stringify(failed));
        assert.equal(failed.invariant, invariant, JSON.stringify(failed));
        assert.match(failed.message, message);
      });
    }
  } finally {
    m.dispose();
  }
});
