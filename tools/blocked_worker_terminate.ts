/**
 * tools/busy_worker_terminate.ts's twin for a worker blocked in `Atomics.wait` on a cell nothing
 * notifies (the never-yielding fixtures of the hang tests since session 37): the worker marks a
 * `SharedArrayBuffer` cell, then blocks for good; the process's CPU time is read for a second
 * while it blocks and for 2 s after `terminate()` (as properties/guarded_property_test.ts reads
 * it), and a cell the worker would mark if its wait ever returned. On Deno 2.9.6: 0.000 CPU-s
 * both times and the wait never returns, where the busy worker counts on at full speed. Like the
 * busy worker, the terminated thread is not joined (the thread count stays): a process ends it by
 * exiting, as the CLI and the guarded property's child process do.
 *
 *     deno run tools/blocked_worker_terminate.ts
 *
 * @module
 */

const cells = new Int32Array(new SharedArrayBuffer(8));
const body =
  "self.onmessage = (e) => { const c = new Int32Array(e.data); Atomics.store(c, 0, 1); " +
  "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); Atomics.store(c, 1, 1); };";
const worker = new Worker(`data:application/javascript,${encodeURIComponent(body)}`, {
  type: "module",
});
worker.postMessage(cells.buffer);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** This process's user + system CPU time, seconds (every thread's, a worker's too). */
const ticks = () => {
  const u = (Deno as unknown as { cpuUsage(): { user: number; system: number } }).cpuUsage();
  return (u.user + u.system) / 1e6;
};
await sleep(1000);
const blocked = Atomics.load(cells, 0) === 1;
const t0 = ticks();
await sleep(1000);
const whileBlocked = ticks() - t0;
worker.terminate();
const t1 = ticks();
await sleep(2000);
const after = ticks() - t1;
console.log(
  `blocked: ${blocked}; CPU-s: ${whileBlocked.toFixed(3)} in the second blocked, ` +
    `${after.toFixed(3)} in the 2 s after terminate(); ` +
    `the wait returned: ${Atomics.load(cells, 1) === 1}`,
);
console.log(after < 0.05 ? "the blocked worker burns no CPU" : "the process burned CPU");
Deno.exit(0);
