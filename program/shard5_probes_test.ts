// The campaign judge's `program:clone-commit` probe (`cloneCommitProgram`) and the contract's
// CloneCommitFloor (program/clone_commit_floor.ts), written from blind spots of the fresh shard 5
// of 8 on db8cb50 (docs/mutation.md, helper triage30a): a COMMIT of a clone of a pager VMO makes
// every page the clone sees of its parent its own (`Pager.CloneCommitTest`). It passes
// unmutated, and `vmo_pages.ts:542:30` `hit === null` (a clone's COMMIT forks no page that has
// parent content) fails the program contract.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_OK } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("cloneCommitProgram passes unmutated; a clone COMMIT that forks nothing of its parent fails the contract's clone floor", async () => {
  const m = await mutantMirror(["kernel/vmo_pages.ts"]);
  try {
    const { cloneCommitProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () => runProgram(cloneCommitProgram(), { seed: 0, monitors: programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    const results = base.results[0];
    assert.ok(results.every((r: Any) => r.status === ZX_OK), JSON.stringify(results));
    // The clone's two pages under its parent are its own; the third, past the parent's end, is
    // not judged (the model leaves it absent).
    assert.equal(results[9].info.committedBytes, 2 * 4096);
    assert.equal(results[12].info.committedBytes, 4096);
    const v = m.withMutant(
      "kernel/vmo_pages.ts:542:30:EqualityOperator:hit === null",
      () => run().verdict,
    );
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "program-contract", JSON.stringify(v));
    assert.equal(
      v.message,
      "t0#9 zx_object_get_info reports committed_bytes 0, but a COMMIT of the clone left 2 pages " +
        "it sees of its parent (8192 bytes) its own",
    );
  } finally {
    m.dispose();
  }
});
