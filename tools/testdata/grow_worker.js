// A worker that grows its heap by some hundreds of MiB, then says so (tools/worker_rss.ts).
const a = [];
for (let i = 0; i < 8_000_000; i++) a.push({ i, s: "x" + i });
self.postMessage(a.length);
