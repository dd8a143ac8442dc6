/**
 * `--service PATH` and `--kernel PATH`, shared by `sim`, `repro`, `explore`
 * and `fuzz`: one flag spec and one loader, so the scenario and program
 * commands cannot drift in how they take a user's modules.
 *
 * @module
 */

import {
  insideProject,
  jsonErrorText,
  loadKernelModule,
  loadServiceModule,
} from "../case/store.ts";
import { Kernel, type KernelOptions } from "../kernel/kernel.ts";
import type { PagerService } from "../services/service.ts";
import { type FlagSpec, InputError, UsageError } from "./args.ts";
import {
  ContractSchemaError,
  parseContract,
  type ServiceContract,
} from "../scenario/service_contract.ts";
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

/**
 * `--contract-json JSON`, for `sim` and `repro`: the contract to hold `--service` to instead of
 * the module's `contract` export (a property's replay line carries the one its test bound with
 * `withContract`). The commands that write cases take no such flag: a case's module is replayed
 * with the contract the module exports.
 */
export const CONTRACT_JSON_FLAG: Record<string, FlagSpec> = {
  "contract-json": {
    type: "string",
    value: "JSON",
    help: "hold --service to this contract instead of the module's `contract` export " +
      "(the schema of that export)",
  },
};

/**
 * The contract `--contract-json` gives, checked with the schema of a module's `contract` export;
 * bad JSON or a bad field is one line naming it. Undefined when the flag is absent.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { contractFlag } from "./_module_flags.ts";
 * const service = "examples/my_service.ts";
 * assert.equal(contractFlag({ service, "contract-json": '{"clones":false}' })?.clones, false);
 * assert.throws(
 *   () => contractFlag({ service, "contract-json": '{"vmoOptions":{"trapDirty":"no"}}' }),
 *   /^InputError: --contract-json: contract\.vmoOptions\.trapDirty: /,
 * );
 * ```
 */
export function contractFlag(values: Record<string, unknown>): ServiceContract | undefined {
  const text = values["contract-json"];
  if (text === undefined) return undefined;
  if (values.service === undefined) {
    throw new UsageError("--contract-json is the contract of --service PATH: give both");
  }
  let json: unknown;
  try {
    json = JSON.parse(text as string);
  } catch (e) {
    throw new InputError(`--contract-json: not valid JSON: ${jsonErrorText(e, text as string)}`);
  }
  try {
    return parseContract(json, "--contract-json");
  } catch (e) {
    if (!(e instanceof ContractSchemaError)) throw e;
    // Several bad fields: `invalid contract:` and a line for each, as README and a module's
    // contract say them (userS27t read them joined by ";" on one line).
    throw new InputError(e.message);
  }
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
  const contract = contractFlag(values);
  return {
    // Inside the project tree, as --kernel, as fuzz and explore take it: the replay line and any
    // case the run writes name it relative to the tree (sim once took a module from anywhere).
    service: values.service !== undefined
      ? await loadServiceModule(
        await checkedInside(values.service as string),
        undefined,
        values.service as string, // contract errors name it as given
        contract,
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
