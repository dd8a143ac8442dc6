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
