// Every case in corpus/ replays alone to its recorded verdict and trace hash, old formats too:
// a step per case, so the mutation tool's tests judge (mutate/judges.ts) runs only the cases that
// reach a mutant. The corpus is read beside this module (in a mutation mirror, the mirror's).
import { strict as assert } from "node:assert";
import { projectRoot, readCorpus, replayCase } from "./store.ts";
import type { CaseEnvelope } from "./envelope.ts";

/** This module's project tree: the modules its cases name must lie in it. */
const TREE = await projectRoot(new URL("../", import.meta.url).pathname);

/**
 * Replays one case. A case the watchdog stopped (`service-hang`, `kernel-hang`, `out-of-memory`:
 * its service or kernel variant never yields, or allocates without bound) cannot run in this process, which nothing could
 * stop: it replays as `deno task repro FILE` does, in a guarded worker under the limits the case
 * records, and must be stopped the same way again (issue hC: a campaign with the default
 * `--corpus corpus` put such a case where this test would have hung on it).
 */
async function replayOne(file: string, c: CaseEnvelope): Promise<void> {
  if (
    c.expected === "service-hang" || c.expected === "kernel-hang" ||
    c.expected === "out-of-memory"
  ) {
    const o = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write=/tmp",
        "cli/repro.ts",
        file,
        "--trace",
        "none",
        // Stopped at the run limit, a run is run again with this limit before it is a hang.
        "--confirm-timeout",
        String(2 * (c.limits?.runTimeout ?? 5)),
      ],
      cwd: TREE,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const out = new TextDecoder().decode(o.stdout) + new TextDecoder().decode(o.stderr);
    assert.match(out, new RegExp(`^expected: ${c.expected}: reproduced$`, "m"), `${file}: ${out}`);
    assert.equal(o.code, 0, `${file}: ${out}`);
    return;
  }
  const r = await replayCase(c, file, TREE);
  assert.equal(r.verdict, c.expected, `${file}: verdict`);
  assert.equal(r.traceHash, c.traceHash, `${file}: trace hash`);
  assert.ok(r.ok);
}

for (const dir of ["corpus", "corpus/programs"]) {
  Deno.test(`every case in ${dir} replays through replayCase alone, old formats too`, async (t) => {
    const { cases, errors } = await readCorpus(new URL(`../${dir}`, import.meta.url).pathname);
    assert.deepEqual(errors, []);
    assert.ok(cases.length > 0);
    for (const { file, case: c } of cases) {
      await t.step(file.split("/").pop() ?? file, () => replayOne(file, c));
    }
  });
}

Deno.test({
  name: "a hang case in a corpus replays under the watchdog, never in this process",
  // It runs deno task fuzz and repro as child processes, which no mutant reaches: the mutation
  // tool's tests judge (no run permission) leaves it out rather than fail it unmutated.
  ignore: Deno.permissions.querySync({ name: "run" }).state !== "granted",
  fn: hangCaseReplays,
});

async function hangCaseReplays() {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-corpus-hang-" });
  try {
    const f = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "cli/fuzz.ts",
        "--service",
        "examples/testdata/trial/block_service.ts",
        "--runs",
        "3",
        "--workers",
        "1",
        "--seed",
        "1",
        "--run-timeout",
        "1",
        "--confirm-timeout",
        "2",
        "--corpus",
        dir,
      ],
      cwd: TREE,
      stdout: "null",
      stderr: "null",
    }).output();
    assert.equal(f.code, 1);
    const { cases, errors } = await readCorpus(dir);
    assert.deepEqual(errors, []);
    const hang = cases.filter((x) => x.case.expected === "service-hang");
    assert.equal(hang.length, 1, cases.map((x) => x.case.expected).join(", "));
    await replayOne(hang[0].file, hang[0].case);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
