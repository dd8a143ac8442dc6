/**
 * `shrink_race_service.ts` with the bug fixed: a supply the shrink cut (ZX_ERR_OUT_OF_RANGE)
 * is made again at the new size. The same short campaign finds nothing in it
 * (`fuzz/shrink_race_test.ts`).
 *
 * @module
 */

import { makeShrinkRaceService } from "./shrink_race_service.ts";

export { contract } from "./shrink_race_service.ts";

const fixed = makeShrinkRaceService(true);
export default fixed.service;
/** The open entry (`contract.opens.entry`). */
export const open = fixed.open;
/** The close entry (`contract.opens.close`). */
export const close = fixed.close;
