// blobfs/hostile/load_throws2.ts: HOSTILE: a missing chunk table at load (an Error, not a SyntaxError).
import blobPager from "./blob_pager.ts";
const table: Record<string, number> = {};
if (table.chunks === undefined) throw new Error("blob chunk table missing");
export default blobPager;
