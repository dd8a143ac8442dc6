const { random, floor } = Math; // ✗
export const roll = (n: number): number => floor(random() * n);
