import * as wrappers from "./_lib/wrappers.ts";
import coin from "./_lib/default_export.ts";

export const both = (): number => wrappers.jitter(3) + (coin() ? 1 : 0); // ✗
export const element = (): number => Math["random"](); // ✗
