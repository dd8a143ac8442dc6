/**
 * The allocation point of a program run with allocation failures injected: every allocating call
 * ({@linkcode ALLOCATING}, the oracle's own list of the calls the kernel's
 * kernel/alloc_fault.ts `ALLOCATING_CALLS` must name) that returns `ZX_OK` got past its argument checks
 * and allocated, so the run's injection hook was asked about it on the way
 * (`KernelObjects.allocFailure`), whether or not it chose to fail it. A call that succeeds
 * without the hook being asked skipped its allocation point: an injected failure could never
 * reach it, and a campaign that injects failures tests nothing there.
 *
 * Upstream, each of these calls lists `ZX_ERR_NO_MEMORY` ("Failure due to lack of memory") in
 * its reference (gnoliyil/fuchsia docs/reference/syscalls/vmo_create.md, vmo_write.md,
 * pager_supply_pages.md, vmo_create_child.md, handle_duplicate.md, port_create.md,
 * event_create.md), and each succeeding path allocates (e.g. `VmObjectPaged::Create`,
 * `Handle::Make` in zircon/kernel/object/handle.cc): so no argument that passes can skip it.
 * The oracle asks the hook, not the kernel model: it wraps the hook the world installed. And a
 * call the hook chose to fail returns `ZX_ERR_NO_MEMORY` (kernel/alloc_fault.ts: the injected
 * failure is the call's answer, "and changes nothing"): a kernel that asked and went on anyway
 * would inject nothing either.
 *
 * @module
 */

import type { KernelObjects } from "../kernel/kernel_objects.ts";
import { statusName, ZX_ERR_NO_MEMORY, ZX_OK } from "../kernel/constants.ts";

/**
 * The calls that allocate, so a run that injects allocation failures must ask its hook about each
 * one that succeeds: every call whose reference lists `ZX_ERR_NO_MEMORY` ("Failure due to lack of
 * memory": gnoliyil/fuchsia docs/reference/syscalls/vmo_create.md, vmo_create_contiguous.md,
 * vmo_write.md, pager_supply_pages.md, pager_create_vmo.md, vmo_create_child.md, vmo_set_size.md,
 * handle_duplicate.md, port_create.md, pager_create.md, event_create.md) and the simulator runs.
 * Written here, not imported from the kernel (kernel/alloc_fault.ts `ALLOCATING_CALLS`, the same
 * eleven names; alloc_point_test.ts holds the two equal): an oracle that took the kernel's list
 * would forgive a kernel that dropped a call from it (shard 3 of 8 on db8cb50's blind spots
 * `alloc_fault.ts:38:3`, `:43:3`, docs/mutation.md).
 */
export const ALLOCATING: ReadonlySet<string> = new Set([
  "zx_vmo_create",
  "zx_vmo_create_contiguous",
  "zx_vmo_write",
  "zx_pager_supply_pages",
  "zx_pager_create_vmo",
  "zx_vmo_create_child",
  "zx_vmo_set_size",
  "zx_handle_duplicate",
  "zx_port_create",
  "zx_pager_create",
  "zx_event_create",
]);

/** Which program threads' calls reached the allocation-failure hook, call by call. */
export class AllocPoint {
  /** Kernel tids whose current call asked the hook. */
  readonly #asked = new Set<number>();
  /** Kernel tids whose current call the hook chose to fail. */
  readonly #failed = new Set<number>();
  /** The hook is installed (the run injects failures). */
  readonly #active: boolean;

  /** Wraps `kernel`'s allocation-failure hook, if the run has one, to note who asks it. */
  constructor(kernel: Pick<KernelObjects, "allocFailure">) {
    const inner = kernel.allocFailure;
    this.#active = inner !== null;
    if (inner === null) return;
    kernel.allocFailure = (t, name) => {
      this.#asked.add(t.tid);
      const fail = inner(t, name);
      if (fail) this.#failed.add(t.tid);
      return fail;
    };
  }

  /** Kernel thread `tid` starts a call. */
  start(tid: number): void {
    this.#asked.delete(tid);
    this.#failed.delete(tid);
  }

  /**
   * Kernel thread `tid`'s call `name` returned `status`: what is wrong, if the hook failed it and it
   * did not return ZX_ERR_NO_MEMORY, or if it is an allocating
   * call that succeeded without asking the hook.
   */
  end(tid: number, name: string, status: number): string | undefined {
    if (this.#failed.has(tid) && status !== ZX_ERR_NO_MEMORY) {
      return `returned ${statusName(status)}, though the injected-failure hook failed it ` +
        "(an injected failure returns ZX_ERR_NO_MEMORY)";
    }
    if (!this.#active || status !== ZX_OK || !ALLOCATING.has(name)) return undefined;
    return this.#asked.has(tid) ? undefined : "returned ZX_OK but never reached its " +
      "allocation point (the injected-failure hook was not asked: a failure could not happen)";
  }
}
