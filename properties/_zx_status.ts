/**
 * Zircon's status numbers as upstream publishes them, kept apart from `kernel/constants.ts` so a
 * checker can judge a returned status by its number, not only by the kernel's own name for it.
 *
 * Every checker and the program contract import their status constants from
 * `kernel/constants.ts`, as the kernel does: a status renumbered there (`ZX_ERR_INVALID_ARGS`
 * made +10) is renumbered on both sides of every comparison, and a name emptied in its name
 * table is emptied in every report. This table is the independent side: the numbers of
 * `zircon/system/public/zircon/errors.h` @ gnoliyil/fuchsia 26dba52e (generated from
 * `//zircon/vdso/errors.fidl`), written out here by hand. The flow-control values
 * (`ZX_ERR_STOP`, `ZX_ERR_NEXT`, `ZX_ERR_ASYNC`) are left out: errors.h says they "will never be
 * returned by a system call".
 *
 * @module
 */

import { statusName } from "../kernel/constants.ts";

/** Upstream's number of each status a system call may return, by name (errors.h @ 26dba52e). */
export const UPSTREAM_STATUS: ReadonlyMap<string, number> = new Map([
  ["ZX_OK", 0],
  ["ZX_ERR_INTERNAL", -1],
  ["ZX_ERR_NOT_SUPPORTED", -2],
  ["ZX_ERR_NO_RESOURCES", -3],
  ["ZX_ERR_NO_MEMORY", -4],
  ["ZX_ERR_INTERNAL_INTR_RETRY", -6],
  ["ZX_ERR_INVALID_ARGS", -10],
  ["ZX_ERR_BAD_HANDLE", -11],
  ["ZX_ERR_WRONG_TYPE", -12],
  ["ZX_ERR_BAD_SYSCALL", -13],
  ["ZX_ERR_OUT_OF_RANGE", -14],
  ["ZX_ERR_BUFFER_TOO_SMALL", -15],
  ["ZX_ERR_BAD_STATE", -20],
  ["ZX_ERR_TIMED_OUT", -21],
  ["ZX_ERR_SHOULD_WAIT", -22],
  ["ZX_ERR_CANCELED", -23],
  ["ZX_ERR_PEER_CLOSED", -24],
  ["ZX_ERR_NOT_FOUND", -25],
  ["ZX_ERR_ALREADY_EXISTS", -26],
  ["ZX_ERR_ALREADY_BOUND", -27],
  ["ZX_ERR_UNAVAILABLE", -28],
  ["ZX_ERR_ACCESS_DENIED", -30],
  ["ZX_ERR_IO", -40],
  ["ZX_ERR_IO_REFUSED", -41],
  ["ZX_ERR_IO_DATA_INTEGRITY", -42],
  ["ZX_ERR_IO_DATA_LOSS", -43],
  ["ZX_ERR_IO_NOT_PRESENT", -44],
  ["ZX_ERR_IO_OVERRUN", -45],
  ["ZX_ERR_IO_MISSED_DEADLINE", -46],
  ["ZX_ERR_IO_INVALID", -47],
  ["ZX_ERR_BAD_PATH", -50],
  ["ZX_ERR_NOT_DIR", -51],
  ["ZX_ERR_NOT_FILE", -52],
  ["ZX_ERR_FILE_BIG", -53],
  ["ZX_ERR_NO_SPACE", -54],
  ["ZX_ERR_NOT_EMPTY", -55],
  ["ZX_ERR_PROTOCOL_NOT_SUPPORTED", -70],
  ["ZX_ERR_ADDRESS_UNREACHABLE", -71],
  ["ZX_ERR_ADDRESS_IN_USE", -72],
  ["ZX_ERR_NOT_CONNECTED", -73],
  ["ZX_ERR_CONNECTION_REFUSED", -74],
  ["ZX_ERR_CONNECTION_RESET", -75],
  ["ZX_ERR_CONNECTION_ABORTED", -76],
  ["ZX_ERR_INTERNAL_INTR_KILLED", -502],
]);

/**
 * Why `status`, as a syscall returned it, is not upstream's status of the kernel's name for it,
 * or `undefined` when it is: a non-number, a number the kernel names no status (`undefined`
 * handed back for a status), a status the kernel numbers differently from errors.h, or a name
 * errors.h does not have.
 *
 * @example
 * ```ts
 * import { upstreamStatusProblem } from "./_zx_status.ts";
 * import { ZX_ERR_BAD_STATE } from "../kernel/constants.ts";
 * console.assert(upstreamStatusProblem(ZX_ERR_BAD_STATE) === undefined);
 * console.assert(upstreamStatusProblem(undefined) === "undefined, no Zircon status");
 * console.assert(upstreamStatusProblem(20) !== undefined);
 * ```
 */
export function upstreamStatusProblem(status: unknown): string | undefined {
  if (typeof status !== "number") return `${String(status)}, no Zircon status`;
  const name = statusName(status);
  const upstream = UPSTREAM_STATUS.get(name);
  if (upstream === status) return undefined;
  if (upstream === undefined) return `${status} (${name || "unnamed"}), no Zircon status`;
  return `${status}, which the kernel names ${name}: errors.h numbers ${name} ${upstream}`;
}

/** errors.h's name of each number {@linkcode UPSTREAM_STATUS} holds. */
const UPSTREAM_NAME: ReadonlyMap<number, string> = new Map(
  [...UPSTREAM_STATUS].map(([name, n]) => [n, name]),
);

/**
 * The errors.h statuses the model has no constant for (no call of the model returns them): the
 * trace shows their numbers as `ZX_STATUS(n)`, as it shows a number errors.h does not have.
 * Every other number errors.h names is shown by that name.
 */
export const MODEL_UNNAMED: ReadonlySet<string> = new Set([
  "ZX_ERR_ALREADY_BOUND",
  "ZX_ERR_BAD_PATH",
  "ZX_ERR_NOT_DIR",
  "ZX_ERR_NOT_FILE",
  "ZX_ERR_FILE_BIG",
  "ZX_ERR_NOT_EMPTY",
  "ZX_ERR_PROTOCOL_NOT_SUPPORTED",
  "ZX_ERR_ADDRESS_UNREACHABLE",
  "ZX_ERR_ADDRESS_IN_USE",
  "ZX_ERR_NOT_CONNECTED",
  "ZX_ERR_CONNECTION_REFUSED",
  "ZX_ERR_CONNECTION_RESET",
  "ZX_ERR_CONNECTION_ABORTED",
]);

/**
 * Why the name the trace shows for the status number `n` (`statusName`: a `ret`'s status, a
 * `wake`'s, a fatal fault's synthesized status, OP_FAIL's `data`) is not the one a reader of
 * errors.h expects, or `undefined` when it is: errors.h's name for a number errors.h has (but
 * those of {@linkcode MODEL_UNNAMED}), `ZX_STATUS(n)` for any other. An emptied or dropped entry
 * of the kernel's name table, a renumbered status (its number then shows the name of none, its
 * old number `ZX_STATUS`) and a wrong fallback text each show here, whether or not any call
 * returns that status.
 *
 * @example
 * ```ts
 * import { shownStatusProblem } from "./_zx_status.ts";
 * console.assert(shownStatusProblem(-41) === undefined); // ZX_ERR_IO_REFUSED
 * console.assert(shownStatusProblem(-27) === undefined); // ZX_STATUS(-27): ALREADY_BOUND, unnamed
 * console.assert(shownStatusProblem(-1000) === undefined); // ZX_STATUS(-1000)
 * ```
 */
export function shownStatusProblem(n: number): string | undefined {
  const shown = statusName(n);
  const name = UPSTREAM_NAME.get(n);
  const want = name === undefined || MODEL_UNNAMED.has(name) ? `ZX_STATUS(${n})` : name;
  return shown === want ? undefined : `${n} shown as ${JSON.stringify(shown)}, errors.h: ${want}`;
}

/**
 * The numbers `ZX_PAGER_OP_FAIL` accepts as `data`, by errors.h's numbers of their names
 * (`PageSource::IsValidExternalFailureCode`: ZX_ERR_IO, ZX_ERR_IO_DATA_INTEGRITY,
 * ZX_ERR_BAD_STATE, ZX_ERR_NO_SPACE, ZX_ERR_BUFFER_TOO_SMALL; zircon/kernel/vm/page_source.cc @
 * misttech/fuchsia d72ea0ee), not the kernel's `PAGER_FAIL_CODES`.
 */
export const UPSTREAM_FAIL_CODES: readonly number[] = [
  "ZX_ERR_IO",
  "ZX_ERR_IO_DATA_INTEGRITY",
  "ZX_ERR_BAD_STATE",
  "ZX_ERR_NO_SPACE",
  "ZX_ERR_BUFFER_TOO_SMALL",
].map((name) => UPSTREAM_STATUS.get(name) as number);
