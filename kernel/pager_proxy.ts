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

/**
 * Delivers one VMO's requests to its port. A kernel variant subclasses it and returns an instance
 * from `Kernel.createPagerProxy` (docs/kernel_variants.md: every method, when the kernel calls
 * it, what it must do and what the model asserts).
 */
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

  /**
   * VMO `vmoKoid`'s packet delivery to `port`, its packets keyed `key`.
   *
   * @calledWhen `Kernel.createPagerProxy(vmoKoid, port, key)` builds one per pager VMO, in
   * `zx_pager_create_vmo`, before `createPageSource`.
   * @must `pageSize` and `sink` are the kernel's (`this.pageSize`, `this.sink`): packets carry
   * byte offsets, and the checkers read the `packet-*` events from the sink.
   * @asserts nothing here.
   */
  constructor(
    readonly vmoKoid: number,
    readonly port: Port,
    readonly key: number,
    readonly pageSize: number,
    readonly sink: EventSink,
  ) {}

  /**
   * True if this VMO's packet slot can never be freed again (port died holding it).
   *
   * @calledWhen read-only: liveness (no-lost-requests), signatures and reports read it.
   * @must report, changing nothing.
   * @asserts nothing.
   */
  get stuck(): boolean {
    // A dead port dropped our active packet without telling us (spec 1.3): it never comes back.
    return this.#stuck || (this.#active !== null && this.port.dead);
  }

  /**
   * No packet of this VMO can reach the pager again: its port died, or its slot is stuck.
   *
   * @calledWhen read-only, as `stuck`.
   * @must report, changing nothing.
   * @asserts nothing.
   */
  get undeliverable(): boolean {
    return this.port.dead || this.stuck;
  }

  /**
   * True once COMPLETE was queued (it may since have been dequeued or cancelled).
   *
   * @calledWhen read-only: kernel-state signatures and the program runner's checks.
   * @must report, changing nothing.
   * @asserts nothing.
   */
  get completeQueued(): boolean {
    return this.#completeQueued;
  }

  /**
   * Items waiting behind the active packet.
   *
   * @calledWhen read-only, by reports and tests.
   * @must report, changing nothing.
   * @asserts nothing.
   */
  get pendingCount(): number {
    return this.#fifo.length;
  }

  /**
   * A new request to deliver, in creation order: it joins the FIFO, and its packet goes into the
   * port when the VMO's one packet slot is free.
   *
   * @calledWhen `PageSource.populate`, for a new request (not for one a waiter joined).
   * @must queue the request's packet (a `packet-queued` event when it reaches the port, or
   * `packet-dropped` if the port is dead), after every earlier request of the VMO (K4); nothing
   * once the pager handle closed (K7).
   * @asserts before: COMPLETE was not queued yet (`K6: request #N after COMPLETE`, a
   * `KernelAssertionError`: the model's `populate` refuses a detached VMO before this).
   */
  send(request: PageRequest): void {
    assert(!this.#completeQueued, () => `K6: request #${request.id} after COMPLETE`);
    if (this.#closed) return;
    this.#fifo.push(request);
    this.#pump();
  }

  /**
   * The request is gone (resolved, failed or cancelled): withdraw its packet if unread.
   *
   * @calledWhen `PageSource` whenever a request leaves its outstanding list: completed by a
   * supply, an OP_FAIL or detach, or cancelled with no heir.
   * @must take the request out of the FIFO, or, if its packet is in the port unread, withdraw it
   * (`packet-withdrawn` event) and put the next item in the port; nothing if the pager already
   * dequeued it. A variant that skips it leaves a packet for a gone request: packet-discipline
   * judges it (`withdrawn`, or K6 at the `detach` event), as zoo's `complete-before-withdraw`
   * shows.
   * @asserts the request in the slot has its packet.
   */
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

  /**
   * `to` replaces `from` (the first overlap waiter inherits a cancelled request): no new packet.
   *
   * @calledWhen `PageSource.cancel`, when a cancelled primary's request passes to an overlap
   * waiter.
   * @must put `to` where `from` was (FIFO or slot) without a new packet or event.
   * @asserts nothing.
   */
  swap(from: PageRequest, to: PageRequest): void {
    const i = this.#fifo.indexOf(from);
    if (i >= 0) this.#fifo[i] = to;
    else if (this.#active === from) this.#active = to;
  }

  /**
   * Queues COMPLETE (detach or VMO death): last in the FIFO, behind anything still queued, so it
   * reaches the port once the packets ahead of it have left the VMO's one slot.
   *
   * @calledWhen `VmoPages.detach`, right after `PageSource.detach` withdrew every request, and
   * before the `detach` event. A variant may call it earlier (in its own `PageSource.detach`,
   * before `super.detach()`): the withdraws that follow still take the requests out of the FIFO
   * ahead of COMPLETE, so that order alone changes nothing the pager sees. COMPLETE cannot
   * overtake a queued packet (one slot per VMO and a FIFO, as Zircon's `PagerProxy`); what a
   * "COMPLETE before withdraw" bug leaves is a request packet not withdrawn (override
   * `withdraw`), which packet-discipline reports (K6, `withdrawn`).
   * @must queue one COMPLETE packet at most (a second call is a no-op), none once the pager
   * handle closed (K7).
   * @asserts nothing: requests still queued ahead of COMPLETE go out first, and the checker
   * judges them (a request's packet queued after its `resolve` is `withdrawn`; one unread at
   * the `detach` event is K6).
   */
  complete(): void {
    if (this.#completeQueued || this.#closed) return;
    this.#completeQueued = true;
    this.#fifo.push(COMPLETE);
    this.#pump();
  }

  /**
   * The pager handle closed: cancel everything still queued, COMPLETE included (spec 1.1).
   *
   * @calledWhen the pager's last handle closes, for each VMO it backs, after that VMO's
   * `PageSource.detach`; and for VMOs that died before it with COMPLETE unread.
   * @must deliver nothing more for the VMO (K7): empty the FIFO and withdraw the packet in the
   * port (`packet-withdrawn`).
   * @asserts nothing.
   */
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

  /**
   * The port freed this VMO's packet: the pager dequeued it, or `zx_port_cancel_key` cancelled it.
   *
   * @calledWhen the port (`Port.dequeue` in `zx_port_wait`, or a key cancel), for the packet it
   * took from this proxy.
   * @must free the slot and put the next FIFO item in the port; count a dequeued COMPLETE; emit
   * `packet-withdrawn` for a cancelled packet.
   * @asserts the freed packet is the VMO's active one; at most one COMPLETE is ever dequeued
   * (`K6: two COMPLETE packets`).
   */
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
