/**
 * packet-discipline `complete`: a detach owes its VMO's COMPLETE, judged from the calls' returns
 * and the handle closes, not the kernel's `detach` event. A variant that skips the COMPLETE when
 * nothing is outstanding (userS24k's M2b, case/testdata/userS24k) fails at the detach's step; a
 * dead port or a closed pager excuses it, as they do upstream (pager_proxy.cc @ vsrinivas/fuchsia
 * 1a1c72bd: `OnDispatcherClose` cancels the COMPLETE; a port with no handle takes no packet).
 */
import { strict as assert } from "node:assert";
import { ZX_OK } from "../kernel/constants.ts";
import { expectStatus, runChecked, type TestBody, useKernel } from "../conformance/harness.ts";
import { kernelInvariants } from "./kernel_invariants.ts";
import { makeKernel as m2b } from "../case/testdata/userS24k/k_m2b_detach_no_complete.ts";
import type { Verdict } from "../sim/world.ts";

function verdict(body: TestBody, make?: typeof m2b): Verdict {
  useKernel(make);
  try {
    return runChecked(body, 1, kernelInvariants()).verdict;
  } finally {
    useKernel(undefined);
  }
}

/** Supplies page 0, reads it, detaches: nothing outstanding at the detach. */
const detachIdle: TestBody = function* (t) {
  const vmo = yield* t.vmo(1);
  yield* t.supplyOk(vmo, 0, 1);
  expectStatus(yield* t.detach(vmo), ZX_OK, "zx_pager_detach_vmo");
};

Deno.test("complete: an idle detach owes its COMPLETE; the model queues it, M2b does not", () => {
  assert.equal(verdict(detachIdle).kind, "pass");
  const v = verdict(detachIdle, m2b);
  assert.ok(v.kind === "invariant" && v.invariant === "packet-discipline", JSON.stringify(v));
  assert.match(
    v.message,
    /^complete: vmo\d+ \(key \d+\) was detached at step \d+ \(zx_pager_detach_vmo returned ZX_OK\), but no COMPLETE packet for key \d+ was queued on port\d+/,
  );
});

Deno.test("complete: a detach after the port's last handle closed owes nothing", () => {
  const portGone: TestBody = function* (t) {
    const vmo = yield* t.vmo(1);
    yield* t.supplyOk(vmo, 0, 1);
    expectStatus(yield* t.sys.handleClose(t.port), ZX_OK, "close the port");
    expectStatus(yield* t.detach(vmo), ZX_OK, "zx_pager_detach_vmo");
  };
  assert.equal(verdict(portGone).kind, "pass");
  assert.equal(verdict(portGone, m2b).kind, "pass", JSON.stringify(verdict(portGone, m2b)));
});

Deno.test("complete: a pager close detaches with no COMPLETE owed", () => {
  const pagerGone: TestBody = function* (t) {
    const vmo = yield* t.vmo(1);
    yield* t.supplyOk(vmo, 0, 1);
    expectStatus(yield* t.sys.handleClose(t.pager), ZX_OK, "close the pager");
    expectStatus(yield* t.sys.handleClose(vmo.handle), ZX_OK, "close the VMO");
  };
  assert.equal(verdict(pagerGone).kind, "pass", JSON.stringify(verdict(pagerGone)));
});
