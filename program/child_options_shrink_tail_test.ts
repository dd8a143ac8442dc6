// Two draw-free tails of the pin-layout programs (program/generate.ts): `childOptionEdges`
// (zx_vmo_create_child with no child type, two types, an unknown bit, an unaligned offset: each
// INVALID_ARGS, vmo_create_child.md) and `unalignedShrink` (a resize to a page and a half zeroes
// the rest of the last page, vmo_set_size.md; read-content's model keeps a known last page's
// head and zeros its tail). The judge's first programs pass unmutated; the first that fails with
// each mutant of kernel/vmo_pages.ts fails as named. Both mutants passed every campaign probe on
// the fresh shard of b573f09 (docs/mutation.md, gap list E of session 21).
import { stepsKillOnFirstPrograms } from "./testdata/program_verdict.ts";

Deno.test("a child with no type or two, and the zeroed tail of an unaligned resize: vmo_pages.ts mutants", (t) =>
  stepsKillOnFirstPrograms(t, 13, [
    [
      "kernel/vmo_pages.ts:1364:51:ConditionalExpression:false",
      "zx_vmo_create_child: two child types are not INVALID_ARGS",
      /zx_vmo_create_child returned ZX_OK; the handle model says ZX_ERR_INVALID_ARGS$/,
      "program-contract",
    ],
    [
      "kernel/vmo_pages.ts:1338:18:ArithmeticOperator:size * this.pageSize",
      "zx_vmo_set_size to an unaligned size leaves the last page's tail as it was",
      /^R1: t\d+ read byte 0x[0-9a-f]+ of its VMO \(the kernel says vmo\d+\) = 0x3c; the model of its content says 0x0$/,
      "read-content",
    ],
  ]));
