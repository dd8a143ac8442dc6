/**
 * What the kernel model reports as it runs. The simulator turns these into the
 * trace; properties read them. The kernel never reads them back.
 *
 * @module
 */

import type { Status } from "./constants.ts";

/** A page-request packet as delivered through a port (`zx_packet_page_request_t` plus header). */
export interface PagePacket {
  /** Packet type (`ZX_PKT_TYPE_*`). */
  readonly type: number;
  /** The key the VMO was created with (user packets: the queuer's key). */
  readonly key: number;
  /** Always `ZX_OK` for page requests. */
  readonly status: Status;
  /** `ZX_PAGER_VMO_READ`, `_DIRTY` or `_COMPLETE`. */
  readonly command: number;
  /** No defined bits; 0. */
  readonly flags: number;
  /** First byte of the range, page aligned (0 for COMPLETE). */
  readonly offset: number;
  /** Bytes in the range, page aligned (0 for COMPLETE). */
  readonly length: number;
}

/** A user packet queued with `zx_port_queue`. */
export interface UserPacket {
  /** Packet type (`ZX_PKT_TYPE_*`). */
  readonly type: number;
  /** The key the VMO was created with (user packets: the queuer's key). */
  readonly key: number;
  /** Always `ZX_OK` for page requests. */
  readonly status: Status;
  /** The user payload. */
  readonly user: readonly number[];
}

/** A signal packet (`ZX_PKT_TYPE_SIGNAL_ONE`) an async wait queued (`zx_object_wait_async`). */
export interface SignalPacket {
  /** `ZX_PKT_TYPE_SIGNAL_ONE`. */
  readonly type: number;
  /** The key the wait was made with. */
  readonly key: number;
  /** `ZX_OK`. */
  readonly status: Status;
  /** `zx_packet_signal_t`. */
  readonly signal: {
    /** The signals the wait was for. */
    readonly trigger: number;
    /** The object's active signals when the packet was queued. */
    readonly observed: number;
    /** Always 1 (one-shot waits). */
    readonly count: number;
    /** Virtual time of the queueing with `ZX_WAIT_ASYNC_TIMESTAMP`, else 0. */
    readonly timestamp: number;
  };
}

/** Any packet a `zx_port_wait` can return. */
export type Packet = PagePacket | UserPacket | SignalPacket;

/** Every observable kernel action, in the order it happened. */
export type KernelEvent =
  | {
    readonly k: "call";
    readonly tid: number;
    readonly name: string;
    readonly args: readonly unknown[];
  }
  | {
    readonly k: "ret";
    readonly tid: number;
    readonly name: string;
    readonly status: Status;
    /**
     * The out-value of a successful call that returns one (`zx_vmo_get_size`'s size,
     * `zx_vmar_map`'s address): shown in the trace text, not part of the trace hash.
     */
    readonly value?: number;
    /** The handle a successful call made (`zx_vmo_create`, `zx_bti_pin`'s PMT, ...): text only. */
    readonly handle?: number;
    /**
     * The ranges `zx_pager_query_dirty_ranges` returned (options: `ZX_VMO_DIRTY_RANGE_IS_ZERO`
     * or 0): text only.
     */
    readonly ranges?: readonly {
      readonly offset: number;
      readonly length: number;
      readonly options?: number;
    }[];
    /**
     * `kernel_evict`'s page and what kept it (its slot's kind, a pin, the always-need hint, no
     * live pager VMO), so the text says which page went or why it stayed: text only.
     */
    readonly evict?: EvictDetail;
  }
  | {
    readonly k: "request";
    readonly vmo: number;
    readonly id: number;
    readonly type: "READ" | "DIRTY";
    readonly start: number;
    readonly end: number;
    readonly tid: number;
  }
  | { readonly k: "coalesce"; readonly vmo: number; readonly id: number; readonly tid: number }
  | {
    readonly k: "resolve";
    readonly vmo: number;
    readonly id: number;
    readonly status: Status;
    readonly how: "complete" | "cancel" | "detach";
  }
  | {
    readonly k: "packet-queued";
    readonly port: number;
    readonly vmo: number;
    readonly packet: PagePacket;
    readonly id: number;
  }
  | {
    readonly k: "packet-dequeued";
    readonly port: number;
    readonly vmo: number;
    readonly packet: PagePacket;
    readonly id: number;
    readonly tid: number;
  }
  | {
    readonly k: "packet-withdrawn";
    readonly port: number;
    readonly vmo: number;
    readonly id: number;
  }
  | {
    readonly k: "packet-dropped";
    readonly port: number;
    readonly vmo: number;
    readonly id: number;
  }
  | { readonly k: "block"; readonly tid: number; readonly on: string }
  | { readonly k: "wake"; readonly tid: number; readonly status: Status; readonly why: string }
  | {
    /**
     * A `mem_read`/`mem_write` back from its page fault's wait (woken, or interrupted by a
     * suspend): the access starts again, a new `call` at the thread's next step. Text only, not
     * hashed: the step it ends had printed nothing (userS29b: "#11 then #13", and `mem_read`
     * twice with no return line for the first).
     */
    readonly k: "refault";
    readonly tid: number;
    readonly name: string;
    readonly addr: number;
  }
  | {
    readonly k: "supply";
    readonly vmo: number;
    readonly page: number;
    readonly inserted: boolean;
    readonly before: SlotKind;
    /**
     * What the supply delivered for the page ({@linkcode pageContent}; a kept page's too, which
     * the kernel dropped), when the sink keeps events to show them: text only, not hashed.
     */
    readonly content?: string;
  }
  | {
    readonly k: "copy";
    readonly tid: number;
    readonly vmo: number;
    readonly offset: number;
    readonly bytes: Uint8Array;
  }
  | {
    readonly k: "store";
    readonly tid: number;
    readonly vmo: number;
    readonly offset: number;
    readonly bytes: Uint8Array;
  }
  | {
    readonly k: "detach";
    readonly vmo: number;
    readonly why: "detach" | "pager-closed" | "vmo-dead";
  }
  | {
    readonly k: "page-fault";
    readonly tid: number;
    readonly vmo: number;
    readonly synth: Status;
    readonly addr: number;
  }
  | {
    readonly k: "thread";
    readonly tid: number;
    readonly what: "suspended" | "resumed" | "killed" | "kill-deferred" | "exited" | "started";
  }
  | {
    /**
     * A thread's atomic operation on a futex word (not a syscall, not a
     * scheduling point): `old` is what it read, `value` what the word holds after.
     */
    readonly k: "atomic";
    readonly tid: number;
    readonly addr: number;
    readonly op: "load" | "store" | "cas" | "swap" | "add";
    readonly old: number;
    readonly value: number;
  }
  | {
    /**
     * A thread learned an object's signals: `zx_object_wait_one` returned them, or
     * `zx_port_wait` returned a signal packet (with its key) from an async wait on `koid`.
     */
    readonly k: "observed";
    readonly tid: number;
    readonly koid: number;
    readonly signals: number;
    readonly key: number;
  };

/** The page a `kernel_evict` named, as the kernel found it (text only, not hashed). */
export interface EvictDetail {
  /** The VMO's kernel id (0 when the handle named no VMO). */
  readonly vmo: number;
  /** The page index the call named. */
  readonly page: number;
  /** False when the VMO is no live pager VMO (anonymous, or dead). */
  readonly pager: boolean;
  /** What the page's slot held before the call. */
  readonly slot: SlotKind;
  /** The page is pinned (`zx_bti_pin`). */
  readonly pinned: boolean;
  /** The page carries the `ALWAYS_NEED` hint. */
  readonly alwaysNeed: boolean;
}

/** The kinds of content a VMO page slot can hold. */
export type SlotKind = "absent" | "clean" | "dirty" | "awaiting-clean" | "marker" | "zero";

/** Receives kernel events. */
export interface EventSink {
  /** Receives one event, in the order events happen. */
  emit(event: KernelEvent): void;
  /**
   * True when the sink keeps events to show them (a trace's text or JSON): the kernel then adds
   * the text-only fields that cost work to compute (a supply's {@linkcode pageContent}).
   */
  readonly keep?: boolean;
}

/**
 * A short, deterministic summary of a page's bytes for the trace: `zeros` for a page of zeros
 * (`undefined`: the zero page), else its first 8 bytes in hex, `…` when there are more, and a
 * fingerprint of all of them (`fp` and 8 hex digits: a 32-bit multiply-xor hash of the bytes as
 * little-endian 32-bit words, then any tail byte by byte), so two pages read alike only when their
 * bytes very likely are. Word-wise, as a supply's page may be 64 KiB and a kept trace summarises
 * every one.
 *
 * @example
 * ```ts
 * import { pageContent } from "./events.ts";
 * console.assert(pageContent(undefined) === "zeros");
 * console.assert(pageContent(new Uint8Array(64)) === "zeros");
 * const page = new Uint8Array(64);
 * page[0] = 1;
 * console.assert(/^0100000000000000… fp [0-9a-f]{8}$/.test(pageContent(page)));
 * // The same bytes anywhere in a buffer: the same summary.
 * const wide = new Uint8Array(65);
 * wide.set(page, 1);
 * console.assert(pageContent(wide.subarray(1)) === pageContent(page));
 * ```
 */
// Stryker disable all: trace text, not hashed, no checker reads it (the doc example above)
export function pageContent(bytes: Uint8Array | undefined): string {
  if (bytes === undefined) return "zeros";
  const at = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const words = new Uint32Array(at.buffer, at.byteOffset, at.length >>> 2);
  let h = 0x811c9dc5 ^ bytes.length, any = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    any |= w;
    h = Math.imul(h ^ w, 0x01000193);
    h ^= h >>> 15;
  }
  for (let i = words.length * 4; i < bytes.length; i++) {
    any |= bytes[i];
    h = Math.imul(h ^ bytes[i], 0x01000193);
    h ^= h >>> 15;
  }
  if (any === 0) return "zeros";
  let head = "";
  for (let i = 0; i < Math.min(8, bytes.length); i++) {
    head += bytes[i].toString(16).padStart(2, "0");
  }
  return `${head}${bytes.length > 8 ? "…" : ""} fp ${(h >>> 0).toString(16).padStart(8, "0")}`;
}
// Stryker restore all

/** A sink that drops everything (for kernels driven directly by tests). */
export const NULL_SINK: EventSink = { emit() {} };

/**
 * A `mem_read`/`mem_write` at `addr` is back from its page fault's wait: says so (a `refault`
 * event) and returns true, the access faulting again on the same address at the thread's next
 * step (`VmoPages.mem`, one line there so the mutant keys of the lines after it stay).
 */
export function refaulted(sink: EventSink, tid: number, name: string, addr: number): true {
  sink.emit({ k: "refault", tid, name, addr });
  return true;
}
