import { load } from "./_lib/host_side.ts";

export const config = (): Promise<string> => load("config.json"); // ✗
