// The correct blobfs pager: verify, then publish to the cache.
import type { OpenFile, ServiceContext, Status, Sys, Syscall, ThreadBody } from "../../../mod.ts";
import { makeBlobfs } from "./blobfs_core.ts";
export { contract } from "./blobfs_core.ts";

const fs = makeBlobfs();
export default function* blobfsPager(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* fs.serve(sys, ctx);
}
export function* open(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<[Status, number]> {
  return yield* fs.open(sys, ctx, file);
}
export function* close(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<Status> {
  return yield* fs.close(sys, ctx, file);
}
