/**
 * Whether `Worker.terminate()` stops a worker busy in a loop, on this Deno: the worker counts in a
 * `SharedArrayBuffer` without ever returning to its event loop; after `terminate()` the count is
 * read again. On Deno 2.9.6 it goes on at full speed (why mutate/'s pool also sets a stop flag
 * its hit limit reads: mutate/ns.ts `armHitLimit`, test mutate/stop_test.ts).
 *
 *     deno run tools/busy_worker_terminate.ts
 *
 * @module
 */

const counter = new Int32Array(new SharedArrayBuffer(4));
const body =
  "self.onmessage = (e) => { const c = new Int32Array(e.data); for (;;) Atomics.add(c, 0, 1); };";
const worker = new Worker(`data:application/javascript,${encodeURIComponent(body)}`, {
  type: "module",
});
worker.postMessage(counter.buffer);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
await sleep(1000);
const before = Atomics.load(counter, 0);
worker.terminate();
const atTerminate = Atomics.load(counter, 0);
await sleep(2000);
const after = Atomics.load(counter, 0) - atTerminate;
console.log(`counted ${before} in the second before terminate(), ${after} in the 2 s after`);
console.log(after > 0 ? "terminate() did not stop the busy worker" : "terminate() stopped it");
Deno.exit(0);
