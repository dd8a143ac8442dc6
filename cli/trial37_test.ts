// trial37 wrote a read-ahead chunk pager from the README alone (trial37/ of branch trial37) and
// reported what the commands told it badly (its TRIAL.md). Each test is one of its reports.
import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const DATA = "cli/testdata/trial37";

Deno.test("a truncated scenario file is named at line and column, as a truncated case is (F9)", async () => {
  // Was: `not valid JSON: Unexpected token ']', ..."es": 1 }, ] " is not valid JSON`, no place;
  // V8 names none for an unexpected token, where a truncated case got `(line 6 column 8)`.
  const file = `${DATA}/badcases/truncated.json`;
  const expected = `error: ${file}: not valid JSON: Unexpected token ']', ..."es": 1 }, ] " ` +
    `is not valid JSON (line 4 column 94)\n`;
  const sim = await denoOutput([
    "run",
    "--allow-run=deno",
    "--allow-read",
    "--allow-env=INIT_CWD",
    "cli/sim.ts",
    "--scenario",
    file,
  ], ROOT);
  assert.equal(sim.code, 2, sim.out + sim.err);
  assert.equal(sim.err, expected);
  const explore = await denoOutput([
    "run",
    "--allow-run=deno",
    "--allow-read",
    "--allow-write",
    "--allow-env=INIT_CWD",
    "cli/explore.ts",
    "--scenario",
    file,
    "--service",
    `${DATA}/chunk_pager.ts`,
    "--preemptions",
    "0",
  ], ROOT);
  assert.equal(explore.code, 2, explore.out + explore.err);
  assert.equal(explore.err, expected);
});

Deno.test("--contract-json and a corpus's bad file are named at their place too (F9)", async () => {
  const contract = await denoOutput([
    "run",
    "--allow-run=deno",
    "--allow-read",
    "--allow-env=INIT_CWD",
    "cli/sim.ts",
    "--service",
    `${DATA}/chunk_pager.ts`,
    "--contract-json",
    '{"threads": {"min": 2, "max": ]}}',
  ], ROOT);
  assert.equal(contract.code, 2, contract.out + contract.err);
  assert.match(contract.err, /^error: --contract-json: not valid JSON: .* \(line 1 column 31\)\n$/);
  const dir = await Deno.makeTempDir({ prefix: "pagersim-trial37-" });
  try {
    await Deno.copyFile(`${ROOT}${DATA}/badcases/truncated.json`, `${dir}/truncated.json`);
    const list = await denoOutput([
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env=INIT_CWD",
      "cli/corpus.ts",
      "list",
      dir,
    ], ROOT);
    assert.equal(list.code, 1, list.out + list.err);
    assert.match(list.out + list.err, /truncated\.json: not valid JSON: .* \(line 4 column 94\)/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
