// trial32b (session 32), variant (c) (case/testdata/userS32b/c_packet_short.ts): a request's
// packet one page shorter than the request. K5 said only `K5: vmo1005 malformed packet
// {...,"offset":0,"length":64}`, a packet that meets every condition docs/rules.md listed for K5;
// the fault, its length against its request's, went unsaid. The message now names it.
import { strict as assert } from "node:assert";
import { loadScenarioFile } from "../cli/sim.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { signatureOf } from "../properties/signature.ts";
import { makeKernel } from "./testdata/userS32b/c_packet_short.ts";

Deno.test("K5 names a packet's length against its request's (userS32b variant c)", async () => {
  const scenario = await loadScenarioFile(
    new URL("./testdata/userS32b/read2.json", import.meta.url).pathname,
  );
  const v = runScenario(scenario, { seed: 1, monitors: kernelInvariants(), makeKernel }).verdict;
  assert.ok(v.kind === "invariant" && v.invariant === "packet-discipline", JSON.stringify(v));
  assert.match(
    v.message,
    /^K5: vmo\d+ malformed packet: length 64 against READ request #1 \[0,2\) \(128 bytes: 2 pages\) \{/,
  );
  assert.equal(signatureOf(v), "invariant:packet-discipline:K5");
});
