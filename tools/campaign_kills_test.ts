import { deepStrictEqual as assertEquals } from "node:assert";
import { NIGHTLY } from "../tools/nightly.ts";
import { campaignKills } from "./campaign_kills.ts";

// Three mutants of kernel/signals.ts whose campaign verdicts `deno task mutate --files
// kernel/signals.ts --only --by campaign` gave (all 51 of the file agreed with this tool, killing
// probe and all; docs/mutation.md "Blind-spot triage"). If a checker or workload change moves
// one, the mutate run moves with it: pick another of the same status from a fresh mutate run.
const KILLED = "kernel/signals.ts:28:7:ConditionalExpression:false"; // a VMO has no signals
// A dead port's async wait kept one step longer (its packet is refused by the dead port anyway).
// (The earlier pick, :77:11 true, an async wait that never fires, is killed since the program
// contract follows the packets async waits owe: gap list B of sample d8197e4.)
const SURVIVOR = "kernel/signals.ts:73:11:ConditionalExpression:false";
// A dead port's async wait is dropped: no probe polls an async wait whose port has died. (The
// earlier pick, :89:34, an async wait's packet queued, is reached since signalLayout's async wait
// on a signal already active: gap list D of sample db479d7.)
const UNCOVERED = "kernel/signals.ts:73:24:BlockStatement:{}";

Deno.test({
  name:
    "campaign_kills: a known kill, a known survivor and a known uncovered mutant, as mutate judges them",
  // Nightly (deno task nightly): a full campaign-judge run of its own; CI's mutation sample runs the same judge.
  ignore: !NIGHTLY,
}, async () => {
  const verdicts = await campaignKills("kernel/signals.ts", [KILLED, SURVIVOR, UNCOVERED]);
  assertEquals(
    verdicts.map((v) => [v.key, v.status, v.by?.split(":")[0]]),
    [[KILLED, "killed", "program"], [SURVIVOR, "survived", undefined], [
      UNCOVERED,
      "no-coverage",
      undefined,
    ]],
  );
  // The survivor ran every probe that reaches it: the judge's whole coverage of it.
  const survivor = verdicts[1];
  assertEquals(survivor.ran > 0, true);
});
