/**
 * Another service with lossy_service.ts's bug (it is that service, under another module and
 * content hash): a campaign on it must not treat lossy_service.ts's findings as known.
 *
 * @module
 */

export { default } from "./lossy_service.ts";
