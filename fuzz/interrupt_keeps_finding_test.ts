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
import { slowReplayCampaign, spawnActing, summaryOf } from "./testdata/fuzz_cli.ts";

Deno.test({
  name: "SIGINT while a failing run is being investigated: its case is still written",
  ignore: Deno.permissions.querySync({ name: "run" }).state !== "granted",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "pagersim-interrupt-" });
    try {
      const { out, err, status, acted } = await spawnActing(
        [...slowReplayCampaign(dir, ["--seconds", "60"]), "--json"],
        "stderr",
        (text) => text.includes("slow_replay_service: investigating"),
        (p) => p.kill("SIGINT"),
      );
      assert.ok(acted, err);
      const summary = summaryOf(out);
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
