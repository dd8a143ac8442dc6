const r = Math.random; // ✗
export const roll = (): number => r();
