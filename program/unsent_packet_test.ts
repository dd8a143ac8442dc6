/**
 * packet-discipline `unsent` in program runs: a request the kernel made must reach the pager's
 * port, at once or behind the VMO's packet in the port. userS28k's v3b (case/testdata/userS28k/
 * v3b_drop_packet.ts) drops the packet of a READ that starts at page 1: scenario runs find it as a
 * hang (no-lost-requests), but program runs leave liveness out (`programMonitors`), and the
 * janitor's pager close woke the reader with BAD_STATE, which is documented, so the run passed.
 * The rule is judged from the trace's `request`, `resolve` and `packet-*` events and the handle
 * closes, not from the proxy's FIFO.
 */
import { strict as assert } from "node:assert";
import { ZX_ERR_BAD_STATE, ZX_OK } from "../kernel/constants.ts";
import { makeKernel as v3b } from "../case/testdata/userS28k/v3b_drop_packet.ts";
import type { Program, ProgramCall, ProgramThread } from "./program.ts";
import { runProgram } from "./run.ts";

const PAGER: ProgramCall[] = [
  { call: "zx_pager_create", args: [0] },
  { call: "zx_port_create", args: [0] },
  { call: "zx_pager_create_vmo", args: [{ h: [0, 0] }, 0, { h: [0, 1] }, 5, 192] },
];

/** Thread 0 makes a 3-page pager VMO; each later thread reads 8 bytes of it at its page. */
function readers(...pages: number[]): Program {
  return {
    pageSize: 64,
    overtimeTicks: 0,
    threads: [
      { failInsteadOfBlock: false, calls: PAGER },
      ...pages.map((p, i): ProgramThread => ({
        failInsteadOfBlock: false,
        calls: [
          // Wait (on a port of its own, timing out) until thread 0 made the VMO.
          { call: "zx_port_create", args: [0] },
          { call: "zx_port_wait", args: [{ h: [i + 1, 0] }, { after: 50 }] },
          { call: "zx_vmo_read", args: [{ h: [0, 2] }, p * 64, 8] },
        ],
      })),
    ],
  };
}

Deno.test("unsent: a READ whose packet v3b drops fails the program run; the model passes", () => {
  const p = readers(1);
  for (const seed of [1, 2, 3]) {
    const model = runProgram(p, { seed });
    assert.equal(model.verdict.kind, "pass", JSON.stringify(model.verdict));
    assert.equal(model.results[1][2]?.status, ZX_ERR_BAD_STATE, "the janitor's close wakes it");
    const run = runProgram(p, { seed, makeKernel: v3b });
    const v = run.verdict;
    assert.ok(v.kind === "invariant" && v.invariant === "packet-discipline", JSON.stringify(v));
    assert.match(
      v.message,
      /^unsent: vmo\d+ READ request #\d+ pages \[1,2\) \(t\d+\) is outstanding, but no packet of it was queued on port\d+/,
    );
  }
});

/** Request ids of the run's trace whose packet was never queued before the janitor's first close. */
function waitedUnsent(run: ReturnType<typeof runProgram>): { ids: number[]; dropped: number } {
  const sent = new Set<number>(), made: number[] = [];
  let dropped = 0;
  for (const { event: e } of run.world.trace.entries) {
    if (e.k === "ret" && e.name === "zx_handle_close" && e.tid === run.world.threads[0].tid) break;
    if (e.k === "request") made.push(e.id);
    if (e.k === "packet-queued" || e.k === "packet-dropped") sent.add(e.id);
    if (e.k === "packet-dropped") dropped++;
  }
  return { ids: made.filter((id) => !sent.has(id)), dropped };
}

Deno.test("unsent: a request behind the VMO's unread packet, or on a dead port, is not unsent", () => {
  // Two readers, nobody takes a packet: the second request waits behind the first packet.
  for (const seed of [1, 2, 3, 4, 5]) {
    const run = runProgram(readers(0, 2), { seed, keepTrace: true });
    assert.equal(run.verdict.kind, "pass", JSON.stringify(run.verdict));
    assert.deepEqual(waitedUnsent(run), { ids: [2], dropped: 0 }, "#2 waited in the FIFO");
  }
  // The port is closed before the reads: the first packet is refused (packet-dropped, the slot
  // stuck) and the second request waits behind it for good; no packet can reach a pager again.
  const dead: Program = {
    ...readers(0, 2),
    threads: [
      {
        failInsteadOfBlock: false,
        calls: [...PAGER, { call: "zx_handle_close", args: [{ h: [0, 1] }] }],
      },
      ...readers(0, 2).threads.slice(1),
    ],
  };
  for (const seed of [1, 2, 3]) {
    const run = runProgram(dead, { seed, keepTrace: true });
    assert.equal(run.verdict.kind, "pass", JSON.stringify(run.verdict));
    assert.equal(run.results[0][3]?.status, ZX_OK, "the port closed before the reads");
    assert.deepEqual(waitedUnsent(run), { ids: [2], dropped: 1 });
  }
});
