/**
 * A crash of a kernel variant's own code (a `--kernel` module, or a module it imports): an
 * exception its override threw where the kernel model called it. It is the variant's bug, not a
 * pager semantics failure, and the kernel's state is left half-way through the step it threw in,
 * so what a checker says of that state afterwards is the crash's doing.
 *
 * @module
 */

/**
 * pagersim's own folders and files under its root (the determinism lint's `LIBRARY_DIRS` are
 * these folders, held to `git ls-files` by its test): code anywhere else in the tree (a user's
 * `variants/`, `my_kernel.ts` beside `deno.json`) is the user's, and so is anything in a
 * `testdata/` or `examples/` folder.
 */
export const PAGERSIM_PARTS: readonly string[] = [
  "mod.ts",
  "corpus",
  "docs",
  "e2e",
  "kernel",
  "sim",
  "services",
  "scenario",
  "properties",
  "case",
  "fuzz",
  "explore",
  "program",
  "zoo",
  "report",
  "quality",
  "tools",
  "cli",
  "conformance",
  "bench",
  "mutate",
];

/** pagersim's own tree, as a `file:` URL prefix. */
const OWN_URL = new URL("../", import.meta.url).href;

/**
 * Whether a path inside a pagersim checkout (relative to its root, `/`-separated) is pagersim's
 * own code: mod.ts, or a file in one of {@linkcode PAGERSIM_PARTS}' folders outside any
 * `testdata/` or `examples/` folder. The one rule behind {@linkcode isPagersimCode}, the thread
 * stacks' frames (`properties/thread_stack.ts`) and the determinism lint's library
 * (`quality/determinism_lint.ts` `isPagersimLibrary`).
 *
 * @example
 * ```ts
 * import { isPagersimPath } from "./variant_crash.ts";
 * console.assert(isPagersimPath("mod.ts") && isPagersimPath("kernel/kernel.ts"));
 * console.assert(!isPagersimPath("blobfs/pager.ts") && !isPagersimPath("helper.ts"));
 * console.assert(!isPagersimPath("case/testdata/u/svc.ts") && !isPagersimPath("kernel"));
 * ```
 */
export function isPagersimPath(rel: string): boolean {
  if (/(^|\/)(testdata|examples)\//.test(rel)) return false;
  const parts = rel.split("/");
  if (parts.length === 1) return parts[0] === "mod.ts";
  return parts[0] !== "mod.ts" && PAGERSIM_PARTS.includes(parts[0]);
}

/** Whether a `file:` URL is pagersim's own code, and whether it is its kernel model's. */
function ownership(url: string): "kernel" | "own" | "user" {
  if (!url.startsWith(OWN_URL)) return "user";
  const rel = url.slice(OWN_URL.length);
  if (!isPagersimPath(rel)) return "user";
  return rel.startsWith("kernel/") ? "kernel" : "own";
}

/**
 * Whether a `file:` URL is pagersim's own code: in this tree, in one of {@linkcode PAGERSIM_PARTS}
 * (or mod.ts), outside any `testdata/` or `examples/` folder. A user's folder in the tree
 * (`myfs/pager.ts`, as README places a service) is the user's; so are our test fixtures, which
 * stand in for a user's modules.
 *
 * @example
 * ```ts
 * import { isPagersimCode } from "./variant_crash.ts";
 * console.assert(isPagersimCode(new URL("../case/store.ts", import.meta.url).href));
 * console.assert(!isPagersimCode(new URL("../myfs/pager.ts", import.meta.url).href));
 * console.assert(!isPagersimCode(new URL("../case/testdata/m.ts", import.meta.url).href));
 * console.assert(!isPagersimCode("file:///elsewhere/fs.ts"));
 * ```
 */
export function isPagersimCode(url: string): boolean {
  return ownership(url) !== "user";
}

/**
 * Where a thread's exception was thrown when it came from a kernel variant's own code (a
 * `--kernel` module or its imports): `file.ts:LINE` of the top frame when the topmost frames are
 * a user's and the first of pagersim's below them is the kernel model's (the model called into
 * the variant's override, which threw); null otherwise (a service's exception, or the model's
 * own). A service's code is never called by the kernel model: its frames sit under the
 * scheduler's.
 *
 * @example
 * ```ts
 * import { variantCrashSite } from "./variant_crash.ts";
 * const kernel = new URL("../kernel/vmo_pages.ts", import.meta.url).href;
 * const stack = "TypeError: x is not a function\n" +
 *   "    at Src.detach (file:///me/k_typo.ts:13:37)\n" +
 *   `    at VmoPages.detach (${kernel}:1229:12)`;
 * console.assert(variantCrashSite(stack) === "k_typo.ts:13");
 * console.assert(variantCrashSite("Error: x\n    at svc (file:///me/fs.ts:3:1)") === null);
 * // A variant kept in a folder of its own inside pagersim's tree is the user's code too.
 * const inTree = new URL("../variants/v7.ts", import.meta.url).href;
 * const populate = `TypeError: y\n    at S.populate (${inTree}:5:23)\n    at f (${kernel}:310:27)`;
 * console.assert(variantCrashSite(populate) === "v7.ts:5");
 * ```
 */
export function variantCrashSite(stack: string): string | null {
  const frames = [...stack.matchAll(/^\s+at (?:.*\()?(file:\/\/[^\s()]+?):(\d+):\d+\)?\s*$/gm)];
  const top = frames[0];
  if (top === undefined || ownership(top[1]) !== "user") return null;
  const below = frames.find((f) => ownership(f[1]) !== "user");
  if (below === undefined || ownership(below[1]) !== "kernel") return null;
  return `${top[1].slice(top[1].lastIndexOf("/") + 1)}:${top[2]}`;
}

/**
 * What to say of a thread fault thrown in a kernel variant's own code: a crash of the variant,
 * not a pager semantics failure the checkers found.
 */
export function variantCrashNote(site: string): string {
  return `a crash of the kernel variant's own code (${site}, called by the kernel model), not a ` +
    `pager semantics failure the checkers found`;
}
