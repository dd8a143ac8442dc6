import { makeChunkCache } from "./chunk_cache.ts";
export { contract } from "./chunk_cache.ts";
export default makeChunkCache({ lostWakeup: true });
