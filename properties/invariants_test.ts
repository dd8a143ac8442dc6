// No checker is vacuous: each kernel mutant (or broken service) below makes exactly its invariant fire.
import { strict as nodeAssert } from "node:assert";

const assert = (c: unknown, m?: string) => nodeAssert.ok(c, m);
const assertEquals = (a: unknown, b: unknown, m?: string) => nodeAssert.deepStrictEqual(a, b, m);
const assertStringIncludes = (s: string, part: string) =>
  nodeAssert.ok(s.includes(part), `expected "${part}" in:\n${s}`);
import {
  type Status,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_IO,
  ZX_ERR_IO_DATA_INTEGRITY,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_TIMED_OUT,
  ZX_INFO_VMO_PAGER_BACKED,
  ZX_OBJ_TYPE_PORT,
  ZX_OK,
  ZX_PAGER_OP_FAIL,
} from "../kernel/constants.ts";
import type { EventSink, KernelEvent, PagePacket, SlotKind } from "../kernel/events.ts";
import { Kernel, type KernelYield, type Syscall, type VmoInfo } from "../kernel/kernel.ts";
import { MARKER, type Page, slotKind, type Vmo } from "../kernel/objects.ts";
import { PageSource, type RequestType, type Waiter } from "../kernel/page_source.ts";
import { PagerProxy } from "../kernel/pager_proxy.ts";
import { Port } from "../kernel/port.ts";
import { parseScenario, type ScenarioInput } from "../scenario/schema.ts";
import { BUGGY_SERVICES } from "../zoo/buggy_services.ts";
import { checkCase } from "./check_case.ts";
import { type CheckerSet, checkersOf } from "../case/kinds.ts";
import { formatFailure } from "./failure_report.ts";
import { programMonitors, runProgram } from "../program/run.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/** Replaces `obj[key]` until the returned function restores it. */
function patch<T extends object>(obj: T, key: keyof T, make: (orig: Any) => Any): () => void {
  const orig = obj[key];
  obj[key] = make(orig);
  return () => {
    obj[key] = orig;
  };
}

/** Wraps a kernel syscall: `before` runs after its scheduling point, `after` on its result. */
function wrapSyscall(
  name: keyof Kernel,
  hooks: {
    before?: (k: Kernel, args: Any[]) => unknown;
    after?: (k: Kernel, args: Any[], result: Any, state: Any) => Any;
    sink?: (real: EventSink, args: Any[], state: Any) => EventSink | undefined;
  },
): () => void {
  return patch(
    Kernel.prototype,
    name,
    (orig) =>
      function* (this: Kernel, ...args: Any[]): Syscall<unknown> {
        const g = orig.apply(this, args) as Syscall<unknown>;
        let r = g.next();
        if (!r.done) yield r.value as KernelYield;
        const state = hooks.before?.(this, args);
        const k = this as unknown as { sink: EventSink };
        const saved = k.sink;
        k.sink = hooks.sink?.(saved, args, state) ?? saved;
        try {
          r = g.next();
          while (!r.done) {
            yield r.value;
            r = g.next();
          }
        } finally {
          k.sink = saved;
        }
        return hooks.after ? hooks.after(this, args, r.value, state) : r.value;
      },
  );
}

const BASE = { pageSize: 64, maxSteps: 5000, liveness: { afterSteps: 300, bound: 2000 } };

interface Expect {
  readonly invariant: string;
  readonly code: string;
  readonly checkers?: CheckerSet;
}

/** Runs `scenario` over seeds: clean it passes; mutated, the first failure is exactly `want`. */
function expectFires(
  scenario: ScenarioInput,
  mutate: (() => () => void) | null,
  want: Expect,
  seeds = 40,
): void {
  const s = parseScenario({ ...BASE, ...scenario });
  const checkers = checkersOf(want.checkers ?? "kernel");
  const services = BUGGY_SERVICES;
  if (mutate !== null) {
    for (let seed = 0; seed < 5; seed++) {
      const clean = checkCase({ scenario: s, decisions: [], seed }, {
        monitors: checkersOf("kernel"),
        services,
      });
      assertEquals(
        clean.verdict.kind,
        "pass",
        `unmutated seed ${seed}: ${JSON.stringify(clean.verdict)}`,
      );
    }
  }
  const restore = mutate?.() ?? (() => {});
  try {
    for (let seed = 0; seed < seeds; seed++) {
      const r = checkCase({ scenario: s, decisions: [], seed }, { monitors: checkers, services });
      if (r.verdict.kind === "pass") continue;
      assertEquals(r.verdict.kind, "invariant", JSON.stringify(r.verdict));
      if (r.verdict.kind !== "invariant") return;
      assertEquals(r.verdict.invariant, want.invariant, r.verdict.message);
      assert(
        r.verdict.message.startsWith(`${want.code}:`),
        `expected ${want.code}, got ${r.verdict.message}`,
      );
      return;
    }
    throw new Error(`no seed below ${seeds} made ${want.invariant} fire`);
  } finally {
    restore();
  }
}

const ONE_PAGER = { pagers: [{ name: "fs" }] };
const reader = (name: string, page: number, pages = 1, vmo = "a") => ({
  name,
  ops: [{ op: "read" as const, vmo, page, pages }],
});

Deno.test("packet-discipline K1: a joining waiter's range also sent as a request", () => {
  expectFires(
    {
      ...ONE_PAGER,
      vmos: [{ name: "a", pager: "fs", pages: 2 }],
      threads: [reader("r1", 0, 2), reader("r2", 0, 2)],
    },
    () =>
      patch(
        PageSource.prototype,
        "populate",
        (orig) =>
          function (this: PageSource, w: Waiter, type: RequestType, start: number, end: number) {
            const st = orig.call(this, w, type, start, end) as Status;
            if (st === ZX_OK && w.request?.primary !== w) {
              this.sink.emit({
                k: "request",
                vmo: this.vmoKoid,
                id: 9000 + w.tid,
                type,
                start,
                end,
                tid: w.tid,
              });
            }
            return st;
          },
      ),
    { invariant: "packet-discipline", code: "K1" },
  );
});

Deno.test("page-state K2: requests reach one page past the access", () => {
  expectFires(
    { ...ONE_PAGER, vmos: [{ name: "a", pager: "fs", pages: 2 }], threads: [reader("r", 1)] },
    () =>
      patch(
        PageSource.prototype,
        "populate",
        (orig) =>
          function (this: PageSource, w: Waiter, type: RequestType, start: number, end: number) {
            return orig.call(this, w, type, start, end + 1);
          },
      ),
    { invariant: "page-state", code: "K2" },
  );
});

Deno.test("packet-discipline K4: a second packet of one VMO queued beside the first", () => {
  expectFires(
    { ...ONE_PAGER, vmos: [{ name: "a", pager: "fs", pages: 2 }], threads: [reader("r", 0)] },
    () =>
      patch(
        PagerProxy.prototype,
        "send",
        (orig) =>
          function (this: PagerProxy, request: { id: number; start: number; end: number }) {
            orig.call(this, request);
            const packet = this.port.packets().find((p) => p.key === this.key) as PagePacket;
            if (packet === undefined) return;
            this.port.queue({ ...packet }, null);
            this.sink.emit({
              k: "packet-queued",
              port: this.port.koid,
              vmo: this.vmoKoid,
              packet,
              id: request.id,
            });
          },
      ),
    { invariant: "packet-discipline", code: "K4" },
  );
});

Deno.test("packet-discipline K5: packets carry nonzero flags", () => {
  expectFires(
    { ...ONE_PAGER, vmos: [{ name: "a", pager: "fs", pages: 1 }], threads: [reader("r", 0)] },
    () =>
      patch(Port.prototype, "queue", (orig) =>
        function (this: Port, packet: Any, owner: unknown) {
          if (owner !== null) packet.flags = 1;
          return orig.call(this, packet, owner);
        }),
    { invariant: "packet-discipline", code: "K5" },
  );
});

Deno.test("packet-discipline K6: detach does not withdraw the unread packet", () => {
  expectFires(
    {
      ...ONE_PAGER,
      vmos: [{ name: "a", pager: "fs", pages: 1 }],
      threads: [reader("r", 0)],
      events: [{ do: "detach", target: "a", notBefore: 1 }],
    },
    () => patch(PagerProxy.prototype, "withdraw", () => function () {}),
    { invariant: "packet-discipline", code: "K6" },
  );
});

Deno.test("packet-discipline withdrawn: an early supply leaves the resolved request's packet", () => {
  expectFires(
    {
      pagers: [{ name: "fs", service: { kind: "batching", batch: 1, readAhead: 2 } }],
      vmos: [{ name: "a", pager: "fs", pages: 4 }],
      threads: [reader("r1", 0), reader("r2", 1)],
    },
    () => patch(PagerProxy.prototype, "withdraw", () => function () {}),
    { invariant: "packet-discipline", code: "withdrawn" },
  );
});

Deno.test("packet-discipline K7: pager close queues COMPLETE, which is delivered", () => {
  expectFires(
    {
      ...ONE_PAGER,
      vmos: [{ name: "a", pager: "fs", pages: 1 }],
      threads: [reader("r", 0)],
      events: [{ do: "closePager", target: "fs", notBefore: 1 }],
    },
    () =>
      patch(PagerProxy.prototype, "close", () =>
        function (this: PagerProxy) {
          this.complete();
        }),
    { invariant: "packet-discipline", code: "K7" },
  );
});

/** Wraps a `PagerProxy` method so that the events it emits of kind `drop` never reach the trace. */
function silence(method: "close" | "onPacketFreed" | "withdraw", drop: KernelEvent["k"]) {
  return () =>
    patch(PagerProxy.prototype, method, (orig) =>
      function (this: Any, ...args: Any[]) {
        const real = this.sink as EventSink;
        this.sink = { emit: (e: KernelEvent) => e.k === drop ? undefined : real.emit(e) };
        try {
          return orig.apply(this, args);
        } finally {
          this.sink = real;
        }
      });
}

Deno.test("packet-discipline unannounced: a resolved request's packet leaves without an event", () => {
  // Mutant pager_proxy.ts withdraw(): the packet is taken out of the port, the event is lost.
  expectFires(
    {
      pagers: [{ name: "fs", service: { kind: "batching", batch: 1, readAhead: 2 } }],
      vmos: [{ name: "a", pager: "fs", pages: 4 }],
      threads: [reader("r1", 0), reader("r2", 1)],
    },
    silence("withdraw", "packet-withdrawn"),
    { invariant: "packet-discipline", code: "unannounced" },
  );
});

for (
  const [file, method, what] of [
    ["unannounced_cancel_key.json", "onPacketFreed", "zx_port_cancel_key takes a page request"],
    ["unannounced_pager_close.json", "close", "pager close takes the queued COMPLETE"],
  ] as const
) {
  Deno.test(`packet-discipline unannounced: ${what} without a packet-withdrawn event`, () => {
    // Programs recorded from the mutation campaign judge; both mutants passed every checker.
    const c = JSON.parse(Deno.readTextFileSync(new URL(`testdata/${file}`, import.meta.url)));
    const run = () =>
      runProgram(c.program, { seed: c.seed, decisions: c.decisions, monitors: programMonitors })
        .verdict;
    assertEquals(run().kind, "pass");
    const restore = silence(method, "packet-withdrawn")();
    try {
      const v = run();
      assertEquals(v.kind === "invariant" && v.invariant, "packet-discipline", JSON.stringify(v));
      assert(v.kind === "invariant" && v.message.startsWith("unannounced:"), JSON.stringify(v));
    } finally {
      restore();
    }
  });
}

Deno.test("single-supply K8: supply overwrites present pages", () => {
  expectFires(
    {
      pagers: [{ name: "fs", service: { kind: "batching", batch: 1, readAhead: 2 } }],
      vmos: [{ name: "a", pager: "fs", pages: 4 }],
      threads: [{
        name: "r",
        ops: [{ op: "read", vmo: "a", page: 2 }, { op: "read", vmo: "a", page: 0 }],
      }],
    },
    () =>
      wrapSyscall("zx_pager_supply_pages", {
        before: (k, [, , vmoH, offset, length]) => {
          const vmo = k.handles.entry(vmoH)?.object as Vmo;
          const was = new Map<number, SlotKind>();
          for (let p = offset / k.pageSize; p < (offset + length) / k.pageSize; p++) {
            if (vmo?.slots[p] !== undefined) was.set(p, slotKind(vmo.slots[p]));
            if (vmo?.slots[p] !== undefined) vmo.slots[p] = undefined;
          }
          return was;
        },
        sink: (real, _args, was: Map<number, SlotKind>) => ({
          emit: (e: KernelEvent) =>
            real.emit(
              e.k === "supply" && was.has(e.page) ? { ...e, before: was.get(e.page)! } : e,
            ),
        }),
      }),
    { invariant: "single-supply", code: "K8" },
  );
});

Deno.test("single-supply wake-once: a supply wakes its waiters twice", () => {
  expectFires(
    { ...ONE_PAGER, vmos: [{ name: "a", pager: "fs", pages: 1 }], threads: [reader("r", 0)] },
    () =>
      patch(
        PageSource.prototype,
        "onPagesSupplied",
        (orig) =>
          function (this: PageSource, start: number, end: number) {
            const waiting = this.outstanding("READ").flatMap((r) => r.waiters()).filter((w) =>
              w.waiting
            );
            orig.call(this, start, end);
            for (const w of waiting) {
              if (!w.waiting) {
                this.sink.emit({ k: "wake", tid: w.tid, status: ZX_OK, why: "complete" });
              }
            }
          },
      ),
    { invariant: "single-supply", code: "wake-once" },
  );
});

Deno.test("single-supply resolve-once: a completed request is resolved again", () => {
  expectFires(
    { ...ONE_PAGER, vmos: [{ name: "a", pager: "fs", pages: 1 }], threads: [reader("r", 0)] },
    () =>
      patch(
        PageSource.prototype,
        "onPagesSupplied",
        (orig) =>
          function (this: PageSource, start: number, end: number) {
            const before = [...this.outstanding("READ")];
            orig.call(this, start, end);
            for (const r of before) {
              if (!this.outstanding("READ").includes(r)) {
                this.sink.emit({
                  k: "resolve",
                  vmo: this.vmoKoid,
                  id: r.id,
                  status: ZX_OK,
                  how: "complete",
                });
              }
            }
          },
      ),
    { invariant: "single-supply", code: "resolve-once" },
  );
});

Deno.test("data-integrity: a service supplies another key's data", () => {
  expectFires(
    {
      pagers: [{ name: "fs", service: { kind: "custom", name: "supplies-wrong-key" } }],
      vmos: [{ name: "a", pager: "fs", pages: 2 }],
      threads: [reader("r", 0, 2)],
    },
    null,
    { invariant: "data-integrity", code: "supply" },
  );
});

Deno.test("data-integrity: the kernel copies one wrong byte", () => {
  expectFires(
    { ...ONE_PAGER, vmos: [{ name: "a", pager: "fs", pages: 1 }], threads: [reader("r", 0)] },
    () =>
      wrapSyscall("zx_vmo_read", {
        sink: (real) => ({
          emit: (e: KernelEvent) => {
            if (e.k === "copy" && e.bytes.length > 0) e.bytes[0] ^= 0xff;
            real.emit(e);
          },
        }),
      }),
    { invariant: "data-integrity", code: "read" },
  );
});

Deno.test("page-state K9: committed aux pages arrive as zero markers", () => {
  expectFires(
    { ...ONE_PAGER, vmos: [{ name: "a", pager: "fs", pages: 1 }], threads: [reader("r", 0)] },
    () =>
      wrapSyscall("zx_pager_supply_pages", {
        after: (k, [, , vmoH], result) => {
          const vmo = k.handles.entry(vmoH)?.object as Vmo;
          vmo?.slots.forEach((s, p) => {
            if (s !== undefined && s !== MARKER && (s as Page).state === "clean") {
              vmo.slots[p] = MARKER;
            }
          });
          return result;
        },
      }),
    { invariant: "page-state", code: "K9" },
  );
});

Deno.test("page-state K10: supply leaves the aux pages committed", () => {
  expectFires(
    { ...ONE_PAGER, vmos: [{ name: "a", pager: "fs", pages: 1 }], threads: [reader("r", 0)] },
    () =>
      wrapSyscall("zx_pager_supply_pages", {
        before: (k, [, , , , , aux]) => {
          const a = k.handles.entry(aux)?.object as Vmo | undefined;
          return a === undefined ? null : { a, slots: [...a.slots] };
        },
        after: (_k, _args, result, saved) => {
          if (saved !== null) saved.slots.forEach((s: Any, i: number) => saved.a.slots[i] = s);
          return result;
        },
      }),
    { invariant: "page-state", code: "K10" },
  );
});

Deno.test("wake-discipline K11: closing the port wakes blocked readers", () => {
  expectFires(
    {
      ...ONE_PAGER,
      vmos: [{ name: "a", pager: "fs", pages: 1 }],
      threads: [reader("r", 0)],
      events: [{ do: "closePort", target: "fs", notBefore: 1 }],
    },
    () =>
      wrapSyscall("zx_handle_close", {
        before: (k, [, h]) => k.handles.entry(h)?.object,
        after: (k, _args, result, object) => {
          if (object?.objType === ZX_OBJ_TYPE_PORT) {
            for (const v of k.pagerVmos) if (v.proxy!.port === object) v.source!.detach();
          }
          return result;
        },
      }),
    { invariant: "wake-discipline", code: "K11" },
  );
});

Deno.test("detached-access K12: a detached page source still takes requests", () => {
  expectFires(
    {
      ...ONE_PAGER,
      vmos: [{ name: "a", pager: "fs", pages: 1 }],
      threads: [reader("r", 0)],
      events: [{ do: "detach", target: "a", notBefore: 1 }],
    },
    () =>
      patch(
        PageSource.prototype,
        "populate",
        (orig) =>
          function (this: PageSource, ...args: Any[]) {
            const was = this.detached;
            this.detached = false;
            try {
              return orig.apply(this, args);
            } finally {
              this.detached = was;
            }
          },
      ),
    { invariant: "detached-access", code: "K12" },
  );
});

Deno.test("detached-access K12: a detached page source answers with another pager error", () => {
  expectFires(
    {
      ...ONE_PAGER,
      vmos: [{ name: "a", pager: "fs", pages: 1 }],
      threads: [reader("r", 0)],
      events: [{ do: "detach", target: "a", notBefore: 1 }],
    },
    () =>
      patch(
        PageSource.prototype,
        "populate",
        (orig) =>
          function (this: PageSource, ...args: Any[]) {
            const status = orig.apply(this, args);
            return status === ZX_ERR_BAD_STATE ? ZX_ERR_TIMED_OUT : status;
          },
      ),
    { invariant: "detached-access", code: "K12" },
  );
});

Deno.test("page-state K13: detach keeps clean pages", () => {
  expectFires(
    {
      ...ONE_PAGER,
      vmos: [{ name: "a", pager: "fs", pages: 1 }],
      threads: [reader("r", 0)],
      events: [{ do: "detach", target: "a", notBefore: 8 }],
    },
    () =>
      wrapSyscall("zx_pager_detach_vmo", {
        before: (k, [, , vmoH]) => {
          const vmo = k.handles.entry(vmoH)?.object as Vmo | undefined;
          return vmo === undefined ? null : { vmo, slots: [...vmo.slots] };
        },
        after: (_k, _args, result, saved) => {
          if (saved !== null) saved.slots.forEach((s: Any, i: number) => saved.vmo.slots[i] = s);
          return result;
        },
      }),
    { invariant: "page-state", code: "K13" },
  );
});

Deno.test("syscall-contract K14: OP_FAIL delivers another code than it was given", () => {
  expectFires(
    {
      pagers: [{ name: "fs", service: { kind: "flaky", failPercent: 100 } }],
      vmos: [{ name: "a", pager: "fs", pages: 1 }],
      threads: [reader("r", 0)],
    },
    () =>
      patch(
        PageSource.prototype,
        "onPagesFailed",
        (orig) =>
          function (this: PageSource, start: number, end: number, error: Status) {
            orig.call(this, start, end, error === ZX_ERR_IO ? ZX_ERR_IO_DATA_INTEGRITY : error);
          },
      ),
    { invariant: "syscall-contract", code: "K14" },
  );
});

Deno.test("syscall-contract K14w: OP_FAIL resolves its waiters as if supplied", () => {
  // Kernel mutant: the failed range is counted against the requests, but no waiter gets the
  // error (the `hit` test of PageSource's resolve always false); K14 alone saw nothing wrong.
  expectFires(
    {
      pagers: [{ name: "fs", service: { kind: "flaky", failPercent: 50 } }],
      vmos: [{ name: "a", pager: "fs", pages: 3 }],
      threads: [reader("r1", 0, 3), reader("r2", 1, 2)],
    },
    () =>
      patch(
        PageSource.prototype,
        "onPagesFailed",
        (orig) =>
          function (this: PageSource, start: number, end: number, _error: Status) {
            orig.call(this, start, end, ZX_OK);
          },
      ),
    { invariant: "syscall-contract", code: "K14w" },
  );
});

Deno.test("page-state K15: OP_FAIL changes a present page", () => {
  expectFires(
    {
      pagers: [{ name: "fs", service: { kind: "flaky", failPercent: 50 } }],
      vmos: [{ name: "a", pager: "fs", pages: 2 }],
      threads: [{
        name: "r",
        ops: [{ op: "read", vmo: "a", page: 0 }, { op: "read", vmo: "a", page: 1 }],
      }],
    },
    () =>
      wrapSyscall("zx_pager_op_range", {
        after: (k, [, , op, vmoH], result) => {
          const vmo = k.handles.entry(vmoH)?.object as Vmo | undefined;
          const page = vmo?.slots.find((s) => s !== undefined && s !== MARKER) as Page | undefined;
          if (op === ZX_PAGER_OP_FAIL && page !== undefined) page.data[0] ^= 0xff;
          return result;
        },
      }),
    { invariant: "page-state", code: "K15" },
  );
});

Deno.test("syscall-contract K22: supply succeeds into a VMO the pager did not create", () => {
  expectFires(
    {
      pagers: [{ name: "fs", service: { kind: "custom", name: "calls-with-bad-arguments" } }],
      vmos: [{ name: "a", pager: "fs", pages: 1 }],
      threads: [reader("r", 0)],
    },
    () =>
      wrapSyscall("zx_pager_supply_pages", {
        before: (k, [, , vmoH]) =>
          (k.handles.entry(vmoH)?.object as Vmo | undefined)?.source === null,
        after: (_k, _args, result, anonymous) => anonymous ? ZX_OK : result,
        sink: (real, _args, anonymous) =>
          anonymous
            ? { emit: (e: KernelEvent) => real.emit(e.k === "ret" ? { ...e, status: ZX_OK } : e) }
            : undefined,
      }),
    { invariant: "syscall-contract", code: "K22" },
  );
});

Deno.test("syscall-contract K23: ZX_INFO_VMO forgets PAGER_BACKED", () => {
  expectFires(
    {
      ...ONE_PAGER,
      vmos: [{ name: "a", pager: "fs", pages: 1 }],
      threads: [{ name: "i", ops: [{ op: "info", vmo: "a" }] }],
    },
    () =>
      wrapSyscall("zx_object_get_info", {
        after: (
          _k,
          _args,
          [st, info]: [Status, VmoInfo | null],
        ) => [st, info && { ...info, flags: info.flags & ~ZX_INFO_VMO_PAGER_BACKED }],
      }),
    { invariant: "syscall-contract", code: "K23" },
  );
});

Deno.test("page-state K26: a present page's bytes change during a port wait", () => {
  expectFires(
    {
      ...ONE_PAGER,
      vmos: [{ name: "a", pager: "fs", pages: 2 }],
      threads: [{
        name: "r",
        ops: [{ op: "read", vmo: "a", page: 0 }, { op: "read", vmo: "a", page: 1 }],
      }],
    },
    () =>
      wrapSyscall("zx_port_wait", {
        after: (k, _args, result) => {
          const page = k.pagerVmos[0]?.slots.find((s) => s !== undefined && s !== MARKER) as
            | Page
            | undefined;
          if (page !== undefined) page.data[1] ^= 0x5a;
          return result;
        },
      }),
    { invariant: "page-state", code: "K26" },
  );
});

Deno.test("syscall-contract K27: supply checks handles before alignment", () => {
  expectFires(
    {
      pagers: [{ name: "fs", service: { kind: "custom", name: "calls-with-bad-arguments" } }],
      vmos: [{ name: "a", pager: "fs", pages: 1 }],
      threads: [reader("r", 0)],
    },
    () =>
      wrapSyscall("zx_pager_supply_pages", {
        before: (k, [, pager, , offset]) =>
          offset % k.pageSize !== 0 && k.handles.entry(pager) === undefined,
        after: (_k, _args, result, early) => early ? ZX_ERR_BAD_HANDLE : result,
        sink: (real, _args, early) =>
          early
            ? {
              emit: (e: KernelEvent) =>
                real.emit(e.k === "ret" ? { ...e, status: ZX_ERR_BAD_HANDLE } : e),
            }
            : undefined,
      }),
    { invariant: "syscall-contract", code: "K27" },
  );
});

Deno.test("single-supply K28: supplies never complete the request they fill", () => {
  // A commit, not a read: syscall-contract's early-wake rule sees a parked reader whose page
  // was supplied (a commit waits for its whole request, unjudged there). Was a bare
  // no-lost-requests hang naming the committer (userS28c's variant): K28 names the request and
  // the supply that owed its completion, at that supply's step.
  expectFires(
    {
      ...ONE_PAGER,
      vmos: [{ name: "a", pager: "fs", pages: 1 }],
      threads: [{ name: "c", ops: [{ op: "commit", vmo: "a", page: 0 }] }],
    },
    () => patch(PageSource.prototype, "onPagesSupplied", () => function () {}),
    { invariant: "single-supply", code: "K28" },
  );
});

Deno.test("no-lost-requests K29: a reader whose READ the service dropped waits forever", () => {
  // The kernel's checkers alone (the service is not judged): the hang is K29's, and it names the
  // thread that took the READ's packet and never answered it.
  const s = parseScenario({
    ...BASE,
    pagers: [{ name: "fs", service: { kind: "custom", name: "drops-every-other-request" } }],
    vmos: [{ name: "a", pager: "fs", pages: 2 }],
    threads: [reader("r0", 0), reader("r1", 1)],
  });
  const r = checkCase({ scenario: s, decisions: [], seed: 1 }, {
    monitors: checkersOf("kernel"),
    services: BUGGY_SERVICES,
  });
  const v = r.verdict;
  assertEquals(v.kind, "invariant", JSON.stringify(v));
  if (v.kind !== "invariant") return;
  assertEquals(v.invariant, "no-lost-requests");
  nodeAssert.match(v.message, /^K29: hang at step \d+: t\d+ "r[01]" waits on vmo \d+: READ/);
  nodeAssert.match(v.message, /; READ #\d+: taken by t1 "fs\.svc" at step \d+, never answered/);
});

Deno.test("no-lost-requests documented-errors: a read fails with ZX_ERR_NO_MEMORY", () => {
  expectFires(
    { ...ONE_PAGER, vmos: [{ name: "a", pager: "fs", pages: 1 }], threads: [reader("r", 0)] },
    () => patch(PageSource.prototype, "populate", () => () => ZX_ERR_NO_MEMORY),
    { invariant: "no-lost-requests", code: "documented-errors" },
  );
});

Deno.test("no-lost-requests: a port closed under a blocked reader strands it, as documented", () => {
  const s = parseScenario({
    ...BASE,
    ...ONE_PAGER,
    vmos: [{ name: "a", pager: "fs", pages: 1 }],
    threads: [reader("r", 0)],
    events: [{ do: "closePort", target: "fs", notBefore: 1 }],
  });
  let stranded = 0;
  for (let seed = 0; seed < 20; seed++) {
    const r = checkCase({ scenario: s, decisions: [], seed }, { monitors: checkersOf("kernel") });
    assertEquals(r.verdict.kind, "pass");
    if (r.run.verdict.kind === "hang") stranded++;
  }
  assert(stranded > 0, "no seed stranded the reader");
});

const SERVICE_CASES: [string, string, string, ScenarioInput["threads"]][] = [
  ["drops-every-other-request", "answers-every-read", "P1", [{
    name: "r",
    ops: [{ op: "read", vmo: "a", page: 0 }, { op: "read", vmo: "a", page: 1 }],
  }]],
  ["stops-after-one-packet", "tolerates-stale-packets", "P3", [{
    name: "r",
    ops: [{ op: "read", vmo: "a", page: 0 }, { op: "read", vmo: "a", page: 1 }],
  }]],
  ["closes-port-while-blocked", "keeps-port-open", "P10", [reader("r", 0)]],
  ["closes-pager-while-serving", "keeps-pager-open", "P11", [reader("r", 0)]],
  ["supplies-unaligned", "supplies-valid-ranges", "P12", [reader("r", 0)]],
  ["fails-with-bad-code", "fails-with-valid-codes", "P13", [reader("r", 0)]],
  ["retries-after-bad-state", "treats-bad-state-as-gone", "P14", [
    reader("r1", 0),
    reader("r2", 0, 1, "b"),
  ]],
];

for (const [service, invariant, code, threads] of SERVICE_CASES) {
  Deno.test(`service obligation ${code} (${invariant}): ${service} breaks it`, () => {
    expectFires(
      {
        pagers: [{ name: "fs", service: { kind: "custom", name: service } }],
        vmos: [{ name: "a", pager: "fs", pages: 2 }, { name: "b", pager: "fs", pages: 1 }],
        threads,
      },
      null,
      { invariant, code, checkers: "kernel+service" },
    );
  });
}

Deno.test("service obligations hold for the well-behaved reference services", () => {
  for (const kind of ["eager", "batching", "flaky"] as const) {
    const s = parseScenario({
      ...BASE,
      pagers: [{ name: "fs", service: { kind } }],
      vmos: [{ name: "a", pager: "fs", pages: 3 }],
      threads: [reader("r1", 0, 3), reader("r2", 1, 2)],
    });
    for (let seed = 0; seed < 20; seed++) {
      const r = checkCase({ scenario: s, decisions: [], seed }, {
        monitors: checkersOf("kernel+service"),
      });
      assertEquals(r.verdict.kind, "pass", `${kind} seed ${seed}: ${JSON.stringify(r.verdict)}`);
    }
  }
});

Deno.test("a failing case's report names the invariant, the seed, the trace and the replay", () => {
  const s = parseScenario({
    ...BASE,
    pagers: [{ name: "fs", service: { kind: "custom", name: "supplies-wrong-key" } }],
    vmos: [{ name: "a", pager: "fs", pages: 1 }],
    threads: [reader("r", 0)],
  });
  const r = checkCase({ scenario: s, decisions: [1, 0], seed: 3 }, {
    monitors: checkersOf("kernel"),
    services: BUGGY_SERVICES,
  });
  const report = formatFailure(r, { file: "corpus/x.json" });
  assertStringIncludes(report, "invariant: data-integrity");
  assertStringIncludes(report, "seed: 3");
  // The run's own picks (it made one), not the drawn list (issue hC).
  assertStringIncludes(report, "decisions (1): [1]");
  assertStringIncludes(report, "the drawn list was (2): [1,0], of which the run used 1");
  assertStringIncludes(report, "page 0 supplied");
  assertStringIncludes(report, "deno task repro corpus/x.json");
  // Nothing written: the replay names the case inline (issue 12: it named a never-written file).
  const inline = formatFailure(r);
  assertStringIncludes(inline, "replay: deno task repro --scenario-json '");
  assert(/--seed 3 --decisions 1$/m.test(inline), inline);
});
