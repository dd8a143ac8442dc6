import type { OpenFile, ServiceContext, Status, Sys, Syscall } from "../../../../mod.ts";
import blobby, { close, contract } from "../blobby.ts";
export { close, contract };
export default blobby;
// deno-lint-ignore require-yield
export function* open(_sys: Sys, _ctx: ServiceContext, _file: OpenFile): Syscall<[Status, number]> {
  // Decompressing an endless blob header: it never returns. Session 37: userS23b's spin_open.ts
  // looped here; it blocks in Atomics.wait on a cell nothing notifies now, the same hang to the
  // watchdog (the thread never returns from its start) without burning a core for each limit.
  const header = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(header, 0, 0);
}
