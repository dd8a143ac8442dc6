import type { OpenFile, ServiceContext, Status, Sys, Syscall } from "../../../../mod.ts";
import blobby, { close, contract } from "../blobby.ts";
export { close, contract };
export default blobby;
// deno-lint-ignore require-yield
export function* open(_sys: Sys, _ctx: ServiceContext, file: OpenFile): Syscall<[Status, number]> {
  let h = 0;
  for (;;) h = (h + file.id) | 0; // decompressing an endless blob header
}
