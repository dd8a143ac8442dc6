// Blind spots of the campaign judge in gap list D of sample db479d7 (seed 13; docs/mutation.md,
// "Blind-spot triage: sample db479d7 (seed 13), gap list D") that a kernel checker now catches:
// each workload passes the kernel checkers unmutated, and with the mutant on, the checker named
// fails it with the rule given. The futex_garbage rows are in mutate/futex_garbage_test.ts, the
// program rows in program/contract_mutants_test.ts.
import { strict as assert } from "node:assert";
import {
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_NO_MEMORY,
  ZX_EVENT_SIGNALED,
  ZX_RIGHT_SAME_RIGHTS,
} from "../kernel/constants.ts";
import { type MutantMirror, mutantMirror } from "./mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/** Runs `body(world)` in a fresh world of the mirror under the kernel checkers: its verdict. */
async function worldRunner(
  m: MutantMirror,
  options: Record<string, unknown>,
  body: (world: Any) => void,
): Promise<() => Any> {
  const { World } = await m.load("sim/world.ts") as Any;
  const { kernelInvariants } = await m.load("properties/kernel_invariants.ts") as Any;
  return () => {
    const world = new World({ pageSize: 64, monitors: kernelInvariants(), ...options });
    body(world);
    return world.run().verdict;
  };
}

// Three events the kernel emits in a form no reader of the trace knows: a block on an object's
// signals that names nothing (kernel.ts:415), and an empty object in place of a futex wait's
// block (kernel.ts:499) and of a killed thread's `thread` event (kernel.ts:829 in sample db479d7;
// KernelObjects.kill emits it since kills inside a harness entry are deferred: kernel_objects.ts).
async function eventFormKills(
  file: string,
  rows: readonly (readonly [key: string, rule: RegExp])[],
): Promise<void> {
  const m = await mutantMirror(file);
  try {
    const { fairStrategy } = await m.load("sim/strategy.ts") as Any;
    const run = await worldRunner(m, { strategy: fairStrategy() }, (world) => {
      const victim = world.spawn("busy", "workload", function* (sys: Any) {
        for (let i = 0; i < 40; i++) yield* sys.eventCreate(0);
      }).handle;
      world.spawn("waiter", "workload", function* (sys: Any) {
        const [, event] = yield* sys.eventCreate(0);
        yield* sys.objectWaitOne(event, ZX_EVENT_SIGNALED, sys.now + 3);
        yield* sys.futexWait(sys.futexWord(0), 0, 0, sys.now + 3);
        yield* sys.taskKill(victim);
      });
    });
    assert.equal(run().kind, "pass");
    for (const [key, rule] of rows) {
      const v: Any = m.withMutant(key, run);
      assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
      assert.equal(v.invariant, "syscall-contract", key);
      assert.match(v.message, rule, key);
    }
  } finally {
    m.dispose();
  }
}

const NO_KIND = /^event-form: the kernel emitted an event of no known kind: \{\}$/;

Deno.test("syscall-contract event-form: a block that names nothing, an event of no kind (kernel.ts:415, 499)", async () => {
  await eventFormKills("kernel/kernel.ts", [
    ["kernel/kernel.ts:425:23:StringLiteral:``", /^event-form: t2 blocked on nothing named: /],
    ["kernel/kernel.ts:513:20:ObjectLiteral:{}", NO_KIND],
  ]);
});

Deno.test("syscall-contract event-form: a killed thread's event of no kind (kernel_objects.ts:332)", async () => {
  await eventFormKills("kernel/kernel_objects.ts", [
    ["kernel/kernel_objects.ts:378:20:ObjectLiteral:{}", NO_KIND],
  ]);
});

// An injected allocation failure of zx_handle_duplicate before its handle's lookup: a bad handle
// returns NO_MEMORY (syscalls.ts:1253 checks only typed handles then).
Deno.test("syscall-contract K27: a bad handle's zx_handle_duplicate is BAD_HANDLE, never an injected NO_MEMORY (syscalls.ts:1253)", async () => {
  const m = await mutantMirror("kernel/syscalls.ts");
  try {
    const { randomStrategy } = await m.load("sim/strategy.ts") as Any;
    const run = await worldRunner(
      m,
      { strategy: randomStrategy(1), allocFailPercent: 100 },
      (world) => {
        let done = 0;
        world.spawn("service", "service", function* (sys: Any) {
          const [st] = yield* sys.handleDuplicate(0x7ff0, ZX_RIGHT_SAME_RIGHTS);
          assert.ok(st === ZX_ERR_BAD_HANDLE || st === ZX_ERR_NO_MEMORY, `status ${st}`);
          done = 1;
        });
        world.spawn("joiner", "workload", function* (sys: Any) {
          const rest = sys.futexWord(0);
          while (done === 0) yield* sys.futexWait(rest, 0, 0, sys.now + 2);
        });
      },
    );
    assert.equal(run().kind, "pass");
    const v: Any = m.withMutant("kernel/syscalls.ts:1290:9:ConditionalExpression:false", run);
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "syscall-contract");
    assert.match(
      v.message,
      /^K27: t1 zx_handle_duplicate returned ZX_ERR_NO_MEMORY; its argument checks say ZX_ERR_BAD_HANDLE first$/,
    );
  } finally {
    m.dispose();
  }
});
