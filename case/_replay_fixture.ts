/**
 * The fixture of the corpus-case tests (`*_cases_test.ts`, `*_signing_test.ts`, `*_blame_test.ts`):
 * a case of a test-data corpus, found by the end of its file name and replayed as recorded
 * (verdict and trace hash asserted), and the message of a run's verdict. Test support only:
 * nothing outside tests imports it.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import type { KindRun } from "./kind.ts";
import { projectRoot, readCorpus, replayCase } from "./store.ts";

/** The project tree the cases' modules are resolved in. */
const TREE = await projectRoot(new URL("../", import.meta.url).pathname);

/** A replayed case: the run, and the input the case records. */
export interface ReplayedCase {
  readonly run: KindRun;
  readonly input: unknown;
}

/**
 * The case of corpus folder `dir` whose file name ends with `name`, replayed as recorded: the
 * corpus must load without errors and the replay must give the recorded verdict and trace hash.
 */
export async function replayedCase(dir: string, name: string): Promise<ReplayedCase> {
  const { cases, errors } = await readCorpus(dir);
  assert.deepEqual(errors, []);
  const found = cases.find((c) => c.file.endsWith(name));
  assert.ok(found !== undefined, name);
  const r = await replayCase(found.case, found.file, TREE);
  assert.ok(r.ok, `${name}: ${r.verdict} (recorded ${found.case.expected})`);
  return { run: r.run, input: found.case.input };
}

/** The message of a run's verdict ("" for a pass). */
export function verdictMessage(run: KindRun): string {
  return "message" in run.verdict ? run.verdict.message : "";
}
