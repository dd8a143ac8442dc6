// userS26k's kernel variants (case/testdata/userS26kb, a kernel engineer's README-only trial of
// `--kernel MODULE`), the ones the scenario checkers passed or caught only as a late hang:
// v1b_batch_absent_only.ts widens a READ over further absent, unrequested pages (up to 4 past
// the access): sim, explore and scenario fuzz passed it, `fuzz --mode programs` failed it as
// read-content R3, conformance as hangs. Upstream asks only for pages the access touches
// (pager.cc VmarRemapTest: `length == 1` per fault; properties/_request_bounds.ts), so R3 was
// right and packet-discipline's `sizing` now holds scenarios to the same bound.
// v2_wake_first_only.ts completes a request but wakes only its primary: a hang at the run's end
// until syscall-contract's `complete-wakes` judged the completing step.
// v2b_wake_before_installed.ts completes a whole request on a supply of part of it (readers
// wake while their pages are absent): only conformance A1, A2, P66 saw it, until
// single-supply's `resolve-count` (upstream completes a request when its pending count is zero).
// v2c_wake_then_install.ts wakes, then yields, then installs: wake-discipline's K11 named the
// second wake ("by a resumed thread"); resolve-count names the premature one, and K11 now knows
// the call a resumed thread is in. k_slow_supply.ts (a test kernel) yields inside a supply while
// the pager handle is closed: K27 judged the handle at the return, not at the call's entry.
// v3_no_complete.ts: conformance's hangs now say what the case waited for.
import { strict as assert } from "node:assert";
import { loadScenarioFile } from "../cli/sim.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { parseScenario } from "../scenario/schema.ts";
import { DEFAULT_SCENARIO } from "../scenario/default.ts";
import { explore } from "../explore/explore.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { ALL_CASES } from "../conformance/cases.ts";
import { caseFailure } from "../conformance/run.ts";
import { makeKernel as v2b } from "./testdata/userS26kb/v2b_wake_before_installed.ts";
import { makeKernel as v2c } from "./testdata/userS26kb/v2c_wake_then_install.ts";
import { makeKernel as v3 } from "./testdata/userS26kb/v3_no_complete.ts";
import { makeKernel as slowSupply } from "./testdata/userS26kb/k_slow_supply.ts";
import { makeKernel as v1b } from "./testdata/userS26kb/v1b_batch_absent_only.ts";
import { makeKernel as v2 } from "./testdata/userS26kb/v2_wake_first_only.ts";

const OVERLAP = await loadScenarioFile(
  new URL("./testdata/userS26kb/overlap.json", import.meta.url).pathname,
);
const DEFAULT = parseScenario(DEFAULT_SCENARIO, "default scenario");
const READAHEAD = await loadScenarioFile(
  new URL("./testdata/userS26kb/readahead_overlap.json", import.meta.url).pathname,
);
const CLOSE_MID_SUPPLY = await loadScenarioFile(
  new URL("./testdata/userS26kb/close_pager_mid_supply.json", import.meta.url).pathname,
);

type Make = typeof v1b;

function verdict(scenario: typeof OVERLAP, seed: number, make?: Make) {
  return runScenario(scenario, { seed, monitors: kernelInvariants(), makeKernel: make }).verdict;
}

const SIZING =
  /^sizing: t\d+ zx_vmo_(read|write|op_range) of pages \[\d+,\d+\) of vmo\d+ asked READ #\d+ \[\d+,\d+\) of vmo\d+, outside the pages it touches there/;

Deno.test("sim: v1b's widened READ is packet-discipline's sizing at its request; the model passes", () => {
  for (const [name, s] of [["overlap", OVERLAP], ["default", DEFAULT]] as const) {
    for (const seed of [1, 2, 3]) {
      assert.equal(verdict(s, seed).kind, "pass", `${name} seed ${seed} on the model`);
      const v = verdict(s, seed, v1b);
      assert.ok(v.kind === "invariant", `${name} seed ${seed}: ${JSON.stringify(v)}`);
      assert.equal(v.invariant, "packet-discipline", v.message);
      assert.match(v.message, SIZING);
    }
  }
  // The default scenario's writer: zx_vmo_write of pages [1,3) asked READ [1,4).
  const v = verdict(DEFAULT, 1, v1b);
  assert.ok(v.kind === "invariant");
  assert.match(v.message, /zx_vmo_write of pages \[1,3\) of vmo\d+ asked READ #1 \[1,4\)/);
});

Deno.test("explore finds v1b's sizing at 0 preemptions; the model passes there", () => {
  const monitors = () => kernelInvariants();
  assert.equal(explore(OVERLAP, { preemptions: 0, monitors }).outcome, "pass");
  const r = explore(OVERLAP, { preemptions: 0, monitors, makeKernel: v1b });
  assert.equal(r.outcome, "fail", r.summary);
  const v = r.counterexample?.verdict;
  assert.ok(v?.kind === "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "packet-discipline", v.message);
  assert.match(v.message, SIZING);
});

const COMPLETE_WAKES =
  /^complete-wakes: request #\d+ of vmo\d+ \[\d+,\d+\) completed at step \d+ and t\d+, parked on it \(joined it at step \d+\), was not woken in that step/;

Deno.test("sim: v2's completion that wakes only the primary is complete-wakes at that step", () => {
  for (const [name, s, seed] of [["overlap", OVERLAP, 3], ["default", DEFAULT, 1]] as const) {
    assert.equal(verdict(s, seed).kind, "pass", `${name} seed ${seed} on the model`);
    const v = verdict(s, seed, v2);
    assert.ok(v.kind === "invariant", `${name} seed ${seed}: ${JSON.stringify(v)}`);
    assert.equal(v.invariant, "syscall-contract", v.message);
    assert.match(v.message, COMPLETE_WAKES);
  }
});

Deno.test("explore finds v2's forgotten overlap waiter as complete-wakes, not a hang", () => {
  const monitors = () => kernelInvariants();
  assert.equal(explore(OVERLAP, { preemptions: 1, monitors }).outcome, "pass");
  const r = explore(OVERLAP, { preemptions: 1, monitors, makeKernel: v2 });
  assert.equal(r.outcome, "fail", r.summary);
  const v = r.counterexample?.verdict;
  assert.ok(v?.kind === "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "syscall-contract", v.message);
  assert.match(v.message, COMPLETE_WAKES);
});

const RESOLVE_COUNT =
  /^K30: vmo\d+ READ request #\d+ \[\d+,\d+\) completed at step \d+ by t\d+ zx_pager_supply_pages\(0x[0-9a-f]+, .*\) with \d+ of its \d+ pages filled since it was made/;

Deno.test("sim: v2b's partial supply that completes the whole request is resolve-count", () => {
  for (let seed = 1; seed <= 8; seed++) {
    assert.equal(verdict(READAHEAD, seed).kind, "pass", `seed ${seed} on the model`);
  }
  // Seed 4: r1's READ [0,2) is supplied with 2 pages of read-ahead, half of c2's READ [2,6).
  const v = verdict(READAHEAD, 4, v2b);
  assert.ok(v.kind === "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "single-supply", v.message);
  assert.match(v.message, RESOLVE_COUNT);
  assert.match(v.message, /request #2 \[2,6\) .* with 2 of its 4 pages filled/);
});

Deno.test("explore finds v2b's early completion at 1 preemption; the model passes there", () => {
  const monitors = () => kernelInvariants();
  assert.equal(explore(READAHEAD, { preemptions: 1, monitors }).outcome, "pass");
  const r = explore(READAHEAD, { preemptions: 1, monitors, makeKernel: v2b });
  assert.equal(r.outcome, "fail", r.summary);
  const v = r.counterexample?.verdict;
  assert.ok(v?.kind === "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "single-supply", v.message);
  assert.match(v.message, RESOLVE_COUNT);
});

Deno.test("sim: v2c's wake before its install is named at the premature wake, not the next", () => {
  const v = verdict(DEFAULT, 1, v2c);
  assert.ok(v.kind === "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "single-supply", v.message);
  assert.match(v.message, RESOLVE_COUNT);
  // The supply at step 10 completed request #1 before it filled a page (K11 used to name step 13).
  assert.equal(v.step, 10, v.message);
  assert.match(
    v.message,
    /request #1 \[1,3\) completed at step 10 .* with 0 of its 2 pages filled/,
  );
});

Deno.test("K27 judges a supply's handles at its entry: a pager closed while it yields is no BAD_HANDLE", () => {
  const monitors = () => kernelInvariants();
  // Before: `K27: t1 zx_pager_supply_pages(...) returned ZX_ERR_BAD_STATE; argument order says
  // ZX_ERR_BAD_HANDLE` at 1 preemption (the close between the supply's entry and its install).
  for (const preemptions of [0, 1, 2]) {
    const r = explore(CLOSE_MID_SUPPLY, { preemptions, monitors, makeKernel: slowSupply });
    assert.equal(r.outcome, "pass", `${preemptions}: ${r.summary}`);
  }
});

/** Runs conformance case `id` named `name` on `make`; the failure message, or null. */
function conformance(id: string, name: string, make?: Make): string | null {
  const c = ALL_CASES.find((x) => x.id === id && x.name === name);
  assert.ok(c !== undefined, `${id} ${name}`);
  return caseFailure(c, make);
}

Deno.test("conformance: a hang names the packet the case waited for and the ones it set aside", () => {
  assert.equal(conformance("P22", "DetachPageCompleteTest"), null);
  const m3 = conformance("P22", "DetachPageCompleteTest", v3);
  assert.ok(m3 !== null);
  assert.match(m3, /hang at step \d+: .*; the case waited for COMPLETE key \d+; packets it took/);
  assert.equal(conformance("P7", "ConcurrentMultipageAccessTestVmo"), null);
  const m1 = conformance("P7", "ConcurrentMultipageAccessTestVmo", v1b);
  assert.ok(m1 !== null);
  assert.match(
    m1,
    /; the case waited for READ key \d+ \[[01],[12]\); packets it took meanwhile and set aside: READ key \d+ \[0,2\)/,
  );
});

/** The verdict of a v2c campaign case saved in testdata/userS26kb/ (its scenario, seed and decisions), replayed under the kernel invariants. */
async function v2cCaseVerdict(file: string) {
  const c = JSON.parse(
    await Deno.readTextFile(new URL(`./testdata/userS26kb/${file}`, import.meta.url)),
  );
  return runScenario(parseScenario(c.scenario, "v2c case"), {
    seed: c.seed,
    decisions: c.decisions,
    monitors: kernelInvariants(),
    makeKernel: v2c,
  }).verdict;
}

Deno.test("v2c's early wake before its page is in is early-wake at that step, not K26 later", async () => {
  // Campaign 1 (1,000 runs) on v2c: 3 runs signed page-state K26 ("page 9 content differs from
  // the aux page it was supplied from", step 52): the supply at step 50 early-woke t3 before it
  // filled page 56, then installed it after its scheduling point.
  const v = await v2cCaseVerdict("v2c_early_wake_unfilled.json");
  assert.ok(v.kind === "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "syscall-contract", v.message);
  assert.equal(v.step, 50, v.message);
  assert.match(
    v.message,
    /^K11e: t3 zx_vmo_read of vmo\d+ was woken early by t1 zx_pager_supply_pages in a step that filled no page/,
  );
});

Deno.test("resolve-count counts an OP_FAIL's pages as resolved, and judges a request one reached", async () => {
  // Campaign 1 on v2c, run 108: an OP_FAIL (step 5) on the VMO, then a supply (step 11) that
  // completed READ #2 [15,17) before filling a page; signed page-state K26 at the late install
  // (step 13) while resolve-count left every request an OP_FAIL had reached unjudged.
  const v = await v2cCaseVerdict("v2c_after_op_fail.json");
  assert.ok(v.kind === "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "single-supply", v.message);
  assert.match(
    v.message,
    /^K30: vmo\d+ READ request #2 \[15,17\) completed at step 11 .* with 0 of its 2 pages filled/,
  );
});
