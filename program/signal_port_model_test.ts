import { strict as assert } from "node:assert";
import {
  ZX_ERR_TIMED_OUT,
  ZX_OBJ_TYPE_EVENT,
  ZX_OBJ_TYPE_PORT,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_PKT_TYPE_SIGNAL_ONE,
  ZX_USER_SIGNAL_0,
  ZX_WAIT_ASYNC_TIMESTAMP,
} from "../kernel/constants.ts";
import { HandleModel } from "./handle_model.ts";
import { SignalPortModel } from "./signal_port_model.ts";

const U0 = ZX_USER_SIGNAL_0;
const U1 = ZX_USER_SIGNAL_0 * 2;

/** A model with a VMO (handle 1), an event (handle 2) and a port (handle 3). */
function setup(): { ports: SignalPortModel; model: HandleModel; run: Run } {
  const model = new HandleModel();
  model.create(1, ZX_OBJ_TYPE_VMO, 0, null, 64);
  model.create(2, ZX_OBJ_TYPE_EVENT);
  model.create(3, ZX_OBJ_TYPE_PORT);
  const ports = new SignalPortModel();
  const run: Run = (call, args, status, tid = 0) => {
    ports.start(call as never, args, model, tid);
    return ports.end(call as never, args, status, tid);
  };
  return { ports, model, run };
}

type Run = (call: string, args: unknown[], status: number, tid?: number) => string | undefined;

Deno.test("signal ports: a wait for an active signal surely queued a packet", () => {
  const { run } = setup();
  assert.equal(run("zx_object_signal", [1, 0, U0 | U1], ZX_OK), undefined);
  assert.equal(run("zx_object_signal", [1, U0, 0], ZX_OK), undefined);
  assert.equal(run("zx_object_wait_async", [1, 3, 1, U1, 0], ZX_OK), undefined);
  assert.match(run("zx_port_wait", [3, 0], ZX_ERR_TIMED_OUT) ?? "", /surely held 1 signal packet/);
  // The packet taken, the port may be empty.
  assert.equal(run("zx_port_wait", [3, 0], ZX_OK), undefined);
  assert.equal(run("zx_port_wait", [3, 0], ZX_ERR_TIMED_OUT), undefined);
});

Deno.test("signal ports: a wait for a cleared signal owes nothing until the signal is set", () => {
  const { run } = setup();
  run("zx_object_signal", [2, 0, U1], ZX_OK);
  run("zx_object_signal", [2, U1, 0], ZX_OK);
  assert.equal(run("zx_object_wait_async", [2, 3, 7, U1, 0], ZX_OK), undefined);
  assert.equal(run("zx_port_wait", [3, 0], ZX_ERR_TIMED_OUT), undefined);
  run("zx_object_signal", [2, 0, U1], ZX_OK);
  assert.ok(run("zx_port_wait", [3, 0], ZX_ERR_TIMED_OUT) !== undefined);
});

Deno.test("signal ports: a closed wait handle, a cancel or a failed wait_async owes nothing", () => {
  const { run } = setup();
  run("zx_object_wait_async", [1, 3, 1, U0, 0], ZX_OK);
  run("zx_handle_close", [1], ZX_OK);
  run("zx_object_signal", [2, 0, U0], ZX_OK);
  assert.equal(run("zx_port_wait", [3, 0], ZX_ERR_TIMED_OUT), undefined);
  // A refused wait_async, and EDGE-like options the model does not take, queue nothing.
  assert.equal(run("zx_object_wait_async", [2, 3, 1, U0, 4], ZX_OK), undefined);
  assert.equal(run("zx_object_wait_async", [2, 3, 1, U0, 0], -10), undefined);
  assert.equal(run("zx_port_wait", [3, 0], ZX_ERR_TIMED_OUT), undefined);
  run("zx_object_wait_async", [2, 3, 1, U0, 0], ZX_OK);
  run("zx_port_cancel_key", [3, 0, 1], ZX_OK);
  assert.equal(run("zx_port_wait", [3, 0], ZX_ERR_TIMED_OUT), undefined);
});

Deno.test("signal ports: a packet another thread took while a wait ran is not owed to it", () => {
  const { ports, model, run } = setup();
  run("zx_object_signal", [2, 0, U0], ZX_OK);
  run("zx_object_wait_async", [2, 3, 1, U0, 0], ZX_OK);
  ports.start("zx_port_wait", [3, 100], model, 1);
  assert.equal(run("zx_port_wait", [3, 0], ZX_OK, 2), undefined);
  assert.equal(ports.end("zx_port_wait", [3, 100], ZX_ERR_TIMED_OUT, 1), undefined);
});

Deno.test("signal ports: a port only user-signal waits reach holds exactly their packets", () => {
  const early = setup();
  early.run("zx_object_wait_async", [1, 3, 2, U0, 0], ZX_OK);
  assert.match(early.run("zx_port_wait", [3, 0], ZX_OK) ?? "", /held no packet/);
  const { run } = setup();
  run("zx_object_wait_async", [1, 3, 2, U0, 0], ZX_OK);
  assert.equal(run("zx_port_wait", [3, 0], ZX_ERR_TIMED_OUT), undefined);
  run("zx_object_signal", [1, 0, U0], ZX_OK);
  assert.equal(run("zx_port_wait", [3, 0], ZX_OK), undefined);
  // A wait that may fire by a signal the model does not follow: the port is no longer exact.
  run("zx_object_wait_async", [1, 3, 3, 1 << 2, 0], ZX_OK);
  assert.equal(run("zx_port_wait", [3, 0], ZX_OK), undefined);
});

Deno.test("signal ports: a port some other call names is not held exact", () => {
  const { run } = setup();
  run("zx_port_queue", [3, { packet: 1 }], ZX_OK);
  assert.equal(run("zx_port_wait", [3, 0], ZX_OK), undefined);
});

/** A signal packet as the kernel hands it back. */
const packet = (key: number, trigger: number, observed: number, timestamp = 0) => ({
  type: ZX_PKT_TYPE_SIGNAL_ONE,
  key,
  status: ZX_OK,
  signal: { trigger, observed, count: 1, timestamp },
});

Deno.test("signal ports: the packet a port of async waits hands back is its wait's", () => {
  const { ports, model } = setup();
  const take = (p: unknown) => {
    ports.start("zx_port_wait", [3, 0], model, 0);
    return ports.end("zx_port_wait", [3, 0], ZX_OK, 0, p);
  };
  const wait = (key: number, signals: number, options = 0) => {
    ports.start("zx_object_wait_async", [1, 3, key, signals, options], model, 0);
    return ports.end("zx_object_wait_async", [1, 3, key, signals, options], ZX_OK, 0);
  };
  ports.start("zx_object_signal", [1, 0, U0 | U1], model, 0);
  ports.end("zx_object_signal", [1, 0, U0 | U1], ZX_OK, 0);
  for (let n = 0; n < 10; n++) wait(1, U1);
  wait(2, U0, ZX_WAIT_ASYNC_TIMESTAMP);
  // Its key, trigger and the signals active then; a timestamp only if asked for.
  assert.equal(take(packet(1, U1, U0 | U1)), undefined);
  assert.equal(take(packet(2, U0, U0 | U1, 77)), undefined);
  assert.match(take({}) ?? "", /not a ZX_PKT_TYPE_SIGNAL_ONE packet/);
  assert.match(take(null) ?? "", /no packet/);
  assert.match(take({ ...packet(1, U1, U1), signal: {} }) ?? "", /not a ZX_PKT_TYPE_SIGNAL_ONE/);
  assert.match(take(packet(3, U1, U1)) ?? "", /no async wait on the port was made with that key/);
  assert.match(take(packet(1, U0, U0)) ?? "", /no async wait .* those signals/);
  assert.match(take(packet(1, U1, U0)) ?? "", /none of its signals was active/);
  assert.match(take(packet(1, U1, U1, 5)) ?? "", /timestamp 5 from a wait made without/);
});

Deno.test("signal ports: a closed handle's wait owes no packet; one taken anyway is caught", () => {
  const { ports, model } = setup();
  const run = (call: string, args: unknown[], status: number, p?: unknown) => {
    ports.start(call as never, args, model, 0);
    return ports.end(call as never, args, status, 0, p);
  };
  const vmo = model.get(1);
  assert.ok(vmo !== undefined);
  model.alias(4, vmo, vmo.rights);
  assert.equal(run("zx_object_wait_async", [4, 3, 1, U0, 0], ZX_OK), undefined);
  assert.equal(run("zx_handle_close", [4], ZX_OK), undefined);
  assert.equal(run("zx_object_signal", [1, 0, U0], ZX_OK), undefined);
  assert.equal(run("zx_port_wait", [3, 0], ZX_ERR_TIMED_OUT), undefined);
  assert.match(
    run("zx_port_wait", [3, 0], ZX_OK, packet(1, U0, U0)) ?? "",
    /held no packet/,
  );
});
