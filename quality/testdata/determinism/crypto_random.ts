export function bytes(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(4)); // ✗
}
const c = crypto;
export const id = (): string => c.randomUUID(); // ✗
// Hashing is deterministic: not a finding.
export const hash = (b: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer> =>
  crypto.subtle.digest("SHA-256", b);
