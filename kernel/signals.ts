/**
 * Object signals and asynchronous waits (`zx_object_wait_async`), as Zircon's
 * dispatchers and `PortObserver` keep them (zircon/kernel/object/
 * port_dispatcher.cc, vm_object_dispatcher.cc @ misttech/fuchsia 9c03ce9a).
 * The model's waitable objects are events (user signals and
 * `ZX_EVENT_SIGNALED`, set by `zx_object_signal`) and VMOs (user signals, set
 * by `zx_object_signal`, and `ZX_VMO_ZERO_CHILDREN`, computed from the VMO's
 * children). An async wait is
 * one-shot: the first time one of its signals is active it queues a
 * `ZX_PKT_TYPE_SIGNAL_ONE` packet on its port and is gone; closing the handle
 * it was made through cancels it (no packet).
 *
 * @module
 */

import { ZX_OK, ZX_PKT_TYPE_SIGNAL_ONE, ZX_VMO_ZERO_CHILDREN } from "./constants.ts";
import type { SignalPacket } from "./events.ts";
import type { KernelObject } from "./handles.ts";
import { Event, Vmo } from "./objects.ts";
import type { Port } from "./port.ts";

/**
 * The active signals of `o`, or null if the model cannot wait on it
 * (`is_waitable()` false upstream, or an object whose signals are not modelled).
 */
export function signalsOf(o: KernelObject): number | null {
  if (o instanceof Event) return o.signals;
  if (o instanceof Vmo) {
    return (o.userSignals | (o.userChildren.length === 0 ? ZX_VMO_ZERO_CHILDREN : 0)) >>> 0;
  }
  return null;
}

/** One pending `zx_object_wait_async`. */
export interface AsyncWait {
  /** The object waited on. */
  readonly object: KernelObject;
  /** The handle the wait was made through (closing it cancels the wait). */
  readonly handle: number;
  /** Where the packet goes. */
  readonly port: Port;
  /** The packet's key. */
  readonly key: number;
  /** The signals that trigger it. */
  readonly signals: number;
  /** `ZX_WAIT_ASYNC_TIMESTAMP` or 0. */
  readonly options: number;
}

/** The pending async waits of the process, in the order they were made. */
export class AsyncWaits {
  readonly #waits: AsyncWait[] = [];
  /** The object whose wait queued each signal packet (per kernel: no state outlives a run). */
  readonly #sources = new WeakMap<SignalPacket, number>();

  /** The koid of the object whose async wait queued `packet` (-1 if unknown). */
  source(packet: SignalPacket): number {
    return this.#sources.get(packet) ?? -1;
  }

  /** Registers a wait; it fires at once if its signals are already active. */
  add(w: AsyncWait, now: number): void {
    this.#waits.push(w);
    this.poll(now);
  }

  /** Fires every wait one of whose signals is active now (oldest first). */
  poll(now: number): void {
    if (this.#waits.length === 0) return;
    for (let i = 0; i < this.#waits.length;) {
      const w = this.#waits[i];
      const active = signalsOf(w.object) ?? 0;
      if (w.port.dead) {
        this.#waits.splice(i, 1);
        continue;
      }
      if ((active & w.signals) === 0) {
        i++;
        continue;
      }
      this.#waits.splice(i, 1);
      const packet: SignalPacket = {
        type: ZX_PKT_TYPE_SIGNAL_ONE,
        key: w.key,
        status: ZX_OK,
        signal: { trigger: w.signals, observed: active, count: 1, timestamp: w.options ? now : 0 },
      };
      this.#sources.set(packet, w.object.koid);
      w.port.queue(packet, null, true);
    }
  }

  /** The handle closed: the waits made through it are cancelled. */
  cancelHandle(handle: number): void {
    for (let i = this.#waits.length - 1; i >= 0; i--) {
      if (this.#waits[i].handle === handle) this.#waits.splice(i, 1);
    }
  }

  /** The pending waits, oldest first (for the state hash and invariants). */
  pending(): readonly AsyncWait[] {
    return this.#waits;
  }
}
