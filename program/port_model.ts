/**
 * The user packets a program queued on each of its ports, as the program's own calls put them
 * there and took them out: what `zx_port_wait` must hand back and what `zx_port_cancel_key`
 * must find, predicted without the kernel's port.
 *
 * Upstream (zircon/kernel/object/port_dispatcher.cc @ gnoliyil/fuchsia 97bb48b9):
 * `PortDispatcher::QueueUser` queues a user packet at the back of the port's one packet list
 * (`Queue`: `packets_.push_back`), and `Dequeue` takes the front (`packets_.pop_front`), so a
 * port only user packets reach hands them back oldest first; a wait whose deadline has passed
 * still takes a packet that is there (`sema_.Wait` returns at once while the count is
 * positive). `zx_port_cancel_key(port, 0, key)` removes every queued packet with `key` and
 * returns ZX_OK if it removed one, ZX_ERR_NOT_FOUND if none (kernel/kernel.ts `portCancelKey`,
 * as `CancelQueued` reports whether a packet was removed).
 *
 * A user packet counts against its port's packet limit: `QueueUser` refuses one with
 * ZX_ERR_SHOULD_WAIT while the port holds more than `kMaxAllocatedPacketCountPerPort` (4096)
 * ephemeral (user) packets (`PortDispatcher::Queue`, the same file and revision; "the port has
 * too many pending packets", port_queue.md). The model names its limit `LIMITS.maxPortPackets`
 * and refuses at that many user packets, one fewer than upstream's `>`: so a port holding fewer
 * than the limit must take the packet (ZX_OK) and one holding more must refuse it
 * (ZX_ERR_SHOULD_WAIT); at exactly the limit either answer is upstream's or the model's.
 *
 * A port is judged only while the model knows every packet in it: a port some call names other
 * than as the port of `zx_port_queue`, `zx_port_wait` or `zx_port_cancel_key` (an async wait's
 * or a pager VMO's port: their packets arrive as the kernel decides) is dropped from the model
 * for good, from the moment that call starts. Each of the three calls runs, queue, dequeue or
 * cancel and return, in one step of its thread (a parked wait dequeues as it returns), so the
 * model updated as each returns is the port's queue at the next call's look.
 *
 * @module
 */

import {
  LIMITS,
  type Status,
  statusName,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_TIMED_OUT,
  ZX_OBJ_TYPE_PORT,
  ZX_OK,
  ZX_PKT_TYPE_USER,
} from "../kernel/constants.ts";
import { spec } from "../kernel/syscalls.ts";
import type { CallName } from "./program.ts";
import type { HandleModel } from "./handle_model.ts";

/** The calls whose port argument (the first) this model follows. */
const PORT_CALLS: ReadonlySet<string> = new Set([
  "zx_port_queue",
  "zx_port_wait",
  "zx_port_cancel_key",
]);

/** What a call handed back, as far as the port model reads it. */
export interface PortCallResult {
  readonly status: Status;
  readonly packet: { readonly type: number; readonly key: number } | null;
}

/**
 * Each port's queued user packets, by their keys, oldest first, for the ports whose every
 * packet the program's calls account for.
 *
 * @example
 * ```ts
 * import { PortModel } from "./port_model.ts";
 * import { HandleModel } from "./handle_model.ts";
 * const ports = new PortModel();
 * const model = new HandleModel();
 * // No port known to the model: nothing is judged.
 * ports.start("zx_port_cancel_key", [7, 0, 1], model, 0);
 * console.assert(ports.end("zx_port_cancel_key", [7, 0, 1], { status: 0, packet: null }, model) === undefined);
 * ```
 */
export class PortModel {
  /** Per port object (the handle model's id), its queued user packets' keys. */
  readonly #queues = new Map<number, number[]>();
  /** Ports a call named in a way whose packets the model does not follow. */
  readonly #unknown = new Set<number>();
  /** Per thread whose wait started with the deadline already past: the port's queue was not empty. */
  #pastDeadlineWithPackets = new Map<number, boolean>();
  /** Per thread in a `zx_port_wait`, the port object its handle named as the wait began. */
  readonly #waitPort = new Map<number, number>();

  #port(handle: unknown, model: HandleModel): number | undefined {
    const h = model.get(handle);
    return h !== undefined && h.type === ZX_OBJ_TYPE_PORT ? h.object : undefined;
  }

  #queue(port: number): number[] | undefined {
    if (this.#unknown.has(port)) return undefined;
    let q = this.#queues.get(port);
    if (q === undefined) this.#queues.set(port, q = []);
    return q;
  }

  /** A call of thread `tid` starts with `args` resolved, `now` the kernel's time. */
  start(call: CallName, args: readonly unknown[], model: HandleModel, now: number, tid = 0): void {
    if (call === "mem_read" || call === "mem_write") return;
    const params = spec(call).params;
    for (const [i, p] of params.entries()) {
      const names = p.kind === "port" || p.handle?.type === ZX_OBJ_TYPE_PORT;
      if (!names || (i === 0 && PORT_CALLS.has(call))) continue;
      const port = this.#port(args[i], model);
      if (port !== undefined) {
        this.#unknown.add(port);
        this.#queues.delete(port);
      }
    }
    if (call === "zx_port_wait") {
      const port = this.#port(args[0], model);
      const q = port === undefined ? undefined : this.#queue(port);
      const past = typeof args[1] === "number" && args[1] <= now;
      this.#pastDeadlineWithPackets.set(tid, q !== undefined && past && q.length > 0);
      if (port === undefined) this.#waitPort.delete(tid);
      else this.#waitPort.set(tid, port);
    }
  }

  /**
   * The call returned `result`: the model takes in what it did, and the reason it contradicts
   * the port's queue, if it does.
   */
  end(
    call: CallName,
    args: readonly unknown[],
    result: PortCallResult,
    model: HandleModel,
    tid = 0,
  ): string | undefined {
    if (!PORT_CALLS.has(call)) return undefined;
    const port = this.#port(args[0], model);
    const q = port === undefined ? undefined : this.#queue(port);
    if (call === "zx_port_wait") {
      const past = this.#pastDeadlineWithPackets.get(tid) === true;
      this.#pastDeadlineWithPackets.delete(tid);
      const waited = this.#waitPort.get(tid);
      this.#waitPort.delete(tid);
      // A port whose last handle closed takes no packet: `on_zero_handles` frees the queued ones
      // and `QueuePacketLocked` refuses every later one with ZX_ERR_BAD_HANDLE
      // (zircon/kernel/object/port_dispatcher.cc @ misttech/fuchsia 647d675b), so a wait still
      // parked on it only wakes spuriously and waits again: it never returns a packet. Judged for
      // every port, a pager's too (its packets are the kernel's, but none can reach a dead port).
      if (result.status === ZX_OK && waited !== undefined && !model.hasObject(waited)) {
        return `returned ZX_OK with a packet, but no handle of port ${waited} was left when it ` +
          `returned: a port whose last handle closed takes no packet (ZX_ERR_BAD_HANDLE)`;
      }
      if (q === undefined) return undefined;
      if (result.status === ZX_ERR_TIMED_OUT && past) {
        return `returned ZX_ERR_TIMED_OUT with ${q.length} user packets queued on port ${port} (the oldest first: ${
          q.join(", ")
        })`;
      }
      if (result.status !== ZX_OK) return undefined;
      const p = result.packet;
      const head = q.shift();
      if (p === null || p.type !== ZX_PKT_TYPE_USER || p.key !== head) {
        return `handed back ${
          p === null ? "no packet" : `a packet of type ${p.type} with key ${p.key}`
        }; port ${port} held ${
          head === undefined ? "no packet" : `the user packet with key ${head} oldest`
        }`;
      }
      return undefined;
    }
    if (q === undefined || port === undefined) return undefined;
    const packet = args[1] as { key?: unknown } | null;
    if (call === "zx_port_queue") {
      const held = q.length;
      const limit = LIMITS.maxPortPackets;
      if (result.status === ZX_OK && typeof packet?.key === "number") q.push(packet.key);
      if (result.status === ZX_OK && held > limit) {
        return `returned ZX_OK on port ${port} holding ${held} user packets, more than its ` +
          `limit of ${limit} (ZX_ERR_SHOULD_WAIT: the port has too many pending packets)`;
      }
      if (result.status === ZX_ERR_SHOULD_WAIT && held < limit) {
        return `returned ZX_ERR_SHOULD_WAIT on port ${port} holding ${held} user packets, ` +
          `fewer than its limit of ${limit}`;
      }
      return undefined;
    }
    // zx_port_cancel_key: judged once its argument checks passed (ZX_OK or NOT_FOUND).
    if (result.status !== ZX_OK && result.status !== ZX_ERR_NOT_FOUND) return undefined;
    const key = args[2];
    const held = q.filter((k) => k === key).length;
    const expected = held > 0 ? ZX_OK : ZX_ERR_NOT_FOUND;
    this.#queues.set(port, q.filter((k) => k !== key));
    if (result.status !== expected) {
      return `returned ${
        statusName(result.status)
      }; port ${port} held ${held} user packets with key ${String(key)}, so ${
        statusName(expected)
      }`;
    }
    return undefined;
  }
}
