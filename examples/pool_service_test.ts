import { strict as assert } from "node:assert";
import { DEFAULT_SCENARIO, parseScenario, runScenario } from "../mod.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { serviceObligations } from "../properties/service_obligations.ts";
import { settleVerdict } from "../properties/check_case.ts";
import poolService from "./pool_service.ts";

Deno.test("examples/pool_service.ts: two threads serve the default scenario cleanly under 20 seeds", () => {
  const base = parseScenario(DEFAULT_SCENARIO);
  const scenario = {
    ...base,
    pagers: base.pagers.map((p) => ({
      ...p,
      service: { ...p.service, kind: "custom" as const, name: "pool" },
    })),
  };
  for (let seed = 1; seed <= 20; seed++) {
    const monitors = [...serviceObligations(), ...kernelInvariants()];
    const run = runScenario(scenario, {
      seed,
      strategy: "pct",
      monitors,
      services: { pool: poolService },
    });
    const verdict = settleVerdict(run, monitors);
    assert.equal(verdict.kind, "pass", `seed ${seed}: ${JSON.stringify(verdict)}`);
    assert.ok(run.world.threads.some((t) => t.name === "pool-2"), "the second worker started");
  }
});

Deno.test("README: the pool service it shows is examples/pool_service.ts", async () => {
  const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
  const block = readme.split(/```ts(?: ignore)?\n/).map((b) => b.split("```")[0])
    .find((b) => b.includes("export default function* poolService"));
  assert.ok(block, "the README shows the pool service");
  const example = await Deno.readTextFile(new URL("./pool_service.ts", import.meta.url));
  const code = (line: string) => line.replace(/\s*\/\/.*$/, "").trim();
  const lines = new Set(example.split("\n").map(code));
  for (const line of block.split("\n").map(code)) {
    if (line !== "") {
      assert.ok(lines.has(line), `README line not in examples/pool_service.ts: ${line}`);
    }
  }
});
