// The memory limit of one mutant run (mutate/ns.ts, `armMemoryLimit`): it is judged by what the
// run itself grows its isolate by, checked at the kernel's own mutant sites. Issue 14: the limit
// was the process's RSS, which keeps what ended workers held, so after one mutant that allocated
// much every later run was "ended for memory" (46 false kills in 36 mutants of the seed-1 sample)
// until V8 killed the process. Here, in one isolate: a run allocating without bound through the
// kernel's loops is stopped at a small limit, and the same bounded run gets the same verdict
// judged before it and after it.
import { strict as assert } from "node:assert";
import { mutantMirror } from "./mutant_mirror.ts";
import {
  armHitLimit,
  armMemoryLimit,
  disarmHitLimit,
  disarmMemoryLimit,
  HIT_LIMIT,
  isolateBytes,
  MEMORY_LIMIT_MESSAGE,
  MEMORY_POLL_SITES,
  memoryOver,
  strykerNs,
} from "./ns.ts";
import { instrumentFiles } from "./instrument.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/** The resize grow loop of kernel/vmo_pages.ts counting down: it allocates slots for ever. */
const HOG = "kernel/vmo_pages.ts:1328:59:UpdateOperator:p--";
const LIMIT_MIB = 32;

Deno.test("every mutant site counts the memory limit's checks down, active mutant or not", async () => {
  const { contents } = await instrumentFiles(
    new URL("../", import.meta.url).pathname,
    ["services/eager.ts"],
  );
  const text = [...contents.values()][0];
  assert.match(text, /function isActive\(id\) \{\n\s+if \(--ns\.tick < 0\) ns\.poll\(\);\n/);
});

Deno.test("a run allocating without bound is stopped at its memory limit; the same bounded run judged before and after it gets the same verdict", async () => {
  const m = await mutantMirror("kernel/vmo_pages.ts");
  try {
    const { Kernel } = await m.load("kernel/kernel.ts") as Any;
    const { runSync } = await m.load("kernel/yields.ts") as Any;
    const fresh = () => {
      const k = new Kernel({ pageSize: 64 });
      const [t] = k.createThread("main", 1);
      const [, pager] = runSync(k.zx_pager_create(t, 0));
      const [, port] = runSync(k.zx_port_create(t, 0));
      const [, vmo] = runSync(k.zx_pager_create_vmo(t, pager, 2, port, 1, 64));
      return (bytes: number) => runSync(k.zx_vmo_set_size(t, vmo, bytes));
    };
    /** One run under the limit (base: this isolate now, as tools/program_kills.ts arms it). */
    const judged = (f: () => unknown) => {
      armMemoryLimit(LIMIT_MIB, isolateBytes());
      const ns = strykerNs();
      const poll = ns.poll!;
      let polls = 0;
      ns.poll = () => {
        polls++;
        poll();
      };
      armHitLimit(new Int32Array(new SharedArrayBuffer(4)));
      try {
        return { value: f(), over: memoryOver(), polls, hits: ns.hitCount ?? 0 };
      } catch (e) {
        return { value: String(e), over: memoryOver(), polls, hits: ns.hitCount ?? 0 };
      } finally {
        disarmHitLimit();
        disarmMemoryLimit();
      }
    };
    // Bounded: grows and shrinks 16 pages many times, through enough sites to be checked often.
    const bounded = () =>
      judged(() => {
        const setSize = fresh();
        const codes = new Set<number>();
        for (let i = 0; i < 3000; i++) codes.add(setSize(i % 2 === 0 ? 1024 : 64));
        return [...codes];
      });
    const first = bounded();
    assert.deepEqual(first.value, [0], "unmutated, every resize is ZX_OK");
    assert.equal(first.over, null);
    assert.ok(first.polls >= 2, `the run was checked (${first.polls} checks)`);

    const hog = judged(() => {
      const setSize = fresh();
      setSize(128);
      return m.withMutant(HOG, () => setSize(256));
    });
    assert.equal(hog.value, `Error: ${MEMORY_LIMIT_MESSAGE}`);
    assert.ok(hog.over !== null && hog.over > LIMIT_MIB, `grew by ${hog.over} MiB`);
    assert.ok(hog.hits < HIT_LIMIT, "stopped by memory, long before the hit limit");

    const after = bounded();
    assert.deepEqual(after.value, first.value, "the same verdict after the allocator");
    assert.equal(after.over, null, "what the allocator left is not this run's");
    assert.ok(after.polls >= 2);
  } finally {
    m.dispose();
  }
});

Deno.test("disarmed, the checks cost a counter and judge nothing", () => {
  disarmMemoryLimit();
  const ns = strykerNs();
  ns.tick = 0;
  ns.poll!();
  assert.equal(ns.tick, MEMORY_POLL_SITES);
  assert.equal(memoryOver(), null);
});
