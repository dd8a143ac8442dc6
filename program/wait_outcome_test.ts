// The wait outcome model's rules (program/wait_outcome.ts): TIMED_OUT only at or past the
// deadline, CANCELED of zx_object_wait_one only after a close or replace of its handle (or the
// runner's cleanup close) started while it waited; other outcomes and calls are not judged.
import { strict as assert } from "node:assert";
import { WaitOutcome } from "./wait_outcome.ts";
import { ZX_ERR_CANCELED, ZX_ERR_TIMED_OUT, ZX_OK } from "../kernel/constants.ts";

Deno.test("wait outcome: TIMED_OUT before the deadline fails, at or past it passes", () => {
  const w = new WaitOutcome();
  for (
    const [call, args] of [
      ["zx_object_wait_one", [7, 1, 20]],
      ["zx_port_wait", [7, 20]],
      ["zx_futex_wait", [64, 0, 0, 20]],
    ] as const
  ) {
    w.start(call, args, 0);
    assert.match(w.end(call, ZX_ERR_TIMED_OUT, 19, 0) ?? "", /before its deadline 20/, call);
    w.start(call, args, 0);
    assert.equal(w.end(call, ZX_ERR_TIMED_OUT, 20, 0), undefined, call);
    w.start(call, args, 0);
    assert.equal(w.end(call, ZX_OK, 3, 0), undefined, call);
  }
  // A deadline that is no number is an argument error: not judged.
  w.start("zx_object_wait_one", [7, 1, Number.NaN], 0);
  assert.equal(w.end("zx_object_wait_one", ZX_ERR_TIMED_OUT, 0, 0), undefined);
});

Deno.test("wait outcome: CANCELED only after its own handle's close or replace started", () => {
  const w = new WaitOutcome();
  w.start("zx_object_wait_one", [7, 1, 100], 0);
  w.start("zx_handle_close", [8], 1); // another handle
  assert.match(w.end("zx_object_wait_one", ZX_ERR_CANCELED, 50, 0) ?? "", /no call closed/);
  for (const closer of ["zx_handle_close", "zx_handle_replace"]) {
    w.start("zx_object_wait_one", [7, 1, 100], 0);
    w.start(closer, [7, 0], 1);
    assert.equal(w.end("zx_object_wait_one", ZX_ERR_CANCELED, 50, 0), undefined, closer);
  }
  w.start("zx_object_wait_one", [7, 1, 100], 2);
  w.closing(7); // the runner's cleanup
  assert.equal(w.end("zx_object_wait_one", ZX_ERR_CANCELED, 50, 2), undefined);
  // A close before the wait began does not excuse a later wait's CANCELED.
  w.start("zx_handle_close", [7], 1);
  w.start("zx_object_wait_one", [7, 1, 100], 0);
  assert.match(w.end("zx_object_wait_one", ZX_ERR_CANCELED, 50, 0) ?? "", /no call closed/);
});
