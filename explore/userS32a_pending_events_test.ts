// userS32a (finding 8): explore passed all 5477 schedules of a scenario whose `evict` (notBefore
// 10) rarely fired before its three-op workload ended, while sim found the bug it needed: an
// explored schedule ends when the workload does, so an event not fired by then never fires, and
// one under way finishes in the unbranched quiescent tail. Nothing said so. Each bound now counts
// the schedules whose workload ended with an event not done (`pendingAtEnd`, `pendingEvents`),
// and explore prints one note (cli/explore.ts pendingEventsNote).
import { strict as assert } from "node:assert";
import { explore } from "./explore.ts";
import { parseScenario } from "../scenario/schema.ts";
import { pendingEventsNote } from "../cli/explore.ts";

/** One reader of one page; an evict of its VMO that may not fire before `notBefore`. */
function scenario(notBefore: number, reads: number) {
  return parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs" }],
    vmos: [{ name: "a", pager: "fs", pages: 1 }],
    threads: [{ name: "r", ops: Array(reads).fill({ op: "read", vmo: "a", page: 0 }) }],
    events: [{ do: "evict", target: "a", notBefore }],
  });
}

Deno.test("userS32a: explore counts the schedules whose workload ended before an event ran, and says so once", () => {
  // notBefore far past the workload's end: the event never fires in any schedule.
  const late = explore(scenario(500, 1), { preemptions: 1 });
  assert.equal(late.outcome, "pass", late.summary);
  for (const b of late.bounds) {
    assert.ok(b.schedules > 0);
    assert.equal(b.pendingAtEnd, b.schedules, `bound ${b.bound}`);
    assert.deepEqual(b.pendingEvents, ["env0.evict(a)"]);
  }
  const note = pendingEventsNote(late.bounds, true) ?? "";
  const last = late.bounds[late.bounds.length - 1];
  assert.ok(
    note.startsWith(
      `note: in ${last.schedules} of ${last.schedules} schedules (bound 1) the workload finished ` +
        "before environment event env0.evict(a) had run: ",
    ),
    note,
  );
  assert.match(
    note,
    /never fires there, and one under way finishes in the quiescent tail, unbranched/,
  );
  assert.match(note, /more ops after the ones they act on .*or a lower notBefore/);

  // The same event free to fire at once, the workload padded with more reads: schedules where it
  // ran before the workload ended are not counted.
  const early = explore(scenario(0, 3), { preemptions: 1 });
  assert.equal(early.outcome, "pass", early.summary);
  const b = early.bounds[early.bounds.length - 1];
  assert.ok(b.pendingAtEnd < b.schedules, `${b.pendingAtEnd} of ${b.schedules}`);

  // No event, no note.
  const quiet = explore(
    parseScenario({
      pageSize: 64,
      pagers: [{ name: "fs" }],
      vmos: [{ name: "a", pager: "fs", pages: 1 }],
      threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
    }),
    { preemptions: 1 },
  );
  assert.ok(quiet.bounds.every((x) => x.pendingAtEnd === 0 && x.pendingEvents.length === 0));
  assert.equal(pendingEventsNote(quiet.bounds, true), null);
});
