// userS28k's v3b_drop_packet.ts (a copy, import made relative).
// Variant 3b: the proxy drops the packet of a READ request that starts at page 1 (a corner:
// "the second page of a file"). The request stays outstanding; no packet ever reaches the pager.
import {
  Kernel,
  type KernelOptions,
  type PageRequest,
  PagerProxy,
  type Port,
} from "../../../mod.ts";

class DroppingProxy extends PagerProxy {
  override send(request: PageRequest): void {
    if (request.type === "READ" && request.start === 1) return; // dropped
    super.send(request);
  }
}

class DroppingKernel extends Kernel {
  protected override createPagerProxy(vmoKoid: number, port: Port, key: number): PagerProxy {
    const model = super.createPagerProxy(vmoKoid, port, key);
    return new DroppingProxy(vmoKoid, port, key, model.pageSize, this.sink);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new DroppingKernel(options);
}
