// trial35/chunkstore.ts: the chunk store pager (correct).
import { chunkStoreContract, makeChunkStore } from "./chunkstore_core.ts";

export const contract = chunkStoreContract;
export default makeChunkStore("none");
