// Module-level state a service's functions share across runs in one worker.
class Counter {
  n = 0;
  bump(): number {
    return ++this.n;
  }
}
const completed = new Set<number>(); // ✗
const cache: Map<string, number> = new Map(); // ✗
const log: string[] = []; // ✗
const stats = { reads: 0 }; // ✗
const counter = new Counter(); // ✗
let runs = 0; // ✗
let lastKey: number | null = null; // ✗
const table = [1, 2, 3]; // ✗

// Look-alikes: read-only tables, state filled once at load, per-run state.
const SIZES = [4, 8, 16];
const NAMES = new Map<number, string>([[1, "one"]]);
NAMES.set(2, "two");
const LIMITS = { pages: 4 };
let loadedOnce = 3;
loadedOnce++;

export function* service(key: number): Generator<number, void, unknown> {
  const mine = new Set<number>();
  mine.add(key);
  completed.add(key);
  if (cache.has("x")) cache.delete("x");
  log.push(String(key));
  stats.reads++;
  counter.bump();
  runs += 1;
  lastKey = key;
  table[0] = key;
  yield SIZES[0] + (NAMES.get(1)?.length ?? 0) + LIMITS.pages + mine.size;
}
