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
