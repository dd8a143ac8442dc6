// The campaign judge's `program:shard5-edges` probe (`shard5EdgesProgram`), the contract's
// CloneCommitFloor (program/clone_commit_floor.ts), CommitCeiling kept across a read of a
// plain VMO (program/commit_ceiling.ts `readsPlain`) and ChildCount following each PMT
// (program/child_count.ts), written from blind spots of the fresh shard
// 5 of 8 on db8cb50 (docs/mutation.md, helper triage30a): a COMMIT of a clone of a pager VMO
// makes every page the clone sees of its parent its own (`Pager.CloneCommitTest`), and a read of
// a plain VMO's absent page commits nothing (the zero page). It passes unmutated, and each of
// `vmo_pages.ts:542:30` `hit === null` (a clone's COMMIT forks no page that has parent content)
// and `:281:23` `tgt.frames !== null` (a read of a plain VMO's absent page commits it) fails the
// program contract, as does `kernel_vmar.ts:434:5` `;` (a pin that never lets go of its VMO: a
// child pinned, unpinned and closed still counts as its root's child).
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_OK } from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("shard5EdgesProgram passes unmutated; a clone COMMIT that forks nothing of its parent, a plain read that commits, and a pin that keeps its VMO fail the contract", async () => {
  const m = await mutantMirror(["kernel/vmo_pages.ts", "kernel/kernel_vmar.ts"]);
  try {
    const { shard5EdgesProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () => runProgram(shard5EdgesProgram(), { seed: 0, monitors: programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    const results = base.results[0];
    assert.ok(results.every((r: Any) => r.status === ZX_OK), JSON.stringify(results));
    // The clone's two pages under its parent are its own; the third, past the parent's end, is
    // not judged (the model leaves it absent).
    assert.equal(results[9].info.committedBytes, 2 * 4096);
    assert.equal(results[12].info.committedBytes, 4096);
    assert.equal(results[18].info.committedBytes, 0, "the read of the decommitted plain VMO");
    assert.equal(results[26].info.numChildren, 0, "the pinned clone unpinned and closed");
    const cases: [string, string][] = [
      [
        "kernel/vmo_pages.ts:542:30:EqualityOperator:hit === null",
        "t0#9 zx_object_get_info reports committed_bytes 0, but a COMMIT of the clone left 2 " +
        "pages it sees of its parent (8192 bytes) its own",
      ],
      [
        "kernel/vmo_pages.ts:281:23:EqualityOperator:tgt.frames !== null",
        "t0#18 zx_object_get_info reports committed_bytes 8192, but a DECOMMIT left 2 of its " +
        "pages absent (at most 0 bytes committed)",
      ],
      [
        "kernel/kernel_vmar.ts:434:5:CallExpression:;",
        "t0#26 zx_object_get_info reports 1 children; by the children made of it and of those of " +
        "them that died, 0",
      ],
    ];
    for (const [key, message] of cases) {
      const v = m.withMutant(key, () => run().verdict);
      assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
      assert.equal(v.invariant, "program-contract", `${key}: ${JSON.stringify(v)}`);
      assert.equal(v.message, message, key);
    }
  } finally {
    m.dispose();
  }
});
