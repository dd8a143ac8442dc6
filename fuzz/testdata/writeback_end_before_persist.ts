/**
 * A deliberately buggy writeback service for campaign tests: it ends
 * writeback (WRITEBACK_END) before persisting the data, so a page evicted in
 * between is re-supplied with stale content: an acknowledged write is lost.
 *
 * @module
 */

import { makeWritebackService } from "../../services/writeback.ts";

export default makeWritebackService({ endBeforePersist: true });
