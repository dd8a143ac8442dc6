/**
 * Imported first by `cli/fuzz.ts`: from the moment its modules start evaluating (loading the
 * kernel, the campaign, zod, ... takes a while on a loaded machine), SIGINT or SIGTERM ends the
 * command with one line and exit 130 or 143, until its main hands over to
 * {@linkcode earlyInterrupt} (cli/args.ts) with {@linkcode releaseStartupSignals}. A user's
 * Ctrl-C at 0.4 s ended fuzz silently. (A signal while Deno still loads the module graph, before
 * any code runs, is Deno's own: it ends the process silently, exit 130.)
 *
 * @module
 */

const command = (() => {
  const main = Deno.mainModule;
  const name = main.slice(main.lastIndexOf("/") + 1).replace(/\.ts$/, "");
  return name === "" ? "pagersim" : name;
})();

const listeners = (["SIGINT", "SIGTERM"] as const).map((signal) =>
  [signal, () => {
    console.error(
      `${command}: stopped by ${signal} while starting: nothing ran, nothing was written`,
    );
    Deno.exit(signal === "SIGINT" ? 130 : 143);
  }] as const
);
// A test that imports the command (for a function of it) keeps deno test's own Ctrl-C.
let released = /_test\.ts$/.test(Deno.mainModule);
if (!released) { for (const [s, f] of listeners) Deno.addSignalListener(s, f); }

/**
 * Ends the start-up handling (the command installs its own next); later calls do nothing.
 *
 * @example
 * ```ts
 * import { releaseStartupSignals } from "./_startup_signals.ts";
 * releaseStartupSignals();
 * releaseStartupSignals();
 * ```
 */
export function releaseStartupSignals(): void {
  if (released) return;
  released = true;
  for (const [s, f] of listeners) Deno.removeSignalListener(s, f);
}
