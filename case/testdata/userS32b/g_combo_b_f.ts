// deno-lint-ignore-file no-explicit-any
// trial32b's variant (a copy from /work/userS32b/variants, its "pagersim" import made relative).
// Two independent bugs at once: (b) no COMPLETE on detach, and (f) DIRTY request one page too long.
import {
  Kernel,
  type KernelOptions,
  PagerProxy,
  type PageSource,
  type RequestType,
  type Status,
  type Waiter,
} from "../../../mod.ts";
import { makeKernel as makeF } from "./f_dirty_overreach.ts";

class NoCompleteProxy extends PagerProxy {
  override complete(): void {
    // BUG (b): COMPLETE never queued
  }
}

export function makeKernel(options: KernelOptions): Kernel {
  const k = makeF(options);
  (k as any).createPagerProxy = function (
    this: Kernel,
    vmoKoid: number,
    port: any,
    key: number,
  ): PagerProxy {
    const self = this as any;
    return new NoCompleteProxy(vmoKoid, port, key, self.pageSize, self.sink);
  };
  return k;
}
// (types kept for the reader)
export type _Unused = [PageSource, RequestType, Status, Waiter];
