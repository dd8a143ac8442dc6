/**
 * The reference model of what a root pager VMO page holds, shared by every
 * checker that judges content (data-integrity for reads, durable-data for
 * supplies), so they never disagree: the backing pattern overlaid with every
 * store (writes, OP_ZERO, a grow's zero tail) in order. A supply never changes
 * it: every supply must bring what the model holds, which for the writeback
 * service is what it persisted.
 * The backing content comes from the checkers' own model (`_backing_model.ts`),
 * never from the services' `backing.ts`.
 *
 * @module
 */

import { expectedPage } from "./_backing_model.ts";
import type { Vmo } from "../kernel/objects.ts";
import { sameBytes } from "./_bytes.ts";

/** Expected content of root pager VMO pages, by koid and page. */
export class ContentModel {
  readonly #pages = new Map<number, Map<number, Uint8Array>>();
  readonly #stored = new Map<number, Set<number>>();

  /** The expected content of `page` of `vmo` (live: stores update it). */
  page(vmo: Vmo, page: number): Uint8Array {
    let m = this.#pages.get(vmo.koid);
    if (m === undefined) this.#pages.set(vmo.koid, m = new Map());
    let p = m.get(page);
    if (p === undefined) m.set(page, p = expectedPage(vmo.key, page, vmo.pageSize));
    return p;
  }

  /** True once any store touched `page` of `vmo` (an acknowledged write the pager must keep). */
  written(vmo: Vmo, page: number): boolean {
    return this.#stored.get(vmo.koid)?.has(page) ?? false;
  }

  /**
   * Walks `bytes` at byte `offset` of `vmo` page by page: `visit` gets the
   * page, the offset inside it, the model's bytes there and the event's bytes.
   */
  each(
    vmo: Vmo,
    offset: number,
    bytes: Uint8Array,
    visit: (page: number, at: number, want: Uint8Array, got: Uint8Array) => void,
  ): void {
    const ps = vmo.pageSize;
    for (let i = 0; i < bytes.length;) {
      const pos = offset + i;
      const page = Math.floor(pos / ps);
      const at = pos - page * ps;
      const n = Math.min(bytes.length - i, ps - at);
      visit(page, at, this.page(vmo, page).subarray(at, at + n), bytes.subarray(i, i + n));
      i += n;
    }
  }

  /** Applies a store event: the model now holds `bytes` at `offset`. */
  store(vmo: Vmo, offset: number, bytes: Uint8Array): void {
    let s = this.#stored.get(vmo.koid);
    if (s === undefined) this.#stored.set(vmo.koid, s = new Set());
    this.each(vmo, offset, bytes, (page, _at, want, got) => {
      want.set(got);
      s.add(page);
    });
  }

  /** The first byte of a read of `bytes` at `offset` that differs from the model, or null. */
  mismatch(
    vmo: Vmo,
    offset: number,
    bytes: Uint8Array,
  ): { pos: number; got: number; want: number } | null {
    let found: { pos: number; got: number; want: number } | null = null;
    this.each(vmo, offset, bytes, (page, at, want, got) => {
      if (found !== null || sameBytes(got, want)) return;
      const j = got.findIndex((b, k) => b !== want[k]);
      if (j >= 0) found = { pos: page * vmo.pageSize + at + j, got: got[j], want: want[j] };
    });
    return found;
  }
}
