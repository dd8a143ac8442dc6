// Generators called and dropped: their bodies never run (a lost wake-up that type-checks).
import { CondVar, Mutex } from "../../../services/sync.ts";
import type { Sys, ThreadBody } from "../../../sim/sys.ts";

function* helper(sys: Sys): ThreadBody {
  yield* sys.portCreate(0);
}

export function* service(sys: Sys): ThreadBody {
  const m = new Mutex(sys, "m");
  const cv = new CondVar(sys, "cv");
  yield* m.lock(sys);
  cv.broadcast(sys); // ✗
  cv.signal(sys); // ✗
  yield* m.unlock(sys);
  sys.portCreate(0); // ✗
  helper(sys); // ✗

  // Look-alikes: iterated, kept, returned or not generators at all.
  yield* cv.signal(sys);
  const later = helper(sys);
  yield* later;
  sys.atomicStore(sys.futexWord(0), 1);
  sys.checkpoint("between packets");
  [1, 2].forEach((x) => x + 1);
  return;
}
