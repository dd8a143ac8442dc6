import {
  serveReads,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
} from "../../../../mod.ts";
import { tick } from "./counter.ts";
export default function* svc3(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* serveReads(sys, ctx, function* (p, vmo) {
    tick();
    yield* supplyFromBacking(sys, ctx, vmo, p.offset, p.length);
  });
}
