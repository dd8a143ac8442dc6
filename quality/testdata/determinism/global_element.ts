export function stamp(): number {
  return globalThis["Date"].now(); // ✗
}
