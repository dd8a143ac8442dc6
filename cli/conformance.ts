/**
 * `deno task conformance`: the Zircon pager conformance cases against the kernel model, or
 * against a kernel variant (`--kernel PATH`), per area (`conformance/run.ts` runs them). Its
 * command line goes through the parser every command shares.
 *
 * @module
 */

import { loadKernelModule } from "../case/store.ts";
import { runConformance } from "../conformance/run.ts";
import { type FlagSpec, HELP_FLAG, parseFlags, runCommand, usage } from "./args.ts";

const FLAGS: Record<string, FlagSpec> = {
  filter: { type: "string", value: "S", help: 'run only cases whose "id name" holds S' },
  kernel: {
    type: "string",
    value: "PATH",
    help: "a kernel variant module exporting makeKernel(options)",
  },
  verbose: { type: "boolean", help: "print the trace tail of each failure" },
  help: HELP_FLAG,
};

/** The usage text. */
export const USAGE: string = usage("deno task conformance", "[options]", FLAGS) +
  "\n\n--filter is case-sensitive; --kernel runs the cases against a kernel variant." +
  "\nExit status: 0 if no case failed, 1 otherwise, 2 bad input.";

/** The command: parses `args` (`-h` is `--help`), loads a `--kernel` module, runs the cases. */
export async function main(args: readonly string[]): Promise<number> {
  const { values } = parseFlags(args.map((a) => a === "-h" ? "--help" : a), FLAGS);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const kernel = (values.kernel as string | undefined) ?? null;
  // A bad module is a CaseFileError: one error line, exit 2 (runCommand).
  const makeKernel = kernel === null ? undefined : await loadKernelModule(kernel);
  return runConformance(
    {
      filter: (values.filter as string | undefined) ?? "",
      verbose: values.verbose === true,
      kernel,
    },
    makeKernel,
  );
}

if (import.meta.main) await runCommand(USAGE, () => main(Deno.args));
