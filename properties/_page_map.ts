/**
 * A map from a run's pages to what a checker knows of each, with the answers of a `WeakMap`
 * and, for a run that records few pages, the cost of a `Map` (session 30, helper perf30).
 *
 * page-state and dirty-state each note, for every page they record, where they recorded it
 * (2,436 new pages a default batch, each noted by both). As `WeakMap` entries those notes cost
 * ~6 ms of a ~77 ms checked batch (8%, measured by leaving them out): an entry in a weak table
 * (an ephemeron) is dear to insert and to trace, and each run's tables start empty and grow.
 * A `Map` answers every lookup of a live page the same, but keeps the pages it holds alive: so
 * it holds at most {@linkcode PAGE_MAP_BYTES} of pages' bytes, and past that moves its entries
 * into a `WeakMap` and goes on there (a run that records many pages, or large ones, keeps the
 * weak table's memory behaviour: pages no VMO holds are freed).
 *
 * @module
 */

import type { Page } from "../kernel/objects.ts";

/** The most page bytes a {@linkcode PageMap} keeps alive before it turns weak. */
export const PAGE_MAP_BYTES = 1 << 20;

/**
 * `get` and `set` of a `WeakMap<Page, V>`, backed by a `Map` until the pages it holds have
 * more than {@linkcode PAGE_MAP_BYTES} of bytes between them, then by a `WeakMap`.
 *
 * @example
 * ```ts
 * import { Page } from "../kernel/objects.ts";
 * import { PageMap } from "./_page_map.ts";
 * const m = new PageMap<string>();
 * const page = new Page(new Uint8Array(64), "clean");
 * m.set(page, "vmo1 page 0");
 * console.assert(m.get(page) === "vmo1 page 0" && m.get(new Page(new Uint8Array(64), "clean")) === undefined);
 * ```
 */
export class PageMap<V> {
  #strong: Map<Page, V> | null = new Map();
  #weak: WeakMap<Page, V> | null = null;
  /** The bytes of the pages `#strong` holds (at their size when first set). */
  #bytes = 0;

  /** What was set for `page`, if anything. */
  get(page: Page): V | undefined {
    const strong = this.#strong;
    return strong !== null ? strong.get(page) : this.#weak?.get(page);
  }

  /** Sets what is known of `page`. */
  set(page: Page, value: V): void {
    const strong = this.#strong;
    if (strong === null) {
      this.#weak?.set(page, value);
      return;
    }
    if (!strong.has(page)) this.#bytes += page.peek().length;
    strong.set(page, value);
    if (this.#bytes > PAGE_MAP_BYTES) {
      const weak = new WeakMap<Page, V>();
      for (const [p, v] of strong) weak.set(p, v);
      this.#weak = weak;
      this.#strong = null;
    }
  }

  /** Whether the map has turned weak (its pages past {@linkcode PAGE_MAP_BYTES}). */
  get weak(): boolean {
    return this.#strong === null;
  }
}
