/**
 * `single-supply`: a supply never replaces a present page (K8), each parked
 * waiter is woken once per wait (spec 3.6), and no request is resolved twice.
 *
 * @module
 */

import type { KernelEvent } from "../kernel/events.ts";
import { StepMonitor } from "./_step_monitor.ts";

/** The event kinds immediate judges (one set for every run, not one per checker made). */
const IMMEDIATE_KINDS: ReadonlySet<KernelEvent["k"]> = new Set([
  "supply",
  "request",
  "resolve",
  "block",
  "wake",
]);

/** Checks K8, one wake per wait, one resolution per request. */
export class SingleSupply extends StepMonitor {
  readonly name = "single-supply";
  readonly #requested = new Set<number>();
  readonly #resolved = new Set<number>();
  /** Threads parked on a page request (not a port). */
  readonly #parked = new Set<number>();

  protected override readonly immediateKinds: ReadonlySet<KernelEvent["k"]> = IMMEDIATE_KINDS;

  protected override immediate(e: KernelEvent): void {
    switch (e.k) {
      case "supply":
        if (e.inserted && e.before !== "absent") {
          this.fail(
            "K8",
            `vmo${e.vmo} page ${e.page} was ${e.before} and was replaced by a supply`,
          );
        }
        if (!e.inserted && e.before === "absent") {
          this.fail("K8", `vmo${e.vmo} page ${e.page} was absent and the supply skipped it`);
        }
        return;
      case "request":
        this.#requested.add(e.id);
        return;
      case "resolve":
        if (!this.#requested.has(e.id)) {
          this.fail("resolve-once", `vmo${e.vmo} resolved request #${e.id}, never created`);
        }
        if (this.#resolved.has(e.id)) {
          this.fail("resolve-once", `vmo${e.vmo} request #${e.id} resolved twice`);
        }
        this.#resolved.add(e.id);
        return;
      case "block":
        if (e.on.startsWith("vmo ")) this.#parked.add(e.tid);
        return;
      case "wake":
        if (!this.#parked.has(e.tid)) {
          this.fail("wake-once", `t${e.tid} woken (${e.why}) while not parked on a request`);
        }
        this.#parked.delete(e.tid);
        return;
    }
  }
}
