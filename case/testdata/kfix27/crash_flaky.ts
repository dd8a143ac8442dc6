// A hostile kernel variant (the kfix27 brief, as a user would write one): its PageSource throws
// on every 7th supply counted by a module-level `let`, so a campaign worker's later runs fail
// where a fresh load of the module passes. The determinism lint names the `let`; fuzz's
// investigation replays with a fresh instance of this module and reports nondeterminism.
import { Kernel, type KernelOptions, type PagerProxy, PageSource } from "../../../mod.ts";
let calls = 0;
class CrashFlaky extends PageSource {
  override onPagesSupplied(start: number, end: number): void {
    calls++;
    if (calls % 7 === 0) throw new Error("flaky " + calls);
    super.onPagesSupplied(start, end);
  }
}
class K extends Kernel {
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new CrashFlaky(vmoKoid, proxy, this.sink, model.nextId);
  }
}
export function makeKernel(options: KernelOptions): Kernel {
  return new K(options);
}
