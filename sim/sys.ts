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
  /** The kernel this thread's calls go to. */
  readonly kernel: Kernel;
  /** @internal The calling thread as the kernel sees it. */
  readonly thread: KThread;
  /** Draws a recorded random choice. */
  readonly draw: Draw;

  readonly #onCheckpoint: (key: string) => void;

  /** @internal The world makes one per thread: it binds `thread` to `kernel`. */
  constructor(kernel: Kernel, thread: KThread, draw: Draw, onCheckpoint?: (key: string) => void) {
    this.kernel = kernel;
    this.thread = thread;
    this.draw = draw;
    this.#onCheckpoint = onCheckpoint ?? (() => {});
  }

  /**
   * Declares that from here on this thread behaves as a function of `key`, the
   * kernel state, and what it observes after this point: nothing it saw before
   * matters any more (e.g. a stateless service at the top of its packet loop).
   * Not a scheduling point and not traced. Exhaustive exploration uses it to
   * merge states that differ only in the thread's forgotten past; a key that
   * hides state the thread still uses makes exploration miss schedules.
   */
  checkpoint(key: string): void {
    this.#onCheckpoint(key);
  }

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

  /** `zx_pager_create` for this thread; `yield*` it. */
  pagerCreate(options: number): Syscall<[Status, number]> {
    return this.kernel.zx_pager_create(this.thread, options);
  }
  /** `zx_pager_create_vmo` for this thread; `yield*` it. */
  pagerCreateVmo(
    pager: number,
    options: number,
    port: number,
    key: number,
    size: number,
  ): Syscall<[Status, number]> {
    return this.kernel.zx_pager_create_vmo(this.thread, pager, options, port, key, size);
  }
  /** `zx_pager_detach_vmo` for this thread; `yield*` it. */
  pagerDetachVmo(pager: number, vmo: number): Syscall<Status> {
    return this.kernel.zx_pager_detach_vmo(this.thread, pager, vmo);
  }
  /** `zx_pager_supply_pages` for this thread; `yield*` it. */
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
  /** `zx_pager_op_range` for this thread; `yield*` it. */
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
  /** `zx_pager_query_vmo_stats` for this thread; `yield*` it. */
  pagerQueryVmoStats(
    pager: number,
    pagerVmo: number,
    options: number,
    bufferSize: number,
  ): Syscall<[Status, PagerVmoStats | null]> {
    return this.kernel.zx_pager_query_vmo_stats(this.thread, pager, pagerVmo, options, bufferSize);
  }
  /** `zx_port_create` for this thread; `yield*` it. */
  portCreate(options: number): Syscall<[Status, number]> {
    return this.kernel.zx_port_create(this.thread, options);
  }
  /** `zx_port_queue` for this thread; `yield*` it. */
  portQueue(port: number, packet: UserPacket): Syscall<Status> {
    return this.kernel.zx_port_queue(this.thread, port, packet);
  }
  /** `zx_port_wait` for this thread; `yield*` it. */
  portWait(port: number, deadline: number): Syscall<[Status, Packet | null]> {
    return this.kernel.zx_port_wait(this.thread, port, deadline);
  }
  /** `zx_port_cancel_key` for this thread; `yield*` it. */
  portCancelKey(port: number, options: number, key: number): Syscall<Status> {
    return this.kernel.zx_port_cancel_key(this.thread, port, options, key);
  }
  /** `zx_handle_close` for this thread; `yield*` it. */
  handleClose(handle: number): Syscall<Status> {
    return this.kernel.zx_handle_close(this.thread, handle);
  }
  /** `zx_handle_duplicate` for this thread; `yield*` it. */
  handleDuplicate(handle: number, rights: number): Syscall<[Status, number]> {
    return this.kernel.zx_handle_duplicate(this.thread, handle, rights);
  }
  /** `zx_handle_replace` for this thread; `yield*` it. */
  handleReplace(handle: number, rights: number): Syscall<[Status, number]> {
    return this.kernel.zx_handle_replace(this.thread, handle, rights);
  }
  /** `zx_object_get_info` for this thread; `yield*` it. */
  objectGetInfo(handle: number, topic: number): Syscall<[Status, VmoInfo | null]> {
    return this.kernel.zx_object_get_info(this.thread, handle, topic);
  }
  /** `zx_vmo_create` for this thread; `yield*` it. */
  vmoCreate(size: number, options: number): Syscall<[Status, number]> {
    return this.kernel.zx_vmo_create(this.thread, size, options);
  }
  /** `zx_vmo_get_size` for this thread; `yield*` it. */
  vmoGetSize(handle: number): Syscall<[Status, number]> {
    return this.kernel.zx_vmo_get_size(this.thread, handle);
  }
  /** `zx_vmo_read` for this thread; `yield*` it. */
  vmoRead(handle: number, offset: number, length: number): Syscall<[Status, Uint8Array]> {
    return this.kernel.zx_vmo_read(this.thread, handle, offset, length);
  }
  /** `zx_vmo_write` for this thread; `yield*` it. */
  vmoWrite(handle: number, data: Uint8Array, offset: number): Syscall<Status> {
    return this.kernel.zx_vmo_write(this.thread, handle, data, offset);
  }
  /** `zx_vmo_op_range` for this thread; `yield*` it. */
  vmoOpRange(handle: number, op: number, offset: number, size: number): Syscall<Status> {
    return this.kernel.zx_vmo_op_range(this.thread, handle, op, offset, size);
  }
  /** `zx_vmo_set_size` for this thread; `yield*` it. */
  vmoSetSize(handle: number, size: number): Syscall<Status> {
    return this.kernel.zx_vmo_set_size(this.thread, handle, size);
  }
  /** `zx_vmo_create_child` for this thread; `yield*` it. */
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
  /** `zx_vmar_map` for this thread; `yield*` it. */
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
  /** `zx_vmar_unmap` for this thread; `yield*` it. */
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
  /** `zx_task_suspend` for this thread; `yield*` it. */
  taskSuspend(thread: number): Syscall<[Status, number]> {
    return this.kernel.zx_task_suspend(this.thread, thread);
  }
  /** `zx_task_kill` for this thread; `yield*` it. */
  taskKill(thread: number): Syscall<Status> {
    return this.kernel.zx_task_kill(this.thread, thread);
  }
}
