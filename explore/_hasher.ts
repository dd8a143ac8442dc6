/**
 * A small two-lane 32-bit hash for state fingerprints: fast, deterministic,
 * and the same on every machine. Collisions are possible in principle (64
 * bits); a collision could only hide a state, never invent a failure.
 *
 * @module
 */

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
