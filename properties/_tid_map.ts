/**
 * A map keyed by thread id that a checker updates at every `call` and `ret` (the call each thread
 * is in, its argument lookups, its open read): tids are small integers given out from 1, so the
 * values sit in an array indexed by tid. A `Map` with number keys hashed every `set`, `get` and
 * `delete`: measured with a call's typical use (a set, a get, a delete), about 80 ns with a `Map`,
 * about 3 with the array. Iteration keeps a `Map`'s insertion order (a checker's failure
 * messages and the order it judges threads in depend on it).
 *
 * @module
 */

/**
 * A map from thread ids (non-negative integers) to values that are never `undefined`, with a
 * `Map`'s answers: `set` of a key it holds keeps the key's place, iteration in insertion order.
 *
 * @example
 * ```ts
 * import { TidMap } from "./_tid_map.ts";
 * const m = new TidMap<string>();
 * m.set(3, "zx_vmo_read").set(1, "zx_port_wait").set(3, "zx_vmo_write");
 * console.assert(m.size === 2 && m.get(3) === "zx_vmo_write" && m.keyAt(0) === 3);
 * m.delete(3);
 * console.assert(!m.has(3) && m.keyAt(0) === 1 && m.valueAt(0) === "zx_port_wait");
 * ```
 */
export class TidMap<V> {
  /** The value of each tid, by index (undefined: none). */
  readonly #values: (V | undefined)[] = [];
  /** The tids held, in insertion order: the first `#n` (the array is reused, never shrunk). */
  readonly #keys: number[] = [];
  #n = 0;

  /** How many tids the map holds. */
  get size(): number {
    return this.#n;
  }

  /** The value of `tid`, if the map holds it. */
  get(tid: number): V | undefined {
    return this.#values[tid];
  }

  /** Whether the map holds `tid`. */
  has(tid: number): boolean {
    return this.#values[tid] !== undefined;
  }

  /** Sets the value of `tid` (a tid already held keeps its place); returns the map. */
  set(tid: number, value: V): this {
    if (!(Number.isInteger(tid) && tid >= 0)) {
      throw new RangeError(`TidMap: key ${tid} is not a thread id (a non-negative integer)`);
    }
    if (value === undefined) throw new RangeError(`TidMap: no undefined value (key ${tid})`);
    if (this.#values[tid] === undefined) {
      const n = this.#n++;
      if (n < this.#keys.length) this.#keys[n] = tid;
      else this.#keys.push(tid);
    }
    this.#values[tid] = value;
    return this;
  }

  /** Removes `tid`; true if the map held it. */
  delete(tid: number): boolean {
    if (this.#values[tid] === undefined) return false;
    this.#values[tid] = undefined;
    // Shifted down by hand: `splice` allocates the array it returns, at every call's return.
    const keys = this.#keys;
    const n = --this.#n;
    let i = 0;
    while (keys[i] !== tid) i++;
    for (; i < n; i++) keys[i] = keys[i + 1];
    return true;
  }

  /** Empties the map. */
  clear(): void {
    const keys = this.#keys;
    for (let i = 0; i < this.#n; i++) this.#values[keys[i]] = undefined;
    this.#n = 0;
  }

  /** The `i`th tid in insertion order (`0 <= i < size`). */
  keyAt(i: number): number {
    return this.#keys[i];
  }

  /** The value of the `i`th tid in insertion order (`0 <= i < size`). */
  valueAt(i: number): V {
    return this.#values[this.#keys[i]] as V;
  }
}
