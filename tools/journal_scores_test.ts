import { strict as assert } from "node:assert";

// The figures docs/mutation.md gives for the random sample of the full run (e9efc33) come from
// its committed journal through this script.
Deno.test("journal_scores prints the sample's totals docs/mutation.md gives", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "tools/journal_scores.ts", "docs/mutation-sample-e9efc33.jsonl"],
    cwd: new URL("../", import.meta.url),
    stdout: "piped",
  }).output();
  assert.equal(out.code, 0);
  const all = new TextDecoder().decode(out.stdout).split("\n").find((l) => l.startsWith("all"));
  assert.deepEqual(all?.split("\t").slice(1, 9), [
    "327",
    "1",
    "247",
    "118",
    "113",
    "134",
    "45.7%",
    "75.8%",
  ]);
});
