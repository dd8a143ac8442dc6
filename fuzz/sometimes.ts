/**
 * "Sometimes" counters: interleavings a campaign should reach now and then.
 * Each is a predicate over a run's kernel events; a campaign reports how many
 * runs reached each one, and names the ones it never reached.
 *
 * @module
 */

import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_INTERNAL_INTR_KILLED,
  ZX_ERR_INTERNAL_INTR_RETRY,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_SHOULD_WAIT,
  ZX_OK,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_PAGER_VMO_COMPLETE,
  ZX_PAGER_VMO_READ,
} from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import type { Monitor, World } from "../sim/world.ts";
import type { ServiceContract } from "../scenario/service_contract.ts";

/**
 * The lines under a campaign's `never reached:` list: coverage, not failures, and what each
 * interleaving needed, from {@linkcode SOMETIMES}. It claims nothing about what the service
 * did (a user whose service fails ranges read "some need what a service may never do, e.g.
 * opfail-* an OP_FAIL" for opfail-hits-early-wake-reader: the hint said what the run
 * contradicted).
 *
 * @example
 * ```ts
 * import { neverReachedLines } from "./sometimes.ts";
 * console.assert(neverReachedLines(["overtime-timeout"])[1].includes("pager wait hit"));
 * ```
 */
export function neverReachedLines(neverReached: readonly string[]): string[] {
  if (neverReached.length === 0) return [];
  return [
    "  (coverage, not failures: interleavings no run made; what each needed to happen once:)",
    ...neverReached.map((k) => `    ${k}: ${SOMETIMES[k] ?? "(not a scenario interleaving)"}`),
  ];
}

/** A "large" VMO for the real-sizes counters (issue 13.4), in pages. */
const LARGE_PAGES = 256;
/** "Many" VMOs on one pager, for the real-sizes counters. */
const MANY_VMOS = 8;
/** How many service threads of one pager dequeuing makes a pool "four threads". */
const POOL_THREADS = 4;

/** The interleavings counted, with what each means. */
export const SOMETIMES: Readonly<Record<string, string>> = {
  "detach-races-supply":
    "a VMO was detached (or its pager closed) while a READ the service had dequeued was unanswered",
  "supply-after-detach":
    "a supply returned BAD_STATE because the VMO was detached under the service",
  "opfail-hits-early-wake-reader":
    "OP_FAIL woke an early-wake reader with the error before its request completed",
  "early-wake-progress":
    "a reader was woken early by a supply of the page it waited for and went on",
  "port-closed-under-blocked-thread": "a port died holding (or refusing) a pager packet",
  "request-withdrawn-before-delivery":
    "a request was resolved or cancelled while its packet was still unread",
  "pager-closed-with-packets-queued":
    "the pager handle closed while one of its VMOs had a packet queued",
  "coalesced-waiters": "a thread joined an outstanding request instead of creating one",
  "suspend-requeues-request":
    "suspending a blocked thread cancelled its wait (the request is sent again on resume)",
  "kill-while-blocked": "a thread was killed while blocked on the pager",
  "overtime-timeout": "a pager wait hit the overtime timeout",
  "complete-delivered": "a COMPLETE packet was dequeued by a service",
  "supply-kept-present-page": "a supply skipped a page that already had content",
  "fatal-page-fault": "a mapped access ended in a fatal page fault",
  "should-wait-returned": "a fail-instead-of-block caller got ZX_ERR_SHOULD_WAIT",
  "dirty-request": "a write to a TRAP_DIRTY VMO raised a DIRTY request",
  "page-supplied-again":
    "a page was supplied twice in one run (evicted or written back in between)",
  "resupply-after-writeback-evict":
    "a page was supplied again after a WRITEBACK_END and then an eviction since its last supply (written, written back, evicted, read back)",
  "shrink-fails-blocked-access": "a shrink turned a blocked read or write into ZX_ERR_OUT_OF_RANGE",
  "shrink-races-supply":
    "a VMO shrank (keeping a page) while a READ of it a service had dequeued was still outstanding",
  "op-dirty-not-found":
    "OP_DIRTY found a gap (ZX_ERR_NOT_FOUND): the page went away before the ack",
  "key-reused-after-complete":
    "a VMO was created under a key whose earlier VMO's COMPLETE a service had taken (a file re-opened)",
  "large-vmo-request": `a pager VMO of at least ${LARGE_PAGES} pages raised a request`,
  "last-page-request":
    `a READ request reached the last page of a VMO of at least ${LARGE_PAGES} pages`,
  "many-vmos-per-pager": `one pager port was sent packets of at least ${MANY_VMOS} VMOs`,
  "four-service-threads":
    "four pool threads of one pager (threads: 4 or more; spawned workers do not count) each dequeued a packet",
};

/** Records which interleavings one run reached. */
export class SometimesMonitor implements Monitor {
  readonly name = "sometimes";
  readonly hit = new Set<string>();
  #dequeuedReads = new Map<number, number>();
  #queued = new Map<number, number>();
  /** Pages inserted by a supply so far, as "vmo:page", with the event count at their last supply. */
  #supplied = new Map<string, number>();
  /** Events seen so far: the clock of the write-back-evict-resupply order. */
  #events = 0;
  /** The op of each thread's zx_pager_op_range in progress. */
  #opOf = new Map<number, unknown>();
  /** The event count of the last successful WRITEBACK_END. */
  #lastEnd = 0;
  /** The last successful WRITEBACK_END that an eviction followed (its event count). */
  #endThenEvict = 0;
  /** Threads that have been parked since their current syscall began. */
  #parked = new Set<number>();
  /**
   * Keys whose COMPLETE a service took, as "port:key": a key is its port's (two pagers may each
   * number their files from 1; userS29a's tinyfs counted 107 re-opens that were other pagers').
   */
  #completedKeys = new Set<string>();
  /** The keys of them, any port: a `zx_pager_create_vmo` under one is looked at after the step. */
  #completedAnyPort = new Set<number>();
  /** Keys `zx_pager_create_vmo` was called with this step, under a key some port completed. */
  #creates: number[] = [];
  /** Requests of this step, judged against the VMO's size after the step: [koid, end, type]. */
  #requests: [number, number, string][] = [];
  /** Service threads that dequeued a packet, by the pager their name gives ("p0.svc1": p0). */
  #dequeuers = new Map<string, Set<number>>();
  #dequeuedBy: number[] = [];
  /** The VMOs that had a packet queued, by port (one pager's port). */
  #portVmos = new Map<number, Set<number>>();
  /** Outstanding READ requests: request id -> VMO koid. */
  #outstandingReads = new Map<number, number>();
  /** A `zx_vmo_set_size` was called this step. */
  #resized = false;
  /** Page counts of VMOs with a dequeued, outstanding READ, as of the step that last looked. */
  #sizes = new Map<number, number>();

  onEvent(e: KernelEvent): void {
    this.#events++;
    switch (e.k) {
      case "packet-queued": {
        this.#queued.set(e.vmo, (this.#queued.get(e.vmo) ?? 0) + 1);
        let served = this.#portVmos.get(e.port);
        if (served === undefined) this.#portVmos.set(e.port, served = new Set());
        served.add(e.vmo);
        if (served.size >= MANY_VMOS) this.hit.add("many-vmos-per-pager");
        break;
      }
      case "packet-dequeued":
        this.#dequeuedBy.push(e.tid);
        this.#queued.set(e.vmo, Math.max(0, (this.#queued.get(e.vmo) ?? 0) - 1));
        if (e.packet.command === ZX_PAGER_VMO_READ) {
          this.#dequeuedReads.set(e.vmo, (this.#dequeuedReads.get(e.vmo) ?? 0) + 1);
        }
        if (e.packet.command === ZX_PAGER_VMO_COMPLETE) {
          this.hit.add("complete-delivered");
          this.#completedKeys.add(`${e.port}:${e.packet.key}`);
          this.#completedAnyPort.add(e.packet.key);
        }
        break;
      case "packet-withdrawn":
        this.#queued.set(e.vmo, Math.max(0, (this.#queued.get(e.vmo) ?? 0) - 1));
        this.hit.add("request-withdrawn-before-delivery");
        break;
      case "packet-dropped":
        this.hit.add("port-closed-under-blocked-thread");
        break;
      case "supply":
        if (e.inserted) {
          this.#dequeuedReads.set(e.vmo, 0);
          const page = `${e.vmo}:${e.page}`;
          const before = this.#supplied.get(page);
          if (before !== undefined) {
            this.hit.add("page-supplied-again");
            // Written back and evicted since its last supply (run-wide END and evict, in order).
            if (this.#endThenEvict > before) this.hit.add("resupply-after-writeback-evict");
          }
          this.#supplied.set(page, this.#events);
        } else this.hit.add("supply-kept-present-page");
        break;
      case "request":
        if (e.type === "DIRTY") this.hit.add("dirty-request");
        else this.#outstandingReads.set(e.id, e.vmo);
        this.#requests.push([e.vmo, e.end, e.type]);
        break;
      case "block":
        this.#parked.add(e.tid);
        break;
      case "call":
        this.#parked.delete(e.tid);
        if (e.name === "zx_vmo_set_size") this.#resized = true;
        if (e.name === "zx_pager_op_range") this.#opOf.set(e.tid, e.args[1]);
        if (e.name === "zx_pager_create_vmo" && this.#completedAnyPort.has(e.args[3] as number)) {
          this.#creates.push(e.args[3] as number);
        }
        break;
      case "detach":
        if (e.why !== "vmo-dead" && (this.#dequeuedReads.get(e.vmo) ?? 0) > 0) {
          this.hit.add("detach-races-supply");
        }
        if (e.why === "pager-closed" && (this.#queued.get(e.vmo) ?? 0) > 0) {
          this.hit.add("pager-closed-with-packets-queued");
        }
        break;
      case "resolve":
        this.#outstandingReads.delete(e.id);
        break;
      case "coalesce":
        this.hit.add("coalesced-waiters");
        break;
      case "wake":
        if (e.why === "early-wake") {
          this.hit.add(
            e.status === ZX_OK ? "early-wake-progress" : "opfail-hits-early-wake-reader",
          );
        }
        if (e.status === ZX_ERR_INTERNAL_INTR_RETRY) this.hit.add("suspend-requeues-request");
        if (e.status === ZX_ERR_INTERNAL_INTR_KILLED) this.hit.add("kill-while-blocked");
        if (e.why === "overtime") this.hit.add("overtime-timeout");
        break;
      case "ret":
        if (
          e.name === "zx_pager_op_range" && e.status === ZX_OK &&
          this.#opOf.get(e.tid) === ZX_PAGER_OP_WRITEBACK_END
        ) this.#lastEnd = this.#events;
        if (e.name === "kernel_evict" && e.status === ZX_OK && this.#lastEnd > 0) {
          this.#endThenEvict = this.#lastEnd;
        }
        if (e.name === "zx_pager_supply_pages" && e.status === ZX_ERR_BAD_STATE) {
          this.hit.add("supply-after-detach");
        }
        if (
          (e.name === "zx_vmo_read" || e.name === "zx_vmo_write") &&
          e.status === ZX_ERR_OUT_OF_RANGE && this.#parked.has(e.tid)
        ) this.hit.add("shrink-fails-blocked-access");
        if (e.name === "zx_pager_op_range" && e.status === ZX_ERR_NOT_FOUND) {
          this.hit.add("op-dirty-not-found");
        }
        if (e.status === ZX_ERR_SHOULD_WAIT) this.hit.add("should-wait-returned");
        break;
      case "page-fault":
        this.hit.add("fatal-page-fault");
        break;
    }
  }

  /** The real-sizes counters need the VMO's size, its pager's VMOs and thread names. */
  afterStep(world: World): void {
    if (this.#creates.length > 0) {
      // The port the call named is a handle: the newest VMO of the key names its port's koid.
      for (const key of this.#creates) {
        let port: number | undefined;
        let newest = -1;
        for (const v of world.kernel.pagerVmos) {
          if (v.key === key && v.koid > newest) [newest, port] = [v.koid, v.proxy?.port.koid];
        }
        if (this.#completedKeys.has(`${port}:${key}`)) this.hit.add("key-reused-after-complete");
      }
      this.#creates = [];
    }
    if (this.#requests.length > 0) {
      for (const [koid, end, type] of this.#requests) {
        const vmo = world.kernel.pagerVmos.find((v) => v.koid === koid);
        if (vmo === undefined) continue;
        if (vmo.pageCount >= LARGE_PAGES) {
          this.hit.add("large-vmo-request");
          if (type === "READ" && end === vmo.pageCount) this.hit.add("last-page-request");
        }
      }
      this.#requests = [];
    }
    // A shrink racing a supply: sizes are looked at only on steps that dequeued or resized.
    if ((this.#resized || this.#dequeuedBy.length > 0) && this.#outstandingReads.size > 0) {
      for (const koid of new Set(this.#outstandingReads.values())) {
        if ((this.#dequeuedReads.get(koid) ?? 0) === 0) continue;
        const vmo = world.kernel.pagerVmos.find((v) => v.koid === koid);
        if (vmo === undefined) continue;
        const before = this.#sizes.get(koid);
        if (this.#resized && before !== undefined && vmo.pageCount > 0 && vmo.pageCount < before) {
          this.hit.add("shrink-races-supply");
        }
        this.#sizes.set(koid, vmo.pageCount);
      }
    }
    this.#resized = false;
    if (this.#dequeuedBy.length > 0) {
      for (const tid of this.#dequeuedBy) {
        const name = world.threads[tid - 1]?.name ?? "";
        const at = name.indexOf(".svc");
        if (at < 0) continue;
        const pager = name.slice(0, at);
        let set = this.#dequeuers.get(pager);
        if (set === undefined) this.#dequeuers.set(pager, set = new Set());
        set.add(tid);
        if (set.size >= POOL_THREADS) this.hit.add("four-service-threads");
      }
      this.#dequeuedBy = [];
    }
  }
}

/**
 * The "sometimes" interleavings a service contract rules out, each with the
 * clause that does: the campaign draws no input that reaches them (a DIRTY
 * request needs a trap-dirty VMO, a kill-while-blocked a kill event), so a
 * summary does not list them as gaps. One a service can still reach on its
 * own (a port it closes itself) is counted if it happens.
 *
 * @example
 * ```ts
 * import { contractExcludes } from "./sometimes.ts";
 * import { parseContract } from "../scenario/service_contract.ts";
 * const why = contractExcludes(parseContract({
 *   dirty: false,
 *   vmoOptions: { trapDirty: false },
 *   events: ["detach"],
 *   vmoPages: { min: 1, max: 32 },
 * }));
 * console.assert(why.get("dirty-request") === "dirty false");
 * console.assert(why.get("kill-while-blocked") === "events: no kill");
 * console.assert(why.get("large-vmo-request") === "vmoPages max 32");
 * ```
 */
export function contractExcludes(c: ServiceContract): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  const noEvent = (e: string) => !c.events.includes(e as never);
  if (!c.dirty) {
    out.set("dirty-request", "dirty false");
    out.set("op-dirty-not-found", "dirty false");
  } else if (c.vmoOptions.trapDirty === false) {
    // Only a TRAP_DIRTY VMO raises DIRTY requests (and so OP_DIRTY acks).
    out.set("dirty-request", "trapDirty false");
    out.set("op-dirty-not-found", "trapDirty false");
  }
  if (c.writeback === false) out.set("resupply-after-writeback-evict", "writeback false");
  else if (noEvent("evict")) out.set("resupply-after-writeback-evict", "events: no evict");
  if (noEvent("kill")) out.set("kill-while-blocked", "events: no kill");
  if (noEvent("suspend")) out.set("suspend-requeues-request", "events: no suspend");
  if (noEvent("resize") || !c.vmoOptions.resizable) {
    out.set("shrink-fails-blocked-access", "no resize");
    out.set("shrink-races-supply", "no resize");
  }
  if (!c.reachable.port && noEvent("closePort")) {
    out.set("port-closed-under-blocked-thread", "port private");
  }
  if (!c.reachable.pager && noEvent("closePager")) {
    out.set("pager-closed-with-packets-queued", "pager private");
  }
  if (!c.lifecycle) out.set("key-reused-after-complete", "lifecycle false");
  if (c.vmoPages.max < LARGE_PAGES) {
    out.set("large-vmo-request", `vmoPages max ${c.vmoPages.max}`);
    out.set("last-page-request", `vmoPages max ${c.vmoPages.max}`);
  }
  if (c.threads.max < POOL_THREADS) {
    out.set("four-service-threads", `threads max ${c.threads.max}`);
  }
  return out;
}
