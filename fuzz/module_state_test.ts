// Regression (a new user's trial): a service keeping a Set at module scope failed thousands of
// campaign runs, because the state leaked from run to run in a worker; the campaign replayed the
// failing run in the same worker (same leaked state), wrote a case, and deno task repro said NOT
// reproduced. The lint now reports the state, and the campaign replays with a new instance of
// the module: such a run is reported as nondeterminism, never written as a case.
import { strict as assert } from "node:assert";

const root = new URL("../", import.meta.url);

Deno.test("a campaign does not write a case that fails only through module state earlier runs left", async () => {
  const corpus = await Deno.makeTempDir({ prefix: "pagersim-leaky-" });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "cli/fuzz.ts",
        "--service",
        "fuzz/testdata/leaky_service.ts",
        "--lint-warn",
        "--runs",
        "40",
        "--workers",
        "1",
        "--seed",
        "1",
        "--corpus",
        corpus,
      ],
      cwd: root,
      env: { NO_COLOR: "1" },
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.match(text, /leaky_service\.ts:13:5: warning: let started .*module-level mutable state/);
    assert.match(text, /but is not a case: the run failed but its replay passed/);
    assert.match(text, /the replay ran a new instance of fuzz\/testdata\/leaky_service\.ts/);
    assert.deepEqual([...Deno.readDirSync(corpus)].map((e) => e.name), [], "no case written");
    // user19: the summary printed a campaign replay line for such a run, which cannot replay it.
    assert.match(text, /^note: --lint-warn ran fuzz\/testdata\/leaky_service\.ts with 1 /m);
    assert.match(
      text,
      /first run \d+; no replay line: run \d+ of it ran differently when replayed \(the run failed but its replay passed[^\n]*\): nondeterminism in the code under test/,
    );
    assert.doesNotMatch(
      text,
      /replay: deno task repro --campaign 1 --run \d+ [^\n]*(?<!--lint-warn\))$/m,
    );
  } finally {
    await Deno.remove(corpus, { recursive: true });
  }
});
