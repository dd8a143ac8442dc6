/**
 * Preloaded into a covered test run (`.ci/run`, `deno task coverage`):
 * `deno test --coverage` hands DENO_COVERAGE_DIR to every `deno` a test
 * starts, and a covered child (the CLI, run as a user runs it) is several
 * times slower. The child processes run uncovered; the tests' own process is
 * covered all the same (its coverage was set up from the flag, not from this
 * variable). The gates judge kernel/, sim/ and scenario/, which the tests load
 * in process.
 *
 * @module
 */

Deno.env.delete("DENO_COVERAGE_DIR");
