// A failing pagerProperty prints the decisions its run made (issue hC: a user's property over their
// own service printed the drawn list, `decisions (0): []`, shrunk by fast-check to nothing, and a
// replay line that replayed only because seed 0's fallback picks happened to be the same).
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { checkersOf } from "../case/kinds.ts";
import { pagerProperty, PagerPropertyFailure } from "./pager_property.ts";
import { parseContract, withContract } from "../scenario/service_contract.ts";
import stuck from "../examples/testdata/trial/stuck_service.ts";
import throwsService from "./testdata/trial35/throws.ts";

Deno.test("a failing property over a user's service prints the run's own decisions and seed", () => {
  let failure: PagerPropertyFailure | null = null;
  try {
    fc.assert(
      pagerProperty(checkersOf("kernel+service"), {
        scenario: { customServices: ["user"] },
        services: { user: stuck },
        serviceModule: "examples/testdata/trial/stuck_service.ts",
      }),
      { numRuns: 50, seed: 3 },
    );
  } catch (e) {
    const cause = (e as Error).cause;
    assert.ok(cause instanceof PagerPropertyFailure, String(e));
    failure = cause;
  }
  assert.ok(failure !== null, "the stuck service was not caught");
  const run = failure.result.run.decisions;
  const drawn = failure.result.input.decisions;
  assert.ok(run.length > 0, "the run made picks");
  assert.notDeepEqual([...drawn], [...run], "fast-check shrank the drawn list below the run's");
  const text = failure.message;
  assert.match(text, new RegExp(`^decisions \\(${run.length}\\): \\[${run.join(",")}\\]$`, "m"));
  assert.match(
    text,
    new RegExp(`the drawn list was \\(${drawn.length}\\): \\[${drawn.join(",")}\\]`),
  );
  assert.match(text, new RegExp(`^seed: ${failure.result.input.seed}$`, "m"));
  const line = /^replay: (.+)$/m.exec(text)?.[1] ?? "";
  assert.ok(
    line.endsWith(` --seed ${failure.result.input.seed} --decisions ${run.join(",")}`),
    line,
  );
});

Deno.test("a failing property prints the signature line repro prints for the same run (userS22)", async () => {
  // userS22's property over logstore_bug printed `invariant: answers-every-read`, while repro of
  // the same run printed `signature: deadlock:mutex index & mutex log`: the bug's name in a
  // campaign's and a corpus's words was missing from the property's report.
  const { signatureOf } = await import("../fuzz/signature.ts");
  const { userS22Deadlock } = await import("../case/testdata/userS22/deadlock_case.ts");
  const result = await userS22Deadlock();
  const signature = signatureOf(result.verdict, result.run.verdict);
  assert.equal(signature, "deadlock:mutex index & mutex log");
  const text = new PagerPropertyFailure(result).message;
  assert.match(text, /^invariant: answers-every-read$/m);
  assert.match(text, /^signature: deadlock:mutex index & mutex log$/m);
});

Deno.test("a property over a service held to a contract by the test carries it in its replay line (userS25b)", () => {
  const contract = { vmoOptions: { trapDirty: false, resizable: true } };
  const failure = (services: Record<string, typeof stuck>): string => {
    try {
      fc.assert(
        pagerProperty(checkersOf("kernel+service"), {
          scenario: { customServices: ["user"] },
          services,
          serviceModule: "examples/testdata/trial/stuck_service.ts",
        }),
        { numRuns: 50, seed: 3 },
      );
    } catch (e) {
      return ((e as Error).cause as Error).message;
    }
    throw new Error("the stuck service was not caught");
  };
  const held = /^replay: (.+)$/m.exec(failure({ user: withContract(stuck, contract) }))![1];
  const json = /--contract-json '([^']*)'/.exec(held)?.[1];
  assert.ok(json !== undefined, held);
  assert.deepEqual(JSON.parse(json), parseContract(contract));
  assert.doesNotMatch(failure({ user: stuck }), /--contract-json/);
});

// Session 35, trial35 friction 11: a property's thread fault gave the message and signature
// only; sim prints the service's own frames (`at blockOf (throws.ts:12:25)`), and so does the
// property's report now, cut as sim cuts the stack.
Deno.test("a property's thread fault shows the service's own stack frames, as sim does", () => {
  let report = "";
  try {
    fc.assert(
      pagerProperty(checkersOf("kernel+service"), {
        scenario: { services: [], customServices: ["mine"] },
        services: { mine: throwsService },
        serviceModule: new URL("./testdata/trial35/throws.ts", import.meta.url),
      }),
      { numRuns: 100, seed: 1 },
    );
  } catch (e) {
    assert.ok((e as Error).cause instanceof PagerPropertyFailure);
    report = ((e as Error).cause as Error).message;
  }
  assert.match(report, /^signature: thread-fault:Error@throws\.ts:blockOf$/m);
  assert.match(report, /^Error: block map has no entry for block \d+$/m);
  assert.match(
    report,
    /^ {4}at blockOf \(file:\/\/\S+\/properties\/testdata\/trial35\/throws\.ts:12:25\)$/m,
  );
  // pagersim's scheduler frames are cut, as sim cuts them.
  assert.doesNotMatch(report, /sim\/world\.ts/);
});
