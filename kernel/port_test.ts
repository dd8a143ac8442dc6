/**
 * Unit tests of ports: FIFO order, the user-packet limit, kernel packets
 * handed back to their owner on dequeue and on cancel-key, withdrawal, and
 * death dropping everything without telling owners (spec 1.3, 3.3).
 *
 * @module
 */

import { strict as assert } from "node:assert";
import {
  LIMITS,
  ZX_ERR_INTERNAL_INTR_KILLED,
  ZX_ERR_TIMED_OUT,
  ZX_PKT_TYPE_PAGE_REQUEST,
  ZX_PKT_TYPE_USER,
} from "./constants.ts";
import type { KernelEvent, Packet, PagePacket, UserPacket } from "./events.ts";
import { type PacketOwner, Port } from "./port.ts";
import type { Syscall, Wait } from "./yields.ts";

function openPort(): Port {
  const port = new Port(1);
  port.handleCount = 1;
  return port;
}

function user(key: number): UserPacket {
  return { type: ZX_PKT_TYPE_USER, key, status: 0, user: [key] };
}

function page(key: number, offset = 0): PagePacket {
  return {
    type: ZX_PKT_TYPE_PAGE_REQUEST,
    key,
    status: 0,
    command: 0,
    flags: 0,
    offset,
    length: 1,
  };
}

/** Records how its packets left the port. */
class RecordingOwner implements PacketOwner {
  readonly freed: string[] = [];
  constructor(readonly vmoKoid: number) {}
  onPacketFreed(packet: PagePacket, how: "dequeued" | "cancelled"): void {
    this.freed.push(`${packet.key}@${packet.offset} ${how}`);
  }
}

Deno.test("FIFO: packets come out in the order they were queued", () => {
  const port = openPort();
  for (const k of [3, 1, 2]) assert.equal(port.queue(user(k), null), true);
  assert.equal(port.depth, 3);
  assert.deepEqual([port.dequeue()?.key, port.dequeue()?.key, port.dequeue()?.key], [3, 1, 2]);
  assert.equal(port.dequeue(), undefined);
  assert.equal(port.depth, 0);
});

Deno.test("FIFO: order holds across the queue's internal compaction", () => {
  const port = openPort();
  const out: (number | undefined)[] = [];
  for (let i = 0; i < 300; i++) {
    port.queue(user(i), null);
    if (i % 3 === 2) out.push(port.dequeue()?.key, port.dequeue()?.key);
  }
  while (port.depth > 0) out.push(port.dequeue()?.key);
  assert.deepEqual(out, Array.from({ length: 300 }, (_, i) => i));
});

Deno.test("FIFO: kernel and user packets share one order", () => {
  const port = openPort();
  const owner = new RecordingOwner(5);
  port.queue(user(1), null);
  port.queue(page(2), owner);
  port.queue(user(3), null);
  assert.deepEqual(port.packets().map((p) => p.key), [1, 2, 3]);
});

Deno.test("dequeue hands a kernel packet back to its owner", () => {
  const port = openPort();
  const owner = new RecordingOwner(5);
  port.queue(page(2, 8), owner);
  assert.equal(port.dequeue()?.key, 2);
  assert.deepEqual(owner.freed, ["2@8 dequeued"]);
});

Deno.test("limit: user packets stop at the named limit; kernel packets are exempt", () => {
  const port = openPort();
  for (let i = 0; i < LIMITS.maxPortPackets; i++) assert.equal(port.queue(user(i), null), true);
  assert.equal(port.queue(user(-1), null), false);
  assert.equal(port.queue(page(9), new RecordingOwner(5)), true);
  assert.equal(port.depth, LIMITS.maxPortPackets + 1);
});

Deno.test("a port with no handles is dead and refuses packets", () => {
  const port = new Port(1);
  assert.equal(port.dead, true);
  assert.equal(port.queue(user(1), null), false);
  assert.equal(port.queue(page(1), new RecordingOwner(5)), false);
});

Deno.test("cancelKey removes only that key, keeps the others' order, returns the count", () => {
  const port = openPort();
  for (const k of [1, 2, 1, 3, 1]) port.queue(user(k), null);
  port.dequeue();
  assert.equal(port.cancelKey(1), 2);
  assert.deepEqual(port.packets().map((p) => p.key), [2, 3]);
  assert.equal(port.cancelKey(1), 0);
});

Deno.test("cancelKey hands kernel packets back to their owner as cancelled", () => {
  const port = openPort();
  const a = new RecordingOwner(5);
  const b = new RecordingOwner(6);
  port.queue(page(7, 0), a);
  port.queue(page(8, 0), b);
  port.queue(user(7), null);
  assert.equal(port.cancelKey(7), 2);
  assert.deepEqual(a.freed, ["7@0 cancelled"]);
  assert.deepEqual(b.freed, []);
  assert.deepEqual(port.packets().map((p) => p.key), [8]);
});

Deno.test("cancelKey lets an owner queue its next packet from the callback", () => {
  const port = openPort();
  const owner: PacketOwner = {
    vmoKoid: 5,
    onPacketFreed: (p, how) => {
      if (how === "cancelled" && p.offset === 0) port.queue(page(7, 1), owner);
    },
  };
  port.queue(page(7, 0), owner);
  port.queue(user(4), null);
  assert.equal(port.cancelKey(7), 1);
  assert.deepEqual(port.packets().map((p) => `${p.key}`), ["4", "7"]);
});

Deno.test("withdraw removes one kernel packet silently; false when it is not queued", () => {
  const port = openPort();
  const owner = new RecordingOwner(5);
  const p = page(7);
  port.queue(user(1), null);
  port.queue(p, owner);
  port.queue(user(2), null);
  assert.equal(port.withdraw(p), true);
  assert.deepEqual(owner.freed, []);
  assert.deepEqual(port.packets().map((q) => q.key), [1, 2]);
  assert.equal(port.withdraw(p), false);
});

Deno.test("withdraw does not find a packet that was already dequeued", () => {
  const port = openPort();
  const p = page(7);
  port.queue(p, new RecordingOwner(5));
  port.dequeue();
  assert.equal(port.withdraw(p), false);
});

Deno.test("dropAll empties the port and never tells the owners", () => {
  const port = openPort();
  const owner = new RecordingOwner(5);
  port.queue(user(1), null);
  port.queue(page(7), owner);
  port.dequeue();
  const dropped = port.dropAll();
  assert.deepEqual(dropped.map((d) => d.packet.key), [7]);
  assert.equal(dropped[0].owner, owner);
  assert.deepEqual(owner.freed, []);
  assert.equal(port.depth, 0);
});

Deno.test("packetAt(i) is the i-th queued packet, oldest first, after dequeues too", () => {
  const port = openPort();
  for (const k of [1, 2, 3, 4]) port.queue(user(k), null);
  port.dequeue();
  assert.deepEqual([0, 1, 2].map((i) => port.packetAt(i).key), [2, 3, 4]);
});

/** A thread, a clock and the events of a `Port.wait` driven step by step. */
function waiter(port: Port, deadline: number) {
  const events: KernelEvent[] = [];
  const t = { tid: 3, alive: true };
  const clock = { now: 0, sink: { emit: (e: KernelEvent) => events.push(e) } };
  const call: Syscall<Packet | number> = port.wait(t, deadline, clock, (koid) => koid);
  /** Runs the call to its next block (its wait) or its result. */
  const step = (): Wait | Packet | number => {
    const r = call.next();
    if (r.done) return r.value;
    assert.equal(r.value.kind, "block");
    return (r.value as { wait: Wait }).wait;
  };
  return { t, clock, events, step };
}

Deno.test("zx_port_wait's wait is ready when a packet is queued or once the deadline is reached", () => {
  // yields.ts Wait.ready: true once the thread may run again, "woken, or its deadline passed";
  // it depends on now only through `now >= deadline`.
  const port = openPort();
  const { step } = waiter(port, 10);
  const wait = step() as Wait;
  assert.deepEqual([wait.ready(9), wait.ready(10), wait.ready(11)], [false, true, true]);
  port.queue(user(1), null);
  assert.equal(wait.ready(0), true);
});

Deno.test("zx_port_wait returns TIMED_OUT once its deadline passes, a packet when one arrives", () => {
  const port = openPort();
  const w = waiter(port, 10);
  assert.equal(typeof w.step(), "object");
  w.clock.now = 10;
  assert.equal(w.step(), ZX_ERR_TIMED_OUT);
  const v = waiter(port, 10);
  v.step();
  port.queue(user(5), null);
  assert.equal((v.step() as Packet).key, 5);
});

Deno.test("a thread killed while blocked in zx_port_wait leaves it with INTR_KILLED", () => {
  const port = openPort();
  const w = waiter(port, Infinity);
  w.step();
  w.t.alive = false;
  assert.equal(w.step(), ZX_ERR_INTERNAL_INTR_KILLED);
});

Deno.test("a port wait is described as having no handles left once the last one closed", () => {
  const port = openPort();
  const wait = waiter(port, Infinity).step() as Wait;
  assert.doesNotMatch(wait.describe(), /no handles/);
  port.handleCount = 0;
  assert.match(wait.describe(), /no handles left/);
});

Deno.test("zx_port_wait traces the dequeue of a page request, not of a user packet", () => {
  // events.ts: a "packet-dequeued" event carries a PagePacket and the VMO it is for.
  const port = openPort();
  port.queue(user(1), null);
  port.queue(page(2, 8), new RecordingOwner(5));
  const w = waiter(port, Infinity);
  assert.equal((w.step() as Packet).key, 1);
  assert.deepEqual(w.events.filter((e) => e.k === "packet-dequeued"), []);
  const v = waiter(port, Infinity);
  assert.equal((v.step() as Packet).key, 2);
  const traced = v.events.flatMap((e) =>
    e.k === "packet-dequeued" ? [[e.port, e.vmo, e.packet.offset, e.tid]] : []
  );
  assert.deepEqual(traced, [[1, 5, 8, 3]]);
});
