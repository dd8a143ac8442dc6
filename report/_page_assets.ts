/**
 * The style sheet and the script inlined into every HTML trace. Both are
 * constants: the page's data lives in the markup (`data-*` attributes), so
 * nothing from a trace or a scenario is ever spliced into code.
 *
 * @module
 */

/** Colours of the marks, by kind and variant; the legend is drawn from the same table. */
export const MARK_COLOURS: readonly { selector: string; colour: string; legend: string }[] = [
  { selector: ".k-call", colour: "#2563eb", legend: "syscall call" },
  { selector: ".k-ret.v-ok", colour: "#16a34a", legend: "return ZX_OK" },
  { selector: ".k-ret.v-error", colour: "#dc2626", legend: "return error" },
  { selector: ".k-block", colour: "#475569", legend: "block" },
  { selector: ".k-wake", colour: "#0d9488", legend: "wake" },
  { selector: ".k-request", colour: "#7c3aed", legend: "page request" },
  { selector: ".k-coalesce", colour: "#a78bfa", legend: "joins request" },
  { selector: ".k-resolve", colour: "#059669", legend: "request completed" },
  {
    selector: ".k-resolve.v-cancel, .k-resolve.v-detach",
    colour: "#f97316",
    legend: "request cancelled",
  },
  { selector: ".k-supply", colour: "#22c55e", legend: "page supplied" },
  { selector: ".k-detach", colour: "#be123c", legend: "detach" },
  { selector: ".k-packet-queued", colour: "#f59e0b", legend: "packet queued" },
  { selector: ".k-packet-dequeued", colour: "#b45309", legend: "packet dequeued" },
  { selector: ".v-cmd-complete", colour: "#0891b2", legend: "COMPLETE packet" },
  { selector: ".k-packet-withdrawn", colour: "#94a3b8", legend: "packet withdrawn" },
  { selector: ".k-packet-dropped", colour: "#e11d48", legend: "packet dropped" },
  { selector: ".k-copy, .k-store", colour: "#94a3b8", legend: "read / write bytes" },
  { selector: ".k-page-fault", colour: "#7f1d1d", legend: "fatal page fault" },
  { selector: ".k-thread", colour: "#1e293b", legend: "thread exits / killed" },
];

const MARK_CSS = MARK_COLOURS.map((c) =>
  c.selector.split(", ").map((s) => `.mark${s}`).join(", ") + ` { fill: ${c.colour}; }`
).join("\n");

const LEGEND_CSS = MARK_COLOURS.map((_, i) =>
  `.legend li:nth-child(${i + 1}) i { background: ${MARK_COLOURS[i].colour}; }`
).join("\n");

/** The page's style sheet. */
export const PAGE_CSS = `
:root {
  --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --bg: #f1f5f9; --panel: #ffffff;
  --fail: #dc2626; --label-w: 220px; --accent: #2563eb;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 14px; color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
header.top { background: #0f172a; color: #f8fafc; padding: 14px 24px; display: flex; flex-wrap: wrap; align-items: center; gap: 8px 18px; }
header.top .brand { font-weight: 600; letter-spacing: .04em; text-transform: uppercase; font-size: 11px; color: #94a3b8; }
header.top h1 { font-size: 17px; font-weight: 600; margin: 0; flex: 1 1 320px; overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 3px 10px; border-radius: 999px; font-weight: 700; font-size: 12px; letter-spacing: .05em; text-transform: uppercase; }
.badge.pass { background: #dcfce7; color: #166534; }
.badge.fail { background: #fee2e2; color: #991b1b; }
.facts { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 0; font-size: 12.5px; color: #cbd5e1; }
.facts div { display: flex; gap: 6px; } .facts dt { color: #94a3b8; } .facts dd { margin: 0; color: #f8fafc; }
.summary { margin: 14px 24px 0; padding: 10px 14px; border-radius: 8px; background: var(--panel); border: 1px solid var(--line); border-left: 4px solid var(--fail); overflow-wrap: anywhere; }
.summary.pass { border-left-color: #16a34a; }
.toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 14px; margin: 12px 24px 8px; }
.toolbar button { font: inherit; font-size: 13px; padding: 4px 10px; border: 1px solid #cbd5e1; border-radius: 6px; background: #fff; color: var(--ink); cursor: pointer; }
.toolbar button:hover { background: #f8fafc; border-color: #94a3b8; }
.toolbar .zoom-level { min-width: 48px; text-align: center; color: var(--muted); font-variant-numeric: tabular-nums; }
.toolbar .hint { color: var(--muted); font-size: 12px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 12px; list-style: none; margin: 0 24px 10px; padding: 0; font-size: 12px; color: #334155; }
.legend li { display: flex; align-items: center; gap: 5px; }
.legend i { display: inline-block; width: 9px; height: 14px; border-radius: 2px; }
.legend .sw-span i { width: 18px; height: 12px; border-radius: 2px; }
.legend .sw-syscall i { background: #dbeafe; border: 1px solid #93c5fd; }
.legend .sw-blocked i { background: repeating-linear-gradient(135deg, #cbd5e1 0 2px, #f1f5f9 2px 5px); border: 1px solid #94a3b8; }
.legend .sw-queued i { background: #fde68a; }
.legend .sw-request i { background: #ddd6fe; }
.legend .sw-failing i { background: rgba(220, 38, 38, .18); border: 1px solid var(--fail); }
${LEGEND_CSS}
.timeline { margin: 0 24px; max-height: 64vh; overflow: auto; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; position: relative; }
.tl-grid { display: grid; grid-template-columns: var(--label-w) max-content; width: max-content; }
.lanes.dense .link:not(.on), .lanes.dense .col-shade { display: none; }
.corner { position: sticky; top: 0; left: 0; z-index: 4; background: #f8fafc; border-bottom: 1px solid var(--line); border-right: 1px solid var(--line); font-size: 11px; color: var(--muted); padding: 8px 10px; text-transform: uppercase; letter-spacing: .05em; }
.axis { position: sticky; top: 0; z-index: 3; background: #f8fafc; border-bottom: 1px solid var(--line); display: block; }
.axis text { font-size: 10.5px; fill: var(--muted); font-variant-numeric: tabular-nums; }
.axis line { stroke: #cbd5e1; }
.axis .tick.failing text { fill: var(--fail); font-weight: 700; }
.axis .tick.failing line { stroke: var(--fail); }
.labels { position: sticky; left: 0; z-index: 2; background: var(--panel); border-right: 1px solid var(--line); }
.lane-label { display: flex; flex-direction: column; justify-content: center; padding: 0 10px 0 12px; border-bottom: 1px solid #f1f5f9; border-left: 4px solid transparent; overflow: hidden; white-space: nowrap; }
.lane-label .main { font-weight: 600; font-size: 12.5px; overflow: hidden; text-overflow: ellipsis; }
.lane-label .sub { font-size: 11px; color: var(--muted); overflow: hidden; text-overflow: ellipsis; }
.lane-label.thread.workload { border-left-color: #2563eb; }
.lane-label.thread.service { border-left-color: #0d9488; }
.lane-label.thread.env { border-left-color: #d97706; }
.lane-label.thread.setup { border-left-color: #cbd5e1; }
.lane-label.vmo { border-left-color: #7c3aed; }
.lane-label.port { border-left-color: #f59e0b; }
.lane-label.culprit { background: #fef2f2; }
.lane-label.culprit .main { color: #991b1b; }
.lane-label .flag { display: inline-block; margin-left: 6px; padding: 0 5px; border-radius: 4px; background: #fee2e2; color: #991b1b; font-size: 10px; font-weight: 700; vertical-align: 1px; }
.lane-label.waiting .flag { background: #e2e8f0; color: #334155; }
.lanes { display: block; }
.lane-bg { fill: #ffffff; } .lane-bg.alt { fill: #fafbfc; }
.lane-sep { stroke: #f1f5f9; }
.col-shade { fill: #f1f5f9; opacity: .55; }
.failing-band { fill: rgba(220, 38, 38, .13); stroke: var(--fail); stroke-width: 1; vector-effect: non-scaling-stroke; }
.span { cursor: pointer; }
.span.s-syscall { fill: #dbeafe; stroke: #93c5fd; stroke-width: 1; vector-effect: non-scaling-stroke; }
.span.s-blocked { fill: url(#hatch); stroke: #94a3b8; stroke-width: 1; vector-effect: non-scaling-stroke; }
.span.s-queued { fill: #fde68a; opacity: .55; }
.span.s-request { fill: #ddd6fe; opacity: .7; }
.span.open { stroke-dasharray: 4 3; }
.link { stroke: #64748b; stroke-width: 1; opacity: .28; vector-effect: non-scaling-stroke; pointer-events: none; }
.link.on { stroke: var(--accent); opacity: 1; stroke-width: 1.5; }
.mark { cursor: pointer; }
.mark:hover { stroke: #0f172a; stroke-width: 1.5; vector-effect: non-scaling-stroke; }
${MARK_CSS}
.mark.k-copy, .mark.k-store, .mark.k-thread { opacity: .85; }
.mark.failing { stroke: var(--fail); stroke-width: 2.5; vector-effect: non-scaling-stroke; }
.mark.selected { stroke: #0f172a; stroke-width: 3; vector-effect: non-scaling-stroke; }
.panels { display: grid; grid-template-columns: minmax(260px, 1fr) minmax(300px, 1.3fr) minmax(300px, 1.3fr); gap: 14px; margin: 14px 24px; align-items: start; }
@media (max-width: 1100px) { .panels { grid-template-columns: 1fr; } }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; min-width: 0; }
.panel h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 0 0 8px; font-weight: 600; }
.panel pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 48vh; overflow: auto; background: #f8fafc; border: 1px solid #f1f5f9; border-radius: 6px; padding: 8px 10px; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 0; }
.kv dt { color: var(--muted); } .kv dd { margin: 0; overflow-wrap: anywhere; }
.verdict-kind { font-size: 16px; font-weight: 700; margin-bottom: 6px; }
.verdict-kind.fail { color: #991b1b; } .verdict-kind.pass { color: #166534; }
.blocked-list { margin: 6px 0 0; padding-left: 18px; } .blocked-list li { margin: 2px 0; }
.sel-text { font-size: 13px; padding: 8px 10px; background: #f8fafc; border-radius: 6px; border: 1px solid #f1f5f9; overflow-wrap: anywhere; margin: 6px 0 10px; }
.step-events { list-style: none; margin: 0; padding: 0; max-height: 34vh; overflow: auto; }
.step-events li { padding: 2px 6px; border-radius: 4px; cursor: pointer; white-space: pre-wrap; overflow-wrap: anywhere; }
.step-events li:hover { background: #f1f5f9; }
.step-events li.on { background: #dbeafe; }
.step-events li.failing, .log-line.failing { color: #991b1b; }
.muted { color: var(--muted); }
details.log { margin: 0 24px 14px; }
details.log summary { cursor: pointer; font-weight: 600; font-size: 13px; }
.log-lines { margin-top: 8px; max-height: 50vh; overflow: auto; }
.log-line { white-space: pre; padding: 0 6px; cursor: pointer; line-height: 1.55; }
.log-line:hover { background: #f1f5f9; } .log-line.on { background: #dbeafe; }
.log-line.failing { background: #fef2f2; }
footer { margin: 0 24px 20px; color: var(--muted); font-size: 12px; }
`;

/** The page's script: zoom, selection, keyboard stepping. Reads only `data-*` attributes. */
export const PAGE_JS = `
(function () {
  "use strict";
  var byId = function (id) { return document.getElementById(id); };
  var scroller = byId("timeline"), lanesSvg = byId("lanes-svg"), axisSvg = byId("axis-svg");
  var zoomG = byId("zoom-g");
  if (!scroller || !lanesSvg || !axisSvg || !zoomG) return;
  var baseW = Number(lanesSvg.getAttribute("data-width"));
  var pad = Number(lanesSvg.getAttribute("data-pad"));
  var labelW = Number(lanesSvg.getAttribute("data-label-width"));
  var failing = lanesSvg.getAttribute("data-failing-step");
  var ticks = Array.prototype.slice.call(axisSvg.querySelectorAll(".tick"));
  var marks = Array.prototype.slice.call(lanesSvg.querySelectorAll(".mark"));
  var links = {};
  Array.prototype.forEach.call(lanesSvg.querySelectorAll(".link"), function (l) {
    links[l.getAttribute("data-index")] = l;
  });
  var logLines = Array.prototype.slice.call(document.querySelectorAll(".log-line"));
  var laneNames = {};
  Array.prototype.forEach.call(document.querySelectorAll(".lane-label"), function (l) {
    var main = l.querySelector(".main");
    laneNames[l.getAttribute("data-lane")] = main ? main.firstChild.textContent : l.getAttribute("data-lane");
  });
  var laneName = function (el) { return laneNames[el.getAttribute("data-lane")] || el.getAttribute("data-lane"); };
  var zoom = 1;
  var NICE = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];

  function layoutTicks() {
    var steps = ticks.length;
    var perStep = steps ? (baseW * zoom) / steps : 1;
    var every = NICE[NICE.length - 1];
    for (var i = 0; i < NICE.length; i++) { if (NICE[i] * perStep >= 48) { every = NICE[i]; break; } }
    var last = -1e9;
    ticks.forEach(function (t) {
      var x = pad + Number(t.getAttribute("data-x")) * zoom;
      t.setAttribute("transform", "translate(" + x.toFixed(1) + ",0)");
      var isFailing = t.classList.contains("failing");
      var show = isFailing || (Number(t.getAttribute("data-step")) % every === 0 && x - last >= 40);
      t.style.display = show ? "" : "none";
      if (show) last = x;
    });
  }

  function viewWidth() { return Math.max(50, scroller.clientWidth - labelW); }

  function setZoom(z, anchorOffset) {
    z = Math.max(0.02, Math.min(8, z));
    var anchor = anchorOffset === undefined ? viewWidth() / 2 : anchorOffset;
    var contentX = (scroller.scrollLeft + anchor - pad) / zoom;
    zoom = z;
    var w = Math.ceil(baseW * z + 2 * pad);
    lanesSvg.setAttribute("width", String(w));
    axisSvg.setAttribute("width", String(w));
    zoomG.setAttribute("transform", "translate(" + pad + ",0) scale(" + z + ",1)");
    lanesSvg.classList.toggle("dense", z < 0.6);
    layoutTicks();
    scroller.scrollLeft = Math.max(0, contentX * z + pad - anchor);
    var level = byId("zoom-level");
    if (level) level.textContent = (z * 100 < 10 ? (z * 100).toFixed(1) : Math.round(z * 100)) + "%";
  }

  function fit() { setZoom(Math.min(2.5, (viewWidth() - 2 * pad) / baseW), 0); scroller.scrollLeft = 0; }

  function scrollToX(x0) {
    var x = pad + x0 * zoom;
    var left = scroller.scrollLeft, view = viewWidth();
    if (x < left + 20 || x > left + view - 20) scroller.scrollLeft = Math.max(0, x - view / 2);
  }

  var byStep = {};
  marks.forEach(function (m) {
    var step = m.getAttribute("data-step");
    (byStep[step] = byStep[step] || []).push(m);
  });
  function stepEventsOf(step) { return byStep[step] || []; }

  var selected = null;
  function select(mark, scroll) {
    if (selected) {
      selected.classList.remove("selected");
      var ol = links[selected.getAttribute("data-index")];
      if (ol) ol.classList.remove("on");
    }
    logLines.forEach(function (l) { l.classList.remove("on"); });
    selected = mark;
    if (!mark) return;
    mark.classList.add("selected");
    var index = mark.getAttribute("data-index"), step = mark.getAttribute("data-step");
    var link = links[index];
    if (link) link.classList.add("on");
    var title = mark.querySelector("title");
    byId("sel-heading").textContent = "Step " + step + " \\u00b7 event " + index + " \\u00b7 " +
      mark.getAttribute("data-kind") + " on " + laneName(mark);
    byId("sel-text").textContent = title ? title.textContent : "";
    var list = byId("sel-step-events");
    while (list.firstChild) list.removeChild(list.firstChild);
    byId("sel-step-label").textContent = "Events of step " + step + (step === failing ? " (the failing step)" : "");
    stepEventsOf(step).forEach(function (m) {
      var li = document.createElement("li");
      li.className = "mono" + (m === mark ? " on" : "") + (m.classList.contains("failing") ? " failing" : "");
      var t = m.querySelector("title");
      li.textContent = t ? t.textContent : "";
      li.setAttribute("data-index", m.getAttribute("data-index"));
      li.addEventListener("click", function () { select(m, true); });
      list.appendChild(li);
    });
    var line = logLines[Number(index)];
    if (line) {
      line.classList.add("on");
      var box = line.parentNode;
      if (box && box.offsetParent !== null) box.scrollTop = line.offsetTop - box.offsetTop - box.clientHeight / 2;
    }
    if (scroll) scrollToX(Number(mark.getAttribute("data-x")));
  }

  function showSpan(span) {
    select(null);
    byId("sel-heading").textContent = span.getAttribute("data-span") + " span on " + laneName(span);
    var title = span.querySelector("title");
    byId("sel-text").textContent = title ? title.textContent : "";
  }

  lanesSvg.addEventListener("click", function (ev) {
    var t = ev.target;
    if (t && t.classList) {
      if (t.classList.contains("mark")) select(t, false);
      else if (t.classList.contains("span")) showSpan(t);
    }
  });
  logLines.forEach(function (l) {
    l.addEventListener("click", function () {
      var m = marks[Number(l.getAttribute("data-index"))];
      if (m) select(m, true);
    });
  });
  document.addEventListener("keydown", function (ev) {
    if (!selected || (ev.key !== "ArrowLeft" && ev.key !== "ArrowRight")) return;
    var i = Number(selected.getAttribute("data-index")) + (ev.key === "ArrowRight" ? 1 : -1);
    if (i >= 0 && i < marks.length) { ev.preventDefault(); select(marks[i], true); }
  });
  scroller.addEventListener("wheel", function (ev) {
    if (!(ev.ctrlKey || ev.metaKey)) return;
    ev.preventDefault();
    var rect = scroller.getBoundingClientRect();
    setZoom(zoom * (ev.deltaY < 0 ? 1.25 : 0.8), ev.clientX - rect.left - labelW);
  }, { passive: false });

  function goFailing() {
    var band = lanesSvg.querySelector(".failing-band");
    if (!band) return;
    var x = Number(band.getAttribute("data-x"));
    scroller.scrollLeft = Math.max(0, pad + x * zoom - viewWidth() / 2);
    var first = lanesSvg.querySelector(".mark.failing");
    if (first) select(first, false);
  }
  var bind = function (id, fn) { var b = byId(id); if (b) b.addEventListener("click", fn); };
  bind("zoom-in", function () { setZoom(zoom * 1.5); });
  bind("zoom-out", function () { setZoom(zoom / 1.5); });
  bind("zoom-fit", fit);
  bind("zoom-reset", function () { setZoom(1); });
  bind("go-failing", goFailing);

  fit();
  if (zoom < 0.3) setZoom(0.3, 0);
  goFailing();
  document.body.setAttribute("data-ready", "true");
})();
`;
