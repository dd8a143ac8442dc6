import service from "../blobby.ts";
const cfg = JSON.parse("{not json");
export default service;
export const x = cfg;
