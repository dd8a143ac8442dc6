/**
 * A kernel variant module as a user writes one for `--kernel`: it exports
 * `makeKernel(options)` returning a `Kernel` subclass (here the zoo's
 * partial-supply-no-wake bug, so campaigns against it find something).
 *
 * @module
 */

import type { Kernel, KernelOptions } from "../../kernel/kernel.ts";
import { zooBug } from "../../zoo/registry.ts";

const variant = zooBug("partial-supply-no-wake").makeKernel;

/** The variant kernel. */
export function makeKernel(options: KernelOptions): Kernel {
  if (variant === undefined) throw new Error("partial-supply-no-wake has no kernel variant");
  return variant(options);
}
