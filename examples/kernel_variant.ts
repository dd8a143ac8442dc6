// A kernel variant (README, "Writing a kernel variant"): the kernel model with one change, here
// "OP_FAIL wakes every waiter with ZX_ERR_IO, whatever error the pager passed". Run it with
// `deno task sim --kernel examples/kernel_variant.ts`, `deno task fuzz --kernel ... --corpus DIR`
// or `deno task conformance --kernel ...`; in another project import from "pagersim" and
// "pagersim/constants" instead of the paths below.
import { Kernel, type KernelOptions, type PagerProxy, PageSource, type Status } from "../mod.ts";
import { ZX_ERR_IO } from "../kernel/constants.ts";

/** The request tracking of one pager VMO, with the changed step overridden. */
class IoOnFailSource extends PageSource {
  override onPagesFailed(start: number, end: number, _error: Status): void {
    super.onPagesFailed(start, end, ZX_ERR_IO); // the model's step, with the change
  }
}

/** The kernel model, building each pager VMO's page source through the seam. */
class IoOnFailKernel extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy); // keeps the model's request ids
    return new IoOnFailSource(vmoKoid, proxy, this.sink, model.nextId);
  }
}

/** What `--kernel` loads: a new kernel for each run. */
export function makeKernel(options: KernelOptions): Kernel {
  return new IoOnFailKernel(options);
}
