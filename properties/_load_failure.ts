/**
 * Why a module a guarded property imports (`serviceModule`, `kernelModule`) did not load, in one
 * line that names the module and says where, in the commands' words (`sim/load_failure.ts`,
 * which `case/store.ts` calls too). trial36: `guardedPagerProperty: SyntaxError: Unexpected
 * token ...` named neither.
 *
 * @module
 */

import { loadFailure, shownPath } from "../sim/load_failure.ts";

/**
 * The reason `e`, thrown by an import of `module` (as the test gave it), in one line: `syntax
 * error at FILE:L:C: ...` (Deno's parse error), `the module threw while loading, at FILE:L:C:
 * Name: message` (an error thrown by the module's code, at its first frame in a file of the
 * user's: not pagersim's own, `isPagersimCode`), or `Name: message`.
 *
 * @hostSide reads the working directory to word an error: no run's outcome reads it
 *
 * @example
 * ```ts ignore
 * moduleLoadFailure("serviceModule", "./m.ts", new Error("blob chunk table missing"));
 * // "serviceModule ./m.ts did not load: the module threw while loading, at m.ts:4:35: Error: blob chunk table missing"
 * ```
 */
export function moduleLoadFailure(
  what: "serviceModule" | "kernelModule",
  module: string,
  e: unknown,
): string {
  const cwd = Deno.cwd();
  const head = `${what} ${
    module.startsWith("file:") ? shownPath(module, cwd) : module
  } did not load`;
  return `${head}: ${loadFailure(e, cwd)}`;
}
