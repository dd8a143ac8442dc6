/** tinyfs, seeded lost wake-up on: `deno task fuzz --service tinyfs/tinyfs_bug.ts`. */
import { makeTinyfs, tinyfsContract } from "./pager.ts";

const fs = makeTinyfs({ lostWakeup: true });
export default fs.serve;
export const open = fs.open;
export const close = fs.close;
export const flush = fs.flush;
export const contract = tinyfsContract;
