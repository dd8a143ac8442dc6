/**
 * The layout of a file behind a pager VMO: its size in bytes (it may end
 * mid-page) and its holes (byte ranges of any size, sub-page included). Every
 * byte at or past `bytes`, and every byte inside a hole, reads as zero; every
 * other byte holds the backing pattern. A VMO without a layout is whole pages
 * of the backing pattern, as before layouts existed.
 *
 * The scenario states it (`vmos[i].bytes`, `vmos[i].holes`); the interpreter
 * gives it to the service (`ServiceVmo.file`) and records it on the world by
 * koid (`World.files`), where the content checkers read it. Both sides compute
 * the bytes on their own from it (`services/backing.ts`, `properties/_backing_model.ts`).
 *
 * @module
 */

/** A byte range `[offset, offset + length)`. */
export interface ByteRange {
  /** First byte. */
  readonly offset: number;
  /** Number of bytes (at least 1). */
  readonly length: number;
}

/** A file's size in bytes and its holes (see the module docs). */
export interface FileLayout {
  /** Size in bytes; bytes at and past it read as zero. */
  readonly bytes: number;
  /** Holes: byte ranges that read as zero (any size, may overlap, any order). */
  readonly holes: readonly ByteRange[];
}

/**
 * True when byte `offset` of a file with layout `file` reads as zero because
 * it lies past the end of the file or in a hole (the backing pattern may hold
 * zero bytes elsewhere too).
 *
 * @example
 * ```ts
 * import { zeroByLayout } from "./file_layout.ts";
 * const file = { bytes: 100, holes: [{ offset: 10, length: 3 }] };
 * console.assert(zeroByLayout(file, 100) && zeroByLayout(file, 12) && !zeroByLayout(file, 13));
 * ```
 */
export function zeroByLayout(file: FileLayout, offset: number): boolean {
  if (offset >= file.bytes) return true;
  for (const h of file.holes) if (offset >= h.offset && offset < h.offset + h.length) return true;
  return false;
}
