// A two-thread pager service with a lost wake-up: the worker that loads the file's one block
// wakes the waiters before it marks the block loaded, so a waiter that re-checks in between sees
// it loading still and waits again, for a wake-up that never comes. Whichever check sees the
// request it holds go unanswered (a hang, a READ never answered, a request left at quiescence),
// the failure signs as `lost-wakeup:condvar block loaded` (fuzz/signature_test.ts).
import {
  CondVar,
  Mutex,
  type PagerService,
  parseScenario,
  type Scenario,
  serveReads,
  type ServiceContext,
  supplyFromBacking,
  type Sys,
  type ThreadBody,
} from "../../mod.ts";

/**
 * Two readers of one two-page file (one block), served by the service
 * registered as `lost-wakeup`; `failInsteadOfBlock` readers finish at once
 * and leave the request outstanding at quiescence.
 */
export function twoReaders(failInsteadOfBlock: boolean): Scenario {
  return parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs", service: { kind: "custom", name: "lost-wakeup" } }],
    vmos: [{ name: "file", pager: "fs", pages: 2 }],
    threads: [0, 1].map((page) => ({
      name: `r${page}`,
      ops: [{ op: "read", vmo: "file", page }],
      failInsteadOfBlock,
    })),
  }, "two readers of one block");
}

/** The service; with `lost` false the loader marks the block loaded, then wakes the waiters. */
export function blockService(lost: boolean): PagerService {
  return function* (sys: Sys, ctx: ServiceContext): ThreadBody {
    const m = new Mutex(sys, "block");
    const loaded = new CondVar(sys, "block loaded");
    let state: "absent" | "loading" | "loaded" = "absent";
    const worker = (s: Sys) =>
      serveReads(s, ctx, function* (packet, vmo) {
        yield* m.lock(s);
        if (state === "absent") {
          state = "loading";
          yield* m.unlock(s);
          yield* s.vmoGetSize(vmo.handle); // reading the block: a scheduling point
          if (lost) yield* loaded.broadcast(s); // BUG: wakes before the block is marked loaded
          yield* m.lock(s);
          state = "loaded";
          if (!lost) yield* loaded.broadcast(s);
        } else {
          while (state !== "loaded") yield* loaded.wait(s, m);
        }
        yield* m.unlock(s);
        yield* supplyFromBacking(s, ctx, vmo, packet.offset, packet.length);
      });
    sys.spawn("worker-2", worker);
    yield* worker(sys);
  };
}

export default blockService(true);
