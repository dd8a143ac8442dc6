/**
 * Command-line parsing shared by the commands: known flags only, typed values,
 * and a one-line error plus usage (exit 2) for anything else.
 *
 * @module
 */

import { nearest as nearestName } from "../scenario/nearest.ts";
import { CaseFileError } from "../case/store.ts";
import { ProgramError } from "../program/program.ts";
import { ScenarioError } from "../scenario/schema.ts";
import { userPath } from "./_user_path.ts";

/** A flag a command accepts. */
export interface FlagSpec {
  readonly type: "string" | "boolean";
  /** Shown in the usage text. */
  readonly help: string;
  /** Value placeholder for string flags, e.g. "N". */
  readonly value?: string;
  /**
   * The value is a path the user typed: taken from where they ran `deno task`
   * (cli/_user_path.ts), so `cd corpus && deno task repro x.json` finds corpus/x.json.
   */
  readonly path?: boolean;
}

/** A usage error: printed as one line plus where the usage is ({@linkcode helpHint}), exit status 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Bad input other than the command line itself (a file, a scenario): one error, exit status 2. */
export class InputError extends Error {
  override name = "InputError";
}

/** Formats the usage text of a command. */
export function usage(command: string, synopsis: string, flags: Record<string, FlagSpec>): string {
  const rows = Object.entries(flags).map(([name, f]) =>
    `  --${name}${f.type === "string" ? ` ${f.value ?? "VALUE"}` : ""}`.padEnd(30) + f.help
  );
  return `usage: ${command} ${synopsis}\n\noptions:\n${rows.join("\n")}`;
}

/**
 * Parses `args` against `flags`: `--name VALUE` or `--name=VALUE` for a string
 * flag, `--name` for a boolean one, positionals if `allowPositionals`, and
 * everything after `--` as a positional. Anything else (an unknown flag, a
 * missing value, a value given to a boolean flag, a stray positional) throws
 * {@linkcode UsageError} with one line in our words, the same for every
 * command (node's parseArgs worded an unknown flag differently with and
 * without positionals, with an unbalanced quote). The values of `path` flags,
 * and the positionals from index `pathsFrom` on, are paths the user typed:
 * {@linkcode userPath} takes them from where `deno task` ran.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseFlags, UsageError } from "./args.ts";
 * const flags = { seed: { type: "string" as const, help: "" } };
 * assert.deepEqual(parseFlags(["--seed", "3", "f.json"], flags, true), {
 *   values: { seed: "3" },
 *   positionals: ["f.json"],
 * });
 * assert.throws(
 *   () => parseFlags(["--seeed", "3"], flags),
 *   (e) => e instanceof UsageError && e.message === "unknown flag --seeed; did you mean --seed?",
 * );
 * ```
 */
export function parseFlags(
  args: readonly string[],
  flags: Record<string, FlagSpec>,
  allowPositionals = false,
  pathsFrom = Infinity,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const values: Record<string, string | boolean | undefined> = {};
  const positionals: string[] = [];
  const positional = (a: string) => {
    if (!allowPositionals) {
      // A file given without its flag (`sim x.json`): name the flag that takes it.
      const flag = a.endsWith(".json") && Object.hasOwn(flags, "scenario")
        ? "scenario"
        : a.endsWith(".ts") && Object.hasOwn(flags, "service")
        ? "service"
        : null;
      throw new UsageError(
        `unexpected argument "${a}"${flag === null ? "" : `; did you mean --${flag} ${a}?`}`,
      );
    }
    positionals.push(a);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      for (const rest of args.slice(i + 1)) positional(rest);
      break;
    }
    // "-" alone is a positional (stdin, by convention); "-1" too: no command has short flags.
    if (!a.startsWith("-") || a === "-" || /^-\d/.test(a)) {
      positional(a);
      continue;
    }
    // -h: the one short flag everyone tries; the help flag's, wherever a command has one.
    if (a === "-h" && flags.help?.type === "boolean") {
      values.help = true;
      continue;
    }
    const eq = a.indexOf("=");
    const name = a.startsWith("--") ? a.slice(2, eq < 0 ? undefined : eq) : null;
    if (name === null || name === "" || !Object.hasOwn(flags, name)) {
      const shown = eq < 0 ? a : a.slice(0, eq);
      // A single dash (`-seed`, `-h` on a command without help) is matched as if doubled.
      const typed = name ?? a.replace(/^-+/, "").slice(0, eq < 0 ? undefined : eq - 1);
      const near = typed === "" ? null : nearest(typed, Object.keys(flags));
      throw new UsageError(
        `unknown flag ${shown}${near === null ? "" : `; did you mean --${near}?`}`,
      );
    }
    const f = flags[name];
    if (f.type === "boolean") {
      if (eq >= 0) throw new UsageError(`--${name} takes no value, got "${a}"`);
      values[name] = true;
      continue;
    }
    if (eq >= 0) {
      values[name] = a.slice(eq + 1);
      continue;
    }
    // `--seconds -1`: a negative number is the flag's value, so it reaches the flag's own range
    // check; any other word starting with "-" is a flag, so the value is missing.
    const next = args[i + 1];
    if (next === undefined || (next.startsWith("-") && !/^-\d/.test(next))) {
      throw new UsageError(`--${name} needs a value (--${name} ${f.value ?? "VALUE"})`);
    }
    values[name] = next;
    i++;
  }
  for (const [name, f] of Object.entries(flags)) {
    const v = values[name];
    if (f.path === true && typeof v === "string") values[name] = userPath(v);
  }
  for (let i = pathsFrom; i < positionals.length; i++) positionals[i] = userPath(positionals[i]);
  return { values, positionals };
}

/**
 * The flag name closest to `typed` (edit distance at most 2, or a prefix of
 * it), or null: a typo gets a suggestion, not only the usage.
 */
export function nearest(typed: string, names: readonly string[]): string | null {
  return nearestName(typed, names);
}

/**
 * The UsageError for a flag value that is none of `choices`: it names them all, and the nearest
 * one when the value looks like a typo of it.
 *
 * @example
 * ```ts
 * import { choiceError } from "./args.ts";
 * const e = choiceError("checkers", "kernel+servce", ["kernel", "kernel+service"]);
 * console.assert(
 *   e.message ===
 *     '--checkers must be kernel or kernel+service, got "kernel+servce"; did you mean kernel+service?',
 * );
 * ```
 */
export function choiceError(flag: string, got: string, choices: readonly string[]): UsageError {
  const list = choices.length > 1
    ? `${choices.slice(0, -1).join(", ")} or ${choices[choices.length - 1]}`
    : choices.join("");
  const near = nearestName(got, choices);
  return new UsageError(
    `--${flag} must be ${list}, got "${got}"${near === null ? "" : `; did you mean ${near}?`}`,
  );
}

/** An integer flag value in `[min, max]`, or a UsageError naming the flag. */
export function intFlag(
  values: Record<string, string | boolean | undefined>,
  name: string,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const v = values[name];
  if (v === undefined) return fallback;
  if (typeof v !== "string" || !/^-?\d+$/.test(v.trim())) {
    throw new UsageError(`--${name} must be an integer, got "${v}"`);
  }
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be between ${min} and ${max}, got ${v}`);
  }
  return n;
}

/**
 * Until `remove()`, SIGINT or SIGTERM ends the process at once with one line saying the job had
 * not started (exit 130 or 143): for a long job's set-up (reading the corpus, checking a
 * service) before the job installs its own handling. `remove()` may be called more than once.
 *
 * @example
 * ```ts
 * import { earlyInterrupt } from "./args.ts";
 * const early = earlyInterrupt("fuzz");
 * // ... set-up that may take seconds ...
 * early.remove();
 * early.remove();
 * ```
 */
export function earlyInterrupt(command: string): { remove(): void } {
  const on = (signal: Deno.Signal) => () => {
    console.error(
      `${command}: stopped by ${signal} before it started: nothing ran, nothing was written`,
    );
    Deno.exit(signal === "SIGINT" ? 130 : 143);
  };
  const listeners = (["SIGINT", "SIGTERM"] as const).map((s) => [s, on(s)] as const);
  for (const [s, f] of listeners) Deno.addSignalListener(s, f);
  let removed = false;
  return {
    remove() {
      if (removed) return;
      removed = true;
      for (const [s, f] of listeners) Deno.removeSignalListener(s, f);
    },
  };
}

/** Runs a command's main, turning UsageError into "error: ..." + a `--help` hint and exit 2. */
export async function runCommand(
  usageText: string,
  main: () => Promise<number> | number,
): Promise<never> {
  try {
    Deno.exit(await main());
  } catch (e) {
    Deno.exit(badInputStatus(e, usageText));
  }
}

/**
 * Prints bad input the way every command does (one error line; for a bad command line one more,
 * {@linkcode helpHint}) and returns exit status 2; rethrows anything else (a bug of ours keeps
 * its stack).
 */
export function badInputStatus(e: unknown, usageText: string): number {
  if (e instanceof UsageError) {
    const hint = helpHint(usageText);
    console.error(`error: ${e.message}${hint === "" ? "" : `\n${hint}`}`);
    return 2;
  }
  if (
    e instanceof InputError || e instanceof ScenarioError || e instanceof CaseFileError ||
    e instanceof ProgramError
  ) {
    console.error(`error: ${e.message}`);
    return 2;
  }
  throw e;
}

/**
 * The line under a usage error: where the options are (`run deno task fuzz --help for the
 * options`), not the whole usage, whose 40 lines buried the one error above them (kfix27); the
 * same line for every command, a one-line usage too. A usage naming no command we know: its
 * first line; no usage: nothing.
 *
 * @example
 * ```ts
 * import { helpHint, usage } from "./args.ts";
 * const text = usage("deno task fuzz", "[options]", { runs: { type: "string", help: "runs" } });
 * console.assert(helpHint(text) === "run deno task fuzz --help for the options");
 * const script = "usage: deno run --allow-read tools/x.ts [N]";
 * console.assert(helpHint(script) === "run deno run --allow-read tools/x.ts --help for the options");
 * console.assert(helpHint("usage: x FILE\n\nDoes x.") === "usage: x FILE");
 * ```
 */
export function helpHint(usageText: string): string {
  const command = /^usage: (deno task \S+|deno run .*?\.ts)(?=\s|$)/.exec(usageText);
  return command === null ? usageText.split("\n")[0] : `run ${command[1]} --help for the options`;
}

/** The `--help` flag every command takes. */
export const HELP_FLAG: FlagSpec = {
  type: "boolean",
  help: "print this help and exit (nothing is run or written)",
};

/**
 * The optional positive-number positional `index` of a script (`[SECONDS]`,
 * `[RUNS]`...), or `fallback`; anything else is a {@linkcode UsageError}
 * naming it.
 */
export function numberArg(
  positionals: readonly string[],
  index: number,
  name: string,
  fallback: number,
): number {
  const v = positionals[index];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !(n > 0)) {
    throw new UsageError(`${name} must be a positive number, got "${v}"`);
  }
  return n;
}

/**
 * Parses a script's command line: `--help` and up to `maxPositionals`
 * positionals. Returns null after printing `usageText` for `--help`; throws
 * {@linkcode UsageError} for anything else.
 */
export function scriptArgs(
  args: readonly string[],
  usageText: string,
  maxPositionals: number,
): string[] | null {
  const { values, positionals } = parseFlags(args, { help: HELP_FLAG }, true);
  if (values.help) {
    console.log(usageText);
    return null;
  }
  if (positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument "${positionals[maxPositionals]}"`);
  }
  return positionals;
}
