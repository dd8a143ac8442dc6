/**
 * The reference writeback service as a `--service` module held to a contract
 * that excludes trap-dirty and resizable VMOs (so resizes too) and writeback
 * requests: a campaign with it must deliver none of them
 * (`fuzz/contract_test.ts`; `writeback_service.ts` is the same service
 * without a contract, which gets them all).
 *
 * @module
 */

import { makeWritebackService } from "../../services/writeback.ts";
import type { ServiceContractInput } from "../../scenario/service_contract.ts";

export default makeWritebackService({});

/** No trap-dirty or resizable VMOs, no writeback requests; port and pager private (the default). */
export const contract: ServiceContractInput = {
  vmoOptions: { trapDirty: false, resizable: false },
  writeback: false,
};
