// deno-lint-ignore-file no-explicit-any
// trial32b's variant (a copy from /work/userS32b/variants, its "pagersim" import made relative).
// Bug (c): off-by-one in the request PACKET: the packet of a request of 2+ pages says one page
// less than the request tracks (length computed as (end - start - 1) pages). The request itself
// is the model's, so the kernel waits for the last page the pager was never asked for.
import { Kernel, type KernelOptions, type PageRequest, PagerProxy } from "../../../mod.ts";

class ShortPacketProxy extends PagerProxy {
  private readonly shown = new Map<PageRequest, PageRequest>();
  private view(r: PageRequest): PageRequest {
    return this.shown.get(r) ?? r;
  }
  override send(request: PageRequest): void {
    if (request.end - request.start >= 2) {
      // PageRequest is exported as a type only: copy the record with its end one page short.
      const short = Object.assign(Object.create(Object.getPrototypeOf(request)), request, {
        end: request.end - 1,
      }) as PageRequest;
      this.shown.set(request, short); // BUG: off by one page
      super.send(short);
    } else super.send(request);
  }
  override withdraw(request: PageRequest): void {
    super.withdraw(this.view(request));
  }
  override swap(from: PageRequest, to: PageRequest): void {
    const shown = this.shown.get(from);
    if (shown) {
      this.shown.delete(from);
      this.shown.set(to, shown);
      return; // the packet already shown stays
    }
    super.swap(from, to);
  }
}

class ShortPacketKernel extends Kernel {
  protected override createPagerProxy(vmoKoid: number, port: any, key: number): PagerProxy {
    return new ShortPacketProxy(vmoKoid, port, key, this.pageSize, this.sink);
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  return new ShortPacketKernel(options);
}
