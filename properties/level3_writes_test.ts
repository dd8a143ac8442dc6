/**
 * The kernel checkers on the level-3 ways a pager VMO is written (trial3's false alarms): a user
 * copy into a mapping, write and read pins, `zx_vmar_op_range(COMMIT)`. Each passes under the
 * kernel checkers, and the checkers still fire when the same call changes more than its rule lets.
 */

import { strict as nodeAssert } from "node:assert";
import { Kernel } from "../kernel/kernel.ts";
import { Page } from "../kernel/objects.ts";
import { parseProgram } from "../program/program.ts";
import { programMonitors, runProgram } from "../program/run.ts";
import { parseScenario } from "../scenario/schema.ts";
import { checkersOf } from "../case/kinds.ts";
import { checkCase } from "./check_case.ts";
import copyAndPin from "../examples/testdata/copy_and_pin_service.ts";

const assert = (c: unknown, m?: string) => nodeAssert.ok(c, m);
const assertEquals = (a: unknown, b: unknown, m?: string) => nodeAssert.deepStrictEqual(a, b, m);
// deno-lint-ignore no-explicit-any
type Any = any;
const H = (i: number) => ({ h: [0, i] });

function program(calls: [string, unknown[]][]) {
  return parseProgram({
    pageSize: 256,
    overtimeTicks: 0,
    threads: [{ failInsteadOfBlock: false, calls: calls.map(([call, args]) => ({ call, args })) }],
  });
}

/** Runs `fn` after every completed call `name` of the kernel while `body` runs. */
function after(name: string, fn: (k: Kernel, args: Any[]) => void, body: () => void): void {
  const proto = Kernel.prototype as Any;
  const orig = proto[name];
  proto[name] = function* (this: Kernel, ...args: Any[]) {
    const r = yield* orig.apply(this, args);
    fn(this, args);
    return r;
  };
  try {
    body();
  } finally {
    proto[name] = orig;
  }
}

function verdictOf(calls: [string, unknown[]][]) {
  return runProgram(program(calls), { seed: 1, monitors: programMonitors }).verdict;
}

/** Page 0 Clean (from a committed aux page), page 1 a marker, page 2 absent. */
const SUPPLIED: [string, unknown[]][] = [
  ["zx_pager_create", [0]],
  ["zx_port_create", [0]],
  ["zx_pager_create_vmo", [H(0), 0, H(1), 0, 768]],
  ["zx_vmo_create", [768, 0]],
  ["zx_vmo_write", [H(3), { bytes: 256, fill: 7 }, 0]],
  ["zx_pager_supply_pages", [H(0), H(2), 0, 512, H(3), 0]],
  ["zx_bti_create", [0, 0]],
];
const pin = (options: number, offset: number, size: number): [string, unknown[]] => [
  "zx_bti_pin",
  [H(6), options, H(2), offset, size],
];

Deno.test("a write pin of a Clean page and a marker makes both Dirty and the VMO modified", () => {
  let states: string[] = [];
  after("zx_bti_pin", (k) => {
    states = k.pagerVmos[0].slots.map((s) => s instanceof Page ? s.state : String(s));
  }, () => assertEquals(verdictOf([...SUPPLIED, pin(3, 0, 512)]).kind, "pass"));
  assertEquals(states.slice(0, 2), ["dirty", "dirty"]);
});

Deno.test("a read pin commits a marker as a Clean page and a zero slot as a Dirty one", () => {
  const v = verdictOf([
    ...SUPPLIED,
    ["zx_vmo_op_range", [H(2), 10, 512, 256]], // page 2 a zero slot
    ["zx_pager_query_vmo_stats", [H(0), H(2), 1, 16]],
    pin(1, 256, 512),
  ]);
  assertEquals(v.kind, "pass", JSON.stringify(v));
});

Deno.test("zx_vmar_op_range(COMMIT) of a grown zero tail allocates a Dirty page", () => {
  const v = verdictOf([
    ["zx_pager_create", [0]],
    ["zx_port_create", [0]],
    ["zx_pager_create_vmo", [H(0), 2, H(1), 0, 0]],
    ["zx_vmo_set_size", [H(2), 1024]],
    ["zx_vmar_map", [{ vmar: 0 }, 3, 0, H(2), 0, 1024]],
    ["zx_pager_query_vmo_stats", [H(0), H(2), 1, 16]],
    ["zx_vmar_op_range", [{ vmar: 0 }, 1, { addr: [0, 4], plus: 0 }, 256]],
  ]);
  assertEquals(v.kind, "pass", JSON.stringify(v));
});

Deno.test("a user copy into a mapped pager VMO and a write pin, plain and TRAP_DIRTY, pass", () => {
  const scenario = parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs", service: { kind: "custom", name: "user" } }],
    vmos: [
      { name: "plain", pager: "fs", pages: 2 },
      { name: "trapped", pager: "fs", pages: 2, trapDirty: true },
    ],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "plain", page: 1, pages: 1 }] }],
  });
  for (let seed = 0; seed < 10; seed++) {
    const r = checkCase({ scenario, decisions: [], seed }, {
      monitors: checkersOf("kernel"),
      services: { user: copyAndPin },
    });
    assertEquals(r.verdict.kind, "pass", `seed ${seed}: ${JSON.stringify(r.verdict)}`);
  }
});

// The oracle stays tight: the same calls changing more than their rule allows still fire.

function assertFires(v: Any, what: RegExp): void {
  assert(v.kind === "invariant", JSON.stringify(v));
  assert(what.test(`${v.invariant}: ${v.message}`), JSON.stringify(v));
}

Deno.test("a read pin that dirties the Clean page it pins fires", () => {
  after("zx_bti_pin", (k) => {
    const s = k.pagerVmos[0].slots[0];
    if (s instanceof Page) s.state = "dirty";
  }, () => assertFires(verdictOf([...SUPPLIED, pin(1, 0, 256)]), /clean to dirty/));
});

Deno.test("a write pin that dirties a Clean page outside its range fires", () => {
  after(
    "zx_bti_pin",
    (k) => {
      const s = k.pagerVmos[0].slots[0];
      if (s instanceof Page) s.state = "dirty";
    },
    () =>
      assertFires(verdictOf([...SUPPLIED, pin(3, 256, 256)]), /page 0 went from clean to dirty/),
  );
});

Deno.test("a read pin that marks the VMO modified fires K25", () => {
  after("zx_bti_pin", (k) => {
    k.pagerVmos[0].modified = true;
  }, () => assertFires(verdictOf([...SUPPLIED, pin(1, 0, 256)]), /K25/));
});

Deno.test("a zx_vmo_read that marks the VMO it reads modified fires K25", () => {
  after("zx_vmo_read", (k) => {
    k.pagerVmos[0].modified = true;
  }, () => assertFires(verdictOf([...SUPPLIED, ["zx_vmo_read", [H(2), 0, 256]]]), /K25/));
});
