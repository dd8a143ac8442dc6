/**
 * The HTML trace: one self-contained page (inline CSS, script and SVG, no
 * external resources) with a swimlane timeline of a run — a lane per thread,
 * port and VMO, a mark per event, spans for syscalls, parked threads, queued
 * packets and open page requests — the failing step highlighted, and the
 * verdict and the scenario beside it.
 *
 * Marks and lanes carry stable `data-*` attributes (`data-lane`, `data-kind`,
 * `data-step`, `data-index`; class `failing` on the failing step's marks) so
 * tests can check what is drawn.
 *
 * @module
 */

import { present } from "../kernel/assert.ts";
import { describeVerdict, type Verdict } from "../sim/world.ts";
import { threadLabel, type TraceEntry } from "../sim/trace.ts";
import { MARK_COLOURS, PAGE_CSS, PAGE_JS } from "./_page_assets.ts";
import {
  type Lane,
  layoutTrace,
  type Mark,
  SLOT_PX,
  type Span,
  type SpanKind,
  type ThreadName,
  type TraceLayout,
  type VmoName,
} from "./_trace_layout.ts";

export type { ThreadName, VmoName };

/** What {@linkcode renderTraceHtml} draws. */
export interface TraceHtmlInput {
  /** The page heading (a case file, a campaign run). */
  readonly title: string;
  /** The scenario, shown pretty-printed as JSON. */
  readonly scenario: unknown;
  /** Every event of the run, in order (`run.trace.entries`). */
  readonly entries: readonly TraceEntry[];
  /** How the run ended; shown beside the timeline. */
  readonly verdict: Verdict;
  /** The step to highlight, or null for a passing run. */
  readonly failingStep: number | null;
  /** The run's trace hash, shown so a reader can match the page to a corpus case. */
  readonly traceHash: string;
  /** Names of threads (tid, name, role) and of pager-backed VMOs (koid, name) for the lane labels. */
  readonly names?: {
    readonly threads: readonly ThreadName[];
    readonly vmos?: readonly VmoName[];
  };
}

/** Height of one lane, in pixels. */
const LANE_PX = 34;
/** Height of the step axis, in pixels. */
const AXIS_PX = 28;
/** Width of the lane label column, in pixels (matches `--label-w` in the style sheet). */
const LABEL_PX = 220;
/** Empty space left and right of the timeline, in pixels. */
const PAD_PX = 12;
/** Height of a mark, in pixels. */
const MARK_PX = 16;
/** Height of a span, in pixels. */
const SPAN_PX = 24;
/** Height of a parked span, drawn inside its syscall span, in pixels. */
const BLOCKED_PX = 18;

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function prettyJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch (e) {
    return `(scenario cannot be shown as JSON: ${(e as Error).message})`;
  }
}

function dataAttrs(data: Readonly<Record<string, string>>): string {
  return Object.entries(data).map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`).join("");
}

/** Tids the verdict names, with a one-word flag: a hang's parked services only wait. */
function culprits(v: Verdict, lanes: readonly Lane[]): Map<number, string> {
  const role = new Map(lanes.filter((l) => l.kind === "thread").map((l) => [l.key, l.role]));
  const out = new Map<number, string>();
  if (v.kind === "hang") {
    for (const b of v.blocked) out.set(b.tid, role.get(b.tid) === "service" ? "waiting" : "stuck");
  }
  if ((v.kind === "invariant" || v.kind === "kernel-assertion") && v.tid > 0) {
    out.set(v.tid, "failing");
  }
  if (v.kind === "thread-fault") out.set(v.tid, "faulted");
  return out;
}

function renderLabels(lanes: readonly Lane[], blame: Map<number, string>): string {
  return lanes.map((l) => {
    const flag = l.kind === "thread" ? blame.get(l.key) : undefined;
    const mark = flag === undefined ? "" : flag === "waiting" ? " waiting" : " culprit";
    const cls = `lane-label ${l.kind} ${escapeHtml(l.role)}${mark}`;
    const tip = `${l.label} (${l.detail})${flag ? `: ${flag}` : ""}`;
    return `<div class="${cls}" data-lane="${l.id}" data-lane-kind="${l.kind}" style="height:${LANE_PX}px" title="${
      escapeHtml(tip)
    }"><span class="main">${escapeHtml(l.label)}${
      flag ? `<span class="flag">${escapeHtml(flag)}</span>` : ""
    }</span><span class="sub">${escapeHtml(l.detail)}</span></div>`;
  }).join("\n");
}

function renderAxis(layout: TraceLayout, failingStep: number | null): string {
  return layout.columns.map((c) => {
    const failing = c.step === failingStep ? " failing" : "";
    return `<g class="tick${failing}" data-step="${c.step}" data-x="${c.x}" transform="translate(${
      PAD_PX + c.x
    },0)"><line x1="0" x2="0" y1="${AXIS_PX - 7}" y2="${AXIS_PX}"/><text x="2" y="${
      AXIS_PX - 10
    }">${c.step}</text></g>`;
  }).join("");
}

/** Parked is drawn inside its syscall, so syscalls go first. */
const SPAN_ORDER: Record<SpanKind, number> = { syscall: 0, blocked: 1, queued: 2, request: 3 };

function renderSpan(s: Span, mid: number): string {
  const w = Math.max(1, s.x1 - s.x0);
  const h = s.kind === "blocked" ? BLOCKED_PX : SPAN_PX;
  const y = mid - h / 2;
  const open = s.toStep === null ? " open" : "";
  return `<rect class="span s-${s.kind}${open}" data-span="${s.kind}" data-lane="${s.lane}" data-from-step="${s.fromStep}" data-to-step="${
    s.toStep ?? ""
  }" x="${s.x0}" y="${y}" width="${w}" height="${h}"><title>${escapeHtml(s.text)}</title></rect>`;
}

function renderMark(m: Mark, y: number, failing: boolean): string {
  const cls = `mark k-${m.kind}${m.variant ? ` v-${m.variant}` : ""}${failing ? " failing" : ""}`;
  return `<rect class="${cls}" data-index="${m.index}" data-step="${m.step}" data-lane="${m.lane}" data-kind="${m.kind}" data-x="${m.x}"${
    dataAttrs(m.data)
  } x="${m.x + 1}" y="${y}" width="${SLOT_PX - 2}" height="${MARK_PX}" rx="1.5"><title>#${m.step} ${
    escapeHtml(m.text)
  }</title></rect>`;
}

function renderLanes(layout: TraceLayout, failingStep: number | null): string {
  const row = new Map(layout.lanes.map((l, i) => [l.id, i]));
  const mid = (lane: string) =>
    present(row.get(lane), () => `trace page: the row of lane ${lane}`) * LANE_PX + LANE_PX / 2;
  const height = layout.lanes.length * LANE_PX;
  const out: string[] = [];
  out.push(
    `<defs><pattern id="hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f1f5f9"/><line x1="0" y1="0" x2="0" y2="6" stroke="#94a3b8" stroke-width="2.5"/></pattern></defs>`,
  );
  out.push(`<g id="zoom-g" transform="translate(${PAD_PX},0) scale(1,1)">`);
  layout.lanes.forEach((l, i) => {
    out.push(
      `<rect class="lane-bg${
        i % 2 ? " alt" : ""
      }" data-lane="${l.id}" data-lane-kind="${l.kind}" x="${-PAD_PX}" y="${i * LANE_PX}" width="${
        layout.width + 2 * PAD_PX
      }" height="${LANE_PX}"/>`,
    );
  });
  layout.columns.forEach((c, i) => {
    if (i % 2) {
      out.push(
        `<rect class="col-shade" x="${c.x}" y="0" width="${c.width}" height="${height}"/>`,
      );
    }
  });
  for (const c of layout.columns) {
    if (c.step !== failingStep) continue;
    out.push(
      `<rect class="failing-band" data-step="${c.step}" data-x="${c.x}" x="${
        c.x - 2
      }" y="0" width="${
        c.width + 4
      }" height="${height}"><title>failing step ${c.step}</title></rect>`,
    );
  }
  out.push(`<g class="spans">`);
  const spans = [...layout.spans].sort((a, b) => SPAN_ORDER[a.kind] - SPAN_ORDER[b.kind]);
  for (const s of spans) out.push(renderSpan(s, mid(s.lane)));
  out.push(`</g><g class="links">`);
  for (const m of layout.marks) {
    if (m.link === null) continue;
    const cx = m.x + SLOT_PX / 2;
    out.push(
      `<line class="link" data-index="${m.index}" data-from="${m.lane}" data-to="${m.link}" x1="${cx}" x2="${cx}" y1="${
        mid(m.lane)
      }" y2="${mid(m.link)}"/>`,
    );
  }
  out.push(`</g><g class="marks">`);
  for (const m of layout.marks) {
    out.push(
      renderMark(m, mid(m.lane) - MARK_PX / 2, m.step === failingStep),
    );
  }
  out.push(`</g></g>`);
  return out.join("\n");
}

function renderVerdict(v: Verdict, traceHash: string): string {
  const pass = v.kind === "pass";
  const rows: [string, string][] = [["step", String(v.step)]];
  let extra = "";
  switch (v.kind) {
    case "invariant":
      rows.unshift(["invariant", v.invariant]);
      rows.push(["thread", `t${v.tid}`], ["message", v.message]);
      break;
    case "kernel-assertion":
      rows.push(["thread", `t${v.tid}`], ["message", v.message]);
      break;
    case "thread-fault":
      rows.push(["thread", threadLabel(v.tid, v.thread)], ["message", v.message]);
      break;
    case "hang":
      extra =
        `<p class="muted">Threads still parked when the run stopped:</p><ul class="blocked-list">${
          v.blocked.map((b) =>
            `<li class="mono" data-tid="${b.tid}">${escapeHtml(threadLabel(b.tid, b.thread))}: ${
              escapeHtml(b.on)
            }</li>`
          ).join("")
        }</ul>`;
      break;
  }
  rows.push(["trace hash", traceHash]);
  const stack = "stack" in v && v.stack
    ? `<details><summary>stack</summary><pre>${escapeHtml(v.stack)}</pre></details>`
    : "";
  return `<div class="verdict-kind ${pass ? "pass" : "fail"}" data-verdict="${v.kind}">${
    escapeHtml(v.kind)
  }</div><p>${escapeHtml(describeVerdict(v))}</p><dl class="kv">${
    rows.map(([k, val]) => `<dt>${escapeHtml(k)}</dt><dd class="mono">${escapeHtml(val)}</dd>`)
      .join("")
  }</dl>${extra}${stack}`;
}

function renderSelection(layout: TraceLayout, failingStep: number | null): string {
  const inStep = failingStep === null ? [] : layout.marks.filter((m) => m.step === failingStep);
  const first = inStep[0];
  const label = first === undefined
    ? ""
    : layout.lanes.find((l) => l.id === first.lane)?.label ?? first.lane;
  const heading = first === undefined
    ? "Click a mark to see its event"
    : `Step ${first.step} · event ${first.index} · ${first.kind} on ${label}`;
  const text = first === undefined ? "" : `#${first.step} ${first.text}`;
  return `<h2>Selected event</h2><div id="sel-heading">${escapeHtml(heading)}</div>
<div id="sel-text" class="sel-text mono">${escapeHtml(text)}</div>
<div id="sel-step-label" class="muted">${
    first === undefined ? "" : `Events of step ${failingStep} (the failing step)`
  }</div>
<ul id="sel-step-events" class="step-events">${
    inStep.map((m, i) =>
      `<li class="mono failing${i === 0 ? " on" : ""}" data-index="${m.index}">#${m.step} ${
        escapeHtml(m.text)
      }</li>`
    ).join("")
  }</ul>`;
}

function renderLegend(): string {
  const marks = MARK_COLOURS.map((c) => `<li><i></i>${escapeHtml(c.legend)}</li>`);
  const spans = [
    ["syscall", "in a syscall"],
    ["blocked", "parked"],
    ["queued", "packet in queue"],
    ["request", "request outstanding"],
    ["failing", "failing step"],
  ].map(([k, t]) => `<li class="sw-span sw-${k}"><i></i>${t}</li>`);
  return `<ul class="legend" aria-label="legend">${[...marks, ...spans].join("")}</ul>`;
}

/**
 * Renders a run as one self-contained HTML page.
 *
 * @example
 * ```ts
 * import { parseScenario } from "../scenario/schema.ts";
 * import { runScenario } from "../scenario/interpreter.ts";
 * import { renderTraceHtml } from "./trace_html.ts";
 * const scenario = parseScenario({
 *   pagers: [{ name: "fs" }],
 *   vmos: [{ name: "a", pager: "fs", pages: 1 }],
 *   threads: [{ name: "reader", ops: [{ op: "read", vmo: "a", page: 0 }] }],
 * });
 * const run = runScenario(scenario, { seed: 1 });
 * const html = renderTraceHtml({
 *   title: "one read",
 *   scenario,
 *   entries: run.trace.entries,
 *   verdict: run.verdict,
 *   failingStep: null,
 *   traceHash: run.traceHash,
 * });
 * console.assert(html.includes('data-kind="packet-queued"'));
 * ```
 */
export function renderTraceHtml(input: TraceHtmlInput): string {
  const { title, verdict, failingStep, traceHash } = input;
  const layout = layoutTrace(
    input.entries,
    failingStep,
    input.names?.threads ?? [],
    input.names?.vmos ?? [],
  );
  const pass = verdict.kind === "pass";
  const steps = layout.columns.length === 0 ? 0 : layout.columns[layout.columns.length - 1].step;
  const height = layout.lanes.length * LANE_PX;
  const svgWidth = layout.width + 2 * PAD_PX;
  const facts: [string, string][] = [
    ["steps", String(Math.max(steps, verdict.step))],
    ["events", String(input.entries.length)],
    ["lanes", String(layout.lanes.length)],
    ["failing step", failingStep === null ? "none" : String(failingStep)],
    ["trace hash", traceHash],
  ];
  const log = input.entries.map(({ step }, i) => {
    const m = layout.marks[i];
    return `<div class="log-line mono${
      step === failingStep ? " failing" : ""
    }" data-index="${i}" data-step="${step}">#${step} ${escapeHtml(m.text)}</div>`;
  }).join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pagersim trace: ${escapeHtml(title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<header class="top">
<div class="brand">pagersim trace</div>
<h1 id="title">${escapeHtml(title)}</h1>
<span class="badge ${pass ? "pass" : "fail"}" id="verdict-badge">${escapeHtml(verdict.kind)}</span>
<dl class="facts">${
    facts.map(([k, v]) => `<div><dt>${k}</dt><dd class="mono">${escapeHtml(v)}</dd></div>`).join("")
  }</dl>
</header>
<div class="summary${pass ? " pass" : ""}" id="verdict-line">${
    escapeHtml(describeVerdict(verdict))
  }</div>
<nav class="toolbar">
<button id="zoom-out" type="button" title="zoom out">−</button>
<span id="zoom-level" class="zoom-level">100%</span>
<button id="zoom-in" type="button" title="zoom in">+</button>
<button id="zoom-fit" type="button">Fit</button>
<button id="zoom-reset" type="button">100%</button>
${
    failingStep === null
      ? ""
      : `<button id="go-failing" type="button">Failing step ${failingStep}</button>`
  }
<span class="hint">Ctrl+wheel zooms · click a mark for its event · ← → step through events</span>
</nav>
${renderLegend()}
<div id="timeline" class="timeline">
<div class="tl-grid">
<div class="corner">lane · step</div>
<svg id="axis-svg" class="axis" width="${svgWidth}" height="${AXIS_PX}">${
    renderAxis(layout, failingStep)
  }</svg>
<div class="labels">
${renderLabels(layout.lanes, culprits(verdict, layout.lanes))}
</div>
<svg id="lanes-svg" class="lanes" width="${svgWidth}" height="${height}" data-width="${layout.width}" data-pad="${PAD_PX}" data-label-width="${LABEL_PX}" data-failing-step="${
    failingStep ?? ""
  }" data-lanes="${layout.lanes.length}" data-marks="${layout.marks.length}">
${renderLanes(layout, failingStep)}
</svg>
</div>
</div>
<main class="panels">
<section class="panel" id="verdict-panel"><h2>Verdict</h2>${
    renderVerdict(verdict, traceHash)
  }</section>
<section class="panel" id="details-panel">${renderSelection(layout, failingStep)}</section>
<section class="panel" id="scenario-panel"><h2>Scenario</h2><pre id="scenario-json">${
    escapeHtml(prettyJson(input.scenario))
  }</pre></section>
</main>
<details class="panel log"><summary>Trace text (${input.entries.length} events)</summary>
<div class="log-lines">
${log}
</div>
</details>
<footer>pagersim · self-contained page: no external resources</footer>
<script>${PAGE_JS}</script>
</body>
</html>
`;
}
