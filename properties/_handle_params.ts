/**
 * Which parameters of each syscall name a handle, by the syscall table (`kernel/syscalls.ts`):
 * a parameter with a handle lookup, or one whose kind is a handle's. Shared by P17
 * (`uses-no-closed-handle`) and the replay commands' closed-handle note, so the two agree on
 * what "passes a handle" means.
 *
 * @module
 */

import { type Param, spec, SYSCALL_NAMES } from "../kernel/syscalls.ts";

/** The parameter kinds that name a handle (kernel/syscalls.ts `Param`). */
const HANDLE_KINDS: ReadonlySet<Param> = new Set<Param>([
  "pager",
  "port",
  "vmo",
  "aux",
  "thread",
  "vmar",
  "bti",
  "pmt",
  "handle",
]);

const HANDLE_PARAMS: ReadonlyMap<string, readonly number[]> = new Map(
  SYSCALL_NAMES.map((name): [string, number[]] => [
    name,
    spec(name).params.flatMap((p, i) =>
      p.handle !== undefined || HANDLE_KINDS.has(p.kind) ? [i] : []
    ),
  ]),
);

/**
 * The indexes of `name`'s parameters that name a handle; none for a call the table does not
 * list (a kernel variant's own, or a harness hook).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { handleParams } from "./_handle_params.ts";
 *
 * assert.deepEqual(handleParams("zx_handle_close"), [0]);
 * assert.deepEqual(handleParams("my_variant_call"), []);
 * ```
 */
export function handleParams(name: string): readonly number[] {
  return HANDLE_PARAMS.get(name) ?? [];
}
