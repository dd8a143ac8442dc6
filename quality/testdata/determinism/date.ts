export function today(): string {
  return new Date().toISOString(); // ✗
}
const { now } = Date; // ✗
export const ms = (): number => now();
