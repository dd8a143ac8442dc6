import { Kernel, type KernelOptions } from "../../../../mod.ts";
export function makeKernal(options: KernelOptions): Kernel {
  return new Kernel(options);
}
