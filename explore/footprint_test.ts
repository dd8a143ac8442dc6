/**
 * Which steps count as private: the explorer never preempts just before one,
 * so a step called private that another thread could observe would hide
 * schedules. Each case names what makes a VMO observable by someone else.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import {
  ZX_OK,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_VM_PERM_READ,
  ZX_VMO_CHILD_SLICE,
} from "../kernel/constants.ts";
import { putZeroSlot } from "../kernel/dirty.ts";
import { Vmo } from "../kernel/objects.ts";
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
