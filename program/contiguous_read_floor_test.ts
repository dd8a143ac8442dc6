// The contract's ContiguousReadFloor (program/contiguous_read_floor.ts) and its probe
// `program:contiguous-read-back` (program/probes34f.ts; docs/mutation.md, "The last open key of
// shards 1-6"): the probe passes unmutated and fails on the mutant it was written for,
// `kernel/vmo_pages.ts:281:23` true (a contiguous VMO reads a lent page as zeros without taking
// its frame back), switched on in an instrumented mirror of the project.
import { strict as assert } from "node:assert";
import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { ContiguousReadFloor } from "./contiguous_read_floor.ts";
import { HandleModel } from "./handle_model.ts";
import {
  ZX_INFO_VMO,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
} from "../kernel/constants.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const PS = 4096;
const info = (bytes: number) => ({ committedBytes: bytes }) as never;

/** One whole call of thread `t`: start, then end; the end's verdict. */
function call(
  f: ContiguousReadFloor,
  model: HandleModel,
  name: string,
  args: unknown[],
  bytes?: number,
  t = 0,
): string | null {
  f.start(name, args, model, t);
  return f.end(name, args, ZX_OK, bytes === undefined ? undefined : info(bytes), model, PS, t);
}

Deno.test("ContiguousReadFloor: a read of a contiguous VMO sets the floor; reads, writes, COMMITs and queries keep it; any other call forgets it", () => {
  const model = new HandleModel();
  model.create(3, ZX_OBJ_TYPE_VMO, 0, null, 4 * PS, "contiguous");
  model.create(4, ZX_OBJ_TYPE_VMO, 0, null, 4 * PS); // plain: a read commits nothing
  const f = new ContiguousReadFloor();
  // Half a page into page 1 through half of page 2: pages 1 and 2.
  assert.equal(call(f, model, "zx_vmo_read", [3, PS + PS / 2, PS]), null);
  assert.equal(call(f, model, "zx_vmo_read", [4, 0, 4 * PS]), null);
  assert.equal(call(f, model, "zx_vmo_write", [3, new Uint8Array(8), 0]), null);
  assert.equal(call(f, model, "zx_vmo_op_range", [3, ZX_VMO_OP_COMMIT, 0, PS]), null);
  assert.equal(call(f, model, "zx_object_get_info", [4, ZX_INFO_VMO], 0), null);
  assert.equal(
    call(f, model, "zx_object_get_info", [3, ZX_INFO_VMO], PS),
    "committed_bytes 4096, but a zx_vmo_read of the contiguous VMO left 2 pages (8192 bytes) committed",
  );
  assert.equal(call(f, model, "zx_object_get_info", [3, ZX_INFO_VMO], 2 * PS), null);
  // A DECOMMIT (of this VMO, or of anything: a slice's names the slice) forgets the floor.
  assert.equal(call(f, model, "zx_vmo_op_range", [4, ZX_VMO_OP_DECOMMIT, 0, PS]), null);
  assert.equal(call(f, model, "zx_object_get_info", [3, ZX_INFO_VMO], 0), null);
  // An empty read commits nothing; a failed one is not judged.
  assert.equal(call(f, model, "zx_vmo_read", [3, 0, 0]), null);
  assert.equal(call(f, model, "zx_object_get_info", [3, ZX_INFO_VMO], 0), null);
  f.start("zx_vmo_read", [3, 0, PS], model, 0);
  assert.equal(f.end("zx_vmo_read", [3, 0, PS], -1, undefined, model, PS, 0), null);
  assert.equal(call(f, model, "zx_object_get_info", [3, ZX_INFO_VMO], 0), null);
});

Deno.test("ContiguousReadFloor: no floor from a read that ends while another thread's DECOMMIT is in flight", () => {
  const model = new HandleModel();
  model.create(3, ZX_OBJ_TYPE_VMO, 0, null, 2 * PS, "contiguous");
  const f = new ContiguousReadFloor();
  const decommit = [3, ZX_VMO_OP_DECOMMIT, 0, 2 * PS];
  f.start("zx_vmo_op_range", decommit, model, 1);
  assert.equal(call(f, model, "zx_vmo_read", [3, 0, 2 * PS]), null);
  assert.equal(f.end("zx_vmo_op_range", decommit, ZX_OK, undefined, model, PS, 1), null);
  assert.equal(call(f, model, "zx_object_get_info", [3, ZX_INFO_VMO], 0), null);
  // With nothing else in flight the same read sets it.
  assert.equal(call(f, model, "zx_vmo_read", [3, 0, 2 * PS]), null);
  assert.match(call(f, model, "zx_object_get_info", [3, ZX_INFO_VMO], 0) ?? "", /left 2 pages/);
});

Deno.test("contiguousReadBackProgram passes unmutated; a contiguous VMO that reads its lent page without taking the frame back fails the contract's ContiguousReadFloor", async () => {
  const m = await mutantMirror(["kernel/vmo_pages.ts"]);
  try {
    const { contiguousReadBackProgram } = await m.load("program/probes34f.ts") as Any;
    const mirrored = await m.load("program/run.ts") as Any;
    const run = () =>
      mirrored.runProgram(contiguousReadBackProgram(), {
        seed: 0,
        monitors: mirrored.programMonitors,
      });
    const base = run();
    assert.equal(base.verdict.kind, "pass", JSON.stringify(base.verdict));
    assert.ok(base.results[0].every((r: Any) => r.status === ZX_OK), JSON.stringify(base.results));
    // `!write && tgt.frames === null` with `tgt.frames === null` made true: the read of the lent
    // page returns no slot (zeros, as the model's plain VMO reads an absent page) and commits none.
    const v: Any = m.withMutant(
      "kernel/vmo_pages.ts:281:23:ConditionalExpression:true",
      () => run().verdict,
    );
    assert.equal(v.kind, "invariant", JSON.stringify(v));
    assert.equal(v.invariant, "program-contract", JSON.stringify(v));
    assert.match(
      v.message,
      /committed_bytes 0, but a zx_vmo_read of the contiguous VMO left 1 pages \(4096 bytes\) committed/,
    );
  } finally {
    m.dispose();
  }
});
