// userS28c (session 29): one service bug, a service that answers only the first READ of each key
// and range (case/testdata/sig29/first_read_only.ts), signed three ways over one campaign:
// answers-every-read, quiescent-end:Q2 and no-lost-requests. And a kernel variant that never
// completes a fully supplied request was a bare no-lost-requests hang naming only the reader.
import { strict as assert } from "node:assert";
import { readCaseFile, resolveContext } from "./store.ts";
import { replayWith } from "./replay.ts";
import { scenarioCheckers } from "./kinds.ts";
import { signatureOf } from "../properties/signature.ts";
import type { Verdict } from "../sim/world.ts";

const DIR = "case/testdata/sig29";

/** The case's run under `checkers` (its own set when not given): its verdict and signature. */
async function replay(name: string, checkers?: string) {
  const file = `${DIR}/${name}`;
  const c = await readCaseFile(file);
  const ctx = await resolveContext(c, file);
  const r = replayWith(
    c,
    checkers === undefined ? ctx : { ...ctx, monitors: scenarioCheckers(checkers) },
  );
  const v: Verdict = r.run.verdict;
  return {
    v,
    message: "message" in v ? String(v.message) : "",
    signature: signatureOf(v, r.run.raw),
  };
}

Deno.test("a READ taken after an OP_FAIL of its page, and ignored, is P1's: the OP_FAIL answered the earlier READ only", async () => {
  // #5 OP_FAIL answers READ #1; #9 t1 takes READ #2 of the same page and goes back to its port.
  // P1 counted the OP_FAIL as answering every later READ of the page: a bare no-lost-requests hang.
  const { v, message, signature } = await replay("opfail_then_ignored.json");
  assert.equal(v.kind === "invariant" && v.invariant, "answers-every-read", message);
  assert.match(
    message,
    /^P1: t1 "p0\.svc" took a READ for vmo1005 page 0 and never answered it \(t1 now waits on port 1004\); t2 "w0" waits on it/,
  );
  assert.equal(signature, "invariant:answers-every-read");
});

Deno.test("the kernel's hang names the READ a service thread took and never answered, and keeps its own signature", async () => {
  // Under the kernel's checkers alone P1 does not judge: no-lost-requests' K29 names the packet
  // taken (trace: `#9 port1004 -> t1 READ`) and by whom. It signs as itself: without P1 a kernel
  // variant can leave a taken READ's page present and its request open (the service rightly
  // supplies nothing), so the service is not blamed by the signature.
  const { v, message, signature } = await replay("opfail_then_ignored.json", "kernel");
  assert.equal(v.kind === "invariant" && v.invariant, "no-lost-requests", message);
  assert.match(
    message,
    /^K29: hang at step 10: t2 "w0" waits on vmo 1005: READ request #2 pages \[0,1\) at page 0; READ #2: taken by t1 "p0\.svc" at step 9, never answered; also parked: t1 "p0\.svc" waits on port 1004$/,
  );
  assert.equal(signature, "invariant:no-lost-requests");
});

Deno.test("a READ taken and ignored with no thread waiting for it is Q2 at rest, signed as P1's finding", async () => {
  // A fail-instead-of-block reader got SHOULD_WAIT and exited: no hang, so P1 never looked; Q2
  // names the taker, and the one bug signs one way.
  const { v, message, signature } = await replay("should_wait_ignored.json");
  assert.equal(v.kind === "invariant" && v.invariant, "quiescent-end", message);
  assert.match(
    message,
    /^Q2: vmo1009 has 1 outstanding request\(s\) at quiescence \(READ #2 pages \[0,1\): taken by t1 "p1\.svc", never answered/,
  );
  assert.equal(signature, "invariant:answers-every-read");
});

Deno.test("a Q2 request whose packet was never taken keeps Q2's signature", () => {
  const v: Verdict = {
    kind: "invariant",
    invariant: "quiescent-end",
    message:
      'Q2: vmo1005 has 1 outstanding request(s) at quiescence (READ #2 pages [0,1): its packet was never taken from the port); parked: t1 "p0.svc" waits on port 1004',
    step: 9,
    tid: 0,
  };
  assert.equal(signatureOf(v), "invariant:quiescent-end:Q2");
  const dirty = {
    ...v,
    message: v.message.replace(
      "READ #2 pages [0,1): its packet was never taken from the port",
      'DIRTY #2 pages [0,1): taken by t1 "p0.svc", never answered',
    ),
  };
  assert.equal(signatureOf(dirty), "invariant:quiescent-end:Q2");
  // Every page answered since the take, yet open: the kernel left it, the service dropped nothing.
  const answered = {
    ...v,
    message: v.message.replace(
      "its packet was never taken from the port",
      'taken by t1 "p0.svc", every page answered since, yet left outstanding',
    ),
  };
  assert.equal(signatureOf(answered), "invariant:quiescent-end:Q2");
});

Deno.test("a kernel variant that never completes a fully supplied request breaks K28 at the supply, naming the request and the supply", async () => {
  const { v, message, signature } = await replay("never_complete.json");
  assert.equal(v.kind === "invariant" && v.invariant, "single-supply", message);
  assert.equal(v.step, 6);
  assert.match(
    message,
    /^K28: vmo1005 READ request #1 \[0,1\) had all 1 of its pages supplied, the last at step 6 by t1 zx_pager_supply_pages\(0x30, 0x60, 0x0, 0x80, 0x90, 0x0\), and was not completed/,
  );
  assert.equal(signature, "invariant:single-supply:K28");
});
