/**
 * Which calls may fail with ZX_ERR_NO_MEMORY once their argument checks passed, as the
 * oracle sees it: taken from the calls' reference pages, never from the kernel model's own list
 * (`kernel/alloc_fault.ts`), so a model that injects failures where it should not is caught. The
 * syscall contract (K27) and the program contract both judge injected allocation failures by it.
 *
 * @module
 */

/**
 * The calls that make or grow something and list ZX_ERR_NO_MEMORY on their reference pages
 * (zx_vmo_create.md, zx_vmo_create_contiguous.md, zx_vmo_write.md, zx_pager_supply_pages.md,
 * zx_pager_create_vmo.md, zx_vmo_create_child.md, zx_vmo_set_size.md, zx_handle_duplicate.md,
 * zx_port_create.md, zx_pager_create.md, zx_event_create.md): where an injected allocation
 * failure may land.
 *
 * @example
 * ```ts
 * import { REFERENCE_ALLOCATING } from "./_reference_allocating.ts";
 * console.assert(REFERENCE_ALLOCATING.has("zx_port_create") && !REFERENCE_ALLOCATING.has("zx_vmo_read"));
 * ```
 */
export const REFERENCE_ALLOCATING: ReadonlySet<string> = new Set([
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
