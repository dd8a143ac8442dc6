// Hostile: verification "asserts" and throws on the first READ.
import type { OpenFile, ServiceContext, Status, Sys, Syscall, ThreadBody } from "../../../mod.ts";
import { isRead, ZX_OK, ZX_TIME_INFINITE } from "../../../mod.ts";
import { makeBlobfs } from "./blobfs_core.ts";
export { contract } from "./blobfs_core.ts";
const fs = makeBlobfs();
export default function* throwPager(sys: Sys, ctx: ServiceContext): ThreadBody {
  const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
  if (st === ZX_OK && packet !== null && isRead(packet)) {
    throw new Error(`merkle root missing for key ${packet.key}`);
  }
  yield* fs.serve(sys, ctx);
}
export function* open(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<[Status, number]> {
  return yield* fs.open(sys, ctx, file);
}
export function* close(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<Status> {
  return yield* fs.close(sys, ctx, file);
}
