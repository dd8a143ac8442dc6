/**
 * Where each trace event goes on the swimlane timeline: one lane per thread,
 * port and VMO; one column per step, one slot per event of that step (so the
 * order inside an atomic step stays visible); and the spans between events
 * (a syscall from call to return, a thread parked from block to wake, a
 * packet from queued to dequeued, a page request from creation to resolution).
 *
 * @module
 */

import { present } from "../kernel/assert.ts";
import { statusName, ZX_OK, ZX_PAGER_VMO_COMPLETE } from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import { formatEvent, threadLabel, type TraceEntry } from "../sim/trace.ts";

/** A thread as the world names it, for its lane label. */
export interface ThreadName {
  /** The simulated thread id (`t2` in the trace). */
  readonly tid: number;
  /** The thread's name (`reader`, `fs.svc`, `env0.detach(file)`). */
  readonly name: string;
  /** workload | service | env: orders the lanes and colours the label. */
  readonly role: string;
}

/** A pager-backed VMO as the scenario names it, for its lane label. */
export interface VmoName {
  /** The VMO's koid (`vmo1005` in the trace). */
  readonly koid: number;
  /** Its name in the scenario. */
  readonly name: string;
}

/** Width of one event slot at zoom 1, in pixels. */
export const SLOT_PX = 10;
/** Space between two step columns at zoom 1, in pixels. */
export const COLUMN_GAP_PX = 4;

/** What a lane stands for. */
export type LaneKind = "thread" | "port" | "vmo" | "kernel";

/** One horizontal lane. */
export interface Lane {
  /** Stable id, also the `data-lane` attribute: `t2`, `port1004`, `vmo1005`, `kernel`. */
  readonly id: string;
  readonly kind: LaneKind;
  /** The tid or koid. */
  readonly key: number;
  /** First line of the label, e.g. `t2 reader`. */
  readonly label: string;
  /** Second line: the role, the VMO name, the VMOs a port carries. */
  readonly detail: string;
  /** workload | service | env | setup for threads; the lane kind otherwise. */
  readonly role: string;
}

/** One step's column. */
export interface Column {
  readonly step: number;
  /** Left edge at zoom 1, in pixels. */
  readonly x: number;
  /** Width at zoom 1, in pixels (one slot per event, at least one). */
  readonly width: number;
}

/** One event's mark. */
export interface Mark {
  /** Index of the event in the trace. */
  readonly index: number;
  readonly step: number;
  readonly lane: string;
  /** Left edge at zoom 1, in pixels. */
  readonly x: number;
  readonly kind: KernelEvent["k"];
  /** The event's trace line (without the step). */
  readonly text: string;
  /** A refinement of the kind that picks the colour: `error`, `cmd-complete`, `cancel`, `kept`. */
  readonly variant: string;
  /** The other lane the event concerns (the requesting thread, the packet's VMO), if drawn. */
  readonly link: string | null;
  /** Extra `data-*` attributes (name to value). */
  readonly data: Readonly<Record<string, string>>;
}

/** What a span shows. */
export type SpanKind = "syscall" | "blocked" | "queued" | "request";

/** An interval on one lane between two events. */
export interface Span {
  readonly kind: SpanKind;
  readonly lane: string;
  readonly x0: number;
  readonly x1: number;
  readonly fromStep: number;
  /** The step it ended in, or null when it was still open at the end of the trace. */
  readonly toStep: number | null;
  readonly text: string;
}

/** The whole picture at zoom 1. */
export interface TraceLayout {
  readonly lanes: readonly Lane[];
  readonly columns: readonly Column[];
  readonly marks: readonly Mark[];
  readonly spans: readonly Span[];
  /** Total width at zoom 1, in pixels. */
  readonly width: number;
}

const ROLE_ORDER: Record<string, number> = { workload: 0, service: 3, env: 4, setup: 5 };

function tidOf(e: KernelEvent): number | null {
  return "tid" in e ? e.tid : null;
}

/** The lane an event is drawn on. */
function laneOf(e: KernelEvent): string {
  switch (e.k) {
    case "request":
    case "coalesce":
    case "resolve":
    case "supply":
    case "detach":
      return `vmo${e.vmo}`;
    case "packet-queued":
    case "packet-dequeued":
    case "packet-withdrawn":
    case "packet-dropped":
      return `port${e.port}`;
  }
  // Structural fallback, so kinds added to the kernel later still land on a lane.
  const other = e as { tid?: unknown; vmo?: unknown };
  if (typeof other.tid === "number") return `t${other.tid}`;
  if (typeof other.vmo === "number") return `vmo${other.vmo}`;
  return "kernel";
}

/** The second lane an event concerns, before checking that it exists. */
function linkOf(e: KernelEvent): string | null {
  switch (e.k) {
    case "request":
    case "coalesce":
    case "packet-dequeued":
      return `t${e.tid}`;
    case "packet-queued":
    case "packet-withdrawn":
    case "packet-dropped":
    case "copy":
    case "store":
    case "page-fault":
      return `vmo${e.vmo}`;
    default:
      return null;
  }
}

function variantOf(e: KernelEvent): string {
  switch (e.k) {
    case "ret":
      return e.status === ZX_OK ? "ok" : "error";
    case "wake":
      return e.status === ZX_OK ? "ok" : "error";
    case "resolve":
      return e.how;
    case "supply":
      return e.inserted ? "inserted" : "kept";
    case "packet-queued":
    case "packet-dequeued":
      return e.packet.command === ZX_PAGER_VMO_COMPLETE ? "cmd-complete" : "cmd-read";
    case "thread":
      return e.what;
    default:
      return "";
  }
}

function dataOf(e: KernelEvent): Record<string, string> {
  const d: Record<string, string> = {};
  const tid = tidOf(e);
  if (tid !== null) d.tid = String(tid);
  if ("vmo" in e) d.vmo = String(e.vmo);
  if ("port" in e) d.port = String(e.port);
  if (e.k === "call" || e.k === "ret") d.syscall = e.name;
  if (e.k === "ret" || e.k === "wake") d.status = statusName(e.status);
  if (e.k === "packet-queued" || e.k === "packet-dequeued") {
    d.command = e.packet.command === ZX_PAGER_VMO_COMPLETE ? "COMPLETE" : "READ";
  }
  if ("id" in e) d.id = String(e.id);
  return d;
}

/** Sorts thread lanes by role (workload first), then tid. */
function threadLanes(tids: Iterable<number>, names: readonly ThreadName[]): Lane[] {
  const byTid = new Map(names.map((n) => [n.tid, n]));
  const lanes: Lane[] = [];
  for (const tid of tids) {
    const n = byTid.get(tid);
    const role = n?.role ?? (tid === 0 ? "setup" : "thread");
    const name = n?.name ?? (tid === 0 ? "setup" : "");
    lanes.push({
      id: `t${tid}`,
      kind: "thread",
      key: tid,
      label: name ? threadLabel(tid, name) : `t${tid}`,
      detail: role,
      role,
    });
  }
  return lanes.sort((a, b) =>
    (ROLE_ORDER[a.role] ?? 2) - (ROLE_ORDER[b.role] ?? 2) || a.key - b.key
  );
}

/**
 * Lays out a trace. Lanes: workload threads, VMOs, ports, services,
 * environment threads, then the setup thread, so a fault reads top to bottom
 * as thread, VMO, port, service.
 */
export function layoutTrace(
  entries: readonly TraceEntry[],
  failingStep: number | null,
  threads: readonly ThreadName[] = [],
  vmos: readonly VmoName[] = [],
): TraceLayout {
  const tids = new Set<number>(threads.map((t) => t.tid));
  const vmoKoids = new Set<number>(vmos.map((v) => v.koid));
  const ports = new Map<number, Set<number>>();
  let kernelLane = false;
  for (const { event: e } of entries) {
    const lane = laneOf(e);
    if (lane.startsWith("t")) tids.add((e as { tid: number }).tid);
    if (lane.startsWith("vmo")) vmoKoids.add((e as { vmo: number }).vmo);
    if (lane === "kernel") kernelLane = true;
    if ("port" in e) {
      if (!ports.has(e.port)) ports.set(e.port, new Set());
      if (e.vmo >= 0) {
        present(ports.get(e.port), () => `trace layout: port ${e.port}'s VMO set`).add(e.vmo);
        vmoKoids.add(e.vmo);
      }
    }
  }
  const vmoName = new Map(vmos.map((v) => [v.koid, v.name]));
  const nameOfVmo = (koid: number) => vmoName.get(koid) ?? `vmo ${koid}`;
  const all = threadLanes([...tids].sort((a, b) => a - b), threads);
  const vmoLanes: Lane[] = [...vmoKoids].sort((a, b) => a - b).map((koid) => ({
    id: `vmo${koid}`,
    kind: "vmo",
    key: koid,
    label: `vmo ${koid}`,
    detail: vmoName.get(koid) ?? "pager-backed",
    role: "vmo",
  }));
  const portLanes: Lane[] = [...ports.keys()].sort((a, b) => a - b).map((koid) => ({
    id: `port${koid}`,
    kind: "port",
    key: koid,
    label: `port ${koid}`,
    detail: `for ${
      [...present(ports.get(koid), () => `trace layout: port ${koid}'s VMO set`)]
        .sort((a, b) => a - b).map(nameOfVmo).join(", ")
    }`,
    role: "port",
  }));
  const split = all.findIndex((l) => l.role !== "workload");
  const at = split < 0 ? all.length : split;
  const lanes = [...all.slice(0, at), ...vmoLanes, ...portLanes, ...all.slice(at)];
  if (kernelLane) {
    lanes.push({
      id: "kernel",
      kind: "kernel",
      key: 0,
      label: "kernel",
      detail: "",
      role: "kernel",
    });
  }
  const laneIds = new Set(lanes.map((l) => l.id));

  // Columns: one per step that has events, plus the failing step even when it has none.
  const perStep = new Map<number, number>();
  for (const { step } of entries) perStep.set(step, (perStep.get(step) ?? 0) + 1);
  if (failingStep !== null && !perStep.has(failingStep)) perStep.set(failingStep, 0);
  const columns: Column[] = [];
  const columnOf = new Map<number, Column>();
  let x = 0;
  for (const step of [...perStep.keys()].sort((a, b) => a - b)) {
    const events = present(perStep.get(step), () => `trace layout: step ${step}'s event count`);
    const c = { step, x, width: Math.max(1, events) * SLOT_PX };
    columns.push(c);
    columnOf.set(step, c);
    x += c.width + COLUMN_GAP_PX;
  }
  // One slot past the last column: a thread that blocks in the last event still shows its span.
  const width = Math.max(x - COLUMN_GAP_PX, SLOT_PX) + SLOT_PX;

  const marks: Mark[] = [];
  const spans: Span[] = [];
  const openCall = new Map<number, { x: number; step: number; text: string }>();
  const openBlock = new Map<number, { x: number; step: number; text: string }>();
  const queued = new Map<string, { x: number; step: number; text: string }[]>();
  const requests = new Map<string, { x: number; step: number; text: string }>();
  let slot = 0;
  let lastStep = -1;
  entries.forEach(({ step, event: e }, index) => {
    slot = step === lastStep ? slot + 1 : 0;
    lastStep = step;
    const mx = present(columnOf.get(step), () => `trace layout: step ${step}'s column`).x +
      slot * SLOT_PX;
    const lane = laneOf(e);
    const text = formatEvent(e).trim();
    const link = linkOf(e);
    marks.push({
      index,
      step,
      lane,
      x: mx,
      kind: e.k,
      text,
      variant: variantOf(e),
      link: link !== null && link !== lane && laneIds.has(link) ? link : null,
      data: dataOf(e),
    });

    const tid = tidOf(e);
    if (tid !== null && e.k !== "block") {
      const b = openBlock.get(tid);
      if (b !== undefined) {
        openBlock.delete(tid);
        spans.push({
          kind: "blocked",
          lane: `t${tid}`,
          x0: b.x,
          x1: mx,
          fromStep: b.step,
          toStep: step,
          text: `${b.text} (steps ${b.step}-${step})`,
        });
      }
    }
    switch (e.k) {
      case "call": {
        closeCall(e.tid, mx, step, "(no return)");
        openCall.set(e.tid, { x: mx, step, text });
        break;
      }
      case "ret":
        closeCall(e.tid, mx + SLOT_PX, step, `-> ${statusName(e.status)}`);
        break;
      case "thread":
      case "page-fault":
        if (e.k === "page-fault" || e.what === "killed" || e.what === "exited") {
          closeCall(
            e.tid,
            mx + SLOT_PX,
            step,
            `(ended: ${e.k === "thread" ? e.what : "page fault"})`,
          );
        }
        break;
      case "block":
        openBlock.set(e.tid, { x: mx + SLOT_PX, step, text });
        break;
      case "packet-queued": {
        // A pager proxy has at most one packet queued per VMO, and dequeues carry no request id.
        const key = `${e.port}:${e.vmo}`;
        if (!queued.has(key)) queued.set(key, []);
        present(queued.get(key), () => `trace layout: queue ${key}`).push({
          x: mx + SLOT_PX,
          step,
          text,
        });
        break;
      }
      case "packet-dequeued":
      case "packet-withdrawn":
      case "packet-dropped": {
        const q = queued.get(`${e.port}:${e.vmo}`)?.shift();
        if (q !== undefined) {
          spans.push({
            kind: "queued",
            lane,
            x0: q.x,
            x1: mx,
            fromStep: q.step,
            toStep: step,
            text: `${q.text}, in the queue until ${text} (steps ${q.step}-${step})`,
          });
        }
        break;
      }
      case "request":
        requests.set(`${e.vmo}:${e.id}`, { x: mx, step, text });
        break;
      case "resolve": {
        const key = `${e.vmo}:${e.id}`;
        const r = requests.get(key);
        if (r !== undefined) {
          requests.delete(key);
          spans.push({
            kind: "request",
            lane,
            x0: r.x,
            x1: mx + SLOT_PX,
            fromStep: r.step,
            toStep: step,
            text: `${r.text}, until ${text} (steps ${r.step}-${step})`,
          });
        }
        break;
      }
    }
  });

  function closeCall(tid: number, x1: number, step: number, how: string): void {
    const c = openCall.get(tid);
    if (c === undefined) return;
    openCall.delete(tid);
    spans.push({
      kind: "syscall",
      lane: `t${tid}`,
      x0: c.x,
      x1,
      fromStep: c.step,
      toStep: step,
      text: `${c.text} ${how} (steps ${c.step}-${step})`,
    });
  }

  const open = (kind: SpanKind, lane: string, o: { x: number; step: number; text: string }) =>
    spans.push({
      kind,
      lane,
      x0: o.x,
      x1: width,
      fromStep: o.step,
      toStep: null,
      text: `${o.text} (from step ${o.step}, still open at the end)`,
    });
  for (const [tid, c] of openCall) open("syscall", `t${tid}`, c);
  for (const [tid, b] of openBlock) open("blocked", `t${tid}`, b);
  for (const [key, list] of queued) {
    for (const q of list) open("queued", `port${key.split(":")[0]}`, q);
  }
  for (const [key, r] of requests) open("request", `vmo${key.split(":")[0]}`, r);

  return { lanes, columns, marks, spans, width };
}
