// A failing fast-check property's printed replay line names the user's service module by the
// path a user pastes from the project root (a user trial got an absolute path), and works as
// printed: the line is handed to a shell verbatim, from the root and from a subdirectory, with
// the contract the test held the service to when it held it to one (--contract-json).
import { shellOutput } from "./_deno_output.ts";
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { checkersOf } from "../case/kinds.ts";
import { pagerProperty, PagerPropertyFailure } from "../properties/pager_property.ts";
import { describeVerdict, InvariantViolation, type Monitor } from "../sim/world.ts";
import { pasteablePath } from "../properties/failure_report.ts";
import { withContract } from "../scenario/service_contract.ts";

const root = new URL("../", import.meta.url).pathname;

Deno.test("a property's replay line names the service relative to the project root and runs verbatim", async () => {
  const { default: lossy } = await import("../fuzz/testdata/lossy_service.ts");
  let failure: PagerPropertyFailure | null = null;
  try {
    fc.assert(
      pagerProperty(checkersOf("kernel+service"), {
        scenario: { services: [], customServices: ["mine"] },
        services: { mine: lossy },
        serviceModule: new URL("../fuzz/testdata/lossy_service.ts", import.meta.url),
      }),
      { numRuns: 300, seed: 1 },
    );
  } catch (e) {
    const cause = (e as Error).cause;
    assert.ok(cause instanceof PagerPropertyFailure, String(e));
    failure = cause;
  }
  assert.ok(failure !== null, "the lossy service was not caught");
  const line = /^replay: (.+)$/m.exec(failure.message)![1];
  assert.match(line, / --service 'fuzz\/testdata\/lossy_service\.ts' /, line);
  for (const cwd of [root, `${root}examples`]) {
    const r = await shellOutput(line, cwd);
    assert.equal(r.code, 1, `${cwd}: ${line}\n${r.out}`);
    assert.equal(/^verdict: (.+)$/m.exec(r.out)?.[1], describeVerdict(failure.result.verdict));
    assert.match(r.out, new RegExp(`^trace-hash: ${failure.result.run.traceHash}$`, "m"));
  }
});

Deno.test("a property over a service the test holds to another contract than its module's prints a line that replays verbatim (userS25b)", async () => {
  const { default: lossy } = await import("../fuzz/testdata/lossy_service.ts");
  const module = "properties/testdata/lossy_two_threads.ts"; // exports threads 2..2
  let failure: PagerPropertyFailure | null = null;
  try {
    fc.assert(
      pagerProperty(checkersOf("kernel+service"), {
        scenario: { services: [], customServices: ["mine"] },
        services: { mine: withContract(lossy, { threads: { min: 1, max: 1 } }) },
        serviceModule: module,
      }),
      { numRuns: 300, seed: 1 },
    );
  } catch (e) {
    const cause = (e as Error).cause;
    assert.ok(cause instanceof PagerPropertyFailure, String(e));
    failure = cause;
  }
  assert.ok(failure !== null, "the lossy service was not caught");
  const line = /^replay: (.+)$/m.exec(failure.message)![1];
  assert.match(line, / --contract-json '\{[^']*"threads":\{"min":1,"max":1\}/, line);
  const r = await shellOutput(line, root);
  assert.equal(r.code, 1, `${line}\n${r.out}`);
  assert.equal(/^verdict: (.+)$/m.exec(r.out)?.[1], describeVerdict(failure.result.verdict));
  assert.match(r.out, new RegExp(`^trace-hash: ${failure.result.run.traceHash}$`, "m"));
  // Without the flag the module's own contract holds, and refuses the scenario.
  const bare = await shellOutput(line.replace(/ --contract-json '[^']*'/, ""), root);
  assert.equal(bare.code, 2, bare.out);
  assert.match(bare.out, /threads/);
});

Deno.test("a bad --contract-json exits 2 with one line naming the field", async () => {
  for (const command of ["repro", "sim"]) {
    const r = await shellOutput(
      `deno task -q ${command} --service fuzz/testdata/lossy_service.ts --seed 0 ` +
        `--contract-json '{"threads":{"min":1,"max":"two"}}'`,
      root,
    );
    assert.equal(r.code, 2, r.out);
    assert.match(r.out, /^error: --contract-json: contract\.threads\.max: [^\n]*\n?$/, r.out);
  }
  const json = await shellOutput(
    `deno task -q repro --service fuzz/testdata/lossy_service.ts --seed 0 --contract-json '{'`,
    root,
  );
  assert.equal(json.code, 2, json.out);
  assert.match(json.out, /^error: --contract-json: not valid JSON: [^\n]*\n?$/, json.out);
});

Deno.test("pasteablePath: inside the project relative to its root, outside absolute", () => {
  assert.equal(
    pasteablePath(new URL("../examples/my_service.ts", import.meta.url)),
    "examples/my_service.ts",
  );
  assert.equal(pasteablePath(`${root}examples/my_service.ts`), "examples/my_service.ts");
  assert.equal(pasteablePath("examples/my_service.ts"), "examples/my_service.ts");
  assert.equal(pasteablePath("/nonexistent-dir/x.ts"), "/nonexistent-dir/x.ts");
  assert.equal(pasteablePath("https://example.com/s.ts"), "https://example.com/s.ts");
});

Deno.test("a property judged by the user's own checker says its replay line runs without it, and how to replay with it", () => {
  const base = checkersOf("kernel+service");
  const mine = (): Monitor => ({
    name: "my-own-check",
    afterStep() {
      throw new InvariantViolation("my-own-check", "always");
    },
  });
  let failure: PagerPropertyFailure | null = null;
  try {
    fc.assert(pagerProperty(() => [...base(), mine()]), { numRuns: 1, seed: 1 });
  } catch (e) {
    failure = (e as Error).cause as PagerPropertyFailure;
  }
  assert.ok(failure instanceof PagerPropertyFailure, "the failing checker was not reported");
  const m = failure.message;
  assert.match(m, /^invariant: my-own-check$/m);
  assert.match(
    m,
    /your own checker my-own-check is not part of it, and this failure is my-own-check's, so the replay passes/,
  );
  assert.match(m, /fc\.assert\(property, \{ seed, path, endOnFailure: true \}\)/);
  // A named set alone: nothing to add.
  assert.doesNotMatch(new PagerPropertyFailure(failure.result).message, /your own checker/);
});
