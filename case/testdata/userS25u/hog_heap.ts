import {
  isRead,
  type ServiceContext,
  type Sys,
  type ThreadBody,
  vmoForKey,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../../../mod.ts";
export default function* hog(sys: Sys, ctx: ServiceContext): ThreadBody {
  const cache: Uint8Array[] = [];
  for (;;) {
    const [st, p] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (!isRead(p)) continue;
    const vmo = vmoForKey(ctx, p.key);
    if (vmo === undefined) continue;
    // "prefetch everything": grows without bound, never yields while doing it
    for (;;) cache.push(new Array(1 << 16).fill({ p: 1 }) as unknown as Uint8Array);
  }
}
