/**
 * File-name parts of a case: a slug and a short stable id of its signature.
 *
 * @module
 */

/**
 * A file-name-safe slug of a signature, at most `max` characters, with no dash at either end
 * (cut at `max`, it could end in one, and a name joined with `-` then held `--`: userS27k's
 * `...pending-requests--vc2-...`).
 *
 * @example
 * ```ts
 * import { slug } from "./names.ts";
 * console.assert(slug("K6: COMPLETE queued") === "k6-complete-queued");
 * console.assert(slug("ab cd", 3) === "ab");
 * ```
 */
export function slug(signature: string, max = 60): string {
  return rawSlug(signature, max).replace(/-$/, "");
}

/**
 * The slug as names were built before {@linkcode slug} trimmed a dash left by its cut: files of
 * such names stay where they are, and a writer looks for its finding under them too
 * (case/store.ts `writeCaseOutcome`).
 */
export function rawSlug(signature: string, max = 60): string {
  return signature.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, max);
}

/** A stable short id of a signature (FNV-1a, 8 hex digits): corpus file names. */
export function signatureId(signature: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < signature.length; i++) h = Math.imul(h ^ signature.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}
