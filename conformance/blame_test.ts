// trial32b #5: a failing conformance row reported only the test's hang (`seed 1: hang at step 8:
// t1 "main" waits on port ...`) and gave no command to rerun it. Each failing row now prints the
// checker that blames the cause when one does (its failing seed run again under the kernel's
// checkers) and the command that reruns that row alone. The variant is trial32b's (c): each
// READ packet one page shorter than its request.
import { strict as assert } from "node:assert";
import { ALL_CASES } from "./cases.ts";
import { isSkipped, useKernel } from "./harness.ts";
import { Report, runCase } from "./run.ts";
import { makeKernel } from "../case/testdata/userS32b/c_packet_short.ts";

Deno.test("a failing row names the checker that blames its cause and prints its rerun line", () => {
  const c = ALL_CASES.find((x) => x.id === "P48")!;
  assert.ok(!isSkipped(c));
  useKernel(makeKernel);
  let o;
  try {
    o = runCase(c);
  } finally {
    useKernel(undefined);
  }
  assert.equal(o.kind, "fail");
  assert.ok(o.kind === "fail");
  assert.match(o.message, /^seed 1: hang at step \d+: /);
  assert.match(
    o.blame ?? "",
    /^seed 1: invariant:packet-discipline \(K5: vmo\d+ malformed packet: length 24576 against READ request #1 \[0,7\)/,
  );
  // The report prints both under the row.
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => lines.push(a.join(" "));
  try {
    const report = new Report({ filter: "P48 ", verbose: false, kernel: "v/c_packet_short.ts" });
    report.row(c, o);
  } finally {
    console.log = log;
  }
  assert.ok(lines.includes(`      checker: ${o.blame}`), lines.join("\n"));
  assert.ok(
    lines.includes(
      "      rerun: deno task conformance --filter 'P48 OverlapCommitSupplyTest' --kernel v/c_packet_short.ts",
    ),
    lines.join("\n"),
  );
  // A row the model passes has no blame to give.
  assert.equal(runCase(c).kind, "pass");
});
