/**
 * A test fixture the program tests share: a program whose first thread maps a VMO and makes one
 * call, while a second thread serves the pager's requests.
 *
 * @module
 */

import { ZX_VM_PERM_READ, ZX_VM_PERM_WRITE } from "../kernel/constants.ts";
import type { Program, ProgramCall } from "./program.ts";

/**
 * A pager VMO of two pages (handle `[0, 2]`) and an anonymous one (`[0, 3]`); `mappedVmo` (2 or 3)
 * mapped whole, read and write (its address is `[0, 4]`); then `call`. A second thread answers
 * three requests, each with a supply from the anonymous VMO.
 *
 * @example
 * ```ts
 * import { mappedProgram } from "./_mapped_program.ts";
 * const p = mappedProgram({ call: "zx_vmo_read", args: [{ h: [0, 3] }, 0, 64, { addr: [0, 4], plus: 0 }] });
 * console.assert(p.threads[0].calls[5].call === "zx_vmo_read");
 * ```
 */
export function mappedProgram(call: ProgramCall, mappedVmo = 2): Program {
  return {
    pageSize: 64,
    overtimeTicks: 0,
    threads: [
      {
        failInsteadOfBlock: false,
        calls: [
          { call: "zx_pager_create", args: [0] },
          { call: "zx_port_create", args: [0] },
          { call: "zx_pager_create_vmo", args: [{ h: [0, 0] }, 0, { h: [0, 1] }, 1, 128] },
          { call: "zx_vmo_create", args: [128, 0] },
          {
            call: "zx_vmar_map",
            args: [
              { vmar: 0 },
              ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
              0,
              { h: [0, mappedVmo] },
              0,
              128,
            ],
          },
          call,
        ],
      },
      {
        failInsteadOfBlock: false,
        calls: [0, 1, 2].flatMap((i) =>
          [
            { call: "zx_port_wait", args: [{ h: [0, 1] }, { after: 1000 }] },
            {
              call: "zx_pager_supply_pages",
              args: [
                { h: [0, 0] },
                { h: [0, 2] },
                { pkt: [1, 2 * i], field: "offset" },
                { pkt: [1, 2 * i], field: "length" },
                { h: [0, 3] },
                0,
              ],
            },
          ] satisfies ProgramCall[]
        ),
      },
    ],
  };
}
