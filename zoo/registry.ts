/**
 * The bug zoo: realistic kernel and pager-service bugs, each with the
 * interleaving depth that exposes it, the checker that catches it, and a
 * small scenario that can expose it (the hint). Campaigns run against a zoo
 * bug with `deno task fuzz --zoo ID`; corpus cases name the bug with
 * `zoo: ID` so their replay uses it; `deno task bench:zoo` measures how fast
 * each strategy finds each bug.
 *
 * @module
 */

import type { ScenarioInput } from "../scenario/schema.ts";
import type { PagerService } from "../services/service.ts";
import type { Kernel, KernelOptions } from "../kernel/kernel.ts";
import { BUGGY_SERVICES } from "./buggy_services.ts";
import { MUTANTS } from "./mutants.ts";
import { EarlyWakeSupplyKernel, TwoPhaseDetachKernel } from "./racy_kernels.ts";
import {
  completeBeforeWithdraw,
  detachForgetsWaiters,
  duplicateRead,
  earlyWakeSkipsPage,
  type MakeKernel,
  opFailWrongWaiter,
  partialSupplyNoWake,
  supplyOverwritesPresent,
} from "./kernel_bugs.ts";
import {
  assumesPageSizedRequests,
  closesPortOnFirstComplete,
  confusesKeysAcrossVmos,
  dropsRequestWhileBatching,
  forwardsNoMemoryToOpFail,
  ignoresRefetchAfterFailure,
  suppliesAfterComplete,
  zeroFillsTailOffByOne,
} from "./service_bugs.ts";

/** One bug of the zoo. */
export interface ZooBug {
  /** Stable id: the `--zoo` argument and the corpus `zoo` field. */
  readonly id: string;
  /** A kernel variant (checked by the kernel invariants) or a service (kernel+service). */
  readonly kind: "kernel" | "service";
  /** Ordering constraints (preemptions) a schedule needs to expose it; 0: any schedule. */
  readonly depth: number;
  /** The real mistake it models, in one sentence. */
  readonly description: string;
  /** The checker whose violation names it (the corpus case's expected `invariant:` verdict). */
  readonly caughtBy: string;
  /** The kernel variant (kernel bugs). */
  readonly makeKernel?: MakeKernel;
  /** The buggy service (service bugs), registered under the bug's id. */
  readonly service?: PagerService;
  /** A small scenario that can expose the bug under some schedules. */
  readonly scenario: ScenarioInput;
}

const SMALL = { pageSize: 64, maxSteps: 5000, liveness: { afterSteps: 400, bound: 3000 } };

/** A reader thread: `read` ops on (vmo, page, pages). */
function reader(name: string, ...ops: [string, number, number][]) {
  return {
    name,
    ops: ops.map(([vmo, page, pages]) => ({ op: "read" as const, vmo, page, pages })),
  };
}

/** A thread that does other work first (`work` info queries on `vmo`), then its racy ops. */
function busy(thread: ThreadInput, vmo: string, work: number): ThreadInput {
  const other = Array.from({ length: work }, () => ({ op: "info" as const, vmo }));
  return { ...thread, ops: [...other, ...thread.ops ?? []] };
}

type ThreadInput = NonNullable<ScenarioInput["threads"]>[number];

/** Other work before the racy access in depth-2 hints: a schedule must keep the race intact through it. */
const WORK = 6;

function custom(name: string, extra: Record<string, unknown> = {}) {
  return { kind: "custom" as const, name, ...extra };
}

/** Every bug of the zoo, kernel bugs first. */
export const ZOO: readonly ZooBug[] = [
  {
    id: "partial-supply-no-wake",
    kind: "kernel",
    depth: 1,
    description: "a waiter is not woken when a supply covers only part of its request",
    // syscall-contract's early-wake rule (issue 14) sees the reader left parked at the supply;
    // before it, no-lost-requests saw the hang that follows.
    caughtBy: "syscall-contract",
    makeKernel: partialSupplyNoWake,
    scenario: {
      ...SMALL,
      pagers: [{ name: "fs", service: { kind: "batching", batch: 1, readAhead: 2 } }],
      vmos: [{ name: "a", pager: "fs", pages: 4 }],
      threads: [reader("r0", ["a", 0, 1]), reader("r1", ["a", 1, 3])],
    },
  },
  {
    id: "duplicate-read",
    kind: "kernel",
    depth: 1,
    description: "a fault that coalesces into an outstanding READ sends a second READ packet",
    caughtBy: "packet-discipline",
    makeKernel: duplicateRead,
    scenario: {
      ...SMALL,
      pagers: [{ name: "fs" }],
      vmos: [{ name: "a", pager: "fs", pages: 2 }],
      threads: [reader("r0", ["a", 0, 2]), reader("r1", ["a", 1, 1])],
    },
  },
  {
    id: "complete-before-withdraw",
    kind: "kernel",
    depth: 1,
    description: "detach queues COMPLETE before withdrawing the READ packet already in the port",
    caughtBy: "packet-discipline",
    makeKernel: completeBeforeWithdraw,
    scenario: {
      ...SMALL,
      pagers: [{ name: "fs" }],
      vmos: [{ name: "a", pager: "fs", pages: 1 }],
      threads: [reader("r0", ["a", 0, 1])],
      events: [{ do: "detach", target: "a" }],
    },
  },
  {
    id: "detach-forgets-waiters",
    kind: "kernel",
    depth: 2,
    description:
      "detach wakes each request's first waiter and forgets the threads parked behind it",
    caughtBy: "no-lost-requests",
    makeKernel: detachForgetsWaiters,
    scenario: {
      ...SMALL,
      pagers: [{ name: "fs" }],
      vmos: [{ name: "a", pager: "fs", pages: 1 }],
      threads: [
        busy(reader("r0", ["a", 0, 1]), "a", WORK),
        busy(reader("r1", ["a", 0, 1]), "a", WORK),
      ],
      events: [{ do: "detach", target: "a" }],
    },
  },
  {
    id: "op-fail-wrong-waiter",
    kind: "kernel",
    depth: 2,
    description: "OP_FAIL reports the error to a waiter of another VMO at the same offsets",
    caughtBy: "syscall-contract",
    makeKernel: opFailWrongWaiter,
    scenario: {
      ...SMALL,
      pagers: [{ name: "fs", service: { kind: "flaky", failPercent: 50 } }],
      vmos: [{ name: "a", pager: "fs", pages: 1 }, { name: "b", pager: "fs", pages: 1 }],
      threads: [reader("r0", ["a", 0, 1]), busy(reader("r1", ["b", 0, 1]), "b", 2 * WORK)],
    },
  },
  {
    id: "early-wake-skips-page",
    kind: "kernel",
    depth: 1,
    description: "an early-woken reader copies the rest of its request without waiting for it",
    caughtBy: "data-integrity",
    makeKernel: earlyWakeSkipsPage,
    scenario: {
      ...SMALL,
      pagers: [{ name: "fs", service: { kind: "batching", batch: 1, readAhead: 1 } }],
      vmos: [{ name: "a", pager: "fs", pages: 3 }],
      threads: [reader("r0", ["a", 0, 1]), reader("r1", ["a", 1, 2])],
    },
  },
  {
    id: "supply-overwrites-present",
    kind: "kernel",
    depth: 2,
    description: "a supply replaces a page that is already present, losing a thread's write",
    caughtBy: "page-state",
    makeKernel: supplyOverwritesPresent,
    scenario: {
      ...SMALL,
      pagers: [{ name: "fs", service: { kind: "batching", batch: 1, readAhead: 1 } }],
      vmos: [{ name: "a", pager: "fs", pages: 2 }],
      threads: [
        busy({ name: "w0", ops: [{ op: "write", vmo: "a", page: 1, pages: 1 }] }, "a", WORK),
        reader("r1", ["a", 0, 1]),
      ],
    },
  },
  {
    id: "drops-request-while-batching",
    kind: "service",
    depth: 2,
    description: "a batching service drops the packet that finds its batch full",
    caughtBy: "answers-every-read",
    service: dropsRequestWhileBatching,
    scenario: {
      ...SMALL,
      pagers: [{ name: "fs", service: custom("drops-request-while-batching", { batch: 1 }) }],
      vmos: [{ name: "a", pager: "fs", pages: 1 }, { name: "b", pager: "fs", pages: 1 }],
      threads: [reader("r0", ["a", 0, 1]), busy(reader("r1", ["b", 0, 1]), "b", 2 * WORK)],
    },
  },
  {
    id: "supplies-after-complete",
    kind: "service",
    depth: 1,
    description: "a service keeps queued work after COMPLETE and retries the supply on BAD_STATE",
    caughtBy: "treats-bad-state-as-gone",
    service: suppliesAfterComplete,
    scenario: {
      ...SMALL,
      pagers: [{ name: "fs", service: custom("supplies-after-complete") }],
      vmos: [{ name: "a", pager: "fs", pages: 1 }, { name: "b", pager: "fs", pages: 1 }],
      threads: [reader("r0", ["a", 0, 1], ["b", 0, 1])],
      events: [{ do: "detach", target: "a" }],
    },
  },
  {
    id: "forwards-no-memory-to-op-fail",
    kind: "service",
    depth: 0,
    description: "a service passes ZX_ERR_NO_MEMORY from a failed allocation on to OP_FAIL",
    caughtBy: "fails-with-valid-codes",
    service: forwardsNoMemoryToOpFail,
    scenario: {
      ...SMALL,
      allocFailPercent: 30,
      pagers: [{ name: "fs", service: custom("forwards-no-memory-to-op-fail") }],
      vmos: [{ name: "a", pager: "fs", pages: 2 }],
      threads: [reader("r0", ["a", 0, 1], ["a", 1, 1])],
    },
  },
  {
    id: "zero-fills-tail-off-by-one",
    kind: "service",
    depth: 0,
    description: "a service zero-fills the tail past end of file from one byte too late",
    caughtBy: "data-integrity",
    service: zeroFillsTailOffByOne,
    scenario: {
      ...SMALL,
      pagers: [{ name: "fs", service: custom("zero-fills-tail-off-by-one") }],
      vmos: [{ name: "a", pager: "fs", pages: 2, bytes: 64 + 24 }],
      threads: [reader("r0", ["a", 1, 1])],
    },
  },
  {
    id: "confuses-keys-across-vmos",
    kind: "service",
    depth: 0,
    description: "a service caches backing reads by offset alone and serves one VMO another's data",
    caughtBy: "data-integrity",
    service: confusesKeysAcrossVmos,
    scenario: {
      ...SMALL,
      pagers: [{ name: "fs", service: custom("confuses-keys-across-vmos") }],
      vmos: [{ name: "a", pager: "fs", pages: 1 }, { name: "b", pager: "fs", pages: 1 }],
      threads: [reader("r0", ["a", 0, 1]), reader("r1", ["b", 0, 1])],
    },
  },
  {
    id: "assumes-page-sized-requests",
    kind: "service",
    depth: 0,
    description: "a service supplies one page per packet, assuming requests are page sized",
    caughtBy: "answers-every-read",
    service: assumesPageSizedRequests,
    scenario: {
      ...SMALL,
      pagers: [{ name: "fs", service: custom("assumes-page-sized-requests") }],
      vmos: [{ name: "a", pager: "fs", pages: 2 }],
      threads: [reader("r0", ["a", 0, 2])],
    },
  },
  {
    id: "closes-port-on-first-complete",
    kind: "service",
    depth: 1,
    description: "a service closes its port on the first COMPLETE while other VMOs still use it",
    caughtBy: "keeps-port-open",
    service: closesPortOnFirstComplete,
    scenario: {
      ...SMALL,
      pagers: [{ name: "fs", service: custom("closes-port-on-first-complete") }],
      vmos: [{ name: "a", pager: "fs", pages: 1 }, { name: "b", pager: "fs", pages: 1 }],
      threads: [reader("r0", ["b", 0, 1])],
      events: [{ do: "detach", target: "a" }],
    },
  },
  {
    id: "ignores-refetch-after-failure",
    kind: "service",
    depth: 1,
    description: "a service takes the kernel's re-request of a failed range for a stale duplicate",
    // P1 since sig29: its OP_FAIL of the first READ no longer counts as answering the re-request.
    caughtBy: "answers-every-read",
    service: ignoresRefetchAfterFailure,
    scenario: {
      ...SMALL,
      pagers: [{
        name: "fs",
        service: custom("ignores-refetch-after-failure", { failPercent: 50 }),
      }],
      vmos: [{ name: "a", pager: "fs", pages: 1 }],
      threads: [reader("r0", ["a", 0, 1], ["a", 0, 1])],
    },
  },
];

/** Ids of every zoo bug. */
export const ZOO_IDS: readonly string[] = ZOO.map((b) => b.id);

/** The zoo bug with an id; throws naming the known ids otherwise. */
export function zooBug(id: string): ZooBug {
  const bug = ZOO.find((b) => b.id === id);
  if (bug === undefined) throw new Error(`no zoo bug "${id}"; known: ${ZOO_IDS.join(", ")}`);
  return bug;
}

/**
 * One seeded bug, whatever home it came from: a kernel variant, named
 * services, and the checker set that catches it.
 */
export interface SeededBug {
  /** The bug's id: a case's `bug` field. */
  readonly id: string;
  /** Where it comes from: the zoo, a buggy service, a program mutant, a racy kernel. */
  readonly family: "zoo" | "buggy-service" | "mutant" | "racy-kernel";
  /** The kernel variant, for kernel bugs. */
  readonly kernel?: (options: KernelOptions) => Kernel;
  /** Services by the `custom` name scenarios use, for service bugs. */
  readonly services?: Readonly<Record<string, PagerService>>;
  /** The checker set that catches it (scenario sets; mutants: the program set `kernel`). */
  readonly checkers: "kernel" | "kernel+service";
}

const RACY_KERNELS: Readonly<Record<string, MakeKernel>> = {
  "racy-early-wake-supply": (o: KernelOptions) => new EarlyWakeSupplyKernel(o),
  "racy-two-phase-detach": (o: KernelOptions) => new TwoPhaseDetachKernel(o),
};

/** Every seeded bug by id: the zoo, the buggy services, the program mutants, the racy kernels. */
export const BUGS: ReadonlyMap<string, SeededBug> = new Map<string, SeededBug>([
  ...ZOO.map((b): [string, SeededBug] => [
    b.id,
    b.kind === "kernel" ? { id: b.id, family: "zoo", kernel: b.makeKernel, checkers: "kernel" } : {
      id: b.id,
      family: "zoo",
      services: { [b.id]: b.service as PagerService },
      checkers: "kernel+service",
    },
  ]),
  ...Object.entries(BUGGY_SERVICES).map(([id, s]): [string, SeededBug] => [
    id,
    { id, family: "buggy-service", services: { [id]: s }, checkers: "kernel+service" },
  ]),
  ...Object.entries(MUTANTS).map(([id, k]): [string, SeededBug] => [
    id,
    { id, family: "mutant", kernel: k, checkers: "kernel" },
  ]),
  ...Object.entries(RACY_KERNELS).map(([id, k]): [string, SeededBug] => [
    id,
    { id, family: "racy-kernel", kernel: k, checkers: "kernel" },
  ]),
]);

/** Ids of every seeded bug. */
export const BUG_IDS: readonly string[] = [...BUGS.keys()];

/**
 * The seeded bug with an id; throws naming the known ids otherwise.
 *
 * @example
 * ```ts
 * import { bug } from "./registry.ts";
 * console.assert(bug("replace-leaks").kernel !== undefined);
 * console.assert(bug("drops-every-other-request").services !== undefined);
 * ```
 */
export function bug(id: string): SeededBug {
  const b = BUGS.get(id);
  if (b === undefined) throw new Error(`no seeded bug "${id}"; known: ${BUG_IDS.join(", ")}`);
  return b;
}

/**
 * Every named service of every seeded bug, by its `custom` name: what a
 * replay binds so a case naming one needs no registry passed in.
 */
export const NAMED_SERVICES: Readonly<Record<string, PagerService>> = Object.fromEntries(
  [...BUGS.values()].flatMap((b) => Object.entries(b.services ?? {})),
);
