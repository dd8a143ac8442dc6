/**
 * The syscall surface a simulated thread sees: `zx_*` calls in camelCase with
 * Zircon's argument order, bound to the calling thread. Every call is a
 * generator; call it with `yield*`.
 *
 * @module
 */

import type { Status } from "../kernel/constants.ts";
import type { Packet, UserPacket } from "../kernel/events.ts";
import type { DirtyRange } from "../kernel/dirty.ts";
import type { Kernel, KernelYield, PagerVmoStats, Syscall, VmoInfo } from "../kernel/kernel.ts";
import type { KThread } from "../kernel/objects.ts";

/** The body of a simulated thread: a generator that `yield*`s syscalls. */
export type ThreadBody = Generator<KernelYield, void, void>;

/** Draws a recorded random choice; provided by the world. */
export type Draw = (n: number) => number;

/**
 * One thread's view of the kernel.
 *
 * @example
 * ```ts
 * import { Kernel } from "../kernel/kernel.ts";
 * import { Sys } from "./sys.ts";
 * const kernel = new Kernel();
 * const [thread] = kernel.createThread("main", 1);
 * const sys = new Sys(kernel, thread, () => 0);
 * const call = sys.portCreate(0);
 * call.next(); // the syscall's scheduling point
 * const [status, port] = call.next().value as [number, number];
 * console.assert(status === 0 && port > 0);
 * ```
 */
export class Sys {
  constructor(readonly kernel: Kernel, readonly thread: KThread, readonly draw: Draw) {}

  /** This thread's id in the simulation. */
  get tid(): number {
    return this.thread.tid;
  }

  /** Virtual time in ticks. */
  get now(): number {
    return this.kernel.now;
  }

  /** The page size of this kernel. */
  get pageSize(): number {
    return this.kernel.pageSize;
  }

  /** Handle to the process's root VMAR. */
  get rootVmar(): number {
    return this.kernel.rootVmarHandle;
  }

  /** A uniform integer in `[0, n)`, drawn from the run's recorded decision source. */
  random(n: number): number {
    return this.draw(n);
  }

  pagerCreate(options: number): Syscall<[Status, number]> {
    return this.kernel.zx_pager_create(this.thread, options);
  }
  pagerCreateVmo(
    pager: number,
    options: number,
    port: number,
    key: number,
    size: number,
  ): Syscall<[Status, number]> {
    return this.kernel.zx_pager_create_vmo(this.thread, pager, options, port, key, size);
  }
  pagerDetachVmo(pager: number, vmo: number): Syscall<Status> {
    return this.kernel.zx_pager_detach_vmo(this.thread, pager, vmo);
  }
  pagerSupplyPages(
    pager: number,
    pagerVmo: number,
    offset: number,
    length: number,
    auxVmo: number,
    auxOffset: number,
  ): Syscall<Status> {
    return this.kernel.zx_pager_supply_pages(
      this.thread,
      pager,
      pagerVmo,
      offset,
      length,
      auxVmo,
      auxOffset,
    );
  }
  pagerOpRange(
    pager: number,
    op: number,
    pagerVmo: number,
    offset: number,
    length: number,
    data: number,
  ): Syscall<Status> {
    return this.kernel.zx_pager_op_range(this.thread, pager, op, pagerVmo, offset, length, data);
  }
  /** The ranges that fit in `bufferSize` bytes, and how many there are in all (`avail`). */
  pagerQueryDirtyRanges(
    pager: number,
    pagerVmo: number,
    offset: number,
    length: number,
    bufferSize: number,
  ): Syscall<[Status, DirtyRange[], number]> {
    return this.kernel.zx_pager_query_dirty_ranges(
      this.thread,
      pager,
      pagerVmo,
      offset,
      length,
      bufferSize,
    );
  }
  pagerQueryVmoStats(
    pager: number,
    pagerVmo: number,
    options: number,
    bufferSize: number,
  ): Syscall<[Status, PagerVmoStats | null]> {
    return this.kernel.zx_pager_query_vmo_stats(this.thread, pager, pagerVmo, options, bufferSize);
  }
  portCreate(options: number): Syscall<[Status, number]> {
    return this.kernel.zx_port_create(this.thread, options);
  }
  portQueue(port: number, packet: UserPacket): Syscall<Status> {
    return this.kernel.zx_port_queue(this.thread, port, packet);
  }
  portWait(port: number, deadline: number): Syscall<[Status, Packet | null]> {
    return this.kernel.zx_port_wait(this.thread, port, deadline);
  }
  portCancelKey(port: number, options: number, key: number): Syscall<Status> {
    return this.kernel.zx_port_cancel_key(this.thread, port, options, key);
  }
  handleClose(handle: number): Syscall<Status> {
    return this.kernel.zx_handle_close(this.thread, handle);
  }
  handleDuplicate(handle: number, rights: number): Syscall<[Status, number]> {
    return this.kernel.zx_handle_duplicate(this.thread, handle, rights);
  }
  handleReplace(handle: number, rights: number): Syscall<[Status, number]> {
    return this.kernel.zx_handle_replace(this.thread, handle, rights);
  }
  objectGetInfo(handle: number, topic: number): Syscall<[Status, VmoInfo | null]> {
    return this.kernel.zx_object_get_info(this.thread, handle, topic);
  }
  vmoCreate(size: number, options: number): Syscall<[Status, number]> {
    return this.kernel.zx_vmo_create(this.thread, size, options);
  }
  vmoGetSize(handle: number): Syscall<[Status, number]> {
    return this.kernel.zx_vmo_get_size(this.thread, handle);
  }
  vmoRead(handle: number, offset: number, length: number): Syscall<[Status, Uint8Array]> {
    return this.kernel.zx_vmo_read(this.thread, handle, offset, length);
  }
  vmoWrite(handle: number, data: Uint8Array, offset: number): Syscall<Status> {
    return this.kernel.zx_vmo_write(this.thread, handle, data, offset);
  }
  vmoOpRange(handle: number, op: number, offset: number, size: number): Syscall<Status> {
    return this.kernel.zx_vmo_op_range(this.thread, handle, op, offset, size);
  }
  vmoSetSize(handle: number, size: number): Syscall<Status> {
    return this.kernel.zx_vmo_set_size(this.thread, handle, size);
  }
  vmoCreateChild(
    handle: number,
    options: number,
    offset: number,
    size: number,
  ): Syscall<[Status, number]> {
    return this.kernel.zx_vmo_create_child(this.thread, handle, options, offset, size);
  }
  /** Pages of a pager VMO the kernel could evict now (environment threads only). */
  evictablePages(vmo: number): number[] {
    return this.kernel.evictablePages(vmo);
  }
  /** The kernel evicts one Clean page (a scheduled environment event, spec 6.3). */
  kernelEvict(vmo: number, page: number): Syscall<Status> {
    return this.kernel.kernel_evict(this.thread, vmo, page);
  }
  vmarMap(
    vmar: number,
    options: number,
    vmarOffset: number,
    vmo: number,
    vmoOffset: number,
    len: number,
  ): Syscall<[Status, number]> {
    return this.kernel.zx_vmar_map(this.thread, vmar, options, vmarOffset, vmo, vmoOffset, len);
  }
  vmarUnmap(vmar: number, addr: number, len: number): Syscall<Status> {
    return this.kernel.zx_vmar_unmap(this.thread, vmar, addr, len);
  }
  /** A load through a mapping; an unresolvable fault kills this thread. */
  memRead(addr: number, length: number): Syscall<Uint8Array> {
    return this.kernel.memRead(this.thread, addr, length);
  }
  /** A store through a mapping; an unresolvable fault kills this thread. */
  memWrite(addr: number, data: Uint8Array): Syscall<void> {
    return this.kernel.memWrite(this.thread, addr, data);
  }
  taskSuspend(thread: number): Syscall<[Status, number]> {
    return this.kernel.zx_task_suspend(this.thread, thread);
  }
  taskKill(thread: number): Syscall<Status> {
    return this.kernel.zx_task_kill(this.thread, thread);
  }
}
