export function config(): string {
  const seed = Deno.env.get("SEED") ?? ""; // ✗
  return seed + Deno.hostname(); // ✗
}
const d = Deno;
export const pid = (): number => d.pid; // ✗
export const os = (): string => Deno.build.os; // ✗
