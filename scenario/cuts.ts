/**
 * Scenario cuts: candidates one step smaller than a scenario (an event, a whole pager with its
 * VMOs, threads and events, a thread, an operation, pages, a VMO, a pager, a delay removed or
 * lowered, injected allocation failures dropped, the liveness phase brought forward, a VMO's
 * TRAP_DIRTY dropped, fewer service threads), biggest cuts first. The shrink driver (`case/shrink.ts`) tries them in order.
 *
 * @module
 */

import type { Scenario } from "./schema.ts";

/** Scenario candidates one cut smaller than `s`, biggest cuts first. */
export function* scenarioCuts(s: Scenario): Generator<Scenario> {
  const without = <T>(list: readonly T[], i: number) => list.filter((_, j) => j !== i);
  for (let i = 0; i < s.events.length; i++) yield { ...s, events: without(s.events, i) };
  // A whole pager at once: its VMOs, the threads that touch only them and the events that name
  // any of these (one at a time, a cut that leaves the pager's file without its opener, or the
  // opener without its close event, may not fail the same way).
  if (s.pagers.length > 1) {
    for (const p of s.pagers) {
      const vmos = s.vmos.filter((v) => v.pager !== p.name);
      const kept = new Set(vmos.map((v) => v.name));
      const threads = s.threads.filter((t) => t.ops.every((o) => kept.has(o.vmo)));
      if (threads.length === 0) continue;
      const names = new Set([...kept, ...threads.map((t) => t.name)]);
      for (const q of s.pagers) if (q !== p) names.add(q.name);
      yield {
        ...s,
        pagers: s.pagers.filter((q) => q !== p),
        vmos,
        threads,
        events: s.events.filter((e) => names.has(e.target)),
      };
    }
  }
  if (s.threads.length > 1) {
    for (let i = 0; i < s.threads.length; i++) {
      const name = s.threads[i].name;
      yield {
        ...s,
        threads: without(s.threads, i),
        events: s.events.filter((e) =>
          !((e.do === "suspend" || e.do === "kill") && e.target === name)
        ),
      };
    }
  }
  for (let i = 0; i < s.threads.length; i++) {
    const t = s.threads[i];
    for (let j = 0; j < t.ops.length && t.ops.length > 1; j++) {
      yield {
        ...s,
        threads: s.threads.map((x, k) => k === i ? { ...t, ops: without(t.ops, j) } : x),
      };
    }
    for (let j = 0; j < t.ops.length; j++) {
      const op = t.ops[j];
      if (!("pages" in op)) continue;
      const smaller = [
        op.pages > 1 ? { ...op, pages: 1 } : null,
        op.pages > 2 ? { ...op, pages: Math.ceil(op.pages / 2) } : null,
        op.page > 0 ? { ...op, page: 0 } : null,
      ];
      for (const o of smaller) {
        if (o !== null) {
          yield {
            ...s,
            threads: s.threads.map((x, k) =>
              k === i ? { ...t, ops: t.ops.map((y, m) => m === j ? o : y) } : x
            ),
          };
        }
      }
    }
    if (t.failInsteadOfBlock) {
      yield {
        ...s,
        threads: s.threads.map((x, k) => k === i ? { ...t, failInsteadOfBlock: false } : x),
      };
    }
  }
  const used = new Set(s.threads.flatMap((t) => t.ops.map((o) => o.vmo)));
  for (const e of s.events) if (e.do === "detach" || e.do === "closeVmo") used.add(e.target);
  if (s.vmos.length > 1) {
    for (let i = 0; i < s.vmos.length; i++) {
      if (!used.has(s.vmos[i].name)) yield { ...s, vmos: without(s.vmos, i) };
    }
  }
  for (let i = 0; i < s.vmos.length; i++) {
    const v = s.vmos[i];
    const need = Math.max(
      1,
      ...s.threads.flatMap((t) =>
        t.ops.filter((o) => o.vmo === v.name && "pages" in o).map((
          o,
        ) => ("page" in o ? o.page + o.pages : 1))
      ),
    );
    if (v.pages > need) {
      yield {
        ...s,
        vmos: s.vmos.map((x, k) => k === i ? clipLayout({ ...v, pages: need }, s.pageSize) : x),
      };
    }
  }
  // File layouts: all of it, then a hole at a time, then the byte size (a whole file).
  for (let i = 0; i < s.vmos.length; i++) {
    const v = s.vmos[i];
    const set = (x: Scenario["vmos"][number]) => ({
      ...s,
      vmos: s.vmos.map((y, k) => k === i ? x : y),
    });
    if (v.bytes === undefined && v.holes === undefined) continue;
    const { bytes: _b, holes: _h, ...plain } = v;
    yield set(plain);
    const holes = v.holes ?? [];
    for (let j = 0; j < holes.length; j++) {
      const { holes: _, ...rest } = v;
      if (holes.length > 1) yield set({ ...v, holes: without(holes, j) });
      else if (v.bytes !== undefined) yield set(rest); // else: the plain cut above
    }
    if (v.bytes !== undefined && v.holes !== undefined) {
      const { bytes: _, ...rest } = v;
      yield set(rest);
    }
  }
  const pagersUsed = new Set(s.vmos.map((v) => v.pager));
  for (const e of s.events) {
    if (e.do === "closePager" || e.do === "closePort") pagersUsed.add(e.target);
  }
  if (s.pagers.length > 1) {
    for (let i = 0; i < s.pagers.length; i++) {
      if (!pagersUsed.has(s.pagers[i].name)) yield { ...s, pagers: without(s.pagers, i) };
    }
  }
  // One service thread; the shrink driver follows the schedule with the removed threads' picks
  // given to the one left (`case/kinds.ts` `serviceThreadsFollow`). One fewer comes last.
  for (let i = 0; i < s.pagers.length; i++) {
    const p = s.pagers[i];
    if (p.threads > 1) {
      yield { ...s, pagers: s.pagers.map((x, k) => k === i ? { ...p, threads: 1 } : x) };
    }
  }
  for (let i = 0; i < s.events.length; i++) {
    if (s.events[i].notBefore > 0) {
      yield { ...s, events: s.events.map((e, k) => k === i ? { ...e, notBefore: 0 } : e) };
    }
  }
  // No injected allocation failures: their draws gone, the schedule is all thread picks.
  if (s.allocFailPercent !== undefined && s.allocFailPercent > 0) {
    const { allocFailPercent: _, ...rest } = s;
    yield rest;
  }
  // An earlier liveness phase: a lost request shows as a hang as soon as the fair scheduler
  // has nothing left to run, not after the whole adversarial stretch (halved a cut at a time).
  if (s.liveness.afterSteps > 0) {
    yield { ...s, liveness: { ...s.liveness, afterSteps: s.liveness.afterSteps >> 1 } };
  }
  // A VMO without TRAP_DIRTY (a contract saying `trapDirty: "always"` refuses this cut).
  for (let i = 0; i < s.vmos.length; i++) {
    if (s.vmos[i].trapDirty) {
      yield { ...s, vmos: s.vmos.map((x, k) => k === i ? { ...x, trapDirty: false } : x) };
    }
  }
  yield* lifecycleCuts(s);
  // One service thread fewer (a bug that needs two of four keeps two), after every other cut:
  // taken early it would keep a case at two threads that one thread fails later on.
  for (let i = 0; i < s.pagers.length; i++) {
    const p = s.pagers[i];
    if (p.threads > 2) {
      yield {
        ...s,
        pagers: s.pagers.map((x, k) => k === i ? { ...p, threads: p.threads - 1 } : x),
      };
    }
  }
}

/**
 * Files that come and go, one step simpler: a `close` and the `open` after it
 * gone together (one incarnation fewer), or a `startsClosed` file created at
 * setup instead of by its first `open` (a contract whose service opens its
 * own VMOs refuses that one: the shrink driver skips it).
 */
function* lifecycleCuts(s: Scenario): Generator<Scenario> {
  for (let i = 0; i < s.threads.length; i++) {
    const t = s.threads[i];
    for (let j = 0; j < t.ops.length; j++) {
      const op = t.ops[j];
      if (op.op !== "close") continue;
      const k = t.ops.findIndex((o, m) => m > j && o.vmo === op.vmo && o.op === "open");
      if (k < 0) continue;
      const ops = t.ops.filter((_, m) => m !== j && m !== k);
      if (ops.length === 0) continue;
      yield { ...s, threads: s.threads.map((x, m) => m === i ? { ...t, ops } : x) };
    }
  }
  for (let i = 0; i < s.vmos.length; i++) {
    const v = s.vmos[i];
    if (v.startsClosed !== true) continue;
    const { startsClosed: _, ...atSetup } = v;
    const threads = s.threads.map((t) => {
      const j = t.ops.findIndex((o) => o.vmo === v.name && o.op === "open");
      return j < 0 ? t : { ...t, ops: t.ops.filter((_, m) => m !== j) };
    });
    if (threads.some((t) => t.ops.length === 0)) continue;
    yield { ...s, vmos: s.vmos.map((x, k) => k === i ? atSetup : x), threads };
  }
}

/** `v` with its file layout cut to its (smaller) size: the byte size at most the VMO, holes inside it. */
function clipLayout(v: Scenario["vmos"][number], pageSize: number): Scenario["vmos"][number] {
  const size = v.pages * pageSize;
  const out = { ...v };
  if (v.bytes !== undefined) out.bytes = Math.min(v.bytes, size);
  if (v.holes !== undefined) {
    out.holes = v.holes.filter((h) => h.offset < size).map((h) => ({
      offset: h.offset,
      length: Math.min(h.length, size - h.offset),
    }));
  }
  return out;
}
