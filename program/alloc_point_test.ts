// The allocation point oracle (program/alloc_point.ts) on a stub kernel: the mutants it kills on
// the judge's programs are in contract_mutants_test.ts (syscalls.ts:1264, :1266).
import { strict as assert } from "node:assert";
import { ALLOCATING, AllocPoint } from "./alloc_point.ts";
import { ALLOCATING_CALLS, type AllocFailure } from "../kernel/alloc_fault.ts";
import type { KernelThread } from "../kernel/objects.ts";
import { ZX_ERR_INVALID_ARGS, ZX_ERR_NO_MEMORY, ZX_OK } from "../kernel/constants.ts";

const thread = (tid: number) => ({ tid }) as unknown as KernelThread;

Deno.test("an allocating call that returns ZX_OK without asking the injection hook is named; one that asked, a failed one, a call that allocates nothing, and a run without injection are not", () => {
  const asked: string[] = [];
  const kernel: { allocFailure: AllocFailure | null } = {
    allocFailure: (_t, name) => (asked.push(name), false),
  };
  const point = new AllocPoint(kernel);
  point.start(3);
  assert.match(point.end(3, "zx_vmo_create", ZX_OK) ?? "", /never reached its allocation point/);
  assert.equal(point.end(3, "zx_vmo_create", ZX_ERR_INVALID_ARGS), undefined);
  assert.equal(point.end(3, "zx_vmo_read", ZX_OK), undefined);
  point.start(3);
  assert.equal(kernel.allocFailure?.(thread(3), "zx_vmo_create"), false);
  assert.deepEqual(asked, ["zx_vmo_create"]);
  assert.equal(point.end(3, "zx_vmo_create", ZX_OK), undefined);
  // Another thread's ask does not count for this one; a new call forgets the last one's.
  point.start(4);
  assert.notEqual(point.end(4, "zx_event_create", ZX_OK), undefined);
  point.start(3);
  assert.notEqual(point.end(3, "zx_vmo_create", ZX_OK), undefined);
  const plain = new AllocPoint({ allocFailure: null });
  plain.start(3);
  assert.equal(plain.end(3, "zx_vmo_create", ZX_OK), undefined);
});

Deno.test("a call the injection hook failed that does not return ZX_ERR_NO_MEMORY is named; one that does is not", () => {
  const kernel: { allocFailure: AllocFailure | null } = { allocFailure: () => true };
  const point = new AllocPoint(kernel);
  point.start(3);
  assert.equal(kernel.allocFailure?.(thread(3), "zx_vmo_create"), true);
  assert.match(
    point.end(3, "zx_vmo_create", ZX_OK) ?? "",
    /returned ZX_OK, though the injected-failure hook failed it/,
  );
  assert.equal(point.end(3, "zx_vmo_create", ZX_ERR_NO_MEMORY), undefined);
  // A new call forgets the last one's failure.
  point.start(3);
  assert.equal(point.end(3, "zx_vmo_read", ZX_OK), undefined);
});

Deno.test("the oracle's list of allocating calls is its own and names what the kernel's names", () => {
  assert.notEqual(ALLOCATING, ALLOCATING_CALLS);
  assert.deepEqual([...ALLOCATING].sort(), [...ALLOCATING_CALLS].sort());
});
