// A two-thread pager service with a lock-order inversion: the first worker takes `inode` then
// `cache`, the second `cache` then `inode`. A campaign or `deno task explore` finds the deadlock
// and the hang report names the wait-for cycle (services/sync_test.ts).
import {
  Mutex,
  serveReads,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
} from "../../mod.ts";

import { type PagerService, parseScenario, type Scenario } from "../../mod.ts";

/**
 * Two readers of one two-page file, served by the service registered as
 * `locking`: each worker takes one READ, so the two lock orders meet.
 */
export const TWO_READERS: Scenario = parseScenario({
  pageSize: 64,
  pagers: [{ name: "fs", service: { kind: "custom", name: "locking" } }],
  vmos: [{ name: "file", pager: "fs", pages: 2 }],
  threads: [
    { name: "r0", ops: [{ op: "read", vmo: "file", page: 0 }] },
    { name: "r1", ops: [{ op: "read", vmo: "file", page: 1 }] },
  ],
}, "two readers");

/** The service; with `inverted` false both workers take `inode` then `cache` (no deadlock). */
export function lockingService(inverted: boolean): PagerService {
  return function* (sys: Sys, ctx: ServiceContext): ThreadBody {
    const inode = new Mutex(sys, "inode");
    const cache = new Mutex(sys, "cache");
    const worker = (first: Mutex, second: Mutex) => (s: Sys) =>
      serveReads(s, ctx, function* (packet, vmo) {
        yield* first.lock(s);
        yield* s.vmoGetSize(vmo.handle); // a scheduling point while holding the first lock
        yield* second.lock(s);
        yield* supplyFromBacking(s, ctx, vmo, packet.offset, packet.length);
        yield* second.unlock(s);
        yield* first.unlock(s);
      });
    sys.spawn("worker-2", inverted ? worker(cache, inode) : worker(inode, cache));
    yield* worker(inode, cache)(sys);
  };
}

export default lockingService(true);
