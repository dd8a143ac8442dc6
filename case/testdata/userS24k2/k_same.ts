// Kernel variant identical to the model.
import { Kernel, type KernelOptions } from "../../../mod.ts";

class SameKernel extends Kernel {}

export function makeKernel(options: KernelOptions): Kernel {
  return new SameKernel(options);
}
