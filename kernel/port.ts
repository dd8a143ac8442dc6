/**
 * Ports: a FIFO of packets. Page-request packets are owned by the VMO's
 * {@linkcode PagerProxy}-style owner and handed back to it when dequeued,
 * cancelled by key, or (never) when the port dies.
 *
 * @module
 */

import {
  LIMITS,
  type Status,
  ZX_DEFAULT_PORT_RIGHTS,
  ZX_ERR_INTERNAL_INTR_KILLED,
  ZX_ERR_TIMED_OUT,
  ZX_OBJ_TYPE_PORT,
  ZX_PKT_TYPE_PAGE_REQUEST,
} from "./constants.ts";
import type { EventSink, Packet, PagePacket } from "./events.ts";
import type { KernelObject } from "./handles.ts";
import type { Syscall, Wait } from "./yields.ts";

/** The owner of a kernel packet: told when its packet leaves the port alive. */
export interface PacketOwner {
  /** The VMO whose packet this is. */
  readonly vmoKoid: number;
  /** The packet was taken by `zx_port_wait` (or `zx_port_cancel`): the slot is free again. */
  onPacketFreed(packet: PagePacket, how: "dequeued" | "cancelled"): void;
}

interface Queued {
  readonly packet: Packet;
  readonly owner: PacketOwner | null;
}

/** A port object. */
export class Port implements KernelObject {
  /** ZX_OBJ_TYPE_PORT. */ readonly objType: typeof ZX_OBJ_TYPE_PORT = ZX_OBJ_TYPE_PORT;
  /** Rights of a new handle. */ static readonly defaultRights: number = ZX_DEFAULT_PORT_RIGHTS;
  handleCount = 0;
  #queue: Queued[] = [];
  #head = 0;

  /** Port `koid`, empty. */ constructor(readonly koid: number) {}

  /** True once the last handle closed: queued packets were dropped and nothing can be queued. */
  get dead(): boolean {
    return this.handleCount === 0;
  }

  /** Packets waiting to be dequeued. */
  get depth(): number {
    return this.#queue.length - this.#head;
  }

  /** The `i`th queued packet, oldest first, `i` below {@linkcode Port.depth} (no copy, for invariants). */
  packetAt(i: number): Packet {
    return this.#queue[this.#head + i].packet;
  }

  /** Queued packets, oldest first (for invariants and traces). */
  packets(): Packet[] {
    return this.#queue.slice(this.#head).map((q) => q.packet);
  }

  /**
   * `zx_port_wait` past its checks: dequeues the oldest packet, or parks `t`
   * until one arrives (TIMED_OUT once `deadline` passes; INTR_KILLED when `t`
   * is killed meanwhile). A page-request packet's dequeue names its VMO by
   * the packet's owner, not its key (keys need not be unique, spec 1.4):
   * `vmoOf` says which VMO that koid is, if any.
   */
  *wait(
    // What the wait needs of the thread (not objects.ts's KThread: objects.ts imports this file).
    t: { readonly tid: number; readonly alive: boolean },
    deadline: number,
    clock: { readonly now: number; readonly sink: EventSink },
    vmoOf: (koid: number | undefined) => number | undefined,
  ): Syscall<Packet | Status> {
    const wait: Wait = {
      deadline,
      ready: (now) => this.depth > 0 || now >= deadline,
      describe: () => `port ${this.koid}${this.dead ? " (no handles left)" : ""}`,
    };
    for (;;) {
      const owner = this.headOwner();
      const packet = this.dequeue();
      if (packet !== undefined) {
        if (packet.type === ZX_PKT_TYPE_PAGE_REQUEST) {
          clock.sink.emit({
            k: "packet-dequeued",
            port: this.koid,
            vmo: vmoOf(owner?.vmoKoid) ?? -1,
            packet: packet as PagePacket,
            id: 0,
            tid: t.tid,
          });
        }
        return packet;
      }
      if (clock.now >= deadline) return ZX_ERR_TIMED_OUT;
      clock.sink.emit({ k: "block", tid: t.tid, on: wait.describe() });
      yield { kind: "block", wait };
      if (!t.alive) return ZX_ERR_INTERNAL_INTR_KILLED;
    }
  }

  /**
   * Queues a packet; false when the port is dead (the caller's packet is then lost) or full.
   * `reserved`: the packet's storage was set aside beforehand (an async wait's), so a full
   * port takes it anyway.
   */
  queue(packet: Packet, owner: PacketOwner | null, reserved = false): boolean {
    if (this.dead) return false;
    if (owner === null && !reserved && this.depth >= LIMITS.maxPortPackets) return false;
    this.#queue.push({ packet, owner });
    return true;
  }

  /** The owner of the oldest packet (null: a user packet or none), for naming its VMO. */
  headOwner(): PacketOwner | null {
    return this.#head < this.#queue.length ? this.#queue[this.#head].owner : null;
  }

  /** Takes the oldest packet, handing kernel packets back to their owner. */
  dequeue(): Packet | undefined {
    if (this.#head >= this.#queue.length) return undefined;
    const q = this.#queue[this.#head++];
    if (this.#head > 64 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    q.owner?.onPacketFreed(q.packet as PagePacket, "dequeued");
    return q.packet;
  }

  /** Removes one specific kernel packet without telling its owner; false if it is not queued. */
  withdraw(packet: Packet): boolean {
    for (let j = this.#head; j < this.#queue.length; j++) {
      if (this.#queue[j].packet === packet) {
        this.#queue.splice(j, 1);
        return true;
      }
    }
    return false;
  }

  /** Removes every packet with `key` (`zx_port_cancel_key`); kernel packets go back to their owner. */
  cancelKey(key: number): number {
    const kept: Queued[] = [];
    const freed: Queued[] = [];
    for (let j = this.#head; j < this.#queue.length; j++) {
      const q = this.#queue[j];
      (q.packet.key === key ? freed : kept).push(q);
    }
    this.#queue = kept;
    this.#head = 0;
    for (const q of freed) q.owner?.onPacketFreed(q.packet as PagePacket, "cancelled");
    return freed.length;
  }

  /** Drops every queued packet when the last handle closes; owners are not told (3.3, 1.3). */
  dropAll(): { packet: Packet; owner: PacketOwner | null }[] {
    const dropped = this.#queue.slice(this.#head);
    this.#queue = [];
    this.#head = 0;
    return dropped;
  }
}
