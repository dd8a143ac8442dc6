/**
 * userS27k: with `--workers 1` a campaign stood ~2 minutes at "runs 686 of 1000" with no sign of
 * life while its one worker shrank a failing case. The progress line now shows the shrink (the
 * worker slot's shrink cells, fuzz/engine.ts `CONTROL.shrink`), and the summary says how long
 * the investigations took.
 */
import { strict as assert } from "node:assert";
import { summaryText } from "../cli/fuzz.ts";
import { progressLine, runCampaign } from "./orchestrate.ts";

Deno.test("a campaign's progress line shows a shrink under way, and its summary the time it took", async () => {
  const lines: string[] = [];
  const s = await runCampaign({
    seed: 1,
    workers: 1,
    seconds: null,
    runs: 30,
    servicePath: null,
    bug: "complete-before-withdraw",
    known: [],
    maxShrink: 400,
    checkers: "kernel",
    modules: {},
    persist: () => Promise.resolve("(not written)"),
    progress: (line) => lines.push(line),
    progressEvery: 0.01,
  });
  assert.ok(s.findings.length > 0, "the seeded bug is found");
  const shrinking = lines.filter((l) =>
    / {2}shrinking run \d+: \d+ of at most 400 replays, /.test(l)
  );
  assert.ok(shrinking.length > 0, lines.slice(-5).join("\n"));
  assert.match(shrinking[0], /\d+ kept, size \d+ -> \d+ \(\d+ decisions\)$/);
  // The size shown is the smallest case's: it never grows (userS29a saw `168 -> 332 decisions`).
  for (const l of shrinking) {
    const [, from, to] = l.match(/size (\d+) -> (\d+)/) ?? [];
    assert.ok(Number(to) <= Number(from), l);
  }
  assert.ok(s.shrinking.cases >= 1 && s.shrinking.seconds > 0, JSON.stringify(s.shrinking));
  assert.match(
    summaryText(s),
    /^shrinking: \d+ failing runs? replayed and shrunk in \d+\.\ds \(with --workers 1 no run went on meanwhile: --max-shrink N caps each shrink\)$/m,
  );
  // The last line (the campaign over) shows no shrink.
  assert.doesNotMatch(lines[lines.length - 1], /shrinking run/);
});

Deno.test("the progress line names each worker's shrink", () => {
  const line = progressLine({
    runs: 686,
    ofRuns: 1000,
    elapsed: 40,
    budgetSeconds: null,
    states: null,
    failures: 1,
    distinct: 1,
    shrinking: 1,
    rssMiB: 120,
    shrinkingNow: [
      { k: 685, attempts: 17, max: 2000, kept: 5, decisions: 412, size: 430, fromSize: 9100 },
    ],
  });
  assert.ok(
    line.endsWith(
      "  shrinking run 685: 17 of at most 2000 replays, 5 kept, size 9100 -> 430 (412 decisions)",
    ),
    line,
  );
});
