// blobfs/local_export.ts: a contract declared first, exported in a list (a common style).
import blobPager from "./blob_pager.ts";
import type { ServiceContractInput } from "../../../mod.ts";

const contract: ServiceContractInput = {
  vmoOptions: { trapDirty: true, resizable: false },
  vmoPages: { min: 1, max: 16 },
  threads: { min: 1, max: 1 },
  writeback: false,
};
export { contract };
export default blobPager;
