// userS29a (session 29): on an 80-column terminal fuzz's redrawn progress line (86 characters idle,
// ~167 while it shrinks; explore's ~200) wrapped, and each `\r\x1b[2K` erased only its last row:
// the emulator showed 78 rows of stale fragments. The redrawn line is now clamped to the
// terminal's width (cli/_redraw.ts); what goes to a file or a pipe is unchanged.
import { strict as assert } from "node:assert";
import { fileURLToPath } from "node:url";
import { clampLine, columnsFrom, redrawText } from "./_redraw.ts";
import { progressLine } from "../fuzz/orchestrate.ts";

Deno.test("a redrawn progress line fits the terminal, so a redraw leaves no wrapped rows", () => {
  // The user's line while a run was shrunk (the fields progressLine takes).
  const line = progressLine({
    runs: 134,
    ofRuns: 2000,
    elapsed: 5,
    budgetSeconds: null,
    states: null,
    failures: 72,
    distinct: 2,
    shrinking: 1,
    rssMiB: 403,
    shrinkingNow: [
      { k: 133, attempts: 101, max: 2000, kept: 42, decisions: 168, size: 382, fromSize: 382 },
    ],
  });
  assert.ok(line.length > 150, `${line.length}`);
  for (const columns of [80, 40, 132]) {
    const text = redrawText(line, columns);
    assert.ok(text.startsWith("\r\x1b[2K"));
    const shown = Array.from(text.slice("\r\x1b[2K".length));
    assert.ok(shown.length < columns, `${shown.length} characters on ${columns} columns`);
    assert.equal(shown.join("").slice(0, -1), line.slice(0, shown.length - 1));
    assert.equal(shown[shown.length - 1], "…");
  }
  // A line that fits is printed whole.
  assert.equal(redrawText("runs 5 of 10", 80), "\r\x1b[2Kruns 5 of 10");
  assert.equal(clampLine("é".repeat(100), 80), `${"é".repeat(78)}…`);
});

Deno.test("every progress redraw of the commands goes through the clamp", async () => {
  // A redraw is a `\r\x1b[2K` line written with no newline after it.
  const dir = fileURLToPath(new URL("./", import.meta.url));
  const raw: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (!e.name.endsWith(".ts") || e.name.endsWith("_test.ts") || e.name === "_redraw.ts") continue;
    const text = await Deno.readTextFile(`${dir}${e.name}`);
    for (const m of text.matchAll(/writeSync\([^;]*\\x1b\[2K\$\{[^}]*\}(\$\{[^}]*\})?`/g)) {
      raw.push(`${e.name}: ${m[0]}`);
    }
  }
  assert.deepEqual(raw, []);
});

// trial32 (session 32, finding 14): under `script -qec` (a pseudo-terminal that answers 0
// columns) the line was cut at 80 columns, at `elapsed …`, hiding the shrink's progress after it.
// 0 columns is a width the terminal does not know: the line is redrawn whole.
Deno.test("a terminal that answers 0 columns gets the whole progress line, shrink progress included", () => {
  const line = progressLine({
    runs: 42,
    ofRuns: 60,
    elapsed: 5,
    budgetSeconds: null,
    states: null,
    failures: 1,
    distinct: 1,
    shrinking: 1,
    rssMiB: 403,
    shrinkingNow: [
      { k: 41, attempts: 17, max: 2000, kept: 5, decisions: 12, size: 90, fromSize: 477 },
    ],
  });
  assert.equal(columnsFrom(0), Infinity);
  const text = redrawText(line, columnsFrom(0));
  assert.equal(text, `\r\x1b[2K${line}`);
  assert.match(text, /shrinking run 41: 17 of at most 2000 replays/);
  assert.equal(columnsFrom(null), 80, "no terminal to ask: the default width");
  assert.equal(columnsFrom(100), 100);
});
