// The properties hold for the reference services; PAGERSIM_RUNS raises the runs per property.
import fc from "fast-check";
import { checkersOf } from "../case/kinds.ts";
import { pagerProperty } from "./pager_property.ts";

const RUNS = Number(Deno.env.get("PAGERSIM_RUNS") ?? 300);

function timed(name: string, run: () => void): void {
  const t0 = performance.now();
  run();
  console.log(`${name}: ${RUNS} runs in ${(performance.now() - t0).toFixed(0)} ms`);
}

Deno.test("kernel invariants hold under every reference service and environment event", () => {
  timed(
    "kernel invariants",
    () => fc.assert(pagerProperty(checkersOf("kernel")), { numRuns: RUNS, seed: 20240611 }),
  );
});

Deno.test("service obligations hold for eager, batching and flaky services", () => {
  timed("service obligations", () =>
    fc.assert(
      pagerProperty(checkersOf("kernel+service"), {
        scenario: {
          services: ["eager", "batching", "flaky"],
          events: ["detach", "closeVmo", "suspend", "kill"],
        },
      }),
      { numRuns: RUNS, seed: 20240612 },
    ));
});

Deno.test("kernel invariants hold for larger scenarios with more threads", () => {
  timed("larger scenarios", () =>
    fc.assert(
      pagerProperty(checkersOf("kernel"), {
        scenario: { maxThreads: 5, maxOps: 4, maxVmos: 4, maxPages: 6, maxEvents: 3 },
        decisions: { maxLength: 128 },
      }),
      { numRuns: RUNS, seed: 20240613 },
    ));
});
