/**
 * The reference writeback service as a `--service` module, for campaigns in
 * which every pager writes back (the control for writeback_end_before_persist.ts).
 *
 * @module
 */

import { makeWritebackService } from "../../services/writeback.ts";

export default makeWritebackService({});
