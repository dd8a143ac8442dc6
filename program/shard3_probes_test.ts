// Campaign judge probes and oracle changes written from blind spots of the fresh shard 3 of 8 on
// db8cb50 (docs/mutation.md, helper triage27a), each passing unmutated and failing on its mutant:
// `program:loan-pin-unloan` (`loanPinUnloanProgram`: a pinned pager page leaves its loaned frame,
// which its owner then takes back), `program:clone-chain-read-run` (`cloneChainReadRunProgram`:
// where a clone of a clone's READ run stops), `program:timed-out-heir` (`timedOutHeirProgram`:
// a request handed to its overlap waiter, whose time-out ends it), `program:slice-fault-wait`
// (`sliceFaultWaitProgram`: a load through a slice at an offset faults and a second thread
// answers), `program:relook-after-user-fault` (`relookAfterUserFaultProgram`: a write whose user
// copy waited looks its page up again), `program:mapped-child-death` (`mappedChildDeathProgram`:
// a child mapped, unmapped and closed counts no more), page-state's K26 judged at an environment eviction's first look (campaign run 27),
// and the allocation point oracle's own list of allocating calls (program/alloc_point.ts
// `ALLOCATING`).
import { strict as assert } from "node:assert";
import { mirrorCampaignRun, mutantMirror } from "../mutate/mutant_mirror.ts";
import { ZX_ERR_SHOULD_WAIT, ZX_ERR_TIMED_OUT, ZX_OK } from "../kernel/constants.ts";
import { mirrorProgramVerdict } from "./testdata/program_verdict.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/**
 * Runs `program` (a generate.ts export, with `options` for runProgram) with `file` instrumented,
 * unmutated and then under each key; returns the verdicts.
 */
async function judge(
  file: string,
  program: string,
  keys: readonly string[],
  options: Record<string, unknown> = {},
): Promise<{ base: Any; mutants: Any[] }> {
  const m = await mutantMirror([file]);
  try {
    const g = await m.load("program/generate.ts") as Any;
    const { programMonitors, runProgram } = await m.load("program/run.ts") as Any;
    const run = () => runProgram(g[program](), { seed: 0, monitors: programMonitors, ...options });
    const base = run();
    return { base, mutants: keys.map((key) => m.withMutant(key, () => run().verdict)) };
  } finally {
    m.dispose();
  }
}

Deno.test("loanPinUnloanProgram passes unmutated; a replaced loaned page whose frame is not freed fails the pool's assertion when the owner takes it back", async () => {
  const { base, mutants: [mutant] } = await judge("kernel/loans.ts", "loanPinUnloanProgram", [
    "kernel/loans.ts:114:5:CallExpression:;",
  ]);
  assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
  assert.ok(base.results[0].every((r: Any) => r.status === ZX_OK), "every call ZX_OK");
  assert.equal(mutant.kind, "kernel-assertion", JSON.stringify(mutant));
  assert.match(mutant.message, /free frame unpooled/);
});

Deno.test("cloneChainReadRunProgram passes unmutated (two READs of pages [0, 2)); a run past a cut view or a forked page fails", async () => {
  const { base, mutants } = await judge("kernel/vmo_pages.ts", "cloneChainReadRunProgram", [
    "kernel/vmo_pages.ts:384:11:ConditionalExpression:false @end+0:23",
    "kernel/vmo_pages.ts:384:27:ConditionalExpression:false",
  ]);
  assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
  const results = base.results[0];
  assert.deepEqual(
    results.filter((r: Any) => r.status !== ZX_OK).map((r: Any) => r.status),
    [ZX_ERR_SHOULD_WAIT, ZX_ERR_SHOULD_WAIT],
  );
  const packets = results.filter((r: Any) => r.packet).map((
    r: Any,
  ) => [r.packet.offset, r.packet.length]);
  assert.deepEqual(packets, [[0, 8192], [0, 8192]]);
  const [cut, forked] = mutants;
  assert.equal(cut.kind, "thread-fault", JSON.stringify(cut));
  assert.match(cut.message, /Cannot read properties of null/);
  assert.equal(forked.kind, "invariant", JSON.stringify(forked));
  assert.equal(forked.invariant, "read-content", JSON.stringify(forked));
  assert.match(
    forked.message,
    /^R3: .* asked READ #\d+ \[\d+,\d+\) of vmo\d+, but the clone it reads holds page 2/,
  );
});

Deno.test("timedOutHeirProgram passes unmutated (both reads and the last port wait time out); a request handed on without its packet leaves that packet in the port", async () => {
  const { base, mutants: [mutant] } = await judge("kernel/page_source.ts", "timedOutHeirProgram", [
    "kernel/page_source.ts:399:5:CallExpression:;",
  ]);
  assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
  const status = base.results.map((t: Any[]) => t.map((r) => r.status));
  assert.deepEqual(status, [
    [ZX_OK, ZX_OK, ZX_OK, ZX_ERR_TIMED_OUT],
    [ZX_OK, ZX_ERR_TIMED_OUT, ZX_ERR_TIMED_OUT, ZX_ERR_TIMED_OUT, ZX_ERR_TIMED_OUT],
  ]);
  assert.equal(mutant.kind, "invariant", JSON.stringify(mutant));
  assert.equal(mutant.invariant, "packet-discipline", JSON.stringify(mutant));
  assert.match(mutant.message, /packet of resolved request #1 left in the port/);
});

Deno.test("sliceFaultWaitProgram passes unmutated (the fault asks for the root's page 2); a fault that asks for the slice's own page number fails", async () => {
  const { base, mutants: [mutant] } = await judge("kernel/vmo_pages.ts", "sliceFaultWaitProgram", [
    "kernel/vmo_pages.ts:586:18:ArithmeticOperator:p - off",
  ]);
  assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
  const packet = base.results[1][2].packet;
  assert.deepEqual([packet?.offset, packet?.length], [8192, 4096]);
  assert.ok(
    base.results.flat().filter((r: Any) => r.status !== ZX_OK).length === 1,
    "only the own-port wait times out",
  );
  assert.equal(mutant.kind, "invariant", JSON.stringify(mutant));
  assert.equal(mutant.invariant, "page-state", JSON.stringify(mutant));
  assert.match(mutant.message, /READ #\d+ covers page 0, which is clean/);
});

Deno.test("relookAfterUserFaultProgram passes unmutated (the write lands after the decommit); a write that keeps the page it found before its user copy waited loses its bytes", async () => {
  const { base, mutants: [mutant] } = await judge(
    "kernel/vmo_pages.ts",
    "relookAfterUserFaultProgram",
    ["kernel/vmo_pages.ts:461:15:ConditionalExpression:false"],
  );
  assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
  assert.ok(base.results[0].every((r: Any) => r.status === ZX_OK), "thread 0: every call ZX_OK");
  assert.equal(mutant.kind, "invariant", JSON.stringify(mutant));
  assert.equal(mutant.invariant, "read-content", JSON.stringify(mutant));
  assert.match(mutant.message, /^R1: .* = 0x0; the model of its content says 0x7e/);
});

Deno.test("mappedChildDeathProgram passes unmutated (no children once the mapped child is unmapped and closed); a user copy that keeps its hold on the mapped VMO keeps the child alive", async () => {
  const { base, mutants: [mutant] } = await judge(
    "kernel/vmo_pages.ts",
    "mappedChildDeathProgram",
    [
      "kernel/vmo_pages.ts:672:7:CallExpression:;",
    ],
  );
  assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
  const counts = base.results[0].filter((r: Any) => r.info).map((r: Any) => r.info.numChildren);
  assert.deepEqual(counts, [1, 0]);
  assert.equal(mutant.kind, "invariant", JSON.stringify(mutant));
  assert.equal(mutant.invariant, "program-contract", JSON.stringify(mutant));
  assert.match(mutant.message, /reports 1 children; by the children made of it .*, 0$/);
});

Deno.test("a kernel whose list of allocating calls lost zx_vmo_create or zx_vmo_create_child fails the allocation point on the judge's programs", async () => {
  // The list is built once, when the module loads: the mutant is on before the first load, as
  // mutate gives a static mutant a fresh worker (one mirror each: a mirror loads its modules once).
  const K = 0;
  const plain = await mutantMirror(["kernel/alloc_fault.ts"]);
  try {
    assert.equal((await mirrorProgramVerdict(plain))(K).kind, "pass", "unmutated");
  } finally {
    plain.dispose();
  }
  for (
    const [key, call] of [
      ['kernel/alloc_fault.ts:38:3:StringLiteral:""', "zx_vmo_create"],
      ['kernel/alloc_fault.ts:43:3:StringLiteral:""', "zx_vmo_create_child"],
    ] as const
  ) {
    const m = await mutantMirror(["kernel/alloc_fault.ts"]);
    try {
      m.activate(key);
      const v: Any = (await mirrorProgramVerdict(m))(K);
      assert.equal(v.kind, "invariant", `${key}: ${JSON.stringify(v)}`);
      assert.equal(v.invariant, "program-contract", `${key}: ${JSON.stringify(v)}`);
      assert.match(v.message, new RegExp(`${call}\\b.*never reached its allocation point`));
    } finally {
      m.deactivate();
      m.dispose();
    }
  }
});

Deno.test("campaign run 27 passes unmutated; a kernel that offers no page for eviction fails K26 at the evictor's first look", async () => {
  const m = await mutantMirror(["kernel/vmo_pages.ts"]);
  try {
    const run = await mirrorCampaignRun(m);
    assert.equal((run(27) as Any).kind, "pass", JSON.stringify(run(27)));
    const v: Any = m.withMutant(
      "kernel/vmo_pages.ts:1259:44:BooleanLiteral:Number.isInteger(p)",
      () => run(27),
    );
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "page-state", JSON.stringify(v));
    assert.match(
      v.message,
      /^K26: vmo\d+ page \d+ \(clean, unpinned, no ALWAYS_NEED\) is not offered/,
    );
  } finally {
    m.dispose();
  }
});
