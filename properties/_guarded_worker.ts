/**
 * The worker of {@linkcode guardedPagerProperty} (`properties/guarded_property.ts`): it imports
 * the service module (and kernel variant module) the property names, builds the same
 * {@linkcode pagerProperty} the test's thread would run, and runs each case the test's thread
 * sends, telling the watchdog there which thread runs at which step (a shared cell, as `sim`'s
 * guarded worker does, `cli/_guard_worker.ts`). A run that never yields leaves this worker
 * stuck; the watchdog stops it and starts another. It also replays a stopped case up to the
 * step of its stuck thread (`stopBefore`), for the trace, the thread's name and the picks that
 * reach it.
 *
 * @module
 */

import { parentPort, workerData } from "node:worker_threads";
import { pagerProperty, type PagerPropertyOptions } from "./pager_property.ts";
import { checkerSet } from "./checker_sets.ts";
import { signatureOf } from "./signature.ts";
import { heapSampler } from "../sim/stuck.ts";
import type { PagerService } from "../services/service.ts";
import {
  type CloseEntry,
  type OpenEntry,
  parseContract,
  type ServiceContract,
  withContract,
  type WritebackEntry,
} from "../scenario/service_contract.ts";
import type { Kernel, KernelOptions } from "../kernel/kernel.ts";
import type { Scenario } from "../scenario/schema.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { StoppedBefore, type World } from "../sim/world.ts";
import { moduleLoadFailure } from "./_load_failure.ts";

/** A module that did not load: its message says which, and where (`_load_failure.ts`). */
class ModuleLoadError extends Error {
  override name = "ModuleLoadError";
}

/** What the property tells its worker when it starts it. */
export interface GuardedWorkerData {
  /**
   * Int32 [step + 1 (0: no thread ran yet in this run), tid, loaded, entry, heap MiB, first heap
   * MiB, run id]: as `cli/_guard.ts` lays it out, and the id of the run the cells describe.
   */
  readonly progress: SharedArrayBuffer;
  /** The service module, as a `file:` URL (or another URL), and as the test gave it. */
  readonly serviceUrl?: string;
  readonly serviceModule?: string;
  /** The kernel variant module, as a URL and as the test gave it. */
  readonly kernelUrl?: string;
  readonly kernelModule?: string;
  /**
   * The names the test's `services` gives its service, each with the contract the test held it
   * to (`withContract`), or null: held to none in the test.
   */
  readonly services: Readonly<Record<string, ServiceContract | null>>;
  /** The named checker set (`checkersOf(NAME)`). */
  readonly checkers: string;
  /** The property's scenario and decision options (data only). */
  readonly scenario?: PagerPropertyOptions["scenario"];
  readonly decisions?: PagerPropertyOptions["decisions"];
}

/** A case to run: the value fast-check drew, and the run's id. */
export interface RunRequest {
  readonly type: "run";
  readonly id: number;
  readonly value: [Scenario, number[], number];
}

/** A stopped case to replay up to the stuck thread's step. */
export interface StopRequest {
  readonly type: "stop-before";
  readonly id: number;
  readonly value: [Scenario, number[], number];
  readonly at: { readonly step: number; readonly tid: number };
}

/** What the worker answers. */
export type WorkerReply =
  | { readonly type: "loaded" }
  | { readonly type: "load-error"; readonly message: string }
  | {
    readonly type: "result";
    readonly id: number;
    /** null: the case passed; else the failure's report (its message) and signature. */
    readonly failure: { readonly message: string; readonly signature: string | null } | null;
  }
  | {
    readonly type: "stopped";
    readonly id: number;
    /** Whether the replay stopped before the thread at the step (false: it ended otherwise). */
    readonly reached: boolean;
    readonly name?: string;
    readonly role?: string;
    /** The trace's last steps before the stop, as text. */
    readonly trace: string;
    readonly from: number;
    /** Every pick the replay made, the stuck step's included. */
    readonly decisions: readonly number[];
    /**
     * How many of them the steps before the stuck one made: repro's count, `decision-list (N
     * entries, up to step S)` (the rest, at most one, is the stuck step's pick of its thread).
     */
    readonly before: number;
  };

/** Steps of trace a stopped replay sends back (as a failure report shows before its step). */
const TRACE_STEPS = 12;

if (parentPort !== null && workerData !== null && typeof workerData === "object") {
  const port = parentPort;
  const data = workerData as GuardedWorkerData;
  const cell = new Int32Array(data.progress);
  const heap = heapSampler(cell, 4);
  const watch = (step: number, tid: number, entry: number) => {
    heap.sample();
    Atomics.store(cell, 1, tid);
    Atomics.store(cell, 3, entry);
    Atomics.store(cell, 0, step + 1);
  };
  // Listening before the first await: the watchdog posts its first case as soon as it started
  // this worker, and Deno 2.9.6 does not deliver a message that arrived in the middle of a
  // top-level await with no "message" listener attached until something else wakes the worker
  // (a first case stalled for minutes, or for good, when the service module took a while to
  // load: properties/guarded_load_test.ts). Cases that come while loading wait here.
  const early: (RunRequest | StopRequest)[] = [];
  let serve: ((m: RunRequest | StopRequest) => void) | null = null;
  port.on("message", (m: RunRequest | StopRequest) => serve === null ? early.push(m) : serve(m));
  let setup: Awaited<ReturnType<typeof load>> | null = null;
  try {
    setup = await load(data);
    Atomics.store(cell, 2, 1);
    port.postMessage({ type: "loaded" } satisfies WorkerReply);
  } catch (e) {
    port.postMessage(
      {
        type: "load-error",
        message: e instanceof ModuleLoadError
          ? e.message
          : e instanceof Error
          ? `${e.name}: ${e.message}`
          : String(e),
      } satisfies WorkerReply,
    );
  }
  if (setup !== null) {
    const { services, makeKernel } = setup;
    const monitors = checkerSet(data.checkers) ?? (() => []);
    const property = pagerProperty(monitors, {
      ...(data.scenario !== undefined ? { scenario: data.scenario } : {}),
      ...(data.decisions !== undefined ? { decisions: data.decisions } : {}),
      services,
      ...(data.serviceModule !== undefined ? { serviceModule: data.serviceModule } : {}),
      ...(makeKernel !== undefined ? { makeKernel } : {}),
      ...(data.kernelModule !== undefined ? { kernelModule: data.kernelModule } : {}),
      watch,
    });
    serve = (m: RunRequest | StopRequest) => {
      Atomics.store(cell, 0, 0);
      Atomics.store(cell, 6, m.id);
      heap.begin();
      if (m.type === "stop-before") {
        port.postMessage(stopBefore(m, services, makeKernel, monitors));
        return;
      }
      const out = property.run(m.value);
      const failure = out === null ? null : out as { error: unknown };
      const error = failure?.error;
      port.postMessage(
        {
          type: "result",
          id: m.id,
          failure: failure === null ? null : {
            message: error instanceof Error ? error.message : String(error),
            signature: errorSignature(error),
          },
        } satisfies WorkerReply,
      );
    };
    for (const m of early.splice(0)) serve(m);
  }
}

/** The signature of a failing case's error, when it is the property's own failure. */
function errorSignature(error: unknown): string | null {
  if (error === null || typeof error !== "object" || !("result" in error)) return null;
  const r = (error as { result: { verdict: unknown; run: { verdict: unknown } } }).result;
  return signatureOf(r.verdict as never, r.run.verdict as never);
}

/**
 * The test's services, rebuilt from the module: every name the test gave is served by the
 * module's service (its default export, or `service`), held to the contract the test held it to
 * with the entry points the contract names taken from the module; the kernel variant's
 * `makeKernel`.
 */
async function load(data: GuardedWorkerData): Promise<{
  services: Record<string, PagerService>;
  makeKernel?: (options: KernelOptions) => Kernel;
}> {
  const services: Record<string, PagerService> = {};
  if (data.serviceUrl !== undefined) {
    const mod = await importing(
      "serviceModule",
      data.serviceModule ?? data.serviceUrl,
      data.serviceUrl,
    );
    const fn = mod.default ?? mod.service;
    if (typeof fn !== "function") {
      throw new Error(
        `serviceModule ${data.serviceModule}: exports no service (need a default export or ` +
          `"service": the module that exports the service your property's services name)`,
      );
    }
    for (const [name, held] of Object.entries(data.services)) {
      if (held === null) {
        services[name] = fn as PagerService;
        continue;
      }
      const contract = parseContract(held, name);
      const entry = <T>(key: string | undefined): T | undefined =>
        key === undefined ? undefined : mod[key] as T;
      const wb = contract.writeback;
      services[name] = withContract(fn as PagerService, contract, {
        writeback: entry<WritebackEntry>(wb !== false && "entry" in wb ? wb.entry : undefined),
        open: entry<OpenEntry>(contract.opens === false ? undefined : contract.opens.entry),
        close: entry<CloseEntry>(contract.opens === false ? undefined : contract.opens.close),
      });
    }
  }
  if (data.kernelUrl === undefined) return { services };
  const kmod = await importing("kernelModule", data.kernelModule ?? data.kernelUrl, data.kernelUrl);
  if (typeof kmod.makeKernel !== "function") {
    throw new Error(
      `kernelModule ${data.kernelModule}: exports no makeKernel (need export function ` +
        `makeKernel(options) returning a Kernel subclass)`,
    );
  }
  return { services, makeKernel: kmod.makeKernel as (options: KernelOptions) => Kernel };
}

/** The module at `url`, imported; an error naming it and where it failed if it does not load. */
async function importing(
  what: "serviceModule" | "kernelModule",
  module: string,
  url: string,
): Promise<Record<string, unknown>> {
  try {
    return await import(url);
  } catch (e) {
    throw new ModuleLoadError(moduleLoadFailure(what, module, e));
  }
}

/**
 * The stopped case replayed up to the stuck thread's step: stopped just before the thread runs
 * there (`stopBefore`), with the trace up to it and the picks that reach it.
 */
function stopBefore(
  m: StopRequest,
  services: Record<string, PagerService>,
  makeKernel: ((options: KernelOptions) => Kernel) | undefined,
  monitors: () => readonly import("../sim/world.ts").Monitor[],
): WorkerReply {
  const [scenario, decisions, seed] = m.value;
  const from = Math.max(0, m.at.step - TRACE_STEPS);
  // The picks made by the end of each step: at the stop, the steps before the stuck one's.
  let before = 0;
  const counter = {
    name: "picks-before-the-stop",
    afterStep: (world: World) => {
      before = world.decisions.decisions.length;
    },
  };
  try {
    const run = runScenario(scenario, {
      decisions,
      seed,
      monitors: [...monitors(), counter],
      services,
      makeKernel,
      stopBefore: m.at,
    });
    return {
      type: "stopped",
      id: m.id,
      reached: false,
      trace: run.trace.text(from, m.at.step),
      from,
      decisions: run.decisions,
      before: run.decisions.length,
    };
  } catch (e) {
    // Another end (a fault of the code under test while it replays): no trace to show.
    if (!(e instanceof StoppedBefore)) {
      return {
        type: "stopped",
        id: m.id,
        reached: false,
        trace: "",
        from,
        decisions: [],
        before: 0,
      };
    }
    const { world, thread } = e;
    return {
      type: "stopped",
      id: m.id,
      reached: true,
      name: thread.name,
      role: thread.role,
      trace: world.trace.text(from, m.at.step),
      from,
      decisions: [...world.decisions.decisions],
      before,
    };
  }
}
