/**
 * The reference pager services, by the name scenarios use for them.
 *
 * @module
 */

import { batchingService } from "./batching.ts";
import { detacherService } from "./detacher.ts";
import { eagerService } from "./eager.ts";
import { flakyService } from "./flaky.ts";
import type { PagerService } from "./service.ts";
import { writebackService } from "./writeback.ts";

export { batchingService, detacherService, eagerService, flakyService, writebackService };
export {
  DurableStore,
  makeWritebackService,
  WRITEBACK_KEY,
  type WritebackOptions,
} from "./writeback.ts";
export * from "./service.ts";
export { backingPage, backingRange, fileRange } from "./backing.ts";
export { CondVar, Mutex } from "./sync.ts";

/** Built-in services by scenario `service.kind`. */
export const REFERENCE_SERVICES: Readonly<Record<string, PagerService>> = {
  eager: eagerService,
  batching: batchingService,
  flaky: flakyService,
  detacher: detacherService,
  writeback: writebackService,
};
