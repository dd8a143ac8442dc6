import { strict as assert } from "node:assert";
import { explore } from "../explore/explore.ts";
import { parseScenario } from "../scenario/schema.ts";
import { withService } from "../scenario/bind.ts";
import {
  CUT_HINT,
  cutHintLine,
  type FinishedBound,
  FIRST_GROWTH,
  nextBoundEstimate,
  nextBoundLine,
  runningEstimate,
} from "./_explore_estimate.ts";
import { runningLine } from "./explore.ts";
import pool3 from "../case/testdata/exp29/pool3_service.ts";

const load = async (path: string) =>
  parseScenario(JSON.parse(await Deno.readTextFile(new URL(`../${path}`, import.meta.url))), path);

// exp29: the estimate each next: line gives must hold what the search then does. Every bound of
// these searches (the fast ones of explore/testdata/, and the 3-thread pool service on one page)
// falls in the range the bounds before it gave; the estimate is computed from counts only.
Deno.test("nextBoundEstimate: each bound's executions fall in the range the bounds before it gave", async () => {
  const cases = [
    { path: "explore/testdata/detach_read.json", service: false, k: 3 },
    { path: "explore/testdata/suspend_blocked.json", service: false, k: 3 },
    { path: "explore/testdata/zero_slots.json", service: false, k: 3 },
    { path: "explore/testdata/bug_supply.json", service: false, k: 3 },
    { path: "case/testdata/exp29/pool_1page.json", service: true, k: 2 },
  ];
  for (const c of cases) {
    const loaded = await load(c.path);
    const scenario = c.service ? withService(loaded, "user") : loaded;
    const r = explore(scenario, { preemptions: c.k, services: { user: pool3 } });
    assert.equal(r.outcome, "pass", c.path);
    const done: FinishedBound[] = [];
    for (const b of r.bounds) {
      const e = nextBoundEstimate(done);
      if (e !== null) {
        assert.equal(e.bound, b.bound);
        assert.ok(
          e.low <= b.executions && b.executions <= e.high,
          `${c.path} bound ${b.bound}: ${b.executions} executions, estimated ${e.low}-${e.high}`,
        );
      }
      done.push({ bound: b.bound, executions: b.executions });
    }
  }
});

Deno.test("nextBoundEstimate: bound 1 from bound 0 alone, later bounds from the last growth", () => {
  assert.equal(nextBoundEstimate([]), null, "bound 0: no estimate");
  const first = nextBoundEstimate([{ bound: 0, executions: 84 }]);
  assert.deepEqual(
    [first?.low, first?.high],
    [Math.round(84 * FIRST_GROWTH.low), 84 * FIRST_GROWTH.high],
  );
  // Never below the last bound, even when it shrank (a bound runs again what the one before ran).
  const flat = nextBoundEstimate([{ bound: 0, executions: 90 }, { bound: 1, executions: 60 }]);
  assert.deepEqual([flat?.bound, flat?.low, flat?.high], [2, 60, 60]);
});

Deno.test("the next: line and the running line say the size and the time at the rate; a long bound says how to cut it", () => {
  const e = nextBoundEstimate([{ bound: 0, executions: 1434 }, { bound: 1, executions: 10635 }]);
  assert.ok(e !== null);
  // The pool service's bound 1 ran at about 240 executions/s: bound 2 is 44 s to 5 min.
  const next = nextBoundLine(e, 240, undefined);
  assert.match(next, /^next: bound 2: about 10635-78873 executions, 44 s-5 min at bound 1's 240/);
  assert.ok(next.endsWith(CUT_HINT), next);
  assert.match(nextBoundLine(e, 240, 5000), /the --max-executions limit stops it after 5000 more/);
  const p = { bound: 2, executions: 2000, schedules: 1500, states: null, boundDone: false };
  const line = runningLine(p, { boundSeconds: 10, before: 0, limit: undefined, estimate: e });
  assert.match(
    line,
    /; about 10635-78873 executions expected in this bound \(from the bounds before\): 43 s-6 min more at this rate$/,
  );
  assert.match(
    cutHintLine(2, 10, e, 2000, 200) ?? "",
    /^hint: bound 2 may run 6 min more at this rate \(the high end of its estimate\); to cut it: fewer threads/,
  );
  // Short and early: no hint. Bound 0: no estimate, and after 30 s the hint.
  const small = nextBoundEstimate([{ bound: 0, executions: 20 }]);
  assert.equal(cutHintLine(1, 1, small, 10, 10), null);
  const zero = { ...p, bound: 0 };
  assert.match(
    runningLine(zero, { boundSeconds: 5, before: 0, limit: undefined, estimate: null }),
    /; no estimate yet: the first bound's size is known only once it is searched \(each later bound is estimated from the ones before\)$/,
  );
  assert.equal(cutHintLine(0, 29, null, 2000, 70), null);
  assert.equal(cutHintLine(0, 40, null, 2000, 50), `hint: bound 0 has run 40 s; ${CUT_HINT}`);
  // With a limit: the time to it, and the size too.
  assert.match(
    runningLine(p, { boundSeconds: 10, before: 0, limit: 6000, estimate: e }),
    /expected in this bound .*; the --max-executions 6000 limit in about 20 s at this rate/,
  );
  assert.match(runningEstimate(e, 90000, 200), /^past the 78873 executions estimated/);
});
