/**
 * Allocation-failure injection: which calls may fail with `ZX_ERR_NO_MEMORY`
 * because the kernel could not allocate, and the hook the simulator sets to
 * decide, per call, whether one does. The kernel never decides this itself:
 * the world asks its recorded decision source (sim/world.ts), so an injected
 * failure is a decision of the run like a thread pick, and replays exactly.
 *
 * An injected failure happens at the call's allocation, after the argument
 * and handle checks the syscall table lists (alignment, then handle lookups),
 * and before any effect: the call returns `ZX_ERR_NO_MEMORY` and changes
 * nothing. The calls are the ones whose Zircon documentation lists
 * `ZX_ERR_NO_MEMORY` ("failure due to lack of memory"; zircon docs
 * reference/syscalls/{vmo_create, vmo_write, pager_supply_pages,
 * pager_create_vmo, vmo_create_child, vmo_set_size, handle_duplicate,
 * port_create, pager_create, event_create}.md). `ZX_PAGER_OP_FAIL` does not
 * accept the code back: `PagerDispatcher::RangeOp` returns INVALID_ARGS for a
 * code outside `PageSource::IsValidExternalFailureCode` (IO,
 * IO_DATA_INTEGRITY, BAD_STATE, NO_SPACE, BUFFER_TOO_SMALL), which excludes
 * NO_MEMORY on purpose (misttech/fuchsia zircon/kernel/vm/page_source.cc @
 * ce4be33a, zircon/kernel/object/pager_dispatcher.cc @ 97195478): a service
 * that passes it on leaves the range unanswered and the reader stranded.
 *
 * @module
 */

import type { KernelThread } from "./objects.ts";

/**
 * Calls that allocate and may fail with `ZX_ERR_NO_MEMORY` under injection.
 *
 * @example
 * ```ts
 * import { ALLOCATING_CALLS } from "./alloc_fault.ts";
 * console.assert(ALLOCATING_CALLS.has("zx_pager_supply_pages") && !ALLOCATING_CALLS.has("zx_vmo_read"));
 * ```
 */
export const ALLOCATING_CALLS: ReadonlySet<string> = new Set([
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

/**
 * Decides whether allocating call `name` of thread `t` fails with
 * `ZX_ERR_NO_MEMORY` (asked only once its argument checks passed).
 */
export type AllocFailure = (t: KernelThread, name: string) => boolean;
