/**
 * A pager service with a seeded bug, as a module for `--service`: it reads a
 * file into the supply buffer and zero-fills the tail past end of file from
 * one byte too late, so the first byte past the end keeps stale data (zoo bug
 * `zero-fills-tail-off-by-one`, zoo/service_bugs.ts).
 * `deno task fuzz --service examples/testdata/zero_fills_tail_off_by_one_service.ts`
 * finds it in runs with file layouts (files that end mid-page), as
 * data-integrity.
 *
 * @module
 */

export { zeroFillsTailOffByOne as default } from "../../zoo/service_bugs.ts";
