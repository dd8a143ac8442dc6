/**
 * The worker side of `bench/overhead_ab.ts`: loads the checkout its URL's fragment names and runs
 * the default scenario's batch (seeds 1, 2, ... until 10,000 steps), plain or under all kernel
 * checkers, whenever the main side asks; answers with the batch's steps and CPU time.
 *
 * @module
 */

import process from "node:process";

/** A worker's answer: the steps and CPU microseconds of one batch. */
export interface BatchTime {
  readonly steps: number;
  readonly micros: number;
}

/** The worker side: loads one checkout's modules and runs the batches the main side asks for. */
export async function serve(root: string): Promise<void> {
  const loops = await import(new URL("bench/_loops.ts", root).href);
  const run = await import(new URL("scenario/interpreter.ts", root).href);
  const inv = await import(new URL("properties/kernel_invariants.ts", root).href);
  const scope = self as unknown as {
    onmessage: (m: MessageEvent<boolean>) => void;
    postMessage: (x: BatchTime) => void;
  };
  scope.onmessage = ({ data: checked }) => {
    const u0 = process.cpuUsage();
    let steps = 0;
    for (let s = 1; steps < 10_000; s++) {
      steps += run.runScenario(loops.DEFAULT, {
        seed: s,
        keepTrace: false,
        monitors: checked ? inv.kernelInvariants() : [],
      }).steps;
    }
    const u = process.cpuUsage(u0);
    scope.postMessage({ steps, micros: u.user + u.system });
  };
  scope.postMessage({ steps: 0, micros: 0 }); // ready
}

if (location.hash.length > 1) await serve(decodeURIComponent(location.hash.slice(1)));
