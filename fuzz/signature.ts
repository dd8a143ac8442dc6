/**
 * Failure signatures (properties/signature.ts, where the checkers' reports can print them too),
 * and the case file names made from them.
 *
 * @module
 */

export * from "../properties/signature.ts";
export { signatureId, slug } from "../case/names.ts";
