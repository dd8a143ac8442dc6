/**
 * What process RSS does after a worker that grew is terminated (issue 14: `deno task mutate`'s
 * memory watchdog reads the process RSS): three workers one after another, each growing its heap
 * by some hundreds of MiB (`tools/testdata/grow_worker.js`), RSS printed after each grew and after
 * each was terminated.
 *
 *     deno run --allow-read tools/worker_rss.ts
 *
 * Measured 2026-12-04 (deno 2.9.6): 29 MiB at start, ~790 after a worker grew, ~600 after it was
 * terminated, each of three times: the memory of a terminated worker stays with the process (not
 * glibc's: MALLOC_ARENA_MAX=1 and MALLOC_TRIM_THRESHOLD_=0 change nothing), though later workers
 * reuse it.
 *
 * @module
 */
const mib = () => Math.round(Deno.memoryUsage().rss / 2 ** 20);
console.log(`start: ${mib()} MiB`);
for (let k = 0; k < 3; k++) {
  const w = new Worker(new URL("./testdata/grow_worker.js", import.meta.url), { type: "module" });
  await new Promise((r) => w.onmessage = r);
  console.log(`worker ${k} grown: ${mib()} MiB`);
  w.terminate();
  await new Promise((r) => setTimeout(r, 1500));
  console.log(`worker ${k} terminated: ${mib()} MiB`);
}
