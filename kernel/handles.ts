/**
 * The handle table of the single simulated process: handle values, the object
 * each names, and its rights. Lookup order is BAD_HANDLE, then WRONG_TYPE, then
 * ACCESS_DENIED, as in `GetDispatcherWithRightsImpl`.
 *
 * @module
 */

import {
  LIMITS,
  type Status,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_NO_RESOURCES,
  ZX_ERR_WRONG_TYPE,
  ZX_OK,
} from "./constants.ts";
import { assert } from "./assert.ts";

/** A kernel object that handles can name. */
export interface KernelObject {
  /** Its kernel object id. */ readonly koid: number;
  /** Its ZX_OBJ_TYPE_*. */ readonly objType: number;
  /** Number of open handles to this object. */
  handleCount: number;
}

/** One entry of the handle table. */
export interface HandleEntry {
  readonly object: KernelObject;
  readonly rights: number;
}

/** A successful lookup, or the status that ended it. */
export type Lookup<T> = { ok: true; status: typeof ZX_OK; object: T; rights: number } | {
  ok: false;
  status: Status;
  object?: undefined;
  rights?: undefined;
};

/** The first handle value the table issues. */
export const HANDLE_FIRST = 0x10;
/** The distance between handle values issued one after another. */
export const HANDLE_STEP = 0x10;

/** Handle values and what they name. Values are deterministic: 0x10, 0x20, ... */
export class HandleTable {
  #entries = new Map<number, HandleEntry>();
  #next = HANDLE_FIRST;

  /** How many handle values were ever issued: it changes exactly when a handle is created. */
  get issued(): number {
    return this.#next;
  }

  /** Number of open handles. */
  get size(): number {
    return this.#entries.size;
  }

  /** Creates a handle; returns 0 with ZX_ERR_NO_RESOURCES when the named limit is reached. */
  add(object: KernelObject, rights: number): [Status, number] {
    if (this.#entries.size >= LIMITS.maxHandles) return [ZX_ERR_NO_RESOURCES, 0];
    const value = this.#next;
    this.#next += HANDLE_STEP;
    this.#entries.set(value, { object, rights: rights >>> 0 });
    object.handleCount++;
    return [ZX_OK, value];
  }

  /** The entry for a handle value, if it is open. */
  entry(handle: unknown): HandleEntry | undefined {
    return typeof handle === "number" ? this.#entries.get(handle) : undefined;
  }

  /** Looks up a handle of one object type that holds all of `rights`. */
  get<T extends KernelObject>(handle: unknown, objType: number, rights: number): Lookup<T> {
    const entry = this.entry(handle);
    if (entry === undefined) return { ok: false, status: ZX_ERR_BAD_HANDLE };
    if (entry.object.objType !== objType) return { ok: false, status: ZX_ERR_WRONG_TYPE };
    if ((entry.rights & rights) >>> 0 !== rights >>> 0) {
      return { ok: false, status: ZX_ERR_ACCESS_DENIED };
    }
    return { ok: true, status: ZX_OK, object: entry.object as T, rights: entry.rights };
  }

  /** Removes a handle; returns the object whose handle count dropped, or undefined if invalid. */
  remove(handle: unknown): KernelObject | undefined {
    const entry = this.entry(handle);
    if (entry === undefined) return undefined;
    this.#entries.delete(handle as number);
    entry.object.handleCount--;
    assert(entry.object.handleCount >= 0, () => `handle count of koid ${entry.object.koid} < 0`);
    return entry.object;
  }

  /** All open handles, in creation order (for leak checks). */
  [Symbol.iterator](): IterableIterator<[number, HandleEntry]> {
    return this.#entries.entries();
  }
}
