// user22's two-volume file service (case/testdata/user22): the false alarms its CORRECT service
// met. Each case replays through replayCase, as a user's corpus test does.
import { strict as assert } from "node:assert";
import { projectRoot, readCorpus, replayCase, replayProblem } from "./store.ts";
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

Deno.test({
  name: "user22 trunc_first: an op that is a thread's first reads its file's handle when it runs",
  // explore runs as a child process, as a user runs it.
  ignore: Deno.permissions.querySync({ name: "run" }).state !== "granted",
  async fn() {
    // The trunc thread's first op resizes f, which the owner thread opens: its handle was read
    // when the thread was spawned (0 in every schedule: BAD_HANDLE), so explore passed all 45
    // schedules of bug2 (a stale size after a truncate); with the handle read as the op runs, a
    // schedule that opens f first truncates the open file and finds the bug.
    const dir = await Deno.makeTempDir({ prefix: "pagersim-user22-" });
    try {
      const o = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "cli/explore.ts",
          "--scenario",
          "case/testdata/user22/trunc_first.json",
          "--preemptions",
          "2",
          "--service",
          "case/testdata/user22/bugs/bug2_stale_size.ts",
          "--corpus",
          dir,
        ],
        cwd: TREE,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const out = new TextDecoder().decode(o.stdout) + new TextDecoder().decode(o.stderr);
      // The stale size makes its OP_FAIL reach past the truncated end: ZX_ERR_OUT_OF_RANGE, and
      // the READ is dropped on it (userS25: such a drop signs by the failed answer).
      assert.match(
        out,
        /^signature: dropped-after-error:ZX_PAGER_OP_FAIL:ZX_ERR_OUT_OF_RANGE$/m,
        out,
      );
      assert.equal(o.code, 1, out);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("user22 corpus test: a case whose module changed fails with its one-line reason", async () => {
  const { file, case: c } = await userCase("invariant-no-lost-requests-volumes-72423344.json");
  const changed = { ...c, service: { path: c.service?.path ?? "", sha256: "0".repeat(64) } };
  const why = await replayProblem(changed, file, TREE);
  assert.match(
    why ?? "",
    /its service module \.\.\/volumes\.ts changed since the case was written/,
  );
  assert.match(why ?? "", /--current-code/);
  assert.match(
    await replayProblem({ ...c, expected: "pass" }, file, TREE) ?? "",
    /: pass as recorded, but trace hash [0-9a-f]{16}, recorded 85bfa61ba543a827$/,
  );
  assert.equal(
    await replayProblem({ ...c, expected: "pass", traceHash: "77a4bd12df0df512" }, file, TREE),
    null,
  );
  assert.equal(
    await replayProblem(c, file, TREE),
    `${file}: expected invariant:no-lost-requests, got pass`,
  );
});
