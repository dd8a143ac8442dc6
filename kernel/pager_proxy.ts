/**
 * Packet delivery for one pager-backed VMO (Zircon's `pager_proxy.cc`): one
 * preallocated packet, so at most one packet of this VMO sits in the port; the
 * rest wait in a FIFO in creation order; withdrawn requests never reach the
 * pager; COMPLETE is queued once, last.
 *
 * @module
 */

import {
  ZX_OK,
  ZX_PAGER_VMO_COMPLETE,
  ZX_PAGER_VMO_DIRTY,
  ZX_PAGER_VMO_READ,
  ZX_PKT_TYPE_PAGE_REQUEST,
} from "./constants.ts";
import { assert } from "./assert.ts";
import type { EventSink, PagePacket } from "./events.ts";
import type { PageRequest, RequestProvider } from "./page_source.ts";
import type { PacketOwner, Port } from "./port.ts";

/** The COMPLETE marker in the FIFO. */
const COMPLETE = "complete" as const;
type Item = PageRequest | typeof COMPLETE;

/** Delivers one VMO's requests to its port. */
export class PagerProxy implements RequestProvider, PacketOwner {
  #fifo: Item[] = [];
  /** The item whose packet is in the port (or was lost with a dead port: then stuck forever). */
  #active: Item | null = null;
  #packet: PagePacket | null = null;
  /** The packet slot will never be freed: the port died with our packet, or refused it. */
  #stuck = false;
  #completeQueued = false;
  /** The pager handle closed: nothing more is ever delivered (K7). */
  #closed = false;
  /** Number of COMPLETE packets dequeued by the pager (K6: at most one). */
  completesDelivered = 0;

  /** VMO `vmoKoid`'s packet delivery to `port`, its packets keyed `key`. */ constructor(
    readonly vmoKoid: number,
    readonly port: Port,
    readonly key: number,
    readonly pageSize: number,
    readonly sink: EventSink,
  ) {}

  /** True if this VMO's packet slot can never be freed again (port died holding it). */
  get stuck(): boolean {
    // A dead port dropped our active packet without telling us (spec 1.3): it never comes back.
    return this.#stuck || (this.#active !== null && this.port.dead);
  }

  /** No packet of this VMO can reach the pager again: its port died, or its slot is stuck. */
  get undeliverable(): boolean {
    return this.port.dead || this.stuck;
  }

  /** True once COMPLETE was queued (it may since have been dequeued or cancelled). */
  get completeQueued(): boolean {
    return this.#completeQueued;
  }

  /** Items waiting behind the active packet. */
  get pendingCount(): number {
    return this.#fifo.length;
  }

  send(request: PageRequest): void {
    assert(!this.#completeQueued, () => `K6: request #${request.id} after COMPLETE`);
    if (this.#closed) return;
    this.#fifo.push(request);
    this.#pump();
  }

  withdraw(request: PageRequest): void {
    const i = this.#fifo.indexOf(request);
    if (i >= 0) {
      this.#fifo.splice(i, 1);
      return;
    }
    if (this.#active !== request) return; // already dequeued by the pager: nothing to withdraw
    const packet = this.#packet;
    assert(packet !== null, () => `request #${request.id} is in the slot without its packet`);
    if (this.port.withdraw(packet)) {
      this.sink.emit({
        k: "packet-withdrawn",
        port: this.port.koid,
        vmo: this.vmoKoid,
        id: request.id,
      });
      this.#active = null;
      this.#packet = null;
      this.#pump();
    }
    // Otherwise the port dropped it when it died: the slot stays busy forever (spec 1.3).
  }

  swap(from: PageRequest, to: PageRequest): void {
    const i = this.#fifo.indexOf(from);
    if (i >= 0) this.#fifo[i] = to;
    else if (this.#active === from) this.#active = to;
  }

  /** Queues COMPLETE after every request was withdrawn (detach or VMO death). */
  complete(): void {
    assert(
      this.#fifo.every((item) => item === COMPLETE),
      () => `K6: COMPLETE queued before ${this.#fifo.length} pending requests were withdrawn`,
    );
    if (this.#completeQueued || this.#closed) return;
    this.#completeQueued = true;
    this.#fifo.push(COMPLETE);
    this.#pump();
  }

  /** The pager handle closed: cancel everything still queued, COMPLETE included (spec 1.1). */
  close(): void {
    this.#closed = true;
    this.#fifo = [];
    if (this.#active !== null && this.#packet !== null && this.port.withdraw(this.#packet)) {
      const id = this.#active === COMPLETE ? 0 : this.#active.id;
      this.sink.emit({ k: "packet-withdrawn", port: this.port.koid, vmo: this.vmoKoid, id });
      this.#active = null;
      this.#packet = null;
    }
  }

  onPacketFreed(packet: PagePacket, how: "dequeued" | "cancelled"): void {
    assert(
      packet === this.#packet,
      () => `freed packet is not vmo ${this.vmoKoid}'s active packet`,
    );
    if (packet.command === ZX_PAGER_VMO_COMPLETE && how === "dequeued") this.completesDelivered++;
    assert(this.completesDelivered <= 1, () => `K6: two COMPLETE packets for vmo ${this.vmoKoid}`);
    if (how === "cancelled") {
      const id = this.#active === COMPLETE || this.#active === null ? 0 : this.#active.id;
      this.sink.emit({ k: "packet-withdrawn", port: this.port.koid, vmo: this.vmoKoid, id });
    }
    this.#active = null;
    this.#packet = null;
    this.#pump();
  }

  #pump(): void {
    if (this.#active !== null || this.#stuck || this.#closed) return;
    const item = this.#fifo.shift();
    if (item === undefined) return;
    const packet: PagePacket = item === COMPLETE
      ? {
        type: ZX_PKT_TYPE_PAGE_REQUEST,
        key: this.key,
        status: ZX_OK,
        command: ZX_PAGER_VMO_COMPLETE,
        flags: 0,
        offset: 0,
        length: 0,
      }
      : {
        type: ZX_PKT_TYPE_PAGE_REQUEST,
        key: this.key,
        status: ZX_OK,
        command: item.type === "READ" ? ZX_PAGER_VMO_READ : ZX_PAGER_VMO_DIRTY,
        flags: 0,
        offset: item.start * this.pageSize,
        length: (item.end - item.start) * this.pageSize,
      };
    this.#active = item;
    this.#packet = packet;
    const id = item === COMPLETE ? 0 : item.id;
    if (this.port.queue(packet, this)) {
      this.sink.emit({ k: "packet-queued", port: this.port.koid, vmo: this.vmoKoid, packet, id });
    } else {
      // Queue returned BAD_HANDLE: "queued, but the pager never answers" (spec 1.3).
      this.#stuck = true;
      this.sink.emit({ k: "packet-dropped", port: this.port.koid, vmo: this.vmoKoid, id });
    }
  }
}
