export function show(n: number): string {
  return n.toLocaleString(); // ✗
}
export const sorted = (a: string[]): string[] => a.sort((x, y) => x.localeCompare(y)); // ✗
export const fmt = (n: number): string => new Intl.NumberFormat().format(n); // ✗
