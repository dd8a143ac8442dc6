import { strict as assert } from "node:assert";
import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_IO,
  ZX_ERR_TIMED_OUT,
  ZX_OK,
  ZX_PAGER_VMO_COMPLETE,
  ZX_PAGER_VMO_READ,
} from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import { explore } from "../explore/explore.ts";
import { describeVerdict } from "../sim/world.ts";
import { runScenario, type ScenarioRun } from "../scenario/interpreter.ts";
import { type Op, parseScenario, type ScenarioInput } from "../scenario/schema.ts";
import { backingRange } from "./backing.ts";

const PS = 64;
const SEEDS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

type ServiceInput = NonNullable<ScenarioInput["pagers"][number]["service"]>;

/** One pager serving VMO "a" (`pages` pages, key 7) to the given threads. */
function scenario(
  service: ServiceInput,
  threads: { name: string; ops: Op[] }[],
  pages = 8,
): ScenarioInput {
  return {
    pageSize: PS,
    pagers: [{ name: "fs", service }],
    vmos: [{ name: "a", pager: "fs", pages, key: 7 }],
    threads,
  };
}

function run(input: ScenarioInput, seed: number): ScenarioRun {
  return runScenario(parseScenario(input), { seed });
}

function events(r: ScenarioRun): KernelEvent[] {
  return r.trace.entries.map((e) => e.event);
}

/** Page ranges of the READ packets queued, as `[first, end)` page pairs. */
function readPackets(r: ScenarioRun): [number, number][] {
  return events(r).flatMap((e) =>
    e.k === "packet-queued" && e.packet.command === ZX_PAGER_VMO_READ
      ? [[e.packet.offset / PS, (e.packet.offset + e.packet.length) / PS] as [number, number]]
      : []
  );
}

function commands(r: ScenarioRun, k: "packet-queued" | "packet-dequeued", command: number) {
  return events(r).filter((e) =>
    (e.k === "packet-queued" || e.k === "packet-dequeued") && e.k === k &&
    e.packet.command === command
  ).length;
}

function calls(r: ScenarioRun, name: string): number {
  return events(r).filter((e) => e.k === "call" && e.name === name).length;
}

/** The bytes thread `tid` copied out of VMOs, in order. */
function bytesRead(r: ScenarioRun, tid: number): Uint8Array {
  const parts = events(r).flatMap((e) => e.k === "copy" && e.tid === tid ? [e.bytes] : []);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const sequential: Op[] = Array.from({ length: 8 }, (_, page) => ({
  op: "read" as const,
  vmo: "a",
  page,
  pages: 1,
}));

Deno.test("eager supplies exactly each requested range with the backing content", () => {
  const input = scenario({ kind: "eager" }, [
    { name: "whole", ops: [{ op: "read", vmo: "a", page: 0, pages: 8 }] },
    { name: "mapped", ops: [{ op: "mapRead", vmo: "a", page: 2, pages: 3 }] },
  ]);
  for (const seed of SEEDS) {
    const r = run(input, seed);
    assert.equal(r.verdict.kind, "pass", `seed ${seed}`);
    assert.deepEqual(r.outcomes.map((o) => o.status), [ZX_OK, ZX_OK]);
    const whole = r.names.threadTid.get("whole")!;
    assert.deepEqual(bytesRead(r, whole), backingRange(7, 0, 8 * PS, PS));
    const mapped = r.names.threadTid.get("mapped")!;
    assert.deepEqual(bytesRead(r, mapped), backingRange(7, 2 * PS, 3 * PS, PS));
    // Every supply call covers one READ packet's range exactly.
    const supplies = events(r).flatMap((e) =>
      e.k === "call" && e.name === "zx_pager_supply_pages"
        ? [[(e.args[2] as number) / PS, ((e.args[2] as number) + (e.args[3] as number)) / PS]]
        : []
    );
    assert.deepEqual(supplies, readPackets(r));
  }
});

Deno.test("batching with read-ahead sends fewer READs to a sequential reader", () => {
  const reader = [{ name: "seq", ops: sequential }];
  for (const seed of SEEDS) {
    const eager = run(scenario({ kind: "eager" }, reader), seed);
    const ahead = run(scenario({ kind: "batching", batch: 4, readAhead: 2 }, reader), seed);
    assert.equal(eager.verdict.kind, "pass");
    assert.equal(ahead.verdict.kind, "pass");
    assert.equal(readPackets(eager).length, 8, "one READ per page without read-ahead");
    // Each READ [p,p+1) is answered with [p,p+3): pages 0, 3 and 6 are the only misses.
    assert.deepEqual(readPackets(ahead), [[0, 1], [3, 4], [6, 7]]);
    assert.ok(ahead.outcomes.every((o) => o.status === ZX_OK));
    const seq = ahead.names.threadTid.get("seq")!;
    assert.deepEqual(bytesRead(ahead, seq), backingRange(7, 0, 8 * PS, PS));
  }
  const none = run(scenario({ kind: "batching", batch: 4, readAhead: 0 }, reader), 1);
  assert.equal(readPackets(none).length, 8, "read-ahead 0 supplies only what was asked");
});

Deno.test("batching gathers already-queued packets into one batch, up to its size", () => {
  const readers = ["a", "b", "c", "d"].map((name, i) => ({
    name,
    ops: [{ op: "read" as const, vmo: "a", page: 2 * i, pages: 1 }],
  }));
  const gathered = (batch: number) => {
    let most = 0;
    for (const seed of SEEDS) {
      const r = run(scenario({ kind: "batching", batch, readAhead: 0 }, readers), seed);
      assert.equal(r.verdict.kind, "pass");
      assert.ok(r.outcomes.every((o) => o.status === ZX_OK));
      // Count READs dequeued per blocking wait: a batch is one infinite wait plus polls.
      let inBatch = 0;
      for (const e of events(r)) {
        if (e.k === "call" && e.name === "zx_port_wait" && e.args[1] === Infinity) inBatch = 0;
        if (e.k === "packet-dequeued" && e.packet.command === ZX_PAGER_VMO_READ) {
          most = Math.max(most, ++inBatch);
        }
      }
    }
    return most;
  };
  assert.equal(gathered(1), 1, "batch 1 never polls for more");
  const four = gathered(4);
  assert.ok(four >= 2 && four <= 4, `largest batch ${four}`);
});

Deno.test("flaky with failPercent 0 never fails a request", () => {
  const input = scenario({ kind: "flaky", failPercent: 0 }, [
    { name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 8 }] },
    { name: "m", ops: [{ op: "mapRead", vmo: "a", page: 4, pages: 4 }] },
  ]);
  for (const seed of SEEDS) {
    const r = run(input, seed);
    assert.equal(r.verdict.kind, "pass");
    assert.deepEqual(r.outcomes.map((o) => o.status), [ZX_OK, ZX_OK]);
    assert.equal(calls(r, "zx_pager_op_range"), 0);
    assert.deepEqual(bytesRead(r, r.names.threadTid.get("r")!), backingRange(7, 0, 8 * PS, PS));
  }
});

Deno.test("flaky with failPercent 100 fails every read with ZX_ERR_IO", () => {
  const input = scenario({ kind: "flaky", failPercent: 100 }, [
    {
      name: "r",
      ops: [{ op: "read", vmo: "a", page: 0, pages: 8 }, {
        op: "read",
        vmo: "a",
        page: 5,
        pages: 1,
      }],
    },
    { name: "c", ops: [{ op: "commit", vmo: "a", page: 1, pages: 2 }] },
    { name: "m", ops: [{ op: "mapRead", vmo: "a", page: 6, pages: 2 }] },
  ]);
  for (const seed of SEEDS) {
    const r = run(input, seed);
    assert.equal(r.verdict.kind, "pass");
    assert.deepEqual(r.outcomes.map((o) => o.status), [ZX_ERR_IO, ZX_ERR_IO, ZX_ERR_IO]);
    assert.equal(calls(r, "zx_pager_supply_pages"), 0);
    assert.ok(calls(r, "zx_pager_op_range") >= 1);
    const m = r.world.threads[r.names.threadTid.get("m")! - 1];
    assert.deepEqual(m.end, {
      kind: "page-fault",
      synth: ZX_ERR_IO,
      addr: m.end.kind === "page-fault" ? m.end.addr : -1,
    });
  }
});

Deno.test("detacher: a blocked reader gets BAD_STATE, COMPLETE is delivered, clean pages go", () => {
  const input = scenario({ kind: "detacher", detachAfter: 1 }, [
    {
      name: "r",
      ops: [
        { op: "read", vmo: "a", page: 0, pages: 1 },
        { op: "read", vmo: "a", page: 1, pages: 1 },
        { op: "read", vmo: "a", page: 2, pages: 1 },
        { op: "read", vmo: "a", page: 0, pages: 1 },
      ],
    },
  ]);
  for (const seed of SEEDS) {
    const r = run(input, seed);
    assert.equal(r.verdict.kind, "pass");
    // Served, blocked when the detach came, refused after it, decommitted by it (spec 4.4).
    assert.deepEqual(r.outcomes.map((o) => o.status), [
      ZX_OK,
      ZX_ERR_BAD_STATE,
      ZX_ERR_BAD_STATE,
      ZX_ERR_BAD_STATE,
    ]);
    assert.equal(readPackets(r).length, 2, "no READ after the detach");
    assert.equal(commands(r, "packet-queued", ZX_PAGER_VMO_COMPLETE), 1);
    assert.equal(commands(r, "packet-dequeued", ZX_PAGER_VMO_COMPLETE), 1);
    const detach = events(r).filter((e) => e.k === "detach");
    assert.deepEqual(detach.map((e) => e.k === "detach" && e.why), ["detach"]);
  }
});

Deno.test("detacher with detachAfter 0 detaches on the first request", () => {
  const r = run(
    scenario({ kind: "detacher", detachAfter: 0 }, [
      { name: "r", ops: [{ op: "read", vmo: "a", page: 3, pages: 2 }] },
    ]),
    1,
  );
  assert.deepEqual(r.outcomes.map((o) => o.status), [ZX_ERR_BAD_STATE]);
  assert.equal(calls(r, "zx_pager_supply_pages"), 0);
  assert.equal(commands(r, "packet-queued", ZX_PAGER_VMO_COMPLETE), 1);
});

Deno.test("detacher with closePager: a blocked reader gets BAD_STATE, no COMPLETE, pages stay", () => {
  const input = scenario({ kind: "detacher", detachAfter: 1, closePager: true }, [
    {
      name: "r",
      ops: [
        { op: "read", vmo: "a", page: 0, pages: 1 },
        { op: "read", vmo: "a", page: 1, pages: 1 },
        { op: "read", vmo: "a", page: 2, pages: 1 },
        { op: "read", vmo: "a", page: 0, pages: 1 },
      ],
    },
  ]);
  for (const seed of SEEDS) {
    const r = run(input, seed);
    assert.equal(r.verdict.kind, "pass");
    // Page 0 was supplied before the close and stays readable (spec 4.4, P30).
    assert.deepEqual(r.outcomes.map((o) => o.status), [
      ZX_OK,
      ZX_ERR_BAD_STATE,
      ZX_ERR_BAD_STATE,
      ZX_OK,
    ]);
    assert.equal(commands(r, "packet-queued", ZX_PAGER_VMO_COMPLETE), 0);
    const detach = events(r).filter((e) => e.k === "detach");
    assert.deepEqual(detach.map((e) => e.k === "detach" && e.why), ["pager-closed"]);
    const tid = r.names.threadTid.get("r")!;
    const copies = bytesRead(r, tid);
    assert.deepEqual(copies.subarray(PS, 2 * PS), backingRange(7, 0, PS, PS));
  }
});

/** Each READ packet a service thread dequeued, with the ranges (bytes) of the answers it made next. */
function answersPerRead(r: ScenarioRun): { offset: number; length: number; answers: number[][] }[] {
  const out: { offset: number; length: number; answers: number[][] }[] = [];
  for (const e of events(r)) {
    if (e.k === "packet-dequeued" && e.packet.command === ZX_PAGER_VMO_READ) {
      out.push({ offset: e.packet.offset, length: e.packet.length, answers: [] });
    } else if (e.k === "call" && out.length > 0) {
      // zx_pager_supply_pages(pager, vmo, offset, length, aux, aux_offset);
      // zx_pager_op_range(pager, op, vmo, offset, length, data).
      if (e.name === "zx_pager_supply_pages") {
        out[out.length - 1].answers.push([e.args[2] as number, e.args[3] as number]);
      }
      if (e.name === "zx_pager_op_range") {
        out[out.length - 1].answers.push([e.args[3] as number, e.args[4] as number]);
      }
    }
  }
  return out;
}

Deno.test("flaky answers each READ over exactly its range: whole, or page by page for some multi-page requests", () => {
  // flaky.ts: "each request (or, for some multi-page requests, each page of it) fails ... with
  // probability failPercent%": the answers tile the request, in one piece or a page at a time.
  const input = scenario({ kind: "flaky", failPercent: 50 }, [
    { name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 4 }] },
    { name: "s", ops: [{ op: "read", vmo: "a", page: 6, pages: 3 }] },
  ], 12);
  let whole = 0, paged = 0;
  for (const seed of [...SEEDS, 10, 11, 12, 13, 14, 15]) {
    const r = run(input, seed);
    assert.equal(r.verdict.kind, "pass", `seed ${seed}`);
    for (const p of answersPerRead(r)) {
      const ends = p.answers.map(([o, l]) => o + l);
      assert.deepEqual(
        p.answers.map(([o]) => o),
        [p.offset, ...ends.slice(0, -1)],
        `seed ${seed}: answers ${JSON.stringify(p.answers)} of [${p.offset}, +${p.length})`,
      );
      assert.equal(ends.at(-1), p.offset + p.length, `seed ${seed}`);
      if (p.length === PS) continue;
      if (p.answers.length === 1) whole++;
      else if (p.answers.every(([, l]) => l === PS)) paged++;
      else assert.fail(`seed ${seed}: neither whole nor per page: ${JSON.stringify(p.answers)}`);
    }
  }
  assert.ok(whole > 0, "some multi-page requests are answered whole");
  assert.ok(paged > 0, "some multi-page requests are answered page by page");
});

Deno.test("flaky with failPercent 0 supplies every one of many single-page requests", () => {
  const pages = 64;
  const input = scenario({ kind: "flaky", failPercent: 0 }, [
    {
      name: "r",
      ops: Array.from(
        { length: pages },
        (_, page) => ({ op: "read" as const, vmo: "a", page, pages: 1 }),
      ),
    },
  ], pages);
  for (const seed of SEEDS) {
    const r = run(input, seed);
    assert.equal(r.verdict.kind, "pass");
    assert.equal(calls(r, "zx_pager_op_range"), 0, `seed ${seed}: a request was failed`);
    assert.equal(calls(r, "zx_pager_supply_pages"), pages);
    assert.deepEqual(bytesRead(r, r.names.threadTid.get("r")!), backingRange(7, 0, pages * PS));
  }
});

Deno.test("every reference service stops serving once its port wait fails (the port is gone)", () => {
  // README, "Writing your own pager service": `if (st !== ZX_OK) return; // the port is gone:
  // stop serving`. A closePort event that lands while the service is not parked in zx_port_wait
  // makes its next wait fail with BAD_HANDLE: the thread ends there, it does not spin on the port.
  const readers = [{
    name: "r",
    ops: [0, 1, 2].map((page) => ({ op: "read" as const, vmo: "a", page, pages: 1 })),
  }];
  const services: ServiceInput[] = [
    { kind: "eager" },
    { kind: "batching", batch: 2, readAhead: 1 },
    { kind: "flaky", failPercent: 0 },
    { kind: "detacher", detachAfter: 5 },
    { kind: "writeback", writebackTicks: 3 },
  ];
  for (const service of services) {
    let failedWaits = 0;
    for (const seed of SEEDS) {
      const input = {
        ...scenario(service, readers, 4),
        events: [{ do: "closePort" as const, target: "fs" }],
      };
      const r = run(input, seed);
      const svc = r.world.threads.find((t) => t.role === "service")!;
      const mine = events(r).filter((e) => (e.k === "call" || e.k === "ret") && e.tid === svc.tid);
      const failed = mine.findIndex((e) =>
        e.k === "ret" && e.name === "zx_port_wait" && e.status !== ZX_OK &&
        e.status !== ZX_ERR_TIMED_OUT
      );
      if (failed < 0) continue;
      failedWaits++;
      // It may answer what it already holds (batching's poll for more fails first), but its last
      // call is a failed wait, and it has ended.
      const last = mine.at(-1)!;
      assert.ok(
        last.k === "ret" && last.name === "zx_port_wait" && last.status !== ZX_OK &&
          last.status !== ZX_ERR_TIMED_OUT,
        `${service.kind} seed ${seed}: went on after the port was gone`,
      );
      assert.equal(svc.end.kind, "exited", `${service.kind} seed ${seed}`);
    }
    assert.ok(failedWaits > 0, `${service.kind}: some run closes the port under a working service`);
  }
});

Deno.test("batching and detacher skip a READ whose file was closed while it was queued: every schedule passes", () => {
  // README, "Files that come and go": `close` takes the VMO out of `ctx.vmos`, then detaches it;
  // a READ dequeued in between names a key the service no longer serves (vmoForKey: undefined).
  for (const service of [{ kind: "batching" as const, batch: 2 }, { kind: "detacher" as const }]) {
    const s = parseScenario({
      pageSize: PS,
      pagers: [{ name: "fs", service }],
      vmos: [{ name: "f", pager: "fs", pages: 1, startsClosed: true }],
      threads: [
        { name: "owner", ops: [{ op: "open", vmo: "f" }, { op: "close", vmo: "f" }] },
        // A thread runs to its first op when spawned: two ops first, so the read can come after
        // the open.
        {
          name: "reader",
          ops: [{ op: "info", vmo: "f" }, { op: "info", vmo: "f" }, {
            op: "read",
            vmo: "f",
            page: 0,
            pages: 1,
          }],
        },
      ],
    });
    const r = explore(s, { preemptions: 2 });
    assert.equal(
      r.outcome,
      "pass",
      r.counterexample ? `${service.kind}: ${describeVerdict(r.counterexample.verdict)}` : "",
    );
  }
});
