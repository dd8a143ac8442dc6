const m = Math;
export const roll = (): number => m.random(); // ✗
