/**
 * userS32b (trial32b), finding 2: a kernel variant whose READ stops one page short of the read
 * (`testdata/userS32b/e_request_short.ts`, the user's variant (e): populate asks for
 * `[start, end - 1)` of a 2+-page run) passed every scenario check: sim on `read2.json` seeds
 * 1-3, fuzz 0 of 2000 runs, explore of `two_readers_3p.json` (518 schedules). The reader asks
 * again for the last page, so every read returns its bytes; only program mode's R5 and the
 * conformance rows saw the second packet. packet-discipline's `sizing` now judges an undersized
 * READ too (spec 3.4: a READ extends to the end of the read or commit, cut only at a page with
 * content, an outstanding READ or the VMO's end).
 */
import { strict as assert } from "node:assert";
import { runScenario } from "../scenario/interpreter.ts";
import { scenarioCheckers } from "./kinds.ts";
import { settleVerdict } from "../properties/check_case.ts";
import { signatureOf } from "../fuzz/signature.ts";
import { type Kernel, type KernelOptions, parseScenario, type Scenario } from "../mod.ts";
import { makeKernel as shortRequest } from "./testdata/userS32b/e_request_short.ts";

function scenario(file: string): Scenario {
  return parseScenario(
    JSON.parse(
      Deno.readTextFileSync(new URL(`./testdata/userS32b/${file}`, import.meta.url)),
    ),
  );
}

/** Each seed's signature (`pass` for a passing run) and message, random and PCT in turn. */
function runs(
  input: Scenario,
  seeds: number[],
  makeKernel?: (options: KernelOptions) => Kernel,
): { sig: string; message: string }[] {
  return seeds.map((seed) => {
    const monitors = scenarioCheckers("kernel")();
    const r = runScenario(input, {
      seed,
      strategy: seed % 2 === 0 ? "random" : "pct",
      monitors,
      makeKernel,
    });
    const v = settleVerdict(r, monitors);
    return {
      sig: signatureOf(v, r.verdict) ?? "pass",
      message: v.kind === "invariant" ? v.message : "",
    };
  });
}

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

Deno.test("a READ one page short of a zx_vmo_read fails the scenario checkers (sizing)", () => {
  // Before the fix: all pass (the trace showed READ #1 [0,1) then READ #2 [1,2) for one read).
  for (const x of runs(scenario("read2.json"), [1, 2, 3])) assert.equal(x.sig, "pass");
  for (const x of runs(scenario("read2.json"), [1, 2, 3], shortRequest)) {
    assert.equal(x.sig, "invariant:packet-discipline:sizing");
    assert.match(
      x.message,
      /^sizing: t2 zx_vmo_read of pages \[0,2\) of vmo\d+ asked READ #1 \[0,1\) of vmo\d+, which stops before page 1/,
    );
  }
});

Deno.test("a short READ of a COMMIT fails too; two readers' trimmed READs do not", () => {
  const input = scenario("read2.json");
  const commit: Scenario = {
    ...input,
    threads: [{
      name: "c",
      ops: [{ op: "commit", vmo: "file", page: 0, pages: 3 }],
      failInsteadOfBlock: false,
    }],
  };
  assert.deepEqual(runs(commit, [1, 2]).map((x) => x.sig), ["pass", "pass"]);
  for (const x of runs(commit, [1, 2], shortRequest)) {
    assert.equal(x.sig, "invariant:packet-discipline:sizing");
    assert.match(x.message, /zx_vmo_op_range of pages \[0,3\) .* asked READ #1 \[0,2\)/);
  }
  // Two readers of overlapping ranges: a READ the kernel trims at another's start (spec 3.5
  // step 3) or a present page is right. The model passes every seed; the variant fails.
  const two = scenario("two_readers_3p.json");
  assert.deepEqual(runs(two, SEEDS).filter((x) => x.sig !== "pass"), []);
  const bad = runs(two, SEEDS, shortRequest);
  assert.ok(bad.every((x) => x.sig === "invariant:packet-discipline:sizing"), JSON.stringify(bad));
});
