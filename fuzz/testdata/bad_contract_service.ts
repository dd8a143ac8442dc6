/**
 * A service module whose contract is malformed (`vmoOptions.trapDirty` is a
 * string): loading it is one error line naming the field.
 *
 * @module
 */

export { default } from "./clean_service.ts";

/** Malformed on purpose. */
export const contract = { vmoOptions: { trapDirty: "no" } };
