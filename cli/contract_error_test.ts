// A bad contract is named whole, as a bad scenario is (a README-only user, userS24: sim printed
// `contract.threads.max: ... (and 1 more)`, hiding `events: ["detach", "evcit"]` and its
// "did you mean evict?"). scenario/service_contract.ts `parseContract`.
import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";

const root = new URL("../", import.meta.url).pathname;

Deno.test('sim --service with the user\'s bad contract lists both problems, the second with did you mean "evict" (exit 2)', async () => {
  const r = await denoOutput([
    "run",
    "--allow-read",
    "--allow-run=deno",
    "--allow-env",
    "cli/sim.ts",
    "--service",
    "case/testdata/userS24c/bad/bad_contract.ts",
  ], root);
  assert.equal(r.code, 2, r.out + r.err);
  assert.equal(r.out, "");
  assert.match(
    r.err,
    /^error: --service case\/testdata\/userS24c\/bad\/bad_contract\.ts: invalid contract:\n {2}- contract\.threads\.max: Invalid input: expected number, received string\n {2}- contract\.events\.1: Invalid option: .*; did you mean "evict"\?\n/,
  );
  assert.doesNotMatch(r.err, /and 1 more/);
});
