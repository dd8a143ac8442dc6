/**
 * The `deno` this process may start, by its permissions: the deno running it (`--allow-run` or
 * `--allow-run=PATH`), else `deno` by name (`--allow-run=deno`, as pagersim's own tasks allow
 * it: the one on the PATH), else null. One answer for every place that starts a deno of its own:
 * the guarded property's child process, the replay check of a failing `pagerProperty`, and
 * `conformance --kernel`'s row runner, which had each written it out (session 37 review).
 *
 * @hostSide reads this process's permissions, to choose where work runs: no run's outcome reads it
 *
 * @module
 */

/**
 * The deno this process may run, or null.
 *
 * @example
 * ```ts
 * import { runnableDeno } from "./_runnable_deno.ts";
 * const deno = runnableDeno();
 * console.assert(deno === null || deno === "deno" || deno === Deno.execPath());
 * ```
 */
export function runnableDeno(): string | null {
  const may = (command: string) => {
    try {
      return Deno.permissions.querySync({ name: "run", command }).state === "granted";
    } catch {
      return false;
    }
  };
  return may(Deno.execPath()) ? Deno.execPath() : may("deno") ? "deno" : null;
}
