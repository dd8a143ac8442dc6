/**
 * The allocation point of a program run with allocation failures injected: every allocating call
 * (kernel/alloc_fault.ts `ALLOCATING_CALLS`) that returns `ZX_OK` got past its argument checks
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

import { ALLOCATING_CALLS } from "../kernel/alloc_fault.ts";
import type { KernelObjects } from "../kernel/kernel_objects.ts";
import { statusName, ZX_ERR_NO_MEMORY, ZX_OK } from "../kernel/constants.ts";

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
    if (!this.#active || status !== ZX_OK || !ALLOCATING_CALLS.has(name)) return undefined;
    return this.#asked.has(tid) ? undefined : "returned ZX_OK but never reached its " +
      "allocation point (the injected-failure hook was not asked: a failure could not happen)";
  }
}
