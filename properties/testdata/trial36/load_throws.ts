// blobfs/hostile/load_throws.ts: HOSTILE: the chunk table is parsed at load and is corrupt.
import blobPager from "./blob_pager.ts";
const CHUNK_TABLE = JSON.parse('{"chunks": [1, 2,}');
export default blobPager;
export const chunks = CHUNK_TABLE;
