// Session 29, README-only users: a campaign of a --kernel variant alone (no --service) was told
// "contract: none (the service declares none: ...)", and an interrupted campaign printed every
// never-reached counter with what each needs, as if it had run its budget.
import { strict as assert } from "node:assert";
import { summaryText } from "../cli/fuzz.ts";
import { runCampaign } from "./orchestrate.ts";
import { SOMETIMES } from "./sometimes.ts";

const root = new URL("../", import.meta.url).pathname;

Deno.test("the summary's contract line is a service's; an interrupted campaign's never-reached list is capped", async () => {
  const s = await runCampaign({
    seed: 1,
    workers: 1,
    seconds: null,
    runs: 2,
    servicePath: null,
    kernelPath: `${root}fuzz/testdata/variant_kernel.ts`,
    known: [],
    maxShrink: 5,
    checkers: "kernel",
    modules: {},
    persist: () => Promise.resolve("(not written)"),
    progress: () => {},
    progressEvery: 60,
  });
  assert.equal(s.service, null);
  const text = summaryText(s);
  assert.doesNotMatch(text, /^contract:/m);
  // A service that declares no contract still says so.
  assert.match(
    summaryText({ ...s, service: "svc.ts" }),
    /^contract: none \(the service declares none: every input the generators draw\)$/m,
  );
  // Two runs reach few interleavings: the list is long.
  assert.ok(s.neverReached.length > 3, JSON.stringify(s.neverReached));
  assert.match(text, new RegExp(`^never reached: ${s.neverReached[0]}, `, "m"));
  const cut = summaryText({ ...s, interrupted: true });
  const line = cut.split("\n").filter((l) => l.startsWith("never reached: "));
  assert.deepEqual(line, [
    `never reached: ${s.neverReached.length} of ${Object.keys(SOMETIMES).length} interleavings ` +
    `in the 2 runs before the interrupt (${s.neverReached.slice(0, 3).join(", ")}, ...; the ` +
    "whole list: --json's neverReached, and what each needs: fuzz/sometimes.ts)",
  ]);
  assert.doesNotMatch(cut, /coverage, not failures/);
  assert.ok(!cut.includes(s.neverReached[3] + ":"), cut);
});
