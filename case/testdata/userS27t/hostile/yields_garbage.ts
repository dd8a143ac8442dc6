// Hostile: yields something that is not a syscall.
import type { ServiceContext, Sys, ThreadBody } from "../../../../mod.ts";
export default function* yieldsGarbage(_sys: Sys, _ctx: ServiceContext): ThreadBody {
  // deno-lint-ignore no-explicit-any
  yield 42 as any;
}
