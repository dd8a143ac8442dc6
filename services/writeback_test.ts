import { strict as assert } from "node:assert";
import { parseCase } from "../case/envelope.ts";
import { ZX_PAGER_OP_WRITEBACK_END } from "../kernel/constants.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { parseScenario } from "../scenario/schema.ts";
import { checkCase } from "../properties/check_case.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import type { Scenario } from "../scenario/schema.ts";
import { BUGGY_SERVICES } from "../zoo/buggy_services.ts";
import { DurableStore, makeWritebackService, writebackService } from "./writeback.ts";
import { backingRange } from "./backing.ts";

const LOST_WRITE = new URL("../corpus/invariant-data-integrity-lost-write.json", import.meta.url);

/** The recorded lost-write case's schedule, run with `service` as its writeback service. */
async function lostWriteSchedule(service: typeof writebackService) {
  const raw = JSON.parse(await Deno.readTextFile(LOST_WRITE));
  const parsed = parseCase(raw, LOST_WRITE.pathname);
  assert.ok("case" in parsed, "the lost-write corpus case does not parse");
  const { input, decisions, seed } = parsed.case;
  return checkCase({ scenario: input as Scenario, decisions, seed }, {
    monitors: kernelInvariants,
    services: { ...BUGGY_SERVICES, "writeback-end-before-persist": service },
  });
}

Deno.test("writeback: END before persist loses a write (an eviction in between); the spec 5.3 order keeps it", async () => {
  // Spec P6: query -> BEGIN -> persist -> END. Ending first lets the clean page be evicted and
  // re-read from the store before the data is there (writeback.ts, endBeforePersist).
  const buggy = await lostWriteSchedule(makeWritebackService({ endBeforePersist: true }));
  assert.equal(buggy.verdict.kind, "invariant", JSON.stringify(buggy.verdict));
  if (buggy.verdict.kind === "invariant") {
    assert.equal(buggy.verdict.invariant, "data-integrity");
    assert.ok(buggy.verdict.message.startsWith("lost-write:"), buggy.verdict.message);
  }
  const reference = await lostWriteSchedule(writebackService);
  assert.equal(reference.verdict.kind, "pass", JSON.stringify(reference.verdict));
});

Deno.test("DurableStore: a read is what was persisted, page by page, and the backing pattern elsewhere", () => {
  const ps = 64;
  const store = new DurableStore();
  assert.deepEqual(store.read(3, 0, 4 * ps, ps), backingRange(3, 0, 4 * ps));
  // Two pages persisted at page 1 of VMO 3, one at page 0 of VMO 4.
  const two = new Uint8Array(2 * ps).map((_, i) => (i < ps ? 0xa1 : 0xb2));
  store.persist(3, ps, two, ps);
  store.persist(4, 0, new Uint8Array(ps).fill(0xc3), ps);
  const want = backingRange(3, 0, 4 * ps);
  want.fill(0xa1, ps, 2 * ps);
  want.fill(0xb2, 2 * ps, 3 * ps);
  assert.deepEqual(store.read(3, 0, 4 * ps, ps), want);
  // A read of part of the VMO sees the same pages at their own offsets.
  assert.deepEqual(store.read(3, 2 * ps, 2 * ps, ps), want.subarray(2 * ps, 4 * ps));
  assert.deepEqual(store.read(3, ps, ps, ps), want.subarray(ps, 2 * ps));
  assert.deepEqual(store.read(4, 0, 2 * ps, ps).subarray(0, ps), new Uint8Array(ps).fill(0xc3));
  assert.deepEqual(store.read(4, 0, 2 * ps, ps).subarray(ps), backingRange(4, ps, ps));
  // Persisting again replaces the page; the store keeps its own copy of the bytes.
  const again = new Uint8Array(ps).fill(0xd4);
  store.persist(3, 2 * ps, again, ps);
  again.fill(0);
  assert.deepEqual(store.read(3, 2 * ps, ps, ps), new Uint8Array(ps).fill(0xd4));
  assert.deepEqual(store.read(3, ps, ps, ps), new Uint8Array(ps).fill(0xa1));
  // A persist touches only its own pages: the page after it keeps what it had.
  store.persist(3, ps, new Uint8Array(ps).fill(0xe5), ps);
  assert.deepEqual(store.read(3, 2 * ps, ps, ps), new Uint8Array(ps).fill(0xd4));
});

Deno.test("writeback: a page read, then written, is written back (BEGIN, END) by a later pass", () => {
  // writeback.ts: every `writebackTicks` ticks it writes back each VMO with the spec 5.3 protocol;
  // the read's supply is over before the write, nothing is in flight, so a pass ENDs the range.
  for (let seed = 0; seed < 5; seed++) {
    const r = runScenario(
      parseScenario({
        pageSize: 64,
        pagers: [{ name: "fs", service: { kind: "writeback", writebackTicks: 5 } }],
        vmos: [{ name: "a", pager: "fs", pages: 2, key: 7 }],
        threads: [{
          name: "w",
          // Then ops that keep it alive while the service's ticks pass.
          ops: [
            { op: "read", vmo: "a", page: 0, pages: 1 },
            { op: "write", vmo: "a", page: 0, pages: 1 },
            ...Array.from({ length: 30 }, () => ({ op: "info" as const, vmo: "a" })),
          ],
        }],
      }),
      { seed },
    );
    assert.equal(r.verdict.kind, "pass", `seed ${seed}`);
    const ends = r.trace.entries.filter((e) =>
      e.event.k === "call" && e.event.name === "zx_pager_op_range" &&
      e.event.args[1] === ZX_PAGER_OP_WRITEBACK_END
    );
    assert.ok(ends.length >= 1, `seed ${seed}: no WRITEBACK_END`);
  }
});
