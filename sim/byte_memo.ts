/**
 * A bounded memo of byte arrays made by pure functions, for the harness's own content (the
 * backing pattern services read, `services/backing.ts`, and the checkers' own model of it,
 * `properties/_content_model.ts`, under ids of its own): filling a page word by word costs
 * several times a copy, and a campaign asks for the same pages run after run. What it holds
 * never decides anything: an entry is the same bytes its maker would make again, and nothing
 * writes into one (callers copy, or read only). Harness state, kept out of `services/` on
 * purpose: a service's module state survives between runs and is a finding of the
 * determinism lint; this memo cannot change a run.
 *
 * @module
 */

/** Arrays longer than this are made afresh every time. */
export const BYTE_MEMO_MAX_LENGTH = 256 * 2 ** 10;

/** Bytes the memo keeps at most; past it, it starts over. */
const MAX_BYTES = 24 * 2 ** 20;

const MEMO = new Map<string, Uint8Array>();
/**
 * The entries of {@linkcode memoBytesAt}, by space, length, key and place: numbers looked up one
 * after another, where a string id is made and hashed anew at every ask.
 */
const MEMO_AT = new Map<string, Map<number, Map<number, Map<number, Uint8Array>>>>();
let held = 0;

/**
 * Forgets every entry. For mutation testing: a mutant of a maker (`services/backing.ts`'s
 * pattern) fills entries with its own bytes, which would outlive it and be served to later
 * mutants of the same worker (false kills), while entries made before it would hide its bytes
 * from it (false survivals); `mutate/worker.ts` and `mutate/mutant_mirror.ts` clear the memo
 * whenever the active mutant changes.
 *
 * @example
 * ```ts
 * import { clearByteMemo, memoBytes } from "./byte_memo.ts";
 * memoBytes("ones:4", 4, (out) => out.fill(1));
 * clearByteMemo();
 * console.assert(memoBytes("ones:4", 4, (out) => out.fill(2))[0] === 2);
 * ```
 */
export function clearByteMemo(): void {
  MEMO.clear();
  MEMO_AT.clear();
  held = 0;
}

/**
 * The memo's array for `id`, made by `make(out)` (which fills a fresh zeroed array of
 * `length` bytes) the first time. The array is shared: never write into it.
 *
 * @example
 * ```ts
 * import { memoBytes } from "./byte_memo.ts";
 * let made = 0;
 * const fill = (out: Uint8Array) => { made++; out.fill(7); };
 * const a = memoBytes("sevens:16", 16, fill), b = memoBytes("sevens:16", 16, fill);
 * console.assert(a === b && made === 1 && a[15] === 7);
 * ```
 */
export function memoBytes(id: string, length: number, make: (out: Uint8Array) => void): Uint8Array {
  if (length > BYTE_MEMO_MAX_LENGTH) {
    throw new RangeError(`memoBytes: ${length} bytes is over the bound`);
  }
  let bytes = MEMO.get(id);
  if (bytes === undefined) {
    if (held + length > MAX_BYTES) clearByteMemo();
    bytes = new Uint8Array(length);
    make(bytes);
    MEMO.set(id, bytes);
    held += length;
  }
  return bytes;
}

/**
 * {@linkcode memoBytes} under an id of numbers: the memo's array of `length` bytes for `key` and
 * `at` in `space` (a constant string naming the maker: a space's ids are never another's, nor a
 * string id's), made by `make(out, key, at)` the first time. The maker takes the numbers, so a
 * caller passes one function made once, not a closure per ask. The array is shared: never write
 * into it.
 *
 * @example
 * ```ts
 * import { memoBytesAt } from "./byte_memo.ts";
 * const fill = (out: Uint8Array, key: number, at: number) => out.fill(key + at);
 * const a = memoBytesAt("sum", 2, 3, 8, fill), b = memoBytesAt("sum", 2, 3, 8, fill);
 * console.assert(a === b && a[7] === 5 && memoBytesAt("sum", 2, 3, 4, fill).length === 4);
 * ```
 */
export function memoBytesAt(
  space: string,
  key: number,
  at: number,
  length: number,
  make: (out: Uint8Array, key: number, at: number) => void,
): Uint8Array {
  if (length > BYTE_MEMO_MAX_LENGTH) {
    throw new RangeError(`memoBytesAt: ${length} bytes is over the bound`);
  }
  let bySize = MEMO_AT.get(space);
  if (bySize === undefined) MEMO_AT.set(space, bySize = new Map());
  let byKey = bySize.get(length);
  if (byKey === undefined) bySize.set(length, byKey = new Map());
  let byAt = byKey.get(key);
  if (byAt === undefined) byKey.set(key, byAt = new Map());
  let bytes = byAt.get(at);
  if (bytes === undefined) {
    if (held + length > MAX_BYTES) {
      clearByteMemo();
      return memoBytesAt(space, key, at, length, make);
    }
    bytes = new Uint8Array(length);
    make(bytes, key, at);
    byAt.set(at, bytes);
    held += length;
  }
  return bytes;
}
