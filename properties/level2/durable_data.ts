/**
 * `durable-data`: no acknowledged write is ever lost across writeback,
 * eviction and re-supply. It is {@linkcode DataIntegrity} (one reference
 * model, so the two never disagree) under the level-2 name: every read, and
 * every supply of a page that saw a write, must equal the backing pattern
 * overlaid with every store. `kernelInvariants()` already runs the same checks
 * as `data-integrity`; this name serves `level2Invariants()` on its own.
 *
 * @module
 */

import { DataIntegrity } from "../data_integrity.ts";

/** Checks reads and re-supplied written pages of root pager VMOs against the written reference. */
export class DurableData extends DataIntegrity {
  override readonly name: string = "durable-data";
}
