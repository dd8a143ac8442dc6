/**
 * A DIRTY request past the VMO's end (session 33, trial32b #9): dirty-state's K3 owns it and says
 * so ("runs past the end of the VMO", it called page 2 of a two-page VMO "absent"), and
 * packet-discipline's `sizing` leaves it to K3, so the request signs one way in every run.
 */
import { strict as assert } from "node:assert";
import { SCENARIO_KIND } from "./kinds.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { PacketDiscipline } from "../properties/packet_discipline.ts";
import { signatureOf } from "../properties/signature.ts";
import { parseScenario } from "../scenario/schema.ts";
import { describeVerdict } from "../sim/world.ts";
import { makeKernel } from "./testdata/userS32b/f_dirty_overreach.ts";

const SCENARIO = parseScenario(
  JSON.parse(await Deno.readTextFile("case/testdata/fix33b/last_page_write.json")),
);

Deno.test("a DIRTY past the VMO's end is K3's, worded as past the end, and sizing stays silent on it", () => {
  for (const seed of [1, 2, 3]) {
    const run = SCENARIO_KIND.run(SCENARIO, { seed }, {
      monitors: () => kernelInvariants(),
      makeKernel,
    });
    const v = run.verdict;
    assert.equal(signatureOf(v, run.raw), "invariant:dirty-state:K3", describeVerdict(v));
    assert.ok(v.kind === "invariant");
    assert.match(
      v.message,
      /^K3: DIRTY #\d+ on vmo\d+ \[1,3\) runs past the end of the VMO \(2 pages\): page 2 is not in it$/,
    );
    assert.doesNotMatch(v.message, /absent/);
    // packet-discipline alone: its sizing says nothing of a request past the end.
    const alone = SCENARIO_KIND.run(SCENARIO, { seed }, {
      monitors: () => [new PacketDiscipline()],
      makeKernel,
    });
    assert.notEqual(signatureOf(alone.verdict, alone.raw), "invariant:packet-discipline:sizing");
  }
});
