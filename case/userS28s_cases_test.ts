// userS28s (case/testdata/userS28s): an fxfs-like pager service written from the README alone (a
// receiver per service thread hands READ/DIRTY packets to two workers through a Mutex + CondVar
// queue; bugs/ holds its planted variants). Findings:
// 1. bugs/fs_a2.ts signals the queue's condition variable before it pushes the packet (a lost
//    wake-up). A campaign signed 132 runs `lost-wakeup:condvar queue nonempty` and 3 runs
//    `dropped-after-error:ZX_PAGER_OP_DIRTY:ZX_ERR_NOT_FOUND`: in those, an OP_DIRTY after an
//    eviction answered DIRTY request #3 (the kernel completed it and returned NOT_FOUND, a normal
//    outcome) and was blamed for READ #4 of the same page, which the missed wake-up left
//    unanswered: the failed answer was matched to the request by page range alone.
// 2. bugs/fs_b.ts takes `queue` then `store` where flush takes `store` then `queue` (a lock-order
//    deadlock). Its campaign case kept a second pager, its file and workload thread, a closeVmo
//    and a suspend event, though explore found the deadlock with one workload thread and the
//    writeback event alone: each cut of an event renamed the events after it (their threads are
//    named by index, `env2.writeback(p0)`), so the cut's run, following the schedule by thread
//    names, lost the writeback thread's picks and the deadlock.
import { strict as assert } from "node:assert";
import { readCaseFile, resolveContext } from "./store.ts";
import { replayedCase, verdictMessage } from "./_replay_fixture.ts";
import { signScenarioRun } from "../fuzz/engine.ts";
import type { KindRun } from "./kind.ts";
import { eventThreadsFollow, SCENARIO_KIND } from "./kinds.ts";
import { shrink } from "./shrink.ts";
import type { Scenario } from "../scenario/schema.ts";
import type { SchedulePick } from "../sim/strategy.ts";

const DIR = new URL("./testdata/userS28s/corpus", import.meta.url).pathname;

/** The case named `name`, replayed as recorded (verdict and trace hash). */
async function replayed(name: string): Promise<KindRun> {
  return (await replayedCase(DIR, name)).run;
}

const message = verdictMessage;

Deno.test("userS28s fs_a2: a failed OP_DIRTY that answered another (DIRTY) request is not blamed for a READ a lost wake-up left", async () => {
  // Found as dropped-after-error-zx-pager-op-dirty-zx-err-not-found-fs-a2-5a4d5798.json.
  const run = await replayed("lost-wakeup-condvar-queue-nonempty-fs-a2-5a4d5798.json");
  assert.equal(signScenarioRun(run), "lost-wakeup:condvar queue nonempty");
  assert.doesNotMatch(message(run), /failed answer/);
  assert.match(
    message(run),
    /; parked holding a packet: t2 "worker-a1" waits on futex 0x[0-9a-f]+ \(condvar queue nonempty\), never woken for a packet t1 "p0\.svc" handed off/,
  );
  // The other 132 runs' case signs the same.
  const other = await replayed("lost-wakeup-condvar-queue-nonempty-fs-a2-73a6ff64.json");
  assert.equal(signScenarioRun(other), "lost-wakeup:condvar queue nonempty");
});

Deno.test("userS28s fs_b: the campaign's deadlock case shrinks to one pager, one file, one workload thread and the writeback event", async () => {
  // As case/investigate.ts shrinks a finding: input cuts follow the schedule by thread names.
  const file = `${DIR}/deadlock-mutex-queue-mutex-store-fs-b-dd5e8251.json`;
  const c = await readCaseFile(file);
  const ctx = await resolveContext(c, file);
  const runOf = (
    input: Scenario,
    o: { decisions?: readonly number[]; follow?: readonly SchedulePick[] },
  ) => {
    const schedule: SchedulePick[] = [];
    const run = SCENARIO_KIND.run(input, { seed: c.seed, ...o, schedule }, ctx);
    return { run, schedule, decisions: run.decisions.slice(0, schedule.length) };
  };
  const signature = "deadlock:mutex queue & mutex store";
  assert.equal(
    signScenarioRun(runOf(c.input as Scenario, { decisions: c.decisions }).run),
    signature,
  );
  const shrunk = shrink(SCENARIO_KIND, { input: c.input as Scenario, decisions: c.decisions }, {
    fails: (x) => {
      if (!SCENARIO_KIND.admits!(x.input, ctx)) return false;
      const r = runOf(
        x.input,
        x.follow !== undefined ? { follow: x.follow } : { decisions: x.decisions },
      );
      return signScenarioRun(r.run) === signature && r;
    },
    schedule: (x) => runOf(x.input, { decisions: x.decisions }).schedule,
    maxAttempts: 2000,
  });
  const s = shrunk.case.input;
  assert.deepEqual(s.pagers.map((p) => p.name), ["p0"]);
  assert.deepEqual(s.vmos.map((v) => v.name), ["v1"]);
  assert.deepEqual(s.threads.map((t) => t.name), ["w2"]);
  assert.deepEqual(s.events.map((e) => `${e.do}(${e.target})`), ["writeback(p0)"]);
  // The rule: the shrunk case replays alone (new instances of the modules) with the signature.
  const alone = SCENARIO_KIND.run(
    s,
    { seed: c.seed, decisions: shrunk.case.decisions },
    await resolveContext(c, file),
  );
  assert.equal(signScenarioRun(alone), signature);
});

Deno.test("eventThreadsFollow: an event cut gives the events after it their new names' picks", () => {
  const ev = (d: string, target: string) =>
    ({ do: d, target, notBefore: 0 }) as Scenario["events"][number];
  const a = ev("closeVmo", "v0"), b = ev("suspend", "w0"), w = ev("writeback", "p0");
  const from = { events: [a, b, w] } as unknown as Scenario;
  const schedule = [{ thread: "env2.writeback(p0)" }, { thread: "env1.suspend(w0)" }, { draw: 3 }, {
    thread: "w2",
  }];
  assert.deepEqual(eventThreadsFollow(schedule, from, { events: [a, w] } as unknown as Scenario), [
    { thread: "env1.writeback(p0)" },
    { thread: "removed:env1.suspend(w0)" },
    { draw: 3 },
    { thread: "w2" },
  ]);
  // A cut that changed one event's delay keeps every name.
  const later = { events: [a, b, { ...w, notBefore: 0 }] } as unknown as Scenario;
  assert.deepEqual(eventThreadsFollow(schedule, from, later), schedule);
});
