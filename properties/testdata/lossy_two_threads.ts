/**
 * The lossy service of the campaign tests under a contract of two service threads: a test that
 * holds it to one thread with `withContract` draws scenarios outside this module's export.
 *
 * @module
 */

import type { ServiceContractInput } from "../../scenario/service_contract.ts";

export { default } from "../../fuzz/testdata/lossy_service.ts";

/** Two service threads per pager, exactly. */
export const contract: ServiceContractInput = { threads: { min: 2, max: 2 } };
