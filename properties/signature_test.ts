// userS26k: scrubbing a signature's numbers took the rule ID out with them: a variant's kernel
// assertion `K6: COMPLETE queued before 1 pending requests were withdrawn` signed as
// `kernel-assertion:K#: ...`, beside `invariant:packet-discipline:K6` for the same rule, and its
// case file was `kernel-assertion-k-complete-...`.
import { strict as assert } from "node:assert";
import { generalize, signatureOf } from "./signature.ts";
import { caseFileName } from "../case/envelope.ts";
import type { Verdict } from "../sim/world.ts";

const proxy = new URL("../kernel/pager_proxy.ts", import.meta.url).href;

const assertion: Verdict = {
  kind: "kernel-assertion",
  message: "K6: COMPLETE queued before 1 pending requests were withdrawn",
  stack: "KernelAssertionError: K6: ...\n" +
    `    at assert (${new URL("../kernel/assert.ts", import.meta.url).href}:20:11)\n` +
    `    at PagerProxy.complete (${proxy}:140:5)`,
  step: 9,
  tid: 3,
};

Deno.test("a kernel assertion's signature keeps the rule ID its message starts with", () => {
  const sig = signatureOf(assertion);
  assert.equal(
    sig,
    "kernel-assertion:K6: COMPLETE queued before # pending requests were withdrawn@pager_proxy.ts",
  );
  const file = caseFileName({ signature: sig ?? "", expected: "kernel-assertion", traceHash: "0" });
  assert.match(file, /^kernel-assertion-k6-complete-queued-before-pending-requests/);
});

Deno.test("generalize keeps rule IDs and still scrubs the numbers of a run", () => {
  assert.equal(
    generalize("K14w: t3 got ZX_ERR_IO (R3, PX9, K26)"),
    "K14w: t# got ZX_ERR_IO (R3, PX9, K26)",
  );
  assert.equal(generalize("vmo1005 page 12 request #4 at 0x3000"), "vmo# page # request ## at #");
  // Two steps' runs of one assertion still sign alike.
  const other = {
    ...assertion,
    message: "K6: COMPLETE queued before 3 pending requests were withdrawn",
    step: 40,
  };
  assert.equal(signatureOf(other), signatureOf(assertion));
});
