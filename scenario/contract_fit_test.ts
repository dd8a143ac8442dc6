import { strict as assert } from "node:assert";
import { DEFAULT_SCENARIO, eagerService, parseScenario, withContract } from "../mod.ts";
import { withService } from "./bind.ts";
import type { CloseEntry, OpenEntry } from "./service_contract.ts";
import { ContractError, contractsOf, contractViolations, fitToContract } from "./contract.ts";

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

Deno.test("a contract the default cannot be fitted to (a service opening its own VMOs) is refused with a pointer to writing a scenario", () => {
  // deno-lint-ignore require-yield
  const open: OpenEntry = function* () {
    return [0, 0];
  };
  // deno-lint-ignore require-yield
  const close: CloseEntry = function* () {
    return 0;
  };
  const mine = withContract(eagerService, { opens: { entry: "open", close: "close" } }, {
    open,
    close,
  });
  assert.throws(
    () => fitToContract(defaultFor("mine"), { mine }, "default scenario"),
    (e) =>
      e instanceof ContractError && /clause opens/.test(e.message) &&
      /give --scenario FILE, a scenario inside it \(README "Scenarios"/.test(e.message) &&
      /examples\/file_lifecycle\.json/.test(e.message),
  );
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
