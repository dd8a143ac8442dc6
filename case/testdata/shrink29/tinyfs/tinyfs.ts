/** tinyfs, bug off: `deno task fuzz --service tinyfs/tinyfs.ts`. */
import { makeTinyfs, tinyfsContract } from "./pager.ts";

const fs = makeTinyfs({ lostWakeup: false });
export default fs.serve;
export const open = fs.open;
export const close = fs.close;
export const flush = fs.flush;
export const contract = tinyfsContract;
