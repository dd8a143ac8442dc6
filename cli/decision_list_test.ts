// A decision list given to sim or repro is followed as given, or the command says where it is not
// (a README-only user, userS24: `sim --decisions 9,9,9,9` ran 4,1,0,0,... and passed without a
// word, and a list pasted from another scenario had its 10th entry 2 read as 0). cli/_decisions.ts.
import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";
import { judgeDecisionList } from "./_decisions.ts";

const root = new URL("../", import.meta.url).pathname;
const DIR = "case/testdata/userS24c";
// The user's service and scenario, as case/testdata/userS24/ keeps them (one copy).
const USER = [
  "--scenario",
  "case/testdata/userS24/small.json",
  "--service",
  "case/testdata/userS24/chunk_store.ts",
];
const FAIR = ["--scenario", `${DIR}/fair_early.json`, "--seed", "3"];
const cli = (script: string, args: string[]) =>
  denoOutput(["run", "--allow-read", "--allow-run=deno", "--allow-env", script, ...args], root);

const thread = (n: number, step: number) => ({ n, step, kind: "thread" as const });

Deno.test("judgeDecisionList: an entry out of range, one never used, one the fair phase overrode are errors; a list that runs out is a note", () => {
  const picks = [thread(5, 0), thread(2, 1), { n: 3, step: 4, kind: "draw" as const }];
  assert.throws(
    () => judgeDecisionList([4, 2, 0], picks, [4, 0, 0], 0),
    /^InputError: --decisions: entry 1 is 2, but the choice it answers \(step 1: which thread runs\) has 2 candidates \(0\.\.1\): the run would depart from the list there \(2 mod 2 = 0\)\. .*--decisions 4 replays the entries before it and lets seed 0 pick the rest$/,
  );
  assert.throws(
    () => judgeDecisionList([4, 1, 3], picks, [4, 1, 0], 0),
    /entry 2 is 3, but the choice it answers \(step 4: a service's random draw\) has 3 candidates/,
  );
  assert.throws(
    () => judgeDecisionList([4, 1, 2, 0, 1], picks, [4, 1, 2, 0], 0),
    /the list has 5 entries, but the run made 4 choices: entries 4\.\.4 were never used.*the part it followed: --decisions 4,1,2,0$/,
  );
  // Entry 3 is past the replay's picks: the fair liveness phase made that choice.
  assert.throws(
    () => judgeDecisionList([4, 1, 2, 1], picks, [4, 1, 2, 0], 0),
    /entry 3 is 1, but the run had turned fair by then .* and picked 0\./,
  );
  // The run's own list, fair picks included, is followed as given: no word.
  assert.equal(judgeDecisionList([4, 1, 2, 0], picks, [4, 1, 2, 0], 0).note, null);
  assert.equal(judgeDecisionList([], [], [], 0).note, null);
  assert.equal(
    judgeDecisionList([4], picks, [4, 1, 2], 7).note,
    "note: --decisions gave 1 entry; the run's other 2 picks came from seed 7 (past the list's " +
      "end), all in the decision-list line below",
  );
  // userS29a: a list of 3 in a run of 13 picks, 7 of them its fair liveness phase's, was noted
  // as "the run's other 3 picks came from seed": the fair phase's picks count too.
  assert.equal(
    judgeDecisionList([4], picks, [4, 1, 2, 0, 1], 7).note,
    "note: --decisions gave 1 entry; the run's other 4 picks came past the list's end: 2 from " +
      "seed 7, then 2 from its fair liveness phase (round-robin), all in the decision-list line " +
      "below",
  );
});

Deno.test("sim and repro refuse the user's --decisions 9,9,9,9 (exit 2, no trace): entry 0 is out of range at a choice of 5", async () => {
  for (const script of ["cli/sim.ts", "cli/repro.ts"]) {
    const r = await cli(script, [...USER, "--decisions", "9,9,9,9"]);
    assert.equal(r.code, 2, script + r.out + r.err);
    assert.equal(r.out, "", script);
    assert.match(
      r.err,
      /^error: --decisions: entry 0 is 9, but the choice it answers \(step 0: which thread runs\) has 5 candidates \(0\.\.4\): the run would depart from the list there \(9 mod 5 = 4\)\. /m,
      script,
    );
  }
});

Deno.test("sim: a printed replay line replays as given, fair picks included; a changed fair pick is refused; a short list gets a note", async () => {
  const first = await cli("cli/sim.ts", FAIR);
  assert.equal(first.code, 0, first.out + first.err);
  const list = /^decision-list \(\d+ entr(?:y|ies)\): (.+)$/m.exec(first.out)?.[1] ?? "";
  const hash = /^trace-hash: (.+)$/m.exec(first.out)?.[1];
  const again = await cli("cli/sim.ts", [...FAIR, "--decisions", list]);
  assert.equal(again.code, 0, again.out + again.err);
  assert.equal(/^trace-hash: (.+)$/m.exec(again.out)?.[1], hash);
  assert.doesNotMatch(again.out, /^note: --decisions/m);
  // Its last pick is the fair phase's (the phase starts at step 4): another value is not followed.
  const entries = list.split(",");
  const last = entries.length - 1;
  const changed = [...entries.slice(0, last), entries[last] === "0" ? "1" : "0"].join(",");
  const fair = await cli("cli/sim.ts", [...FAIR, "--decisions", changed]);
  assert.equal(fair.code, 2, fair.out + fair.err);
  assert.match(fair.err, new RegExp(`entry ${last} is \\d, but the run had turned fair by then`));
  const short = await cli("cli/repro.ts", [...FAIR, "--decisions", entries.slice(0, 2).join(",")]);
  assert.equal(short.code, 0, short.out + short.err);
  // The note's counts add up to the decision-list line's (userS29a: 3 + 3 beside 13 entries).
  const note =
    /^note: --decisions gave 2 entries; the run's other (\d+) picks? came past the list's end: (\d+) from seed 3, then (\d+) from its fair liveness phase/m
      .exec(short.out);
  assert.ok(note !== null, short.out);
  const total = Number(/^decision-list \((\d+) entr(?:y|ies)\)/m.exec(short.out)?.[1]);
  assert.equal(2 + Number(note[1]), total);
  assert.equal(Number(note[2]) + Number(note[3]), Number(note[1]));
});
