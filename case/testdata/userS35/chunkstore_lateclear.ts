// trial35/chunkstore_lateclear.ts: the chunk store pager, with the planted bug "late-clear".
import { chunkStoreContract, makeChunkStore } from "./chunkstore_core.ts";

export const contract = chunkStoreContract;
export default makeChunkStore("late-clear");
