/**
 * `syscall-contract`: what pager syscalls return (K14, K14w, K22, K23, K27), when a reader wakes
 * early (K11e), and which
 * request a reader waits on (`coalesce`).
 * OP_FAIL accepts only the five external codes, and an accessor's pager error
 * is exactly a code some OP_FAIL passed (or BAD_STATE after detach); pager
 * syscalls succeed only on VMOs of that pager; `ZX_INFO_VMO` reports
 * `ZX_INFO_VMO_PAGER_BACKED` exactly for pager VMOs and their descendants; argument checks run in
 * the documented order (alignment, then handles in argument order with
 * BAD_HANDLE < WRONG_TYPE < ACCESS_DENIED; the pager-koid match after them is K22's).
 *
 * K14w, OP_FAIL per waiter: a thread parked in `zx_vmo_read` of a pager VMO
 * (not a clone, no user buffer) waits at the first page it has not copied (its
 * offset plus the bytes its `copy` events delivered: the thread's own progress,
 * not the kernel's waiter); so does one in `zx_vmo_write` of a pager VMO without
 * TRAP_DIRTY (its `store` events), which waits with no early wake (spec 3.8): the
 * rule below without the wake-page half. The checker keeps its own picture of each request
 * (range from the request event; primary and overlap waiters from the request,
 * coalesce and resolve events; the heir of a cancelled primary is the first
 * overlap waiter, PageSource::CancelRequestLocked) and applies upstream's rule
 * (PageSource::ResolveRequestsLocked, zircon/kernel/vm/page_source.cc @
 * misttech/fuchsia ce4be33a): OP_FAIL fails the primary when its range,
 * clipped to the request, starts at the request's first page or exactly at the
 * reader's wait page, and an overlap waiter by the same test against its own
 * first page. A failed reader returns exactly the error of the last OP_FAIL
 * that failed it (audit row A5: a later detach keeps it), and a reader no
 * OP_FAIL failed never returns an OP_FAIL code (nor BAD_STATE before a detach).
 * An OP_FAIL that returns ZX_OK resolves, in its own step, every request of the VMO its range
 * covers whole (the request's pending count cannot exceed its length, so upstream completes it)
 * and wakes every thread parked on one, whatever its call (a commit, a fault, a read into a user
 * buffer); and it wakes a parked primary reader when its range, clipped to the request, starts at
 * the reader's wake page (`EarlyWakeRequestLocked`): a kernel that leaves either is the kernel's
 * finding at that step, not a service's lost wake-up at the end (userS25's first_page_fail.ts).
 * Left out: a reader killed or timed out, one whose request an OP_FAIL reaches
 * while it runs between an early wake and its next wait (the kernel's wake page
 * then is the end of what woke it), and a running overlap waiter failed at its wake
 * page (upstream checks it against the waiter's own end, unknown here; a parked one's wake page
 * lies inside its own range, where it waits again only as `PopulateRequest`'s continuation).
 *
 * K11e, early wake (K11's early-wake supply; cited as `early-wake` until userS27k, whose
 * signature then named no rule: `invariant:syscall-contract`): such a reader, parked as its request's primary, is
 * woken in the step whose supply fills the page it waits for from there on
 * (PageSource::EarlyWakeRequestLocked, or the request completes).
 *
 * `ret`: every call a thread makes returns once, in a `ret` event of its own name, before the
 * thread calls again or exits (the trace a user reads pairs them); a load or store pairs them
 * page by page, refaults a page with a second `call`, and ends in a fatal page fault without
 * its `ret`.
 *
 * `coalesce`: such a reader's new request starts at the page it waits for, and
 * it joins an outstanding request only if that request covers the page (spec
 * 3.5; PageSource::SendRequestToProviderLocked).
 *
 * `suspend` also: a thread the trace names suspended starts no syscall until it is resumed
 * (killed, exited) again (zx_task_suspend.md), and no call of a thread the trace never
 * named killed returns the kernel's internal ZX_ERR_INTERNAL_INTR_KILLED. Both from the
 * `thread` events alone.
 *
 * `kill`: a thread killed while inside a harness entry (`kill-deferred`) never exits normally,
 * and a `zx_task_kill` that returns ZX_OK on a thread the trace has not named killed or exited
 * has, by its return, made the trace name it `killed` or `kill-deferred`; no `killed` event names
 * a thread the trace already named killed, exited or crashed (`Thread::Kill`), nor one that no
 * `zx_task_kill` in flight names and whose kill was not deferred.
 *
 * @module
 */

import { callShape, type Shape, shapeProblem } from "./_call_shape.ts";
import {
  PAGER_FAIL_CODES,
  type Status,
  statusName,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INTERNAL_INTR_KILLED,
  ZX_ERR_INTERNAL_INTR_RETRY,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_WRONG_TYPE,
  ZX_INFO_VMO,
  ZX_INFO_VMO_PAGER_BACKED,
  ZX_OBJ_TYPE_THREAD,
  ZX_OK,
  ZX_PAGER_OP_FAIL,
} from "../kernel/constants.ts";
import { shownStatusProblem, UPSTREAM_FAIL_CODES, upstreamStatusProblem } from "./_zx_status.ts";
import { blockedInsteadOfFailing, RequestsSent } from "./_fail_instead_of_block.ts";
import { pagerWaitTextProblem } from "./_pager_wait_text.ts";
import { syncWaitTextProblem } from "./_sync_wait_text.ts";
import { type EventSink, type KernelEvent, NULL_SINK } from "../kernel/events.ts";
import type { Kernel } from "../kernel/kernel.ts";
import type { KThread } from "../kernel/objects.ts";
import type { Verdict, World } from "../sim/world.ts";
import { type Call, failCodesKey, NAMES_VMO, StepMonitor } from "./_step_monitor.ts";
import {
  REFERENCE_ALLOCATING,
  REFERENCE_ARGUMENT_CHECKED,
  referenceArgumentStatus,
} from "./_reference_allocating.ts";
import { TidMap } from "./_tid_map.ts";
import { callsWhere, spec, SYSCALL_NAMES, type SyscallName } from "../kernel/syscalls.ts";

const ACCESSES = callsWhere((s) => s.access === true);
/** How many arguments each call takes before its optional ones (a user buffer, if given, is next). */
const REQUIRED: ReadonlyMap<string, number> = new Map(
  SYSCALL_NAMES.map((name) => [name, spec(name).params.filter((p) => !p.optional).length]),
);
/** Pager calls on one of the pager's VMOs, and the argument that names it (the table's `ownedBy`). */
const PAGER_VMO_ARG: ReadonlyMap<string, number> = new Map(
  SYSCALL_NAMES.flatMap((name) => {
    const i = spec(name).params.findIndex((p) => p.handle?.ownedBy !== undefined);
    return i < 0 ? [] : [[name, i] as const];
  }),
);
/**
 * Calls that resolve READ requests other than OP_FAIL and supply (shrink, OP_ZERO, other pager
 * ops): a running reader's wake page is unknown after them. A supply is followed page by page.
 */
const RESOLVERS = new Set([
  "zx_vmo_set_size",
  "zx_vmo_op_range",
  "zx_pager_op_range",
]);
/**
 * Calls that allocate, after their argument checks: those whose table lists NO_MEMORY, and those
 * the reference pages say make or grow something (`REFERENCE_ALLOCATING`).
 */
const MAY_RUN_OUT: ReadonlySet<string> = new Set([
  ...SYSCALL_NAMES.filter((name) => spec(name).errors.includes(ZX_ERR_NO_MEMORY)),
  ...REFERENCE_ALLOCATING,
]);
/**
 * The calls of {@linkcode MAY_RUN_OUT} with an argument check to make (an alignment or a handle
 * lookup): the others' checks always pass, so nothing is worked out at their call.
 */
const RUN_OUT_CHECKED: ReadonlySet<string> = new Set(
  [...MAY_RUN_OUT].filter((name) =>
    spec(name as SyscallName).params.some((p) =>
      p.alignedFirst === true || p.handle !== undefined || p.kind === "handle"
    ) || REFERENCE_ARGUMENT_CHECKED.has(name)
  ),
);
/** What the checks ask of a call by its name, from the tables above: one lookup per event. */
interface CallTraits {
  /** In {@linkcode ACCESSES}. */
  readonly access: boolean;
  /** {@linkcode REQUIRED}'s entry. */
  readonly required: number | undefined;
  /** {@linkcode PAGER_VMO_ARG}'s entry. */
  readonly pagerVmoArg: number | undefined;
  /** In {@linkcode RESOLVERS}. */
  readonly resolver: boolean;
  /** In {@linkcode MAY_RUN_OUT}, and in {@linkcode RUN_OUT_CHECKED}. */
  readonly mayRunOut: boolean;
  readonly runOutChecked: boolean;
  /** {@linkcode callShape}'s answer (`event-form`). */
  readonly shape: Shape | undefined;
}

/** The traits of a name no table lists. */
const NO_TRAITS: CallTraits = {
  access: false,
  required: undefined,
  pagerVmoArg: undefined,
  resolver: false,
  mayRunOut: false,
  runOutChecked: false,
  shape: undefined,
};

/** The traits of every name some table lists. */
const TRAITS: ReadonlyMap<string, CallTraits> = new Map(
  [
    ...new Set<string>([
      ...ACCESSES,
      ...REQUIRED.keys(),
      ...PAGER_VMO_ARG.keys(),
      ...RESOLVERS,
      ...MAY_RUN_OUT,
    ]),
  ].map((name) => [name, {
    access: ACCESSES.has(name),
    required: REQUIRED.get(name),
    pagerVmoArg: PAGER_VMO_ARG.get(name),
    resolver: RESOLVERS.has(name),
    mayRunOut: MAY_RUN_OUT.has(name),
    runOutChecked: RUN_OUT_CHECKED.has(name),
    shape: callShape(name),
  }]),
);

/** Loads and stores through mappings: a `call` and `ret` per page (`VmoPages.mem`). */
const MEMORY_ACCESSES: ReadonlySet<string> = new Set(["mem_read", "mem_write"]);
/** The `why` of a wake that a suspend (retry) or a kill cancelled. */
const INTR_RETRY = statusName(ZX_ERR_INTERNAL_INTR_RETRY);
const INTR_KILLED = statusName(ZX_ERR_INTERNAL_INTR_KILLED);
/** Fail codes that only OP_FAIL produces (BAD_STATE also comes from detach). */
const FAIL_ONLY = new Set(PAGER_FAIL_CODES.filter((c) => c !== ZX_ERR_BAD_STATE));

/**
 * Asks the kernel for `ZX_INFO_VMO` without tracing it: the sink is swapped
 * for the duration of one non-blocking call and restored, so the run's trace
 * and state are what they were.
 */
function probeInfo(kernel: Kernel, thread: KThread, handle: number): number | null {
  const k = kernel as unknown as { sink: EventSink };
  const saved = k.sink;
  k.sink = NULL_SINK;
  try {
    const call = kernel.zx_object_get_info(thread, handle, ZX_INFO_VMO);
    for (;;) {
      const r = call.next();
      if (r.done) return r.value[1]?.flags ?? null;
    }
  } finally {
    k.sink = saved;
  }
}

/**
 * A number naming page `page` of the VMO with koid `vmo` (koids stay below 2^20, pages below
 * 2^32): the supply's filled pages were `vmo:page` strings, built at every supplied page.
 */
function filledKey(vmo: number, page: number): number {
  return vmo * 2 ** 32 + page;
}

/** The event kinds onStepEvent judges (one set for every run, not one per checker made). */
const STEP_KINDS: ReadonlySet<KernelEvent["k"]> = new Set([
  "detach",
  "page-fault",
  "ret",
  "call",
  "copy",
  "store",
  "block",
  "wake",
  "thread",
  "request",
  "coalesce",
  "resolve",
  "supply",
]);

/** An event as the failure text shows it (its byte payloads by length). */
function formText(e: KernelEvent): string {
  return JSON.stringify(e, (_k, v) => v instanceof Uint8Array ? `<${v.length} bytes>` : v);
}

/** A `complete-wakes` obligation: request `id` completed at `step` with `tid` parked on it. */
interface CompleteOwed {
  readonly tid: number;
  readonly id: number;
  readonly vmo: number;
  readonly start: number;
  readonly end: number;
  /** Whether `tid` made the request (else it joined it). */
  readonly primary: boolean;
  readonly step: number;
  /** The step `tid` made or joined it, if known. */
  readonly joined: number | undefined;
}

/** The `complete-wakes: ...` text of an obligation not met (the reader was not woken). */
function completeOwedText(o: CompleteOwed): string {
  return `complete-wakes: request #${o.id} of vmo${o.vmo} [${o.start},${o.end}) completed at step ${o.step} ` +
    `and t${o.tid}, parked on it (${o.primary ? "made it" : "joined it"}${
      o.joined === undefined ? "" : ` at step ${o.joined}`
    }), was not woken in that step: a completing request wakes every thread waiting on it`;
}

/** Every kind of event the trace knows (`KernelEvent`'s, {@linkcode NAMES_VMO}'s keys). */
const KNOWN_KINDS: ReadonlySet<unknown> = new Set(Object.keys(NAMES_VMO));

/**
 * The known kinds `event-form` looks into (besides every kind the trace does not know, which
 * `immediateOtherKinds` passes): the others have nothing of theirs to judge.
 */
const FORM_KINDS: ReadonlySet<KernelEvent["k"]> = new Set(["block", "thread"]);

/** What a `thread` event may say happened: every member of `KernelEvent`'s union, no other. */
const THREAD_WHAT_NAMES: { readonly [W in Extract<KernelEvent, { k: "thread" }>["what"]]: W } = {
  suspended: "suspended",
  resumed: "resumed",
  killed: "killed",
  "kill-deferred": "kill-deferred",
  exited: "exited",
  started: "started",
};
const THREAD_WHATS: ReadonlySet<string> = new Set(Object.values(THREAD_WHAT_NAMES));

/** Checks the status codes of pager syscalls and accessors. */
export class SyscallContract extends StepMonitor {
  readonly name = "syscall-contract";
  protected override readonly stepKinds: ReadonlySet<KernelEvent["k"]> = STEP_KINDS;
  /** Requests fail-instead-of-block calls sent and did not wait for (`fail-instead-of-block`). */
  readonly #requestsSent = new RequestsSent();
  /**
   * Pages a supply filled in this step, by {@linkcode filledKey} (the early-wake obligation):
   * recorded only while {@linkcode SyscallContract.#parkedAtSupply} holds a reader, the only time
   * they are read (most supply steps have no parked reader: a key and a `Set` entry per supplied
   * page were made for nothing).
   */
  readonly #filled = new Set<number>();
  /** Whether a supply of this step filled a page (the readers are then looked at no more). */
  #filledAny = false;
  /** The parked readers and their wake pages as this step's supply began. */
  readonly #parkedAtSupply = new TidMap<
    { req: number; start: number; wake: number; parked: boolean }
  >();
  /**
   * K14w's own picture of the outstanding requests, built from the request, coalesce and
   * resolve events and the threads' own progress: each request's range, its primary (creator or
   * heir) and its overlap waiters in the order they joined, and the request each thread waits on.
   */
  readonly #requests = new Map<number, {
    readonly vmo: number;
    readonly start: number;
    readonly end: number;
    primary: number | null;
    overlap: number[];
    /** The last page of its range a supply filled since it was made (-1: none). */
    lastFilled: number;
  }>();
  readonly #attachedTo = new TidMap<number>();
  /** The step each thread made or joined the request it is attached to (`complete-wakes`). */
  readonly #joinedAt = new TidMap<number>();
  /**
   * Threads parked on the request they made or joined (a `block` while attached to one), any
   * call (a commit, a fault, a read into a user buffer): an OP_FAIL that resolves the request
   * whole wakes them all.
   */
  readonly #pagerParked = new Set<number>();
  /** Direct reads of pager VMOs in progress, by thread (K14w). */
  readonly #reads = new TidMap<{
    /**
     * `zx_vmo_read`, which waits with early wake, or `zx_vmo_write` of a VMO without
     * TRAP_DIRTY, which waits for its READ request to complete (spec 3.8; its `store` events
     * are its progress).
     */
    readonly call: "zx_vmo_read" | "zx_vmo_write";
    readonly vmo: number;
    readonly offset: number;
    copied: number;
    /** Parked on its request (between its `block` and its `wake`). */
    parked: boolean;
    /** Judged no more (killed, timed out, a wait this checker cannot place). */
    off: boolean;
    /**
     * The error of the last OP_FAIL that hit it since it joined its request. `strict`: hit
     * while parked, so its next wake carries that error and its read returns it; a reader hit
     * while it ran after an early wake gets the error only if it waits on the request again
     * before the request completes and no other signal was kept for it: not judged.
     */
    expect: { status: Status; range: string; strict: boolean } | null;
    /**
     * The request it waits on, its own first page in it and the page it waits for (the
     * kernel's `wake_offset_`, absolute; null when this checker cannot tell it).
     */
    req: number | null;
    start: number;
    wake: number | null;
    /**
     * It joined its request as an overlap waiter while no page of the request from its own first
     * page on had been filled: its own range then runs to its read's end or the request's
     * (upstream truncates a new request only at a page already present), so every page it waits
     * for on that request lies inside it.
     */
    whole: boolean;
    /** A primary early-woken while it ran: the kept signal wakes it as soon as it waits again. */
    kept: boolean;
  }>();
  /** The syscall each thread is in (early wake is for `zx_vmo_read` only). */
  readonly #inCall = new TidMap<string>();
  /** Threads woken early in this step (judged against the supply's runs). */
  readonly #earlyWoken = new Set<number>();
  /**
   * The readers this step's supply makes due to wake early, the first of them (the array is
   * reused; {@linkcode SyscallContract.#earlyWakeDue}): each reader's wake page and request, the
   * primary whose run woke it (-1: itself) and the run `[w, hi)`; its message is made only if it
   * fails.
   */
  readonly #due: {
    tid: number;
    page: number;
    req: number;
    start: number;
    end: number;
    by: number;
    w: number;
    hi: number;
  }[] = [];
  /**
   * Readers this step's supply may not wake early, and why: the primary `by`, its wake page `w`
   * and its run's end `hi` (-1: no run started at `w`); the message is made only if one was.
   */
  readonly #never = new Map<number, { by: number; w: number; hi: number }>();
  /**
   * Readers that must be woken before this step ends (a kept signal, a suspend, a completed
   * request): the failure's `code: message`, or a completion's numbers (its message is made only
   * if the reader was not woken, {@linkcode completeOwedText}).
   */
  readonly #wakeDue = new TidMap<string | CompleteOwed>();
  /** The call of the thread that runs this step (what woke a reader early). */
  #stepCall: { name: string; args: readonly unknown[] } | null = null;
  /**
   * Per OP_FAIL caller: the readers its range fails and those it may fail in a way this
   * checker cannot place (judged no more), applied when it returns ZX_OK.
   */
  readonly #failing = new TidMap<
    {
      hit: [number, boolean][];
      unsure: number[];
      moves: [number, number][];
      due: number[];
      /** The requests of the VMO its range covers whole: it resolves each. */
      whole: [number, { vmo: number; start: number; end: number }][];
      /**
       * Parked primaries of no tracked read (a page fault, a commit, a read into a user buffer)
       * whose request's first page the range covers: it fails them (no early wake: only the
       * first page counts), and a wake of one in its step carries its code.
       */
      primaries: number[];
    }
  >();
  readonly #failCodes = new Map<number, Set<Status>>();
  /**
   * `ret`: the call each thread is in, from its `call` event to its `ret` (a load or store has
   * one of each per page). A `ret` must name the call its thread is in, and a thread must
   * return before it calls again or exits.
   */
  readonly #open = new TidMap<string>();
  readonly #detached = new Set<number>();
  readonly #closed = new Set<number>();
  /**
   * K27's verdict on each thread's pager call as it entered (its handles looked up then): a
   * handle another thread closes while the call runs (blocked, or at a kernel's own scheduling
   * point inside it) does not change what the call was given. Upstream resolves each handle once
   * at syscall entry, into a `RefPtr` to its dispatcher the call holds to its end
   * (`GetDispatcherWithRights` in `sys_pager_supply_pages`, zircon/kernel/lib/syscalls/pager.cc).
   */
  readonly #atEntry = new TidMap<Status>();
  /** Threads a `suspended` event named and no `resumed`, `killed` or `exited` one since. */
  readonly #suspended = new Set<number>();
  /** Threads a `killed` event named. */
  readonly #killed = new Set<number>();
  /**
   * Threads whose kill landed inside a harness entry (`kill-deferred`) and has not yet taken
   * effect: such a thread is killed when it leaves the entry, so it never exits normally
   * (`Thread::Kill` sets the kill signal; the thread exits at its next kernel boundary,
   * zircon/kernel/kernel/thread.cc @ vsrinivas/fuchsia 0060d78a, as kernel_objects.ts cites it).
   */
  readonly #killDeferred = new Set<number>();
  /** Threads an `exited` event or a fatal `page-fault` (a crash: no `killed` event) named. */
  readonly #exited = new Set<number>();
  /**
   * Per thread in a `zx_task_kill`: the thread its handle names, if that thread was alive at the
   * call by the trace (no `killed`, `exited` or `page-fault` event named it), else -1.
   */
  readonly #killing = new TidMap<number>();

  /**
   * `kill` at the end: a thread the world ended as killed was named by a `killed` event (the
   * kernel kills only through `zx_task_kill` or a deferred kill, each of which the trace shows;
   * `Thread::Kill` is the only way in, as the kill rule above cites). A thread the kernel marks
   * dead without one never ran its code and nothing asked for it (a thread born killed passed
   * every checker: nothing it should have done was judged).
   *
   * And a thread never ends killed inside a harness entry (audit K-E1): a file's open or close is
   * the filesystem's work, done in its own context upstream while the client waits on its call,
   * so a kill of the client cannot cut it; the model runs it on the workload's thread and defers a
   * kill that lands inside it to the entry's return. Read from the harness's own count of the
   * entries each thread is inside (`World.fileEntries`, kept by scenario/files.ts around each
   * open and close, not the kernel's `KThread.entries`; a killed thread never runs again, so the
   * count stays what it was at the kill): a kill that took effect inside an entry leaves it above
   * 0 (a cut close leaves the file's VMO attached, its handle open, which no other rule reads).
   */
  protected override finish(world: World, _verdict: Verdict): void {
    for (const t of world.threads) {
      if (t.end.kind !== "killed") continue;
      if (!this.#killed.has(t.tid)) {
        this.fail(
          "kill",
          `t${t.tid} ended killed, but no killed event named it: a thread dies by a kill only when one asked for it`,
        );
      } else if ((world.fileEntries.get(t.tid) ?? 0) > 0) {
        this.fail(
          "kill",
          `t${t.tid} was killed inside a harness entry (a file's open or close): a kill there takes effect when the entry returns (kill-deferred), never part-way through it`,
        );
      }
    }
  }

  /** The codes each VMO's ranges were failed with, and the detached VMOs (what a later error is judged by). */
  stateKey(): string {
    return failCodesKey(this.#failCodes, this.#detached);
  }

  /** The status a handle lookup gives at call time. */
  #lookup(handle: unknown, type?: number, rights = 0): Status {
    const e = this.entry(handle);
    if (e === undefined || this.#closed.has(handle as number)) return ZX_ERR_BAD_HANDLE;
    if (type === undefined) return ZX_OK;
    if (e.object.objType !== type) return ZX_ERR_WRONG_TYPE;
    return (e.rights & rights) >>> 0 === rights >>> 0 ? ZX_OK : ZX_ERR_ACCESS_DENIED;
  }

  /**
   * The first failing check of a pager call on one of its pager's VMOs, or
   * ZX_OK: the table's page alignments, then its handle lookups up to that
   * VMO (the pager-koid match that follows is K22's to check).
   */
  #expected(
    name: string,
    a: readonly unknown[],
    ps: number,
    last: number | undefined,
  ): Status {
    if (last === undefined) return ZX_OK;
    const row = spec(name as SyscallName);
    // Indexed loops, no closures: this runs at every call and return of a pager syscall.
    const params = row.params;
    for (let i = 0; i < params.length; i++) {
      if (params[i].alignedFirst !== true) continue;
      const x = a[i];
      if (!(typeof x === "number" && x >= 0 && x % ps === 0)) return ZX_ERR_INVALID_ARGS;
    }
    for (let i = 0; i < params.length && i <= last; i++) {
      const h = params[i].handle;
      // A handle of any type (`zx_handle_duplicate`'s): only its lookup, BAD_HANDLE.
      if (h === undefined && params[i].kind === "handle" && this.#lookup(a[i]) !== ZX_OK) {
        return ZX_ERR_BAD_HANDLE;
      }
      if (h === undefined) continue;
      const st = this.#lookup(a[i], h.type, h.rights);
      if (st !== ZX_OK) return st;
    }
    return ZX_OK;
  }

  #pagerError(
    tid: number,
    vmo: number,
    status: Status,
    what: string,
    copied: Iterable<number> = [],
  ): void {
    const fault = this.#pagerFault(vmo, status, `t${tid} ${what}`);
    if (fault === null) return;
    // A user copy's fault fails the call with the status of the VMO it faulted on.
    for (const other of copied) if (this.#pagerFault(other, status, "") === null) return;
    this.fail("K14", fault);
  }

  /** Why `status` is not a pager error that `vmo` can give (null: it can). */
  #pagerFault(vmo: number, status: Status, who: string): string | null {
    const codes = this.#failCodes.get(vmo);
    if (FAIL_ONLY.has(status) && !codes?.has(status)) {
      return `${who} got ${statusName(status)}, never passed to OP_FAIL`;
    }
    if (status === ZX_ERR_BAD_STATE && !this.#detached.has(vmo) && !codes?.has(status)) {
      return `${who} got ZX_ERR_BAD_STATE; vmo${vmo} was neither detached nor failed`;
    }
    return null;
  }

  /**
   * Per thread in an access given a user buffer: the pager VMOs it raised or joined requests
   * on during the call (its copy's faults among them), whose errors it may return.
   */
  readonly #copies = new TidMap<Set<number>>();

  /**
   * Thread `tid` leaves the request it waits on (its wait was cancelled, or its call returned
   * or asked anew). A primary with overlap waiters hands the request to the first of them,
   * which takes the request's first page as its own and keeps its wake page relative to its old
   * start (`PageSource::CancelRequestLocked` keeps the heir's request-relative `wake_offset_`,
   * zircon/kernel/vm/page_source.cc @ misttech/fuchsia ce4be33a). `heir` false: the waiter was
   * released without a cancel (a fail-instead-of-block caller), and the request has no primary.
   */
  #leave(tid: number, heir = true): void {
    const id = this.#attachedTo.get(tid);
    if (id === undefined) return;
    this.#attachedTo.delete(tid);
    this.#pagerParked.delete(tid);
    const mine = this.#reads.get(tid);
    if (mine !== undefined && mine.req === id) {
      mine.req = null;
      mine.kept = false; // a cancel drops the kept signal
    }
    const q = this.#requests.get(id);
    if (q === undefined) return;
    if (q.primary !== tid) {
      q.overlap = q.overlap.filter((t) => t !== tid);
      return;
    }
    const next = heir ? q.overlap.shift() : undefined;
    q.primary = next ?? null;
    const h = next === undefined ? undefined : this.#reads.get(next);
    if (h === undefined || h.req !== id) return;
    if (h.wake !== null) h.wake = q.start + (h.wake - h.start);
    h.start = q.start;
  }

  /** Thread `tid` joins request `id`: a reader's own first page is the page it waits at. */
  #join(tid: number, id: number, vmo: number, ps: number): void {
    this.#attachedTo.set(tid, id);
    const r = this.#reads.get(tid);
    if (r === undefined) return;
    // A request on another VMO: a usercopy's fault, which this checker does not place.
    if (vmo !== r.vmo) r.off = true;
    r.req = id;
    r.start = r.wake = Math.floor((r.offset + r.copied) / ps);
    if (r.call !== "zx_vmo_read") r.wake = null;
    r.expect = null; // a fresh request starts with no error (`PageRequest::Init`)
    r.kept = false; // ... and unsignalled
    // Spec 3.5: a reader's new request starts at the page it needs; it joins an outstanding
    // request only if that request covers the page (`SendRequestToProviderLocked`).
    const q = this.#requests.get(id);
    r.whole = q !== undefined && q.lastFilled < r.start;
    if (r.off || q === undefined) return;
    const joined = q.primary !== tid;
    if (joined ? r.start < q.start || r.start >= q.end : r.start !== q.start) {
      this.fail(
        "coalesce",
        `t${tid} ${r.call} of vmo${r.vmo} needs page ${r.start}; it ${
          joined ? "joined" : "made"
        } request #${id} [${q.start},${q.end})`,
      );
    }
  }

  /**
   * Does OP_FAIL over pages `[fs, fe)` fail parked reader `r` (`PageSource::ResolveRequestsLocked`
   * @ misttech/fuchsia ce4be33a)? The primary when the range, clipped to the request, starts at
   * the request's first page or exactly at the reader's wake page; an overlap waiter by the same
   * test against its own first page and wake page (a parked one's wake page lies inside its own
   * range). `undefined`: a running overlap waiter whose wake page the range starts at, which
   * upstream fails only if the page lies inside the waiter's own range, whose end this checker
   * does not know.
   */
  #hits(
    tid: number,
    r: {
      call: string;
      start: number;
      wake: number | null;
      req: number | null;
      parked: boolean;
      whole: boolean;
    },
    fs: number,
    fe: number,
  ): boolean | undefined {
    const q = r.req === null ? undefined : this.#requests.get(r.req);
    if (q === undefined || fe <= q.start || fs >= q.end) return false;
    const early = r.call === "zx_vmo_read";
    if (q.primary === tid) {
      const lo = Math.max(fs, q.start);
      if (lo === q.start) return true;
      if (!early) return false; // no wake offset: only the request's first page fails it
      return r.wake === null ? undefined : lo === r.wake;
    }
    if (fs <= r.start && fe > r.start) return true;
    if (!early) return false;
    if (r.wake === null) return fs > r.start ? undefined : false;
    if (fs !== r.wake || r.wake <= r.start) return false;
    // At its wake page: upstream fails it when that page lies inside the waiter's own range
    // (`TrimRangeToRequestSpace` against its own `len_`). A parked overlap waiter that joined
    // with no page of the request from its first on present waits there inside its own range:
    // it waits on this request again only as a continuation (`PageSource::PopulateRequest`'s
    // SameRequest: `wake_offset_` reset to the page it needs), and its own range reaches its
    // read's end or the request's. A running one's wake page the last early wake moved, and one
    // whose own range a present page may have cut, are not known here.
    return r.parked && r.whole ? true : undefined;
  }

  /**
   * Must OP_FAIL over pages `[fs, fe)`, which fails parked reader `r` ({@linkcode #hits}), wake
   * it before it returns? Upstream `ResolveRequestsLocked` wakes every waiter of a request the
   * range resolves whole (`CompleteRequestLocked`), and early-wakes the primary when the range,
   * clipped to the request, starts at its wake page; a range that starts at the request's first
   * page below the wake page only records the error (the reader gets it when it is woken later).
   */
  #failWakes(
    tid: number,
    r: { wake: number | null },
    q: { start: number; end: number; primary: number | null },
    fs: number,
    fe: number,
  ): boolean {
    if (fs <= q.start && fe >= q.end) return true;
    return q.primary === tid && r.wake !== null && Math.max(fs, q.start) === r.wake;
  }

  /**
   * Where a primary reader's wake page goes when `call` woke it early (`EarlyWakeRequestLocked`
   * moves it to the end of the resolved range): OP_FAIL resolves its whole range clipped to the
   * request; a supply, only its newly filled run from the wake page, known here when the supply
   * reaches just that page. Null when this checker cannot tell.
   */
  #earlyWakePage(
    tid: number,
    r: { wake: number | null; req: number | null },
    ps: number,
  ): number | null {
    const q = r.req === null ? undefined : this.#requests.get(r.req);
    const c = this.#stepCall;
    if (q === undefined || q.primary !== tid || r.wake === null || c === null) return null;
    const op = c.name === "zx_pager_op_range";
    const off = op ? c.args[3] : c.args[2], len = op ? c.args[4] : c.args[3];
    if (typeof off !== "number" || typeof len !== "number") return null;
    const fe = Math.min(Math.ceil((off + len) / ps), q.end);
    if (c.name === "zx_pager_op_range" && c.args[1] === ZX_PAGER_OP_FAIL) return fe;
    if (c.name === "zx_pager_supply_pages" && fe === r.wake + 1) return fe;
    return null;
  }

  /**
   * `complete-wakes`: a request that completes wakes, in the completing step, every thread parked
   * on it: its primary and each overlap waiter (upstream `PageSource::CompleteRequestLocked`
   * signals the request's event and every overlap request's, zircon/kernel/vm/page_source.cc @
   * misttech/fuchsia ce4be33a; spec 3.6: "at zero the request completes and the primary thread
   * and all overlap waiters wake"). The same obligation as an OP_FAIL that resolves a request
   * whole (above), for any completion: a supply, OP_DIRTY, a shrink or a zero. Without it a
   * kernel that wakes only the primary is a hang at the run's end (no-lost-requests), with the
   * forgotten waiter's own later failure split off as another signature.
   */
  #completeOwes(
    tid: number,
    id: number,
    q: { vmo: number; start: number; end: number },
    primary: boolean,
    step: number,
  ): void {
    // (Numbers, not the message: a completion's waiters are almost always woken in its step.)
    this.#wakeDue.set(tid, {
      tid,
      id,
      vmo: q.vmo,
      start: q.start,
      end: q.end,
      primary,
      step,
      joined: this.#joinedAt.get(tid),
    });
  }

  #perWaiter(e: KernelEvent, world: World): void {
    const ps = world.kernel.pageSize;
    switch (e.k) {
      case "supply":
        // (As the step's first supply that filled a page found them: `#filledAny` says whether
        // one did, as `#filled`'s size said when every filled page was recorded.)
        if (!this.#filledAny && this.#parkedAtSupply.size === 0) {
          const reads = this.#reads;
          for (let i = 0; i < reads.size; i++) {
            const tid = reads.keyAt(i), r = reads.valueAt(i);
            if (!r.off && r.req !== null && r.wake !== null) {
              const at = { req: r.req, start: r.start, wake: r.wake, parked: r.parked };
              this.#parkedAtSupply.set(tid, at);
            }
          }
        }
        if (e.inserted) {
          for (const q of this.#requests.values()) {
            if (q.vmo === e.vmo && e.page >= q.start && e.page < q.end) {
              q.lastFilled = Math.max(q.lastFilled, e.page);
            }
          }
          this.#filledAny = true;
          if (this.#parkedAtSupply.size > 0) this.#filled.add(filledKey(e.vmo, e.page));
        }
        return;
      case "request":
        this.#leave(e.tid);
        this.#requests.set(e.id, {
          vmo: e.vmo,
          start: e.start,
          end: e.end,
          primary: e.tid,
          overlap: [],
          lastFilled: -1,
        });
        this.#joinedAt.set(e.tid, world.step);
        this.#join(e.tid, e.id, e.vmo, ps);
        this.#copies.get(e.tid)?.add(e.vmo);
        return;
      case "coalesce": {
        this.#copies.get(e.tid)?.add(e.vmo);
        this.#leave(e.tid);
        const q = this.#requests.get(e.id);
        if (q === undefined) return;
        q.overlap.push(e.tid);
        this.#joinedAt.set(e.tid, world.step);
        this.#join(e.tid, e.id, e.vmo, ps);
        return;
      }
      case "resolve": {
        const q = this.#requests.get(e.id);
        this.#requests.delete(e.id);
        if (q === undefined) return;
        // The primary, then the overlap waiters (indexed: no array made per resolve).
        const primary = q.primary, overlap = q.overlap;
        for (let i = primary === null ? 0 : -1; i < overlap.length; i++) {
          const tid = i < 0 ? primary as number : overlap[i];
          if (this.#attachedTo.get(tid) !== e.id) continue;
          this.#attachedTo.delete(tid);
          if (
            e.how === "complete" && (this.#reads.get(tid)?.parked ?? this.#pagerParked.has(tid))
          ) {
            this.#completeOwes(tid, e.id, q, tid === primary, world.step);
          }
          const r = this.#reads.get(tid);
          if (r === undefined || r.req !== e.id) continue;
          r.req = null;
          r.kept = false; // its next wait is on a new request, which starts unsignalled
          // A running reader is not signalled by the completion: the error it was to get
          // when it waited again is gone with the request (its next wait makes a new one).
          if (e.how !== "cancel" && !r.parked && r.expect?.strict === false) r.expect = null;
        }
        return;
      }
      case "call": {
        // zx_task_suspend.md: a suspended thread runs no further until resumed; one held by a
        // wait that ignores suspension finishes its call and stops before the next.
        if (this.#suspended.has(e.tid)) {
          this.fail("suspend", `t${e.tid} started ${e.name} while suspended (no resume since)`);
        }
        this.#inCall.set(e.tid, e.name);
        const a = e.args;
        if (e.name === "zx_task_kill") this.#killing.set(e.tid, this.#killTarget(a[0]));
        const t = this.#traits;
        const userCopy = t.access && a.length > (t.required ?? a.length);
        if (userCopy) this.#copies.set(e.tid, new Set());
        // A read into a user buffer may wait on its copy's fault, not at its next page: not
        // judged.
        const write = e.name === "zx_vmo_write";
        if ((e.name === "zx_vmo_read" || write) && !userCopy) {
          const vmo = this.vmoOf(a[0]);
          const offset = write ? a[2] : a[1];
          // A write under TRAP_DIRTY also waits on DIRTY requests: not judged.
          if (
            vmo?.source && !(write && vmo.trapDirty) && typeof offset === "number" &&
            Number.isInteger(offset)
          ) {
            this.#reads.set(e.tid, {
              call: write ? "zx_vmo_write" : "zx_vmo_read",
              vmo: vmo.koid,
              offset,
              copied: 0,
              parked: false,
              off: false,
              expect: null,
              req: null,
              start: 0,
              wake: 0,
              whole: false,
              kept: false,
            });
          }
        }
        if (e.name === "zx_pager_op_range" && a[1] === ZX_PAGER_OP_FAIL) {
          const vmo = this.vmoOf(a[2]);
          const off = a[3], len = a[4];
          if (vmo === undefined || typeof off !== "number" || typeof len !== "number") return;
          const fs = Math.floor(off / ps), fe = Math.ceil((off + len) / ps);
          const hit: [number, boolean][] = [];
          const unsure: number[] = [];
          const moves: [number, number][] = [];
          const due: number[] = [];
          const reads = this.#reads;
          for (let i = 0; i < reads.size; i++) {
            const tid = reads.keyAt(i), r = reads.valueAt(i);
            if (r.vmo !== vmo.koid || r.off || r.req === null) continue;
            const h = this.#hits(tid, r, fs, fe);
            if (h === undefined) unsure.push(tid);
            else if (h) hit.push([tid, r.parked]);
            const q = this.#requests.get(r.req);
            if (h && r.parked && q !== undefined && this.#failWakes(tid, r, q, fs, fe)) {
              due.push(tid);
            }
            // A running primary is early-woken too (its signal kept until it waits again).
            if (!r.parked && q?.primary === tid && r.wake !== null && fe > q.start && fs < q.end) {
              if (Math.max(fs, q.start) === r.wake) moves.push([tid, Math.min(fe, q.end)]);
            }
          }
          // A range that covers a request whole completes it (its pending count cannot exceed
          // its length): upstream `CompleteRequestLocked` ends it and signals every waiter, so
          // any other thread parked on it is due to wake too.
          const whole: [number, { vmo: number; start: number; end: number }][] = [];
          for (const [id, q] of this.#requests) {
            if (q.vmo === vmo.koid && fs <= q.start && fe >= q.end) whole.push([id, q]);
          }
          const primaries: number[] = [];
          for (const tid of this.#pagerParked) {
            const id = this.#attachedTo.get(tid);
            const q = id === undefined ? undefined : this.#requests.get(id);
            if (reads.get(tid) !== undefined || q === undefined || q.vmo !== vmo.koid) continue;
            if (fs <= q.start && fe >= q.end) due.push(tid);
            if (q.primary === tid && fs <= q.start && fe > q.start) primaries.push(tid);
          }
          this.#failing.set(e.tid, { hit, unsure, moves, due, whole, primaries });
        } else if (this.#traits.resolver) {
          // Anything else that resolves READ requests may move a running reader's wake page:
          // a supply only from a page in [wake page, request end).
          const vmo = e.name === "zx_pager_supply_pages" ? this.vmoOf(a[1]) : undefined;
          // (Plain reads, not a destructured array literal: an array and its iterator per call.)
          const off = a[2], len = a[3];
          const reads = this.#reads;
          for (let i = 0; i < reads.size; i++) {
            const r = reads.valueAt(i);
            if (r.parked || r.req === null || r.wake === null) continue;
            const q = this.#requests.get(r.req);
            if (
              vmo !== undefined && vmo.koid !== r.vmo ||
              q !== undefined && vmo !== undefined && typeof off === "number" &&
                typeof len === "number" &&
                (Math.ceil((off + len) / ps) <= r.wake || Math.floor(off / ps) >= q.end)
            ) continue;
            r.wake = null;
          }
        }
        return;
      }
      case "page-fault":
        this.#exited.add(e.tid);
        return;
      case "copy":
      case "store": {
        const r = this.#reads.get(e.tid);
        const mine = e.k === "copy" ? "zx_vmo_read" : "zx_vmo_write";
        if (r !== undefined && r.call === mine && e.vmo === r.vmo) r.copied += e.bytes.length;
        return;
      }
      case "block": {
        if (this.#attachedTo.has(e.tid)) this.#pagerParked.add(e.tid);
        const r = this.#reads.get(e.tid);
        if (r === undefined) return;
        r.parked = true;
        // It waits for the first page it has not copied (`PopulateRequest` resets `wake_offset_`
        // to it on a same-request continuation; a new request starts there).
        r.wake = r.call === "zx_vmo_read" ? Math.floor((r.offset + r.copied) / ps) : null;
        if (r.kept && !r.off) {
          r.kept = false;
          this.#wakeDue.set(
            e.tid,
            `K11e: t${e.tid} zx_vmo_read of vmo${r.vmo} was early-woken while it ran (request #${r.req}); it waited again at page ${r.wake} and the kept signal did not wake it`,
          );
        }
        // Every pager wait of a reader follows the request or coalesce event of its request.
        if (r.req === null && !r.off && r.call === "zx_vmo_read") {
          this.fail(
            "coalesce",
            `t${e.tid} zx_vmo_read of vmo${r.vmo} parked at page ${r.wake} on no request it made or joined`,
          );
        }
        if (r.req === null) r.off = true;
        return;
      }
      case "wake": {
        this.#pagerParked.delete(e.tid);
        const r = this.#reads.get(e.tid);
        if (r !== undefined) r.parked = false;
        if (e.why === "early-wake") this.#earlyWoken.add(e.tid);
        // Spec 3.8: only reads wake early; a fault, commit or write waits for its request.
        if (e.why === "early-wake" && this.#inCall.get(e.tid) !== "zx_vmo_read") {
          this.fail(
            "K11e",
            `t${e.tid} woken early in ${
              this.#inCall.get(e.tid) ?? "a page fault"
            }: only zx_vmo_read waits with early wake`,
          );
        }
        // The page it was parked at, as the trace's "blocks ... at page N" said: the early wake
        // below moves the wake page past the range (userS28k: K14w named page 1, the trace 0).
        const parkedAt = r?.wake ?? r?.start;
        if (r !== undefined && e.why === "early-wake") r.wake = this.#earlyWakePage(e.tid, r, ps);
        const cancelled = e.why === "overtime" ||
          e.why === INTR_RETRY || e.why === INTR_KILLED;
        // Woken with the error it got while it ran: it returns that error.
        if (r?.expect?.strict === false && e.status === r.expect.status) r.expect.strict = true;
        // A parked reader an OP_FAIL hit is woken next with that error (the waiter's
        // `complete_status_`, which the early-wake and completion signals carry). The OP_FAIL
        // that wakes it may fail it again first, with another code: it is woken with that one
        // (the last OP_FAIL that failed it), though `expect` takes it only at that call's ret.
        // A wake with ZX_OK is judged against the OP_FAIL in progress whether or not an earlier
        // one failed the reader: woken ZX_OK by its first OP_FAIL, it asks again, and its next
        // request starts with no error (userS27k's va_fail_midrange_ok.ts took an OP_FAIL of
        // its request's first page, page 1, for a supply). A wake with another error returns
        // it, judged at the ret (K14 first, for a code no OP_FAIL passed).
        const now = r !== undefined && (r.expect?.strict || e.status === ZX_OK)
          ? this.#failingNow(e.tid)
          : undefined;
        const expect = now ?? r?.expect;
        if (
          r !== undefined && expect?.strict && !r.off && !cancelled && e.status !== expect.status
        ) {
          this.fail(
            "K14w",
            `t${e.tid} ${r.call} of vmo${r.vmo} parked at page ${parkedAt}, which OP_FAIL ${expect.range} failed with ${
              statusName(expect.status)
            }; it was woken (${e.why}) with ${statusName(e.status)}`,
          );
        }
        // A page fault's or commit's wait the OP_FAIL in progress failed: it is woken with the
        // error, not ZX_OK (a ZX_OK wake refaults and asks again: userS27k's
        // va_fail_midrange_ok.ts, whose livelock was a liveness stop, not K14w's).
        if (r === undefined && !cancelled && e.status === ZX_OK) {
          const failed = this.#failingPrimary(e.tid);
          if (failed !== undefined) {
            this.fail(
              "K14w",
              `t${e.tid} ${
                this.#inCall.get(e.tid) ?? "page fault"
              } parked as the primary of a request whose first page OP_FAIL ${
                failed[1]
              } failed with ${statusName(failed[0])}; it was woken (${e.why}) with ZX_OK`,
            );
          }
        }
        // A cancelled wait: suspend or kill (the wake names the status) or overtime.
        if (!cancelled) return;
        this.#leave(e.tid);
        // A suspended reader retries with a fresh request; a killed or timed-out one is done.
        if (r !== undefined && e.why !== INTR_RETRY) r.off = true;
        if (r !== undefined) r.expect = null;
        return;
      }
      case "thread": {
        if (e.what === "suspended") this.#suspended.add(e.tid);
        else this.#suspended.delete(e.tid);
        // A dead thread is not killed again: `Thread::Kill` returns at once on THREAD_DEATH.
        if (e.what === "killed" && (this.#killed.has(e.tid) || this.#exited.has(e.tid))) {
          this.fail(
            "kill",
            `t${e.tid} killed again after the trace named it ${
              this.#killed.has(e.tid) ? "killed" : "exited or crashed"
            }: a kill of a dead thread does nothing`,
          );
        }
        // A thread dies by a kill only when one asked for it: kernel code kills a thread only in
        // `zx_task_kill` (its body, while the call is in flight) or as a kill deferred in a
        // harness entry takes effect when the thread leaves it (`Thread::Kill` is the only way
        // in, zircon/kernel/kernel/thread.cc @ vsrinivas/fuchsia 0060d78a).
        if (
          e.what === "killed" && !this.#killDeferred.has(e.tid) && !this.#killedByCall(e.tid)
        ) {
          this.fail(
            "kill",
            `t${e.tid} killed, but no zx_task_kill naming it is in flight and no kill of it was deferred`,
          );
        }
        if (e.what === "killed") this.#killed.add(e.tid);
        if (e.what === "exited") this.#exited.add(e.tid);
        if (e.what === "kill-deferred") this.#killDeferred.add(e.tid);
        else if (e.what === "killed") this.#killDeferred.delete(e.tid);
        else if (e.what === "exited" && this.#killDeferred.has(e.tid)) {
          this.fail(
            "kill",
            `t${e.tid} exited normally after its kill was deferred (kill-deferred): a kill deferred in a harness entry takes effect when the thread leaves the entry`,
          );
        }
        const r = this.#reads.get(e.tid);
        if (r !== undefined && e.what === "killed") r.off = true;
        // Spec 3.5 (test Pager.SuspendReadTest): a suspend interrupts a reader's pager wait.
        if (
          r !== undefined && r.call === "zx_vmo_read" && e.what === "suspended" && r.parked &&
          !r.off
        ) {
          this.#wakeDue.set(
            e.tid,
            `suspend: t${e.tid} zx_vmo_read of vmo${r.vmo} parked at page ${r.wake} was suspended and its wait went on`,
          );
        }
        return;
      }
      case "ret": {
        if (e.name === "zx_task_kill") this.#judgeKill(e.tid, e.status);
        // The kernel's internal status of a killed thread's interrupted wait: no call of a
        // thread that was not killed returns it.
        if (e.status === ZX_ERR_INTERNAL_INTR_KILLED && !this.#killed.has(e.tid)) {
          this.fail(
            "suspend",
            `t${e.tid} ${e.name} returned ZX_ERR_INTERNAL_INTR_KILLED, never killed`,
          );
        }
        if (e.name === "zx_pager_op_range") {
          const f = this.#failing.get(e.tid);
          this.#failing.delete(e.tid);
          const call = this.#lastOpFail.get(e.tid);
          if (e.status !== ZX_OK || call === undefined || f === undefined) return;
          for (const [id, q] of f.whole) {
            if (this.#requests.get(id) !== q) continue;
            this.fail(
              "K14w",
              `vmo${q.vmo} request #${id} [${q.start},${q.end}) is still outstanding after OP_FAIL ${
                call[1]
              } (${statusName(call[0])}) covered it whole and returned ZX_OK`,
            );
          }
          for (const [tid, parked] of f.hit) {
            const r = this.#reads.get(tid);
            if (r === undefined || r.off) continue;
            // A reader already woken with an earlier error returns that one.
            if (!parked && r.expect?.strict) continue;
            r.expect = { status: call[0], range: call[1], strict: parked };
          }
          for (const tid of f.due) {
            const r = this.#reads.get(tid);
            if (r === undefined) {
              const id = this.#attachedTo.get(tid);
              const q = id === undefined ? undefined : this.#requests.get(id);
              if (q === undefined) continue;
              this.#wakeDue.set(
                tid,
                `K14w: t${tid} ${
                  this.#inCall.get(tid) ?? "page fault"
                } parked on vmo${q.vmo} request #${id} [${q.start},${q.end}), which OP_FAIL ${
                  call[1]
                } failed whole with ${
                  statusName(call[0])
                } (the OP_FAIL returned ZX_OK); it was not woken`,
              );
              continue;
            }
            if (r.off) continue;
            this.#wakeDue.set(
              tid,
              `K14w: t${tid} ${r.call} of vmo${r.vmo} parked at page ${
                r.wake ?? r.start
              }, which OP_FAIL ${call[1]} failed with ${
                statusName(call[0])
              } (the OP_FAIL returned ZX_OK); it was not woken`,
            );
          }
          for (const [tid, page] of f.moves) {
            const r = this.#reads.get(tid);
            if (r === undefined || r.req === null) continue; // completed: nobody is signalled
            r.wake = page;
            r.kept = true;
          }
          for (const tid of f.unsure) {
            const r = this.#reads.get(tid);
            if (r !== undefined) r.off = true;
          }
          return;
        }
        this.#inCall.delete(e.tid);
        // The call leaves its request as it returns; a fail-instead-of-block caller is released
        // without handing its request on.
        this.#leave(e.tid, e.status !== ZX_ERR_SHOULD_WAIT);
        if (e.name !== "zx_vmo_read" && e.name !== "zx_vmo_write") return;
        const r = this.#reads.get(e.tid);
        this.#reads.delete(e.tid);
        // Hit while it ran and returned without waiting again: the error never reached it.
        if (r === undefined || r.off || r.expect?.strict === false) return;
        const page = Math.floor((r.offset + r.copied) / ps);
        if (r.expect !== null && e.status !== r.expect.status) {
          this.fail(
            "K14w",
            `t${e.tid} ${r.call} of vmo${r.vmo} waited at page ${page}, which OP_FAIL ${r.expect.range} failed with ${
              statusName(r.expect.status)
            }; it returned ${statusName(e.status)}`,
          );
        }
        const failure = FAIL_ONLY.has(e.status) ||
          (e.status === ZX_ERR_BAD_STATE && !this.#detached.has(r.vmo));
        if (r.expect === null && failure) {
          this.fail(
            "K14w",
            `t${e.tid} ${r.call} of vmo${r.vmo} returned ${
              statusName(e.status)
            }, but no OP_FAIL failed the page it waited at (page ${page})`,
          );
        }
        return;
      }
    }
  }

  /** The traits of the call the event being judged begins or ends ({@linkcode NO_TRAITS}: none). */
  #traits: CallTraits = NO_TRAITS;

  /** The code and range text of each thread's OP_FAIL in progress. */
  readonly #lastOpFail = new TidMap<[Status, string]>();

  /** The code and range text of an OP_FAIL in progress that failed parked primary `tid`. */
  #failingPrimary(tid: number): [Status, string] | undefined {
    const failing = this.#failing;
    for (let i = 0; i < failing.size; i++) {
      if (!failing.valueAt(i).primaries.includes(tid)) continue;
      const call = this.#lastOpFail.get(failing.keyAt(i));
      if (call !== undefined) return call;
    }
    return undefined;
  }

  /**
   * What an OP_FAIL in progress (its call seen, its ret not yet) that hit parked thread `tid`
   * has it expect: that OP_FAIL's code, strictly. Undefined when none is in progress or it did
   * not hit `tid` parked.
   */
  #failingNow(tid: number): { status: Status; range: string; strict: true } | undefined {
    const failing = this.#failing;
    for (let i = 0; i < failing.size; i++) {
      const call = this.#lastOpFail.get(failing.keyAt(i));
      if (call === undefined) continue;
      for (const [t, parked] of failing.valueAt(i).hit) {
        if (t === tid && parked) return { status: call[0], range: call[1], strict: true };
      }
    }
    return undefined;
  }

  /**
   * `event-form`: every event the kernel emits is one the trace knows (`KernelEvent`: a kind of
   * its own, a `block` that names what it waits on, a `thread` event with one of its five
   * changes). The readers of the trace, checkers and users alike, take an event as its kind
   * says: an event with no kind is one no reader sees, a block that names nothing an
   * unexplained wait.
   */
  protected override readonly immediateKinds: ReadonlySet<KernelEvent["k"]> = FORM_KINDS;
  protected override readonly immediateOtherKinds = true;

  /** `event-form` of a call's `call` and `ret` events (`_call_shape.ts`). */
  #shape(problem: string | undefined): void {
    if (problem !== undefined) this.fail("event-form", problem);
  }

  protected override immediate(e: KernelEvent): void {
    if (!KNOWN_KINDS.has(e.k)) {
      this.fail("event-form", `the kernel emitted an event of no known kind: ${formText(e)}`);
    } else if (e.k === "block" && (typeof e.on !== "string" || e.on.length === 0)) {
      this.fail("event-form", `t${e.tid} blocked on nothing named: ${formText(e)}`);
    } else if (e.k === "thread" && !THREAD_WHATS.has(e.what)) {
      this.fail("event-form", `t${e.tid}'s thread event says no known change: ${formText(e)}`);
    }
  }

  protected override onStepEvent(e: KernelEvent, call: Call | undefined, world: World): void {
    // The kind is read once, and each part is called only for the kinds it judges (an event's
    // field loads are megamorphic: ~19 event shapes).
    const k = e.k;
    if (k === "call") {
      if (e.tid === world.running?.tid) this.#stepCall = e;
      if (e.name === "zx_pager_op_range" && e.args[1] === ZX_PAGER_OP_FAIL) {
        this.#lastOpFail.set(e.tid, [e.args[5] as Status, `[${e.args[3]}, +${e.args[4]})`]);
      }
      const t = this.#traits = TRAITS.get(e.name) ?? NO_TRAITS;
      const last = t.pagerVmoArg;
      this.#allChecked = false;
      if (last !== undefined) {
        const ps = world.kernel.pageSize;
        let st: Status;
        if (t.runOutChecked) {
          // K27's allocation check (`#noMemory`, next) asks for every handle's lookup; when all
          // pass, those up to the pager's VMO pass too: one walk of the arguments, not two.
          const all = this.#allAtCall = this.#expected(e.name, e.args, ps, this.#lastParam(e.name));
          this.#allChecked = true;
          st = all === ZX_OK ? ZX_OK : this.#expected(e.name, e.args, ps, last);
        } else st = this.#expected(e.name, e.args, ps, last);
        this.#atEntry.set(e.tid, st);
      }
    } else this.#traits = k === "ret" ? TRAITS.get(e.name) ?? NO_TRAITS : NO_TRAITS;
    const callOrRet = k === "call" || k === "ret";
    if (callOrRet || k === "thread") this.#pairing(e);
    if (callOrRet) this.#noMemory(e, world.kernel.pageSize);
    // (Its shape from the traits already looked up: one lookup of the name per event.)
    if (callOrRet) this.#shape(shapeProblem(e, this.#traits.shape));
    // K14 first: an error never passed to OP_FAIL is K14's, whoever got it.
    if (k === "ret" || k === "detach" || k === "page-fault" || k === "wake") {
      this.#contract(e, call, world);
    }
    this.#perWaiter(e, world);
    if (k === "block") this.#noBlock(blockedInsteadOfFailing(e, call, world));
    if (k === "call" || k === "block" || k === "request" || k === "ret") {
      this.#noBlock(this.#requestsSent.hear(e, call, world));
    }
    if (k === "block") this.#waitText(pagerWaitTextProblem(e, world));
    if (k === "block") this.#waitText(syncWaitTextProblem(e, call, world));
  }

  /** `fail-instead-of-block`: see properties/_fail_instead_of_block.ts. */
  #noBlock(problem: string | null): void {
    if (problem !== null) this.fail("fail-instead-of-block", problem);
  }

  /** `wait-text`: see properties/_pager_wait_text.ts and properties/_sync_wait_text.ts. */
  #waitText(problem: string | null): void {
    if (problem !== null) this.fail("wait-text", problem);
  }

  /**
   * The thread a `zx_task_kill` handle names (the step journal's table says which object a value
   * names, as every checker's `vmoOf` reads it), if the trace has not named it killed, exited or
   * crashed (a fatal `page-fault`); else -1.
   */
  #killTarget(handle: unknown): number {
    const o = this.entry(handle)?.object;
    if (o === undefined || o.objType !== ZX_OBJ_TYPE_THREAD) return -1;
    const tid = (o as KThread).tid;
    return this.#killed.has(tid) || this.#exited.has(tid) ? -1 : tid;
  }

  /** Whether a `zx_task_kill` in flight names thread `tid` (alive at its call). */
  #killedByCall(tid: number): boolean {
    for (let i = 0; i < this.#killing.size; i++) if (this.#killing.valueAt(i) === tid) return true;
    return false;
  }

  /**
   * `kill`: a `zx_task_kill` that returned ZX_OK on a thread alive at the call has, by its
   * return, killed it (`killed`) or marked it to die when it leaves its harness entry
   * (`kill-deferred`, now or by an earlier kill still pending). Upstream `Thread::Kill` sets
   * `THREAD_SIGNAL_KILL` and, by the thread's state, wakes it from a blocked wait or leaves it to
   * exit at its next kernel boundary; it never returns ZX_OK having done neither
   * (zircon/kernel/kernel/thread.cc @ vsrinivas/fuchsia 0060d78a, `zx_task_kill.md`). From the
   * call, its return and the `thread` events alone.
   */
  #judgeKill(tid: number, status: Status): void {
    const target = this.#killing.get(tid);
    this.#killing.delete(tid);
    if (target === undefined || target < 0 || status !== ZX_OK) return;
    if (this.#killed.has(target) || this.#killDeferred.has(target)) return;
    this.fail(
      "kill",
      `t${tid} zx_task_kill of t${target}, alive at the call, returned ZX_OK and the trace names t${target} neither killed nor kill-deferred`,
    );
  }

  protected override endStep(world: World): void {
    this.#stepCall = null;
    if (this.#parkedAtSupply.size > 0) this.#earlyWakeDue();
    else if (this.#earlyWoken.size > 0) this.#earlyWakeUnfilled(world);
    if (this.#earlyWoken.size > 0) this.#earlyWoken.clear();
    if (this.#wakeDue.size > 0) {
      const due = this.#wakeDue;
      for (let i = 0; i < due.size; i++) {
        const tid = due.keyAt(i), owed = due.valueAt(i);
        if (this.#reads.get(tid)?.parked ?? this.#pagerParked.has(tid)) {
          const what = typeof owed === "string" ? owed : completeOwedText(owed);
          this.fail(what.slice(0, what.indexOf(":")), what.slice(what.indexOf(":") + 2));
        }
      }
      this.#wakeDue.clear();
    }
    if (this.#filled.size > 0) this.#filled.clear();
    this.#filledAny = false;
    if (this.#parkedAtSupply.size > 0) this.#parkedAtSupply.clear();
  }

  /**
   * K11e: a parked reader that is its request's primary is woken in the step whose supply
   * fills the page it waits for, when the filled run starts there (the page before it was not
   * filled too, or it is the request's first page): `ResolveRequestsLocked` then early-wakes
   * the request (`req_offset == wake_offset_`) or completes it (zircon/kernel/vm/page_source.cc
   * @ misttech/fuchsia ce4be33a).
   */
  #earlyWakeDue(): void {
    // The messages are made only when a reader fails: what each names is kept as numbers (a
    // supply step with parked readers used to build every message it might need).
    const due = this.#due;
    let dueN = 0;
    // Parked readers this supply may not wake early: neither due nor unknown to this checker.
    // Asked only about readers woken early in this step: worked out only if there are some.
    const askNever = this.#earlyWoken.size > 0;
    const never = this.#never;
    if (never.size > 0) never.clear();
    const parked = this.#parkedAtSupply;
    for (let i = 0; i < parked.size; i++) {
      const tid = parked.keyAt(i), at = parked.valueAt(i);
      const r = this.#reads.get(tid);
      const w = at.wake;
      if (r === undefined || r.off) continue;
      // Its request as the step began (a completion has since dropped it: all were woken).
      const q = this.#requests.get(at.req);
      if (q === undefined || q.primary !== tid) continue;
      if (!this.#isFilled(r.vmo, w) || w > q.start && this.#isFilled(r.vmo, w - 1)) {
        // The supply resolved nothing from its wake page: no early wake of this request, for
        // the primary and its overlap waiters alike (`ResolveRequestsLocked` signals only there).
        if (!askNever) continue;
        for (let j = -1; j < q.overlap.length; j++) {
          const o = j < 0 ? tid : q.overlap[j];
          const ro = this.#parkedAtSupply.get(o);
          if (ro?.parked && ro.req === at.req) never.set(o, { by: tid, w, hi: -1 });
        }
        continue;
      }
      let hi = w;
      while (hi < q.end && this.#isFilled(r.vmo, hi)) hi++;
      // `EarlyWakeRequestLocked` moves the wake page to the end of the run and signals: a parked
      // primary wakes, a running one keeps the signal for its next wait.
      if (r.req === at.req) r.wake = hi;
      if (at.parked) {
        due[dueN++] = { tid, page: w, req: at.req, start: q.start, end: q.end, by: -1, w, hi };
      } else if (r.req === at.req) r.kept = true;
      // Each early-wake overlap waiter whose wake page the run covers, or one the run starts
      // past (pages supplied out of order: `EarlyWakeRequestLocked` wakes it anyway). A waiter
      // past its first page is judged only when the run starts past it: whether the run covers
      // its wake page inside its own range depends on its own end, unknown here.
      for (let j = 0; j < q.overlap.length; j++) {
        const o = q.overlap[j];
        const ro = this.#parkedAtSupply.get(o);
        if (ro === undefined || !ro.parked || ro.req !== at.req) continue;
        if (this.#reads.get(o)?.off !== false) continue;
        const past = w > ro.start && w > ro.wake;
        const covers = ro.wake === ro.start && w <= ro.start && ro.start < hi;
        if (askNever && !past && (ro.wake < w || ro.wake >= hi)) {
          never.set(o, { by: tid, w, hi });
        }
        if (past || covers) {
          due[dueN++] = {
            tid: o,
            page: ro.wake,
            req: at.req,
            start: q.start,
            end: q.end,
            by: tid,
            w,
            hi,
          };
        }
      }
    }
    for (let i = 0; i < dueN; i++) {
      const d = due[i];
      const r = this.#reads.get(d.tid);
      if (r === undefined || !r.parked) continue;
      const what = d.by < 0
        ? `page ${d.page} of request #${d.req} [${d.start},${d.end})`
        : `page ${d.page} inside request #${d.req} [${d.start},${d.end}) of t${d.by}`;
      this.fail(
        "K11e",
        `t${d.tid} zx_vmo_read of vmo${r.vmo} waits at ${what}; a supply filled pages [${d.w},${d.hi}) and was not woken`,
      );
    }
    if (!askNever) return;
    for (const tid of this.#earlyWoken) {
      const n = never.get(tid);
      const at = this.#parkedAtSupply.get(tid);
      if (n === undefined || at === undefined) continue;
      const why = n.hi < 0
        ? `no run of the supply started at page ${n.w}, t${n.by}'s wake page`
        : `t${n.by}'s early wake over pages [${n.w},${n.hi}) neither covers nor passes it`;
      this.fail(
        "K11e",
        `t${tid} zx_vmo_read parked at page ${at.wake} of request #${at.req} was woken early by a supply, but ${why}`,
      );
    }
  }

  /**
   * K11e, the converse: a supply early-wakes a reader only from the pages it filled
   * (`OnPagesSupplied` reports the runs it filled to `ResolveRequestsLocked`, which early-wakes a
   * request whose wake page a run starts at; zircon/kernel/vm/page_source.cc @ misttech/fuchsia
   * ce4be33a): a step of a `zx_pager_supply_pages` that filled no page and early-woke a reader
   * woke it before its page was in (a supply that wakes first and installs after a scheduling
   * point: userS26k's v2c). Judged when the supply's call is still open at the step's end.
   */
  #earlyWakeUnfilled(world: World): void {
    const running = world.running?.tid;
    if (running === undefined || this.#inCall.get(running) !== "zx_pager_supply_pages") return;
    for (const tid of this.#earlyWoken) {
      const r = this.#reads.get(tid);
      if (r === undefined || r.off) continue;
      this.fail(
        "K11e",
        `t${tid} zx_vmo_read of vmo${r.vmo} was woken early by t${running} zx_pager_supply_pages in a step that filled no page: a supply early-wakes a reader from the pages it filled`,
      );
    }
  }

  /** Whether this step's supplies filled page `p` of the VMO with koid `vmo`. */
  #isFilled(vmo: number, p: number): boolean {
    return this.#filled.has(filledKey(vmo, p));
  }

  /**
   * K27 for allocations: a call that may run out of memory allocates only after its argument
   * checks (the table's alignments and handle lookups, as they stood when it was called), so
   * NO_MEMORY after a check that failed is out of order. The checks' outcome per thread in such
   * a call.
   */
  readonly #checksAtCall = new TidMap<Status>();
  /**
   * The call event being judged, when it is a pager call that may run out of memory: the first
   * failing check of all its arguments ({@linkcode SyscallContract.#expected} up to its last),
   * worked out once for both K27 checks of the call.
   */
  #allAtCall: Status = ZX_OK;
  #allChecked = false;

  /** The index of the last parameter of syscall `name`. */
  #lastParam(name: string): number {
    return spec(name as SyscallName).params.length - 1;
  }

  #noMemory(e: KernelEvent, ps: number): void {
    if (e.k === "call" && this.#traits.mayRunOut) {
      // No check to make: they pass (an earlier call's outcome is dropped as a pass would be).
      if (!this.#traits.runOutChecked) {
        this.#checksAtCall.delete(e.tid);
        return;
      }
      // The reference's own argument checks come first (before any lookup), then the table's
      // (worked out already at this call when it is a pager call's too).
      const first = referenceArgumentStatus(e.name, e.args, ps);
      this.#checksAtCall.set(
        e.tid,
        first !== ZX_OK
          ? first
          : this.#allChecked
          ? this.#allAtCall
          : this.#expected(e.name, e.args, ps, this.#lastParam(e.name)),
      );
    } else if (e.k === "ret" && this.#checksAtCall.has(e.tid)) {
      const first = this.#checksAtCall.get(e.tid);
      this.#checksAtCall.delete(e.tid);
      if (e.status === ZX_ERR_NO_MEMORY && first !== ZX_OK && first !== undefined) {
        this.fail(
          "K27",
          `t${e.tid} ${e.name} returned ZX_ERR_NO_MEMORY; its argument checks say ${
            statusName(first)
          } first`,
        );
      }
    }
  }

  /** `ret`: every call returns once, under its own name, before its thread calls again or exits. */
  #pairing(e: KernelEvent): void {
    if (e.k === "call") {
      const open = this.#open.get(e.tid);
      // A load or store refaults a page as a new `call` of the same name (INTR_RETRY).
      if (open !== undefined && !(open === e.name && MEMORY_ACCESSES.has(open))) {
        this.fail("ret", `t${e.tid} called ${e.name} while its ${open} had not returned`);
      }
      this.#open.set(e.tid, e.name);
    } else if (e.k === "ret") {
      const open = this.#open.get(e.tid);
      if (open !== e.name) {
        this.fail(
          "ret",
          `t${e.tid} returned from ${JSON.stringify(e.name)}, but it was in ${open ?? "no call"}`,
        );
      }
      this.#open.delete(e.tid);
    } else if (e.k === "thread" && e.what === "exited") {
      // (A killed or crashed thread never runs again: its call may stay open, nothing follows.)
      const open = this.#open.get(e.tid);
      if (open !== undefined) this.fail("ret", `t${e.tid} exited in ${open}, which never returned`);
    }
  }

  /** `status` for a status number the trace shows by name in `e` (not a `ret`'s: that is above). */
  #shown(n: number, e: KernelEvent): void {
    const bad = shownStatusProblem(n);
    if (bad !== undefined) this.fail("status", `the trace shows ${bad} (${formText(e)})`);
  }

  #contract(e: KernelEvent, call: Call | undefined, world: World): void {
    if (e.k === "detach") this.#detached.add(e.vmo);
    if (e.k === "page-fault" && e.vmo >= 0) {
      // A clone's faults are its root's: detach and OP_FAIL codes are recorded on the root.
      const root = world.kernel.rootVmar.find(e.addr)?.vmo.root;
      const koid = root?.source ? root.koid : e.vmo;
      this.#pagerError(e.tid, koid, e.synth, `fault at 0x${e.addr.toString(16)}`);
    }
    // The trace shows a wake's status and a fatal fault's by name: errors.h's (`_zx_status.ts`).
    if (e.k === "wake" || e.k === "page-fault") this.#shown(e.k === "wake" ? e.status : e.synth, e);
    if (e.k !== "ret") return;
    // Every syscall returns a Zircon status (one a wait hands back included), numbered as
    // upstream's errors.h numbers the kernel's name for it (`_zx_status.ts`).
    const bad = upstreamStatusProblem(e.status);
    if (bad !== undefined) this.fail("status", `t${e.tid} ${e.name} returned ${bad}`);
    if (call === undefined || call.name !== e.name) return;
    const a = call.args;
    const ps = world.kernel.pageSize;
    const t = this.#traits;
    const entry = this.#atEntry.get(e.tid);
    this.#atEntry.delete(e.tid);
    const expected = entry ?? this.#expected(call.name, a, ps, t.pagerVmoArg);
    if (expected !== ZX_OK && e.status !== expected) {
      this.fail(
        "K27",
        `t${e.tid} ${e.name}(${a.join(", ")}) returned ${
          statusName(e.status)
        }; argument order says ${statusName(expected)}`,
      );
    }
    // OP_FAIL's `data`, shown by its status name (`sim/trace.ts` `callArg`), refused or not.
    if (e.name === "zx_pager_op_range" && a[1] === ZX_PAGER_OP_FAIL) {
      const data = a[5];
      if (typeof data === "number" && data < 0) this.#shown(data, e);
    }
    const vmoArg = t.pagerVmoArg;
    if (e.status === ZX_OK && vmoArg !== undefined) {
      const vmo = this.vmoOf(a[vmoArg]);
      const pager = this.entry(a[0])?.object;
      if (vmo === undefined || vmo.source === null || vmo.pagerKoid !== pager?.koid) {
        this.fail("K22", `t${e.tid} ${e.name} succeeded on a VMO that is not this pager's`);
      }
      if (e.name === "zx_pager_op_range" && a[1] === ZX_PAGER_OP_FAIL) {
        if (!UPSTREAM_FAIL_CODES.includes(a[5] as number)) {
          this.fail("K14", `OP_FAIL accepted code ${a[5]}`);
        }
        let codes = this.#failCodes.get(vmo.koid);
        if (codes === undefined) this.#failCodes.set(vmo.koid, codes = new Set());
        codes.add(a[5] as number);
      }
    }
    // `zx_pmt_unpin` consumes its handle (`sys_pmt_unpin` removes it first, RemoveHandle,
    // zircon/kernel/lib/syscalls/ddk.cc @ gnoliyil/fuchsia 014097ec; the model checks the type
    // before, so it consumes it on success only).
    if ((e.name === "zx_handle_close" || e.name === "zx_pmt_unpin") && e.status === ZX_OK) {
      this.#closed.add(a[0] as number);
    }
    if (e.name === "zx_handle_replace") this.#closed.add(a[0] as number);
    if (t.access && e.status !== ZX_OK) {
      const vmo = this.vmoOf(a[0]);
      if (vmo?.source) {
        this.#pagerError(e.tid, vmo.koid, e.status, e.name, this.#copies.get(e.tid));
      }
    }
    if (t.access) this.#copies.delete(e.tid);
    if (e.name === "zx_object_get_info" && e.status === ZX_OK && a[1] === ZX_INFO_VMO) {
      const thread = world.threads[e.tid - 1];
      const vmo = this.vmoOf(a[0]);
      if (thread === undefined || vmo === undefined) return;
      const flags = probeInfo(world.kernel, thread.k, a[0] as number);
      const backed = flags !== null && (flags & ZX_INFO_VMO_PAGER_BACKED) !== 0;
      // A pager VMO's descendants (clones, slices, references) are pager-backed too (spec 1.2).
      if (backed !== (vmo.root.source !== null)) {
        this.fail("K23", `vmo${vmo.koid} reports PAGER_BACKED=${backed}`);
      }
    }
  }
}
