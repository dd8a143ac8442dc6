/**
 * The command line of the small measuring tools (`tools/checker_costs.ts`,
 * `tools/judge_programs.ts`): numbers only, plus the flags a tool names;
 * `--help` prints the usage and exits 0, anything else is one error line and
 * exit 2.
 *
 * @module
 */

import { helpHint } from "../cli/args.ts";

/**
 * The numbers of `args` and which of `flags` were given; exits on `--help` or a bad argument.
 *
 * @example
 * ```ts
 * import { numericArgs } from "./_numeric_args.ts";
 * const { numbers, given } = numericArgs("usage: x [N]", ["3", "--fast"], ["--fast"]);
 * console.assert(numbers[0] === 3 && given.has("--fast"));
 * ```
 */
export function numericArgs(
  usage: string,
  args: readonly string[] = Deno.args,
  flags: readonly string[] = [],
): { numbers: number[]; given: Set<string> } {
  if (args.includes("--help")) {
    console.log(usage);
    Deno.exit(0);
  }
  const wrong = args.find((a) => a.startsWith("-") ? !flags.includes(a) : !/^\d+$/.test(a));
  if (wrong !== undefined) {
    console.error(
      wrong.startsWith("-") ? `error: unknown flag ${wrong}` : `error: ${wrong} is no number`,
    );
    console.error(helpHint(usage));
    Deno.exit(2);
  }
  return {
    numbers: args.filter((a) => !a.startsWith("-")).map(Number),
    given: new Set(args.filter((a) => a.startsWith("-"))),
  };
}
