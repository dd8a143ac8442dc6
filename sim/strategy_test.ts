import { strict as assert } from "node:assert";
import {
  type Choice,
  DecisionSource,
  fairStrategy,
  followStrategy,
  pctStrategy,
  randomStrategy,
  recordingStrategy,
  replayStrategy,
  type SchedulePick,
} from "./strategy.ts";

const choice = (
  n: number,
  step = 0,
  tids = Array.from({ length: n }, (_, i) => i + 1),
): Choice => ({
  n,
  kind: "thread",
  tids,
  step,
});

Deno.test("replay: picks are taken modulo n, then a seeded fallback", () => {
  const s = replayStrategy([5, 1, 2], 9);
  assert.deepEqual([s.pick(choice(3)), s.pick(choice(2)), s.pick(choice(4))], [2, 1, 2]);
  const a = replayStrategy([], 9), b = replayStrategy([], 9);
  const picks = (s: typeof a) => Array.from({ length: 20 }, () => s.pick(choice(5)));
  assert.deepEqual(picks(a), picks(b));
});

Deno.test("random: the same seed picks the same sequence; another seed differs", () => {
  const picks = (seed: number) => {
    const s = randomStrategy(seed);
    return Array.from({ length: 32 }, () => s.pick(choice(4)));
  };
  assert.deepEqual(picks(1), picks(1));
  assert.notDeepEqual(picks(1), picks(2));
});

Deno.test("PCT depth 1: the highest-priority thread runs whenever it is runnable", () => {
  const s = pctStrategy(3, { depth: 1, steps: 100 });
  const first = s.pick(choice(3));
  const favourite = first + 1;
  for (let step = 1; step < 50; step++) assert.equal(s.pick(choice(3, step)), favourite - 1);
  // Without the favourite, the next-highest priority runs, and keeps running (no change points).
  const others = [1, 2, 3].filter((t) => t !== favourite);
  const second = s.pick(choice(2, 60, others));
  for (let step = 61; step < 90; step++) assert.equal(s.pick(choice(2, step, others)), second);
  assert.equal(s.pick(choice(3, 90)), favourite - 1, "the favourite runs again when runnable");
});

Deno.test("PCT depth d: d-1 change points demote the running thread", () => {
  // With a change point within the first steps, the favourite eventually changes.
  let changed = 0;
  for (let seed = 0; seed < 50; seed++) {
    const s = pctStrategy(seed, { depth: 3, steps: 10 });
    const picks = Array.from({ length: 12 }, (_, step) => s.pick(choice(3, step + 1)));
    if (new Set(picks).size > 1) changed++;
  }
  assert.ok(changed > 0, "some seed must switch threads at a change point");
});

Deno.test("fair: round-robin over thread ids", () => {
  const s = fairStrategy();
  const tids = [2, 5, 7];
  const order = Array.from({ length: 6 }, () => tids[s.pick(choice(3, 0, tids))]);
  assert.deepEqual(order, [2, 5, 7, 2, 5, 7]);
});

Deno.test("the decision source records only real choices and rejects bad picks", () => {
  const d = new DecisionSource(replayStrategy([1, 0]));
  assert.equal(d.choose(1, "thread", [1], 0), 0);
  assert.equal(d.choose(2, "thread", [1, 2], 1), 1);
  assert.equal(d.choose(3, "draw", [], 2), 0);
  assert.deepEqual(d.decisions, [1, 0]);
  const bad = new DecisionSource({ name: "bad", pick: () => 7 });
  assert.throws(() => bad.choose(2, "thread", [1, 2], 0), /picked 7 of 2/);
});

Deno.test("follow: a thread not ready keeps its turn; past the schedule, the default pick", () => {
  const names = (t: number) => ["", "a", "b", "c"][t];
  const s = followStrategy([{ thread: "c" }, { draw: 4 }, { thread: "b" }, { thread: "a" }]);
  const pick = (tids: number[]) =>
    names(tids[s.pick({ n: tids.length, kind: "thread", tids, step: 0, nameOf: names })]);
  // b is not ready: a goes first, b keeps its place for when it is.
  assert.deepEqual([pick([1, 3]), pick([1, 3]), pick([2, 3])], ["c", "a", "b"]);
  assert.equal(pick([2, 3]), "b"); // nothing left: index 0
  assert.equal(s.pick({ n: 3, kind: "draw", tids: [], step: 0 }), 1); // 4 mod 3
  assert.equal(s.pick({ n: 3, kind: "draw", tids: [], step: 0 }), 0);
  // What a recording of the followed run records is the followed order.
  const out: SchedulePick[] = [];
  const r = recordingStrategy(followStrategy([{ thread: "b" }]), out);
  r.pick({ n: 2, kind: "thread", tids: [1, 2], step: 0, nameOf: names });
  assert.deepEqual(out, [{ thread: "b" }]);
});
