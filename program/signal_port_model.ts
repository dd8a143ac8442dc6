/**
 * The packets a program's async waits surely put on its ports, from the program's own calls: a
 * lower bound on what each port holds, so a `zx_port_wait` that returns ZX_ERR_TIMED_OUT while
 * the port must hold a signal packet is caught, without the kernel's port or its wait list.
 *
 * Upstream (docs/reference/syscalls/object_wait_async.md @ gnoliyil/fuchsia 3a0300d1): "if
 * **any** of the signals in *signals* are active when `zx_object_wait_async()` is called or
 * become active afterwards, a packet will be enqueued on *port*"; "Once a packet has been
 * enqueued the asynchronous waiting ends" (one packet per wait); "If *handle* is closed, the
 * operations associated with it will also be terminated, but packets already in the queue are
 * not affected"; `zx_port_cancel` removes a wait's queued packets. The model's only options are
 * ONCE (0) and TIMESTAMP (1): no EDGE, which would not fire for a signal already active.
 *
 * What the model knows of an object's signals is its user signals (and an event's
 * ZX_EVENT_SIGNALED): every object starts with none, and only a successful `zx_object_signal`
 * changes them (clear first, then set: object_signal.md). A wait whose trigger meets one of them
 * surely fired, at once or at that signal; it may have fired earlier by another signal (a VMO's
 * ZX_VMO_ZERO_CHILDREN), which still makes one packet. Each port counts the packets its waits
 * surely queued and every packet a `zx_port_wait` took from it that may have been a signal
 * packet (every one but those handed back with another *type*): while the
 * first exceeds the second the port is not empty. A wait that started with the port surely
 * holding more packets than were taken while it ran finds one (`PortDispatcher::Dequeue` looks
 * at the queue before it sleeps), so it cannot time out. A port named by `zx_port_cancel` or
 * `zx_port_cancel_key` (the model's only cancel; it may remove such a packet) is not judged from then on; other
 * packets (user or pager packets) only add to the queue, so they leave the bound sound; a
 * `zx_port_cancel_key` whose key no async wait on the port was made with removes none of the
 * waits' packets, so it leaves the port judged.
 *
 * Each of the calls this model reads runs in one step of its thread (a parked `zx_port_wait`
 * dequeues as it returns), so the model updated as each returns is what the next call sees.
 *
 * @module
 */

import {
  type Status,
  ZX_ERR_TIMED_OUT,
  ZX_EVENT_SIGNALED,
  ZX_OBJ_TYPE_EVENT,
  ZX_OBJ_TYPE_PORT,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_PKT_TYPE_SIGNAL_ONE,
  ZX_USER_SIGNAL_ALL,
  ZX_VMO_ZERO_CHILDREN,
  ZX_WAIT_ASYNC_ONCE,
  ZX_WAIT_ASYNC_TIMESTAMP,
} from "../kernel/constants.ts";
import { spec } from "../kernel/syscalls.ts";
import type { HandleModel } from "./handle_model.ts";
import type { CallName } from "./program.ts";

/** An async wait the model knows was registered and has not surely fired yet. */
interface PendingWait {
  /** The handle it was made through (closing it ends the wait). */
  readonly handle: number;
  readonly object: number;
  readonly port: number;
  readonly trigger: number;
  /** A VMO's wait that asked for ZX_VMO_ZERO_CHILDREN too ({@linkcode SignalPortModel.raiseZeroChildren}). */
  readonly zeroChildren: boolean;
}

/** Per port: packets its async waits surely queued, and packets any wait took. */
interface PortCount {
  sure: number;
  taken: number;
  /**
   * Every packet that can reach the port is one of `sure`: no call named it but as the port of
   * `zx_object_wait_async` (each waiting for user signals only) and `zx_port_wait`.
   */
  exact: boolean;
}

/** A wait made on a port: its key, the signals it asked for and its options (what its packet says). */
interface MadeWait {
  readonly key: number;
  readonly signals: number;
  readonly options: number;
}

/** A `zx_port_wait` in progress: its port, what it surely held, and the takes counted then. */
interface OpenWait {
  readonly port: number;
  readonly ahead: number;
  readonly takenAt: number;
}

/** The signals of an object of `type` that only `zx_object_signal` changes (0: none the model follows). */
function userMask(type: number): number {
  if (type === ZX_OBJ_TYPE_VMO) return ZX_USER_SIGNAL_ALL;
  if (type === ZX_OBJ_TYPE_EVENT) return (ZX_USER_SIGNAL_ALL | ZX_EVENT_SIGNALED) >>> 0;
  return 0;
}

/**
 * The signal packets each of a program's ports surely holds (`zx_object_wait_async`), judged at
 * every `zx_port_wait` that times out.
 *
 * @example
 * ```ts
 * import { SignalPortModel } from "./signal_port_model.ts";
 * import { HandleModel } from "./handle_model.ts";
 * const ports = new SignalPortModel();
 * const model = new HandleModel();
 * // No port known to the handle model: nothing is judged.
 * ports.start("zx_port_wait", [7, 0], model, 0);
 * console.assert(ports.end("zx_port_wait", [7, 0], -21, 0) === undefined);
 * ```
 */
export class SignalPortModel {
  /** Per object (the handle model's id), its user signals as `zx_object_signal` left them. */
  readonly #user = new Map<number, number>();
  readonly #pending: PendingWait[] = [];
  readonly #ports = new Map<number, PortCount>();
  /** Per port, the waits made on it that returned ZX_OK (the packets it may be handed). */
  readonly #made = new Map<number, MadeWait[]>();
  /** Ports a cancel named: a queued signal packet may be gone. */
  readonly #cancelled = new Set<number>();
  /** Per thread, its `zx_port_wait` in progress on a judged port. */
  readonly #open = new Map<number, OpenWait>();
  /** A `zx_object_signal` succeeded on a handle the handle model does not know. */
  #unnamedSignal = false;
  /** Per thread, the objects its call named at its start (handles may close while it runs). */
  readonly #named = new Map<number, (number | undefined)[]>();

  #count(port: number): PortCount {
    let c = this.#ports.get(port);
    if (c === undefined) this.#ports.set(port, c = { sure: 0, taken: 0, exact: true });
    return c;
  }

  #object(handle: unknown, model: HandleModel, type?: number): number | undefined {
    const h = model.get(handle);
    return h !== undefined && (type === undefined || h.type === type) ? h.object : undefined;
  }

  /** Fires the pending waits on `object` whose trigger meets its known signals now. */
  #fire(object: number): void {
    const active = this.#user.get(object) ?? 0;
    for (let i = 0; i < this.#pending.length;) {
      const w = this.#pending[i];
      if (w.object === object && (w.trigger & active) !== 0) {
        this.#count(w.port).sure++;
        this.#pending.splice(i, 1);
      } else i++;
    }
  }

  /** The VMOs (the handle model's ids) a pending wait for ZX_VMO_ZERO_CHILDREN names. */
  zeroChildrenWaits(): number[] {
    return [...new Set(this.#pending.filter((w) => w.zeroChildren).map((w) => w.object))];
  }

  /**
   * VMO `object` surely has no child now (the program's `ChildCount` bounds it to 0): its
   * ZX_VMO_ZERO_CHILDREN is active, so every pending wait on it that asked for that signal
   * surely queued its packet (object_wait_async.md: "or become active afterwards"). The kernel
   * raises the signal as the last child goes (`VmObjectDispatcher`'s child count;
   * kernel_objects.ts `maybeDestroy`), in the step the program saw it go.
   */
  raiseZeroChildren(object: number): void {
    for (let i = 0; i < this.#pending.length;) {
      const w = this.#pending[i];
      if (w.object === object && w.zeroChildren) {
        this.#count(w.port).sure++;
        this.#pending.splice(i, 1);
      } else i++;
    }
  }

  /** A call of thread `tid` starts with `args` resolved. */
  start(call: CallName, args: readonly unknown[], model: HandleModel, tid: number): void {
    for (const [i, p] of spec(call).params.entries()) {
      const names = p.kind === "port" || p.handle?.type === ZX_OBJ_TYPE_PORT;
      if (!names || (i === 0 && call === "zx_port_wait")) continue;
      if (i === 1 && call === "zx_object_wait_async") continue;
      const port = this.#object(args[i], model, ZX_OBJ_TYPE_PORT);
      if (port !== undefined) this.#count(port).exact = false;
    }
    if (call === "zx_port_cancel_key") {
      // It removes only the queued packets with its key (`PortDispatcher::CancelQueued`,
      // zircon/kernel/object/port_dispatcher.cc @ gnoliyil/fuchsia 97bb48b9, compares each
      // packet's key): a key no async wait on the port was made with leaves its signal packets.
      const port = this.#object(args[0], model, ZX_OBJ_TYPE_PORT);
      const key = args[2];
      const spared = typeof key === "number" && port !== undefined &&
        (this.#made.get(port) ?? []).every((w) => w.key !== key);
      if (port !== undefined && !spared) this.#cancelled.add(port);
    }
    if (call === "zx_handle_close" || call === "zx_handle_replace") {
      // Whatever it returns: a wait made through the handle may be over.
      for (let i = this.#pending.length - 1; i >= 0; i--) {
        if (this.#pending[i].handle === args[0]) this.#pending.splice(i, 1);
      }
    }
    if (call === "zx_object_wait_async") {
      const h = model.get(args[0]);
      const mask = h === undefined ? 0 : userMask(h.type);
      this.#named.set(tid, [
        mask !== 0 ? h?.object : undefined,
        this.#object(args[1], model, ZX_OBJ_TYPE_PORT),
        mask,
      ]);
    }
    if (call === "zx_object_signal") this.#named.set(tid, [this.#object(args[0], model)]);
    if (call === "zx_port_wait") {
      const port = this.#object(args[0], model, ZX_OBJ_TYPE_PORT);
      if (port !== undefined && !this.#cancelled.has(port)) {
        const c = this.#count(port);
        this.#open.set(tid, { port, ahead: c.sure - c.taken, takenAt: c.taken });
      }
    }
  }

  /**
   * The call of thread `tid` returned `status`: the model takes in what it did, and says why a
   * timed-out `zx_port_wait` contradicts the packets its port surely held, if it does.
   */
  end(
    call: CallName,
    args: readonly unknown[],
    status: Status,
    tid: number,
    packet?: unknown,
  ): string | undefined {
    const named = this.#named.get(tid) ?? [];
    this.#named.delete(tid);
    if (call === "zx_object_signal" && status === ZX_OK) {
      const object = named[0];
      const [clear, set] = [args[1], args[2]];
      // A signal on an object the handle model cannot name: a wait on it may have fired unseen.
      if (object === undefined) this.#unnamedSignal = true;
      if (object !== undefined && typeof clear === "number" && typeof set === "number") {
        const was = this.#user.get(object) ?? 0;
        this.#user.set(object, ((was & ~clear) | set) >>> 0);
        this.#fire(object);
      }
      return undefined;
    }
    if (call === "zx_object_wait_async" && status === ZX_OK) {
      const [object, port, mask] = named;
      if (port !== undefined) {
        const [key, signals, options] = [args[2], args[3], args[4]];
        if (typeof key === "number" && typeof signals === "number" && typeof options === "number") {
          let made = this.#made.get(port);
          if (made === undefined) this.#made.set(port, made = []);
          made.push({ key, signals, options });
        } else this.#count(port).exact = false;
      }
      const h = typeof args[0] === "number" ? args[0] : undefined;
      const once = args[4] === ZX_WAIT_ASYNC_ONCE || args[4] === ZX_WAIT_ASYNC_TIMESTAMP;
      if (port !== undefined && (object === undefined || typeof args[3] !== "number")) {
        this.#count(port).exact = false;
      }
      if (
        object !== undefined && port !== undefined && h !== undefined && once &&
        typeof args[3] === "number" && mask !== undefined
      ) {
        const trigger = (args[3] & mask) >>> 0;
        if ((args[3] & ~mask) !== 0) this.#count(port).exact = false;
        const zeroChildren = mask === ZX_USER_SIGNAL_ALL && (args[3] & ZX_VMO_ZERO_CHILDREN) !== 0;
        if (trigger !== 0 || zeroChildren) {
          this.#pending.push({ handle: h, object, port, trigger, zeroChildren });
          this.#fire(object);
        }
      }
      return undefined;
    }
    if (call !== "zx_port_wait") return undefined;
    const open = this.#open.get(tid);
    this.#open.delete(tid);
    if (open === undefined) return undefined;
    const c = this.#count(open.port);
    if (status === ZX_OK) {
      const held = c.sure - c.taken;
      // A packet shown to be of another kind (a pager's request, a user packet) took no signal
      // packet: the bound stays. Any other take may have been one of the sure packets.
      const kind = (packet as { type?: unknown } | null | undefined)?.type;
      if (typeof kind !== "number" || kind === ZX_PKT_TYPE_SIGNAL_ONE) c.taken++;
      if (c.exact && !this.#unnamedSignal && !this.#cancelled.has(open.port) && held <= 0) {
        return `returned ZX_OK, but port ${open.port} held no packet: no async wait on it had ` +
          "seen its signals (every packet of the port comes from such a wait)";
      }
      return c.exact && packet !== undefined
        ? signalPacketWrong(packet, this.#made.get(open.port) ?? [])
        : undefined;
    }
    const left = open.ahead - (c.taken - open.takenAt);
    if (status === ZX_ERR_TIMED_OUT && left > 0 && !this.#cancelled.has(open.port)) {
      return `returned ZX_ERR_TIMED_OUT, but port ${open.port} surely held ${left} signal packet${
        left === 1 ? "" : "s"
      } when it started (async waits whose signals were active, none taken or cancelled)`;
    }
    return undefined;
  }
}

/**
 * What is wrong with `packet`, handed back by a `zx_port_wait` on a port whose packets all come
 * from the async waits `made` on it (an exact port), if anything. Upstream: a kernel packet has
 * *status* ZX_OK and the *key* of its registration (port_wait.md @ gnoliyil/fuchsia 3a0300d1);
 * an async wait's has *type* ZX_PKT_TYPE_SIGNAL_ONE, *trigger* "the signals used in the call to
 * `zx_object_wait_async()`", *observed* "all of the currently-asserted signals" when it was
 * queued, so at least one of the trigger's (it was queued because one was active), and a
 * *timestamp* of 0 unless the wait asked for ZX_WAIT_ASYNC_TIMESTAMP (object_wait_async.md @
 * gnoliyil/fuchsia 3a0300d1). Exported for its tests.
 */
export function signalPacketWrong(packet: unknown, made: readonly MadeWait[]): string | undefined {
  const p = packet as {
    type?: unknown;
    key?: unknown;
    status?: unknown;
    signal?: { trigger?: unknown; observed?: unknown; timestamp?: unknown };
  } | null;
  const shown = JSON.stringify(p, (_, v) => typeof v === "bigint" ? String(v) : v);
  if (p === null || typeof p !== "object") return `handed back no packet (${shown})`;
  const s = p.signal;
  if (
    p.type !== ZX_PKT_TYPE_SIGNAL_ONE || p.status !== ZX_OK || s === undefined ||
    typeof s.trigger !== "number" || typeof s.observed !== "number"
  ) {
    return `handed back ${shown}, not a ZX_PKT_TYPE_SIGNAL_ONE packet with status ZX_OK, ` +
      "a trigger and observed signals (every packet of the port comes from an async wait)";
  }
  const [trigger, observed] = [s.trigger, s.observed];
  const from = made.filter((w) => w.key === p.key && (w.signals >>> 0) === (trigger >>> 0));
  if (from.length === 0) {
    return `handed back a signal packet of key ${p.key} and trigger 0x${
      trigger.toString(16)
    }, but no async wait on the port was made with that key and those signals`;
  }
  if ((trigger & observed) === 0) {
    return `handed back a signal packet of trigger 0x${trigger.toString(16)} observing 0x${
      observed.toString(16)
    }: none of its signals was active when it was queued`;
  }
  if (s.timestamp !== 0 && from.every((w) => (w.options & ZX_WAIT_ASYNC_TIMESTAMP) === 0)) {
    return `handed back a signal packet with timestamp ${s.timestamp} from a wait made without ` +
      "ZX_WAIT_ASYNC_TIMESTAMP (reported as 0)";
  }
  return undefined;
}
