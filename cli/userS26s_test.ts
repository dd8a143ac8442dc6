// userS26s wrote a blobfs-like pager from the README in a clone's own folder (blobfs/); these are
// the CLI's answers to what they read wrongly (case/testdata/userS26s holds their modules).
import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";
import { threadStack } from "./_output.ts";

const DATA = "case/testdata/userS26s";

Deno.test("a thread fault's stack shows the service's frames and none of pagersim's, and says which were left out", async () => {
  const r = await denoOutput([
    "run",
    "--allow-read",
    "cli/sim.ts",
    "--scenario",
    `${DATA}/small.json`,
    "--service",
    `${DATA}/thrower.ts`,
    "--seed",
    "1",
    "--trace",
    "none",
  ]);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(
    r.out,
    /^ {4}at throwPager \(file:\/\/\/.*\/case\/testdata\/userS26s\/thrower\.ts:\d+:\d+\)$/m,
  );
  // It showed `at throwPager (file:///.../scenario/service_contract.ts:443:19)` above
  // "(pagersim's scheduler frames omitted)".
  assert.doesNotMatch(r.out, /service_contract\.ts/);
  assert.match(r.out, /^ {4}\(pagersim's frames below your code omitted\)$/m);
});

Deno.test("threadStack: a user's folder in the clone is the user's; pagersim's frames between the user's stay", () => {
  const own = (p: string) => new URL(`../${p}`, import.meta.url).href;
  const world = `    at World.#advance (${own("sim/world.ts")}:651:17)`;
  const stack = [
    "Error: boom",
    `    at cb (${own("blobfs/svc.ts")}:3:9)`,
    `    at serveReads (${own("services/_lib/serve.ts")}:40:5)`,
    `    at svc (${own("blobfs/svc.ts")}:8:3)`,
    "    at svc.next (<anonymous>)",
    `    at svc (${own("scenario/service_contract.ts")}:443:19)`,
    world,
  ].join("\n");
  assert.equal(
    threadStack(stack),
    [...stack.split("\n").slice(0, 4), "    (pagersim's frames below your code omitted)"].join(
      "\n",
    ),
  );
  // Only pagersim's own code (a built-in service): all of it, to the scheduler.
  const builtin = ["Error: x", `    at serve (${own("services/batching.ts")}:9:1)`, world].join(
    "\n",
  );
  assert.equal(
    threadStack(builtin),
    [
      "Error: x",
      `    at serve (${own("services/batching.ts")}:9:1)`,
      "    (pagersim's scheduler frames omitted)",
    ]
      .join("\n"),
  );
});

// userS26s: blobfs's `close` entry closed a VMO's handle while its service thread still supplied
// through it: `#33 t1 zx_pager_supply_pages -> ZX_ERR_BAD_HANDLE`, then `verdict: pass` and
// nothing said. In Zircon the value may name another object by then. A note, not a verdict: the
// reference services do the same (cli/_handle_note.ts).
for (const command of ["sim", "repro"]) {
  Deno.test(`${command}: service code using a handle the service itself closed gets a note; the run is unchanged`, async () => {
    const r = await denoOutput([
      "run",
      "--allow-read",
      `cli/${command}.ts`,
      "--scenario",
      `${DATA}/lifecycle.json`,
      "--service",
      `${DATA}/blobfs_pager.ts`,
      "--seed",
      "1",
      "--trace",
      "none",
    ]);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(
      r.out,
      /^note: t1 "fs\.svc" \(the service's thread\) called zx_pager_supply_pages at step 33 with handle 0x90, which the service's `close` entry \(t3 "owner"\) had closed at step 26: here ZX_ERR_BAD_HANDLE, but in Zircon a closed handle's value may be reused/m,
    );
    assert.match(r.out, /^verdict: pass after 42 steps$/m);
    // The trace hash of the user's log (sim_lifecycle_badhandle_seed1.txt): the note only watches.
    assert.match(r.out, /^trace-hash: 952a30af2b026be7$/m);
  });
}

Deno.test("no handle note when an environment event closed the handle the service then used", async () => {
  const { executePlan, planRun } = await import("../fuzz/campaign.ts");
  const { campaignScenario } = await import("../fuzz/engine.ts");
  const { loadServiceModule } = await import("../case/store.ts");
  const { contractOf } = await import("../scenario/service_contract.ts");
  const { NAMED_SERVICES } = await import("../zoo/registry.ts");
  const { HandleReuseNote } = await import("./_handle_note.ts");
  const { ZX_ERR_BAD_HANDLE } = await import("../kernel/constants.ts");
  const service = await loadServiceModule("examples/my_service.ts");
  let badRuns = 0;
  // Campaign seed 1's runs 0-49 of the README's service: its closeVmo events make some of its
  // calls return BAD_HANDLE (runs 20, 26, 48), none on a handle it closed itself.
  for (let k = 0; k < 50; k++) {
    const plan = planRun(1, k);
    const scenario = campaignScenario(plan, "user", contractOf(service)?.contract);
    const note = new HandleReuseNote();
    let world: { threads: readonly { role: string }[] } | null = null;
    let bad = 0;
    executePlan(
      plan,
      scenario,
      {
        monitors: () => [note, {
          name: "bad-handle-count",
          stepHook: (w) => (world = w, null),
          onEvent: (e) => {
            if (e.k === "ret" && e.status === ZX_ERR_BAD_HANDLE) {
              if (world?.threads[e.tid - 1]?.role === "service") bad++;
            }
          },
        }],
        services: { ...NAMED_SERVICES, user: service },
      },
      undefined,
      false,
    );
    if (bad > 0) badRuns++;
    assert.equal(note.note(), null, `run ${k}`);
  }
  assert.ok(badRuns >= 3, `runs whose service got BAD_HANDLE: ${badRuns}`);
});
