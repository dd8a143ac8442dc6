/**
 * End to end: renders a real failing run (a pager service that never answers
 * one VMO, so its reader hangs) as the HTML trace, opens it in headless
 * Chromium through playwright-core, checks what is drawn and that the page's
 * script works, and leaves the page and a screenshot in `e2e/out/` (trace.html, trace.png).
 *
 * Skipped, with the reason in the test name, when no Chromium binary is found
 * (`apt-get install -y chromium`, or set PAGERSIM_CHROMIUM) or when the run
 * lacks the permissions a browser needs (run it with `deno test --allow-all e2e/`).
 *
 * @module
 */

import { strict as assert } from "node:assert";
import { ZX_OK, ZX_PAGER_VMO_READ, ZX_TIME_INFINITE } from "../kernel/constants.ts";
import { renderTraceHtml } from "../report/trace_html.ts";
import { isRead, type ServiceContext, supplyFromBacking, vmoForKey } from "../services/service.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { parseScenario } from "../scenario/schema.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";
import { browserTest, watchedPage } from "./_chromium.ts";

const OUT_DIR = new URL("./out/", import.meta.url);

/** Answers every READ except those for the VMO named `log`: its reader hangs. */
function* forgetfulService(sys: Sys, ctx: ServiceContext): ThreadBody {
  for (;;) {
    const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
    if (!isRead(packet) || packet.command !== ZX_PAGER_VMO_READ) continue;
    const vmo = vmoForKey(ctx, packet.key);
    if (vmo === undefined || vmo.name === "log") continue; // the bug: this request is lost
    yield* supplyFromBacking(sys, ctx, vmo, packet.offset, packet.length);
  }
}

/** The scenario's name is hostile on purpose: it must show as text, never run. */
const SCENARIO = parseScenario({
  name: `lost log request <script>alert("pwned")</script> & "quotes"`,
  pagers: [{ name: "fs", service: { kind: "custom", name: "forgetful" } }],
  vmos: [
    { name: "file", pager: "fs", pages: 4 },
    { name: "log", pager: "fs", pages: 1 },
    { name: "cache", pager: "fs", pages: 2 },
  ],
  threads: [
    {
      name: "reader",
      ops: [0, 1, 2, 3].map((page) => ({ op: "read" as const, vmo: "file", page })),
    },
    { name: "logger", ops: [{ op: "read", vmo: "log", page: 0 }] },
    { name: "mapper", ops: [{ op: "mapRead", vmo: "cache", page: 0, pages: 2 }] },
  ],
  events: [{ do: "detach", target: "cache", notBefore: 6 }],
});

browserTest(
  "html trace in Chromium",
  "lanes, marks, failing step, scenario, selection, zoom",
  async (browser) => {
    const started = performance.now();
    const run = runScenario(SCENARIO, { seed: 5, services: { forgetful: forgetfulService } });
    assert.equal(run.verdict.kind, "hang", "the lost request must hang the logger");
    const failingStep = run.verdict.step;
    const html = renderTraceHtml({
      title: `e2e: ${SCENARIO.name}, seed 5`,
      scenario: SCENARIO,
      entries: run.trace.entries,
      verdict: run.verdict,
      failingStep,
      traceHash: run.traceHash,
      names: {
        threads: run.world.threads.map((t) => ({ tid: t.tid, name: t.name, role: t.role })),
        vmos: [...run.names.vmoKoid].map(([name, koid]) => ({ koid, name })),
      },
    });
    await Deno.mkdir(OUT_DIR, { recursive: true });
    const file = new URL("trace.html", OUT_DIR).pathname;
    await Deno.writeTextFile(file, html);

    const { page, problems, requests } = await watchedPage(browser);
    await page.goto(`file://${file}`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 10_000 });

    // Nothing but the file itself is loaded, and nothing from the scenario ran.
    assert.deepEqual(requests, [`file://${file}`]);
    assert.deepEqual(problems, []);
    assert.equal(await page.title(), `pagersim trace: e2e: ${SCENARIO.name}, seed 5`);

    // A lane per thread (and the setup thread), per port, per VMO, each labelled and visible.
    const tids = new Set([0, ...run.world.threads.map((t) => t.tid)]);
    const ports = new Set(
      run.trace.entries.flatMap(({ event }) => "port" in event ? [event.port] : []),
    );
    const lanes = tids.size + ports.size + SCENARIO.vmos.length;
    assert.equal(await page.locator(".lane-label").count(), lanes);
    assert.equal(await page.locator("#lanes-svg .lane-bg").count(), lanes);
    for (const [name, koid] of run.names.vmoKoid) {
      const label = page.locator(`.lane-label[data-lane="vmo${koid}"]`);
      assert.ok(await label.isVisible(), `lane of vmo ${name}`);
      assert.match(await label.innerText(), new RegExp(`vmo ${koid}\\s+${name}`));
    }
    const logger = run.names.threadTid.get("logger")!;
    assert.match(
      await page.locator(`.lane-label[data-lane="t${logger}"]`).innerText(),
      new RegExp(`t${logger} "logger"\\s*stuck`), // a thread is labelled t3 "name"
    );

    // One mark per event; a known syscall is drawn on the service's lane.
    assert.equal(await page.locator("#lanes-svg .mark").count(), run.trace.entries.length);
    const supplies = run.trace.entries.filter(({ event }) =>
      event.k === "call" && event.name === "zx_pager_supply_pages"
    );
    assert.ok(supplies.length >= 4, "the service supplied the reader's pages");
    const supplyMarks = page.locator(
      '#lanes-svg .mark[data-kind="call"][data-syscall="zx_pager_supply_pages"]',
    );
    assert.equal(await supplyMarks.count(), supplies.length);
    const service = run.world.threads.find((t) => t.role === "service")!;
    assert.equal(await supplyMarks.first().getAttribute("data-lane"), `t${service.tid}`);

    // The failing step is highlighted, scrolled into view, and its events listed.
    const failingEvents = run.trace.entries.filter((e) => e.step === failingStep).length;
    assert.ok(failingEvents > 0);
    assert.equal(await page.locator("#lanes-svg .mark.failing").count(), failingEvents);
    assert.equal(
      await page.locator(`#lanes-svg .mark[data-step="${failingStep}"]:not(.failing)`).count(),
      0,
    );
    const box = (await page.locator("#timeline").boundingBox())!;
    const band = (await page.locator(".failing-band").boundingBox())!;
    assert.ok(
      band.x >= box.x + 200 && band.x + band.width <= box.x + box.width,
      `failing band at x=${band.x} not inside the timeline [${box.x}, ${box.x + box.width}]`,
    );
    const bandFill = await page.evaluate(
      `getComputedStyle(document.querySelector(".failing-band")).fill`,
    );
    assert.match(String(bandFill), /rgba\(220, 38, 38/);
    assert.equal(
      await page.locator("#sel-step-events li").count(),
      failingEvents,
      "the details panel lists the failing step's events",
    );
    assert.match(await page.locator("#verdict-panel").innerText(), /hang[\s\S]*logger/);

    // The scenario panel shows the scenario, hostile name included, as JSON text.
    const shown = JSON.parse(await page.locator("#scenario-json").innerText());
    assert.deepEqual(shown, JSON.parse(JSON.stringify(SCENARIO)));

    // Clicking a mark shows its full event text; arrow keys step to the next event.
    const mark = supplyMarks.first();
    await mark.scrollIntoViewIfNeeded();
    await mark.click();
    const title = await mark.locator("title").textContent();
    assert.equal(await page.locator("#sel-text").innerText(), title);
    assert.match(title!, /zx_pager_supply_pages\(/);
    const index = Number(await mark.getAttribute("data-index"));
    await page.keyboard.press("ArrowRight");
    assert.equal(
      await page.locator("#lanes-svg .mark.selected").getAttribute("data-index"),
      String(index + 1),
    );

    // Zooming widens the drawing.
    const before = Number(await page.locator("#lanes-svg").getAttribute("width"));
    await page.click("#zoom-in");
    const after = Number(await page.locator("#lanes-svg").getAttribute("width"));
    assert.ok(after > before * 1.3, `zoom in: ${before} -> ${after}`);
    await page.click("#zoom-fit");
    await page.click("#go-failing");

    await page.screenshot({ path: new URL("trace.png", OUT_DIR).pathname, fullPage: true });
    assert.deepEqual(problems, []);
    console.log(`e2e html trace: ${(performance.now() - started).toFixed(0)} ms`);
  },
);
