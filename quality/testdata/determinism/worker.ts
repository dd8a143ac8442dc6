export function spawn(): void {
  new Worker(new URL("./math_random.ts", import.meta.url).href, { type: "module" }); // ✗
}
