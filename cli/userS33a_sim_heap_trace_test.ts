// userS33a (session 33), finding 6: `sim --service hostile/hog.ts --memory 128` (a service that
// allocates without bound while it yields) printed only the verdict, signature and replay: no
// `scenario:`/`threads:` lines and no trace, where a spinning service's run prints the trace up
// to the stuck step. A run that filled the heap now prints its trace up to the step of the heap's
// last sample, replayed with twice the heap. In process: the guard's report of such a stop.
import { strict as assert } from "node:assert";
import { reportStopped } from "./_guard.ts";

const SIM = new URL("./sim.ts", import.meta.url).href;

Deno.test("userS33a (6): sim's report of a run that filled the heap prints its trace up to the last sample", async () => {
  // The default scenario (the test process has no arguments), stopped as if its heap filled with
  // t1 running at step 6.
  const limits = { runTimeout: 60, memoryMb: 256, confirmTimeout: 60 };
  const o = { kind: "out-of-memory", at: { step: 6, tid: 1, entry: 1 }, heapMiB: 250 } as const;
  const out: string[] = [];
  const { log } = console;
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  try {
    await reportStopped(SIM, limits, o, "deno task sim", [], true);
  } finally {
    console.log = log;
  }
  const text = out.join("\n");
  assert.match(text, /^scenario: /m);
  assert.match(text, /^threads: t0 setup, t1 /m);
  assert.match(text, /^#5 /m, "the trace up to step 5");
  assert.doesNotMatch(text, /^#6 /m);
  assert.match(
    text,
    /^heap full: t1 "[^"]+" \(service\) was running at step 6, in the service's body .*, when the worker's heap held 250 MiB of the --memory 256 MiB limit: its code allocates without bound; the trace above is the run up to step 5, just before it/m,
  );
  assert.doesNotMatch(text, /never yielded|^stuck:/m);
  assert.match(text, /^verdict: out-of-memory \(/m);
  assert.match(text, /^replay: deno task sim$/m);
});
