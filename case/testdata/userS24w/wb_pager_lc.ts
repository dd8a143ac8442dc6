// The correct service, held to a contract that also lets files close and re-open.
import type { ServiceContractInput } from "../../../mod.ts";
import { contract as base } from "./wb_pager.ts";
export { default, flush } from "./wb_pager.ts";
export const contract: ServiceContractInput = { ...base, lifecycle: true };
