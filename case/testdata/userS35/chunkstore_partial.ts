// trial35/chunkstore_partial.ts: the chunk store pager, with the planted bug "partial-supply".
import { chunkStoreContract, makeChunkStore } from "./chunkstore_core.ts";

export const contract = chunkStoreContract;
export default makeChunkStore("partial-supply");
