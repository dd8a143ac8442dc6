/**
 * The one list of what decides a run: the folders whose code must be a pure
 * function of the scenario and the seeded decision source, and the host-side
 * files that alone may read the wall clock. `deno task check` lints these with
 * the determinism lint (quality/determinism_lint.ts).
 *
 * @module
 */

import { PAGERSIM_PARTS } from "../sim/variant_crash.ts";

/** Folders (relative to the project root) whose code decides a run's outcome. */
export const DECIDING_DIRS: readonly string[] = [
  "kernel",
  "sim",
  "scenario",
  "program",
  "case",
  "fuzz",
  "properties",
  "services",
  "zoo",
  "explore",
];

/**
 * Host-side files inside the deciding folders (file I/O, workers, the clock):
 * never linted themselves (they exist to use the host), but deciding code that
 * uses what they export is still a finding. Wall-clock time is read only in
 * fuzz/clock.ts.
 */
export const HOST_FILES: readonly string[] = [
  "case/_replay_fixture.ts",
  "case/config_flags.ts",
  "case/store.ts",
  "explore/_explore_worker.ts",
  "explore/_shrink_worker.ts",
  "explore/_task_worker.ts",
  "explore/guard.ts",
  "explore/parallel.ts",
  "fuzz/_worker_pool.ts",
  "fuzz/clock.ts",
  "fuzz/corpus_io.ts",
  "fuzz/orchestrate.ts",
  "fuzz/worker.ts",
  "properties/_guarded_host.ts",
  "properties/_guarded_runner.ts",
  "properties/_guarded_worker.ts",
  "properties/_load_failure.ts",
  "properties/_replay_check.ts",
  "properties/_runnable_deno.ts",
  "properties/guarded_property.ts",
];

/** Reference services that must lint clean (besides services/, which is a deciding folder). */
export const REFERENCE_SERVICES: readonly string[] = ["examples/my_service.ts"];

/**
 * pagersim's own top-level folders: a module in one of them (or mod.ts) is pagersim's library,
 * which `deno task check` lints, not a service's. examples/ is not among them: like a `testdata/`
 * folder anywhere, it holds services as a user writes them (case/investigate.ts blames them
 * as users' code too). A user's own folder in a pagersim clone (`blobfs/`) is the service's.
 */
export const LIBRARY_DIRS: readonly string[] = PAGERSIM_PARTS.filter((p) => p !== "mod.ts");
