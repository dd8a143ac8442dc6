import service from "../blobby.ts";
function loadConfig() {
  throw new Error("blob index missing");
}
loadConfig();
export default service;
