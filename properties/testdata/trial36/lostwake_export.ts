// A module whose service is imported, then exported (trial36's local_export.ts style, over the
// lost wake-up): pagerProperty follows the import to find its source.
import lostWake, { contract } from "./blob_pager_lostwake.ts";
export { contract };
export default lostWake;
