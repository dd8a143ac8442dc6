/**
 * `arg-edges`: a correct pager that, before it serves its readers, makes the calls whose
 * arguments a user's JS service can get wrong in ways no program can (programs draw finite
 * numbers; `ArgSchema`), and checks each status against upstream's documented answer, not the
 * kernel's table: a status that differs is the service's fault (it throws), so the campaign
 * judge's scenario probes see it. Each check has a call that fails only it and, where one can
 * succeed without touching the readers' pages, one that passes it.
 *
 * - Ports: a packet that is no object (undefined, null, a number) or whose key is no uint64
 *   (NaN, a fraction, a string) is ZX_ERR_INVALID_ARGS ("*packet* is an invalid pointer",
 *   docs/reference/syscalls/port_queue.md @ gnoliyil/fuchsia 3a0300d1; a C `uint64_t key`
 *   cannot hold the others); a user packet is queued (ZX_OK) and `zx_port_wait` hands it back
 *   with its key, status and user words, then finds the port empty (ZX_ERR_TIMED_OUT at a past
 *   deadline, port_wait.md). A deadline that is no number (NaN, a string: no `zx_time_t` is one)
 *   is ZX_ERR_INVALID_ARGS, never a wait: a kernel that parks on it never wakes, and the readers
 *   are never served (a hang).
 * - `zx_vmo_create_contiguous`: `sys_vmo_create_contiguous` (zircon/kernel/lib/syscalls/vmo.cc):
 *   size 0, or an alignment_log2 that is neither 0 nor in [PAGE_SIZE_SHIFT, 64), is
 *   ZX_ERR_INVALID_ARGS; so is one that is no uint32 (NaN, a fraction, negative); 0 (the page
 *   size) creates the VMO (or ZX_ERR_NO_MEMORY, which the scenario injects).
 * - Futexes (futex_wait.md @ gnoliyil/fuchsia 3a0300d1): a `new_futex_owner` that is no valid
 *   handle is ZX_ERR_BAD_HANDLE when the word held `current_value`, ZX_ERR_BAD_STATE when not
 *   (the value first: "not a valid handle AND *current_value* matches"); a handle that is no
 *   thread is ZX_ERR_WRONG_TYPE; the caller itself as owner is ZX_ERR_INVALID_ARGS
 *   (FutexContext::FutexWait, futex_context.cc @ vsrinivas/fuchsia 04544766: "if
 *   (new_owner == current_thread) return ZX_ERR_INVALID_ARGS"); no owner and a past deadline is
 *   ZX_ERR_TIMED_OUT. `zx_futex_wake` of a pointer into the middle of a word is
 *   ZX_ERR_INVALID_ARGS ("*value_ptr* is not aligned", futex_wake.md), of the word with a
 *   uint32 count ZX_OK, with a count that is no uint32 ZX_ERR_INVALID_ARGS.
 * - Supplies (pager_supply_pages.md @ gnoliyil/fuchsia 0030d76c): an *offset*, *length* or
 *   *aux_offset* that is not page aligned (or negative: no `uint64_t` offset is) is
 *   ZX_ERR_INVALID_ARGS, and the scenario injects allocation failures: "ZX_ERR_NO_MEMORY Failure
 *   due to lack of memory" comes from the work after those checks (sys_pager_supply_pages checks
 *   the alignments before it looks at a handle), so it is never the answer to a misaligned call;
 *   each is made four times. An *aux_vmo* with a pinned page in the range ("must have no pinned
 *   pages in the specified range") is ZX_ERR_BAD_STATE (or NO_MEMORY), its pages left where they
 *   are; pinned at either end of the range.
 * - `zx_vmar_op_range` with an *op* that names no VMAR operation (0, 99) is ZX_ERR_INVALID_ARGS
 *   before anything else is looked at (`VmAddressRegionDispatcher::RangeOp` tries the ops one by
 *   one and ends in "return ZX_ERR_INVALID_ARGS", zircon/kernel/object/
 *   vm_address_region_dispatcher.cc @ gnoliyil/fuchsia 734b31e0): made on the root VMAR, whose
 *   rights allow every op, over the page at address 0. Programs draw only the ops the model knows.
 * - `zx_vmo_write` with a *buffer* that is no byte array (undefined, null) is ZX_ERR_INVALID_ARGS
 *   ("*buffer* is an invalid pointer or NULL", docs/reference/syscalls/vmo_write.md @
 *   gnoliyil/fuchsia 3a0300d1), or ZX_ERR_NO_MEMORY, which the scenario injects (the model's
 *   injector may fail the write before it reads the buffer); never a throw. Programs always
 *   pass a buffer. Made after the VMAR round.
 *
 * Then it supplies each READ packet whole, as `futex-garbage` does.
 *
 * @example
 * ```ts
 * import { runScenario } from "../scenario/interpreter.ts";
 * import { parseScenario } from "../scenario/schema.ts";
 * import { SCENARIO_SERVICES } from "./scenario_services.ts";
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   allocFailPercent: 20,
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "arg-edges" } }],
 *   vmos: [{ name: "a", pager: "fs", pages: 4 }],
 *   threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 2 }] }],
 * }), { seed: 1, services: SCENARIO_SERVICES });
 * console.assert(run.verdict.kind === "pass");
 * ```
 *
 * @module
 */

import {
  type Status,
  statusName,
  ZX_BTI_PERM_READ,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_TIMED_OUT,
  ZX_ERR_WRONG_TYPE,
  ZX_OK,
  ZX_PKT_TYPE_USER,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_TIME_INFINITE,
} from "../kernel/constants.ts";
import type { UserPacket } from "../kernel/events.ts";
import type { Syscall } from "../kernel/yields.ts";
import type { Sys } from "../sim/sys.ts";
import {
  type PagerService,
  serveReads,
  type ServiceContext,
  supplyFromBacking,
} from "../services/service.ts";

/** Throws unless `got` is one of `want`: the service's fault names the call and both statuses. */
function expect(what: string, got: Status, ...want: Status[]): void {
  if (!want.includes(got)) {
    throw new Error(
      `arg-edges: ${what} returned ${statusName(got)}; upstream says ${
        want.map(statusName).join(" or ")
      }`,
    );
  }
}

/** Calls `make` until it returns something other than an injected ZX_ERR_NO_MEMORY. */
function* untilMemory<T extends [Status, ...unknown[]]>(make: () => Syscall<T>): Syscall<T> {
  for (;;) {
    const r = yield* make();
    if (r[0] !== ZX_ERR_NO_MEMORY) return r;
  }
}

/** The port round (see the module doc). */
function* portRound(sys: Sys): Syscall<void> {
  const [st, port] = yield* untilMemory(() => sys.portCreate(0));
  expect("zx_port_create(0)", st, ZX_OK);
  const garbage: [string, unknown][] = [
    ["undefined", undefined],
    ["null", null],
    ["7", 7],
    ["{key: NaN}", { type: ZX_PKT_TYPE_USER, key: NaN, status: 0, user: [] }],
    ["{key: 1.5}", { type: ZX_PKT_TYPE_USER, key: 1.5, status: 0, user: [] }],
    ["{key: '1'}", { type: ZX_PKT_TYPE_USER, key: "1", status: 0, user: [] }],
  ];
  for (const [label, packet] of garbage) {
    expect(
      `zx_port_queue(port, ${label})`,
      yield* sys.portQueue(port, packet as UserPacket),
      ZX_ERR_INVALID_ARGS,
    );
  }
  const user: UserPacket = { type: ZX_PKT_TYPE_USER, key: 0x5eed, status: -3, user: [1, 2] };
  expect("zx_port_queue(port, a user packet)", yield* sys.portQueue(port, user), ZX_OK);
  for (const deadline of [NaN, "soon"]) {
    const [w] = yield* sys.portWait(port, deadline as number);
    expect(`zx_port_wait(port, ${String(deadline)})`, w, ZX_ERR_INVALID_ARGS);
  }
  const [got, packet] = yield* sys.portWait(port, 0);
  expect("zx_port_wait(port, 0) with a user packet queued", got, ZX_OK);
  const p = packet as UserPacket | null;
  if (
    p?.type !== ZX_PKT_TYPE_USER || p.key !== user.key || p.status !== user.status ||
    JSON.stringify(p.user) !== JSON.stringify(user.user)
  ) {
    throw new Error(
      `arg-edges: zx_port_wait handed back ${JSON.stringify(p)}, not the user packet`,
    );
  }
  const [empty] = yield* sys.portWait(port, 0);
  expect("zx_port_wait(port, 0) on an empty port", empty, ZX_ERR_TIMED_OUT);
  expect("zx_handle_close(port)", yield* sys.handleClose(port), ZX_OK);
}

/** The contiguous VMO round (see the module doc); `bti` has ZX_RIGHT_MAP. */
function* contiguousRound(sys: Sys, bti: number, ps: number): Syscall<void> {
  const shift = Math.log2(ps);
  const bad: [number, number][] = [
    [0, 0],
    [ps, NaN],
    [ps, 1.5],
    [ps, -1],
    [ps, shift - 1],
    [ps, 64],
  ];
  // Upstream checks the size and the alignment before it looks the BTI up or allocates, so an
  // injected allocation failure never comes first (the model's injector did, until its table row
  // said these checks: corpus/programs/regress-contiguous-alloc-failure-after-arg-checks.json).
  for (const [size, align] of bad) {
    const [st] = yield* sys.vmoCreateContiguous(bti, size, align);
    expect(`zx_vmo_create_contiguous(bti, ${size}, ${align})`, st, ZX_ERR_INVALID_ARGS);
  }
  for (const align of [0, shift]) {
    const [st, vmo] = yield* untilMemory(() => sys.vmoCreateContiguous(bti, ps, align));
    expect(`zx_vmo_create_contiguous(bti, ${ps}, ${align})`, st, ZX_OK);
    yield* sys.handleClose(vmo);
  }
}

/** The futex round (see the module doc). */
function* futexRound(sys: Sys, notThread: number): Syscall<void> {
  const word = sys.futexWord(0);
  const [st, closed] = yield* untilMemory(() =>
    sys.handleDuplicate(sys.self, ZX_RIGHT_SAME_RIGHTS)
  );
  expect("zx_handle_duplicate(self)", st, ZX_OK);
  yield* sys.handleClose(closed);
  const waits: [string, number, number, Status][] = [
    ["a closed owner handle", 0, closed, ZX_ERR_BAD_HANDLE],
    ["a closed owner handle and a stale value", 1, closed, ZX_ERR_BAD_STATE],
    ["an owner that is no thread", 0, notThread, ZX_ERR_WRONG_TYPE],
    ["the caller as owner", 0, sys.self, ZX_ERR_INVALID_ARGS],
    ["no owner", 0, 0, ZX_ERR_TIMED_OUT],
  ];
  for (const [label, value, owner, want] of waits) {
    expect(
      `zx_futex_wait(word, ${value}, ${label}, 0)`,
      yield* sys.futexWait(word, value, owner, 0),
      want,
    );
  }
  for (
    const [label, ptr, count, want] of [
      ["word + 1", word + 1, 1, ZX_ERR_INVALID_ARGS],
      ["word + 2", word + 2, 1, ZX_ERR_INVALID_ARGS],
      ["word, NaN", word, NaN, ZX_ERR_INVALID_ARGS],
      ["word, 1.5", word, 1.5, ZX_ERR_INVALID_ARGS],
      ["word, 1", word, 1, ZX_OK],
    ] as const
  ) {
    expect(`zx_futex_wake(${label})`, yield* sys.futexWake(ptr, count), want);
  }
  // zx_futex_requeue (futex_requeue.md @ gnoliyil/fuchsia 3a0300d1): pointers, the same futex
  // twice and counts that are no uint32 are INVALID_ARGS; a new owner that is no valid handle
  // BAD_HANDLE once the word held current_value (BAD_STATE before), one that is no thread
  // WRONG_TYPE; nobody waits, so valid arguments wake and move nobody: ZX_OK.
  const other = sys.futexWord(0);
  const requeues: [string, unknown[], Status][] = [
    ["null", [null, 0, 0, other, 0, 0], ZX_ERR_INVALID_ARGS],
    ["the same futex twice", [word, 0, 0, word, 0, 0], ZX_ERR_INVALID_ARGS],
    ["a NaN wake count", [word, NaN, 0, other, 0, 0], ZX_ERR_INVALID_ARGS],
    ["a fractional requeue count", [word, 0, 0, other, 1.5, 0], ZX_ERR_INVALID_ARGS],
    ["a closed owner handle", [word, 0, 0, other, 0, closed], ZX_ERR_BAD_HANDLE],
    ["a closed owner handle and a stale value", [word, 0, 1, other, 0, closed], ZX_ERR_BAD_STATE],
    ["an owner that is no thread", [word, 0, 0, other, 0, notThread], ZX_ERR_WRONG_TYPE],
    ["valid arguments", [word, 1, 0, other, 1, 0], ZX_OK],
  ];
  for (const [label, a, want] of requeues) {
    const [p, wake, current, q, count, owner] = a as number[];
    expect(
      `zx_futex_requeue(${label})`,
      yield* sys.futexRequeue(p, wake, current, q, count, owner),
      want,
    );
  }
}

/**
 * A `zx_futex_wait` naming as new owner a thread parked on that futex: INVALID_ARGS
 * ("*new_futex_owner* is currently a member of the waiters for *value_ptr*", futex_wait.md @
 * gnoliyil/fuchsia 3a0300d1). A helper parks on `gate`; a wait on `pause` whose deadline passes
 * lets it park first (a timeout of T ticks fires only after every runnable thread took T steps,
 * as `futex-garbage`'s owner round relies on); then one wake lets it go, and the pager polls
 * until it returned (a wake that misses it strands the pager: a hang).
 */
function* waiterOwnerRound(sys: Sys): Syscall<void> {
  const gate = sys.futexWord(0);
  const pause = sys.futexWord(0);
  const done = sys.futexWord(0);
  let waiter = 0;
  sys.spawn("arg-edges-waiter", function* (s) {
    waiter = s.self;
    yield* s.futexWait(gate, 0, 0, ZX_TIME_INFINITE);
    s.atomicAdd(done, 1);
  });
  yield* sys.futexWait(pause, 0, 0, sys.now + 16);
  expect(
    "zx_futex_wait(gate, 0, a thread parked on gate, 0)",
    yield* sys.futexWait(gate, 0, waiter, 0),
    ZX_ERR_INVALID_ARGS,
  );
  // The same thread as the owner of another futex: no owner rule refuses a bystander.
  expect(
    "zx_futex_wait(pause, 0, a thread parked on gate, 0)",
    yield* sys.futexWait(pause, 0, waiter, 0),
    ZX_ERR_TIMED_OUT,
  );
  expect("zx_futex_wake(gate, 1)", yield* sys.futexWake(gate, 1), ZX_OK);
  while (sys.atomicLoad(done) < 1) yield* sys.futexWait(pause, 0, 0, sys.now + 4);
}

/**
 * `zx_object_wait_one` whose deadline is no number (NaN, a string): INVALID_ARGS, never a wait
 * (nothing signals the event: a kernel that parks on it hangs the service); at a past deadline
 * with no signal active, TIMED_OUT (object_wait_one.md @ gnoliyil/fuchsia 3a0300d1).
 */
function* waitOneRound(sys: Sys): Syscall<void> {
  const [st, event] = yield* untilMemory(() => sys.eventCreate(0));
  expect("zx_event_create(0)", st, ZX_OK);
  for (const deadline of [NaN, "soon"]) {
    const [w] = yield* sys.objectWaitOne(event, 1 << 24, deadline as number);
    expect(`zx_object_wait_one(event, USER_0, ${String(deadline)})`, w, ZX_ERR_INVALID_ARGS);
  }
  const [w] = yield* sys.objectWaitOne(event, 1 << 24, 0);
  expect("zx_object_wait_one(event, USER_0, 0)", w, ZX_ERR_TIMED_OUT);
  yield* sys.handleClose(event);
}

/** The supply round (see the module doc): misaligned supplies, then a pinned aux VMO. */
function* supplyRound(sys: Sys, ctx: ServiceContext, bti: number, ps: number): Syscall<void> {
  const vmo = ctx.vmos[0].handle;
  const [st, aux] = yield* untilMemory(() => sys.vmoCreate(4 * ps, 0));
  expect("zx_vmo_create(4 pages)", st, ZX_OK);
  const bad: [number, number, number][] = [
    [1, ps, 0],
    [0, ps + 1, 0],
    [0, ps, 1],
    [-ps, ps, 0],
    [0, ps, -ps],
    // Every alignment negative and a multiple of the page: only the sign is wrong.
    [-ps, -ps, -ps],
    // Every alignment wrong at once (an inverted remainder test passes all three).
    [1, ps + 1, 1],
  ];
  for (let round = 0; round < 4; round++) {
    for (const [offset, length, auxOffset] of bad) {
      expect(
        `zx_pager_supply_pages(pager, vmo, ${offset}, ${length}, aux, ${auxOffset})`,
        yield* sys.pagerSupplyPages(ctx.pager, vmo, offset, length, aux, auxOffset),
        ZX_ERR_INVALID_ARGS,
      );
    }
  }
  for (const pinned of [0, 1]) {
    let w = yield* sys.vmoWrite(aux, new Uint8Array(2 * ps).fill(4), 0);
    while (w === ZX_ERR_NO_MEMORY) w = yield* sys.vmoWrite(aux, new Uint8Array(2 * ps).fill(4), 0);
    expect("zx_vmo_write(aux)", w, ZX_OK);
    const [p, pmt] = yield* sys.btiPin(bti, ZX_BTI_PERM_READ, aux, pinned * ps, ps);
    expect(`zx_bti_pin(aux page ${pinned})`, p, ZX_OK);
    expect(
      `zx_pager_supply_pages(pager, vmo, 0, 2 pages, aux with page ${pinned} pinned, 0)`,
      yield* sys.pagerSupplyPages(ctx.pager, vmo, 0, 2 * ps, aux, 0),
      ZX_ERR_BAD_STATE,
      ZX_ERR_NO_MEMORY,
    );
    expect("zx_pmt_unpin", yield* sys.pmtUnpin(pmt), ZX_OK);
  }
  yield* sys.handleClose(aux);
}

/** The VMAR round (see the module doc): made last, so the rounds before keep their schedules. */
function* vmarRound(sys: Sys, ps: number): Syscall<void> {
  for (const op of [0, 99]) {
    const st = yield* sys.vmarOpRange(sys.rootVmar, op, 0, ps);
    expect(`zx_vmar_op_range(root, op ${op})`, st, ZX_ERR_INVALID_ARGS);
  }
}

/** The buffer round (see the module doc): made after the VMAR round, so earlier rounds keep their schedules. */
function* bufferRound(sys: Sys, ps: number): Syscall<void> {
  const [st, vmo] = yield* untilMemory(() => sys.vmoCreate(ps, 0));
  expect(`zx_vmo_create(${ps}, 0)`, st, ZX_OK);
  for (const buffer of [undefined, null]) {
    expect(
      `zx_vmo_write(vmo, ${String(buffer)}, 0)`,
      yield* sys.vmoWrite(vmo, buffer as unknown as Uint8Array, 0),
      ZX_ERR_INVALID_ARGS,
      ZX_ERR_NO_MEMORY,
    );
  }
  yield* sys.handleClose(vmo);
}

/** The `arg-edges` service (see the module doc). */
export const argEdges: PagerService = function* (sys, ctx) {
  const ps = sys.kernel.pageSize;
  const [st, bti] = yield* sys.btiCreate(0, 0);
  expect("zx_bti_create(0, 0)", st, ZX_OK);
  yield* portRound(sys);
  yield* contiguousRound(sys, bti, ps);
  yield* futexRound(sys, bti);
  yield* waitOneRound(sys);
  yield* waiterOwnerRound(sys);
  yield* supplyRound(sys, ctx, bti, ps);
  yield* vmarRound(sys, ps);
  yield* bufferRound(sys, ps);
  yield* serveReads(sys, ctx, function* (packet, vmo) {
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  });
};
