/**
 * `--service PATH` and `--kernel PATH`, shared by `sim`, `repro`, `explore`
 * and `fuzz`: one flag spec and one loader, so the scenario and program
 * commands cannot drift in how they take a user's modules.
 *
 * @module
 */

import { insideProject, loadKernelModule, loadServiceModule } from "../case/store.ts";
import { Kernel, type KernelOptions } from "../kernel/kernel.ts";
import type { PagerService } from "../services/service.ts";
import { type FlagSpec, InputError } from "./args.ts";
import { fitToContract } from "../scenario/contract.ts";
import { defaultScenarioName } from "../scenario/default.ts";
import type { Scenario } from "../scenario/schema.ts";
import { examplePath } from "./_user_path.ts";

/** The --service and --kernel flag specs, each with its command's own help line. */
export function moduleFlags(help: { service: string; kernel: string }): Record<string, FlagSpec> {
  return {
    service: { type: "string", value: "PATH", path: true, help: help.service },
    kernel: { type: "string", value: "PATH", path: true, help: help.kernel },
  };
}

/**
 * Loads `--kernel PATH`: a module inside the project tree exporting
 * `makeKernel(options)` that returns a `Kernel` subclass.
 */
export async function loadKernelFlag(
  path: string,
): Promise<(options: KernelOptions) => Kernel> {
  const real = await insideProject(path, "--kernel");
  const make = await loadKernelModule(real, path); // errors name it as given
  return (options) => {
    const k = make(options);
    if (!(k instanceof Kernel)) {
      throw new InputError(`--kernel ${path}: makeKernel did not return a Kernel (subclass)`);
    }
    return k;
  };
}

/** `--service PATH` refused outside the project tree; PATH as given (messages name it so). */
async function checkedInside(path: string): Promise<string> {
  await insideProject(path, "--service");
  return path;
}

/** The modules `--service` and `--kernel` name, loaded (each undefined when its flag is absent). */
export async function loadModuleFlags(values: Record<string, unknown>): Promise<{
  service?: PagerService;
  makeKernel?: (options: KernelOptions) => Kernel;
}> {
  return {
    // Inside the project tree, as --kernel, as fuzz and explore take it: the replay line and any
    // case the run writes name it relative to the tree (sim once took a module from anywhere).
    service: values.service !== undefined
      ? await loadServiceModule(
        await checkedInside(values.service as string),
        undefined,
        values.service as string, // contract errors name it as given
      )
      : undefined,
    makeKernel: values.kernel !== undefined
      ? await loadKernelFlag(values.kernel as string)
      : undefined,
  };
}

/**
 * The built-in default scenario (`scenario`, bound to the user's service), fitted to the
 * service's contract when it has one: what changed goes to stderr in one line; a contract it
 * cannot be fitted to throws the ContractError, with a pointer to writing a scenario.
 */
export function fittedDefault(
  scenario: Scenario,
  services: Readonly<Record<string, PagerService>>,
): Scenario {
  const fit = fitToContract(
    scenario,
    services,
    "default scenario",
    examplePath("file_lifecycle.json"),
  );
  if (fit.note === null) return fit.scenario;
  console.error(`note: the default scenario, fitted to the service's contract: ${fit.note}`);
  // Its description says what is left (userS23: "…, a suspend" with the suspend dropped).
  return { ...fit.scenario, name: defaultScenarioName(fit.scenario) };
}

/**
 * Why `--kernel` (or `--mutant`) without `--corpus DIR` is refused, in a user's terms: where a
 * variant's findings go instead and how to keep them (userS25, in their own project, read "never
 * go to the regression corpus" as pagersim's corpus, which was no help).
 *
 * @example
 * ```ts
 * import { variantCorpusRefusal } from "./_module_flags.ts";
 * console.assert(variantCorpusRefusal("kernel").startsWith("--kernel needs --corpus DIR: "));
 * ```
 */
export function variantCorpusRefusal(flag: "kernel" | "mutant"): string {
  return `--${flag} needs --corpus DIR: a kernel variant's findings are bugs of that variant, ` +
    `not of your service, so they go only to a folder you name, never to the default corpus/ ` +
    `(your service's regression cases, which a corpus test replays). Name one beside the ` +
    `variant, e.g. ` +
    `--corpus corpus_kernel (created if missing), and keep it with it: deno task corpus list ` +
    `corpus_kernel lists its cases, deno task repro corpus_kernel/FILE.json replays one`;
}
