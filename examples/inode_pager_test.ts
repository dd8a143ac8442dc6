import { strict as assert } from "node:assert";
import { parseScenario, runScenario, withContract } from "../mod.ts";
import { checkerSet } from "../properties/checker_sets.ts";
import { settleVerdict } from "../properties/check_case.ts";
import { planRun } from "../fuzz/campaign.ts";
import { generateScenario } from "../scenario/generate.ts";
import { contractOf } from "../scenario/service_contract.ts";
import { loadServiceModule } from "../case/store.ts";
import inodePager, { close, contract, FS_KEY_BASE, open } from "./inode_pager.ts";

const fs = withContract(inodePager, contract, { open, close });

Deno.test("the inode pager opens its own VMOs under 64-bit keys and serves them by key", () => {
  const scenario = parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs", service: { kind: "custom", name: "fs" }, threads: 2 }],
    vmos: [
      { name: "a", pager: "fs", pages: 3, key: 5, startsClosed: true },
      { name: "b", pager: "fs", pages: 2, key: 2 ** 32 + 9, startsClosed: true },
    ],
    threads: [
      {
        name: "t0",
        ops: [
          { op: "open", vmo: "a" },
          { op: "read", vmo: "a", page: 0, pages: 3 },
          { op: "close", vmo: "a" },
          { op: "open", vmo: "a" },
          { op: "write", vmo: "a", page: 1 },
          { op: "read", vmo: "a", page: 0, pages: 2 },
        ],
      },
      { name: "t1", ops: [{ op: "open", vmo: "b" }, { op: "read", vmo: "b", page: 1 }] },
    ],
  });
  for (let seed = 1; seed <= 100; seed++) {
    const monitors = checkerSet("kernel+service")!();
    const run = runScenario(scenario, {
      seed,
      strategy: seed % 2 ? "random" : "pct",
      monitors,
      services: { fs },
    });
    assert.equal(settleVerdict(run, monitors).kind, "pass", `seed ${seed}`);
    assert.ok(run.names.vmoKey.get("a")! >= 2 ** 32 && run.names.vmoKey.get("b")! >= 2 ** 32);
    assert.equal(run.names.vmoKey.get("a"), FS_KEY_BASE + 5);
  }
});

Deno.test("the checkers judge content by the file the harness opened, not the service's word", () => {
  // A service that opens the wrong inode (file id + 1): its key and its pages agree with each
  // other, but not with the file the workload opened.
  const wrong = withContract(inodePager, contract, {
    open: (sys, ctx, file) => open(sys, ctx, { ...file, id: file.id + 1 }),
    close: (sys, ctx, file) => close(sys, ctx, { ...file, id: file.id + 1 }),
  });
  const scenario = parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs", service: { kind: "custom", name: "wrong" } }],
    vmos: [{ name: "a", pager: "fs", pages: 1, key: 5, startsClosed: true }],
    threads: [{ name: "t", ops: [{ op: "open", vmo: "a" }, { op: "read", vmo: "a", page: 0 }] }],
  });
  const monitors = checkerSet("kernel+service")!();
  const run = runScenario(scenario, { seed: 1, services: { wrong }, monitors });
  const v = settleVerdict(run, monitors);
  assert.equal(v.kind, "invariant");
  assert.match(JSON.stringify(v), /backing store holds|reference says/);
});

Deno.test("generated campaign scenarios under the contract open every file and run clean", () => {
  const c = contractOf(fs)!.contract;
  let opened = 0;
  for (let k = 0; k < 200; k++) {
    const plan = planRun(3, k);
    const s = generateScenario(plan, c);
    const named = {
      ...s,
      pagers: s.pagers.map((p) => ({
        ...p,
        service: { ...p.service, kind: "custom" as const, name: "fs" },
      })),
    };
    assert.ok(s.vmos.every((v) => v.startsClosed === true), `run ${k}: every file starts closed`);
    const monitors = checkerSet("kernel+service")!();
    const run = runScenario(named, {
      seed: plan.runSeed,
      services: { fs },
      monitors,
      keepTrace: false,
    });
    assert.equal(settleVerdict(run, monitors).kind, "pass", `run ${k}`);
    opened += [...run.names.vmoKey.values()].filter((key) => key >= 2 ** 32).length;
  }
  assert.ok(opened > 0);
});

Deno.test("loadServiceModule finds the open and close entry points", async () => {
  const loaded = await loadServiceModule(new URL("./inode_pager.ts", import.meta.url).pathname);
  assert.ok(contractOf(loaded)?.opens !== null);
  assert.equal(contractOf(loaded)?.contract.lifecycle, true);
});

Deno.test("a kill that lands inside the inode pager's close waits for the close to return (kill-deferred): examples/testdata/kill_in_close.json seeds 1-30 pass", async () => {
  const scenario = parseScenario(
    JSON.parse(
      await Deno.readTextFile(new URL("./testdata/kill_in_close.json", import.meta.url)),
    ),
  );
  let deferred = 0;
  for (let seed = 1; seed <= 30; seed++) {
    const monitors = checkerSet("kernel+service")!();
    const run = runScenario(scenario, { seed, monitors, services: { fs } });
    assert.equal(settleVerdict(run, monitors).kind, "pass", `seed ${seed}`);
    // A deferred kill: the thread finishes its entry (a call after the deferral), then dies and
    // makes no call after that.
    const events = run.trace.entries.map((x) => x.event);
    for (const [i, e] of events.entries()) {
      if (e.k !== "thread" || e.what !== "kill-deferred") continue;
      deferred++;
      const killedAt = events.findIndex((k, j) =>
        j > i && k.k === "thread" && k.what === "killed" && k.tid === e.tid
      );
      assert.ok(killedAt > i, `seed ${seed}: t${e.tid}'s deferred kill never landed`);
      const calls = (from: number, to: number) =>
        events.slice(from, to).filter((c) => c.k === "call" && c.tid === e.tid).length;
      assert.ok(calls(i, killedAt) > 0, `seed ${seed}: t${e.tid} did not finish its entry`);
      assert.equal(calls(killedAt, events.length), 0, `seed ${seed}: t${e.tid} ran after its kill`);
    }
  }
  assert.ok(deferred >= 10, `only ${deferred} kills landed inside an open or close`);
});
