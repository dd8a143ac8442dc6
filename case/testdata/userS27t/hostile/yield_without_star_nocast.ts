// Hostile (a common slip): `yield` instead of `yield*` on one call deep in a helper.
import {
  isRead,
  type ServiceContext,
  type ServiceVmo,
  type Status,
  supplyFromBacking,
  type Sys,
  type Syscall,
  type ThreadBody,
  vmoForKey,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../../../../mod.ts";

function* verifyThenSupply(
  sys: Sys,
  ctx: ServiceContext,
  vmo: ServiceVmo,
  off: number,
  len: number,
): Syscall<Status> {
  // @ts-expect-error -- kept as userS27t wrote it (TS2322: a Syscall is not a KernelYield)
  yield sys.vmoGetSize(vmo.handle); // BUG: should be yield*
  return yield* supplyFromBacking(sys, ctx, vmo, off, len);
}

export default function* svc(sys: Sys, ctx: ServiceContext): ThreadBody {
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    const vmo = packet === null ? undefined : vmoForKey(ctx, packet.key);
    if (vmo === undefined || !isRead(packet)) continue;
    yield* verifyThenSupply(sys, ctx, vmo, packet.offset, packet.length);
  }
}
