import { double, wobble } from "./_lib/reexport.ts";

export const delay = (n: number): number => double(n) + wobble(n); // ✗
