/**
 * The seeded generator behind every random choice: seedrandom's ARC4 (npm
 * `seedrandom@3.0.5`), keyed by a string, so one seed draws the same numbers
 * on every machine. The algorithm is the library's, written out here over
 * typed arrays: the library also mixes every new generator's whole state into
 * a global entropy pool (a 256-character string built per generator), which a
 * seeded generator never reads back and which cost a run of the default
 * scenario more than its scheduler's picks. `sim/rng_test.ts` holds this to
 * the library's numbers.
 *
 * @module
 */

/** A seeded source of uniform integers. */
export interface Rng {
  /** A uniform integer in `[0, n)`. */
  int(n: number): number;
}

const WIDTH = 256;
const MASK = WIDTH - 1;
/** 256^6: the denominator of a double's first six bytes. */
const START_DENOM = WIDTH ** 6;
const SIGNIFICANCE = 2 ** 52;
const OVERFLOW = 2 * SIGNIFICANCE;

/**
 * RC4 keyed as seedrandom keys it (its `mixkey` of the seed string, then the
 * key schedule, then 256 bytes dropped), with its way of making a double.
 */
class Arc4 {
  readonly #s = new Uint8Array(WIDTH);
  #i = 0;
  #j = 0;

  constructor(seed: string) {
    // mixkey: the key is the seed's characters smeared over at most 256 slots.
    const key: number[] = [];
    let smear = 0;
    for (let j = 0; j < seed.length; j++) {
      const at = MASK & j;
      smear ^= (key[at] ?? 0) * 19;
      key[at] = MASK & (smear + seed.charCodeAt(j));
    }
    if (key.length === 0) key.push(0);
    const s = this.#s;
    for (let i = 0; i < WIDTH; i++) s[i] = i;
    for (let i = 0, j = 0; i < WIDTH; i++) {
      const t = s[i];
      j = MASK & (j + key[i % key.length] + t);
      s[i] = s[j];
      s[j] = t;
    }
    this.bytes(WIDTH); // RC4-drop[256]
  }

  /** The next `count` output bytes as one big-endian number. */
  bytes(count: number): number {
    const s = this.#s;
    let i = this.#i, j = this.#j, r = 0;
    while (count-- > 0) {
      i = MASK & (i + 1);
      const t = s[i];
      j = MASK & (j + t);
      s[i] = s[j];
      s[j] = t;
      r = r * WIDTH + s[MASK & (s[i] + t)];
    }
    this.#i = i;
    this.#j = j;
    return r;
  }

  /** A double in `[0, 1)` with 52 random bits: seedrandom's `prng()`. */
  double(): number {
    let n = this.bytes(6), d = START_DENOM, x = 0;
    while (n < SIGNIFICANCE) {
      n = (n + x) * WIDTH;
      d *= WIDTH;
      x = this.bytes(1);
    }
    while (n >= OVERFLOW) {
      n /= 2;
      d /= 2;
      x >>>= 1;
    }
    return (n + x) / d;
  }
}

/**
 * A seeded generator; `stream` separates independent uses of one seed.
 *
 * @example
 * ```ts
 * import { makeRng } from "./rng.ts";
 * const a = makeRng(7, "x"), b = makeRng(7, "x");
 * console.assert(a.int(100) === b.int(100));
 * ```
 */
export function makeRng(seed: number | string, stream = ""): Rng {
  const arc4 = new Arc4(`${seed}/${stream}`);
  return { int: (n) => Math.floor(arc4.double() * n) };
}
