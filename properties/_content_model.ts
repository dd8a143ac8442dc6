/**
 * The reference model of what a root pager VMO page holds, shared by every
 * checker that judges content (data-integrity for reads, durable-data for
 * supplies), so they never disagree: the backing pattern (zeros past the end
 * of the file and in its holes, when the scenario gives the VMO a file layout:
 * sim/file_layout.ts) overlaid with every
 * store (writes, OP_ZERO, a grow's zero tail) in order. A supply never changes
 * it: every supply must bring what the model holds, which for the writeback
 * service is what it persisted.
 * The backing content comes from the checkers' own model (`_backing_model.ts`),
 * never from the services' `backing.ts`.
 *
 * @module
 */

import { expectedFilePage, fillBacking, plainPage } from "./_backing_model.ts";
import type { Vmo } from "../kernel/objects.ts";
import type { FileLayout } from "../sim/file_layout.ts";
import { sameBytes, zeroPage } from "./_bytes.ts";
import { present } from "../kernel/assert.ts";
import { memoBytesAt } from "../sim/byte_memo.ts";

/**
 * A backing page of the checkers' own model, made once and shared by every model (never written:
 * a store copies first). Cached in the harness's bounded byte memo under ids of its own, so a
 * service's bytes (`services/backing.ts`) and the oracle's are never one entry.
 */
function sharedBacking(key: number, page: number, pageSize: number): Uint8Array {
  return memoBytesAt("model", key, page, pageSize, fillBackingPage);
}

/** Fills `out` with page `page` (of `out.length` bytes) of the backing pattern of `key`. */
function fillBackingPage(out: Uint8Array, key: number, page: number): void {
  fillBacking(out, key, page * out.length);
}

function allZero(bytes: Uint8Array): boolean {
  if (bytes.byteOffset % 4 === 0 && bytes.length % 4 === 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
    return true;
  }
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * Expected content of root pager VMO pages, by koid and page. Memory follows
 * what a run touches: a page costs bytes only once a read, a store or a
 * supply names it, and every page a store or a zero marker left all zeros
 * shares one zero page (a grow's zero tail costs nothing per page).
 */
export class ContentModel {
  /**
   * The file a VMO holds, whose backing content it starts with: its key,
   * unless the harness registered the VMO as a file that comes and goes
   * (`World.fileIds`; a service that opens its own VMOs picks keys of its own).
   */
  fileId: (vmo: Vmo) => number = (vmo) => vmo.key;
  /** Koids of files that come and go (their page states are kept for later VMOs of the file). */
  lifecycle: (vmo: Vmo) => boolean = () => false;
  /**
   * Every state a page of a file that comes and goes took after a store, by "id:page", with the
   * model's count when it took it (`at`).
   */
  readonly #earlier = new Map<string, { bytes: Uint8Array; at: number }[]>();
  /** The fewest pages an earlier VMO of a file that comes and goes ended with, by file. */
  readonly #truncatedAt = new Map<number, number>();
  /**
   * The written-back content of a page of a file that comes and goes, by "id:page": what the page
   * held at the WRITEBACK_BEGIN of the last WRITEBACK_END that cleaned it ({@linkcode wroteBack}),
   * with the model's step count then (`at`) and whether a VMO of the file ended short of the page
   * since (`cut`: zeros are then a state of the page too).
   */
  readonly #durable = new Map<
    string,
    { bytes: Uint8Array; at: number; cut: boolean; koid: number; endStep: number }
  >();
  /**
   * Pages a WRITEBACK_BEGIN left AwaitingClean (or a zero interval awaiting clean), by koid and
   * page: the content then, and the count then. A store to the page drops it (the write re-dirtied
   * the page: an END no longer cleans what this BEGIN saw).
   */
  readonly #pending = new Map<number, Map<number, { bytes: Uint8Array; at: number }>>();
  /** Counts the model's stores and writeback begins: orders states against written-back ones. */
  #clock = 0;
  readonly #pages = new Map<number, Map<number, Uint8Array>>();
  readonly #stored = new Map<number, Set<number>>();
  /** Pages this model owns (may write); the others are shared backing or zero pages. */
  readonly #owned = new WeakSet<Uint8Array>();

  #map(vmo: Vmo): Map<number, Uint8Array> {
    let m = this.#pages.get(vmo.koid);
    if (m === undefined) this.#pages.set(vmo.koid, m = new Map());
    return m;
  }

  /**
   * The expected content of `page` of `vmo`, whose file is laid out as `file`
   * (absent: whole pages of the backing pattern). Read only: stores replace
   * or copy it. A page the layout touches (the end of the file, a hole) is
   * the model's own; the others share the backing pages.
   */
  page(vmo: Vmo, page: number, file?: FileLayout): Uint8Array {
    const m = this.#map(vmo);
    let p = m.get(page);
    if (p === undefined) m.set(page, p = this.#base(vmo, page, file));
    return p;
  }

  /** The content `page` of `vmo` has before any store: the file as laid out. */
  #base(vmo: Vmo, page: number, file: FileLayout | undefined): Uint8Array {
    if (plainPage(file, page, vmo.pageSize)) {
      return sharedBacking(this.fileId(vmo), page, vmo.pageSize);
    }
    const p = expectedFilePage(this.fileId(vmo), page, vmo.pageSize, file);
    this.#owned.add(p);
    return p;
  }

  /**
   * For a page of a re-created file that no store touched in this VMO yet:
   * true when `got` is a state an earlier VMO of the same file left the page
   * in (a service that persisted it, the writeback service, brings it back);
   * the model then holds `got`. Zeros are such a state where an earlier VMO
   * ended short of the page ({@linkcode ended}: a persisted truncation). The
   * earlier states are the model's own, recorded at each store and at each
   * end, so the service's word is never taken for them.
   */
  adoptEarlier(vmo: Vmo, page: number, got: Uint8Array): boolean {
    if (this.written(vmo, page) || !this.lifecycle(vmo)) return false;
    const id = this.fileId(vmo);
    const cut = this.#truncatedAt.get(id);
    const states = this.#earlier.get(`${id}:${page}`);
    const truncated = cut !== undefined && page >= cut && allZero(got);
    if (!truncated && (states === undefined || !states.some((p) => sameBytes(p.bytes, got)))) {
      return false;
    }
    this.#map(vmo).set(page, got.slice());
    return true;
  }

  /**
   * A VMO of a file that comes and goes ends (detached, or dead) at its current size: a page it no
   * longer reaches is a state the file's pages took (a truncation the service may persist, as a
   * filesystem keeps a file's size), so a later VMO of the file may be supplied zeros there
   * ({@linkcode adoptEarlier}). The state is the model's own, from the size the kernel left the
   * VMO at (whole pages: `zx_vmo_set_size` rounds up), never the service's word.
   */
  ended(vmo: Vmo): void {
    if (!this.lifecycle(vmo)) return;
    const id = this.fileId(vmo);
    const pages = Math.ceil(vmo.size / vmo.pageSize);
    const cut = this.#truncatedAt.get(id);
    if (cut === undefined || pages < cut) this.#truncatedAt.set(id, pages);
    const prefix = `${id}:`;
    for (const [key, d] of this.#durable) {
      if (key.startsWith(prefix) && Number(key.slice(prefix.length)) >= pages) d.cut = true;
    }
  }

  /**
   * A successful WRITEBACK_BEGIN left `page` of `vmo` AwaitingClean (a committed page) or awaiting
   * clean (a zero interval's slot), as the kernel's slots say after the step: the content the
   * model holds now is what a WRITEBACK_END that finds the page still so makes durable. Only files
   * that come and go are followed (a later VMO of the file is judged by it).
   */
  beganWriteback(vmo: Vmo, page: number, file?: FileLayout): void {
    if (!this.lifecycle(vmo)) return;
    let m = this.#pending.get(vmo.koid);
    if (m === undefined) this.#pending.set(vmo.koid, m = new Map());
    m.set(page, { bytes: this.page(vmo, page, file).slice(), at: ++this.#clock });
  }

  /**
   * A successful WRITEBACK_END covered `page` of `vmo`; `cleaned`: the page is no longer dirty
   * after it (AwaitingClean became Clean, an awaiting-clean zero slot was removed), as the
   * kernel's slots say after the step. A page no store touched since its WRITEBACK_BEGIN holds
   * what the BEGIN saw, and that is now the file's content of the page: a later VMO of the file
   * must be supplied it ({@linkcode suppliedAfterWriteback}), or a state the page took after it.
   */
  endedWriteback(vmo: Vmo, page: number, cleaned: boolean, step = -1): void {
    const m = this.#pending.get(vmo.koid);
    const begun = m?.get(page);
    if (m === undefined || begun === undefined) return;
    m.delete(page);
    if (!cleaned) return;
    const id = `${this.fileId(vmo)}:${page}`;
    this.#durable.set(id, {
      bytes: begun.bytes,
      at: begun.at,
      cut: false,
      koid: vmo.koid,
      endStep: step,
    });
    // States older than the written-back one are no longer the file's: room for newer ones.
    const states = this.#earlier.get(id);
    if (states !== undefined) this.#earlier.set(id, states.filter((s) => s.at > begun.at));
  }

  /**
   * For the first supply of a page of a re-created file that no store touched in this VMO: null
   * when no writeback of the file's page ended (the older rule judges: {@linkcode adoptEarlier}),
   * else what a writeback left (`want`) and whether `got` is allowed (`ok`): the written-back
   * content, a state the page took after that writeback began (a write the service may have
   * persisted without an END), or zeros where a VMO of the file ended short of the page since.
   * The file's original pattern is not allowed: the writeback replaced it. When allowed, the
   * model holds `got`.
   */
  suppliedAfterWriteback(
    vmo: Vmo,
    page: number,
    got: Uint8Array,
  ): { ok: boolean; want: Uint8Array } | null {
    if (!this.lifecycle(vmo) || this.written(vmo, page) || this.#map(vmo).has(page)) return null;
    const id = `${this.fileId(vmo)}:${page}`;
    const d = this.#durable.get(id);
    if (d === undefined) return null;
    const ok = sameBytes(d.bytes, got) || (d.cut && allZero(got)) ||
      (this.#earlier.get(id) ?? []).some((s) => s.at > d.at && sameBytes(s.bytes, got));
    if (ok) this.#map(vmo).set(page, got.slice());
    return { ok, want: d.bytes };
  }

  /**
   * True once the model holds content for `page` of `vmo` (a supply, a read or a store named it):
   * from then on the page is this VMO's, and only a write to it may change it. A supply of a page
   * the VMO holds is a re-supply (after an eviction), judged against what the VMO held, never
   * against a writeback another VMO of the file ended since ({@linkcode suppliedAfterWriteback}) or
   * a state another VMO of the file took ({@linkcode adoptEarlier}): those count for a page's
   * first supply only.
   */
  holds(vmo: Vmo, page: number): boolean {
    return this.#pages.get(vmo.koid)?.has(page) ?? false;
  }

  /**
   * The last writeback that made `page` of `vmo`'s file durable (WRITEBACK_END cleaned it): the
   * VMO it was on (`koid`), the step of its END (`endStep`, -1 when not given) and what it wrote
   * back; undefined when none ended (or the VMO's file does not come and go).
   */
  lastWriteback(
    vmo: Vmo,
    page: number,
  ): { koid: number; endStep: number; bytes: Uint8Array } | undefined {
    if (!this.lifecycle(vmo)) return undefined;
    return this.#durable.get(`${this.fileId(vmo)}:${page}`);
  }

  /** True once any store touched `page` of `vmo` (an acknowledged write the pager must keep). */
  written(vmo: Vmo, page: number): boolean {
    return this.#stored.get(vmo.koid)?.has(page) ?? false;
  }

  /** Applies a store event: the model now holds `bytes` at `offset` (`file`: as in {@linkcode page}). */
  store(vmo: Vmo, offset: number, bytes: Uint8Array, file?: FileLayout): void {
    let s = this.#stored.get(vmo.koid);
    if (s === undefined) this.#stored.set(vmo.koid, s = new Set());
    const m = this.#map(vmo);
    const ps = vmo.pageSize;
    const zero = zeroPage(ps);
    for (let i = 0; i < bytes.length;) {
      const pos = offset + i;
      const page = Math.floor(pos / ps);
      const at = pos - page * ps;
      const n = Math.min(bytes.length - i, ps - at);
      const got = bytes.subarray(i, i + n);
      s.add(page);
      if (n === ps && allZero(got)) m.set(page, zero);
      else {
        let want = m.get(page) ?? this.#base(vmo, page, file);
        if (!this.#owned.has(want)) this.#owned.add(want = want.slice());
        want.set(got, at);
        m.set(page, want);
      }
      if (this.lifecycle(vmo)) {
        const id = `${this.fileId(vmo)}:${page}`;
        const states = this.#earlier.get(id) ?? [];
        if (states.length < 64) {
          states.push({
            bytes: present(m.get(page), "ContentModel: a stored page").slice(),
            at: ++this.#clock,
          });
        }
        this.#earlier.set(id, states);
        this.#pending.get(vmo.koid)?.delete(page);
      }
      i += n;
    }
  }

  /**
   * The first byte of a read of `bytes` at `offset` that differs from the
   * model, or null (`file`: as in {@linkcode page}).
   */
  mismatch(
    vmo: Vmo,
    offset: number,
    bytes: Uint8Array,
    file?: FileLayout,
  ): { pos: number; got: number; want: number } | null {
    const ps = vmo.pageSize;
    for (let i = 0; i < bytes.length;) {
      const pos = offset + i;
      const page = Math.floor(pos / ps);
      const at = pos - page * ps;
      const n = Math.min(bytes.length - i, ps - at);
      const want = this.page(vmo, page, file);
      const whole = at === 0 && n === ps && i === 0 && bytes.length === ps;
      if (!(whole ? sameBytes(bytes, want) : sameRange(bytes, i, want, at, n))) {
        for (let k = 0; k < n; k++) {
          if (bytes[i + k] !== want[at + k]) {
            return { pos: pos + k, got: bytes[i + k], want: want[at + k] };
          }
        }
      }
      i += n;
    }
    return null;
  }
}

/** True if `a[ai, ai + n)` and `b[bi, bi + n)` hold the same bytes. */
function sameRange(a: Uint8Array, ai: number, b: Uint8Array, bi: number, n: number): boolean {
  return sameBytes(a.subarray(ai, ai + n), b.subarray(bi, bi + n));
}
