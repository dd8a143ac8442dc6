// trial32 (session 32, finding 5): explore printed `note: ... (t1 at step 2216 had not yielded)`
// for a search whose executions were merely long (thousands of steps, each one yielding). The
// watchdog now looks at whether the execution's steps still advance: a long execution is said to
// be one, and only one that stands still "had not yielded".
import { strict as assert } from "node:assert";
import { guardBuffers, startWatchdog, workerGuard } from "./guard.ts";

/** Runs the watchdog over one busy worker whose step advances (or not) until it notes a suspect. */
async function noteFor(advancing: boolean): Promise<string> {
  const buffers = guardBuffers(1);
  const g = workerGuard(buffers, 0);
  g.busy(true);
  g.hooks.execution?.();
  let step = 0;
  g.hooks.watch?.(step, 1, 1);
  const ticker = setInterval(() => {
    if (advancing) g.hooks.watch?.(++step, 1, 1);
  }, 10);
  try {
    return await new Promise<string>((resolve) => {
      const stop = startWatchdog(
        buffers,
        1,
        { runTimeout: 0.3, memoryMb: 1 << 20, confirmTimeout: 600 },
        {
          onSuspect: (line) => {
            stop();
            resolve(line);
          },
          onStop: () => resolve("stopped"),
        },
      );
    });
  } finally {
    clearInterval(ticker);
  }
}

Deno.test("explore's run-limit note: an execution whose steps still advance is long, not stuck", async () => {
  const note = await noteFor(true);
  assert.match(
    note,
    /still making progress \(\d+ steps so far, still advancing: a long execution, not a stuck one/,
  );
  assert.doesNotMatch(note, /had not yielded/);
});

Deno.test("explore's run-limit note: an execution that stands still names the thread that had not yielded", async () => {
  const note = await noteFor(false);
  assert.match(note, /\(t1 at step 0 had not yielded\)/);
});
