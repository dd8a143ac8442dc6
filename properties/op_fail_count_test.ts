// single-supply counts an OP_FAIL's pages as resolved only when the OP_FAIL returned ZX_OK: one
// refused before it looked at a request (here WRONG_TYPE: an aux VMO's handle passed as the
// pager, and data 0, no failure code) resolves nothing upstream (`sys_pager_op_range` looks the
// pager up first; zx_pager_op_range.md's errors change no request), so a later supply of one page
// of a three-page READ leaves that request owed two pages, not "all 3 of its pages supplied".
// Found by `deno task fuzz --runs 10000 --seed 2 --workers 1 --mode programs` (run 7337, shrunk
// to this program and schedule, helper gap32a): K28 failed it, on main 7cfb2a3 too.
import { strict as assert } from "node:assert";
import { ZX_ERR_WRONG_TYPE, ZX_OK, ZX_PAGER_OP_FAIL } from "../kernel/constants.ts";
import type { Program } from "../program/program.ts";
import { programMonitors, runProgram } from "../program/run.ts";

const PROGRAM: Program = {
  pageSize: 64,
  overtimeTicks: 0,
  threads: [
    {
      failInsteadOfBlock: false,
      calls: [
        { call: "zx_port_create", args: [0] },
        { call: "zx_port_wait", args: [{ h: [0, 0] }, { after: 20 }] },
        // Pages [1, 4) of the pager VMO: READ #1 [1, 4), the writer parks.
        { call: "zx_vmo_write", args: [{ h: [1, 2] }, { bytes: 192, fill: 65 }, 64] },
      ],
    },
    {
      failInsteadOfBlock: false,
      calls: [
        { call: "zx_port_create", args: [0] },
        { call: "zx_pager_create", args: [0] },
        { call: "zx_pager_create_vmo", args: [{ h: [1, 1] }, 0, { h: [1, 0] }, 0, 256] },
        { call: "zx_vmo_create", args: [256, 0] },
        { call: "zx_port_wait", args: [{ h: [1, 0] }, { after: 20 }] },
        // OP_FAIL through the aux VMO's handle as the pager: WRONG_TYPE, nothing resolved.
        {
          call: "zx_pager_op_range",
          args: [{ h: [1, 3] }, ZX_PAGER_OP_FAIL, { h: [1, 2] }, 0, 4096, 0],
        },
        // Page 3 alone: READ #1 still needs pages 1 and 2.
        {
          call: "zx_pager_supply_pages",
          args: [{ h: [1, 1] }, { h: [1, 2] }, 192, 64, { h: [1, 3] }, 0],
        },
      ],
    },
  ],
};

Deno.test("single-supply: an OP_FAIL that returned an error counts no page of a READ resolved (K28 owes nothing after a one-page supply)", () => {
  const r = runProgram(PROGRAM, { seed: 297659410, decisions: [0, 0], monitors: programMonitors });
  assert.equal(r.results[1][5]?.status, ZX_ERR_WRONG_TYPE);
  assert.equal(r.results[1][6]?.status, ZX_OK);
  assert.equal(r.verdict.kind, "pass", JSON.stringify(r.verdict));
});
