// A worker that fails outside any run (userS25b: the generator's ScenarioError under opens +
// writeback) made `runs 0`, a stack trace, and exit 0: a harness error must never read as a pass.
import { strict as assert } from "node:assert";
import { FUZZ, run } from "./testdata/fuzz_cli.ts";

Deno.test("a campaign whose worker fails prints one error line, no stack, and exits 2", async () => {
  const corpus = await Deno.makeTempDir({ prefix: "worker_error_" });
  try {
    const r = await run([
      ...FUZZ,
      "--service",
      "fuzz/testdata/worker_only_error_service.ts",
      "--lint-warn", // its worker check is a host-thread import, on purpose
      "--workers",
      "1",
      "--runs",
      "5",
      "--corpus",
      corpus,
    ]);
    assert.equal(r.code, 2, r.out + r.err);
    const line = /^error: worker 0: (.*)$/m.exec(r.out)?.[1] ?? "";
    assert.match(line, /^CaseFileError: .*the module threw while loading.*RangeError: worker-only/);
    assert.doesNotMatch(r.out + r.err, /^ - second line/m);
    assert.doesNotMatch(r.out + r.err, /^\s+at /m);
    assert.match(r.err, /^fuzz: 1 harness error\(s\) above: not a pass$/m);
  } finally {
    await Deno.remove(corpus, { recursive: true });
  }
});
