// A hang on a service Mutex whose owner ended names that owner (user22: a killed thread held the
// volume lock and the hang read as a lost request).
import { strict as assert } from "node:assert";
import { World } from "../sim/world.ts";
import { randomStrategy } from "../sim/strategy.ts";
import { Mutex } from "../services/sync.ts";
import type { Sys } from "../sim/sys.ts";
import { parkedThreads } from "./wait_for.ts";

Deno.test("a thread parked on a mutex whose owner exited holding it says so", () => {
  const world = new World({ pageSize: 64, strategy: randomStrategy(1) });
  let m: Mutex | undefined;
  world.spawn("owner", "workload", function* (sys: Sys) {
    m = new Mutex(sys, "volume");
    yield* m.lock(sys); // and exits without unlocking
  });
  world.spawn("waiter", "workload", function* (sys: Sys) {
    while (m === undefined) yield* sys.handleClose(0);
    yield* m.lock(sys);
  });
  world.run();
  const parked = parkedThreads(world);
  assert.equal(parked.length, 1, parked.join("\n"));
  assert.match(parked[0], /^t2 "waiter" waits on futex 0x[0-9a-f]+ \(mutex volume\)/);
  assert.match(parked[0], /; its owner t1 exited holding it$/);
});
