/**
 * File-name parts of a case: a slug and a short stable id of its signature.
 *
 * @module
 */

/** A file-name-safe slug of a signature. */
export function slug(signature: string): string {
  return signature.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
}

/** A stable short id of a signature (FNV-1a, 8 hex digits): corpus file names. */
export function signatureId(signature: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < signature.length; i++) h = Math.imul(h ^ signature.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}
