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

// `--blind` lists what the table's blind column counts: shard 2 of the db8cb50 run has 76 (its
// section in docs/mutation.md), the one key whose replacement spans lines as one JSON line.
Deno.test("journal_scores --blind lists shard 2's 76 blind spots, one a line", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "tools/journal_scores.ts",
      "--blind",
      "docs/mutation-full-db8cb50/shard-2-of-8.jsonl",
    ],
    cwd: new URL("../", import.meta.url),
    stdout: "piped",
  }).output();
  assert.equal(out.code, 0);
  const keys = new TextDecoder().decode(out.stdout).trimEnd().split("\n");
  assert.equal(keys.length, 76);
  // Keys of db8cb50's lines, which no rekey may move: matched by pattern, not named.
  assert.ok(
    keys.some((k) => /^kernel\/vmo_pages\.ts:\d+:19:ArithmeticOperator:dirtied - off$/.test(k)),
  );
  const multi = keys.filter((k) => k.startsWith('"'));
  assert.equal(multi.length, 1);
  assert.match(
    JSON.parse(multi[0]),
    /^kernel\/yields\.ts:\d+:\d+:ConditionalExpression:for \(; false;\) \{\n/, // a db8cb50 line
  );
});
