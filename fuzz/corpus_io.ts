/**
 * Campaign findings as cases: the `pagersim/case@2` envelope (`case/`),
 * named by signature and written by the one writer (`case/store.ts`).
 *
 * @module
 */

export { knownSignatures, readCaseFile as loadCaseFile } from "../case/store.ts";
