import { strict as assert } from "node:assert";
import { runScenario } from "../scenario/interpreter.ts";
import { parseScenario } from "../scenario/schema.ts";
import { serveReads, type ServiceContext, supplyFromBacking } from "../services/service.ts";
import type { Sys, ThreadBody } from "./sys.ts";
import { ZX_ERR_BAD_STATE, ZX_OK, ZX_VMO_DIRTY_RANGE_IS_ZERO } from "../kernel/constants.ts";
import { pageContent } from "../kernel/events.ts";
import { loadServiceModule } from "../case/store.ts";
import { fileURLToPath as fromFileUrl } from "node:url";
import { formatEvent, Trace } from "./trace.ts";

Deno.test("a call's out-value is in its trace line: zx_vmo_get_size -> ZX_OK size=0x80", () => {
  function* sizer(sys: Sys, ctx: ServiceContext): ThreadBody {
    for (const vmo of ctx.vmos) yield* sys.vmoGetSize(vmo.handle);
    yield* serveReads(sys, ctx, (p, vmo) => supplyFromBacking(sys, ctx, vmo, p.offset, p.length));
  }
  const scenario = parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs", service: { kind: "custom", name: "sizer" } }],
    vmos: [{ name: "a", pager: "fs", pages: 2 }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
  });
  const run = runScenario(scenario, { seed: 1, services: { sizer } });
  assert.match(run.trace.text(), /zx_vmo_get_size -> ZX_OK size=0x80$/m);
});

Deno.test("the out-value is shown, not hashed: a trace hash stays what it was before it was shown", () => {
  assert.equal(
    formatEvent({ k: "ret", tid: 1, name: "zx_vmo_get_size", status: ZX_OK, value: 0x2000 }),
    "t1 zx_vmo_get_size -> ZX_OK size=0x2000",
  );
  assert.equal(
    formatEvent({ k: "ret", tid: 1, name: "zx_vmo_read", status: ZX_OK }),
    "t1 zx_vmo_read -> ZX_OK",
  );
  const shown = new Trace(), bare = new Trace();
  shown.emit({ k: "ret", tid: 1, name: "zx_vmo_get_size", status: ZX_OK, value: 0x2000 });
  bare.emit({ k: "ret", tid: 1, name: "zx_vmo_get_size", status: ZX_OK });
  assert.equal(shown.hash, bare.hash);
  assert.notEqual(shown.text(), bare.text());
});

Deno.test("a new handle, a new region's address and the dirty ranges are in the ret line, not the hash", () => {
  const events = [
    { k: "ret", tid: 2, name: "zx_vmo_create", status: ZX_OK, handle: 0x110 },
    {
      k: "ret",
      tid: 2,
      name: "zx_vmar_allocate",
      status: ZX_OK,
      handle: 0x120,
      value: 0x1000_0000,
    },
    {
      k: "ret",
      tid: 1,
      name: "zx_pager_query_dirty_ranges",
      status: ZX_OK,
      ranges: [{ offset: 0, length: 0x80 }, { offset: 0x140, length: 0x40 }],
    },
    { k: "ret", tid: 1, name: "zx_pager_query_dirty_ranges", status: ZX_OK, ranges: [] },
  ] as const;
  assert.deepEqual(events.map((e) => formatEvent(e)), [
    "t2 zx_vmo_create -> ZX_OK handle=0x110",
    "t2 zx_vmar_allocate -> ZX_OK handle=0x120 child_addr=0x10000000",
    "t1 zx_pager_query_dirty_ranges -> ZX_OK ranges=[0x0,+0x80) [0x140,+0x40)",
    "t1 zx_pager_query_dirty_ranges -> ZX_OK ranges=none",
  ]);
  for (const e of events) {
    const shown = new Trace(), bare = new Trace();
    shown.emit(e);
    bare.emit({ k: "ret", tid: e.tid, name: e.name, status: e.status });
    assert.equal(shown.hash, bare.hash, formatEvent(e));
  }
});

Deno.test("op codes and OP_FAIL's status are named in call lines; other numbers stay hex", () => {
  assert.equal(
    formatEvent({
      k: "call",
      tid: 1,
      name: "zx_pager_op_range",
      args: [0x30, 1, 0x60, 0, 0x800, -20],
    }),
    "t1 zx_pager_op_range(0x30, ZX_PAGER_OP_FAIL, 0x60, 0x0, 0x800, ZX_ERR_BAD_STATE)",
  );
  assert.equal(
    formatEvent({ k: "call", tid: 1, name: "zx_vmo_op_range", args: [0x50, 10, 0, 0x40] }),
    "t1 zx_vmo_op_range(0x50, ZX_VMO_OP_ZERO, 0x0, 0x40)",
  );
  // An op the table does not know stays a number.
  assert.equal(
    formatEvent({ k: "call", tid: 1, name: "zx_vmo_op_range", args: [0x50, 99, 0, 0x40] }),
    "t1 zx_vmo_op_range(0x50, 0x63, 0x0, 0x40)",
  );
});

Deno.test("a run's trace shows the handles its calls made", () => {
  const scenario = parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs", service: { kind: "eager" } }],
    vmos: [{ name: "a", pager: "fs", pages: 2 }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
  });
  const run = runScenario(scenario, { seed: 1 });
  assert.match(run.trace.text(), /zx_pager_create_vmo -> ZX_OK handle=0x[0-9a-f]+$/m);
});

Deno.test("a dirty-range query's trace line shows each range's IS_ZERO option (text only: the hash is the same)", () => {
  const ranges = [{ offset: 0x40, length: 0x80, options: 0 }, {
    offset: 0x180,
    length: 0x40,
    options: ZX_VMO_DIRTY_RANGE_IS_ZERO,
  }];
  const e = { k: "ret", tid: 1, name: "zx_pager_query_dirty_ranges", status: 0, ranges } as const;
  assert.equal(
    formatEvent(e),
    "t1 zx_pager_query_dirty_ranges -> ZX_OK ranges=[0x40,+0x80) [0x180,+0x40):IS_ZERO",
  );
  const a = new Trace(false), b = new Trace(false);
  a.emit(e);
  b.emit({ ...e, ranges: ranges.map((r) => ({ ...r, options: 0 })) });
  assert.equal(a.hash, b.hash);
});

Deno.test("an eviction's ret line names the page it evicted, or what kept it; the hash is the same without", () => {
  const page = { vmo: 1005, page: 1, pager: true, slot: "clean", pinned: false, alwaysNeed: false };
  const ret = (status: number, evict?: typeof page) =>
    formatEvent({
      k: "ret",
      tid: 5,
      name: "kernel_evict",
      status,
      ...(evict === undefined ? {} : { evict: evict as never }),
    });
  assert.equal(ret(ZX_OK, page), "t5 kernel_evict -> ZX_OK (evicted vmo1005 page 1)");
  assert.equal(
    ret(ZX_ERR_BAD_STATE, { ...page, slot: "dirty" }),
    "t5 kernel_evict -> ZX_ERR_BAD_STATE (vmo1005 page 1 kept: dirty)",
  );
  assert.equal(
    ret(ZX_ERR_BAD_STATE, { ...page, pinned: true, alwaysNeed: true }),
    "t5 kernel_evict -> ZX_ERR_BAD_STATE (vmo1005 page 1 kept: pinned, ALWAYS_NEED)",
  );
  assert.equal(
    ret(ZX_ERR_BAD_STATE, { ...page, slot: "absent" }),
    "t5 kernel_evict -> ZX_ERR_BAD_STATE (vmo1005 page 1 kept: not present)",
  );
  assert.equal(ret(ZX_ERR_BAD_STATE), "t5 kernel_evict -> ZX_ERR_BAD_STATE");
  const shown = new Trace(), bare = new Trace();
  shown.emit({ k: "ret", tid: 5, name: "kernel_evict", status: ZX_OK, evict: page as never });
  bare.emit({ k: "ret", tid: 5, name: "kernel_evict", status: ZX_OK });
  assert.equal(shown.hash, bare.hash);
});

Deno.test("a supply's line shows what it delivered per page (first bytes and a fingerprint); the hash is the same without", () => {
  assert.equal(
    formatEvent({
      k: "supply",
      vmo: 7,
      page: 0,
      inserted: true,
      before: "absent",
      content: "zeros",
    }),
    "  vmo7 page 0 supplied: zeros",
  );
  const bytes = new Uint8Array(64);
  bytes[0] = 1;
  const content = pageContent(bytes);
  assert.match(content, /^0100000000000000… fp [0-9a-f]{8}$/);
  assert.notEqual(
    pageContent(bytes.map((b, i) => i === 63 ? 9 : b)),
    content,
    "a change anywhere shows",
  );
  assert.equal(
    formatEvent({ k: "supply", vmo: 7, page: 1, inserted: false, before: "dirty", content }),
    `  vmo7 page 1 kept (dirty), dropped: ${content}`,
  );
  const shown = new Trace(), bare = new Trace();
  shown.emit({ k: "supply", vmo: 7, page: 0, inserted: true, before: "absent", content });
  bare.emit({ k: "supply", vmo: 7, page: 0, inserted: true, before: "absent" });
  assert.equal(shown.hash, bare.hash);
});

Deno.test("a user's write-back-evict run (userS24d sim_9): its trace names the evicted and kept pages and the supplied bytes, and hashes as before", async () => {
  const dir = new URL("../case/testdata/userS24d/", import.meta.url);
  const scenario = parseScenario(
    JSON.parse(await Deno.readTextFile(new URL("wb_scenario.json", dir))),
  );
  // As `deno task sim --service` loads it: its contract's writeback entry serves the events.
  // The user's service, as case/testdata/userS24w/ keeps it (one copy).
  const wb = await loadServiceModule(
    fromFileUrl(new URL("../case/testdata/userS24w/wb_pager.ts", import.meta.url)),
  );
  const services = { wb };
  const kept = runScenario(scenario, { seed: 9, services });
  const text = kept.trace.text();
  // The user's #13 said only `kernel_evict -> ZX_ERR_BAD_STATE`: the writer had dirtied page 1.
  assert.match(text, /^#13 t5 kernel_evict -> ZX_ERR_BAD_STATE \(vmo1005 page 1 kept: dirty\)$/m);
  assert.match(text, /^#30 t6 kernel_evict -> ZX_OK \(evicted vmo1005 page 2\)$/m);
  // As the README shows them (its `--trace json` paragraph).
  for (
    const line of [
      "#6   vmo1005 page 0 supplied: 0100000000000000… fp 7b673e37",
      "#25   vmo1005 page 3 kept (zero), dropped: 1900000000000000… fp 5bdd8c7c",
    ]
  ) assert.ok(text.split("\n").includes(line), line);
  // The hash before the text showed any of it (main at c5267cb), and a run that keeps no events.
  assert.equal(kept.traceHash, "1adc4db4d169793e");
  assert.equal(
    runScenario(scenario, { seed: 9, services, keepTrace: false }).traceHash,
    kept.traceHash,
  );
});

/**
 * The hash as it was first written, one word mixed at a time (before the words of an event were
 * gathered and mixed in one loop): the reference the gathered hash must equal, event for event.
 */
class WordByWordHash {
  h1 = 0x811c9dc5;
  h2 = 0x01000193 ^ 0x5bd1e995;
  word(w: number): void {
    this.h1 = Math.imul(this.h1 ^ w, 0x01000193);
    this.h1 ^= this.h1 >>> 13;
    this.h2 = Math.imul(this.h2 ^ w, 0x5bd1e995) ^ (this.h2 >>> 15);
  }
  mix(s: string): void {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      this.h1 = Math.imul(this.h1 ^ c, 0x01000193);
      this.h2 = Math.imul(this.h2 ^ c, 0x5bd1e995) ^ (this.h2 >>> 15);
    }
  }
  get hash(): string {
    return (this.h1 >>> 0).toString(16).padStart(8, "0") +
      (this.h2 >>> 0).toString(16).padStart(8, "0");
  }
}

Deno.test("the trace hash gathers an event's words and mixes them as one word at a time did", () => {
  // Every field as the hash takes it, word by word; a throw leaves the words before it mixed.
  const TAG: Record<string, number> = {
    call: 0x100,
    ret: 0x101,
    block: 0x109,
    wake: 0x10a,
    store: 0x10d,
  };
  const name = (s: string) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return h >>> 0;
  };
  const int = (r: WordByWordHash, n: number) => {
    const m = Math.abs(n);
    r.word(n < 0 ? 1 : 0);
    r.word(m >>> 0);
    r.word(Math.floor(m / 0x1_0000_0000) >>> 0);
  };
  const text = (r: WordByWordHash, s: string) => {
    r.mix(s);
    r.word(s.length);
  };
  const ref = new WordByWordHash();
  const trace = new Trace(false);
  // deno-lint-ignore no-explicit-any
  const emit = (e: any, step: number, words: (r: WordByWordHash) => void) => {
    trace.step = step;
    let thrown = false;
    try {
      trace.emit(e);
    } catch {
      thrown = true;
    }
    try {
      words(ref);
    } catch {
      assert.ok(thrown, "the reference threw where the trace did not");
      assert.equal(trace.hash, ref.hash, `${JSON.stringify(e)} at step ${step}`);
      return;
    }
    assert.ok(!thrown, "the trace threw where the reference did not");
    assert.equal(trace.hash, ref.hash, `${JSON.stringify(e)} at step ${step}`);
  };
  const args = [0x10, -3, 2 ** 40, Number.POSITIVE_INFINITY, 1.5, "x", undefined, [1, 2]];
  for (let step = 0; step < 3; step++) {
    emit({ k: "call", tid: 2, name: "zx_vmo_read", args }, step, (r) => {
      r.word(TAG.call), r.word(step), r.word(2), r.word(name("zx_vmo_read"));
      r.word(args.length);
      for (const a of args) {
        if (typeof a === "number" && Number.isSafeInteger(a)) r.word(1), int(r, a);
        else {
          r.word(2);
          text(
            r,
            a === Number.POSITIVE_INFINITY
              ? "inf"
              : typeof a === "number"
              ? String(a)
              : a === undefined
              ? "undefined"
              : JSON.stringify(a),
          );
        }
      }
    });
    // A call of more arguments than the gathering buffer holds words.
    const many = Array.from({ length: 40 }, (_, i) => i * 2 ** 33 - 7);
    emit({ k: "call", tid: 3, name: "nop", args: many }, step, (r) => {
      r.word(TAG.call), r.word(step), r.word(3), r.word(name("nop")), r.word(many.length);
      for (const a of many) r.word(1), int(r, a);
    });
    emit({ k: "ret", tid: 2, name: "zx_vmo_read", status: -1 }, step, (r) => {
      r.word(TAG.ret), r.word(step), r.word(2), r.word(name("zx_vmo_read")), int(r, -1);
    });
    // Odd values: a status that is no number, a tid that is text, an unknown kind.
    emit({ k: "ret", tid: "7", name: "zx_x", status: undefined }, step, (r) => {
      r.word(TAG.ret), r.word(step), r.word("7" as unknown as number), r.word(name("zx_x"));
      int(r, undefined as unknown as number);
    });
    emit({ k: "wake", tid: 1, status: 0, why: "complete" }, step, (r) => {
      r.word(TAG.wake), r.word(step), r.word(1), int(r, 0), text(r, "complete");
    });
    emit({ k: "block", tid: 4, on: "vmo 3: READ" }, step, (r) => {
      r.word(TAG.block), r.word(step), r.word(4), text(r, "vmo 3: READ");
    });
    emit({ k: "no-such-kind", tid: 1 }, step, (r) => {
      r.word(undefined as unknown as number), r.word(step);
    });
    // Malformed: a store with no bytes throws after its first words, which stay mixed.
    emit({ k: "store", tid: 5, vmo: 9, offset: 64 }, step, (r) => {
      r.word(TAG.store), r.word(step), r.word(5), r.word(9), int(r, 64);
      // deno-lint-ignore no-explicit-any
      int(r, (undefined as any).length);
    });
    // Malformed: a block whose text is missing throws in its text, after its tid.
    emit({ k: "block", tid: 6 }, step, (r) => {
      r.word(TAG.block), r.word(step), r.word(6);
      text(r, undefined as unknown as string);
    });
    assert.equal(trace.hash, ref.hash, `step ${step}`);
  }
  trace.note("done");
  ref.mix("done\n");
  assert.equal(trace.hash, ref.hash);
});
