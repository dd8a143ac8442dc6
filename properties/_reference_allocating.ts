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

/** The calls {@linkcode referenceArgumentStatus} has checks for. */
export const REFERENCE_ARGUMENT_CHECKED: ReadonlySet<string> = new Set([
  "zx_vmo_create_contiguous",
]);

/**
 * The argument checks a call's reference makes before anything it looks up or allocates, beyond
 * the table's alignments and handle lookups, as a status (ZX_OK: they pass), for the calls that
 * have any: an allocation failure comes after them. `zx_vmo_create_contiguous`: a size of 0, or an
 * alignment outside `[log2(page size), 64)` but for 0 (the page size), is INVALID_ARGS before the
 * BTI is even looked up (sys_vmo_create_contiguous, zircon/kernel/lib/syscalls/ddk.cc @
 * gnoliyil/fuchsia 014097ec; zx_vmo_create_contiguous.md).
 *
 * @example
 * ```ts
 * import { referenceArgumentStatus } from "./_reference_allocating.ts";
 * console.assert(referenceArgumentStatus("zx_vmo_create_contiguous", [0, 0, 0], 4096) === -10);
 * console.assert(referenceArgumentStatus("zx_vmo_create_contiguous", [0, 4096, 12], 4096) === 0);
 * console.assert(referenceArgumentStatus("zx_vmo_create", [0, 0], 4096) === 0);
 * ```
 */
export function referenceArgumentStatus(
  name: string,
  args: readonly unknown[],
  pageSize: number,
): number {
  if (!REFERENCE_ARGUMENT_CHECKED.has(name)) return 0;
  const [, size, align] = args;
  if (typeof size !== "number" || !Number.isInteger(size) || size <= 0 || size >= 2 ** 64) {
    return INVALID_ARGS;
  }
  if (typeof align !== "number" || !Number.isInteger(align)) return INVALID_ARGS;
  if (align !== 0 && (align < Math.log2(pageSize) || align >= 64)) return INVALID_ARGS;
  return 0;
}

/** ZX_ERR_INVALID_ARGS (errors.h), written here so this reference reads no kernel module. */
const INVALID_ARGS = -10;
