// The README's measured example of PCT being weaker than uniform random (a user trial found the
// README silent on it): the counts it prints are the tool's, run as the README prints it.
import { strict as assert } from "node:assert";
import { loadScenarioFile } from "../cli/sim.ts";
import { NAMED_SERVICES } from "../zoo/registry.ts";
import { strategyRates } from "./strategy_rates.ts";

const root = new URL("../", import.meta.url).pathname;

Deno.test("README: PCT weaker than random, with the counts tools/strategy_rates.ts prints", async () => {
  const readme = await Deno.readTextFile(`${root}README.md`);
  const command = /^deno run --allow-read tools\/strategy_rates\.ts (\S+) - (\d+)$/m.exec(readme);
  assert.ok(command, "the README gives the command");
  const claim =
    /fails under ([\d,]+) of ([\d,]+) seeds with uniform random, (\d+) with PCT d=1, (\d+) with d=2 and (\d+)\s+with d=3/
      .exec(readme);
  assert.ok(claim, "the README states the counts");
  const num = (s: string) => Number(s.replaceAll(",", ""));
  assert.equal(num(claim[2]), Number(command[2]));
  const rates = strategyRates(
    await loadScenarioFile(`${root}${command[1]}`),
    NAMED_SERVICES,
    Number(command[2]),
  );
  assert.deepEqual(
    rates.map((r) => r.failing),
    [num(claim[1]), num(claim[3]), num(claim[4]), num(claim[5])],
  );
  // What the sentence claims: random finds it more often than PCT at every depth.
  for (const r of rates.slice(1)) assert.ok(r.failing < rates[0].failing, r.label);
});
