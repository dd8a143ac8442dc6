import { clock } from "./_lib/wrappers.ts";

export const tick = (): number => clock.now(); // ✗
