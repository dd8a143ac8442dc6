import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";

const root = new URL("../", import.meta.url);
const SERVICE = "fuzz/testdata/contracted_writeback_service.ts";
const OUT = "fuzz/testdata/out_of_contract.json";

/** `deno run` of a CLI `command` from the project root: its exit code, stdout and stderr. */
const cli = (command: string, ...args: string[]) =>
  denoOutput(
    ["run", "--allow-read", "--allow-write=/tmp", "--allow-run=deno", command, ...args],
    root.pathname,
  );

const REFUSAL = new RegExp(
  // The module as given, not the name the harness registers it under ("user": userS23b).
  `^error: ${OUT}: out of the contract of service ${SERVICE}: clause vmoOptions\\.trapDirty: ` +
    `VMO "a" is created trap-dirty \\(vmos\\.0\\.trapDirty\\): set vmos\\[0\\]\\.trapDirty to false ` +
    `in ${OUT}\\n$`,
);

Deno.test("sim, repro and explore refuse an out-of-contract scenario in one line naming the clause, exit 2", async () => {
  const runs = await Promise.all([
    cli("cli/sim.ts", "--service", SERVICE, "--scenario", OUT),
    cli("cli/repro.ts", "--service", SERVICE, "--scenario", OUT, "--seed", "1"),
    cli("cli/explore.ts", "--service", SERVICE, "--scenario", OUT, "--preemptions", "1"),
  ]);
  for (const r of runs) {
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, REFUSAL);
    assert.ok(!r.err.includes("    at "), "no stack");
  }
  // The same scenario without the contract runs (the writeback service answers DIRTY).
  const free = await cli(
    "cli/sim.ts",
    "--service",
    "fuzz/testdata/writeback_service.ts",
    "--scenario",
    OUT,
    "--trace",
    "none",
  );
  assert.equal(free.code, 0, free.err);
});

Deno.test('sim, repro and explore refuse a VMO without TRAP_DIRTY under trapDirty "always" (the fxfs port), naming the clause', async () => {
  const fxfs = "examples/fxfs_pager.ts";
  const plain = "fuzz/testdata/plain_vmo.json";
  const refusal = new RegExp(
    `^error: ${plain}: out of the contract of service ${fxfs}: clause vmoOptions\\.trapDirty: ` +
      `VMO "a" is created without TRAP_DIRTY \\(the contract says always\\) ` +
      `\\(vmos\\.0\\.trapDirty\\): set vmos\\[0\\]\\.trapDirty to true in ${plain}\\n$`,
  );
  const runs = await Promise.all([
    cli("cli/sim.ts", "--service", fxfs, "--scenario", plain),
    cli("cli/repro.ts", "--service", fxfs, "--scenario", plain, "--seed", "1"),
    cli("cli/explore.ts", "--service", fxfs, "--scenario", plain, "--preemptions", "1"),
  ]);
  for (const r of runs) {
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, refusal);
  }
  // The trap-dirty form of the same scenario runs.
  const ok = await cli("cli/sim.ts", "--service", fxfs, "--scenario", OUT, "--trace", "none");
  assert.equal(ok.code, 0, ok.err);
});

Deno.test("a --service module with a malformed contract is one error line naming the field, exit 2", async () => {
  const r = await cli("cli/sim.ts", "--service", "fuzz/testdata/bad_contract_service.ts");
  assert.equal(r.code, 2);
  assert.match(
    r.err,
    /^error: --service fuzz\/testdata\/bad_contract_service\.ts: contract\.vmoOptions\.trapDirty: [^\n]*\n$/,
  );
});

Deno.test("repro --campaign replays a contracted service's run inside its contract", async () => {
  // Run 1 of campaign 11 has trap-dirty VMOs, closePager and writeback events without a contract.
  const r = await cli(
    "cli/repro.ts",
    "--campaign",
    "11",
    "--run",
    "1",
    "--service",
    SERVICE,
    "--trace",
    "none",
  );
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /trace-hash: [0-9a-f]{16}/);
});
