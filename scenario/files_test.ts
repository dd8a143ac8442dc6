import { strict as nodeAssert } from "node:assert";
import { describeVerdict } from "../sim/world.ts";
const assert = (c: boolean, m?: string) => nodeAssert.ok(c, m);
const assertEquals = (a: unknown, b: unknown, m?: string) => nodeAssert.deepEqual(a, b, m);
const assertThrows = (f: () => unknown, _e: unknown, text: string) =>
  nodeAssert.throws(f, (e: Error) => e.message.includes(text));
import { parseScenario, type ScenarioInput } from "./schema.ts";
import { runScenario } from "./interpreter.ts";
import { checkerSet } from "../properties/checker_sets.ts";
import { settleVerdict } from "../properties/check_case.ts";
import { SometimesMonitor } from "../fuzz/sometimes.ts";
import {
  ZX_ERR_BAD_HANDLE,
  ZX_OK,
  ZX_PAGER_VMO_COMPLETE,
  ZX_TIME_INFINITE,
} from "../kernel/constants.ts";
import type { Sys } from "../sim/sys.ts";

const KINDS = ["eager", "batching", "flaky", "detacher", "writeback"] as const;

/** A file created, served, closed and re-created under the same key, with a second reader. */
function lifecycle(
  kind: typeof KINDS[number],
  writes: boolean,
  events: ScenarioInput["events"] = [],
): ScenarioInput {
  return {
    events,
    pageSize: 64,
    pagers: [{ name: "fs", service: { kind, detachAfter: 3, writebackTicks: 15 }, threads: 1 }],
    vmos: [
      { name: "f", pager: "fs", pages: 3, key: 2 ** 32 + 5, startsClosed: true },
      { name: "g", pager: "fs", pages: 2 },
    ],
    threads: [
      {
        name: "owner",
        ops: [
          { op: "open", vmo: "f" },
          { op: "read", vmo: "f", page: 0, pages: 2 },
          ...(writes ? [{ op: "write" as const, vmo: "f", page: 1, byte: 7 }] : []),
          { op: "close", vmo: "f" },
          { op: "read", vmo: "g", page: 0 },
          { op: "open", vmo: "f" },
          { op: "read", vmo: "f", page: 0, pages: 3 },
          { op: "close", vmo: "f" },
          { op: "open", vmo: "f" },
          { op: "read", vmo: "f", page: 1 },
        ],
      },
      {
        name: "other",
        ops: [{ op: "read", vmo: "f", page: 2 }, { op: "read", vmo: "g", page: 1 }],
      },
    ],
  };
}

Deno.test("a file created, served, closed and re-created under its key runs clean with every reference service", () => {
  for (const kind of KINDS) {
    for (const writes of [false, true]) {
      const scenario = parseScenario(lifecycle(
        kind,
        writes,
        writes ? [] : [
          { do: "detach", target: "f", notBefore: 6 },
          { do: "evict", target: "f", notBefore: 3 },
        ],
      ));
      let reused = 0;
      for (let seed = 1; seed <= 60; seed++) {
        for (const strategy of ["random", "pct"] as const) {
          const monitors = [
            ...(kind === "writeback" || kind === "detacher"
              ? checkerSet("kernel")
              : checkerSet("kernel+service"))!(),
            new SometimesMonitor(),
          ];
          const run = runScenario(scenario, { seed, strategy, monitors, keepTrace: false });
          const v = settleVerdict(run, monitors);
          assertEquals(
            v.kind,
            "pass",
            `${kind} writes=${writes} seed ${seed} ${strategy}: ${JSON.stringify(v)}`,
          );
          const sometimes = monitors.at(-1) as SometimesMonitor;
          if (sometimes.hit.has("key-reused-after-complete")) reused++;
          // The owner's ops on its file never see a closed handle.
          for (const o of run.outcomes) {
            if (
              o.tid === run.names.threadTid.get("owner") && o.op.op === "open" &&
              kind !== "detacher"
            ) {
              assertEquals(o.status, ZX_OK, `${kind} seed ${seed}: open`);
            }
          }
        }
      }
      assert(reused > 0, `${kind}: the key was never reused after its COMPLETE`);
    }
  }
});

Deno.test("the same lifecycle replays to the same trace", () => {
  const scenario = parseScenario(lifecycle("writeback", true));
  const a = runScenario(scenario, { seed: 9, strategy: "pct" });
  const b = runScenario(scenario, { decisions: a.decisions, seed: 9 });
  assertEquals(a.traceHash, b.traceHash);
});

Deno.test("another thread's op on a closed file gets ZX_ERR_BAD_HANDLE", () => {
  const run = runScenario(
    parseScenario({
      pageSize: 64,
      pagers: [{ name: "fs" }],
      vmos: [{ name: "f", pager: "fs", pages: 1, startsClosed: true }],
      threads: [
        { name: "late", ops: [{ op: "read", vmo: "f", page: 0 }] },
        { name: "owner", ops: [{ op: "open", vmo: "f" }] },
      ],
    }),
    { strategy: { name: "first", pick: () => 0 } },
  );
  assertEquals(run.outcomes.find((o) => o.op.op === "read")?.status, ZX_ERR_BAD_HANDLE);
});

Deno.test("the schema holds files to one owner, alternating open and close", () => {
  const base =
    (ops: ScenarioInput["threads"][number]["ops"], more: Partial<ScenarioInput> = {}) => () =>
      parseScenario({
        pagers: [{ name: "fs" }],
        vmos: [{ name: "f", pager: "fs", pages: 1, startsClosed: true }],
        threads: [{ name: "t", ops }],
        ...more,
      });
  assertThrows(base([{ op: "open", vmo: "f" }, { op: "open", vmo: "f" }]), Error, "already open");
  assertThrows(base([{ op: "close", vmo: "f" }]), Error, "is not open");
  assertThrows(
    base([{ op: "read", vmo: "f", page: 0 }, { op: "open", vmo: "f" }]),
    Error,
    "not open yet",
  );
  assertThrows(
    base([{ op: "open", vmo: "f" }, { op: "close", vmo: "f" }, { op: "read", vmo: "f", page: 0 }]),
    Error,
    "is closed here",
  );
  assertThrows(
    () =>
      parseScenario({
        pagers: [{ name: "fs" }],
        vmos: [{ name: "f", pager: "fs", pages: 1, startsClosed: true }],
        threads: [{ name: "a", ops: [{ op: "open", vmo: "f" }] }, {
          name: "b",
          ops: [{ op: "close", vmo: "f" }],
        }],
      }),
    Error,
    "one thread owns",
  );
});

Deno.test("shrinking cuts a close/open pair and moves a file's first open to setup", async () => {
  const { scenarioCuts } = await import("./cuts.ts");
  const { ScenarioSchema } = await import("./schema.ts");
  const s = parseScenario(lifecycle("eager", false));
  const valid = [...scenarioCuts(s)].filter((c) => ScenarioSchema.safeParse(c).success);
  const opens = (c: typeof s) => c.threads[0].ops.filter((o) => o.op === "open").length;
  assert(
    valid.some((c) =>
      opens(c) === 2 && c.threads[0].ops.filter((o) => o.op === "close").length === 1
    ),
  );
  assert(valid.some((c) => c.vmos[0].startsClosed === undefined && opens(c) === 2));
});

Deno.test("a re-opened file may bring back what the writeback service persisted from an earlier VMO", () => {
  const scenario = parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs", service: { kind: "writeback", writebackTicks: 5 } }],
    vmos: [
      { name: "f", pager: "fs", pages: 1, startsClosed: true },
      { name: "g", pager: "fs", pages: 1 },
    ],
    threads: [{
      name: "owner",
      ops: [
        { op: "open", vmo: "f" },
        { op: "write", vmo: "f", page: 0, byte: 7 },
        ...Array.from({ length: 12 }, () => ({ op: "info" as const, vmo: "g" })),
        { op: "close", vmo: "f" },
        { op: "open", vmo: "f" },
        { op: "read", vmo: "f", page: 0 },
      ],
    }],
    events: [{ do: "writeback", target: "fs", notBefore: 2 }],
  });
  let persisted = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const monitors = checkerSet("kernel")!();
    const run = runScenario(scenario, { seed, monitors });
    assertEquals(settleVerdict(run, monitors).kind, "pass", `seed ${seed}`);
    // The second VMO's page 0 came back as written: persisted by the service, judged by the model.
    const koid = run.names.vmoKoid.get("f")!;
    const vmo = run.world.kernel.pagerVmos.find((v) => v.koid === koid);
    const slot = vmo?.slots[0] as { peek?: () => Uint8Array } | undefined;
    if (slot?.peek?.()[0] === 7) persisted++;
  }
  assert(persisted > 0, "the writeback service never brought a persisted page back");
});

Deno.test("a key is reused only after a service took the earlier VMO's COMPLETE", () => {
  const scenario = parseScenario(lifecycle("batching", false));
  let checked = 0;
  for (let seed = 1; seed <= 80; seed++) {
    const run = runScenario(scenario, { seed, strategy: seed % 2 ? "random" : "pct" });
    const key = 2 ** 32 + 5;
    let created = 0;
    let taken = 0;
    for (const { event: e } of run.trace.entries) {
      if (e.k === "call" && e.name === "zx_pager_create_vmo" && e.args[3] === key) {
        // Every creation after the first follows the COMPLETE of the one before.
        assert(created === taken, `seed ${seed}: VMO ${created + 1} under the key before COMPLETE`);
        created++;
      }
      if (
        e.k === "packet-dequeued" && e.packet.command === ZX_PAGER_VMO_COMPLETE &&
        e.packet.key === key
      ) taken++;
    }
    if (created === 3) checked++;
  }
  assert(checked > 0);
});

Deno.test("the README's examples/file_lifecycle.json runs clean with every reference service", async () => {
  const input = JSON.parse(
    await Deno.readTextFile(new URL("../examples/file_lifecycle.json", import.meta.url)),
  );
  for (const kind of KINDS) {
    const scenario = parseScenario({
      ...input,
      pagers: [{ name: "fs", service: { kind } }],
    });
    for (let seed = 1; seed <= 20; seed++) {
      const monitors = checkerSet("kernel")!();
      const run = runScenario(scenario, { seed, monitors, keepTrace: false });
      assertEquals(settleVerdict(run, monitors).kind, "pass", `${kind} seed ${seed}`);
    }
  }
});

Deno.test("an open or close entry that returns no status is its thread's fault, saying what it must return", async () => {
  const { default: inodePager, contract, open, close } = await import("../examples/inode_pager.ts");
  const { withContract } = await import("../mod.ts");
  const scenario = parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs", service: { kind: "custom", name: "fs" } }],
    vmos: [{ name: "file", pager: "fs", pages: 2, key: 7, startsClosed: true }],
    threads: [{
      name: "t",
      ops: [{ op: "open", vmo: "file" }, { op: "read", vmo: "file", page: 0 }, {
        op: "close",
        vmo: "file",
      }],
    }],
  });
  const voidClose = withContract(inodePager, contract, {
    open,
    *close() {},
  } as never);
  const bad = runScenario(scenario, { seed: 1, services: { fs: voidClose } });
  nodeAssert.equal(bad.verdict.kind, "thread-fault");
  nodeAssert.match(
    describeVerdict(bad.verdict),
    /close entry returned undefined: it must return a status/,
  );
  const good = runScenario(scenario, {
    seed: 1,
    services: { fs: withContract(inodePager, contract, { open, close }) },
  });
  nodeAssert.equal(good.verdict.kind, "pass");
});

Deno.test("a kill inside a file's open waits for the open to return: an open that never returns keeps its thread, and the run is a hang, not a step budget", async () => {
  const { default: inodePager, contract, close } = await import("../examples/inode_pager.ts");
  const { withContract } = await import("../mod.ts");
  const scenario = parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs", service: { kind: "custom", name: "fs" } }],
    vmos: [{ name: "file", pager: "fs", pages: 2, key: 7, startsClosed: true }],
    threads: [{
      name: "t",
      ops: [{ op: "open", vmo: "file" }, { op: "read", vmo: "file", page: 0 }],
    }],
    events: [{ do: "kill", target: "t" }],
  });
  // An open entry that parks forever on a futex nobody wakes.
  const stuck = withContract(inodePager, contract, {
    *open(sys: Sys) {
      yield* sys.futexWait(sys.futexWord(0), 0, 0, ZX_TIME_INFINITE);
      return [ZX_OK, 0];
    },
    close,
  } as never);
  for (let seed = 0; seed < 20; seed++) {
    const r = runScenario(scenario, { seed, services: { fs: stuck } });
    nodeAssert.equal(r.verdict.kind, "hang", `seed ${seed}`);
    nodeAssert.match(describeVerdict(r.verdict), /t2 "t" waits on futex/, `seed ${seed}`);
    const text = r.world.trace.text();
    nodeAssert.match(text, /t2 kill-deferred/, `seed ${seed}`);
    nodeAssert.doesNotMatch(text, /t2 killed/, `seed ${seed}: the kill landed inside the open`);
  }
});
