export function stamp(): number {
  return globalThis.performance.now(); // ✗
}
export const id = (): string => self.crypto.randomUUID(); // ✗
