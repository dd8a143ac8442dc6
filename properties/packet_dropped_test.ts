// packet-discipline follows a dying port's drops packet by packet: each `packet-dropped` event
// takes the named VMO's own oldest packet out of its picture of the port, and one naming a VMO
// with no packet there fails (`unannounced`). The mutant of kernel/port.ts below makes
// `dropAll` hand back the packets already dequeued too, so the kernel reports drops of packets
// the service had read; the checker used to clear the VMO's packets on any drop event and
// passed it (docs/mutation.md, blind-spot triage of sample cee8f81).
import { strict as assert } from "node:assert";
import { mirrorCampaignRun, mutantMirror } from "../mutate/mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("packet-discipline: a port that reports dropping packets it already delivered fails campaign run 48", async () => {
  const m = await mutantMirror("kernel/port.ts");
  try {
    const run = (await mirrorCampaignRun(m)) as (k: number) => Any;
    assert.equal(run(48).kind, "pass", "run 48 unmutated");
    const v: Any = m.withMutant(
      "kernel/port.ts:163:21:MethodExpression:this.#queue",
      () => run(48),
    );
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "packet-discipline", JSON.stringify(v));
    assert.match(
      v.message,
      /^unannounced: a port dropped a packet of vmo\d+, which had none there$/,
    );
  } finally {
    m.dispose();
  }
});
