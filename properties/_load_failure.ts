/**
 * Why a module a guarded property imports (`serviceModule`, `kernelModule`) did not load, in one
 * line that names the module and says where, in the words of the commands' loader
 * (`case/store.ts` `loadFailure`, which properties/ cannot import: case/ imports properties/).
 * trial36: `guardedPagerProperty: SyntaxError: Unexpected token ...` named neither.
 *
 * @module
 */

import { isPagersimCode } from "../sim/variant_crash.ts";

/**
 * A `file:` URL as the user reads it: relative to the working directory when inside it.
 *
 * @hostSide reads the working directory to word an error: no run's outcome reads it
 */
function shown(url: string): string {
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    return url;
  }
  const cwd = Deno.cwd().replace(/\/*$/, "/");
  return path.startsWith(cwd) ? path.slice(cwd.length) : path;
}

/**
 * The reason `e`, thrown by an import of `module` (as the test gave it), in one line: `syntax
 * error at FILE:L:C: ...` (Deno's parse error), `the module threw while loading, at FILE:L:C:
 * Name: message` (an error thrown by the module's code, at its first frame in a file of the
 * user's: not pagersim's own, `isPagersimCode`), or `Name: message`.
 *
 * @example
 * ```ts ignore
 * moduleLoadFailure("./m.ts", new Error("blob chunk table missing"));
 * // "serviceModule ./m.ts did not load: the module threw while loading, at m.ts:4:35: Error: blob chunk table missing"
 * ```
 */
export function moduleLoadFailure(
  what: "serviceModule" | "kernelModule",
  module: string,
  e: unknown,
): string {
  const head = `${what} ${module.startsWith("file:") ? shown(module) : module} did not load`;
  if (!(e instanceof Error)) return `${head}: the module threw ${String(e)} while loading`;
  const first = e.message.split("\n")[0];
  const at = [...e.message.matchAll(/^\s+at (file:\/\/\S+?):(\d+):(\d+)\s*$/gm)].at(-1);
  if (first.startsWith("SyntaxError: ") && at !== undefined) {
    return `${head}: syntax error at ${shown(at[1])}:${at[2]}:${at[3]}: ${
      first.slice("SyntaxError: ".length)
    }`;
  }
  // pagersim's own code by the commands' rule (case/store.ts loadFailure): its folders and
  // mod.ts; a folder of the user's inside pagersim's tree is the user's.
  const frame = [...(e.stack ?? "").matchAll(/\(?(file:\/\/[^\s()]+?):(\d+):(\d+)\)?\s*$/gm)]
    .find((f) => !isPagersimCode(f[1]));
  const text = `${e.name}: ${first}`.replace(
    / in JSON at position (\d+) \(line (\d+) column (\d+)\)/,
    " in JSON at position $1 (line $2 column $3 of the text given to JSON.parse)",
  );
  return frame === undefined
    ? `${head}: ${text}`
    : `${head}: the module threw while loading, at ${shown(frame[1])}:${frame[2]}:${
      frame[3]
    }: ${text}`;
}
