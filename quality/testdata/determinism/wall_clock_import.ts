import { wallMs } from "../../../fuzz/clock.ts";

export const started = (): number => wallMs(); // ✗
