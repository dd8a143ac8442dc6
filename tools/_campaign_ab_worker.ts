/**
 * The worker side of `tools/campaign_ab.ts`: loads the bench's campaign runner of the checkout
 * its URL's fragment names (`tools/_bench_runner.ts`, that checkout's modules in this worker's
 * own heap) and runs the runs the main side asks for; answers with their steps and CPU time.
 *
 * @module
 */
import { benchRunner, cpuSeconds } from "./_bench_runner.ts";

/** A batch the main side asks for: campaign runs `from..to-1`. */
export interface BatchAsk {
  readonly from: number;
  readonly to: number;
}

/** A worker's answer: the steps and CPU seconds of one batch (steps -1: the checkout failed to load). */
export interface BatchAnswer {
  readonly steps: number;
  readonly seconds: number;
  readonly error?: string;
}

/** The worker side: one checkout's runner, running the batches the main side asks for. */
export async function serve(root: string): Promise<void> {
  const scope = self as unknown as {
    onmessage: (m: MessageEvent<BatchAsk>) => void;
    postMessage: (x: BatchAnswer) => void;
  };
  let bench;
  try {
    bench = await benchRunner(new URL(root));
  } catch (e) {
    scope.postMessage({ steps: -1, seconds: 0, error: (e as Error).message });
    return;
  }
  const { runner, record } = bench;
  scope.onmessage = ({ data: { from, to } }) => {
    const t0 = cpuSeconds();
    let steps = 0;
    for (let k = from; k < to; k++) steps += runner.run(k, record).steps;
    scope.postMessage({ steps, seconds: cpuSeconds() - t0 });
  };
  scope.postMessage({ steps: 0, seconds: 0 }); // ready
}

if (location.hash.length > 1) await serve(decodeURIComponent(location.hash.slice(1)));
