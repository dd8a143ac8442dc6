/**
 * End to end: a fuzz campaign on the example service with `--coverage`, whose
 * c8 report (e2e/out/cov/index.html) is opened in headless Chromium: the
 * summary table lists the service's and the kernel's folders with the numbers
 * the campaign printed, and the service's page marks its lines run and not run.
 *
 * Skipped, with the reason in the test name, when no Chromium binary is found
 * or when the run lacks the permissions a browser needs (see _chromium.ts).
 *
 * @module
 */

import { strict as assert } from "node:assert";
import { browserTest, watchedPage } from "./_chromium.ts";

const OUT = new URL("./out/cov/", import.meta.url).pathname.replace(/\/$/, "");
browserTest(
  "coverage html in Chromium",
  "fuzz --coverage report, folder table, service source marks",
  async (browser) => {
    const corpus = await Deno.makeTempDir({ prefix: "pagersim-e2e-corpus-" });
    const fuzz = await new Deno.Command("deno", {
      args: [
        "task",
        "fuzz",
        "--service",
        "examples/my_service.ts",
        "--runs",
        "100",
        "--workers",
        "1",
        "--seed",
        "3",
        "--corpus",
        corpus,
        "--coverage",
        OUT,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    await Deno.remove(corpus, { recursive: true });
    const out = new TextDecoder().decode(fuzz.stdout);
    assert.ok(fuzz.code === 0 || fuzz.code === 1, new TextDecoder().decode(fuzz.stderr));
    const m = /coverage: service (\d+\.\d)% lines \((\d+) uncovered\), kernel (\d+\.\d)% lines/
      .exec(out);
    assert.ok(m, out);

    const { page, problems, requests } = await watchedPage(browser);
    await page.goto(`file://${OUT}/index.html`);
    assert.match(await page.title(), /Code coverage report/);

    // One row per folder; the kernel's line percentage is the one the campaign printed.
    const rows = page.locator("table.coverage-summary tbody tr");
    const folders = await rows.locator("td.file a").allInnerTexts();
    assert.ok(folders.some((f) => /(^|\/)examples$/.test(f)), folders.join(", "));
    assert.ok(folders.some((f) => /(^|\/)kernel$/.test(f)), folders.join(", "));
    const kernelRow = rows.filter({ has: page.locator('td.file a:text-matches("(^|/)kernel$")') });
    const cells = await kernelRow.locator("td.pct").allInnerTexts();
    assert.equal(cells.length, 4, "statements, branches, functions, lines");
    assert.ok(Math.abs(Number(cells[3].replace("%", "")) - Number(m[3])) < 0.1, cells[3]);

    // The service's own page: its source with run lines marked, line by line.
    await page.click('td.file a:text-matches("(^|/)examples$")');
    await page.click('td.file a:text("my_service.ts")');
    assert.match(
      await page.locator("pre.prettyprint").innerText(),
      /export default function\* myService/,
    );
    assert.ok(await page.locator(".cline-any.cline-yes").count() > 5, "lines marked as run");
    // The branches the campaign said no run took are marked on the page: at least one mark
    // per listed line, and none when it listed none.
    const listed = /examples\/my_service\.ts: .*; branches no run took: (.*)/.exec(out);
    assert.ok(listed, out);
    const lines = listed[1] === "none" ? [] : listed[1].split(", ");
    const marks = await page.locator('span.cbranch-no[title="branch not covered"]').count();
    assert.ok(lines.length === 0 ? marks === 0 : marks >= lines.length, `${marks} marks, ${lines}`);
    await page.screenshot({ path: `${OUT}/../coverage.png` });
    assert.deepEqual(problems, []);
    assert.ok(requests.every((u) => u.startsWith("file://")), requests.join("\n"));
  },
);
