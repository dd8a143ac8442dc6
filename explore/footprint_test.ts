/**
 * Which steps count as private: the explorer never preempts just before one,
 * so a step called private that another thread could observe would hide
 * schedules. Each case names what makes a VMO observable by someone else.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import {
  ZX_ERR_INTERNAL_INTR_KILLED,
  ZX_ERR_INTERNAL_INTR_RETRY,
  ZX_OK,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_VM_PERM_READ,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
} from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import { putZeroSlot } from "../kernel/dirty.ts";
import { Vmo } from "../kernel/objects.ts";
import { Waiter } from "../kernel/page_source.ts";
import { Kernel, type KernelYield, type Syscall } from "../kernel/kernel.ts";
import { conflicts, type Footprint, FootprintRecorder, isPrivateStep } from "./footprint.ts";

const PS = 64;

/** Runs a call that cannot block to its result. */
function done<T>(call: Syscall<T>): T {
  for (;;) {
    const r = call.next();
    if (r.done) return r.value;
    assert.equal(r.value.kind, "syscall", "the call blocked");
  }
}

function ok(r: [number, number]): number {
  assert.equal(r[0], ZX_OK);
  return r[1];
}

/** The yield that starts `name(handle, ...)`. */
function next(name: string, ...args: unknown[]): KernelYield {
  return { kind: "syscall", name, args };
}

function setup() {
  const k = new Kernel({ pageSize: PS });
  const [t] = k.createThread("service", 1);
  const aux = ok(done(k.zx_vmo_create(t, 2 * PS, 0)));
  const mine = new Set([aux]);
  const isPrivate = (y: KernelYield | null) => isPrivateStep(k, y, (h) => mine.has(h));
  return { k, t, aux, mine, isPrivate };
}

Deno.test("private step: creating, filling, reading and closing one's own anonymous VMO", () => {
  const { aux, isPrivate } = setup();
  assert.ok(isPrivate(next("zx_vmo_create", PS, 0)));
  assert.ok(isPrivate(next("zx_vmo_write", aux, new Uint8Array(PS), 0)));
  assert.ok(isPrivate(next("zx_vmo_read", aux, 0, PS)));
  assert.ok(isPrivate(next("zx_vmo_get_size", aux)));
  assert.ok(isPrivate(next("zx_handle_close", aux)));
});

Deno.test("private step: not when someone else could name or see the VMO", () => {
  const { k, t, aux, mine, isPrivate } = setup();
  const write = () => isPrivate(next("zx_vmo_write", aux, new Uint8Array(PS), 0));
  // Another thread's handle.
  mine.delete(aux);
  assert.ok(!write(), "a handle the thread did not create");
  mine.add(aux);
  // A second handle to it exists.
  const dup = ok(done(k.zx_handle_duplicate(t, aux, ZX_RIGHT_SAME_RIGHTS)));
  assert.ok(!write(), "two handles");
  done(k.zx_handle_close(t, dup));
  assert.ok(write());
  // Mapped: faults of any thread reach it.
  ok(done(k.zx_vmar_map(t, k.rootVmarHandle, ZX_VM_PERM_READ, 0, aux, 0, PS)));
  assert.ok(!write(), "mapped");
});

Deno.test("private step: pager VMOs, other objects, other calls and mid-call yields are never private", () => {
  const { k, t, aux, mine, isPrivate } = setup();
  const pager = ok(done(k.zx_pager_create(t, 0)));
  const port = ok(done(k.zx_port_create(t, 0)));
  const vmo = ok(done(k.zx_pager_create_vmo(t, pager, 0, port, 1, PS)));
  for (const h of [pager, port, vmo]) mine.add(h);
  assert.ok(!isPrivate(next("zx_vmo_write", vmo, new Uint8Array(PS), 0)), "pager VMO");
  assert.ok(!isPrivate(next("zx_handle_close", port)), "a port");
  assert.ok(!isPrivate(next("zx_pager_supply_pages", pager, vmo, 0, PS, aux, 0)), "supply");
  assert.ok(!isPrivate(next("zx_handle_close", 0x7fff_0000)), "a bad handle");
  assert.ok(!isPrivate({ kind: "syscall", name: "zx_vmo_write" }), "inside a call");
  assert.ok(!isPrivate(null));
});

Deno.test("footprint: a waiter zx_futex_requeue moved conflicts with a wake of the futex it was moved to", () => {
  // The moved waiter is woken from the second futex's queue (blocking_futex_id_ follows it,
  // futex_context.cc @ vsrinivas/fuchsia 04544766), so its resumption depends on that wake.
  const k = new Kernel({ pageSize: PS });
  const rec = new FootprintRecorder(k, false);
  const [a, b] = [0x4000_0000, 0x4000_0004];
  rec.add({ k: "call", tid: 2, name: "zx_futex_wait", args: [a, 0, 0, Infinity] });
  rec.add({ k: "block", tid: 2, on: "futex 0x40000000" });
  rec.take(2);
  rec.add({ k: "call", tid: 1, name: "zx_futex_requeue", args: [a, 0, 0, b, 1, 0] });
  rec.add({ k: "ret", tid: 1, name: "zx_futex_requeue", status: ZX_OK });
  const requeue = rec.take(1);
  assert.ok(requeue.has(`f${a}`) && requeue.has(`f${b}`), "a requeue touches both futexes");
  rec.add({ k: "call", tid: 3, name: "zx_futex_wake", args: [b, 1] });
  rec.add({ k: "ret", tid: 3, name: "zx_futex_wake", status: ZX_OK });
  const wake = rec.take(3);
  rec.add({ k: "ret", tid: 2, name: "zx_futex_wait", status: ZX_OK });
  const resume = rec.take(2);
  assert.ok(conflicts(wake, resume), `wake ${[...wake]} vs resume ${[...resume]}`);
});

/** A pager VMO of 4 pages, and steps that write or read one page of it, recorded as the explorer does. */
function pageSetup(pages = true) {
  const k = new Kernel({ pageSize: PS });
  const [t] = k.createThread("service", 1);
  const pager = ok(done(k.zx_pager_create(t, 0)));
  const port = ok(done(k.zx_port_create(t, 0)));
  const h = ok(done(k.zx_pager_create_vmo(t, pager, 0, port, 1, 4 * PS)));
  const vmo = k.handles.entry(h)!.object as Vmo;
  const rec = new FootprintRecorder(k, false, pages);
  /** Thread `tid` writes page `p` with zx_vmo_write (a store) and returns. */
  const write = (tid: number, p: number): Footprint => {
    rec.add({ k: "call", tid, name: "zx_vmo_write", args: [h, PS, p * PS] });
    rec.add({ k: "store", tid, vmo: vmo.koid, offset: p * PS, bytes: new Uint8Array(PS) });
    rec.add({ k: "ret", tid, name: "zx_vmo_write", status: ZX_OK });
    return rec.take(tid);
  };
  /** Thread `tid` reads page `p` with zx_vmo_read (a copy) and returns. */
  const read = (tid: number, p: number): Footprint => {
    rec.add({ k: "call", tid, name: "zx_vmo_read", args: [h, p * PS, PS] });
    rec.add({ k: "copy", tid, vmo: vmo.koid, offset: p * PS, bytes: new Uint8Array(PS) });
    rec.add({ k: "ret", tid, name: "zx_vmo_read", status: ZX_OK });
    return rec.take(tid);
  };
  return { k, t, h, vmo, rec, write, read };
}

Deno.test("footprint: stores and copies of different pages of one VMO commute; of one page they do not", () => {
  const { write, read } = pageSetup();
  const w0 = write(2, 0), w1 = write(3, 1), r0 = read(4, 0), r1 = read(5, 1);
  assert.ok(!conflicts(w0, w1), `${[...w0]} vs ${[...w1]}`);
  assert.ok(!conflicts(w0, r1) && !conflicts(w1, r0));
  assert.ok(conflicts(w0, r0) && conflicts(w1, r1), "a copy of the page stored");
  assert.ok(conflicts(w0, write(6, 0)), "two stores of one page");
  assert.ok(!conflicts(r0, read(7, 0)), "two copies");
});

Deno.test("footprint: a store writes the whole VMO once the VMO has a child, a zero interval after the page, or page footprints are off", () => {
  // A child (here a slice) reads the parent's pages through its own: a copy out of the child
  // names only the child, so a store to the parent must write the parent as a whole.
  const a = pageSetup();
  const r2 = a.read(4, 2);
  ok(done(a.k.zx_vmo_create_child(a.t, a.h, ZX_VMO_CHILD_SLICE, 0, PS)));
  a.rec.take(a.t.tid); // the creating step (and the parent's signal change) ends here
  const w0 = a.write(2, 0);
  assert.ok(w0.has(`o${a.vmo.koid}`), `${[...w0]}`);
  assert.ok(conflicts(w0, r2));
  // Committing a page of a zero interval rewrites the next slot's interval.
  const b = pageSetup();
  putZeroSlot(b.vmo.slots, 1);
  assert.ok(conflicts(b.write(2, 0), b.read(3, 3)), "the slot after page 0 is a zero interval");
  assert.ok(!conflicts(b.write(2, 2), b.read(3, 3)), "the slot after page 2 is not");
  // Off: as before session 21.
  const c = pageSetup(false);
  const [c0, c1] = [c.write(2, 0), c.write(3, 1)];
  assert.ok(conflicts(c0, c1) && c0.has(`o${c.vmo.koid}`));
  assert.ok(![...c0].some((t) => t.startsWith("p")), "no page tokens");
});

/**
 * A pager VMO of 4 pages in a kernel whose events go to the recorder: each helper runs one
 * call as one step of thread `tid` and returns the step's footprint.
 */
function liveSetup(heldRequests = true) {
  let rec: FootprintRecorder | null = null;
  const k = new Kernel({ pageSize: PS, sink: { emit: (e: KernelEvent) => rec?.add(e) } });
  const [t] = k.createThread("service", 1);
  const pager = ok(done(k.zx_pager_create(t, 0)));
  const port = ok(done(k.zx_port_create(t, 0)));
  const h = ok(done(k.zx_pager_create_vmo(t, pager, 0, port, 1, 4 * PS)));
  const vmo = k.handles.entry(h)!.object as Vmo;
  const threads = new Map(
    [2, 3, 4, 5, 6, 7].map((tid) => [tid, k.createThread(`t${tid}`, tid)[0]]),
  );
  rec = new FootprintRecorder(k, false, true, heldRequests);
  const recorder = rec;
  recorder.noteHandles();
  /** Thread `tid` supplies pages `[p, p + n)` (from a fresh aux VMO: not part of the step). */
  const supply = (tid: number, p: number, n: number): Footprint => {
    const th = threads.get(tid) ?? t;
    rec = null;
    const aux = ok(done(k.zx_vmo_create(th, n * PS, 0)));
    done(k.zx_vmo_write(th, aux, new Uint8Array(n * PS).fill(p + 1), 0));
    rec = recorder;
    recorder.noteHandles();
    done(k.zx_pager_supply_pages(th, pager, h, p * PS, n * PS, aux, 0));
    return recorder.take(tid);
  };
  /** Thread `tid` starts reading pages `[p, p + n)` and parks on its request (the step ends there). */
  const park = (tid: number, p: number, n: number): Footprint => {
    const th = threads.get(tid)!;
    const call = k.zx_vmo_read(th, h, p * PS, n * PS);
    let r = call.next();
    while (!r.done && r.value.kind === "syscall") r = call.next();
    assert.ok(!r.done && r.value.kind === "block", "the read parked");
    return recorder.take(tid);
  };
  /** Thread `tid` reads pages `[p, p + n)`, all present (a copy each). */
  const read = (tid: number, p: number, n: number): Footprint => {
    done(k.zx_vmo_read(threads.get(tid)!, h, p * PS, n * PS));
    return recorder.take(tid);
  };
  /** Thread `tid` commits pages `[p, p + n)`: the call's first step (it may park). */
  const commit = (tid: number, p: number, n: number): Footprint => {
    const call = k.zx_vmo_op_range(threads.get(tid)!, h, ZX_VMO_OP_COMMIT, p * PS, n * PS);
    let r = call.next();
    while (!r.done && r.value.kind === "syscall") r = call.next();
    return recorder.take(tid);
  };
  /** Thread `tid` decommits a fresh one-page contiguous VMO (its frame goes on loan). */
  const lend = (tid: number): Footprint => {
    const th = threads.get(tid)!;
    rec = null;
    const bti = ok(done(k.zx_bti_create(th, 0, 1)));
    const c = ok(done(k.zx_vmo_create_contiguous(th, bti, PS, 0)));
    rec = recorder;
    recorder.noteHandles();
    assert.equal(done(k.zx_vmo_op_range(th, c, ZX_VMO_OP_DECOMMIT, 0, PS)), ZX_OK);
    return recorder.take(tid);
  };
  return { k, h, vmo, threads, rec: recorder, supply, park, read, commit, lend };
}

Deno.test("footprint: a supply no outstanding request overlaps commutes with requests of other pages and with copies; one a request overlaps writes the requests", () => {
  const s = liveSetup();
  const w = `w${s.vmo.koid}`;
  // Page 0 is requested (its run stops at the page after it once page 1 is present).
  s.supply(1, 1, 1);
  const req = s.park(2, 0, 1);
  assert.ok(
    req.has(w) && req.has(`rp${s.vmo.koid}.0`) && req.has(`rp${s.vmo.koid}.1`),
    `${[...req]}`,
  );
  assert.ok(!req.has(`o${s.vmo.koid}`), `a request writes the requests, not the VMO: ${[...req]}`);
  // A supply of pages 2-3, which no request overlaps: pages only.
  const far = s.supply(1, 2, 2);
  assert.ok(!far.has(w) && far.has(`p${s.vmo.koid}.2`), `${[...far]}`);
  assert.ok(!conflicts(far, req), `${[...far]} vs ${[...req]}`);
  assert.ok(!conflicts(far, s.read(3, 1, 1)), "a copy of another page");
  assert.ok(conflicts(far, s.read(4, 2, 1)), "a copy of a page it filled");
  // A supply of page 0, which the request overlaps: it resolves the request and wakes the reader.
  const near = s.supply(1, 0, 1);
  assert.ok(near.has(w) && conflicts(near, req), `${[...near]}`);
  // A supply that only counts against a request (no event says so: page 1 of request [0, 2),
  // whose reader waits for page 0) writes the requests too.
  const u = liveSetup();
  const two = u.park(2, 0, 2);
  const count = u.supply(1, 1, 1);
  assert.ok(count.has(`w${u.vmo.koid}`) && conflicts(count, two), `${[...count]}`);
  // With a frame on loan the supply may borrow it: the whole VMO, and the pool.
  const l = liveSetup();
  const lent = l.lend(3);
  const borrow = l.supply(1, 2, 1);
  assert.ok(borrow.has(`o${l.vmo.koid}`), `${[...borrow]}`);
  assert.ok(conflicts(lent, borrow), `${[...lent]} vs ${[...borrow]}`);
});

Deno.test("footprint: a request reads the page after its run; a cancelled request's resolve reads its pages", () => {
  const s = liveSetup();
  // Pages 0-1 absent, 2 present: the run of a read of pages 0-2 stops at page 2.
  s.supply(1, 2, 1);
  const req = s.park(2, 0, 3);
  assert.ok(req.has(`rp${s.vmo.koid}.2`), `the page that stopped the run: ${[...req]}`);
  // A supply of page 3 (past the run and past the page that stopped it) commutes with it.
  assert.ok(!conflicts(req, s.supply(1, 3, 1)));
  // Suspending the reader cancels its request: the resolve reads the request's pages, so it
  // conflicts with a supply of them that (with the request gone) would be one of pages only.
  const th = s.threads.get(2)!;
  s.k.pages.interrupt(th, ZX_ERR_INTERNAL_INTR_RETRY);
  const cancel = s.rec.take(3);
  assert.ok(cancel.has(`rp${s.vmo.koid}.0`), `${[...cancel]}`);
  const fill = s.supply(1, 0, 1);
  assert.ok(!fill.has(`w${s.vmo.koid}`), `no request is left: ${[...fill]}`);
  assert.ok(conflicts(cancel, fill), `${[...cancel]} vs ${[...fill]}`);
});

Deno.test("footprint: a COMMIT that finds every page present only reads them; one that finds a page absent writes the VMO", () => {
  const s = liveSetup();
  s.supply(1, 0, 3);
  const partial = s.commit(2, 0, 4);
  assert.ok(partial.has(`o${s.vmo.koid}`), `page 3 is absent: ${[...partial]}`);
  assert.ok(conflicts(partial, s.read(3, 0, 1)));
  const t = liveSetup();
  t.supply(1, 0, 4);
  const full = t.commit(2, 0, 4);
  assert.ok(!full.has(`o${t.vmo.koid}`) && full.has(`rp${t.vmo.koid}.3`), `${[...full]}`);
  assert.ok(!conflicts(full, t.read(3, 0, 4)), "a copy of present pages");
  assert.ok(!conflicts(full, t.commit(4, 0, 4)), "another commit of present pages");
});

Deno.test("footprint: a resumed COMMIT that finds every page present only reads them, unless its wait did not end in a wake", () => {
  const s = liveSetup();
  s.supply(1, 0, 3);
  const call = s.k.zx_vmo_op_range(s.threads.get(2)!, s.h, ZX_VMO_OP_COMMIT, 0, 4 * PS);
  let r = call.next();
  while (!r.done && r.value.kind === "syscall") r = call.next();
  assert.ok(!r.done && r.value.kind === "block", "the commit parked on page 3");
  assert.ok(s.rec.take(2).has(`o${s.vmo.koid}`));
  s.supply(1, 3, 1); // resolves the request, wakes the commit
  assert.ok(call.next().done, "the commit returned");
  const resumed = s.rec.take(2);
  assert.ok(!resumed.has(`o${s.vmo.koid}`) && resumed.has(`rp${s.vmo.koid}.3`), `${[...resumed]}`);
  assert.ok(!resumed.has(`w${s.vmo.koid}`), `its waiter is off every request: ${[...resumed]}`);
  assert.ok(!conflicts(resumed, s.read(3, 0, 4)));
  // A commit whose wait a kill ended returns the kill's status: the call's tokens, as before.
  const t = liveSetup();
  t.supply(1, 0, 3);
  const th = t.threads.get(2)!;
  const killed = t.k.zx_vmo_op_range(th, t.h, ZX_VMO_OP_COMMIT, 0, 4 * PS);
  let q = killed.next();
  while (!q.done && q.value.kind === "syscall") q = killed.next();
  t.rec.take(2);
  t.k.pages.interrupt(th, ZX_ERR_INTERNAL_INTR_KILLED);
  t.rec.take(3);
  t.supply(1, 3, 1);
  const next = t.rec.take(2); // what its next step starts with
  assert.ok(next.has(`o${t.vmo.koid}`), `${[...next]}`);
});

Deno.test("footprint: a reader early-woken on a request it still holds resumes writing the requests; one whose request completed does not", () => {
  const s = liveSetup();
  s.park(2, 0, 2); // request [0, 2), the reader waits for page 0
  s.supply(1, 0, 1); // early wake: the request is still outstanding
  const early = s.rec.take(2); // what its next step starts with
  assert.ok(early.has(`w${s.vmo.koid}`), `${[...early]}`);
  const t = liveSetup();
  t.park(2, 0, 2);
  t.supply(1, 0, 2); // completes the request: its waiters are detached
  const complete = t.rec.take(2);
  assert.ok(!complete.has(`w${t.vmo.koid}`) && complete.has(`ro${t.vmo.koid}`), `${[...complete]}`);
});

Deno.test("footprint: a read's steps read the pages of its range (a variant may look a page up in one step and request it in the next)", () => {
  const s = liveSetup();
  s.supply(1, 1, 1);
  const first = s.park(2, 0, 3); // request [0, 1): the run stops at page 1
  assert.ok(first.has(`rp${s.vmo.koid}.2`), `${[...first]}`);
  s.supply(1, 0, 1); // completes the request, wakes the reader
  const resumed = s.rec.take(2); // what its next step starts with: it will look up page 2
  assert.ok(!resumed.has(`w${s.vmo.koid}`) && resumed.has(`rp${s.vmo.koid}.2`), `${[...resumed]}`);
  const fill = s.supply(1, 2, 1); // no request overlaps page 2
  assert.ok(!fill.has(`w${s.vmo.koid}`), `${[...fill]}`);
  assert.ok(conflicts(resumed, fill), "a supply of a page the read will look up");
});

/**
 * Thread 2 loads page 1 through a mapping of the live setup's VMO: the fault parks it on a
 * request, a supply of page 1 completes the request and wakes it, and its resumed step returns
 * from the wait and refaults (the access starts again in its next step). Returns the setup.
 */
function pastFault(heldRequests: boolean) {
  const s = liveSetup(heldRequests);
  const th = s.threads.get(2)!;
  const addr = ok(
    done(s.k.zx_vmar_map(th, s.k.rootVmarHandle, ZX_VM_PERM_READ, 0, s.h, 0, 4 * PS)),
  );
  s.rec.take(2);
  const load = s.k.memRead(th, addr + PS, 1);
  const kind = () => {
    const r = load.next();
    return r.done ? "done" : r.value.kind;
  };
  assert.equal(kind(), "syscall", "the load's first step starts");
  assert.equal(kind(), "block", "the fault parked on page 1's request");
  assert.ok(s.rec.take(2).has(`w${s.vmo.koid}`));
  s.supply(1, 1, 1); // completes the request: the waiter is off it
  assert.equal(kind(), "syscall", "woken: it refaults, its access starts again");
  s.rec.take(2);
  assert.equal(th.waiter, null, "past its wait");
  return s;
}

Deno.test("footprint: a thread past its wait that holds no request of the VMO it parked on resumes without writing its requests; one that holds one writes them", () => {
  const s = pastFault(true);
  const next = s.rec.take(2); // what its next step starts with
  assert.ok(!next.has(`w${s.vmo.koid}`), `${[...next]}`);
  // It commutes with another thread's request of another page (which writes the requests).
  const other = s.park(3, 2, 1);
  assert.ok(
    other.has(`w${s.vmo.koid}`) && !conflicts(next, other),
    `${[...next]} vs ${[...other]}`,
  );
  // Off: every VMO it parked on since its call began, as before.
  const old = pastFault(false);
  assert.ok(old.rec.take(2).has(`w${old.vmo.koid}`));
  // A waiter of the thread on an outstanding request (a variant holding one across a step):
  // the resumed step may drop it (`cancel` with no event), so it writes the requests.
  const h = pastFault(true);
  h.park(3, 2, 1);
  const [r] = h.vmo.source!.outstanding("READ");
  r.overlap.push(new Waiter(2));
  h.rec.take(4); // any step's end recomputes what thread 2 starts with
  const holding = h.rec.take(2);
  assert.ok(holding.has(`w${h.vmo.koid}`), `${[...holding]}`);
});
