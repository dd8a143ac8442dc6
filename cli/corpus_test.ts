import { strict as assert } from "node:assert";
import { readCaseFile, readCorpus, writeCase } from "../case/store.ts";
import type { CaseEnvelope } from "../case/envelope.ts";

const root = new URL("../", import.meta.url);

async function corpus(...args: string[]): Promise<{ code: number; out: string }> {
  const o = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write=/tmp", "cli/corpus.ts", ...args],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: o.code, out: dec.decode(o.stdout) + dec.decode(o.stderr) };
}

Deno.test("corpus merge keeps one case per finding, not per signature: two services' cases of one signature both arrive", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "pagersim-merge-" });
  try {
    const zoo = await readCaseFile(new URL("corpus/zoo-duplicate-read.json", root).pathname);
    const { bug: _, ...base } = { ...zoo, signature: "invariant:data-integrity" };
    const sha256 = "cd".repeat(32); // byte-identical modules at two paths
    const a: CaseEnvelope = { ...base, service: { path: "../svc_a.ts", sha256 } };
    const b: CaseEnvelope = { ...base, service: { path: "../svc_b.ts", sha256 } };
    await writeCase(`${tmp}/shard0`, a);
    await writeCase(`${tmp}/shard1`, b);
    // The target already holds A's finding: B's is still news.
    await writeCase(`${tmp}/into`, a);
    const r = await corpus("merge", `${tmp}/shard0`, `${tmp}/shard1`, "--into", `${tmp}/into`);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /merge: 1 added, 1 already present/);
    const { cases } = await readCorpus(`${tmp}/into`);
    assert.deepEqual(cases.map((c) => c.case.service?.path).sort(), ["../svc_a.ts", "../svc_b.ts"]);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
