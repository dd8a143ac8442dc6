// Module state kept in static class fields (userS28k's v4c_static_only.ts counted supplies in one).
class Tired {
  static seen = 0; // ✗
  static readonly log: string[] = []; // ✗
  static cache = new Map<number, number>(); // ✗
  static last: number | null = null; // ✗
  bump(key: number): boolean {
    Tired.seen++;
    Tired.log.push(String(key));
    Tired.cache.set(key, 1);
    Tired.last = key;
    return Tired.seen > 40;
  }
  static reset(): void {
    this.seen = 0;
  }
}

// Look-alikes: read-only statics, statics only read, instance fields.
class Quiet {
  static readonly LIMIT = 40;
  static readonly NAMES = ["a", "b"];
  static pages = 4;
  count = 0;
  bump(): number {
    this.count++;
    return Quiet.LIMIT + Quiet.NAMES.length + Quiet.pages + this.count;
  }
}

export function* service(key: number): Generator<number, void, unknown> {
  yield new Tired().bump(key) ? 1 : new Quiet().bump();
}
