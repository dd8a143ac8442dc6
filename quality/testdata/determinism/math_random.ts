export function pick(n: number): number {
  return Math.floor(Math.random() * n); // ✗
}
