import { strict as assert } from "node:assert";
import { DEFAULT_SCENARIO, eagerService, parseScenario, withContract } from "../mod.ts";
import { withService } from "./bind.ts";
import { loadServiceModule } from "../case/store.ts";
import { examplePath } from "../cli/_user_path.ts";
import { contractsOf, contractViolations, fitToContract } from "./contract.ts";

const defaultFor = (name: string) => withService(parseScenario(DEFAULT_SCENARIO), name);

Deno.test("the default scenario is fitted to a contract it leaves: options set, ranges clamped, ruled-out events dropped, one line of what changed", () => {
  // The user's logstore contract (trap-dirty always, no resize), narrowed further.
  const mine = withContract(eagerService, {
    vmoOptions: { trapDirty: "always", resizable: false },
    pageSize: { min: 64, max: 512 },
    vmoPages: { min: 1, max: 4 },
    events: ["detach", "closeVmo", "kill", "evict"],
  });
  const fit = fitToContract(defaultFor("mine"), { mine }, "default scenario");
  assert.deepEqual(contractViolations(fit.scenario, contractsOf({ mine })), []);
  assert.equal(fit.scenario.pageSize, 64);
  assert.deepEqual(fit.scenario.vmos.map((v) => [v.name, v.pages, v.trapDirty]), [
    ["data", 4, true],
    ["meta", 4, true],
  ]);
  assert.deepEqual(fit.scenario.events, []);
  // The reader's 8-page read is cut to the VMO's 4; the 3-page mapping from page 2 to 2.
  const data = fit.scenario.threads.flatMap((t) => t.ops)
    .map((o) => o as { vmo?: string; page?: number; pages?: number })
    .filter((o) => o.vmo === "data");
  assert.ok(data.every((o) => (o.page ?? 0) + (o.pages ?? 1) <= 4), JSON.stringify(data));
  assert.equal(
    fit.note,
    'page size 64, VMO "data" 4 pages, VMO "data" made trap-dirty, VMO "meta" made trap-dirty, ' +
      "event suspend(reader) dropped",
  );
  // No contract, or one the default fits: unchanged, no note.
  const plain = fitToContract(defaultFor("user"), { user: eagerService }, "default scenario");
  assert.equal(plain.note, null);
  assert.deepEqual(plain.scenario, defaultFor("user"));
});

Deno.test("the default is fitted to a service that opens its own VMOs and runs a pool of threads (userS23b's blobby contract)", async () => {
  // Was refused ("the default scenario cannot be fitted to this contract", clause opens): the
  // README's sim row says the default is fitted to a contract.
  const mine = await loadServiceModule("case/testdata/userS23b/blobby.ts");
  const fit = fitToContract(defaultFor("mine"), { mine }, "default scenario");
  assert.deepEqual(contractViolations(fit.scenario, contractsOf({ mine })), []);
  assert.deepEqual(fit.scenario.pagers.map((p) => p.threads), [2]);
  assert.deepEqual(fit.scenario.vmos.map((v) => [v.name, v.startsClosed]), [
    ["data", true],
    ["meta", true],
  ]);
  // Each file is opened first by the first thread that uses it (its owner).
  assert.deepEqual(fit.scenario.threads.map((t) => t.ops[0]), [
    { op: "open", vmo: "data" },
    { op: "open", vmo: "meta" },
    { op: "mapRead", vmo: "data", page: 2, pages: 3 },
  ]);
  assert.match(fit.note ?? "", /pager "fs" 2 service thread\(s\)/);
  assert.match(fit.note ?? "", /VMO "data" opened by thread "reader"/);
  // It runs: the scenario is valid as the schema reads it.
  parseScenario(fit.scenario);
});

Deno.test("the refusal's pointer to an example resolves from another project", () => {
  // userS23b, in its own project, was pointed at examples/file_lifecycle.json: pagersim's.
  const cwd = Deno.cwd();
  const dir = Deno.makeTempDirSync();
  try {
    Deno.chdir(dir);
    const path = examplePath("file_lifecycle.json");
    assert.ok(Deno.statSync(path).isFile, path);
    Deno.chdir(cwd);
    // From pagersim's own tree, the short path it always printed.
    assert.equal(examplePath("file_lifecycle.json"), "examples/file_lifecycle.json");
  } finally {
    Deno.chdir(cwd);
    Deno.removeSync(dir);
  }
});

Deno.test("deno task sim --service with a contract and no scenario runs the fitted default and says so", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-run=deno",
      "cli/sim.ts",
      "--service",
      "examples/fxfs_pager.ts",
      "--trace",
      "none",
    ],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, text);
  assert.match(
    text,
    /^note: the default scenario, fitted to the service's contract: page size 64, VMO "data" made trap-dirty/m,
  );
  assert.match(text, /^verdict: pass/m);
});

Deno.test("sim's scenario line describes the fitted default, not the default it was fitted from (userS23)", async () => {
  const service = "case/testdata/userS23/tinyfs_nosuspend.ts"; // its contract has no suspend
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-run=deno", "cli/sim.ts", "--service", service],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, text);
  assert.match(
    text,
    /^note: the default scenario, fitted to the service's contract: event suspend\(reader\) dropped$/m,
  );
  assert.equal(
    /^scenario: .*$/m.exec(text)?.[0],
    `scenario: default: two VMOs, readers, a writer, a mapping; every pager served by ${service}`,
  );
});
