import { strict as assert } from "node:assert";
import { resolve } from "node:path";
import {
  checkThreshold,
  folderSummaries,
  lineRanges,
  renderWithC8,
  sumFiles,
  unreached,
} from "./coverage_report.ts";
import { convertRaw } from "./v8_coverage.ts";

const FIXTURE = resolve("quality/testdata/mapped.ts");
const LINES = Deno.readTextFileSync(FIXTURE).split("\n");
const marked = (tag: string) => LINES.flatMap((l, i) => l.includes(tag) ? [i + 1] : []);

Deno.test("Deno's V8 coverage of a .ts module lands on its TypeScript lines through c8", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-v8-" });
  try {
    const run = await new Deno.Command("deno", {
      args: ["run", `--coverage=${dir}/raw`, FIXTURE],
      stdout: "null",
    }).output();
    assert.equal(run.code, 0);
    const converted = convertRaw(`${dir}/raw`, `${dir}/c8`, (p) => p === FIXTURE);
    assert.deepEqual(converted, { scripts: 1, missing: [] });
    const map = await renderWithC8({
      tempDirectory: `${dir}/c8`,
      reportsDirectory: dir,
      reporters: ["lcovonly"],
      root: resolve("."),
    });
    assert.deepEqual(map.files(), [FIXTURE]);
    const u = unreached(map, FIXTURE);
    const unusedFrom = LINES.findIndex((l) => l.startsWith("export function unused")) + 1;
    // Exactly the unused function's body, and the branch that returns early.
    for (const line of marked("// UNUSED")) assert.ok(u.lines.includes(line), `${line} not run`);
    assert.ok(u.lines.every((l) => l >= unusedFrom && l <= unusedFrom + 3), `${u.lines}`);
    assert.deepEqual(u.branches, marked("// BRANCH"));
    const lcov = await Deno.readTextFile(`${dir}/lcov.info`);
    for (const line of marked("// UNUSED")) assert.match(lcov, new RegExp(`DA:${line},0\\n`));
    const usedBody = LINES.findIndex((l) => l.includes("return x.a + 1")) + 1;
    assert.match(lcov, new RegExp(`DA:${usedBody},1\\n`));

    const folders = folderSummaries(map, resolve("quality"));
    assert.deepEqual([...folders.keys()], ["testdata"]);
    const s = sumFiles(map, () => true);
    assert.deepEqual(folders.get("testdata")?.lines, s.lines);
    assert.ok(s.lines.covered < s.lines.total);
    assert.equal(checkThreshold("testdata", s, 0), null);
    assert.match(
      checkThreshold("testdata", s, 100) ?? "",
      /^ERROR: Coverage for lines \([\d.]+%\) does not meet threshold \(100%\) for testdata\/$/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a gated folder with no data fails, and line lists read as ranges", () => {
  assert.equal(checkThreshold("kernel", undefined, 90), "ERROR: no coverage data for kernel/");
  assert.equal(lineRanges([3, 4, 5, 9, 11, 12]), "3-5, 9, 11-12");
  assert.equal(lineRanges([]), "");
});
