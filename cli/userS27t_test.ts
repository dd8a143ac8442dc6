// userS27t wrote a blobfs-like pager service from the README alone; these are the answers to what
// they found (case/testdata/userS27t holds their modules, imports pointed at this tree).
import { strict as assert } from "node:assert";
import { lintServiceModule } from "../quality/determinism_lint.ts";
import { loadServiceModule } from "../case/store.ts";
import { withService } from "../scenario/bind.ts";
import { DEFAULT_SCENARIO } from "../scenario/default.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { parseScenario } from "../scenario/schema.ts";
import { signatureOf } from "../fuzz/signature.ts";
import { threadStack } from "./_output.ts";
import { contractFlag } from "./_module_flags.ts";
import fc from "fast-check";
import { eagerService } from "../services/eager.ts";
import { contractOf, parseContract, withContract } from "../scenario/service_contract.ts";
import { assertInContract, excludes, fitToContract, WRITE_OPS } from "../scenario/contract.ts";
import type { Scenario } from "../scenario/schema.ts";
import { generateScenario } from "../scenario/generate.ts";
import { planRun } from "../fuzz/campaign.ts";
import { scenarioArbitrary } from "../properties/arbitraries.ts";
import { checkersOf } from "../case/kinds.ts";

const DATA = "case/testdata/userS27t";

Deno.test("a service that yields what is not a syscall faults in its own code, one signature at any step", async () => {
  // It read `faulted at step 5: TypeError: yielded {} instead of a syscall`, signed
  // `thread-fault:TypeError@interpreter.ts:435` (and `interpreter.ts:346` at step 0): pagersim's.
  // (In process: the CLI's lint refuses these modules now, before any run.)
  const run = async (module: string, seed: number) => {
    const service = await loadServiceModule(`${DATA}/hostile/${module}`);
    const scenario = withService(parseScenario(DEFAULT_SCENARIO, "default"), "user");
    const r = runScenario(scenario, { seed, services: { user: service } });
    assert.equal(r.verdict.kind, "thread-fault");
    const v = r.verdict as Extract<typeof r.verdict, { kind: "thread-fault" }>;
    return { v, signature: signatureOf(v), shown: threadStack(v.stack) };
  };
  const steps = new Set<number>();
  for (const seed of [0, 1, 2, 3]) {
    const { v, signature, shown } = await run("yield_without_star.ts", seed);
    steps.add(v.step);
    assert.match(
      v.message,
      /^TypeError: svc \(yield_without_star\.ts:\d+\) yielded sys\.vmoGetSize\(\.\.\.\)'s generator instead of a syscall, .*\(use yield\* sys\.vmoGetSize\(\.\.\.\); deno task lint-service names the line\)$/,
    );
    assert.equal(signature, "thread-fault:TypeError@yield_without_star.ts:svc");
    assert.match(shown, /^ {4}at svc \(file:\/\/\/.*\/hostile\/yield_without_star\.ts:28:\d+\)$/m);
    assert.doesNotMatch(shown, /interpreter\.ts|world\.ts/);
  }
  assert.ok(steps.size > 1, `faults at steps ${[...steps]}`);
  // At step 0 (the first yield, while the thread is spawned), the user's code too.
  const garbage = await run("yields_garbage.ts", 0);
  assert.equal(garbage.v.step, 0);
  assert.match(
    garbage.v.message,
    /^TypeError: yieldsGarbage \(yields_garbage\.ts:\d+\) yielded 42 /,
  );
  assert.match(
    garbage.signature ?? "",
    /^thread-fault:TypeError@yields_garbage\.ts:yieldsGarbage$/,
  );
});

Deno.test("lint-service finds `yield sys.call(...)` without the star, cast or not", async () => {
  // It reported 0 findings for hostile/yield_without_star_nocast.ts.
  const r = await lintServiceModule(`${DATA}/both_yields.ts`);
  assert.deepEqual(
    r.findings.map((f) => `${f.file.replace(/.*\//, "")}:${f.line} ${f.category} ${f.name}`),
    [
      "yield_without_star.ts:24 yieldedGenerator yield sys.vmoGetSize(...)",
      "yield_without_star_nocast.ts:24 yieldedGenerator yield sys.vmoGetSize(...)",
    ],
  );
});

Deno.test("a deep thread-fault stack shows none of pagersim's frames below the service's", async () => {
  // V8 keeps 10 frames: the stack ended before the scheduler's, and showed
  // `at blobPager (file:///work/main/scenario/service_contract.ts:443:19)`.
  const service = await loadServiceModule(`${DATA}/blob_pager_throw.ts`);
  const scenario = withService(
    parseScenario(JSON.parse(await Deno.readTextFile(`${DATA}/small.json`)), "small.json"),
    "user",
  );
  const r = runScenario(scenario, { seed: 1, services: { user: service } });
  assert.equal(r.verdict.kind, "thread-fault");
  const shown = threadStack((r.verdict as { stack: string }).stack);
  assert.match(shown, /^ {4}at readAndVerify \(file:\/\/\/.*blob_pager_throw\.ts:\d+:\d+\)$/m);
  assert.doesNotMatch(shown, /service_contract\.ts/);
  assert.match(shown, /\n {4}\(pagersim's frames below your code omitted\)$/);
});

Deno.test("--contract-json: a line for each problem, and a misspelled entry is the contract's, with the nearest export", async () => {
  // It read several problems joined by ";" on one line, and `"opne"` blamed on --service.
  const flag = (json: unknown) => ({
    service: `${DATA}/blob_pager.ts`,
    "contract-json": JSON.stringify(json),
  });
  assert.throws(
    () => contractFlag(flag({ threads: { min: 2, max: "2" }, events: ["evcit"] })),
    (e: Error) => {
      const lines = e.message.split("\n");
      assert.equal(lines[0], "--contract-json: invalid contract:");
      assert.match(lines[1], /^ {2}- contract\.threads\.max: /);
      assert.match(lines[2], /^ {2}- contract\.events\.0: .*did you mean "evict"\?$/);
      assert.equal(lines.length, 3);
      return true;
    },
  );
  const contract = contractFlag(
    flag({ threads: { min: 2, max: 2 }, opens: { entry: "opne", close: "close" } }),
  );
  await assert.rejects(
    () => loadServiceModule(`${DATA}/blob_pager.ts`, undefined, undefined, contract),
    (e: Error) => {
      assert.equal(
        e.message,
        `--contract-json: contract.opens.entry: the module ${DATA}/blob_pager.ts exports no ` +
          `generator function "opne" (the open entry point the harness calls); did you mean "open"?`,
      );
      return true;
    },
  );
});

Deno.test("a contract's writes: false keeps writes off its VMOs: the default scenario, generators, arbitraries, and a refusal", async () => {
  // A blobfs's blobs are immutable: the fitted default scenario still had its writer writing and
  // campaigns delivered writes; no clause could say so.
  const readOnly = (json: Record<string, unknown>) =>
    withContract(
      eagerService,
      parseContract({ ...json, vmoOptions: { trapDirty: false }, dirty: false, writes: false }),
    );
  const mine = readOnly({});
  const writes = (s: Scenario) =>
    s.threads.flatMap((t) => t.ops).filter((o) => WRITE_OPS.has(o.op)).length;
  const fit = fitToContract(
    withService(parseScenario(DEFAULT_SCENARIO, "default"), "mine"),
    { mine },
    "default scenario",
  );
  assert.equal(writes(fit.scenario), 0);
  assert.match(fit.note ?? "", /op\(s\) of thread "writer" dropped/);
  assert.deepEqual(runScenario(fit.scenario, { services: { mine } }).delivered.write, undefined);
  // Files the service opens: the writer's open stays, and only its write goes.
  const opener = await loadServiceModule(
    `${DATA}/blob_pager.ts`,
    undefined,
    undefined,
    parseContract({
      opens: { entry: "open", close: "close" },
      vmoOptions: { trapDirty: false, resizable: false },
      threads: { min: 2, max: 2 },
      dirty: false,
      events: ["closeVmo", "suspend", "kill", "evict"],
      writes: false,
    }),
  );
  const fitted = fitToContract(
    withService(parseScenario(DEFAULT_SCENARIO, "default"), "user"),
    { user: opener },
    "default scenario",
  );
  assert.deepEqual(
    fitted.scenario.threads.find((t) => t.name === "writer")?.ops.map((o) => o.op),
    ["open", "read"],
  );
  // The campaign generator and the arbitraries draw none.
  const c = contractOf(mine)?.contract;
  assert.ok(c !== undefined && !c.writes);
  for (let k = 0; k < 200; k++) {
    assert.equal(writes(generateScenario(planRun(1, k), c)), 0, `run ${k}`);
  }
  for (const s of fc.sample(scenarioArbitrary({ contract: c }), { seed: 1, numRuns: 100 })) {
    assert.equal(writes(s as Scenario), 0);
  }
  assert.ok(excludes(c, "write"));
  // A scenario that writes is refused, naming the clause.
  const s = parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs", service: { kind: "custom", name: "mine" } }],
    vmos: [{ name: "blob", pager: "fs", pages: 2 }],
    threads: [{ name: "w", ops: [{ op: "mapWrite", vmo: "blob", page: 0 }] }],
  });
  assert.throws(
    () => assertInContract(s, { mine }, "s.json"),
    /s\.json: out of the contract of service "mine": clause writes: thread "w" writes VMO "blob" \(mapWrite\): its files are read-only \(threads\.0\.ops\.0\): remove threads\[0\]\.ops\[0\] \(a mapWrite op\) in s\.json$/,
  );
});

Deno.test("a scenario outside the contract says the edit that brings it inside, and in which file", async () => {
  // It read `clause threads: pager "fs" runs 1 service threads, outside 2-2 (pagers.0.threads)`.
  const user = await loadServiceModule(`${DATA}/blob_pager.ts`);
  const file = "examples/detach_race.json";
  const s = withService(parseScenario(JSON.parse(await Deno.readTextFile(file)), file), "user");
  assert.throws(() => assertInContract(s, { user }, file), (e: Error) => {
    const lines = e.message.split("\n");
    assert.match(
      lines[0],
      /clause threads: pager "fs" runs 1 service threads, outside 2-2 \(pagers\.0\.threads\): set pagers\[0\]\.threads to 2 in examples\/detach_race\.json$/,
    );
    assert.match(
      lines[1],
      /clause opens: .*: set vmos\[0\]\.startsClosed to true and put \{"op":"open","vmo":"file"\} before the first op on it$/,
    );
    assert.match(
      lines[2],
      /clause events: event detach\(file\): detach is not in scope \(events\.0\): remove events\[0\]$/,
    );
    return true;
  });
});

Deno.test("README's runScenario sentence: monitors from checkersOf(set)(), the trace on the result", () => {
  // userS27t could not tell from README how to check a run from code or print its trace.
  const readme = Deno.readTextFileSync(new URL("../README.md", import.meta.url));
  assert.match(readme, /monitors:\s+checkersOf\("kernel\+service"\)\(\)/);
  const run = runScenario(withService(parseScenario(DEFAULT_SCENARIO), "mine"), {
    services: { mine: eagerService },
    monitors: checkersOf("kernel+service")(),
    seed: 3,
  });
  assert.equal(run.verdict.kind, "pass");
  assert.ok(run.decisions.length > 0 && run.trace.entries.length > 0 && run.traceHash !== "");
  assert.match(run.trace.text(), /^#0 t0 zx_pager_create\(0x0\)$/m);
});
