// userS23's tinyfs_nosuspend.ts (a copy of the user's, imports made relative): tinyfs.ts under a contract without the suspend event.
import type { ServiceContractInput } from "../../../mod.ts";
import { contract as base } from "./tinyfs.ts";
export { default } from "./tinyfs.ts";
export const contract: ServiceContractInput = {
  ...base,
  events: ["detach", "closeVmo", "kill", "evict", "writeback"],
};
