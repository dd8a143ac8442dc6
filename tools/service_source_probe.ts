/**
 * How properties/service_source.ts's `moduleDefines` reads the project's own service modules:
 * every tracked module (tests left out) with a default-exported generator function (or a
 * `service` export), imported, and its service looked for in the module it came from (each must
 * be found: a note there would be a false one), then in each other such module (found there:
 * the same function text, a bug of the copy's in a helper the note cannot see).
 *
 * `deno run -A tools/service_source_probe.ts` (imports each module: run it in a clean tree).
 *
 * @module
 */

import { definedIn, moduleDefines } from "../properties/service_source.ts";

const git = new Deno.Command("git", { args: ["ls-files", "*.ts"], stdout: "piped" }).outputSync();
const files = new TextDecoder().decode(git.stdout).trim().split("\n")
  .filter((f) => !f.endsWith("_test.ts") && f !== "tools/service_source_probe.ts")
  .filter((f) =>
    /^export default function\s*\*|^export function\s*\*\s*service\b/m.test(
      Deno.readTextFileSync(f),
    )
  );
const services: { file: string; text: string }[] = [];
let unloadable = 0;
const missed: string[] = [];
for (const file of files) {
  let mod: Record<string, unknown>;
  try {
    mod = await import(new URL(`../${file}`, import.meta.url).href);
  } catch {
    unloadable++;
    continue;
  }
  const fn = mod.default ?? mod.service;
  if (typeof fn !== "function") continue;
  services.push({ file, text: fn.toString() });
  if (moduleDefines(file, fn) !== true) missed.push(file);
}
const sources = new Map(files.map((f) => [f, Deno.readTextFileSync(f)]));
let elsewhere = 0;
for (const s of services) {
  if ([...sources].some(([f, text]) => f !== s.file && definedIn(s.text, text))) elsewhere++;
}
console.log(
  `${files.length} service modules (${unloadable} throw while loading); of ${services.length} ` +
    `services, ${services.length - missed.length} found in their own module, ${missed.length} ` +
    `not${missed.length > 0 ? ` (${missed.join(", ")})` : ""}; ${elsewhere} also found in ` +
    `another module (the same function text)`,
);
