import type { OpenFile, ServiceContext, Status, Sys, Syscall, ThreadBody } from "../../../mod.ts";
import { makeBlobPager } from "./blob_core.ts";
export { contract } from "./blob_core.ts";

const blobfs = makeBlobPager({ bug: "none" });

export default function* blobService(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* blobfs.serve(sys, ctx);
}
export function* open(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<[Status, number]> {
  return yield* blobfs.open(sys, ctx, file);
}
export function* close(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<Status> {
  return yield* blobfs.close(sys, ctx, file);
}
