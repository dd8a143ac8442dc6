// The guarded property's worker takes the first case even when that case reached it while its
// modules still loaded: Deno 2.9.6 drops, or holds until some later wake-up of the worker, a
// message that arrives at a worker in the middle of a top-level await when no "message" listener
// is attached yet. The watchdog posts the first case right after starting the worker, and the
// worker awaits the service module's import before it listened: a service module that took a
// while to load stalled the first case (session 38, host38: the guarded host did not spin for
// 120 s inside the full CI; in a process of the property's, a stall past 60 s reads as a hang).
import { strict as assert } from "node:assert";
import { parseScenario } from "../scenario/schema.ts";
import { Runner } from "./_guarded_runner.ts";

const SLOW = new URL("./testdata/host38/slow_load.ts", import.meta.url).href;

Deno.test("the guarded worker runs the first case posted while its service module still loads", async () => {
  const runner = new Runner(
    { serviceUrl: SLOW, serviceModule: SLOW, services: { mine: null }, checkers: "kernel" },
    { runTimeout: 600, confirmTimeout: 600, memoryMb: 256 },
  );
  const scenario = parseScenario({
    pagers: [{ name: "fs", service: { kind: "custom", name: "mine" } }],
    vmos: [{ name: "data", pager: "fs", pages: 4, key: 1 }],
    threads: [{ name: "reader", ops: [{ op: "read", vmo: "data", page: 2, pages: 1 }] }],
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    // Loading takes ~0.3 s and the case a few ms; 30 s leaves room for a loaded machine.
    const outcome = await Promise.race([
      runner.exec([scenario, [], 1], 600),
      new Promise<"stalled">((r) => timer = setTimeout(() => r("stalled"), 30_000)),
    ]);
    assert.deepEqual(outcome, { kind: "done", failure: null });
  } finally {
    clearTimeout(timer);
    runner.close();
  }
});
