// userS28s (case/testdata/userS28s): bugs/fs_spin.ts's service thread spawns a worker that spins
// while it starts (step 0).
// 1. `repro` of its campaign case printed no `threads:` line, no trace and no `stuck:` line, and
//    named the thread only "t2"; `sim` of scen_small.json printed the `stuck:` line, with a note
//    that "the guarded replay ... did not end at step -1". The guard's stop before the worker
//    came out through its parent's code (the service's `sys.spawn`), which took it as the
//    parent's fault: sim's run ended there (the setup's trace, but a thread-fault run), and
//    repro's case went on to its second pager, whose worker spun again.
// 2. With `--confirm-timeout` equal to `--run-timeout`, the note at the stop said that value
//    skips the wait, and the run went again anyway.
import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";
import { stuckLines } from "./_guard.ts";
import { loadScenarioFile } from "./sim.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { withService } from "../scenario/bind.ts";
import { loadServiceModule } from "../case/store.ts";
import { StoppedBefore } from "../sim/world.ts";

const DATA = "case/testdata/userS28s";

Deno.test("the guard's stop before a worker its service spawned while starting stops the run there", async () => {
  const scenario = await loadScenarioFile(`${DATA}/scen_small.json`);
  const spin = await loadServiceModule(`${DATA}/bugs/fs_spin.ts`);
  let stopped: unknown = null;
  try {
    const run = runScenario(withService(scenario, "user"), {
      seed: 1,
      services: { user: spin },
      stopBefore: { step: 0, tid: 2 },
    });
    assert.fail(`the run ended: ${run.verdict.kind}`);
  } catch (e) {
    stopped = e;
  }
  assert.ok(stopped instanceof StoppedBefore, String(stopped));
  assert.equal(stopped.thread.name, "worker-a1");
  assert.equal(stopped.thread.role, "service");
});

Deno.test("a guarded replay that missed a thread stuck while starting says so without a step -1", () => {
  const [, note] = stuckLines({ step: 0, tid: 2 }, "w", { runTimeout: 2 }, false);
  assert.equal(
    note,
    "note: the guarded replay of the run did not stop just before t2 started: the trace above " +
      "may not be the stopped run's",
  );
  const [, later] = stuckLines({ step: 9, tid: 3 }, "w", { runTimeout: 2 }, false);
  assert.match(later, /did not stop just before t3 ran at step 9: /);
});

Deno.test("repro of a hang in a spawned worker while starting prints what sim prints: threads, trace, stuck line", async () => {
  // The case records --run-timeout 2 (confirmed at 4); equal flags skip the confirmation run.
  const r = await denoOutput([
    "run",
    "-A",
    "cli/repro.ts",
    `${DATA}/corpus/service-hang-no-yield-fs-spin-2ab797cb.json`,
    "--run-timeout",
    "1",
    "--confirm-timeout",
    "1",
  ]);
  assert.equal(r.code, 0, r.out + r.err); // reproduced, as recorded
  assert.match(r.out, /^threads: t0 setup, t1 "p0\.svc" \(service\), t2 "worker-a1" \(service\)$/m);
  assert.match(r.out, /^#0 t0 zx_pager_create/m, "the setup's trace");
  assert.match(
    r.out,
    /^stuck: t2 "worker-a1" \(service\) never yielded at step 0, while starting .*, running a thread the service spawned \(.*fs_spin\.ts\): its code ran past the --run-timeout 1s run limit \(not run again: --confirm-timeout 1 is not above it\) without making a syscall; the trace above is the setup before it$/m,
  );
  assert.doesNotMatch(r.out, /was stopped too|step -1/);
  assert.match(r.err, /not running it again: --confirm-timeout 1 is not above --run-timeout/);
  assert.doesNotMatch(r.err, /running it again with/);
});
