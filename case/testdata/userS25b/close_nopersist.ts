import type { OpenFile, ServiceContext, Status, Sys, Syscall, ThreadBody } from "../../../mod.ts";
import { makeFs } from "./fs_core.ts";
// The user's bug_close_nopersist.ts, held to their contract with writeback (contract.ts left it
// out: with opens, fuzz crashed).
export { contract } from "./contract_with_writeback.ts";
const fs = makeFs({ closeNoPersist: true });
export default function* service(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* fs.serve(sys, ctx);
}
export function* open(sys: Sys, ctx: ServiceContext, f: OpenFile): Syscall<[Status, number]> {
  return yield* fs.open(sys, ctx, f);
}
export function* close(sys: Sys, ctx: ServiceContext, f: OpenFile): Syscall<Status> {
  return yield* fs.close(sys, ctx, f);
}
export function* flush(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* fs.flush(sys, ctx);
}
