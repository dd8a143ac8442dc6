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
    // The end of the text: where it was cut (trial37: a place where V8 names none).
    "truncated.json": "not valid JSON: Unexpected end of JSON input (line 64 column 13)",
    "bad_service.json":
      `its service module ../nonexistent.ts does not exist (looked for ${looked})`,
    // The module as the case names it, not the name the harness registers it under ("user").
    "out_of_contract.json": "out of the contract of service ../tinyfs.ts: clause " +
      'vmoOptions.resizable: VMO "v11" is created resizable (vmos.0.resizable): set ' +
      `input.vmos[0].resizable to false in ${DIR}/out_of_contract.json`,
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

// userS26s: a case whose imported module had changed was counted "1 valid" (its line said it
// "replays only with --current-code") while repro refused it with exit 2.
Deno.test("corpus list counts a case whose module changed as stale, not valid, as repro refuses it", async () => {
  const root = Deno.cwd();
  const dir = await Deno.makeTempDir({ prefix: "pagersim-stale-" });
  const name = "invariant-quiescent-end-q2-01bde2a7.json";
  try {
    await Deno.writeTextFile(`${dir}/deno.json`, "{}\n");
    await Deno.mkdir(`${dir}/corpus`);
    await Deno.mkdir(`${dir}/examples/testdata`, { recursive: true });
    await Deno.copyFile(`corpus/${name}`, `${dir}/corpus/${name}`);
    const svc = `${dir}/examples/testdata/lost_read_blob_pager.ts`;
    await Deno.copyFile("examples/testdata/lost_read_blob_pager.ts", svc);
    const inDir = (...args: string[]) =>
      denoOutput([
        "run",
        "--config",
        `${root}/deno.json`,
        "--allow-read",
        "--allow-env=INIT_CWD",
        ...args.map((a) => a.startsWith("cli/") ? `${root}/${a}` : a),
      ], dir);
    const fresh = await inDir("cli/corpus.ts", "list", "corpus");
    assert.equal(fresh.code, 0, fresh.out + fresh.err);
    assert.match(fresh.out, /^corpus: 1 valid, 0 invalid$/m);
    await Deno.writeTextFile(svc, "\n// changed\n", { append: true });
    const list = await inDir("cli/corpus.ts", "list", "corpus");
    assert.equal(list.code, 1, list.out + list.err);
    assert.match(list.out, /^corpus: 0 valid, 1 stale, 0 invalid$/m);
    assert.match(list.out, /\(stale: its service module .* changed since the case was written/);
    // userS28s: the line said "replaying against the module as it is now: repro refuses it".
    assert.doesNotMatch(list.out, /replaying against/);
    assert.match(
      list.out,
      new RegExp(
        `: \`deno task repro corpus/${name}\` refuses to replay it against the changed code ` +
          `\\(exit 2\\); with --current-code it replays it against the code as it is now ` +
          `\\(exit 0 only if it passes now\\); \`deno task corpus accept corpus/${name}\` ` +
          `re-records it\\)$`,
        "m",
      ),
    );
    const repro = await inDir("cli/repro.ts", `corpus/${name}`);
    assert.equal(repro.code, 2, repro.out + repro.err);
    assert.match(repro.err, /changed since the case was written/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
