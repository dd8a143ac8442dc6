// Issue 16: the optional user buffer of zx_vmo_read, zx_vmo_write and zx_object_get_info is in
// the program-fuzzing vocabulary: generated, run (its copy faults and parks on a pager VMO),
// checked, accepted by the schema and dropped by the shrinker when it does not matter.
import { strict as assert } from "node:assert";
import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_INVALID_ARGS,
  ZX_INFO_VMO,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_RIGHT_INSPECT,
  ZX_RIGHT_READ,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
} from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import type { Vmo } from "../kernel/objects.ts";
import { makeRng } from "../sim/rng.ts";
import type { Monitor, World } from "../sim/world.ts";
import { shrinkProgram } from "../case/shrink.ts";
import { WriteWithoutRightKernel } from "../zoo/mutants.ts";
import { allowed, predict } from "./contract.ts";
import { generateProgram, rngDraw } from "./generate.ts";
import { HandleModel } from "./handle_model.ts";
import {
  givesUserBuffer,
  parseProgram,
  type Program,
  type ProgramCall,
  ProgramError,
} from "./program.ts";
import { CONTRACT, programMonitors, runProgram } from "./run.ts";
import { programCuts } from "./cuts.ts";
import { mappedProgram } from "./_mapped_program.ts";

const BUFFERED = new Map([["zx_vmo_read", 3], ["zx_vmo_write", 3], ["zx_object_get_info", 2]]);

/**
 * Counts the page requests a call given a user buffer raises or joins on a VMO other than the
 * one its handle names (or any, for zx_object_get_info, which reads no VMO): those come from the
 * copy through the buffer's mapping. `parked`: such a request was followed by the thread blocking.
 */
class CopyRequests implements Monitor {
  readonly name = "copy-requests";
  requests = 0;
  parked = 0;
  readonly #calls = new Map<number, { name: string; handle: unknown }>();
  /** This step's requests in calls with a buffer; `blocked`: the thread blocked after it. */
  #pending: { tid: number; vmo: number; blocked: boolean }[] = [];
  /** Threads whose copy request was counted, until they block (parked) or return. */
  readonly #waiting = new Set<number>();

  onEvent(e: KernelEvent): void {
    if (e.k === "call") {
      const required = BUFFERED.get(e.name);
      if (required !== undefined && e.args.length > required) {
        this.#calls.set(e.tid, { name: e.name, handle: e.args[0] });
      } else this.#calls.delete(e.tid);
    } else if (e.k === "ret") {
      this.#calls.delete(e.tid);
      this.#waiting.delete(e.tid);
    } else if ((e.k === "request" || e.k === "coalesce") && this.#calls.has(e.tid)) {
      this.#pending.push({ tid: e.tid, vmo: e.vmo, blocked: false });
    } else if (e.k === "block") {
      for (const p of this.#pending) if (p.tid === e.tid) p.blocked = true;
      if (this.#waiting.delete(e.tid)) this.parked++;
    }
  }

  afterStep(world: World): void {
    for (const { tid, vmo, blocked } of this.#pending) {
      const call = this.#calls.get(tid);
      if (call === undefined) continue;
      const own = world.kernel.handles.entry(call.handle as number)?.object as Vmo | undefined;
      if (call.name === "zx_object_get_info" || (own !== undefined && own.root.koid !== vmo)) {
        this.requests++;
        if (blocked) this.parked++;
        else this.#waiting.add(tid);
      }
    }
    this.#pending = [];
  }
}

Deno.test("generated programs pass user buffers, and their copies raise page requests and park", () => {
  let buffered = 0, runs = 0, requests = 0, parked = 0;
  const calls = new Map<string, number>();
  for (let seed = 0; seed < 3000 && (parked === 0 || calls.size < 3); seed++) {
    const p = generateProgram(rngDraw(makeRng(seed)));
    const withBuffer = p.threads.flatMap((t) => t.calls.filter(givesUserBuffer));
    if (withBuffer.length === 0) continue;
    buffered += withBuffer.length;
    for (const c of withBuffer) calls.set(c.call, (calls.get(c.call) ?? 0) + 1);
    assert.deepEqual(parseProgram(JSON.parse(JSON.stringify(p))), p, `seed ${seed}`);
    const copies = new CopyRequests();
    const run = runProgram(p, { seed, monitors: () => [...programMonitors(), copies] });
    assert.equal(run.verdict.kind, "pass", `seed ${seed}: ${JSON.stringify(run.verdict)}`);
    runs++;
    requests += copies.requests;
    parked += copies.parked;
  }
  assert.deepEqual([...calls.keys()].sort(), ["zx_object_get_info", "zx_vmo_read", "zx_vmo_write"]);
  assert.ok(buffered > 0 && runs > 0);
  assert.ok(requests > 0, `no copy raised a page request in ${runs} programs`);
  assert.ok(parked > 0, `no copy parked in ${runs} programs (${requests} requests)`);
  console.log(
    `${runs} programs, ${buffered} calls with a buffer, ${requests} copy requests, ${parked} parked`,
  );
});

Deno.test("a read of a pager VMO into a mapping of itself faults on its own second page, parks, and completes once served", () => {
  const p = mappedProgram({
    call: "zx_vmo_read",
    args: [{ h: [0, 2] }, 0, 64, { addr: [0, 4], plus: 64 }],
  });
  let served = 0;
  for (let seed = 0; seed < 40; seed++) {
    const run = runProgram(p, { seed, keepTrace: true });
    assert.equal(run.verdict.kind, "pass", `seed ${seed}: ${JSON.stringify(run.verdict)}`);
    const read = run.results[0][5];
    if (read?.status !== ZX_OK) continue;
    // Its own page first (page 0), then the copy's fault on the page the buffer is (page 1).
    const tid = run.world.threads.find((t) => t.name === "p0")?.tid;
    const asked = run.world.trace.entries.flatMap(({ event: e }) =>
      e.k === "request" && e.tid === tid ? [e.start] : []
    );
    assert.deepEqual(asked, [0, 1], `seed ${seed}`);
    served++;
  }
  assert.ok(served > 0, "no schedule served the read and its copy");
});

Deno.test("with a user buffer a call may return its copy's statuses, and zx_object_get_info's OK is no longer decided", () => {
  const model = new HandleModel();
  model.createWithRights(0x10, ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ | ZX_RIGHT_INSPECT);
  // No buffer: every check passes, nothing else can fail.
  assert.equal(predict("zx_object_get_info", [0x10, ZX_INFO_VMO], model, 64), ZX_OK);
  assert.equal(predict("zx_object_get_info", [0x10, ZX_INFO_VMO, 0x7000_0000], model, 64), null);
  // A bad handle is still decided before the copy.
  assert.equal(
    predict("zx_object_get_info", [0x20, ZX_INFO_VMO, 0x7000_0000], model, 64),
    ZX_ERR_BAD_HANDLE,
  );
  assert.equal(allowed("zx_object_get_info", ZX_ERR_INVALID_ARGS), false);
  assert.equal(allowed("zx_object_get_info", ZX_ERR_INVALID_ARGS, true), true);
  assert.equal(allowed("zx_object_get_info", ZX_ERR_ACCESS_DENIED, true), true);
  // The record's copy to address 0 (unmapped) is INVALID_ARGS, which the contract now allows.
  const run = runProgram(
    mappedProgram({ call: "zx_object_get_info", args: [{ h: [0, 2] }, ZX_INFO_VMO, 0] }),
  );
  assert.equal(run.verdict.kind, "pass");
  assert.equal(run.results[0][5]?.status, ZX_ERR_INVALID_ARGS);
});

Deno.test("the schema accepts a user buffer and names the call and its argument counts when there are too many", () => {
  const one = (call: ProgramCall) => ({
    pageSize: 64,
    overtimeTicks: 0,
    threads: [{ failInsteadOfBlock: false, calls: [call] }],
  });
  const withBuffer = one({ call: "zx_vmo_read", args: [1, 0, 8, { addr: [0, 0], plus: 0 }] });
  assert.deepEqual(parseProgram(withBuffer), withBuffer);
  assert.ok(givesUserBuffer(withBuffer.threads[0].calls[0]));
  const tooMany = one({ call: "zx_vmo_read", args: [1, 0, 8, 0, 0] });
  assert.throws(
    () => parseProgram(tooMany),
    (e) =>
      e instanceof ProgramError &&
      /threads\.0\.calls\.0\.args: zx_vmo_read takes 3 to 4 arguments, not 5/.test(e.message),
  );
  assert.throws(
    () => parseProgram(one({ call: "zx_port_create", args: [0, 0] })),
    (e) => e instanceof ProgramError && /zx_port_create takes 1 argument, not 2/.test(e.message),
  );
});

Deno.test("the shrinker drops a user buffer the failure does not need", () => {
  const p: Program = {
    pageSize: 64,
    overtimeTicks: 0,
    threads: [{
      failInsteadOfBlock: false,
      calls: [
        { call: "zx_vmo_create", args: [64, 0] },
        { call: "zx_handle_replace", args: [{ h: [0, 0] }, ZX_RIGHT_READ] },
        { call: "zx_vmo_create", args: [64, 0] },
        {
          call: "zx_vmar_map",
          args: [{ vmar: 0 }, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, { h: [0, 2] }, 0, 64],
        },
        {
          call: "zx_vmo_write",
          args: [{ h: [0, 1] }, { bytes: 8, fill: 1 }, 0, { addr: [0, 3], plus: 8 }],
        },
      ],
    }],
  };
  // The cut itself: the same call without its buffer.
  const cut = [...programCuts(p)].find((c) =>
    c.threads[0].calls.length === 5 && c.threads[0].calls[4].args.length === 3
  );
  assert.ok(cut !== undefined, "no cut drops the user buffer");
  const fails = (q: Program) => {
    const v = runProgram(q, { makeKernel: (o) => new WriteWithoutRightKernel(o) }).verdict;
    return v.kind === "invariant" && v.invariant === CONTRACT;
  };
  assert.ok(fails(p));
  const shrunk = shrinkProgram({ program: p, decisions: [] }, { fails: (c) => fails(c.program) })
    .case.program;
  const write = shrunk.threads.flatMap((t) => t.calls).find((c) => c.call === "zx_vmo_write");
  assert.ok(write !== undefined && !givesUserBuffer(write), JSON.stringify(shrunk));
  assert.ok(!shrunk.threads.some((t) => t.calls.some((c) => c.call === "zx_vmar_map")));
});
