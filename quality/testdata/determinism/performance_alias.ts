const p = performance; // ✗
export const now = (): number => p.now(); // ✗
