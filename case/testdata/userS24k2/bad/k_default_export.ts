import { Kernel, type KernelOptions } from "../../../../mod.ts";
export default function makeKernel(options: KernelOptions): Kernel {
  return new Kernel(options);
}
