// userS27k's kernel variants (case/testdata/userS27k, a kernel engineer's README-only trial of
// `--kernel MODULE`).
// 1. va_fail_midrange_ok.ts takes an OP_FAIL whose range starts past page 0 of the VMO for a
//    supply (its readers woken ZX_OK). On fail_half_page1.json seed 3 the reader of page 1
//    (request [1,2)) was woken ZX_OK by an OP_FAIL [1,2) with ZX_ERR_IO, asked again, was
//    supplied and read ZX_OK: a pass. Upstream ResolveRequestsLocked fails a request whose first
//    page the range covers, so the reader gets ZX_ERR_IO; syscall-contract K14w judged the wake
//    only when an earlier OP_FAIL had failed the reader, and the reader's new request cleared
//    the error the OP_FAIL recorded at its return. On fail_page1(_write).json the same variant
//    was a no-lost-requests hang at step 25000 (the reader re-asked a pager that fails it once).
import { strict as assert } from "node:assert";
import { loadScenarioFile } from "../cli/sim.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { makeKernel as va } from "./testdata/userS27k/va_fail_midrange_ok.ts";

const data = (f: string) => new URL(`./testdata/userS27k/${f}`, import.meta.url).pathname;
const HALF = await loadScenarioFile(data("fail_half_page1.json"));
const PAGE1 = await loadScenarioFile(data("fail_page1.json"));
const PAGE1_WRITE = await loadScenarioFile(data("fail_page1_write.json"));

type Make = typeof va;

function verdict(scenario: typeof HALF, seed: number, make?: Make) {
  return runScenario(scenario, { seed, monitors: kernelInvariants(), makeKernel: make }).verdict;
}

Deno.test("va_fail_midrange_ok: a reader woken ZX_OK by an OP_FAIL of its request's first page is K14w's at that step", () => {
  const v = verdict(HALF, 3, va);
  assert.ok(v.kind === "invariant", JSON.stringify(v));
  assert.equal(v.invariant, "syscall-contract");
  assert.equal(v.step, 3, "at the OP_FAIL's step");
  assert.equal(
    v.message,
    "K14w: t2 zx_vmo_read of vmo1005 parked at page 1, which OP_FAIL [64, +64) failed with " +
      "ZX_ERR_IO; it was woken (complete) with ZX_OK",
  );
  for (
    const [name, s, call] of [
      ["fail_page1", PAGE1, "zx_vmo_read"],
      ["fail_page1_write", PAGE1_WRITE, "zx_vmo_write"],
    ] as const
  ) {
    const w = verdict(s, 3, va);
    assert.ok(w.kind === "invariant", `${name}: ${JSON.stringify(w)}`);
    assert.equal(w.invariant, "syscall-contract", `${name}: ${w.message}`);
    assert.equal(w.step, 3, `${name}: at the fail step, not a late hang`);
    assert.match(w.message, new RegExp(`^K14w: t2 ${call} of vmo1005 parked at page 1`));
  }
});

Deno.test("va's scenarios pass on the model (no false alarm from the wake judged at OP_FAIL)", () => {
  for (const [name, s] of [["fail_half_page1", HALF], ["fail_page1", PAGE1]] as const) {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const v = verdict(s, seed);
      assert.equal(v.kind, "pass", `${name} seed ${seed}: ${JSON.stringify(v)}`);
    }
  }
});
