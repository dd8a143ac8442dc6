/**
 * Why a user's module did not load, in one line that says where, in the words every loader of
 * pagersim uses: the commands' (`case/store.ts`, `--service`/`--kernel` and a case's modules) and
 * the guarded property's (`properties/_load_failure.ts`, `serviceModule`/`kernelModule`). Both
 * called their own copy of these rules until session 37; properties/ cannot import case/, so the
 * one copy sits here, below both. It reads no host state: the caller passes the working
 * directory that paths are shown relative to.
 *
 * @module
 */

import { isAbsolute, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { isPagersimCode } from "./variant_crash.ts";

/**
 * A `file:` URL's path as the user reads it: relative to `cwd` when under it, else absolute; a
 * string that is no `file:` URL comes back as it is.
 *
 * @example
 * ```ts
 * import { shownPath } from "./load_failure.ts";
 * console.assert(shownPath("file:///home/u/proj/myfs/pager.ts", "/home/u/proj") === "myfs/pager.ts");
 * console.assert(shownPath("file:///elsewhere/fs.ts", "/home/u/proj") === "/elsewhere/fs.ts");
 * ```
 */
export function shownPath(url: string, cwd: string): string {
  let file: string;
  try {
    file = fileURLToPath(url);
  } catch {
    return url;
  }
  const rel = relative(cwd, file);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
}

/**
 * Why a module did not load, in one line that says where: a syntax error at Deno's position
 * (`syntax error at bad/m8.ts:1:32: Unexpected token ...`), an error thrown while the module ran
 * at the first frame of the stack in the user's code, not pagersim's (`the module threw while
 * loading, at bad/m3b.ts:3:9: Error: blob index missing`); a JSON.parse position reads as the
 * parsed text's, not the source's (userS23b took `(line 1 column 2)` for a position in m3.ts);
 * an import of `pagersim` that the user's deno.json does not map says to map it.
 *
 * pagersim's own code is its folders' ({@linkcode isPagersimCode}), not all under its root: the
 * README places a service in the tree (`myfs/pager.ts`), and trial36's `blobfs/` lost its
 * file:line. With no frame of the user's (an import that does not resolve, "Module not found"),
 * the error is the module's, not the line of pagersim that imported it (userS24k was shown
 * store.ts:749).
 *
 * @example
 * ```ts
 * import { loadFailure } from "./load_failure.ts";
 * const e = new Error("blob chunk table missing");
 * e.stack = "Error: blob chunk table missing\n    at file:///p/myfs/pager.ts:4:35";
 * console.assert(
 *   loadFailure(e, "/p") ===
 *     "the module threw while loading, at myfs/pager.ts:4:35: Error: blob chunk table missing",
 * );
 * ```
 */
export function loadFailure(e: unknown, cwd: string): string {
  if (!(e instanceof Error)) return `the module threw ${String(e)} while loading`;
  const first = e.message.split("\n")[0];
  // Deno reports a parse error with the position on a line of its own after the message.
  const syntax = /^(?:SyntaxError: )(.*)$/.exec(first);
  const at = [...e.message.matchAll(/^\s+at (file:\/\/\S+?):(\d+):(\d+)\s*$/gm)].at(-1);
  if (syntax !== null && at !== undefined) {
    return `syntax error at ${shownPath(at[1], cwd)}:${at[2]}:${at[3]}: ${syntax[1]}`;
  }
  const frames = [...(e.stack ?? "").matchAll(/\(?(file:\/\/[^\s()]+?):(\d+):(\d+)\)?\s*$/gm)];
  const user = frames.find((f) => !isPagersimCode(f[1]));
  const text = `${e.name}: ${first}`.replace(
    / in JSON at position (\d+) \(line (\d+) column (\d+)\)/,
    " in JSON at position $1 (line $2 column $3 of the text given to JSON.parse)",
  );
  const bare = /^TypeError: Import "(pagersim[^"]*)" not a dependency/.exec(text);
  if (user === undefined && bare !== null) {
    return `${text.split(" from ")[0]}: map "${bare[1]}" in the imports of your deno.json ` +
      `(README, "In another project")`;
  }
  return user === undefined
    ? text
    : `the module threw while loading, at ${shownPath(user[1], cwd)}:${user[2]}:${
      user[3]
    }: ${text}`;
}
