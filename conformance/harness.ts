/**
 * A scripted-test harness over {@linkcode World}, shaped like Zircon's own pager
 * test harness (`userpager.h`, `test_thread.h`): a "main" thread holds the
 * pager, the port and the VMOs and plays the pager's part; it starts worker
 * threads that fault, and waits on them with `waitUntilBlocked`,
 * `waitForExit` and friends. Packets are matched exactly, with non-matching
 * ones stashed for later, as `UserPager::WaitForPageRead` does.
 *
 * A case runs once per seed in {@linkcode SEEDS}; every run must pass, since
 * the upstream tests are schedule-independent.
 *
 * @module
 */

import {
  type Status,
  statusName,
  ZX_ERR_IO,
  ZX_ERR_TIMED_OUT,
  ZX_OK,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_VMO_COMPLETE,
  ZX_PAGER_VMO_READ,
  ZX_PKT_TYPE_PAGE_REQUEST,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_UNBOUNDED,
} from "../kernel/constants.ts";
import type { KernelEvent, PagePacket } from "../kernel/events.ts";
import type { Kernel, KernelOptions, KernelYield, Syscall, Wait } from "../kernel/kernel.ts";
import { backingRange } from "../services/backing.ts";
import { randomStrategy } from "../sim/strategy.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";
import { threadLabel } from "../sim/trace.ts";
import {
  describeVerdict,
  invariantVerdict,
  InvariantViolation,
  type Monitor,
  type SimThread,
  type Verdict,
  World,
} from "../sim/world.ts";

/** The areas of the conformance inventory (the Tag column): level 1, then level 2. */
export const AREAS = [
  "read-fault",
  "supply",
  "coalescing",
  "detach",
  "close-pager",
  "close-port",
  "fail-op",
  "error-args",
  "multi-vmo",
  "info-flags",
  "dirty/writeback",
  "clone",
  "resize",
  "decommit/evict",
  "query-stats",
  "signals/futex",
] as const;

/** An area of the inventory. */
export type Area = typeof AREAS[number];

/** A case that runs. */
export interface RunnableCase {
  /** Row id in the inventory, e.g. `P7`. */
  readonly id: string;
  /** Registered test name, with its variant suffix (`Vmar`, `Vmo`, ...). */
  readonly name: string;
  /** The row's Tag. */
  readonly area: string;
  /** Runs the case under every seed; throws a {@linkcode ConformanceFailure} on a mismatch. */
  run(): void;
  /** The case's main thread ({@linkcode runChecked} runs it under the checkers alone). */
  readonly body: TestBody;
}

/** A case listed but not run, with the reason. */
export interface SkippedCase {
  readonly id: string;
  readonly name: string;
  readonly area: string;
  /** Why it cannot run in this model. */
  readonly skip: string;
}

/** One conformance case. */
export type ConformanceCase = RunnableCase | SkippedCase;

/** True if the case is skipped. */
export function isSkipped(c: ConformanceCase): c is SkippedCase {
  return "skip" in c;
}

/** The seeds every runnable case runs under. */
export const SEEDS: readonly number[] = [1, 2, 3, 4, 5];

/** Page size of conformance runs. */
export const PAGE = 4096;

/** How a faulting worker touches the VMO: through a mapping, or with vmo_read/vmo_write. */
export type Access = "vmar" | "vmo";

/** A case failed: the kernel model's observable outcome differs from the row. */
export class ConformanceFailure extends Error {
  override name = "ConformanceFailure";
  constructor(message: string, readonly trace = "") {
    super(message);
  }
}

/** A pager-backed VMO the harness created, with its key and (optional) mapping. */
export interface TestVmo {
  readonly key: number;
  readonly handle: number;
  readonly pages: number;
  /** Address of its read-write mapping of the whole VMO (0 if not mapped). */
  readonly addr: number;
}

/** A worker thread and what its operation returned (once it ended). */
export interface Worker {
  readonly thread: SimThread;
  /** The syscall's status, once returned (null while running or if the thread died). */
  status: Status | null;
  /** Bytes read, for readers. */
  data: Uint8Array | null;
}

/** Fails the case with `message`. */
export function fail(message: string): never {
  throw new ConformanceFailure(message);
}

/** Fails unless `cond`. */
export function check(cond: boolean, message: string | (() => string)): asserts cond {
  if (!cond) fail(typeof message === "string" ? message : message());
}

/** Fails unless a status equals the expected one; names both. */
export function expectStatus(actual: Status | null, expected: Status, what: string): void {
  check(
    actual === expected,
    () =>
      `${what}: got ${actual === null ? "no status" : statusName(actual)}, want ${
        statusName(expected)
      }`,
  );
}

/** The default content of `[page, page + pages)` of a VMO (the pattern `key + offset / 8`). */
export function pattern(vmo: TestVmo, page: number, pages: number): Uint8Array {
  return backingRange(vmo.key, page * PAGE, pages * PAGE, PAGE);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** True if the thread is parked on a pager wait (Zircon's `ZX_THREAD_STATE_BLOCKED_PAGER`). */
export function isBlockedOnPager(t: SimThread): boolean {
  return t.end.kind === "running" && t.pending?.kind === "block" && t.k.waiter !== null &&
    t.k.waiter.waiting;
}

interface Copy {
  readonly vmo: number;
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/** The main thread's view: pager, port, VMOs, workers, and the waits between them. */
export class PagerTest {
  pager = 0;
  port = 0;
  readonly vmos: TestVmo[] = [];
  readonly workers: Worker[] = [];
  #stash: PagePacket[] = [];
  /**
   * What main waits for on the port while it waits there for ever (the packet a row expects),
   * null otherwise: a hang's verdict says only "waits on port", this names the row's step.
   */
  waitingFor: string | null = null;
  #nextKey = 0x10000;
  #copies = new Map<number, Copy[]>();
  #sleepPort = 0;

  constructor(readonly world: World, readonly sys: Sys) {
    world.trace.listen((e: KernelEvent) => {
      if (e.k !== "copy") return;
      let list = this.#copies.get(e.tid);
      if (list === undefined) this.#copies.set(e.tid, list = []);
      list.push({ vmo: e.vmo, offset: e.offset, bytes: e.bytes.slice() });
    });
  }

  /** Creates the pager and the port (`UserPager::Init`). */
  *init(): Syscall<void> {
    const [s1, pager] = yield* this.sys.pagerCreate(0);
    expectStatus(s1, ZX_OK, "zx_pager_create");
    const [s2, port] = yield* this.sys.portCreate(0);
    expectStatus(s2, ZX_OK, "zx_port_create");
    this.pager = pager;
    this.port = port;
  }

  /**
   * Creates a pager VMO with a fresh key and maps it read-write, like
   * `UserPager::CreateVmoWithOptions`; like that harness, it refuses
   * `ZX_VMO_UNBOUNDED` (returns null) before calling the kernel.
   */
  *createVmo(pages: number, options = 0, map = true): Syscall<TestVmo | null> {
    if (options & ZX_VMO_UNBOUNDED) return null;
    const key = this.#nextKey;
    this.#nextKey += 0x10000;
    const [st, handle] = yield* this.sys.pagerCreateVmo(
      this.pager,
      options,
      this.port,
      key,
      pages * PAGE,
    );
    if (st !== ZX_OK) return null;
    let addr = 0;
    if (map) {
      const [ms, a] = yield* this.sys.vmarMap(
        this.sys.rootVmar,
        ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
        0,
        handle,
        0,
        pages * PAGE,
      );
      expectStatus(ms, ZX_OK, "zx_vmar_map of a new pager VMO");
      addr = a;
    }
    const vmo: TestVmo = { key, handle, pages, addr };
    this.vmos.push(vmo);
    return vmo;
  }

  /** {@linkcode PagerTest.createVmo} that must succeed. */
  *vmo(pages: number, options = 0, map = true): Syscall<TestVmo> {
    const v = yield* this.createVmo(pages, options, map);
    check(v !== null, `creating a ${pages}-page pager VMO failed`);
    return v;
  }

  /** Starts a worker thread; `body` records its result in the returned worker. */
  spawn(name: string, body: (sys: Sys, w: Worker) => ThreadBody): Worker {
    const w: Worker = { thread: undefined as unknown as SimThread, status: null, data: null };
    (w as { thread: SimThread }).thread = this.world.spawn(name, "workload", (sys) => body(sys, w));
    this.workers.push(w);
    return w;
  }

  /** Starts a thread reading pages `[page, page + pages)` through the mapping or with vmo_read. */
  reader(vmo: TestVmo, page: number, pages: number, access: Access): Worker {
    return this.spawn(`read[${page},${page + pages})`, function* (sys, w) {
      if (access === "vmo") {
        const [st, data] = yield* sys.vmoRead(vmo.handle, page * PAGE, pages * PAGE);
        w.data = data;
        w.status = st;
      } else {
        w.data = yield* sys.memRead(vmo.addr + page * PAGE, pages * PAGE);
        w.status = ZX_OK;
      }
    });
  }

  /** Starts a thread committing pages `[page, page + pages)` (`Vmo::Commit`). */
  committer(vmo: TestVmo, page: number, pages: number): Worker {
    return this.spawn(`commit[${page},${page + pages})`, function* (sys, w) {
      w.status = yield* sys.vmoOpRange(vmo.handle, ZX_VMO_OP_COMMIT, page * PAGE, pages * PAGE);
    });
  }

  /** Parks main until `t` is blocked on a pager wait (`TestThread::WaitForBlocked`). */
  *waitUntilBlocked(t: SimThread | Worker): Syscall<void> {
    const th = "thread" in t ? t.thread : t;
    yield* this.#until(
      () => isBlockedOnPager(th),
      `${threadLabel(th.tid, th.name)} to block on the pager`,
    );
    check(isBlockedOnPager(th), `t${th.tid} is not blocked`);
  }

  /**
   * Parks main until suspension of `t` has taken effect (`TestThread::WaitForSuspend`, which
   * waits for `ZX_THREAD_SUSPENDED`): the model's `KThread.suspended`.
   */
  *waitUntilSuspended(t: SimThread | Worker): Syscall<void> {
    const th = "thread" in t ? t.thread : t;
    yield* this.#until(
      () => th.end.kind !== "running" || th.k.suspended,
      `${threadLabel(th.tid, th.name)} to suspend`,
    );
    check(th.end.kind === "running" && th.k.suspended, () => `t${th.tid} ended: ${endText(th)}`);
  }

  /**
   * Lets `ticks` of virtual time pass with main parked (upstream's
   * `zx::nanosleep(zx::deadline_after(...))`): a wait on a port of its own that times out.
   */
  *sleep(ticks: number): Syscall<void> {
    if (this.#sleepPort === 0) {
      const [st, port] = yield* this.sys.portCreate(0);
      expectStatus(st, ZX_OK, "zx_port_create for sleeping");
      this.#sleepPort = port;
    }
    const [st] = yield* this.sys.portWait(this.#sleepPort, this.sys.now + ticks);
    expectStatus(st, ZX_ERR_TIMED_OUT, "sleeping on an empty port");
  }

  /** Parks main until `t` ended (exited, killed or crashed). */
  *waitForExit(t: SimThread | Worker): Syscall<void> {
    const th = "thread" in t ? t.thread : t;
    yield* this.#until(() => th.end.kind !== "running", `${threadLabel(th.tid, th.name)} to end`);
  }

  /** `TestThread::Wait` for a reader: it ended normally, with status OK and the pattern content. */
  *expectRead(w: Worker, vmo: TestVmo, page: number, pages: number): Syscall<void> {
    yield* this.expectReadData(w, pattern(vmo, page, pages));
  }

  /** A reader ended normally with status OK and exactly `want`. */
  *expectReadData(w: Worker, want: Uint8Array): Syscall<void> {
    yield* this.waitForExit(w);
    const th = w.thread;
    check(th.end.kind === "exited", () => `${threadLabel(th.tid, th.name)} ended: ${endText(th)}`);
    expectStatus(w.status, ZX_OK, threadLabel(th.tid, th.name));
    check(
      w.data !== null && sameBytes(w.data, want),
      `${threadLabel(th.tid, th.name)} read the wrong content`,
    );
  }

  /** A worker's syscall ended with OK. */
  *expectOk(w: Worker): Syscall<void> {
    yield* this.expectStatusOf(w, ZX_OK);
  }

  /** A worker's syscall returned `status` (`TestThread::WaitForFailure`). */
  *expectStatusOf(w: Worker, status: Status): Syscall<void> {
    yield* this.waitForExit(w);
    const th = w.thread;
    check(th.end.kind === "exited", () => `${threadLabel(th.tid, th.name)} ended: ${endText(th)}`);
    expectStatus(w.status, status, threadLabel(th.tid, th.name));
  }

  /** A mapped access died with a fatal page fault of `synth` (`TestThread::WaitForCrash`). */
  *expectCrash(w: Worker, synth: Status): Syscall<void> {
    yield* this.waitForExit(w);
    const th = w.thread;
    check(
      th.end.kind === "page-fault" && th.end.synth === synth,
      () =>
        `${threadLabel(th.tid, th.name)}: ${endText(th)}, want fatal page fault ${
          statusName(synth)
        }`,
    );
  }

  /** The access failed with `status`: a crash through a mapping, an error from the syscall. */
  *expectFailure(w: Worker, access: Access, status: Status): Syscall<void> {
    if (access === "vmar") yield* this.expectCrash(w, status);
    else yield* this.expectStatusOf(w, status);
  }

  /**
   * Parks main until reader `w` has copied `[page, page + pages)` of `vmo`, then
   * checks the bytes (`WaitForData` over an early-waking read).
   */
  *waitForData(w: Worker, vmo: TestVmo, page: number, pages: number): Syscall<void> {
    const koid = this.#koidOf(vmo);
    const from = page * PAGE;
    const to = (page + pages) * PAGE;
    yield* this.#until(
      () => this.#copiedTo(w.thread.tid, koid, from) >= to,
      `t${w.thread.tid} to read [${page},${page + pages})`,
    );
    const want = pattern(vmo, page, pages);
    for (const c of this.#copies.get(w.thread.tid) ?? []) {
      if (c.vmo !== koid || c.offset + c.bytes.length <= from || c.offset >= to) continue;
      const lo = Math.max(c.offset, from);
      const hi = Math.min(c.offset + c.bytes.length, to);
      check(
        sameBytes(
          c.bytes.subarray(lo - c.offset, hi - c.offset),
          want.subarray(lo - from, hi - from),
        ),
        `t${w.thread.tid} read wrong content at offset ${lo}`,
      );
    }
  }

  /** How many pages of `vmo`, from `page` on, reader `w` has copied so far (contiguously). */
  copiedPages(w: Worker, vmo: TestVmo, page = 0): number {
    return (this.#copiedTo(w.thread.tid, this.#koidOf(vmo), page * PAGE) - page * PAGE) / PAGE;
  }

  /** The next packet matching `expected` (byte offsets), stashing others (`WaitForPageRead`). */
  *expectPacket(
    expected: { command: number; key: number; offset: number; length: number },
  ): Syscall<void> {
    const match = (p: PagePacket) =>
      p.command === expected.command && p.key === expected.key &&
      p.offset === expected.offset && p.length === expected.length;
    const got = yield* this.#take(match, false, packetText({ ...expected } as PagePacket));
    check(got !== null, "unreachable: an infinite port wait returned nothing");
  }

  /** Waits for READ `[page, page + pages)` of `vmo`. */
  *waitForPageRead(vmo: TestVmo, page: number, pages: number): Syscall<void> {
    yield* this.expectPacket({
      command: ZX_PAGER_VMO_READ,
      key: vmo.key,
      offset: page * PAGE,
      length: pages * PAGE,
    });
  }

  /** Waits for the COMPLETE packet of `vmo`. */
  *waitForPageComplete(vmo: TestVmo): Syscall<void> {
    yield* this.expectPacket({
      command: ZX_PAGER_VMO_COMPLETE,
      key: vmo.key,
      offset: 0,
      length: 0,
    });
  }

  /**
   * The next READ of `vmo` as `[page, pages]` (`GetPageReadRequest`): waits for
   * one, or with `poll` only looks (zero deadline) and returns null if none.
   */
  *getPageReadRequest(vmo: TestVmo, poll = false): Syscall<[number, number] | null> {
    const p = yield* this.#take(
      (p) => p.command === ZX_PAGER_VMO_READ && p.key === vmo.key,
      poll,
      `any READ key ${vmo.key}`,
    );
    return p === null ? null : [p.offset / PAGE, p.length / PAGE];
  }

  /** No READ for `vmo` is queued or stashed (a zero-deadline poll). */
  *expectNoRead(vmo: TestVmo): Syscall<void> {
    const r = yield* this.getPageReadRequest(vmo, true);
    if (r !== null) fail(`unexpected READ [${r[0]},${r[0] + r[1]}) for key ${vmo.key}`);
  }

  /** No packet at all is queued or stashed (`expectNoPacket(port)`: deadline = now). */
  *expectNoPacket(): Syscall<void> {
    const p = yield* this.#take(() => true, true, "any packet");
    if (p !== null) fail(`unexpected packet ${packetText(p)}`);
  }

  /**
   * Supplies `[page, page + pages)` of `vmo` from a fresh aux VMO holding
   * `content` (default: the pattern) at `auxPage`; `content: null` leaves aux
   * uncommitted. Returns the supply's status.
   */
  *supply(
    vmo: TestVmo,
    page: number,
    pages: number,
    opts: { content?: Uint8Array | null; auxPage?: number } = {},
  ): Syscall<Status> {
    const auxPage = opts.auxPage ?? 0;
    const [st, aux] = yield* this.sys.vmoCreate((auxPage + pages) * PAGE, 0);
    expectStatus(st, ZX_OK, "zx_vmo_create of aux");
    const content = opts.content === undefined ? pattern(vmo, page, pages) : opts.content;
    if (content !== null) {
      expectStatus(yield* this.sys.vmoWrite(aux, content, auxPage * PAGE), ZX_OK, "aux write");
    }
    const supplied = yield* this.sys.pagerSupplyPages(
      this.pager,
      vmo.handle,
      page * PAGE,
      pages * PAGE,
      aux,
      auxPage * PAGE,
    );
    expectStatus(yield* this.sys.handleClose(aux), ZX_OK, "closing aux");
    return supplied;
  }

  /** {@linkcode PagerTest.supply} that must succeed. */
  *supplyOk(
    vmo: TestVmo,
    page: number,
    pages: number,
    opts: { content?: Uint8Array | null; auxPage?: number } = {},
  ): Syscall<void> {
    const st = yield* this.supply(vmo, page, pages, opts);
    expectStatus(st, ZX_OK, `supply [${page},${page + pages}) of key ${vmo.key}`);
  }

  /** `ZX_PAGER_OP_FAIL` over `[page, page + pages)`; returns the status. */
  *failPages(vmo: TestVmo, page: number, pages: number, code: Status = ZX_ERR_IO): Syscall<Status> {
    return yield* this.sys.pagerOpRange(
      this.pager,
      ZX_PAGER_OP_FAIL,
      vmo.handle,
      page * PAGE,
      pages * PAGE,
      code,
    );
  }

  /** `zx_pager_detach_vmo`; returns the status. */
  *detach(vmo: TestVmo): Syscall<Status> {
    return yield* this.sys.pagerDetachVmo(this.pager, vmo.handle);
  }

  /** Every worker this test started has ended. */
  checkWorkersEnded(): void {
    for (const w of this.workers) {
      check(
        w.thread.end.kind !== "running",
        () => `${threadLabel(w.thread.tid, w.thread.name)} is still running at the end of the case`,
      );
    }
  }

  *#until(cond: () => boolean, what: string): Syscall<void> {
    if (cond()) return;
    const wait: Wait = { deadline: Number.POSITIVE_INFINITY, ready: cond, describe: () => what };
    yield { kind: "block", wait } as KernelYield;
  }

  /** Takes the first stashed or queued page packet matching `match`; stashes the rest. */
  *#take(
    match: (p: PagePacket) => boolean,
    poll: boolean,
    what: string,
  ): Syscall<PagePacket | null> {
    const i = this.#stash.findIndex(match);
    if (i >= 0) return this.#stash.splice(i, 1)[0];
    for (;;) {
      const deadline = poll ? this.sys.now : Number.POSITIVE_INFINITY;
      if (!poll) this.waitingFor = what;
      const [st, packet] = yield* this.sys.portWait(this.port, deadline);
      this.waitingFor = null;
      if (st === ZX_ERR_TIMED_OUT && poll) return null;
      expectStatus(st, ZX_OK, "zx_port_wait");
      check(
        packet !== null && packet.type === ZX_PKT_TYPE_PAGE_REQUEST,
        "port delivered a non-pager packet",
      );
      const p = packet as PagePacket;
      check(p.status === ZX_OK && p.flags === 0, () => `malformed packet ${packetText(p)}`);
      if (match(p)) return p;
      this.#stash.push(p);
    }
  }

  /**
   * What a hang of main leaves unsaid: the packet the row waited for, and the packets main took
   * off the port meanwhile and set aside unmatched (`UserPager::WaitForPageRead`'s stash).
   */
  hangText(): string {
    if (this.waitingFor === null) return "";
    const aside = this.#stash.length === 0 ? "none" : this.#stash.map(packetText).join(", ");
    return `; the case waited for ${this.waitingFor}; packets it took meanwhile and set aside: ${aside}`;
  }

  #koidOf(vmo: TestVmo): number {
    const e = this.world.kernel.handles.entry(vmo.handle);
    check(e !== undefined, `vmo handle ${vmo.handle} is closed`);
    return e.object.koid;
  }

  /** End of the contiguous run of bytes thread `tid` copied from `koid`, starting at `from`. */
  #copiedTo(tid: number, koid: number, from: number): number {
    const list = (this.#copies.get(tid) ?? []).filter((c) => c.vmo === koid)
      .sort((a, b) => a.offset - b.offset);
    let end = from;
    for (const c of list) {
      if (c.offset > end) break;
      end = Math.max(end, c.offset + c.bytes.length);
    }
    return end;
  }
}

function endText(t: SimThread): string {
  const e = t.end;
  return e.kind === "page-fault" ? `fatal page fault ${statusName(e.synth)}` : e.kind;
}

function packetText(p: PagePacket): string {
  const cmd = p.command === ZX_PAGER_VMO_READ
    ? "READ"
    : p.command === ZX_PAGER_VMO_COMPLETE
    ? "COMPLETE"
    : `cmd ${p.command}`;
  if (p.command === ZX_PAGER_VMO_COMPLETE && p.offset === 0 && p.length === 0) {
    return `${cmd} key ${p.key}`;
  }
  return `${cmd} key ${p.key} [${p.offset / PAGE},${(p.offset + p.length) / PAGE})`;
}

/** The body of a case: runs as the main thread. */
export type TestBody = (t: PagerTest) => Syscall<void>;

/** Limits of one case run. */
const MAX_STEPS = 400_000;

/** The kernel the cases run against: the model, or a variant (`deno task conformance --kernel`). */
let kernelUnderTest: ((options: KernelOptions) => Kernel) | undefined;

/** Runs the cases against a kernel variant from now on (undefined: the model as specified). */
export function useKernel(make: ((options: KernelOptions) => Kernel) | undefined): void {
  kernelUnderTest = make;
}

/** The watch every case run is given (`WorldOptions.watch`), and the seed it is run under. */
let watchUnderTest: ((step: number, tid: number, entry: number, seed: number) => void) | undefined;

/**
 * Watches every case run from now on (undefined: none): what a watchdog outside the run reads to
 * name the thread, step and seed of a row whose kernel variant never returns (`cli/_conformance_guard.ts`).
 */
export function useWatch(
  watch: ((step: number, tid: number, entry: number, seed: number) => void) | undefined,
): void {
  watchUnderTest = watch;
}

/** The world of one run of `body` under `seed`, and its main thread (the case's own code). */
function caseWorld(
  body: TestBody,
  seed: number,
  monitors: readonly Monitor[] = [],
  expectEnds = true,
) {
  const watch = watchUnderTest;
  const world = new World({
    makeKernel: kernelUnderTest,
    strategy: randomStrategy(seed),
    pageSize: PAGE,
    maxSteps: MAX_STEPS,
    liveness: { afterSteps: MAX_STEPS / 2, bound: MAX_STEPS / 2 },
    monitors,
    ...(watch !== undefined
      ? { watch: (step: number, tid: number, entry: number) => watch(step, tid, entry, seed) }
      : {}),
  });
  const holder: { test: PagerTest | null } = { test: null };
  const main = world.spawn("main", "workload", function* (sys) {
    const t = new PagerTest(world, sys);
    holder.test = t;
    yield* t.init();
    yield* body(t);
    if (expectEnds) t.checkWorkersEnded();
  });
  return { world, main, holder };
}

/** Runs `body` once under `seed`; throws a {@linkcode ConformanceFailure} unless it passes. */
export function runOnce(body: TestBody, seed: number): void {
  const { world, main, holder } = caseWorld(body, seed);
  const result = world.run();
  const tail = () => world.trace.text(Math.max(0, result.steps - 40));
  if (result.verdict.kind !== "pass") {
    const why = result.verdict.kind === "hang" ? holder.test?.hangText() ?? "" : "";
    throw new ConformanceFailure(`seed ${seed}: ${describeVerdict(result.verdict)}${why}`, tail());
  }
  if (main.end.kind !== "exited") {
    throw new ConformanceFailure(`seed ${seed}: main thread ended: ${endText(main)}`, tail());
  }
}

/**
 * Runs `body` once under `seed` watched by `monitors` (the checkers), with the case's own
 * expectations left out: the run a checker-only judge sees (the mutation tool's campaign judge).
 * A {@linkcode ConformanceFailure} of the main thread ends the run there as a pass once the
 * monitors have judged the step it ended in (the world ends a run at a thread's fault before
 * their `afterStep`, so a violation in that step was lost: a mutant that broke a futex wait and
 * the case's check of it in one step passed): only what the monitors say of the steps run, or a
 * hang, a kernel assertion or another fault, fails it.
 */
export function runChecked(
  body: TestBody,
  seed: number,
  monitors: readonly Monitor[],
): { world: World; verdict: Verdict } {
  // Workers the case leaves running are not an expectation here: the world runs them on, and a
  // stranded one is the world's hang, which the checkers settle.
  const { world, main } = caseWorld(body, seed, monitors, false);
  const result = world.run();
  const verdict = result.verdict;
  const expectation = verdict.kind === "thread-fault" && verdict.tid === main.tid &&
    verdict.message.includes("ConformanceFailure");
  if (!expectation) return { world, verdict };
  try {
    for (const m of monitors) m.afterStep?.(world);
  } catch (e) {
    if (!(e instanceof InvariantViolation)) throw e;
    return {
      world,
      verdict: invariantVerdict(e, verdict.step, main.tid),
    };
  }
  return { world, verdict: { kind: "pass", step: verdict.step } };
}

/** Runs `body` under every seed in {@linkcode SEEDS}. */
export function runSeeds(body: TestBody): void {
  for (const seed of SEEDS) runOnce(body, seed);
}

/**
 * One runnable case: `body` is the main thread, run under every seed.
 *
 * @example
 * ```ts
 * import { pagerCase } from "./harness.ts";
 * const c = pagerCase("P1", "SinglePageTestVmo", "read-fault", function* (t) {
 *   const vmo = yield* t.vmo(1);
 *   const reader = t.reader(vmo, 0, 1, "vmo");
 *   yield* t.waitForPageRead(vmo, 0, 1);
 *   yield* t.supplyOk(vmo, 0, 1);
 *   yield* t.expectRead(reader, vmo, 0, 1);
 * });
 * c.run(); // throws a ConformanceFailure if the model disagrees
 * ```
 */
export function pagerCase(id: string, name: string, area: Area, body: TestBody): RunnableCase {
  return { id, name, area, run: () => runSeeds(body), body };
}

/** The `Vmar` and `Vmo` variants of a `VMO_VMAR_TEST`. */
export function vmoVmarCases(
  id: string,
  name: string,
  area: Area,
  body: (t: PagerTest, access: Access) => Syscall<void>,
): RunnableCase[] {
  return [
    pagerCase(id, `${name}Vmar`, area, (t) => body(t, "vmar")),
    pagerCase(id, `${name}Vmo`, area, (t) => body(t, "vmo")),
  ];
}

/** Skipped cases for each registered variant of a row. */
export function skipped(
  id: string,
  name: string,
  area: string,
  variants: readonly string[],
  reason: string,
): SkippedCase[] {
  const suffixes = variants.length === 0 ? [""] : variants;
  return suffixes.map((v) => ({ id, name: `${name}${v}`, area, skip: reason }));
}

/** Variant suffixes of `VMO_VMAR_TEST`. */
export const VMAR_VMO = ["Vmar", "Vmo"] as const;
/** Variant suffixes of `TEST_WITH_AND_WITHOUT_TRAP_DIRTY`. */
export const TRAP_NOTRAP = ["TrapDirty", "NoTrapDirty"] as const;
