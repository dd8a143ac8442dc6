/**
 * Seeded bugs for the exploration tests: kernel variants that drop the VMO
 * lock in the middle of an operation, each one overridden step of the model.
 * Each variant is harmless unless two lock drops interleave in exactly one
 * order, which takes two preemptions:
 *
 * - {@linkcode EarlyWakeSupplyKernel}: supply wakes waiters before inserting
 *   the pages, and a woken reader looks the page up, drops the lock, and then
 *   requests it on the strength of that stale lookup. Supply wakes (1st lock
 *   drop), the reader finds the page absent (2nd), supply inserts, the
 *   reader requests a present page: nobody will ever resolve it (a hang).
 * - {@linkcode TwoPhaseDetachKernel}: detach wakes waiters first and marks
 *   the source detached later; the same stale reader then sends a request
 *   after COMPLETE was queued (a kernel assertion, spec K6).
 *
 * @module
 */

import type { Status } from "../kernel/constants.ts";
import { Kernel, type Syscall } from "../kernel/kernel.ts";
import type { KThread, Page, Vmo } from "../kernel/objects.ts";
import type { RequestType, Waiter } from "../kernel/page_source.ts";
import { sourceOf, VmoPages } from "../kernel/vmo_pages.ts";

/** A reader that, after a wake, drops the lock between its lookup and its request. */
class StaleRetryPages extends VmoPages {
  readonly #woken = new WeakSet<Waiter>();

  protected override *requestPages(
    t: KThread,
    root: Vmo,
    w: Waiter,
    type: RequestType,
    start: number,
    end: number,
  ): Syscall<Status> {
    if (!w.earlyWake || !this.#woken.has(w)) {
      this.#woken.add(w);
      return yield* super.requestPages(t, root, w, type, start, end);
    }
    // The seeded bug: after a wake the lock is dropped between the lookup and the request.
    const source = sourceOf(root);
    const detachedAtLookup = source.detached;
    yield { kind: "syscall", name: "zx_vmo_read.retry" };
    const detachedNow = source.detached;
    source.detached = detachedAtLookup;
    try {
      return yield* super.requestPages(t, root, w, type, start, end);
    } finally {
      source.detached = detachedNow;
    }
  }
}

/** Supply wakes the waiters of the pages it is about to insert, drops the lock, then inserts. */
class EarlyWakeSupplyPages extends StaleRetryPages {
  protected override *insertSupplied(
    t: KThread,
    vmo: Vmo,
    base: number,
    pages: readonly (Page | undefined)[],
  ): Syscall<Status> {
    const source = sourceOf(vmo);
    if (!source.detached) {
      let run = -1;
      for (let p = base; p <= base + pages.length; p++) {
        const fill = p < base + pages.length && vmo.slots[p] === undefined;
        if (fill && run < 0) run = p;
        if (!fill && run >= 0) {
          source.onPagesSupplied(run, p); // wakes waiters before the pages are there
          run = -1;
        }
      }
      yield { kind: "syscall", name: "zx_pager_supply_pages.insert" };
    }
    // Requests made while the lock was dropped are resolved by the insert, as they should be.
    return yield* super.insertSupplied(t, vmo, base, pages);
  }
}

/** A kernel whose readers retry on a stale lookup after a wake. */
class StaleRetryKernel extends Kernel {
  protected override createPages(): VmoPages {
    return new StaleRetryPages(this);
  }
}

/** Seeded bug 1: supply wakes waiters, drops the lock, then inserts the pages. */
export class EarlyWakeSupplyKernel extends StaleRetryKernel {
  protected override createPages(): VmoPages {
    return new EarlyWakeSupplyPages(this);
  }
}

/** Seeded bug 2: detach wakes waiters, drops the lock, then marks the source detached. */
export class TwoPhaseDetachKernel extends StaleRetryKernel {
  protected override *detachVmo(t: KThread, vmo: Vmo): Syscall<void> {
    const source = sourceOf(vmo);
    if (!source.detached) {
      source.detach(); // completes every request and wakes its waiters...
      source.detached = false; // ...but new requests are refused only in the second phase
      yield { kind: "syscall", name: "zx_pager_detach_vmo.finish" };
    }
    yield* super.detachVmo(t, vmo);
  }
}
