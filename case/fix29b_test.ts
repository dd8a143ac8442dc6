// userS29b (case/testdata/fix29b): blob_buggy.ts, a read-only blob service whose seeded bug
// answers a READ only if none of its pages was supplied before, so a refetch after an eviction is
// taken and ignored.
// 1. camp3_run115.json (`deno task repro --campaign 3 --run 115 --service blob_buggy.ts --checkers
//    kernel+service`): t3's COMMIT made READ #2 at step 13 and t2, t4 and t6 joined it in the same
//    tick, so all four parked until the same overtime deadline (tick 472). At step 31 t3 timed
//    out and passed the request to t2 (README: "same range, no new packet"); the P1 report said
//    t2, t4 and t6 were "woken from" their waits, while the trace woke none of them: their own
//    deadline had passed, and they time out when they next run.
// 2. blob_evict_refetch.json (the user's corpus case): P1 said "took a READ for vmo1005 page 0"
//    when page 0's first READ was answered at step 7 and the ignored one is READ #2, taken at
//    step 14.
import { strict as assert } from "node:assert";
import { replayedCase, verdictMessage } from "./_replay_fixture.ts";
import type { KindRun } from "./kind.ts";

const DIR = new URL("./testdata/fix29b", import.meta.url).pathname;

/** The case named `name`, replayed as recorded (verdict and trace hash). */
async function replayed(name: string): Promise<KindRun> {
  return (await replayedCase(DIR, name)).run;
}

const message = verdictMessage;

Deno.test("fix29b: waiters past the same overtime deadline are reported parked, not woken", async () => {
  const m = message(await replayed("camp3_run115.json"));
  assert.doesNotMatch(m, /woken from its wait/);
  for (const [t, at] of [[`t2 "w0"`, ""], [`t4 "w2"`, " at page 1"], [`t6 "w4"`, " at page 1"]]) {
    assert.ok(
      m.includes(
        `${t} waits on vmo 1005: READ request #2 pages [0,2)${at}, not woken: its own deadline ` +
          `(tick 472) has passed, so it times out when it next runs (runnable, not yet run again)`,
      ),
      m,
    );
  }
});

Deno.test("fix29b: P1's timeout names the READ the caller waited on, its taker and step", async () => {
  const m = message(await replayed("camp3_run115.json"));
  assert.match(
    m,
    /^P1: t3 zx_vmo_op_range timed out waiting for the pager on READ #2 \[0,2\) of vmo1005, taken by t1 "p0\.svc" at step 14; parked: /,
  );
});

Deno.test("fix29b: P1 names the READ left unanswered and the step it was taken", async () => {
  const m = message(await replayed("blob_evict_refetch.json"));
  assert.equal(
    m,
    `P1: t1 "p0.svc" took a READ for vmo1005 page 0 (READ #2 [0,1), taken at step 14) and never ` +
      `answered it (t1 now waits on port 1004); t2 "w1" waits on it`,
  );
});

// 4. blob_evict_refetch.json's trace went from step 11 to step 13, `mem_read(0x10000000)` twice
//    and no return line for the first: step 12 was t2 back from its fault's wait (woken at step
//    7), and the access starts again, a new `mem_read` at its next step, after step 11 evicted the
//    page. The step says so now; the line is text only, so the recorded trace hash stays (the
//    replay above matched it).
Deno.test("fix29b: a mapped access back from its fault's wait says so at that step", async () => {
  const run = await replayed("blob_evict_refetch.json");
  assert.deepEqual(run.trace.text(12, 12).split("\n"), [
    "#12   t2 is back from its page fault at 0x10000000: mem_read starts again at its next step",
  ]);
  assert.match(run.trace.text(13, 13), /^#13 t2 mem_read\(0x10000000\)$/m);
});
