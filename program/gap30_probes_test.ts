// The campaign judge probe written for two open keys of session 30 (docs/mutation.md, helper
// gap30): `program:gap30-edges` (`gap30EdgesProgram`: a COMMIT of a grown pager VMO's zero
// interval, dirty-state's K17 commit row; a pin of a fresh clone of a supplied pager VMO, then a
// read of the clone, read-content's pin row), passing unmutated and failing on each mutant.
import { strict as assert } from "node:assert";
import { judgeProgram } from "../mutate/mutant_mirror.ts";
import { ZX_OK } from "../kernel/constants.ts";
import { gap30EdgesProgram } from "./generate.ts";
import { programMonitors, runProgram } from "./run.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/** `gap30EdgesProgram` with `file` instrumented, unmutated and under each key (a throw as text). */
const judge = (file: string, keys: readonly string[]) =>
  judgeProgram(file, "gap30EdgesProgram", keys);

Deno.test("gap30EdgesProgram passes: the grown page committed Dirty, the pinned clone reads the root's fills", () => {
  const r = runProgram(gap30EdgesProgram(), { seed: 0, monitors: programMonitors });
  assert.equal(r.verdict.kind, "pass", JSON.stringify(r.verdict));
  assert.deepEqual(r.results[0].map((x) => x?.status), new Array(15).fill(ZX_OK));
});

Deno.test("a COMMIT that leaves a zero interval (vmo_pages.ts:532:18 `;`) fails dirty-state's K17 commit row", async () => {
  const { base, mutants } = await judge("kernel/vmo_pages.ts", [
    "kernel/vmo_pages.ts:532:18:CallExpression:;",
  ]);
  assert.equal(base.verdict.kind, "pass");
  assert.equal(mutants[0].kind, "invariant", JSON.stringify(mutants[0]));
  assert.equal(mutants[0].invariant, "dirty-state");
  assert.match(
    mutants[0].message,
    /^K17: vmo\d+ page 1 is still a zero interval after a COMMIT of pages \[1,2\) returned ZX_OK: a commit allocates a zero interval's pages Dirty$/,
  );
});

Deno.test("a pin of a clone that commits nothing first (vmo_pages.ts:696:30 `{}`) fails read-content: the pinned pages read zeros, not the root's", async () => {
  const { base, mutants } = await judge("kernel/vmo_pages.ts", [
    "kernel/vmo_pages.ts:696:30:BlockStatement:{}",
  ]);
  assert.equal(base.verdict.kind, "pass");
  assert.equal(mutants[0].kind, "invariant", JSON.stringify(mutants[0]));
  assert.equal(mutants[0].invariant, "read-content");
  assert.match(
    mutants[0].message,
    /^R1: t\d+ read byte 0x0 of its VMO \(the kernel says vmo\d+\) = 0x0; the model of its content says 0x3a$/,
  );
});
