// Every case in corpus/ replays alone to its recorded verdict and trace hash, old formats too:
// a step per case, so the mutation tool's tests judge (mutate/judges.ts) runs only the cases that
// reach a mutant. The corpus is read beside this module (in a mutation mirror, the mirror's).
import { strict as assert } from "node:assert";
import { projectRoot, readCorpus, replayCase } from "./store.ts";

/** This module's project tree: the modules its cases name must lie in it. */
const TREE = await projectRoot(new URL("../", import.meta.url).pathname);

for (const dir of ["corpus", "corpus/programs"]) {
  Deno.test(`every case in ${dir} replays through replayCase alone, old formats too`, async (t) => {
    const { cases, errors } = await readCorpus(new URL(`../${dir}`, import.meta.url).pathname);
    assert.deepEqual(errors, []);
    assert.ok(cases.length > 0);
    for (const { file, case: c } of cases) {
      await t.step(file.split("/").pop() ?? file, async () => {
        const r = await replayCase(c, file, TREE);
        assert.equal(r.verdict, c.expected, `${file}: verdict`);
        assert.equal(r.traceHash, c.traceHash, `${file}: trace hash`);
        assert.ok(r.ok);
      });
    }
  });
}
