/**
 * The hint a campaign prints when it writes a case of a user's service into pagersim's own
 * `corpus/` (trial37: a service in `trial37/` of pagersim's tree, fuzzed with the default
 * `--corpus corpus`, put its cases where pagersim's own `deno task test` replays them, and two of
 * them went stale there when the user edited the service). The default folder stays as it is;
 * the hint says where the case went and how to keep such findings in a folder of the user's.
 *
 * @module
 */

import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { PAGERSIM_PARTS } from "../sim/variant_crash.ts";

/** pagersim's root folder. */
const ROOT = fileURLToPath(new URL("../", import.meta.url));

/**
 * The one-line hint for cases of service `servicePath` written to corpus folder `corpus` (both
 * as the command resolved them), or null: the corpus is not pagersim's own `corpus/`, or the
 * service lies in one of pagersim's own folders (its parts, `sim/variant_crash.ts`, or
 * `examples/`, whose findings `corpus/` keeps on purpose), or outside pagersim's tree (another
 * project, whose `corpus/` is its own).
 *
 * @example
 * ```ts
 * import { ownCorpusHint } from "./_corpus_hint.ts";
 * const root = new URL("../", import.meta.url).pathname;
 * console.assert(ownCorpusHint(`${root}corpus`, `${root}myfs/pager.ts`)?.startsWith("hint: "));
 * console.assert(ownCorpusHint(`${root}corpus`, `${root}examples/my_service.ts`) === null);
 * console.assert(ownCorpusHint(`${root}myfs/corpus`, `${root}myfs/pager.ts`) === null);
 * ```
 */
export function ownCorpusHint(corpus: string, servicePath: string | null): string | null {
  if (servicePath === null || resolve(corpus) !== resolve(ROOT, "corpus")) return null;
  const rel = relative(ROOT, resolve(servicePath));
  if (rel.startsWith("..") || isAbsolute(rel)) return null;
  const top = rel.split(sep)[0];
  if (rel === "mod.ts" || PAGERSIM_PARTS.includes(top) || top === "examples") return null;
  const folder = dirname(servicePath);
  const mine = folder === "." ? "my-corpus" : `${folder}/corpus`;
  return `hint: ${corpus} is pagersim's own corpus, which its deno task test replays; keep the ` +
    `cases of ${servicePath} in a folder of yours with --corpus ${mine}, and replay them in ` +
    `your own test (README, "Writing your own pager service": Where its findings go)`;
}
