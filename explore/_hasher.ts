/**
 * A small two-lane 32-bit hash for state fingerprints: fast, deterministic,
 * and the same on every machine. Collisions are possible in principle (64
 * bits); a collision could only hide a state, never invent a failure.
 *
 * @module
 */

import { Buffer } from "node:buffer";

/** Accumulates words, numbers, strings and byte arrays into a 64-bit fingerprint. */
export class Hasher {
  #h1 = 0x811c9dc5;
  #h2 = 0x5bd1e995;

  /** Mixes one 32-bit word. */
  word(w: number): this {
    this.#h1 = Math.imul(this.#h1 ^ (w | 0), 0x01000193);
    this.#h1 ^= this.#h1 >>> 13;
    this.#h2 = Math.imul(this.#h2 ^ (w | 0), 0x5bd1e995) ^ (this.#h2 >>> 15);
    return this;
  }

  /** Mixes any number: safe integers exactly, anything else by its text. */
  num(n: number): this {
    if (Number.isSafeInteger(n)) {
      const m = Math.abs(n);
      return this.word(n < 0 ? 1 : 0).word(m >>> 0).word(Math.floor(m / 0x1_0000_0000) >>> 0);
    }
    return this.word(2).str(String(n));
  }

  /** Mixes a string, then its length, so the next item cannot run into it. */
  str(s: string): this {
    for (let i = 0; i < s.length; i++) this.word(s.charCodeAt(i));
    return this.word(s.length);
  }

  /** Mixes the bytes of an array, then its length. */
  bytes(b: Uint8Array): this {
    const words = b.byteOffset % 4 === 0 ? b.length >>> 2 : 0;
    if (words > 0) {
      // word() inlined: every page is hashed at every choice point.
      const view = new Uint32Array(b.buffer, b.byteOffset, words);
      let h1 = this.#h1, h2 = this.#h2;
      for (let i = 0; i < words; i++) {
        const w = view[i] | 0;
        h1 = Math.imul(h1 ^ w, 0x01000193);
        h1 ^= h1 >>> 13;
        h2 = Math.imul(h2 ^ w, 0x5bd1e995) ^ (h2 >>> 15);
      }
      this.#h1 = h1;
      this.#h2 = h2;
    }
    for (let i = words * 4; i < b.length; i++) this.word(b[i]);
    return this.word(b.length);
  }

  /** An independent hasher in the same state: mixing into one does not change the other. */
  clone(): Hasher {
    const h = new Hasher();
    h.#h1 = this.#h1;
    h.#h2 = this.#h2;
    return h;
  }

  /** Mixes another fingerprint. */
  mix(f: Fingerprint): this {
    return this.word(f.h1).word(f.h2);
  }

  /** The fingerprint so far. */
  get value(): Fingerprint {
    return { h1: this.#h1 >>> 0, h2: this.#h2 >>> 0 };
  }

  /** The fingerprint as 16 hex digits. */
  get hex(): string {
    return fingerprintHex(this.value);
  }
}

/** A 64-bit fingerprint as two 32-bit halves. */
export interface Fingerprint {
  readonly h1: number;
  readonly h2: number;
}

/** 16 hex digits of a fingerprint. */
export function fingerprintHex(f: Fingerprint): string {
  return f.h1.toString(16).padStart(8, "0") + f.h2.toString(16).padStart(8, "0");
}

/**
 * The fingerprints of page contents seen before, by content: every choice point hashes every
 * committed page (4 KiB each in the default scenario), and the same few contents (the backing
 * pattern, zeros, a write) come back in execution after execution. A hit is confirmed by comparing
 * the whole content with a copy (natively: about a tenth of the cost of hashing it), so the answer
 * is always `new Hasher().bytes(b).value`, whatever the memo holds.
 */
export class ContentHashes {
  readonly #byProbe = new Map<number, { bytes: Uint8Array; fp: Fingerprint }[]>();
  #size = 0;

  /** At most this many contents are kept; past that the memo starts again empty. */
  static readonly MAX = 2048;

  /** The fingerprint of `b`'s bytes: `new Hasher().bytes(b).value`. */
  of(b: Uint8Array): Fingerprint {
    if (b.byteOffset % 4 !== 0 || b.length % 4 !== 0 || b.length < 256) {
      return new Hasher().bytes(b).value;
    }
    const w = new Uint32Array(b.buffer, b.byteOffset, b.length >>> 2);
    // A probe of 64 words spread over the content picks the candidates.
    const stride = w.length >>> 6;
    let probe = w.length;
    for (let i = 0; i < w.length; i += stride) probe = Math.imul(probe ^ w[i], 0x01000193);
    let list = this.#byProbe.get(probe);
    if (list !== undefined) {
      for (const e of list) if (Buffer.compare(e.bytes, b) === 0) return e.fp;
    }
    const fp = new Hasher().bytes(b).value;
    if (this.#size >= ContentHashes.MAX) {
      this.#byProbe.clear();
      this.#size = 0;
      list = undefined;
    }
    if (list === undefined) this.#byProbe.set(probe, list = []);
    list.push({ bytes: b.slice(), fp });
    this.#size++;
    return fp;
  }
}
