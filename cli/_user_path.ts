/**
 * Paths a user gives on the command line, taken from where they ran `deno task`.
 *
 * `deno task` runs a command in the folder of its deno.json and sets `INIT_CWD`
 * to the folder the user was in (`cd corpus && deno task repro x.json`). A
 * relative path is looked for there first, then in the project root (where the
 * printed replay lines name files from, so they run as printed from any folder
 * of the project); the command then uses it relative to the root.
 *
 * @module
 */

import { isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder `deno task` was run from (`INIT_CWD`) when it lies below the working
 * directory (the project root deno task runs in); null when unset, unreadable
 * (no `--allow-env=INIT_CWD`: never a prompt), the root itself or elsewhere (an
 * INIT_CWD inherited from an outer task).
 */
export function initCwd(): string | null {
  let from: string | undefined;
  try {
    const granted = Deno.permissions.querySync({ name: "env", variable: "INIT_CWD" });
    if (granted.state !== "granted") return null;
    from = Deno.env.get("INIT_CWD");
  } catch {
    return null;
  }
  if (from === undefined || from === "") return null;
  const rel = relative(Deno.cwd(), from);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? null : resolve(from);
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * A path the user typed, as the command should open it: relative to where they
 * ran `deno task` if it is there (or nowhere), else as given (relative to the
 * project root, as printed replay lines name files). Unchanged outside `deno task`.
 *
 * @example
 * ```ts
 * import { userPath } from "./_user_path.ts";
 * console.assert(userPath("/abs/x.json") === "/abs/x.json");
 * ```
 */
export function userPath(path: string): string {
  if (path === "" || path === "-" || isAbsolute(path)) return path;
  const from = initCwd();
  if (from === null) return path;
  const there = resolve(from, path);
  if (exists(there) || !exists(path)) return relative(Deno.cwd(), there);
  return path;
}

/**
 * For the error of a path the command could not find: " (looked in DIR)", DIR the
 * folder it was opened in, and when deno task ran from a subfolder, how a relative
 * path is looked for.
 */
export function lookedIn(path: string): string {
  const from = initCwd();
  return ` (looked in ${resolve(path, "..")}` +
    (from === null || isAbsolute(path)
      ? ")"
      : `; a relative path is looked for where deno task ran, ${from}, then in the ` +
        `project root, ${Deno.cwd()})`);
}

/**
 * A file of pagersim's examples as the user can open it: relative to the working directory when
 * under it, else absolute (userS23b, in its own project, was pointed at
 * `examples/file_lifecycle.json`, which is pagersim's, not its own).
 */
export function examplePath(name: string): string {
  const file = fileURLToPath(new URL(`../examples/${name}`, import.meta.url));
  const rel = relative(Deno.cwd(), file);
  return rel.startsWith("..") || isAbsolute(rel) ? file : rel;
}
