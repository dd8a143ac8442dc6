/**
 * A copy of pagersim's code in a temporary folder, for tests that need a user's folder inside
 * pagersim's tree (`myfs/`, as README places a service), which a test cannot make in the tree
 * itself: CI lets a test write to corpus/ and /tmp only, and Deno makes no symlink under a scoped
 * --allow-write. Shared by cli/trial36_test.ts and cli/trial37_test.ts.
 *
 * @module
 */

import { PAGERSIM_PARTS } from "../sim/variant_crash.ts";

const ROOT = new URL("../", import.meta.url).pathname;

/** Copies the modules and JSON files under `from` to `to`, every folder but `testdata/`. */
export async function copyCode(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory && e.name !== "testdata") {
      await copyCode(`${from}/${e.name}`, `${to}/${e.name}`);
    }
    if (e.isFile && /\.(ts|json)$/.test(e.name)) {
      await Deno.copyFile(`${from}/${e.name}`, `${to}/${e.name}`);
    }
  }
}

/**
 * A new temporary folder holding pagersim's code (its parts' modules and JSON, outside
 * testdata/, but docs/, corpus/ and e2e/), mod.ts, deno.json and deno.lock; the caller adds its
 * user folder and removes the folder when done.
 *
 * @example
 * ```ts ignore
 * const dir = await pagersimCopy();
 * await copyCode("cli/testdata/trial36/myfs", `${dir}/myfs`);
 * ```
 */
export async function pagersimCopy(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-tree-" });
  for (const part of PAGERSIM_PARTS) {
    if (part === "mod.ts") await Deno.copyFile(`${ROOT}mod.ts`, `${dir}/mod.ts`);
    else if (!["docs", "corpus", "e2e"].includes(part)) {
      await copyCode(`${ROOT}${part}`, `${dir}/${part}`);
    }
  }
  for (const f of ["deno.json", "deno.lock"]) await Deno.copyFile(`${ROOT}${f}`, `${dir}/${f}`);
  return dir;
}
