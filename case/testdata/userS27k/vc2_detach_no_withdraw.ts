// userS27k's vc2_detach_no_withdraw.ts (a copy, import made relative).
// Variant (c'): detach forgets to withdraw request packets still queued on the port (it only
// marks the requests detached and queues COMPLETE), so the service can still take a READ for a
// VMO that is already detached, after or before its COMPLETE.
import { Kernel, type KernelOptions, type PagerProxy, PageSource } from "../../../mod.ts";

type Sink = ConstructorParameters<typeof PageSource>[2];
type NextId = ConstructorParameters<typeof PageSource>[3];

class NoWithdrawSource extends PageSource {
  #detaching: Set<number>;
  #koid: number;
  constructor(koid: number, proxy: PagerProxy, sink: Sink, nextId: NextId, detaching: Set<number>) {
    super(koid, proxy, sink, nextId);
    this.#koid = koid;
    this.#detaching = detaching;
  }
  override detach(): void {
    this.#detaching.add(this.#koid);
    try {
      super.detach();
    } finally {
      this.#detaching.delete(this.#koid);
    }
  }
}

class NoWithdrawKernel extends Kernel {
  readonly detaching = new Set<number>();
  protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
    const model = super.createPageSource(vmoKoid, proxy);
    return new NoWithdrawSource(vmoKoid, proxy, this.sink, model.nextId, this.detaching);
  }
  protected override createPagerProxy(vmoKoid: number, port: unknown, key: unknown): PagerProxy {
    const proxy = super.createPagerProxy(vmoKoid, port as never, key as never);
    const withdraw = proxy.withdraw.bind(proxy);
    proxy.withdraw = ((req: never) => {
      if (this.detaching.has(vmoKoid)) return false as never; // BUG: skipped on detach
      return withdraw(req);
    }) as typeof proxy.withdraw;
    return proxy;
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new NoWithdrawKernel(options);
}
