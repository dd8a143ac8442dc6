// packet-discipline's `pager-closed` rule: a VMO detaches because its pager closed only in a step
// that closed the pager's last handle by the trace's closes (a `zx_handle_replace` hands the pager
// to its new handle). A kernel whose replace runs the last-close path on an object that still
// holds the new handle (`kernel.ts:609:9` true, a blind spot of the fresh shard 1 of 8 on db8cb50;
// docs/mutation.md, helpers triage24, lever24c) fails it on the judge's program 83 (a
// `#reducedRights` replace of the pager handle), which passes unmutated. Switched on in an
// instrumented mirror of the project (mutate/mutant_mirror.ts), as a `program:K` probe runs it.
import { strict as assert } from "node:assert";
import { sharedProgramMirror } from "../program/testdata/program_verdict.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const mirror = sharedProgramMirror(["kernel/kernel.ts"]);

Deno.test("packet-discipline: a pager-closed detach after a replace that kept the pager open fails", async () => {
  const { verdict } = await mirror();
  assert.equal(verdict(83).kind, "pass", "program 83 unmutated");
  const v: Any = verdict(83, "kernel/kernel.ts:619:9:ConditionalExpression:true");
  assert.equal(v.kind, "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "packet-discipline", JSON.stringify(v));
  assert.match(
    v.message,
    /^pager-closed: vmo\d+ detached as pager-closed, but pager\d+ still has an open handle by the trace's closes/,
  );
});
