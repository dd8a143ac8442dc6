// The line under the determinism lint's findings on a --service module names what they are
// (userS23: a dropped generator call and module-level state were both summed up as
// "1 nondeterministic use(s) ... a run would not replay").
import { strict as assert } from "node:assert";
import { lintModules } from "./_quality_hooks.ts";
import { lintNote } from "./fuzz.ts";

const DIR = "case/testdata/userS23";

/** lintModules with the findings it prints kept out of the test's output. */
async function quietly<T>(f: () => Promise<T>): Promise<T> {
  const error = console.error;
  console.error = () => {};
  try {
    return await f();
  } finally {
    console.error = error;
  }
}

Deno.test("a dropped generator call is counted as one, not as a nondeterministic use", async () => {
  await assert.rejects(
    () => quietly(() => lintModules({ service: `${DIR}/tinyfs_dropped.ts` }, "error")),
    (e: Error) => {
      assert.equal(
        e.message,
        `--service ${DIR}/tinyfs_dropped.ts: determinism lint: 1 dropped generator call, listed ` +
          "above. Fix it, or pass --lint-warn to run anyway.",
      );
      return true;
    },
  );
});

Deno.test("module-level state is counted as such, and said to keep a run from replaying", async () => {
  await assert.rejects(
    () => quietly(() => lintModules({ service: `${DIR}/tinyfs_modstate.ts` }, "error")),
    (e: Error) => {
      assert.equal(
        e.message,
        `--service ${DIR}/tinyfs_modstate.ts: determinism lint: 1 module-level mutable ` +
          "variable, listed above: a run would not replay. Fix it, or pass --lint-warn to run " +
          "anyway.",
      );
      return true;
    },
  );
  const warned = await quietly(() => lintModules({ service: `${DIR}/tinyfs_modstate.ts` }, "warn"));
  assert.deepEqual(warned, {
    modules: `${DIR}/tinyfs_modstate.ts`,
    count: 1,
    summary: "1 module-level mutable variable",
    breaksReplay: true,
  });
});

Deno.test("fuzz's summary says replay lines may not replay only when a finding can cause it", () => {
  assert.equal(
    lintNote({ modules: "svc.ts", summary: "1 dropped generator call", breaksReplay: false }),
    "note: --lint-warn ran svc.ts with 1 dropped generator call (determinism lint, listed at " +
      "the start)",
  );
  assert.equal(
    lintNote({ modules: "svc.ts", summary: "2 host timers", breaksReplay: true }),
    "note: --lint-warn ran svc.ts with 2 host timers (determinism lint, listed at the start): " +
      "a replay line below may not replay its run",
  );
});
