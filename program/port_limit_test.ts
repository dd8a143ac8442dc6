// A port at its packet limit (program/generate.ts `portLimitProgram`, the campaign judge's
// `program:port-limit` probe) and the rules that judge it: `PortModel`'s limit (ZX_OK below
// `LIMITS.maxPortPackets` user packets, SHOULD_WAIT above it), `SignalPortModel` after a
// cancel_key of a key no async wait used, and packet-discipline `exempt` (a port with a handle
// refused a pager's packet). Each mutant of kernel/port.ts below survived every campaign probe
// on e0e43d2 (docs/mutation.md, "A port at its packet limit (session 22, helper gapR22)") and
// fails the program, as the case says; the program passes unmutated.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { HandleModel } from "./handle_model.ts";
import { PortModel } from "./port_model.ts";
import { SignalPortModel } from "./signal_port_model.ts";
import {
  LIMITS,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_TIMED_OUT,
  ZX_OBJ_TYPE_EVENT,
  ZX_OBJ_TYPE_PORT,
  ZX_OK,
  ZX_PKT_TYPE_PAGE_REQUEST,
  ZX_USER_SIGNAL_0,
} from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const CASES: readonly [key: string, what: string, invariant: string, message: RegExp][] = [
  [
    "kernel/port.ts:114:9:ConditionalExpression:false",
    "user packets never refused",
    "program-contract",
    /returned ZX_OK on port \d+ holding 4097 user packets, more than its limit of 4096/,
  ],
  [
    "kernel/port.ts:114:84:BooleanLiteral:true",
    "a refused user packet reported queued",
    "program-contract",
    /holding 4097 user packets, more than its limit/,
  ],
  [
    "kernel/port.ts:114:27:BooleanLiteral:reserved",
    "the limit on reserved packets instead of user packets",
    "program-contract",
    /more than its limit of 4096/,
  ],
  [
    "kernel/port.ts:112:63:BooleanLiteral:true",
    "every packet reserved by default: user packets never refused",
    "program-contract",
    /more than its limit of 4096/,
  ],
  [
    "kernel/port.ts:114:9:ConditionalExpression:true @end+0:23",
    "a pager's packet counted against the limit",
    "packet-discipline",
    /exempt: port \d+, which has 1 handle\(s\), refused vmo\d+'s packet #1/,
  ],
  [
    "kernel/port.ts:114:9:ConditionalExpression:true @end+0:36",
    "every kernel packet counted against the limit",
    "packet-discipline",
    /exempt: .* a pager's packets are exempt from the limit/,
  ],
];

Deno.test("portLimitProgram passes unmutated and kills the limit's mutants of kernel/port.ts", async (t) => {
  const m = await mutantMirror(["kernel/port.ts"]);
  try {
    const { portLimitProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () => runProgram(portLimitProgram(), { seed: 0, monitors: programMonitors });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    // The fill's last two calls are refused; the full port still took the async wait's packet.
    const res = base.results[0];
    const fill = 3 + LIMITS.maxPortPackets;
    assert.equal(res[fill].status, ZX_OK);
    assert.equal(res[fill + 1].status, ZX_ERR_SHOULD_WAIT);
    assert.equal(res[fill + 2].status, ZX_ERR_SHOULD_WAIT);
    assert.equal(res.at(-2).packet?.key, 1);
    for (const [key, what, invariant, message] of CASES) {
      await t.step(what, () => {
        const v = m.withMutant(key, () => run().verdict);
        assert.equal(v.kind, "invariant", JSON.stringify(v));
        assert.equal(v.invariant, invariant, JSON.stringify(v));
        assert.match(v.message, message);
      });
    }
  } finally {
    m.dispose();
  }
});

Deno.test("portLimitProgram: an async wait's packet refused by the full port is owed (signals.ts)", async () => {
  const m = await mutantMirror(["kernel/signals.ts"]);
  try {
    const { portLimitProgram } = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () =>
      runProgram(portLimitProgram(), { seed: 0, monitors: programMonitors }).verdict;
    assert.equal(run().kind, "pass");
    const v = m.withMutant("kernel/signals.ts:89:34:BooleanLiteral:false", run);
    assert.equal(v.invariant, "program-contract", JSON.stringify(v));
    assert.match(
      v.message,
      /zx_port_wait returned ZX_ERR_TIMED_OUT, but port \d+ surely held 1 signal packet/,
    );
  } finally {
    m.dispose();
  }
});

Deno.test("port model: ZX_OK below the limit, SHOULD_WAIT above it, either at it", () => {
  const model = new HandleModel();
  model.create(3, ZX_OBJ_TYPE_PORT);
  const ports = new PortModel();
  const queue = (status: number) => {
    const args = [3, { key: 9 }];
    ports.start("zx_port_queue", args, model, 0);
    return ports.end("zx_port_queue", args, { status, packet: null }, model);
  };
  assert.match(queue(ZX_ERR_SHOULD_WAIT) ?? "", /SHOULD_WAIT on port \d+ holding 0 user packets/);
  for (let n = 0; n < LIMITS.maxPortPackets; n++) assert.equal(queue(ZX_OK), undefined);
  assert.equal(queue(ZX_ERR_SHOULD_WAIT), undefined, "the model's answer at the limit");
  assert.equal(queue(ZX_OK), undefined, "upstream's answer at the limit (its check is >)");
  assert.match(queue(ZX_OK) ?? "", /ZX_OK on port \d+ holding 4097 user packets/);
  assert.equal(queue(ZX_ERR_SHOULD_WAIT), undefined);
});

Deno.test("signal ports: a cancel_key of a key no async wait used spares the waits' packets", () => {
  const model = new HandleModel();
  model.create(2, ZX_OBJ_TYPE_EVENT);
  model.create(3, ZX_OBJ_TYPE_PORT);
  const ports = new SignalPortModel();
  const run = (call: string, args: unknown[], status: number) => {
    ports.start(call as never, args, model, 0);
    return ports.end(call as never, args, status, 0);
  };
  run("zx_object_signal", [2, 0, ZX_USER_SIGNAL_0], ZX_OK);
  run("zx_object_wait_async", [2, 3, 1, ZX_USER_SIGNAL_0, 0], ZX_OK);
  run("zx_port_cancel_key", [3, 0, 9], ZX_OK);
  assert.match(run("zx_port_wait", [3, 0], ZX_ERR_TIMED_OUT) ?? "", /surely held 1 signal packet/);
  // Its own key may remove it: the port is no longer judged.
  run("zx_object_wait_async", [2, 3, 1, ZX_USER_SIGNAL_0, 0], ZX_OK);
  run("zx_port_cancel_key", [3, 0, 1], ZX_OK);
  assert.equal(run("zx_port_wait", [3, 0], ZX_ERR_TIMED_OUT), undefined);
});

Deno.test("signal ports: a wait handed a packet of another type took none of the signal packets", () => {
  const model = new HandleModel();
  model.create(2, ZX_OBJ_TYPE_EVENT);
  model.create(3, ZX_OBJ_TYPE_PORT);
  const ports = new SignalPortModel();
  const run = (call: string, args: unknown[], status: number, packet?: unknown) => {
    ports.start(call as never, args, model, 0);
    return ports.end(call as never, args, status, 0, packet);
  };
  run("zx_object_signal", [2, 0, ZX_USER_SIGNAL_0], ZX_OK);
  run("zx_object_wait_async", [2, 3, 1, ZX_USER_SIGNAL_0, 0], ZX_OK);
  run("zx_pager_create_vmo", [5, 0, 3, 2, 64], ZX_OK); // the port is a pager's too: not exact
  // A pager's request (type ZX_PKT_TYPE_PAGE_REQUEST) taken first: the signal packet is still owed.
  assert.equal(
    run("zx_port_wait", [3, 0], ZX_OK, { type: ZX_PKT_TYPE_PAGE_REQUEST, key: 2 }),
    undefined,
  );
  assert.match(run("zx_port_wait", [3, 0], ZX_ERR_TIMED_OUT) ?? "", /surely held 1 signal packet/);
});
