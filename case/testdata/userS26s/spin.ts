// Hostile: the worker pool, but the second worker spins forever without a syscall.
import type { OpenFile, ServiceContext, Status, Sys, Syscall, ThreadBody } from "../../../mod.ts";
import { ZX_OK, ZX_TIME_INFINITE } from "../../../mod.ts";
import { makeBlobfs } from "./blobfs_core.ts";
export { contract } from "./blobfs_core.ts";
const fs = makeBlobfs();
export default function* spinPager(sys: Sys, ctx: ServiceContext): ThreadBody {
  const [st] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE); // take one packet, then spin
  if (st === ZX_OK) {
    let x = 0;
    for (;;) x = (x + 1) | 0;
  }
  yield* fs.serve(sys, ctx);
}
export function* open(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<[Status, number]> {
  return yield* fs.open(sys, ctx, file);
}
export function* close(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<Status> {
  return yield* fs.close(sys, ctx, file);
}
