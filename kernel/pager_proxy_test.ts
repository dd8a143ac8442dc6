/**
 * Unit tests of packet delivery for one VMO (spec 3.3, 1.1, 1.3, K4-K7): one
 * packet per VMO in the port, FIFO order, withdrawal from the FIFO and from
 * the port, COMPLETE last and once, pager close, and port death.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import {
  ZX_OK,
  ZX_PAGER_VMO_COMPLETE,
  ZX_PAGER_VMO_READ,
  ZX_PKT_TYPE_PAGE_REQUEST,
  ZX_PKT_TYPE_USER,
} from "./constants.ts";
import { KernelAssertionError } from "./assert.ts";
import { type KernelEvent, NULL_SINK, type PagePacket } from "./events.ts";
import { PageRequest } from "./page_source.ts";
import { PagerProxy } from "./pager_proxy.ts";
import { Port } from "./port.ts";

const PS = 4096;

/** A port with one open handle (a port with none is dead). */
function openPort(): Port {
  const port = new Port(100);
  port.handleCount = 1;
  return port;
}

function proxy(port: Port, key = 7, vmoKoid = 1): PagerProxy {
  return new PagerProxy(vmoKoid, port, key, PS, NULL_SINK);
}

function req(id: number, start: number, end: number): PageRequest {
  return new PageRequest(id, "READ", start, end, null);
}

/** Queued packets as `key:command@offset+length`, in pages. */
function inPort(port: Port): string[] {
  return port.packets().map((p) => {
    const pp = p as PagePacket;
    const cmd = pp.command === ZX_PAGER_VMO_COMPLETE ? "COMPLETE" : "READ";
    return `${pp.key}:${cmd}@${pp.offset / PS}+${pp.length / PS}`;
  });
}

/** Dequeues one packet (as the pager's zx_port_wait would) and describes it. */
function take(port: Port): string | undefined {
  const before = inPort(port)[0];
  return port.dequeue() === undefined ? undefined : before;
}

Deno.test("a READ packet carries the key, root offsets in bytes and a zeroed header", () => {
  const port = openPort();
  const px = proxy(port);
  px.send(req(1, 2, 5));
  assert.deepEqual(port.packets(), [{
    type: ZX_PKT_TYPE_PAGE_REQUEST,
    key: 7,
    status: ZX_OK,
    command: ZX_PAGER_VMO_READ,
    flags: 0,
    offset: 2 * PS,
    length: 3 * PS,
  }]);
});

Deno.test("one packet per VMO in the port; the rest wait in the FIFO", () => {
  const port = openPort();
  const px = proxy(port);
  px.send(req(1, 0, 1));
  px.send(req(2, 1, 2));
  px.send(req(3, 2, 3));
  assert.deepEqual(inPort(port), ["7:READ@0+1"]);
  assert.equal(px.pendingCount, 2);
});

Deno.test("FIFO: each dequeue queues the next request, in creation order", () => {
  const port = openPort();
  const px = proxy(port);
  px.send(req(1, 4, 5));
  px.send(req(2, 0, 1));
  px.send(req(3, 2, 3));
  assert.equal(take(port), "7:READ@4+1");
  assert.equal(take(port), "7:READ@0+1");
  assert.equal(take(port), "7:READ@2+1");
  assert.equal(take(port), undefined);
  assert.equal(px.pendingCount, 0);
});

Deno.test("two VMOs on one port: one packet each, port order across VMOs", () => {
  const port = openPort();
  const a = proxy(port, 7, 1);
  const b = proxy(port, 9, 2);
  a.send(req(1, 0, 1));
  a.send(req(2, 1, 2));
  b.send(req(3, 0, 1));
  assert.deepEqual(inPort(port), ["7:READ@0+1", "9:READ@0+1"]);
  assert.equal(take(port), "7:READ@0+1");
  assert.deepEqual(inPort(port), ["9:READ@0+1", "7:READ@1+1"]);
});

Deno.test("withdrawal from the FIFO: the pager never sees the request", () => {
  const port = openPort();
  const px = proxy(port);
  const r2 = req(2, 1, 2);
  px.send(req(1, 0, 1));
  px.send(r2);
  px.send(req(3, 2, 3));
  px.withdraw(r2);
  assert.equal(take(port), "7:READ@0+1");
  assert.equal(take(port), "7:READ@2+1");
  assert.equal(take(port), undefined);
});

Deno.test("withdrawal from the port: the packet is cancelled and the next one queued", () => {
  const port = openPort();
  const px = proxy(port);
  const r1 = req(1, 0, 1);
  px.send(r1);
  px.send(req(2, 1, 2));
  px.withdraw(r1);
  assert.deepEqual(inPort(port), ["7:READ@1+1"]);
  assert.equal(px.pendingCount, 0);
});

Deno.test("withdrawing a request the pager already dequeued changes nothing", () => {
  const port = openPort();
  const px = proxy(port);
  const r1 = req(1, 0, 1);
  px.send(r1);
  px.send(req(2, 1, 2));
  take(port);
  px.withdraw(r1);
  assert.deepEqual(inPort(port), ["7:READ@1+1"]);
});

Deno.test("swap: the heir takes over the packet in the port, so withdrawing it cancels it", () => {
  const port = openPort();
  const px = proxy(port);
  const r1 = req(1, 0, 2);
  const heir = req(1, 0, 2);
  px.send(r1);
  px.swap(r1, heir);
  assert.deepEqual(inPort(port), ["7:READ@0+2"], "no new packet");
  px.withdraw(r1);
  assert.deepEqual(inPort(port), ["7:READ@0+2"], "the old request no longer owns it");
  px.withdraw(heir);
  assert.deepEqual(inPort(port), []);
});

Deno.test("swap: an heir in the FIFO is delivered in the original's place", () => {
  const port = openPort();
  const px = proxy(port);
  const r2 = req(2, 1, 3);
  const heir = req(2, 1, 3);
  px.send(req(1, 0, 1));
  px.send(r2);
  px.swap(r2, heir);
  px.withdraw(r2);
  take(port);
  assert.deepEqual(inPort(port), ["7:READ@1+2"]);
});

Deno.test("COMPLETE: offset 0, length 0, after every request was withdrawn", () => {
  const port = openPort();
  const px = proxy(port);
  const r1 = req(1, 0, 1);
  const r2 = req(2, 1, 2);
  px.send(r1);
  px.send(r2);
  px.withdraw(r2);
  px.withdraw(r1);
  px.complete();
  assert.deepEqual(port.packets(), [{
    type: ZX_PKT_TYPE_PAGE_REQUEST,
    key: 7,
    status: ZX_OK,
    command: ZX_PAGER_VMO_COMPLETE,
    flags: 0,
    offset: 0,
    length: 0,
  }]);
  assert.equal(px.completeQueued, true);
});

Deno.test("COMPLETE after the pager dequeued the last request is queued at once", () => {
  const port = openPort();
  const px = proxy(port);
  const r1 = req(1, 0, 1);
  px.send(r1);
  take(port);
  px.complete();
  assert.deepEqual(inPort(port), ["7:COMPLETE@0+0"]);
});

Deno.test("COMPLETE is queued once and delivered once", () => {
  const port = openPort();
  const px = proxy(port);
  px.complete();
  px.complete();
  assert.deepEqual(inPort(port), ["7:COMPLETE@0+0"]);
  take(port);
  px.complete();
  assert.deepEqual(inPort(port), []);
  assert.equal(px.completesDelivered, 1);
});

// COMPLETE with a request still queued is a variant's doing (the model withdraws every request
// first): no assertion, which crashed userS27k's variant before the checker could judge it.
// COMPLETE goes behind what is queued; packet-discipline reports the request's packet
// (`withdrawn` after its resolve, K6 unread at the detach event).
Deno.test("COMPLETE with a request still queued goes out after it, unasserted", () => {
  const port = openPort();
  const px = proxy(port);
  const a = req(1, 0, 1), b = req(2, 1, 2);
  px.send(a);
  px.send(b);
  px.complete();
  assert.deepEqual(take(port), "7:READ@0+1");
  assert.deepEqual(take(port), "7:READ@1+1");
  assert.deepEqual(take(port), "7:COMPLETE@0+0");
  // Called before the withdraws (a variant's detach calling it first), it changes nothing the
  // pager sees: the withdraws still take the requests out ahead of COMPLETE.
  const port2 = openPort();
  const px2 = proxy(port2);
  px2.send(a);
  px2.send(b);
  px2.complete();
  px2.withdraw(b);
  px2.withdraw(a);
  assert.deepEqual(inPort(port2), ["7:COMPLETE@0+0"]);
});

Deno.test("no request may follow COMPLETE (K6)", () => {
  const port = openPort();
  const px = proxy(port);
  px.complete();
  // The assertion names the invariant it guards, for the report of the step that broke it.
  assert.throws(
    () => px.send(req(1, 0, 1)),
    (e) => e instanceof KernelAssertionError && /K6/.test(e.message),
  );
});

Deno.test("pager close withdraws a queued COMPLETE (K7)", () => {
  const port = openPort();
  const px = proxy(port);
  px.complete();
  px.close();
  assert.deepEqual(inPort(port), []);
  assert.equal(px.completesDelivered, 0);
});

Deno.test("pager close drops queued requests and nothing is delivered afterwards", () => {
  const port = openPort();
  const px = proxy(port);
  px.send(req(1, 0, 1));
  px.send(req(2, 1, 2));
  px.close();
  assert.deepEqual(inPort(port), []);
  assert.equal(px.pendingCount, 0);
  px.send(req(3, 2, 3));
  px.complete();
  assert.deepEqual(inPort(port), []);
});

Deno.test("pager close after COMPLETE was dequeued leaves the count at one", () => {
  const port = openPort();
  const px = proxy(port);
  px.complete();
  take(port);
  px.close();
  assert.equal(px.completesDelivered, 1);
});

Deno.test("port death with our packet in it makes the slot stuck for good", () => {
  const port = openPort();
  const px = proxy(port);
  const r1 = req(1, 0, 1);
  px.send(r1);
  px.send(req(2, 1, 2));
  port.handleCount = 0;
  port.dropAll();
  assert.equal(px.stuck, true);
  px.withdraw(r1);
  assert.equal(px.stuck, true, "withdrawing cannot free a packet the dead port dropped");
  assert.equal(port.depth, 0);
});

Deno.test("a port dead before the first packet refuses it and the slot is stuck", () => {
  const port = new Port(100);
  const px = proxy(port);
  px.send(req(1, 0, 1));
  assert.equal(px.stuck, true);
  px.send(req(2, 1, 2));
  assert.equal(port.depth, 0);
});

Deno.test("an idle proxy is not stuck when its port dies", () => {
  const port = openPort();
  const px = proxy(port);
  px.send(req(1, 0, 1));
  take(port);
  port.handleCount = 0;
  port.dropAll();
  assert.equal(px.stuck, false, "the slot was free; only the next queue attempt fails");
});

Deno.test("port cancel-key hands the packet back and the next request is queued (P2)", () => {
  const port = openPort();
  const px = proxy(port);
  px.send(req(1, 0, 1));
  px.send(req(2, 1, 2));
  assert.equal(port.cancelKey(7), 1);
  assert.deepEqual(inPort(port), ["7:READ@1+1"]);
  assert.equal(px.stuck, false);
});

Deno.test("a user packet with the same key does not disturb the VMO's slot", () => {
  const port = openPort();
  const px = proxy(port);
  port.queue({ type: ZX_PKT_TYPE_USER, key: 7, status: 0, user: [] }, null);
  px.send(req(1, 0, 1));
  assert.equal(port.dequeue()?.type, ZX_PKT_TYPE_USER);
  assert.deepEqual(inPort(port), ["7:READ@0+1"]);
  px.send(req(2, 1, 2));
  assert.equal(px.pendingCount, 1);
});

Deno.test("a packet cancelled by port cancel-key shows in the trace as withdrawn", () => {
  const port = openPort();
  const events: KernelEvent[] = [];
  const px = new PagerProxy(1, port, 7, PS, { emit: (e: KernelEvent) => events.push(e) });
  px.send(req(1, 0, 1));
  events.length = 0;
  assert.equal(port.cancelKey(7), 1);
  assert.deepEqual(events.filter((e) => e.k !== "packet-queued"), [
    { k: "packet-withdrawn", port: 100, vmo: 1, id: 1 },
  ]);
});
