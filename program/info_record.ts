/**
 * The `zx_info_vmo_t` record a successful `zx_object_get_info(vmo, ZX_INFO_VMO, buffer)` copied
 * out to the caller's buffer, as the trace's `store` events of the call show its bytes, against
 * upstream's layout: `zx_info_vmo_t` begins with `zx_koid_t koid` (a uint64_t; struct
 * zx_info_vmo in zircon/system/public/zircon/syscalls/object.h @ gnoliyil/fuchsia), stored in
 * the byte order of the architectures Zircon runs on (x86-64, arm64, riscv64: little-endian).
 * The record's koid must be the one the call handed back in its info. Nothing else of the
 * record is judged (the model writes the koid only).
 *
 * @module
 */

import { ZX_INFO_VMO_BYTES } from "../kernel/constants.ts";

/**
 * Why the bytes stored by the call (`stores`, in the order the trace showed them) are not a
 * `zx_info_vmo_t` of the VMO whose koid is `koid`, or undefined when they are.
 *
 * @example
 * ```ts
 * import { infoRecordProblem } from "./info_record.ts";
 * const record = new Uint8Array(160);
 * new DataView(record.buffer).setBigUint64(0, 1025n, true);
 * console.assert(infoRecordProblem([record.subarray(0, 5), record.subarray(5)], 1025) === undefined);
 * console.assert(infoRecordProblem([record], 1026) !== undefined);
 * ```
 */
export function infoRecordProblem(
  stores: readonly Uint8Array[],
  koid: number,
): string | undefined {
  const length = stores.reduce((n, b) => n + b.length, 0);
  if (length < 8) return `stored ${length} bytes of its record, fewer than the koid's 8`;
  const record = new Uint8Array(length);
  let at = 0;
  for (const b of stores) {
    record.set(b, at);
    at += b.length;
  }
  const stored = new DataView(record.buffer).getBigUint64(0, true);
  if (stored !== BigInt(koid)) {
    return `stored a record whose koid (its first 8 bytes, little-endian) is ${stored}; the call's info says ${koid}`;
  }
  if (length > ZX_INFO_VMO_BYTES) {
    return `stored ${length} bytes, more than a zx_info_vmo_t's ${ZX_INFO_VMO_BYTES}`;
  }
  return undefined;
}
