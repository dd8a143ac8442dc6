/**
 * The packet loops of the batching, detacher and writeback services against a scripted `Sys`:
 * the port answers a given list of packets, and any other call fails the test unless it is one the
 * test expects. A scenario reaches these paths only under some schedules (a COMPLETE already
 * queued behind a READ, a READ after the pager is closed, a stray user packet); here each is
 * reached directly and cheaply.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import {
  type Status,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_TIMED_OUT,
  ZX_OK,
  ZX_PAGER_VMO_COMPLETE,
  ZX_PAGER_VMO_READ,
  ZX_PKT_TYPE_PAGE_REQUEST,
  ZX_PKT_TYPE_USER,
} from "../kernel/constants.ts";
import type { Packet } from "../kernel/events.ts";
import type { Syscall } from "../kernel/yields.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";
import { batchingService } from "./batching.ts";
import { detacherService } from "./detacher.ts";
import type { ServiceContext } from "./service.ts";
import { WRITEBACK_KEY, writebackService } from "./writeback.ts";

const PS = 64;
const KEY = 5;

/** A call of the scripted Sys: one scheduling point, as every syscall starts, then `value`. */
function* call<T>(name: string, value: T): Syscall<T> {
  yield { kind: "syscall", name };
  return value;
}

function page(command: number, offset = 0, length = PS): Packet {
  return {
    type: ZX_PKT_TYPE_PAGE_REQUEST,
    key: KEY,
    status: ZX_OK,
    command,
    flags: 0,
    offset,
    length,
  };
}

function context(params: Partial<ServiceContext["params"]> = {}): ServiceContext {
  return {
    pager: 1,
    port: 2,
    vmos: [{ name: "a", key: KEY, handle: 3, size: 4 * PS }],
    params: {
      batch: 4,
      readAhead: 0,
      failPercent: 0,
      detachAfter: 0,
      closePager: false,
      ...params,
    },
  } as unknown as ServiceContext;
}

/**
 * Runs `service` on a `Sys` whose port_wait answers `packets` in turn (then BAD_HANDLE: the port
 * is gone, every service returns), whose `allowed` calls record themselves and succeed (ZX_OK;
 * zx_vmo_create a handle too), and whose every other call throws. Returns the calls made and the checkpoint keys declared.
 */
function drive(
  service: (sys: Sys, ctx: ServiceContext) => ThreadBody,
  ctx: ServiceContext,
  packets: readonly ([Status, Packet | null])[],
  allowed: readonly string[] = [],
): { calls: string[]; checkpoints: string[] } {
  const queue = [...packets];
  const calls: string[] = [];
  const checkpoints: string[] = [];
  const sys = new Proxy({}, {
    get(_target, name) {
      if (name === "pageSize") return PS;
      if (name === "now") return 0;
      if (name === "checkpoint") return (key: string) => checkpoints.push(key);
      if (name === "portWait") {
        return (): Syscall<[Status, Packet | null]> =>
          call("zx_port_wait", queue.shift() ?? [ZX_ERR_BAD_HANDLE, null]);
      }
      if (typeof name === "string" && allowed.includes(name)) {
        return (): Syscall<Status | [Status, number]> => {
          calls.push(name);
          return call(name, name === "vmoCreate" ? [ZX_OK, 9] : ZX_OK);
        };
      }
      throw new Error(`unexpected call: ${String(name)}`);
    },
  }) as unknown as Sys;
  const body = service(sys, ctx);
  for (let r = body.next(); !r.done; r = body.next()) {
    assert.equal(r.value.kind, "syscall", "nothing blocks on the scripted Sys");
  }
  return { calls, checkpoints };
}

// ZX_PAGER_VMO_COMPLETE is the last packet a VMO's port gets (zx_pager_create_vmo: it follows
// zx_pager_detach_vmo once every request is done): a READ queued before it is stale.
Deno.test("batching: a COMPLETE in the batch drops the VMO's READs gathered before it", () => {
  const { calls } = drive(batchingService, context(), [
    [ZX_OK, page(ZX_PAGER_VMO_READ)],
    [ZX_OK, page(ZX_PAGER_VMO_COMPLETE, 0, 0)],
  ]);
  assert.deepEqual(calls, []);
});

Deno.test("detacher with closePager: no supply after the pager handle is closed", () => {
  const { calls } = drive(detacherService, context({ closePager: true }), [
    [ZX_OK, page(ZX_PAGER_VMO_READ)],
    [ZX_OK, page(ZX_PAGER_VMO_READ, PS)],
    [ZX_OK, page(ZX_PAGER_VMO_READ, 2 * PS)],
  ], ["handleClose"]);
  assert.deepEqual(calls, ["handleClose"]);
});

// A checkpoint key may merge two states only if the thread behaves the same from both (sim/sys.ts
// Sys.checkpoint): before the detach the count of packets served decides when it detaches, after
// it the count no longer matters.
Deno.test("detacher's checkpoint keys tell apart the counts before the detach, not after", () => {
  const reads = [0, 1, 2, 3].map((i): [Status, Packet] => [ZX_OK, page(ZX_PAGER_VMO_READ, i * PS)]);
  const supply = ["vmoCreate", "vmoWrite", "pagerSupplyPages", "handleClose"];
  const { calls, checkpoints } = drive(detacherService, context({ detachAfter: 1 }), reads, [
    ...supply,
    "pagerDetachVmo",
  ]);
  // Served 0 is supplied, served 1 detaches instead, served 2 and 3 are supplied again.
  assert.deepEqual(calls, [...supply, "pagerDetachVmo", ...supply, ...supply]);
  // One key per port_wait: served 0, 1, then 2, 3 and 4 (past the detach), then the failed wait.
  assert.equal(checkpoints.length, 5);
  const [zero, one, two, three, four] = checkpoints;
  assert.notEqual(zero, one);
  assert.notEqual(one, two);
  assert.equal(two, three);
  assert.equal(three, four);
});

Deno.test("writeback: a user packet with another key starts no writeback pass", () => {
  const stray = { type: ZX_PKT_TYPE_USER, key: WRITEBACK_KEY + 1, status: ZX_OK, user: [] };
  const { calls } = drive(writebackService, context({ writebackTicks: 1000 }), [
    [ZX_OK, stray as unknown as Packet],
  ]);
  assert.deepEqual(calls, []);
});

Deno.test("writeback: its own user packet, and the timer, each start a pass over the VMOs", () => {
  const own = { type: ZX_PKT_TYPE_USER, key: WRITEBACK_KEY, status: ZX_OK, user: [] };
  for (const wake of [[ZX_OK, own], [ZX_ERR_TIMED_OUT, null]] as const) {
    assert.throws(
      () =>
        drive(writebackService, context({ writebackTicks: 1000 }), [
          [wake[0], wake[1] as unknown as Packet],
        ]),
      /unexpected call/,
    );
  }
});
