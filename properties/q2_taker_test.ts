import { strict as assert } from "node:assert";
import { readCaseFile, replayCase } from "../case/store.ts";

// Q2 names, for each request left at quiescence, the service thread that took its packet and went
// back to its port without answering (user trial: a lost wake-up between two service threads gave
// "vmo1005 has 1 outstanding request(s) at quiescence; parked: ..." with no culprit, while
// explore's P1 message for the same bug named the thread).
Deno.test("Q2 names the thread that took the unanswered request", async () => {
  const file = "corpus/invariant-quiescent-end-q2-01bde2a7.json";
  const r = await replayCase(await readCaseFile(file), file);
  assert.ok(r.ok);
  const v = r.run.verdict;
  assert.equal(v.kind, "invariant");
  assert.match(
    "message" in v ? String(v.message) : "",
    /^Q2: vmo1005 has 1 outstanding request\(s\) at quiescence \(READ #2 pages \[1,2\): taken by t2 "loader-2", never answered\); parked: /,
  );
});
