export function globals(): string[] {
  return Object.keys(globalThis); // ✗
}
export function names(): string[] {
  const out: string[] = [];
  for (const k in self) out.push(k); // ✗
  return out;
}
// Iterating an object the code built is deterministic: not a finding.
export const own = (): string[] => Object.keys({ a: 1, b: 2 });
