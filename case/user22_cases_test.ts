// user22's two-volume file service (case/testdata/user22): the false alarms its CORRECT service
// met. Each case replays through replayCase, as a user's corpus test does.
import { strict as assert } from "node:assert";
import { projectRoot, readCorpus, replayCase } from "./store.ts";
import type { CaseEnvelope } from "./envelope.ts";

const TREE = await projectRoot(new URL("../", import.meta.url).pathname);
const DIR = new URL("./testdata/user22/corpus", import.meta.url).pathname;

async function userCase(name: string): Promise<{ file: string; case: CaseEnvelope }> {
  const { cases, errors } = await readCorpus(DIR);
  assert.deepEqual(errors, []);
  const found = cases.find((c) => c.file.endsWith(name));
  assert.ok(found !== undefined, name);
  return found;
}

Deno.test("user22 P11: closing the pager after every VMO detached and COMPLETEd is no P11", async () => {
  // volume B detached vmo1011 at #48, read its COMPLETE at #59, closed the pager at #63; a client
  // still held the VMO. Closing the pager detaches only VMOs still attached
  // (PagerProxy::OnDispatcherClose -> PageSource::Detach returns early once detached).
  const { file, case: c } = await userCase("invariant-keeps-pager-open-p11-volumes-23eaa55a.json");
  const r = await replayCase(c, file, TREE);
  assert.equal(r.verdict, "pass", `${file}: ${r.verdict}`);
});

Deno.test("user22 deferred kill: the killed thread runs none of its next open entry", async () => {
  // w0 = [open v5, open v7] plus a kill that lands inside the first open: it takes effect as that
  // entry returns, and the dead thread once took the service's volume lock at the top of the
  // second open (`t2 cas futex word ... 0 -> 96` after `t2 killed`), so t3 waited forever.
  const { file, case: c } = await userCase("invariant-no-lost-requests-volumes-72423344.json");
  const r = await replayCase(c, file, TREE);
  assert.equal(r.verdict, "pass", `${file}: ${r.verdict}`);
});
