// Blind spots of the campaign judge in kernel/futex.ts, kernel/kernel.ts and kernel/signals.ts
// (docs/mutation.md, "Blind-spot triage: kernel/futex.ts, kernel.ts, loans.ts, signals.ts"): each
// workload passes the kernel checkers unmutated, and with the mutant on, the checker named fails
// it with the rule given. The conformance rows run Zircon's tests as the campaign judge runs them
// (`runChecked`: their own expectations left out).
import { strict as assert } from "node:assert";
import { mutantMirror } from "./mutant_mirror.ts";
import { conformanceMutantSteps } from "./_conformance_mutants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const CONFORMANCE: [
  file: string,
  key: string,
  id: string,
  name: string,
  checker: string,
  rule: RegExp,
][] = [
  // valid() lets an aligned address below the first word through: F4's null pointer is a word.
  [
    "kernel/futex.ts",
    'kernel/futex.ts:109:9:LogicalOperator:(typeof addr !== "number" || !Number.isInteger(addr)) && addr < FUTEX_BASE',
    "F4",
    "WaitBadAddress",
    "futex-discipline",
    /^futex-args: t\d+ zx_futex_wait\(0x0, .*: a pointer is no futex word .* ZX_ERR_BAD_STATE$/,
  ],
  [
    "kernel/futex.ts",
    "kernel/futex.ts:109:64:ConditionalExpression:false",
    "F4",
    "WaitBadAddress",
    "futex-discipline",
    /^futex-args: t\d+ zx_futex_wait\(0x0, .*: a pointer is no futex word/,
  ],
  // Every requeue onto another futex is INVALID_ARGS (the same-futex check inverted).
  [
    "kernel/kernel.ts",
    "kernel/kernel.ts:562:9:EqualityOperator:valuePtr !== requeuePtr",
    "F9",
    "RequeueValueMismatch",
    "futex-discipline",
    /^futex-args: t\d+ zx_futex_requeue\(.*\): every argument is valid, yet it returned ZX_ERR_INVALID_ARGS$/,
  ],
  // A live thread's blocking zx_object_wait_one returns the killed thread's internal status.
  [
    "kernel/kernel.ts",
    "kernel/kernel.ts:433:13:BooleanLiteral:t.alive",
    "V1",
    "SignalSanity",
    "syscall-contract",
    /^suspend: t\d+ zx_object_wait_one returned ZX_ERR_INTERNAL_INTR_KILLED, never killed$/,
  ],
  // ZX_VMO_ZERO_CHILDREN active exactly while the VMO has a child.
  [
    "kernel/signals.ts",
    "kernel/signals.ts:29:30:EqualityOperator:o.userChildren.length !== 0",
    "V1",
    "SignalSanity",
    "futex-discipline",
    /^zero-children: t\d+ observed 0x0 on vmo\d+, which no zx_vmo_create_child named/,
  ],
  // ZX_VMO_ZERO_CHILDREN always active: a clone's parent shows it while the clone lives.
  [
    "kernel/signals.ts",
    "kernel/signals.ts:29:30:ConditionalExpression:true",
    "V2",
    "ChildSignalClone",
    "futex-discipline",
    /^zero-children: t\d+ observed ZX_VMO_ZERO_CHILDREN on vmo\d+ while its child's handle 0x[0-9a-f]+ is open$/,
  ],
];

for (const file of new Set(CONFORMANCE.map((r) => r[0]))) {
  Deno.test(`Zircon's tests under the kernel checkers alone show these ${file} mutants`, (t) =>
    conformanceMutantSteps(
      t,
      file,
      CONFORMANCE.filter((r) => r[0] === file).map(([, key, id, name, checker, rule]) => ({
        what: `${key} (${id} ${name})`,
        id,
        name,
        key,
        checker,
        rule,
      })),
    ));
}

// zx_task_suspend decrements the count it should raise: the target is named suspended, never
// stops, and is never resumed. A second thread goes on calling while the token is open.
Deno.test("syscall-contract: a thread named suspended that starts a call is caught (kernel.ts:813)", async () => {
  const m = await mutantMirror("kernel/kernel.ts");
  try {
    const { World } = await m.load("sim/world.ts") as Any;
    const { fairStrategy } = await m.load("sim/strategy.ts") as Any;
    const { kernelInvariants } = await m.load("properties/kernel_invariants.ts") as Any;
    const run = () => {
      const world = new World({
        pageSize: 64,
        strategy: fairStrategy(),
        monitors: kernelInvariants(),
      });
      const target = world.spawn("busy", "workload", function* (sys: Any) {
        for (let i = 0; i < 8; i++) yield* sys.eventCreate(0);
      }).handle;
      world.spawn("suspender", "workload", function* (sys: Any) {
        const [st, token] = yield* sys.taskSuspend(target);
        assert.equal(st, 0);
        for (let i = 0; i < 4; i++) yield* sys.eventCreate(0);
        yield* sys.handleClose(token);
      });
      return world.run().verdict;
    };
    assert.equal(run().kind, "pass");
    const v: Any = m.withMutant("kernel/kernel.ts:842:9:UpdateOperator:target.suspendCount--", run);
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "syscall-contract");
    assert.match(
      v.message,
      /^suspend: t1 started zx_event_create while suspended \(no resume since\)$/,
    );
  } finally {
    m.dispose();
  }
});
