// blobfs/reexport.ts: the blob pager re-exported under another name (a user's "v2" entry point).
export { contract, default } from "./blob_pager.ts";
