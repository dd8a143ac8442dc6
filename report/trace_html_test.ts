import { strict as assert } from "node:assert";
import { ZX_OK, ZX_TIME_INFINITE } from "../kernel/constants.ts";
import type { ServiceContext } from "../services/service.ts";
import { runScenario, type ScenarioRun } from "../scenario/interpreter.ts";
import { parseScenario, type ScenarioInput } from "../scenario/schema.ts";
import type { Sys, ThreadBody } from "../sim/sys.ts";
import { layoutTrace } from "./_trace_layout.ts";
import { escapeHtml, renderTraceHtml } from "./trace_html.ts";

/** A service that takes packets off its port and never answers them: readers hang. */
function* silentService(sys: Sys, ctx: ServiceContext): ThreadBody {
  for (;;) {
    const [st] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
    if (st !== ZX_OK) return;
  }
}

const DETACH_RACE: ScenarioInput = {
  name: "detach races two readers",
  pagers: [{ name: "fs" }],
  vmos: [{ name: "file", pager: "fs", pages: 2 }, { name: "log", pager: "fs", pages: 1 }],
  threads: [
    { name: "reader", ops: [{ op: "read", vmo: "file", page: 0, pages: 2 }] },
    { name: "logger", ops: [{ op: "read", vmo: "log", page: 0 }] },
  ],
  events: [{ do: "detach", target: "file" }],
};

const HANG: ScenarioInput = {
  name: "silent pager",
  pagers: [{ name: "fs", service: { kind: "custom", name: "silent" } }],
  vmos: [{ name: "file", pager: "fs", pages: 2 }],
  threads: [{ name: "reader", ops: [{ op: "read", vmo: "file", page: 0, pages: 2 }] }],
};

function run(input: ScenarioInput, seed = 1): { run: ScenarioRun; html: string } {
  const scenario = parseScenario(input);
  const r = runScenario(scenario, { seed, services: { silent: silentService } });
  const html = renderTraceHtml({
    title: `${scenario.name}, seed ${seed}`,
    scenario,
    entries: r.trace.entries,
    verdict: r.verdict,
    failingStep: r.verdict.kind === "pass" ? null : r.verdict.step,
    traceHash: r.traceHash,
    names: {
      threads: r.world.threads.map((t) => ({ tid: t.tid, name: t.name, role: t.role })),
      vmos: [...r.names.vmoKoid].map(([name, koid]) => ({ koid, name })),
    },
  });
  return { run: r, html };
}

/** The opening tags of every element with the given class. */
function tagsWithClass(html: string, cls: string): string[] {
  const re = new RegExp(`<[a-z]+ class="${cls}[ "][^>]*>`, "g");
  return html.match(re) ?? [];
}

function attr(tag: string, name: string): string | undefined {
  return tag.match(new RegExp(` ${name}="([^"]*)"`))?.[1];
}

Deno.test("every thread, port and VMO of a run gets a labelled lane", () => {
  const { run: r, html } = run(DETACH_RACE, 0);
  const expected = new Set<string>(["t0"]);
  for (const t of r.world.threads) expected.add(`t${t.tid}`);
  for (const koid of r.names.vmoKoid.values()) expected.add(`vmo${koid}`);
  for (const { event } of r.trace.entries) {
    if ("port" in event) expected.add(`port${event.port}`);
  }
  assert([...expected].some((id) => id.startsWith("port")), "the run delivered no packet");
  const labels = tagsWithClass(html, "lane-label").map((t) => attr(t, "data-lane")!);
  assert.deepEqual(new Set(labels), expected);
  assert.deepEqual(labels.length, expected.size);
  const rows = tagsWithClass(html, "lane-bg").map((t) => attr(t, "data-lane")!);
  assert.deepEqual(rows, labels, "lane rows are drawn in label order");
  for (const t of r.world.threads) {
    assert.match(
      html,
      new RegExp(`<span class="main">t${t.tid} &quot;${t.name.replace(/[.()]/g, "\\$&")}&quot;<`),
    );
  }
  assert.match(html, new RegExp(`data-lane="vmo${r.names.vmoKoid.get("file")}"[^>]*>.*?>file<`));
});

Deno.test("one mark per event, of the event's kind, in trace order", () => {
  const { run: r, html } = run(DETACH_RACE, 0);
  const marks = tagsWithClass(html, "mark");
  assert.deepEqual(marks.length, r.trace.entries.length);
  marks.forEach((tag, i) => {
    const { step, event } = r.trace.entries[i];
    assert.deepEqual(attr(tag, "data-index"), String(i));
    assert.deepEqual(attr(tag, "data-step"), String(step));
    assert.deepEqual(attr(tag, "data-kind"), event.k);
  });
  const queued = r.trace.entries.filter((e) => e.event.k === "packet-queued").length;
  assert(queued > 0);
  assert.deepEqual(marks.filter((t) => attr(t, "data-kind") === "packet-queued").length, queued);
  const detach = marks.find((t) => attr(t, "data-kind") === "detach")!;
  assert.deepEqual(attr(detach, "data-lane"), `vmo${r.names.vmoKoid.get("file")}`);
  const service = `t${r.world.threads.find((t) => t.role === "service")!.tid}`;
  const supplyCall = marks.find((t) =>
    attr(t, "data-kind") === "call" && attr(t, "data-syscall") === "zx_pager_supply_pages"
  );
  assert.equal(attr(supplyCall!, "data-lane"), service);
  const withdrawn = marks.filter((t) => attr(t, "data-kind") === "packet-withdrawn");
  assert.equal(withdrawn.length, 1, "seed 0 withdraws the READ packet of the detached VMO");
  assert.match(attr(withdrawn[0], "data-lane")!, /^port\d+$/);
  const xs = marks.map((t) => Number(attr(t, "data-x")));
  for (let i = 1; i < xs.length; i++) {
    assert(xs[i] > xs[i - 1], `mark ${i} is left of mark ${i - 1}`);
  }
});

Deno.test("each event's full text is the mark's tooltip", () => {
  const { run: r, html } = run(DETACH_RACE, 0);
  const titles = [...html.matchAll(/<rect class="mark [^>]*><title>([^<]*)<\/title>/g)].map((m) =>
    m[1]
  );
  assert.deepEqual(
    titles,
    r.trace.text().split("\n").map((l) => escapeHtml(l.replace(/^(#\d+) +/, "$1 "))),
  );
});

Deno.test("a hang marks its failing step and keeps the parked reader open to the end", () => {
  const { run: r, html } = run(HANG);
  assert.deepEqual(r.verdict.kind, "hang");
  const failing = r.verdict.step;
  const marks = tagsWithClass(html, "mark");
  const inStep = marks.filter((t) => attr(t, "data-step") === String(failing));
  assert(inStep.length > 0, "the failing step has events");
  for (const t of marks) {
    const isFailing = attr(t, "class")!.split(" ").includes("failing");
    assert.deepEqual(isFailing, attr(t, "data-step") === String(failing), t);
  }
  assert.deepEqual(tagsWithClass(html, "failing-band").length, 1);
  assert.match(html, new RegExp(`<g class="tick failing" data-step="${failing}"`));
  const reader = `t${r.names.threadTid.get("reader")}`;
  const parked = tagsWithClass(html, "span s-blocked open").filter((t) =>
    attr(t, "data-lane") === reader
  );
  assert.deepEqual(parked.length, 1, "the reader is drawn parked until the end");
  assert.match(
    html,
    new RegExp(`class="lane-label thread workload culprit" data-lane="${reader}"`),
  );
  assert.match(html, /<div class="verdict-kind fail" data-verdict="hang">/);
});

Deno.test("a passing run has no failing marks and no failing band", () => {
  const { run: r, html } = run(DETACH_RACE, 0);
  assert.deepEqual(r.verdict.kind, "pass");
  assert.deepEqual(tagsWithClass(html, "failing-band").length, 0);
  assert.doesNotMatch(html, /class="mark [^"]*failing/);
  assert.doesNotMatch(html, /id="go-failing"/);
});

Deno.test("hostile text in the title and scenario is escaped", () => {
  const evil = `</title></pre><script>alert("x")</script><img src=x onerror='alert(1)'> & "q"`;
  const { html } = run({ ...HANG, name: evil });
  assert.deepEqual(html.match(/<script>/g)?.length, 1, "only the page's own script");
  assert.doesNotMatch(html, /<img/);
  assert.doesNotMatch(html, /alert\("x"\)<\/script>/);
  assert(html.includes(escapeHtml(evil)), "the title shows the name as text");
  assert(html.includes(escapeHtml(JSON.stringify(evil))), "the scenario JSON shows the name");
  assert.deepEqual(
    escapeHtml(`<a href="x">'&'</a>`),
    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
  );
});

Deno.test("the page loads nothing from outside", () => {
  const { html } = run(DETACH_RACE, 0);
  assert.doesNotMatch(html, /https?:\/\//);
  assert.doesNotMatch(html, /<link\b|<img\b|<iframe\b|\bsrc=|@import|url\((?!#)/i);
  assert.match(html, /^<!DOCTYPE html>/);
});

Deno.test("layout: a call-return pair becomes one syscall span, a packet a queued span", () => {
  const { run: r } = run(DETACH_RACE, 0);
  const layout = layoutTrace(r.trace.entries, null);
  const calls = r.trace.entries.filter((e) => e.event.k === "call").length;
  const syscalls = layout.spans.filter((s) => s.kind === "syscall");
  assert.deepEqual(syscalls.length, calls);
  const queued = r.trace.entries.filter((e) => e.event.k === "packet-queued").length;
  const queuedSpans = layout.spans.filter((s) => s.kind === "queued");
  assert.deepEqual(queuedSpans.length, queued);
  const taken =
    r.trace.entries.filter((e) =>
      e.event.k === "packet-dequeued" || e.event.k === "packet-withdrawn" ||
      e.event.k === "packet-dropped"
    ).length;
  assert.equal(queuedSpans.filter((s) => s.toStep !== null).length, taken);
  for (const s of layout.spans) assert(s.x1 > s.x0 || s.toStep === s.fromStep, s.text);
});

Deno.test("layout: an empty failing step still gets a column", () => {
  const layout = layoutTrace([], 7);
  assert.deepEqual(layout.columns.map((c) => c.step), [7]);
  assert.deepEqual(layout.marks.length, 0);
});
