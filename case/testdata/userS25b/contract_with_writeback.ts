import type { ServiceContractInput } from "../../../mod.ts";
export const contract: ServiceContractInput = {
  opens: { entry: "open", close: "close" },
  vmoOptions: { trapDirty: "always", resizable: false },
  threads: { min: 1, max: 2 },
  dirty: true,
  writeback: { entry: "flush" },
  reachable: { port: false, pager: false },
};
