import { strict as assert } from "node:assert";
// @ts-types="npm:@types/seedrandom@3.0.8"
import seedrandom from "npm:seedrandom@3.0.5";
import { makeRng } from "./rng.ts";

/** The library's generator as sim/rng.ts used it before it wrote the algorithm out. */
function libraryRng(seed: number | string, stream: string) {
  const prng = seedrandom(`${seed}/${stream}`);
  return (n: number) => Math.floor(prng() * n);
}

Deno.test("makeRng draws seedrandom@3.0.5's numbers, seed for seed and draw for draw", () => {
  const streams = ["", "random", "scenario", "pct/3", "run/1499", "x".repeat(300)];
  const bounds = [1, 2, 3, 7, 100, 256, 1 << 30, 2 ** 31, 2 ** 40];
  for (const seed of [0, 1, 7, 42, 2 ** 31 - 1, -5, "abc", ""]) {
    for (const stream of streams) {
      const ours = makeRng(seed, stream), lib = libraryRng(seed, stream);
      const a: number[] = [], b: number[] = [];
      for (let i = 0; i < 500; i++) {
        const n = bounds[i % bounds.length];
        a.push(ours.int(n));
        b.push(lib(n));
      }
      assert.deepEqual(a, b, `seed ${seed}, stream "${stream.slice(0, 20)}"`);
    }
  }
});

Deno.test("makeRng: many campaign-like seeds agree with the library on their first draws", () => {
  for (let s = 0; s < 2000; s++) {
    const ours = makeRng(s * 7919, `run/${s}`), lib = libraryRng(s * 7919, `run/${s}`);
    for (let i = 0; i < 8; i++) assert.equal(ours.int(2 ** 31), lib(2 ** 31), `seed ${s}`);
  }
});
