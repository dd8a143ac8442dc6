/**
 * The READ and DIRTY packets queued on pager ports and not yet taken or withdrawn, oldest first,
 * each with the request it carries. A dequeue names no request (its event's id is 0, and the
 * VMO's next packet may be queued before the dequeue is reported), so a dequeued packet is the
 * oldest queued one of its VMO with its command and range. One matcher for the checks that need
 * a packet's request: `wait_for.ts` `PacketHolders` (who holds an unanswered request) and
 * `_failed_answers.ts` (whether a failed answer was that request's).
 *
 * @module
 */

import { ZX_PAGER_VMO_COMPLETE } from "../kernel/constants.ts";
import type { KernelEvent, PagePacket } from "../kernel/events.ts";

/** A queued packet: its port, VMO, packet and request id. */
export interface QueuedPacket {
  readonly port: number;
  readonly vmo: number;
  readonly packet: PagePacket;
  readonly id: number;
}

/**
 * Follows `packet-queued`, `packet-withdrawn` and `packet-dequeued` events.
 *
 * @example
 * ```ts
 * import { QueuedPackets } from "./_queued_packets.ts";
 * const q = new QueuedPackets();
 * const packet = { key: 1, command: 0, offset: 0, length: 64 } as never;
 * q.hear({ k: "packet-queued", port: 9, vmo: 5, id: 3, packet });
 * console.assert(q.find(5, 3)?.port === 9);
 * console.assert(q.hear({ k: "packet-dequeued", tid: 1, port: 9, vmo: 5, id: 0, packet })?.id === 3);
 * console.assert(q.find(5, 3) === undefined);
 * ```
 */
export class QueuedPackets {
  readonly #inPort: QueuedPacket[] = [];

  /**
   * Follows one event: a queued READ or DIRTY packet is kept; a withdrawn or dequeued one is
   * removed and returned (undefined: another event, a COMPLETE, or a packet not kept).
   */
  hear(e: KernelEvent): QueuedPacket | undefined {
    switch (e.k) {
      case "packet-queued":
        if (e.packet.command !== ZX_PAGER_VMO_COMPLETE) {
          this.#inPort.push({ port: e.port, vmo: e.vmo, packet: e.packet, id: e.id });
        }
        return undefined;
      case "packet-withdrawn":
        return this.#take(this.#inPort.findIndex((q) => q.vmo === e.vmo && q.id === e.id));
      case "packet-dequeued": {
        if (e.packet.command === ZX_PAGER_VMO_COMPLETE) return undefined;
        const p = e.packet;
        return this.#take(
          this.#inPort.findIndex((q) =>
            q.vmo === e.vmo && q.packet.command === p.command && q.packet.offset === p.offset &&
            q.packet.length === p.length
          ),
        );
      }
      default:
        return undefined;
    }
  }

  /** The queued packet of request `id` of VMO `vmo`, if it is still queued. */
  find(vmo: number, id: number): QueuedPacket | undefined {
    return this.#inPort.find((q) => q.vmo === vmo && q.id === id);
  }

  #take(at: number): QueuedPacket | undefined {
    if (at < 0) return undefined;
    const [q] = this.#inPort.splice(at, 1);
    return q;
  }
}
