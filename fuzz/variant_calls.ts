/**
 * Counts the calls of a kernel variant's own methods over a campaign (`fuzz --kernel V`): the
 * methods its classes declare (those it overrides or adds) on its `Kernel` subclass, its
 * `VmoPages` (`createPages`), and the `PageSource` and `PagerProxy` its factories return. A
 * userS27k campaign in `--mode programs` never reached two variants' changed code (an OP_FAIL
 * mid-request, a wake of another request type): the step totals were those of the model, and
 * nothing said so. The summary now names each method's count and warns about a method no run
 * called.
 *
 * Counting wraps the variant's own prototype methods, once per class: the wrapper adds one to a
 * counter and calls the method with the same `this` and arguments, so decisions, traces and
 * hashes stay as they were; a getter, a `#private` method or an arrow-function field is not
 * counted. The wrap is on the classes of the module instance, so every kernel that instance
 * builds counts: a campaign's worker loads the variant once for its runs (counted), and the
 * replays that investigate a failure load new instances (not counted).
 *
 * @module
 */

import { Kernel, type KernelOptions } from "../kernel/kernel.ts";
import { PageSource } from "../kernel/page_source.ts";
import { PagerProxy } from "../kernel/pager_proxy.ts";
import { VmoPages } from "../kernel/vmo_pages.ts";

/** A kernel factory, as `--kernel` modules export it. */
export type MakeKernel = (options: KernelOptions) => Kernel;

/** The model class whose methods a factory's result overrides, by factory name. */
const BUILT_BY: Readonly<Record<string, object>> = {
  createPageSource: PageSource.prototype,
  createPagerProxy: PagerProxy.prototype,
  createPages: VmoPages.prototype,
};

/**
 * The calls of a variant's own methods, by `Class.method`: every method is listed from the
 * moment its class is first seen, with 0 until called.
 */
export class VariantCalls {
  #counts: Record<string, number> = {};
  readonly #seen = new WeakSet<object>();
  /** The variant's own methods the running code is inside, innermost last, as UTF-8 names. */
  readonly #inside: Uint8Array[] = [];

  /**
   * `where`, if given, is told the innermost of the variant's own methods the code is inside on
   * each entry and exit (null: none), so a watchdog that stops a run inside one can name it (a
   * spinning thread cannot be asked for its stack). Counting is as without it.
   */
  constructor(readonly where?: (method: Uint8Array | null) => void) {}

  /** `make`, its kernels (and the parts they build) counted. */
  wrap(make: MakeKernel): MakeKernel {
    return (options) => {
      const kernel = make(options);
      this.#instrument(kernel, Kernel.prototype);
      this.#instrument(kernel.pages, VmoPages.prototype);
      return kernel;
    };
  }

  /** The counts since the last drain (every method seen so far, 0 included), then reset. */
  drain(): Record<string, number> {
    const out = this.#counts;
    this.#counts = Object.fromEntries(Object.keys(out).map((k) => [k, 0]));
    return out;
  }

  /** Wraps the methods of `obj`'s classes below `base` (the model's class), once per class. */
  #instrument(obj: unknown, base: object): void {
    if (typeof obj !== "object" || obj === null) return;
    for (
      let proto = Object.getPrototypeOf(obj);
      proto !== null && proto !== base && proto !== Object.prototype;
      proto = Object.getPrototypeOf(proto)
    ) {
      if (this.#seen.has(proto)) continue;
      this.#seen.add(proto);
      const cls = typeof proto.constructor === "function" && proto.constructor.name !== ""
        ? proto.constructor.name
        : "(anonymous class)";
      for (const name of Object.getOwnPropertyNames(proto)) {
        if (name === "constructor") continue;
        const desc = Object.getOwnPropertyDescriptor(proto, name);
        if (desc === undefined || typeof desc.value !== "function") continue;
        const key = `${cls}.${name}`;
        this.#counts[key] ??= 0;
        const method = desc.value as (...args: unknown[]) => unknown;
        const built = BUILT_BY[name];
        const bytes = new TextEncoder().encode(key);
        // deno-lint-ignore no-this-alias
        const calls = this;
        const inside = this.#inside;
        const where = this.where;
        const counted = function (this: unknown, ...args: unknown[]): unknown {
          calls.#counts[key] = (calls.#counts[key] ?? 0) + 1;
          if (where === undefined) {
            const result = method.apply(this, args);
            if (built !== undefined) calls.#instrument(result, built);
            return result;
          }
          inside.push(bytes);
          where(bytes);
          try {
            const result = method.apply(this, args);
            if (built !== undefined) calls.#instrument(result, built);
            return result;
          } finally {
            inside.pop();
            where(inside.length === 0 ? null : inside[inside.length - 1]);
          }
        };
        Object.defineProperty(proto, name, { ...desc, value: counted });
      }
    }
  }
}

/**
 * The summary's lines for a variant's call counts over `runs` runs: one line of counts, then a
 * warning for each method no run called, with where such calls come from. `stopped` workers the
 * watchdog stopped took their unreported counts with them (userS28c: after a hang inside the
 * variant the line said "none of its own methods was seen"): the counts are then said to be
 * incomplete, and a method without calls is not said never to have been called.
 *
 * @example
 * ```ts
 * import { variantCallLines } from "./variant_calls.ts";
 * console.assert(variantCallLines({}, 1, "scenarios", 1)[0].includes("incomplete"));
 * ```
 */
export function variantCallLines(
  counts: Readonly<Record<string, number>>,
  runs: number,
  mode: "scenarios" | "programs",
  stopped = 0,
): string[] {
  const names = Object.keys(counts).sort();
  const lost = stopped === 0
    ? ""
    : `incomplete: ${
      stopped === 1 ? "1 worker was" : `${stopped} workers were`
    } stopped (at the run limit or the heap limit) before reporting ${
      stopped === 1 ? "its" : "their"
    } counts, which went with ${stopped === 1 ? "it" : "them"}`;
  if (names.length === 0) {
    if (stopped > 0) {
      return [
        `kernel variant, calls of its own methods in ${runs} runs: not known, counts ${lost} ` +
        "(no run that finished reported any)",
      ];
    }
    return [
      `kernel variant: none of its own methods was seen in ${runs} runs (no subclass of ` +
      "Kernel, PageSource, PagerProxy or VmoPages with methods of its own was built)",
    ];
  }
  const lines = [
    `kernel variant, calls of its own methods in ${runs} runs: ${
      names.map((n) => `${n} ${counts[n]}`).join(", ")
    }${stopped === 0 ? "" : ` (counts ${lost})`}`,
  ];
  for (const n of names.filter((x) => counts[x] === 0)) {
    const method = n.slice(n.lastIndexOf(".") + 1);
    lines.push(
      stopped === 0
        ? `warning: your variant's ${n} was never called in ${runs} runs: this campaign did not ` +
          `test it; ${hint(method, mode)}`
        : `warning: your variant's ${n} had no call in the counts reported (a stopped worker's ` +
          `may have had some); ${hint(method, mode)}`,
    );
  }
  return lines;
}

/** Where calls of a model method come from, for a warning that none came. */
function hint(method: string, mode: "scenarios" | "programs"): string {
  const other = mode === "programs" ? "try --mode scenarios, or" : "try";
  switch (method) {
    case "onPagesFailed":
      return `${other} a scenario whose pager fails reads (a "flaky" service, failPercent 50) ` +
        "with readers of several pages (an OP_FAIL in the middle of a request)";
    case "onPagesDirtied":
      return `${other} a scenario with a trapDirty VMO and writers (DIRTY requests)`;
    case "onPagesInvalidated":
      return `${other} a scenario with a resizable VMO that shrinks under a reader, or an OP_ZERO`;
    case "cancel":
      return `${other} a scenario with suspend, kill or overtime (overtimeTicks) events`;
    case "rewait":
    case "deliverPending":
      return `${other} a scenario with readers of several pages (early wake)`;
    case "detach":
    case "detachVmo":
    case "complete":
      return `${other} a scenario with a detach event (or closePager)`;
    case "release":
      return `${other} a scenario with a thread that has failInsteadOfBlock`;
    default:
      return mode === "programs"
        ? "try --mode scenarios, more runs, or a scenario that calls it (deno task sim --kernel " +
          "V --scenario FILE)"
        : "try more runs, or a scenario that calls it (deno task sim --kernel V --scenario FILE)";
  }
}
