// Deno 2.9.6's `Worker.terminate()` does not stop a worker busy in user code that never yields
// (tools/busy_worker_terminate.ts): the thread runs on at full speed until the process ends. A
// campaign used to replace each stopped worker and go on, so a service that spins in many runs
// piled up spinning threads: `--seconds 25 --workers 2` on the trial's spin service ran 17 runs
// in 26 s with eleven spinning threads and its RSS growing from 285 to 730 MiB. Now the campaign
// counts the threads that may still spin (CONTROL.spinning) and starts no worker once there are
// more of them than workers: it ends early, its hang written, and its summary says why.
//
// Run as a user runs it, in a subprocess (fuzz/testdata/fuzz_cli.ts), which takes the spinning
// threads with it when it exits.
import { strict as assert } from "node:assert";
import { readCaseFile } from "../case/store.ts";
import { FUZZ, run, summaryOf } from "./testdata/fuzz_cli.ts";
import { SERVICE_HANG } from "./signature.ts";
import { summaryText } from "../cli/fuzz.ts";
import { progressLine } from "./orchestrate.ts";

const SPINS = ["--service", "examples/testdata/trial/spin_service.ts", "--checkers", "kernel"];

Deno.test("a service that spins in every run: the campaign stops starting workers once more threads may spin than it has, and says so", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-spin-" });
  try {
    const flags = ["--seed", "3", "--run-timeout", "1", "--confirm-timeout", "2"];
    const workers = ["--workers", "2", "--corpus", dir];
    const r = await run([...FUZZ, ...SPINS, ...flags, ...workers, "--seconds", "60", "--json"]);
    assert.equal(r.code, 1, r.err);
    const s = summaryOf(r.out);
    assert.ok(s.spinningCap, JSON.stringify(s));
    // Each slot ends at its first stop past the cap; confirmation runs go one at a time.
    assert.ok(s.spinning > 2 && s.spinning <= 2 * 2 + 1, `spinning ${s.spinning}`);
    // Ended by the cap, long before the budget (not by it).
    assert.ok(s.seconds < 60, `the campaign took ${s.seconds.toFixed(1)}s`);
    const hang = s.findings.find((f) => f.signature === SERVICE_HANG);
    assert.ok(hang !== undefined, JSON.stringify(s.findings));
    assert.equal((await readCaseFile(hang.file)).expected, "service-hang");
    // The text summary says why it ended before its budget; the progress line counts them.
    assert.match(
      summaryText(s),
      /ended before its budget: \d+ stopped threads may still be spinning/,
    );
    // userS26s: the coverage of the few runs before the hang is noise (all 0, 18 "never reached").
    assert.match(
      summaryText(s),
      /^coverage: not shown: the hang above ended the campaign after \d+ runs? \(\d+ steps\)/m,
    );
    assert.doesNotMatch(
      summaryText(s),
      /^(sometimes \(runs|never reached:|delivered to the services:)/m,
    );
    const p = { runs: s.runs, ofRuns: null, elapsed: s.seconds, budgetSeconds: 60, states: null };
    const line = progressLine({
      ...p,
      failures: 1,
      spinning: s.spinning,
      distinct: 1,
      shrinking: 0,
      rssMiB: 1,
    });
    assert.match(line, new RegExp(`spinning threads ${s.spinning}`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
