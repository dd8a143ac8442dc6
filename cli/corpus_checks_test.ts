// `corpus list` checks a case as repro does and says what is wrong in repro's words (userS23's
// hand-edited cases, case/testdata/userS23/corpus_bad: a truncated case was "not valid JSON" to
// repro but "invalid case" to corpus list; a missing service module was named by the case's
// relative path alone; a case whose input left its service's contract was valid to corpus list
// and refused by repro).
import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";

const DIR = "case/testdata/userS23/corpus_bad";

const deno = (...args: string[]) =>
  denoOutput(["run", "--allow-read", "--allow-write=/tmp", ...args]);

Deno.test("corpus list and repro refuse userS23's bad cases, each in the same words", async () => {
  const list = await deno("cli/corpus.ts", "list", DIR);
  assert.equal(list.code, 1, list.out + list.err);
  const looked = `${Deno.cwd()}/case/testdata/userS23/nonexistent.ts`;
  const said: Record<string, string> = {
    "truncated.json": "not valid JSON: Unexpected end of JSON input",
    "bad_service.json":
      `its service module ../nonexistent.ts does not exist (looked for ${looked})`,
    // The module as the case names it, not the name the harness registers it under ("user").
    "out_of_contract.json": "out of the contract of service ../tinyfs.ts: clause " +
      'vmoOptions.resizable: VMO "v11" is created resizable (vmos.0.resizable)',
  };
  assert.match(list.out, new RegExp(`^corpus: 0 valid, ${Object.keys(said).length} invalid$`, "m"));
  for (const [name, why] of Object.entries(said)) {
    const file = `${DIR}/${name}`;
    const listed = list.err.split("\n").find((l) => l.startsWith(`error: ${file}: `));
    assert.ok(listed?.endsWith(why), `${listed}\n${list.err}`);
    const repro = await deno("--allow-env=INIT_CWD", "cli/repro.ts", file);
    assert.equal(repro.code, 2, repro.out + repro.err);
    assert.equal(repro.err.trim(), `error: ${file}: ${why}`);
  }
});
