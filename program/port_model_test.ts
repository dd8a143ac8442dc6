// The contract's model of user packets on the program's own ports (program/port_model.ts):
// judge programs that carry signalLayout's user packets pass unmutated (the mutants it kills:
// program/oracle_gap_k_test.ts).
import { strict as assert } from "node:assert";
import { judgeProgram } from "../mutate/judges.ts";
import { programMonitors, runProgram } from "./run.ts";
import { HandleModel } from "./handle_model.ts";
import { type PortCallResult, PortModel } from "./port_model.ts";
import type { CallName } from "./program.ts";
import {
  ZX_ERR_NOT_FOUND,
  ZX_ERR_TIMED_OUT,
  ZX_OBJ_TYPE_PORT,
  ZX_OK,
  ZX_PKT_TYPE_USER,
} from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("port model: signalLayout's user packets are queued, cancelled and taken as predicted", () => {
  // Some program of the judge carries the layout (its port calls are all judged) and passes.
  let seen = 0;
  for (let k = 0; k < 200 && seen < 3; k++) {
    const { program, ...how } = judgeProgram(k);
    const calls = program.threads.flatMap((t: Any) => t.calls.map((c: Any) => c.call));
    if (!calls.includes("zx_port_cancel_key") || !calls.includes("zx_port_queue")) continue;
    seen++;
    assert.equal(runProgram(program, { ...how, monitors: programMonitors }).verdict.kind, "pass");
  }
  assert.ok(seen >= 1, "no judge program among 200 queues and cancels user packets");
});

Deno.test("port model: user packets come back oldest first; cancel_key is OK iff one had the key", () => {
  const model = new HandleModel();
  model.create(0x10, ZX_OBJ_TYPE_PORT);
  const ports = new PortModel();
  const user = (key: number) => ({ status: ZX_OK, packet: { type: ZX_PKT_TYPE_USER, key } });
  const none = (status: number) => ({ status, packet: null });
  const call = (name: CallName, args: unknown[], r: PortCallResult) => {
    ports.start(name, args, model, 5);
    return ports.end(name, args, r, model);
  };
  for (const key of [1, 2, 1]) {
    assert.equal(call("zx_port_queue", [0x10, { key }], none(ZX_OK)), undefined);
  }
  assert.equal(call("zx_port_cancel_key", [0x10, 0, 2], none(ZX_OK)), undefined);
  // The oldest packet (key 1) must come back, not a younger one.
  assert.match(call("zx_port_wait", [0x10, 0], user(2))!, /held the user packet with key 1/);
  // (The wait above took the head whatever it returned.) One key-1 packet left: cancel finds it.
  assert.match(
    call("zx_port_cancel_key", [0x10, 0, 1], none(ZX_ERR_NOT_FOUND))!,
    /held 1 user packets with key 1, so ZX_OK/,
  );
  assert.equal(call("zx_port_cancel_key", [0x10, 0, 1], none(ZX_ERR_NOT_FOUND)), undefined);
  // A queued packet and a wait past its deadline: TIMED_OUT is wrong.
  call("zx_port_queue", [0x10, { key: 3 }], none(ZX_OK));
  assert.match(call("zx_port_wait", [0x10, 0], none(ZX_ERR_TIMED_OUT))!, /TIMED_OUT with 1/);
  // Once an async wait names the port, its packets are the kernel's to choose: nothing judged.
  call("zx_object_wait_async", [0x20, 0x10, 3, 1, 0], none(ZX_OK));
  assert.equal(call("zx_port_cancel_key", [0x10, 0, 3], none(ZX_ERR_NOT_FOUND)), undefined);
  assert.equal(call("zx_port_wait", [0x10, 0], user(9)), undefined);
});
