// The README's contract example: examples/my_service.ts, held to a contract.
import type { ServiceContractInput } from "../mod.ts";

export { default } from "./my_service.ts";

export const contract: ServiceContractInput = {
  vmoOptions: { trapDirty: true, resizable: false }, // files never grow or shrink while open
  vmoPages: { min: 1, max: 64 },
  threads: { min: 1, max: 2 },
  clones: true,
  dirty: true, // it acknowledges DIRTY requests
  writeback: false, // no flush path: never asked for a writeback
  reachable: { port: false, pager: false }, // its port and pager are its own
  events: ["detach", "closeVmo", "suspend", "kill", "evict"],
};
