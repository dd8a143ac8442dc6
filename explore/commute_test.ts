/**
 * The footprints' independence claims, checked by running both orders: from states sampled
 * along seeded random schedules, every two threads that can run there each take one step, a
 * then b and b then a. Where the footprints (as the first order recorded them) call the steps
 * independent, both orders must be possible and must end in the same state, by the explorer's
 * own full state fingerprint (thread histories plus canonical kernel state). A wrong
 * independence would let DPOR and sleep sets skip a schedule that reaches another state.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import type { KernelEvent } from "../kernel/events.ts";
import { Kernel } from "../kernel/kernel.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { parseScenario, type Scenario } from "../scenario/schema.ts";
import { DEFAULT_SCENARIO } from "../scenario/default.ts";
import { makeRng, type Rng } from "../sim/rng.ts";
import type { Choice, Strategy } from "../sim/strategy.ts";
import type { Monitor, World } from "../sim/world.ts";
import { conflicts, type Footprint, FootprintRecorder } from "./footprint.ts";
import { fingerprintHex } from "./_hasher.ts";
import { Names, stateFingerprint, ThreadHistories } from "./state_hash.ts";

/** Thrown out of the run once the planned steps are taken. */
class Stop extends Error {}

/** What one run of a plan (thread ids to run, in order) saw. */
interface Outcome {
  /** The thread ids that could run at the choice after the plan (the sampled state's choice). */
  readonly runnable: readonly number[] | null;
  /** False if a planned thread could not run when its turn came. */
  readonly followed: boolean;
  /** Footprints of the steps after the first `from` of the plan. */
  readonly fps: readonly Footprint[];
  /** The state fingerprint once the plan ran (null: not hashable there, or the run ended first). */
  readonly state: string | null;
}

/** Runs `plan` (then stops), recording footprints and histories as the explorer does. */
class Probe implements Strategy, Monitor {
  readonly name = "probe";
  #steps = 0;
  #buffer: (KernelEvent | { checkpoint: string; tid: number })[] = [];
  #world: World | null = null;
  #kernel: Kernel | null = null;
  recorder: FootprintRecorder | null = null;
  readonly histories = new ThreadHistories();
  readonly names = new Names();
  runnable: readonly number[] | null = null;
  followed = true;
  readonly fps: Footprint[] = [];
  state: string | null = null;

  /** With `rand`: after the plan, the random walk's thread at each step and its choices. */
  readonly taken: number[] = [];
  readonly choices: { readonly at: number; readonly tids: readonly number[] }[] = [];

  constructor(
    readonly plan: readonly number[],
    readonly from: number,
    readonly rand: Rng | null = null,
  ) {}

  attach(kernel: Kernel): void {
    this.#kernel = kernel;
    this.recorder = new FootprintRecorder(kernel, false);
  }

  pick(c: Choice): number {
    if (c.kind === "draw") return 0;
    // A step with one thread to run asks nothing: the plan goes by steps, not by choices.
    if (this.#steps >= this.plan.length) {
      if (this.rand !== null) {
        this.choices.push({ at: this.taken.length, tids: [...c.tids] });
        return this.rand.int(c.n);
      }
      this.runnable ??= [...c.tids];
      throw new Stop();
    }
    const at = c.tids.indexOf(this.plan[this.#steps]);
    if (at < 0) {
      this.followed = false;
      throw new Stop();
    }
    return at;
  }

  onCheckpoint(tid: number, key: string): void {
    if (this.#world === null) this.histories.checkpoint(tid, key);
    else this.#buffer.push({ checkpoint: key, tid });
  }

  onEvent(e: KernelEvent): void {
    if ("tid" in e && e.tid === 0) return;
    this.names.baseline(this.#kernel as Kernel);
    this.#buffer.push(e);
    this.recorder?.add(e);
  }

  afterStep(world: World): void {
    this.#world = world;
    const t = world.running;
    if (t === null || this.recorder === null) return;
    if (this.#steps >= this.plan.length) {
      // Past the plan: a random walk's step, or one with no choice to stop at.
      this.taken.push(t.tid);
      return;
    }
    this.names.step(world.kernel, t.tid);
    this.histories.step(t.tid);
    for (const item of this.#buffer) {
      if ("checkpoint" in item) this.histories.checkpoint(item.tid, item.checkpoint);
      else this.histories.event(item, this.names);
    }
    this.#buffer = [];
    const fp = new Set(this.recorder.take(t.tid));
    this.recorder.noteHandles();
    // As the explorer marks it: the step that finishes the workload depends on every step.
    if (world.threads.every((x) => x.role !== "workload" || x.end.kind !== "running")) fp.add("*");
    if (this.#steps < this.plan.length && t.tid !== this.plan[this.#steps]) {
      this.followed = false;
      this.#steps = Infinity; // the next choice stops the run
      return;
    }
    if (this.#steps++ >= this.from) this.fps.push(fp);
    if (this.#steps === this.plan.length) {
      this.runnable = world.runnable().map((x) => x.tid);
      const state = stateFingerprint(world, this.histories, this.names, [], false);
      this.state = state === null ? null : fingerprintHex(state);
    }
  }
}

function run(
  scenario: Scenario,
  plan: readonly number[],
  from: number,
  rand: Rng | null = null,
): Outcome & { readonly probe: Probe } {
  const probe = new Probe(plan, from, rand);
  try {
    runScenario(scenario, {
      strategy: probe,
      monitors: [probe],
      keepTrace: false,
      makeKernel: (o) => {
        const k = new Kernel(o);
        probe.attach(k);
        return k;
      },
    });
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  return {
    runnable: probe.runnable,
    followed: probe.followed,
    fps: probe.fps,
    state: probe.state,
    probe,
  };
}

/** What checking one scenario found. */
interface Tally {
  independent: number;
  dependent: number;
  /** Independent pairs whose end state the explorer does not hash either (a thread inside a call). */
  unhashable: number;
}

/** Samples `samples` states of `scenario` and checks every pair of threads runnable there. */
function check(scenario: Scenario, samples: number): Tally {
  const tally: Tally = { independent: 0, dependent: 0, unhashable: 0 };
  for (let seed = 0; seed < samples; seed++) {
    // The test's own sampling stream, never the explorer's.
    const rand = makeRng(seed, "commute");
    // One seeded random schedule; a few of its choice points are the sampled states.
    const walk = run(scenario, [], 0, rand).probe;
    const points = walk.choices.filter((c) => c.tids.length >= 2);
    for (let pick = 0; pick < 3 && points.length > 0; pick++) {
      const point = points[rand.int(points.length)];
      pairs(scenario, walk.taken.slice(0, point.at), point.tids, tally, seed);
    }
  }
  return tally;
}

/** Checks every pair of `threads`, runnable after `prefix`. */
function pairs(
  scenario: Scenario,
  prefix: readonly number[],
  threads: readonly number[],
  tally: Tally,
  seed: number,
): void {
  for (const a of threads) {
    for (const b of threads) {
      if (a >= b) continue;
      const ab = run(scenario, [...prefix, a, b], prefix.length);
      if (!ab.followed || ab.fps.length < 2) {
        // a disabled b, or ended the run: the footprints of such steps conflict (a thread's
        // `t` token, or `*` for the end) and the explorer never reorders them.
        tally.dependent++;
        continue;
      }
      if (conflicts(ab.fps[0], ab.fps[1])) {
        tally.dependent++;
        continue;
      }
      const ba = run(scenario, [...prefix, b, a], prefix.length);
      const where: string = `seed ${seed}, prefix ${prefix.join(",")}, threads ${a} and ${b}: ` +
        `footprints ${[...ab.fps[0]].join(" ")} | ${[...ab.fps[1]].join(" ")}`;
      assert.ok(ba.followed && ba.fps.length === 2, `${where}: b then a is not possible`);
      if (ab.state === null || ba.state === null) {
        assert.equal(ab.state, ba.state, `${where}: one order is hashable, the other not`);
        tally.unhashable++;
        continue;
      }
      tally.independent++;
      assert.equal(ba.state, ab.state, `${where}: the two orders end in different states`);
    }
  }
}

const load = async (name: string): Promise<Scenario> =>
  parseScenario(
    JSON.parse(await Deno.readTextFile(new URL(`./testdata/${name}.json`, import.meta.url))),
    name,
  );

for (
  const name of [
    "default_small",
    "bug_detach",
    "bug_supply",
    "coalesce_two_readers",
    "detach_read",
    "suspend_blocked",
    "close_pager_blocked",
    "zero_slots",
    "supply_disjoint",
    "fault_resumed",
  ]
) {
  Deno.test(`footprints: steps called independent commute (${name})`, async () => {
    const tally = check(await load(name), 40);
    console.log(
      `  ${name}: ${tally.independent} independent pairs checked, ${tally.dependent} dependent, ${tally.unhashable} unhashable`,
    );
    assert.ok(tally.independent > 0, "some independent pair was checked");
  });
}

/**
 * Reads and writes of one VMO's pages every way the workload makes them (a mapping's loads and
 * stores, zx_vmo_read/write, a clone's), two VMOs, a commit and an info call, so copies meet stores,
 * supplies and faults on the same and on other pages.
 */
const MIXED: Scenario = parseScenario({
  name: "commute: mapped and syscall reads and writes of one VMO",
  pageSize: 64,
  pagers: [{ name: "fs", service: { kind: "eager" } }],
  vmos: [{ name: "a", pager: "fs", pages: 2 }, { name: "b", pager: "fs", pages: 1 }],
  threads: [
    {
      name: "loads",
      ops: [{ op: "mapRead", vmo: "a", page: 0, pages: 2 }, { op: "info", vmo: "b" }],
    },
    {
      name: "stores",
      ops: [{ op: "mapWrite", vmo: "a", page: 1 }, { op: "write", vmo: "a", page: 0 }],
    },
    {
      name: "reads",
      ops: [{ op: "read", vmo: "a", page: 0, pages: 2 }, { op: "cloneRead", vmo: "b", page: 0 }],
    },
    {
      name: "commits",
      ops: [{ op: "commit", vmo: "b", page: 0 }, { op: "cloneWrite", vmo: "a", page: 1 }],
    },
  ],
}, "mixed");

Deno.test("footprints: steps called independent commute (mapped and syscall reads and writes)", () => {
  const tally = check(MIXED, 60);
  console.log(
    `  mixed: ${tally.independent} independent pairs checked, ${tally.dependent} dependent, ` +
      `${tally.unhashable} unhashable`,
  );
  assert.ok(tally.independent > 20, `${tally.independent} independent pairs checked`);
});

Deno.test("footprints: steps called independent commute (the default scenario)", () => {
  const tally = check(parseScenario(DEFAULT_SCENARIO, "default scenario"), 60);
  console.log(
    `  default: ${tally.independent} independent pairs checked, ${tally.dependent} dependent, ${tally.unhashable} unhashable`,
  );
  assert.ok(tally.independent > 20, `${tally.independent} independent pairs checked`);
});
