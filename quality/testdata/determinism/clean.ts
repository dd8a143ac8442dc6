// Look-alikes that are deterministic: the lint must report nothing here.
// Math.random() in a comment, Date.now() too.
const text = "Math.random() and Date.now() in a string";
const random = (n: number): number => n % 7; // a local named random
export type Stamp = Date; // a type, not a value
export function f(sys: { random(n: number): number; now: number }): number {
  const keys = Object.keys({ x: 1 });
  const m = new Map<string, number>([["a", 1]]);
  return Math.floor(random(sys.random(4)) + sys.now + keys.length + m.size + text.length);
}
export const digest = (b: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer> =>
  crypto.subtle.digest("SHA-256", b);
export const version = (): string => Deno.inspect(1);
