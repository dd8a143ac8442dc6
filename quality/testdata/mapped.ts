// Types that transpiling erases: every offset after them moves, so the raw V8
// ranges only land on the right lines through the emitted code's source map.
interface Wide {
  a: number;
  b: string;
  c: readonly boolean[];
  d: Record<string, number>;
}
type Maybe = Wide | undefined;

export function used(x: Maybe): number {
  if (x === undefined) return 0; // BRANCH never taken
  return x.a + 1;
}

export function unused(y: number): number {
  const z: number = y * 2; // UNUSED
  return z + 1; // UNUSED
}

if (import.meta.main) console.log(used({ a: 1, b: "", c: [], d: {} }));
