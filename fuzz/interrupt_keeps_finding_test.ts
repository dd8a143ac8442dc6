// A user trial (userS22): Ctrl-C at 2.4 s of a campaign printed "failing runs 1, new distinct
// failures 0" and wrote nothing. The failing run was counted, its worker was investigating it
// (replaying it in a new instance of the service module before writing the case), and the stop
// grace terminated that worker with the rest. A failing run seen is persisted before anything
// else happens to it: the worker investigating is spared until it wrote the case.
//
// The campaign runs as a user runs it, in a subprocess that gets a real SIGINT; its service
// module (fuzz/testdata/slow_replay_service.ts) says when the investigation began and holds it
// there for longer than the stop grace, so the interrupt lands inside the window every time.
import { strict as assert } from "node:assert";
import { readCorpus } from "../case/store.ts";
import { DENO, FUZZ, summaryOf } from "./testdata/fuzz_cli.ts";

Deno.test({
  name: "SIGINT while a failing run is being investigated: its case is still written",
  ignore: Deno.permissions.querySync({ name: "run" }).state !== "granted",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "pagersim-interrupt-" });
    try {
      const p = new Deno.Command(DENO, {
        args: [
          ...FUZZ,
          "--service",
          "fuzz/testdata/slow_replay_service.ts",
          "--lint-warn", // its module-level timer is the test's window, not a run's input
          "--checkers",
          "kernel+service",
          "--seed",
          "1",
          "--workers",
          "1",
          "--seconds",
          "60",
          "--corpus",
          dir,
          "--json",
        ],
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const out = new Response(p.stdout).text();
      const reader = p.stderr.getReader();
      const decoder = new TextDecoder();
      let err = "";
      let signalled = false;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        err += decoder.decode(value);
        if (!signalled && err.includes("slow_replay_service: investigating")) {
          signalled = true;
          p.kill("SIGINT");
        }
      }
      const status = await p.status;
      assert.ok(signalled, err);
      const summary = summaryOf(await out);
      assert.equal(summary.interrupted, true);
      assert.equal(summary.failingRuns >= 1, true, err);
      // The failing run was counted: its case is on disk, and the summary names it.
      const { cases, errors } = await readCorpus(dir);
      assert.deepEqual(errors, []);
      assert.equal(cases.length, 1, `no case written; stderr: ${err}`);
      assert.equal(cases[0].case.expected, "invariant:answers-every-read");
      assert.equal(summary.findings.length, 1, JSON.stringify(summary.findings));
      assert.equal(status.code, 1, err); // a failure was found (also when interrupted)
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
