/**
 * A pager service with a seeded bug, as a module for `--service`: it passes
 * ZX_ERR_NO_MEMORY from a failed allocation on to ZX_PAGER_OP_FAIL, which
 * refuses it (zoo bug `forwards-no-memory-to-op-fail`, zoo/service_bugs.ts).
 * `deno task fuzz --service examples/testdata/forwards_no_memory_service.ts`
 * finds it in runs with allocation-failure injection.
 *
 * @module
 */

export { forwardsNoMemoryToOpFail as default } from "../../zoo/service_bugs.ts";
