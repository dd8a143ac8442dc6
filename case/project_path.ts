/**
 * A module's path as a printed command should name it: relative to the project root (the nearest
 * directory at or above the working directory holding a deno.json(c), where `deno task` runs
 * pagersim's commands) when the module lies inside it, so the line can be pasted as printed from
 * anywhere in the project; the absolute path otherwise.
 *
 * @module
 */

import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root at or above `from`, or null (none, or the file system cannot be read). */
export function projectRootSync(from: string = Deno.cwd()): string | null {
  let dir = resolve(from);
  for (;;) {
    for (const name of ["deno.json", "deno.jsonc"]) {
      try {
        Deno.statSync(join(dir, name));
        return Deno.realPathSync(dir);
      } catch {
        // keep looking (or no read permission: no root)
      }
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/**
 * The path a printed command names a module by: `module` (a path, absolute or relative to the
 * working directory, or a `file:` URL) relative to the project root if it is inside it, else
 * absolute; a URL of another scheme as it is.
 *
 * @example
 * ```ts
 * import { pasteablePath } from "./project_path.ts";
 * const url = new URL("../examples/my_service.ts", import.meta.url);
 * console.assert(pasteablePath(url, new URL("../", import.meta.url).pathname) ===
 *   "examples/my_service.ts");
 * ```
 */
export function pasteablePath(module: string | URL, cwd: string = Deno.cwd()): string {
  let path: string;
  if (module instanceof URL || /^[a-z][a-z0-9+.-]*:\/\//i.test(module)) {
    const url = new URL(module);
    if (url.protocol !== "file:") return url.href;
    path = fileURLToPath(url);
  } else path = resolve(cwd, module);
  const root = projectRootSync(cwd);
  if (root === null) return path;
  let real = path;
  try {
    real = Deno.realPathSync(path);
  } catch {
    // not there (yet): compare the path as given
  }
  const rel = relative(root, real);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}
