/**
 * `lossy_service.ts` held to a contract with VMOs of 2 to 6 pages and no
 * trap-dirty or resizable VMOs: its findings record the contract, and
 * shrinking never cuts a VMO below 2 pages (`fuzz/contract_test.ts`).
 *
 * @module
 */

import type { ServiceContractInput } from "../../scenario/service_contract.ts";

export { default } from "./lossy_service.ts";

/** VMOs of 2 to 6 pages, never trap-dirty or resizable. */
export const contract: ServiceContractInput = {
  vmoPages: { min: 2, max: 6 },
  vmoOptions: { trapDirty: false, resizable: false },
};
