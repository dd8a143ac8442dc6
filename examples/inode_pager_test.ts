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
