/**
 * Runs a scenario: builds the world (pagers, ports, VMOs, handles), spawns the
 * services, the faulting threads and the environment events, and steps it to
 * a verdict under a strategy.
 *
 * @module
 */

import {
  type Status,
  ZX_INFO_VMO,
  ZX_OK,
  ZX_PKT_TYPE_USER,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
} from "../kernel/constants.ts";
import { WRITEBACK_KEY } from "../services/writeback.ts";
import { present } from "../kernel/assert.ts";
import { SharedBytes } from "../kernel/objects.ts";
import type { Kernel, KernelOptions, Syscall } from "../kernel/kernel.ts";
import { REFERENCE_SERVICES } from "../services/mod.ts";
import type { PagerService, ServiceContext, ServiceVmo } from "../services/service.ts";
import {
  type BoundContract,
  contractOf,
  serviceOrigin,
  type WritebackEntry,
} from "./service_contract.ts";
import { assertInContract, type DeliveryKind } from "./contract.ts";
import { lifecycleVmos, type Op, type Scenario, ScenarioError } from "./schema.ts";
import {
  pctStrategy,
  randomStrategy,
  type ReplayPick,
  replayStrategy,
  type Strategy,
} from "../sim/strategy.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";
import type { FileLayout } from "../sim/file_layout.ts";
import { type Monitor, type RunResult, type SimThread, World } from "../sim/world.ts";
import { type FileLife, Files } from "./files.ts";

/** Strategy names the command line and campaigns accept. */
export type StrategyName = "random" | "pct" | "replay";

/** Options of {@linkcode runScenario}. */
export interface RunOptions {
  /** Seeds the strategy (and the replay fallback). Default 0. */
  seed?: number;
  /** Default `"random"`; `"replay"` needs `decisions`. */
  strategy?: StrategyName | Strategy;
  /** PCT depth d. Default 2. */
  pctDepth?: number;
  /** A decision list to replay (implies the replay strategy). */
  decisions?: readonly number[];
  /** With `decisions`: each choice the replay answers is appended here (`replayStrategy`'s `picks`). */
  replayPicks?: ReplayPick[];
  /** Checkers that watch the run. */
  monitors?: readonly Monitor[];
  /** Services for `custom` service kinds, by name. */
  services?: Readonly<Record<string, PagerService>>;
  /** Keep trace entries for printing. Default true. */
  keepTrace?: boolean;
  /** Hash the trace (sim/world.ts `hashTrace`). Default true; false: `traceHash` is empty. */
  hashTrace?: boolean;
  /** Builds the kernel (the seam for kernel variants). Default: the model as specified. */
  makeKernel?: (options: KernelOptions) => Kernel;
  /** Run the quiescent tail after a passing workload (sim/world.ts). Default true. */
  quiescentTail?: boolean;
  /** Told which thread's code is about to run, at which step (sim/world.ts `watch`): only watches. */
  watch?: (step: number, tid: number, entry: number) => void;
  /** Stop just before this thread runs at this step (sim/world.ts `stopBefore`). */
  stopBefore?: { readonly step: number; readonly tid: number };
}

/** The outcome of one faulting-thread operation. */
export interface OpOutcome {
  /** The thread that ran it. */
  readonly tid: number;
  /** Its index in the thread's operations. */
  readonly index: number;
  /** The operation. */
  readonly op: Op;
  /** The status the call returned (ZX_OK on success). */
  readonly status: Status;
}

/** A run's result plus the world and what each operation returned. */
export interface ScenarioRun extends RunResult {
  /** The world after the run (kernel state, threads). */
  readonly world: World;
  /** What each faulting-thread operation returned, in completion order. */
  readonly outcomes: readonly OpOutcome[];
  /** Handles and keys by scenario name, for properties. */
  readonly names: ScenarioNames;
  /**
   * What the harness delivered to the services, by kind (`scenario/contract.ts`
   * `DELIVERY_KINDS`): VMOs created trap-dirty or resizable, resizes and clones
   * the workload made, environment events that ran. Kinds never delivered are absent.
   */
  readonly delivered: Readonly<Partial<Record<DeliveryKind, number>>>;
}

/** How scenario names map to kernel objects. */
export interface ScenarioNames {
  /** Kernel object id of each VMO, by scenario name (a reopened file's: its last VMO's). */
  readonly vmoKoid: ReadonlyMap<string, number>;
  /**
   * Every VMO a scenario name held, in the order they were made: a file closed and opened again
   * has one VMO per open (the trace's `vmos:` line names each, `vmo1015 "a"`, `vmo1022 "a"`).
   */
  readonly vmoKoids: readonly { readonly koid: number; readonly name: string }[];
  /** Packet key of each VMO, by scenario name. */
  readonly vmoKey: ReadonlyMap<string, number>;
  /** Thread id of each faulting thread, by scenario name. */
  readonly threadTid: ReadonlyMap<string, number>;
}

/**
 * The koid of each VMO by scenario name, recording in `koids` every koid a name ever takes (a
 * reopened file's earlier VMOs stay named in the trace). A class of the module, not one made per
 * run: a class expression made a new prototype per run, which the old generation's records of
 * prototypes kept alive (with the run it closed over) until a full collection, so every
 * scavenge copied and promoted the last runs whole.
 */
class KoidsByName extends Map<string, number> {
  readonly #koids: { koid: number; name: string }[];

  constructor(koids: { koid: number; name: string }[]) {
    super();
    this.#koids = koids;
  }

  override set(name: string, koid: number): this {
    if (!this.#koids.some((v) => v.koid === koid)) this.#koids.push({ koid, name });
    return super.set(name, koid);
  }
}

/** A scenario naming a custom service nobody registered: bad input, said in one line. */
class UnknownServiceError extends ScenarioError {
  constructor(where: string, problems: readonly string[]) {
    super(where, problems);
    this.message = `${where}: ${problems.join("; ")}`;
  }
}

/** Builds the strategy a run uses. */
export function makeStrategy(scenario: Scenario, options: RunOptions): Strategy {
  const seed = options.seed ?? 0;
  if (options.decisions !== undefined) {
    return replayStrategy(options.decisions, seed, options.replayPicks);
  }
  const s = options.strategy ?? "random";
  if (typeof s !== "string") return s;
  if (s === "pct") {
    return pctStrategy(seed, {
      depth: options.pctDepth ?? 2,
      steps: Math.min(scenario.maxSteps, estimateSteps(scenario)),
    });
  }
  if (s === "replay") return replayStrategy([], seed);
  return randomStrategy(seed);
}

/** A rough step count for PCT's k: services answer each op in a handful of steps. */
export function estimateSteps(scenario: Scenario): number {
  const ops = scenario.threads.reduce(
    (n, t) => n + t.ops.reduce((m, o) => m + ("pages" in o ? o.pages : 1), 0),
    0,
  );
  return Math.max(10, ops * 8 + scenario.events.length * 2);
}

/** Drives a syscall that cannot block to completion (process setup). */
function runSync<T>(call: Syscall<T>): T {
  for (;;) {
    const r = call.next();
    if (r.done) return r.value;
    if (r.value.kind !== "syscall") throw new Error(`setup call blocked (${r.value.kind})`);
  }
}

/**
 * Runs a scenario to a verdict.
 *
 * @example
 * ```ts
 * import { parseScenario } from "./schema.ts";
 * import { runScenario } from "./interpreter.ts";
 * const scenario = parseScenario({
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 2 }],
 *   threads: [{ name: "reader", ops: [{ op: "read", vmo: "a", page: 0, pages: 2 }] }],
 * });
 * const a = runScenario(scenario, { seed: 1 });
 * const b = runScenario(scenario, { seed: 1 });
 * console.assert(a.verdict.kind === "pass" && a.traceHash === b.traceHash);
 * ```
 */
export function runScenario(scenario: Scenario, options: RunOptions = {}): ScenarioRun {
  // A service held to a contract never runs a scenario outside it.
  assertInContract(scenario, options.services);
  const delivered: Partial<Record<DeliveryKind, number>> = {};
  const deliver = (kind: DeliveryKind) => void (delivered[kind] = (delivered[kind] ?? 0) + 1);
  const world = new World({
    pageSize: scenario.pageSize,
    overtimeTicks: scenario.overtimeTicks,
    allocFailPercent: scenario.allocFailPercent,
    strategy: makeStrategy(scenario, options),
    maxSteps: scenario.maxSteps,
    liveness: scenario.liveness,
    monitors: options.monitors,
    keepTrace: options.keepTrace,
    hashTrace: options.hashTrace,
    makeKernel: options.makeKernel,
    quiescentTail: options.quiescentTail,
    watch: options.watch,
    stopBefore: options.stopBefore,
  });
  const k = world.kernel;
  const [setup] = k.createThread("setup", 0);
  const ps = scenario.pageSize;

  const pagerHandle = new Map<string, number>();
  const portHandle = new Map<string, number>();
  for (const p of scenario.pagers) {
    pagerHandle.set(p.name, expectOk(runSync(k.zx_pager_create(setup, 0)), `pager ${p.name}`));
    portHandle.set(p.name, expectOk(runSync(k.zx_port_create(setup, 0)), `port of ${p.name}`));
  }
  const vmoHandle = new Map<string, number>();
  // Each koid a name takes is kept: a reopened file's earlier VMOs stay named in the trace.
  const vmoKoids: { koid: number; name: string }[] = [];
  const vmoKoid = new KoidsByName(vmoKoids);
  const vmoKey = new Map<string, number>();
  const served = new Map<string, ServiceVmo[]>(scenario.pagers.map((p) => [p.name, []]));
  const life = lifecycleVmos(scenario);
  const files = new Map<string, FileLife>();
  scenario.vmos.forEach((v, i) => {
    const key = v.key ?? i + 1;
    if (life.has(v.name)) {
      files.set(v.name, {
        name: v.name,
        pager: v.pager,
        id: key,
        size: v.pages * ps,
        trapDirty: v.trapDirty,
        resizable: v.resizable,
        ...(fileLayout(v, ps) === undefined ? {} : { file: fileLayout(v, ps) }),
        client: 0,
        own: 0,
        koid: null,
        lastKoid: null,
      });
    }
    if (v.startsClosed === true) {
      vmoKey.set(v.name, key);
      return;
    }
    const h = expectOk(
      runSync(
        k.zx_pager_create_vmo(
          setup,
          present(pagerHandle.get(v.pager), () => `runScenario: pager ${v.pager}'s handle`),
          (v.trapDirty ? ZX_VMO_TRAP_DIRTY : 0) | (v.resizable ? ZX_VMO_RESIZABLE : 0),
          present(portHandle.get(v.pager), () => `runScenario: pager ${v.pager}'s port`),
          key,
          v.pages * ps,
        ),
      ),
      `vmo ${v.name}`,
    );
    // The service keeps its own handle, as a filesystem does; closeVmo closes the clients' one.
    const own = expectOk(
      runSync(k.zx_handle_duplicate(setup, h, ZX_RIGHT_SAME_RIGHTS)),
      `service handle of ${v.name}`,
    );
    deliver(v.trapDirty ? "trapDirtyVmo" : "plainVmo");
    if (v.resizable) deliver("resizableVmo");
    vmoHandle.set(v.name, h);
    vmoKoid.set(v.name, present(k.handles.entry(h), "runScenario: new VMO's entry").object.koid);
    vmoKey.set(v.name, key);
    const file = fileLayout(v, ps);
    if (file !== undefined) {
      world.files.set(present(vmoKoid.get(v.name), "runScenario: new VMO's koid"), file);
    }
    present(served.get(v.pager), "runScenario: VMO list").push({
      name: v.name,
      key,
      handle: own,
      size: v.pages * ps,
      ...(file === undefined ? {} : { file }),
    });
    const f = files.get(v.name);
    if (f !== undefined) {
      f.client = h;
      f.own = own;
      f.koid = present(vmoKoid.get(v.name), "runScenario: a file's koid");
      world.fileIds.set(f.koid, key);
    }
  });

  const contexts = new Map<string, ServiceContext>();
  const bounds = new Map<string, BoundContract | undefined>();
  const writebackPath = new Map<string, WritebackEntry | number>();
  for (const p of scenario.pagers) {
    const kind = p.service.kind;
    const service = kind === "custom"
      ? options.services?.[present(p.service.name, "runScenario: custom service name")]
      : REFERENCE_SERVICES[kind];
    if (service === undefined) {
      const known = Object.keys(options.services ?? {});
      throw new UnknownServiceError(scenario.name ?? "scenario", [
        `pagers.${p.name}.service.name: no service registered as "${p.service.name}" ` +
        `(registered: ${
          known.length === 0
            ? "none"
            : known.slice(0, 6).join(", ") + (known.length > 6 ? ", ..." : "")
        }; ` +
        `give a service module with --service, or use a seeded bug's name)`,
      ]);
    }
    const ctx: ServiceContext = {
      pager: present(pagerHandle.get(p.name), () => `runScenario: pager ${p.name}'s handle`),
      port: present(portHandle.get(p.name), () => `runScenario: pager ${p.name}'s port`),
      vmos: present(served.get(p.name), () => `runScenario: pager ${p.name}'s VMO list`),
      params: p.service,
    };
    contexts.set(p.name, ctx);
    bounds.set(p.name, contractOf(service));
    // A contracted service is asked for a writeback only the way its contract says.
    const wb = contractOf(service)?.contract.writeback;
    if (wb !== undefined && wb !== false) {
      writebackPath.set(
        p.name,
        "packet" in wb ? wb.packet : contractOf(service)?.writeback ?? WRITEBACK_KEY,
      );
    }
    const wbKey = writebackPath.get(p.name) ?? (kind === "writeback" ? WRITEBACK_KEY : undefined);
    if (typeof wbKey === "number") {
      const port = present(k.handles.entry(ctx.port), "runScenario: a port's entry").object.koid;
      world.writebackPorts.set(port, wbKey);
    }
    for (let i = 0; i < p.threads; i++) {
      world.spawn(`${p.name}.svc${p.threads > 1 ? i : ""}`, "service", (sys) => service(sys, ctx), {
        origin: serviceOrigin(service),
      });
    }
  }

  const fileOps = life.size === 0 ? null : new Files({
    world,
    files,
    handles: vmoHandle,
    koids: vmoKoid,
    keys: vmoKey,
    pager: (name) => present(pagerHandle.get(name), () => `runScenario: pager ${name}'s handle`),
    port: (name) => present(portHandle.get(name), () => `runScenario: pager ${name}'s port`),
    served: (name) => present(served.get(name), () => `runScenario: pager ${name}'s VMO list`),
    context: (name) => present(contexts.get(name), () => `runScenario: pager ${name}'s context`),
    opens: (name) => bounds.get(name)?.opens ?? null,
    deliver,
  });
  const outcomes: OpOutcome[] = [];
  const threadTid = new Map<string, number>();
  const simThreads = new Map<string, SimThread>();
  for (const t of scenario.threads) {
    const st = world.spawn(
      t.name,
      "workload",
      (sys) =>
        workload(
          sys,
          t.ops,
          vmoHandle,
          ps,
          (index, op, status) => outcomes.push({ tid: sys.tid, index, op, status }),
          deliver,
          fileOps,
        ),
      { failInsteadOfBlock: t.failInsteadOfBlock },
    );
    threadTid.set(t.name, st.tid);
    simThreads.set(t.name, st);
  }

  const envThreads: [DeliveryKind, SimThread][] = [];
  scenario.events.forEach((e, i) => {
    // The event's body is the thread's body, not wrapped in a generator that delegates to it:
    // each delegating generator makes every step of the thread slower (and, measured, keeps a
    // run's objects alive past young-generation collections). An event is delivered to the
    // services when its thread ran to the end (counted after the run, below).
    envThreads.push([
      e.do,
      world.spawn(`env${i}.${e.do}(${e.target})`, "env", environment, { notBefore: e.notBefore }),
    ]);
    function environment(sys: Sys): ThreadBody {
      const file = fileOps !== null && fileOps.has(e.target) ? e.target : null;
      if (file !== null && (e.do === "detach" || e.do === "closeVmo" || e.do === "evict")) {
        return envOnFile(sys, { scenario, portHandle, pagerHandle, vmoHandle }, file, e.do);
      }
      switch (e.do) {
        case "detach":
          return envDetach(
            sys,
            present(
              pagerHandle.get(
                present(scenario.vmos.find((v) => v.name === e.target), envTarget(e)).pager,
              ),
              envTarget(e),
            ),
            present(vmoHandle.get(e.target), envTarget(e)),
          );
        case "closePager":
          return envClose(sys, present(pagerHandle.get(e.target), envTarget(e)));
        case "closePort":
          return envClose(sys, present(portHandle.get(e.target), envTarget(e)));
        case "closeVmo":
          return envClose(sys, present(vmoHandle.get(e.target), envTarget(e)));
        case "suspend":
          return envSuspend(sys, present(simThreads.get(e.target), envTarget(e)).handle);
        case "kill":
          return envKill(sys, present(simThreads.get(e.target), envTarget(e)).handle);
        case "evict":
          return envEvict(sys, present(vmoHandle.get(e.target), envTarget(e)));
        case "writeback": {
          const path = writebackPath.get(e.target) ?? WRITEBACK_KEY;
          return typeof path === "number"
            ? envWriteback(sys, present(portHandle.get(e.target), envTarget(e)), path)
            : envWritebackEntry(sys, present(contexts.get(e.target), envTarget(e)), path, world);
        }
      }
    }
  });

  const result = world.run();
  for (const [kind, t] of envThreads) if (t.end.kind === "exited") deliver(kind);
  return { ...result, world, outcomes, names: { vmoKoid, vmoKoids, vmoKey, threadTid }, delivered };
}

/**
 * The file layout a scenario VMO states (sim/file_layout.ts), or undefined
 * when it states none (whole pages of the backing pattern, as always).
 */
function fileLayout(v: Scenario["vmos"][number], pageSize: number): FileLayout | undefined {
  if (v.bytes === undefined && v.holes === undefined) return undefined;
  return {
    bytes: v.bytes ?? v.pages * pageSize,
    holes: (v.holes ?? []).map((h) => ({ offset: h.offset, length: h.length })),
  };
}

/** Names what an environment event's thread looks up by name: the event's target. */
function envTarget(e: { do: string; target: string }): () => string {
  return () => `runScenario: the target ${e.target} of a ${e.do} event`;
}

function expectOk(r: [Status, number], what: string): number {
  if (r[0] !== ZX_OK) throw new Error(`setup of ${what} failed with status ${r[0]}`);
  return r[1];
}

/** The byte a write op stores: its own, or one derived from thread and op. */
export function writeByte(tid: number, index: number, op: Op): number {
  return ("byte" in op ? op.byte : undefined) ?? ((tid * 37 + index * 11 + 1) & 0xff);
}

function* workload(
  sys: Sys,
  ops: readonly Op[],
  vmos: ReadonlyMap<string, number>,
  ps: number,
  record: (index: number, op: Op, status: Status) => void,
  deliver: (kind: DeliveryKind) => void,
  files: Files | null = null,
): ThreadBody {
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (op.op === "open" || op.op === "close") {
      const f = present(files, "workload: file ops");
      record(i, op, yield* (op.op === "open" ? f.open(sys, op.vmo) : f.close(sys, op.vmo)));
      // A kill deferred inside the entry took effect as it returned: the thread runs no more
      // of the workload (not even the start of its next entry, which ran service code).
      if (sys.thread.killed) return;
      continue;
    }
    const run = (h: number) => fileOp(sys, op, i, h, ps, record, deliver);
    if (files?.has(op.vmo)) {
      // A file that comes and goes has no handle while closed: its ops get ZX_ERR_BAD_HANDLE.
      // Its handle is looked up when the op runs, past its scheduling point.
      yield* lateHandle(run, () => vmos.get(op.vmo) ?? 0);
    } else yield* run(present(vmos.get(op.vmo), () => `workload op ${i}: VMO ${op.vmo}'s handle`));
  }
}

/**
 * Runs `run(handle)` with the handle `resolve` gives once the op is scheduled, not when the
 * thread reached it: a thread's body runs to its first call when spawned, and a step runs on
 * past a call's return to the next call, so a handle read before that scheduling point is the
 * one of an earlier moment (0 for a file another thread opens meanwhile). The scheduling point
 * is the op's own first call's, taken from a probe that runs no call (a table call does nothing
 * before its first yield); the op then runs with the handle the file has now.
 */
function* lateHandle(
  run: (h: number) => Syscall<void>,
  resolve: () => number,
): Syscall<void> {
  const probe = run(resolve());
  const first = probe.next();
  probe.return();
  if (first.done) return;
  yield first.value;
  const real = run(resolve());
  real.next(); // its scheduling point: the one just taken
  for (let r = real.next(); !r.done; r = real.next()) yield r.value;
}

/** One workload op other than open and close, on handle `h`. */
function* fileOp(
  sys: Sys,
  op: Op,
  i: number,
  h: number,
  ps: number,
  record: (index: number, op: Op, status: Status) => void,
  deliver: (kind: DeliveryKind) => void,
): Syscall<void> {
  switch (op.op) {
    case "read": {
      const [st] = yield* sys.vmoRead(h, op.page * ps, op.pages * ps);
      record(i, op, st);
      return;
    }
    case "write": {
      // Never written after the fill: the kernel's pages may take whole pages of it as they are.
      const data = new SharedBytes(op.pages * ps).fill(writeByte(sys.tid, i, op));
      record(i, op, yield* sys.vmoWrite(h, data, op.page * ps));
      deliver("write");
      return;
    }
    case "commit":
      record(i, op, yield* sys.vmoOpRange(h, ZX_VMO_OP_COMMIT, op.page * ps, op.pages * ps));
      return;
    case "mapRead":
    case "mapWrite": {
      const write = op.op === "mapWrite";
      const [st, addr] = yield* sys.vmarMap(
        sys.rootVmar,
        ZX_VM_PERM_READ | (write ? ZX_VM_PERM_WRITE : 0),
        0,
        h,
        0,
        (op.page + op.pages) * ps,
      );
      if (st !== ZX_OK) {
        record(i, op, st);
        return;
      }
      if (write) {
        const data = new Uint8Array(op.pages * ps).fill(writeByte(sys.tid, i, op));
        yield* sys.memWrite(addr + op.page * ps, data);
        deliver("write");
      } else {
        yield* sys.memRead(addr + op.page * ps, op.pages * ps);
      }
      record(i, op, ZX_OK);
      yield* sys.vmarUnmap(sys.rootVmar, addr, (op.page + op.pages) * ps);
      return;
    }
    case "info": {
      const [st] = yield* sys.objectGetInfo(h, ZX_INFO_VMO);
      record(i, op, st);
      return;
    }
    case "resize":
      record(i, op, yield* sys.vmoSetSize(h, op.newPages * ps));
      deliver("resize");
      return;
    case "zero":
      record(i, op, yield* sys.vmoOpRange(h, ZX_VMO_OP_ZERO, op.page * ps, op.pages * ps));
      deliver("write");
      return;
    case "cloneRead":
    case "cloneWrite": {
      const [sz] = yield* sys.vmoGetSize(h);
      const [cs, clone] = yield* sys.vmoCreateChild(
        h,
        ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
        0,
        (op.page + op.pages) * ps,
      );
      if (sz !== ZX_OK || cs !== ZX_OK) {
        record(i, op, cs);
        return;
      }
      deliver("clone");
      if (op.op === "cloneRead") {
        const [st] = yield* sys.vmoRead(clone, op.page * ps, op.pages * ps);
        record(i, op, st);
      } else {
        const data = new SharedBytes(op.pages * ps).fill(writeByte(sys.tid, i, op));
        record(i, op, yield* sys.vmoWrite(clone, data, op.page * ps));
      }
      yield* sys.handleClose(clone);
      return;
    }
  }
}

/** The handles by scenario name that {@linkcode envOnFile} looks a file's VMO up in. */
interface FileEnv {
  readonly scenario: Scenario;
  readonly portHandle: ReadonlyMap<string, number>;
  readonly pagerHandle: ReadonlyMap<string, number>;
  /** The clients' VMO handles, as the file's opens and closes leave them when the event runs. */
  readonly vmoHandle: ReadonlyMap<string, number>;
}

/**
 * An event aimed at a file that comes and goes acts on the VMO open when it
 * runs (or on the handle it last had, closed: ZX_ERR_BAD_HANDLE). The body
 * runs to its first syscall at spawn, so a harmless duplicate-and-close of
 * the pager's port comes first and the handle is looked up after it. A generator function of the
 * module, not one made per run: V8 keeps a generator function that was called (and the run it
 * closes over) until the next full collection.
 */
function* envOnFile(
  sys: Sys,
  { scenario, portHandle, pagerHandle, vmoHandle }: FileEnv,
  name: string,
  e: "detach" | "closeVmo" | "evict",
): ThreadBody {
  const v = present(scenario.vmos.find((x) => x.name === name), () => `runScenario: VMO ${name}`);
  const port = present(portHandle.get(v.pager), () => `runScenario: pager ${v.pager}'s port`);
  const [st, dup] = yield* sys.handleDuplicate(port, ZX_RIGHT_SAME_RIGHTS);
  if (st === ZX_OK) yield* sys.handleClose(dup);
  const h = vmoHandle.get(name) ?? 0;
  if (e === "detach") {
    const pager = present(pagerHandle.get(v.pager), () => `runScenario: pager ${v.pager}`);
    yield* envDetach(sys, pager, h);
  } else if (e === "closeVmo") yield* envClose(sys, h);
  else yield* envEvict(sys, h);
}

function* envDetach(sys: Sys, pager: number, vmo: number): ThreadBody {
  yield* sys.pagerDetachVmo(pager, vmo);
}

function* envClose(sys: Sys, handle: number): ThreadBody {
  yield* sys.handleClose(handle);
}

function* envSuspend(sys: Sys, thread: number): ThreadBody {
  const [st, token] = yield* sys.taskSuspend(thread);
  if (st === ZX_OK) yield* sys.handleClose(token);
}

function* envKill(sys: Sys, thread: number): ThreadBody {
  // A kill that lands inside a file's open or close (the filesystem's work, run on the workload's
  // thread) is deferred by the kernel until the entry returns (`kill-deferred` in the trace).
  yield* sys.taskKill(thread);
}

/** The kernel evicts one Clean page, chosen through the recorded decision source (spec 6.3). */
function* envEvict(sys: Sys, vmo: number): ThreadBody {
  yield* sys.vmoGetSize(vmo); // the body runs to its first syscall at spawn: choose when scheduled
  const pages = sys.evictablePages(vmo);
  if (pages.length === 0) return;
  yield* sys.kernelEvict(vmo, pages[sys.random(pages.length)]);
}

/** Asks the pager's service to write back now (a user packet with the key it knows). */
function* envWriteback(sys: Sys, port: number, key: number): ThreadBody {
  yield* sys.portQueue(port, { type: ZX_PKT_TYPE_USER, key, status: 0, user: [] });
}

/**
 * Asks a contracted service to write back now through its declared entry
 * point, with the context its threads got. A body runs to its first syscall
 * when spawned: a harmless duplicate-and-close of the port comes first, so
 * none of the entry's code runs before the event is scheduled.
 */
function* envWritebackEntry(
  sys: Sys,
  ctx: ServiceContext,
  entry: WritebackEntry,
  world: World,
): ThreadBody {
  const [st, dup] = yield* sys.handleDuplicate(ctx.port, ZX_RIGHT_SAME_RIGHTS);
  if (st === ZX_OK) yield* sys.handleClose(dup);
  world.enter(sys.tid, "writeback");
  yield* entry(sys, ctx);
}
