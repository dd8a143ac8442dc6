// userS23b wrote a blobfs-like pager service (case/testdata/userS23b/blobby.ts) from the README
// alone and reported what the commands told it badly. Each test is one of its reports.
import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";

const DATA = "case/testdata/userS23b";

/** `deno run -A cli/COMMAND.ts ARGS` in `cwd`: its exit code, stdout and stderr. */
const run = (command: string, args: string[], cwd?: string) =>
  denoOutput(["run", "-A", new URL(`./${command}.ts`, import.meta.url).pathname, ...args], cwd);

const sim = (args: string[], cwd?: string) => run("sim", args, cwd);

Deno.test("a module that throws while loading is named at the throw's file:line:column", async () => {
  // Was: "cannot load: blob index missing", no location.
  const r = await sim(["--service", `${DATA}/bad/m3b.ts`]);
  assert.equal(r.code, 2, r.out + r.err);
  assert.equal(
    r.err.trim(),
    `error: --service ${DATA}/bad/m3b.ts: cannot load: the module threw while loading, at ` +
      `${DATA}/bad/m3b.ts:3:9: Error: blob index missing`,
  );
});

Deno.test("a JSON.parse failure while loading: the module's line, and the JSON position said to be the text's", async () => {
  // Was: "(line 1 column 2)" alone, which reads as a position in m3.ts.
  const r = await sim(["--service", `${DATA}/bad/m3.ts`]);
  assert.equal(r.code, 2, r.out + r.err);
  assert.match(
    r.err.trim(),
    /^error: --service \S+m3\.ts: cannot load: the module threw while loading, at \S+\/bad\/m3\.ts:2:18: SyntaxError: .* \(line 1 column 2 of the text given to JSON\.parse\)$/,
  );
});

Deno.test("a syntax error is named at Deno's position, one line", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // userS23b's bad/m8.ts (kept out of the tree: deno check and fmt would refuse it).
    // Its own project (a module must live inside the project the command runs in).
    await Deno.writeTextFile(`${dir}/deno.json`, "{}\n");
    await Deno.writeTextFile(`${dir}/m8.ts`, "export default function* svc( {\n");
    const r = await sim(["--service", "m8.ts"], dir);
    assert.equal(r.code, 2, r.out + r.err);
    assert.equal(r.err.trim().split("\n").length, 1, r.err);
    assert.match(
      r.err,
      /^error: --service m8\.ts: cannot load: syntax error at m8\.ts:1:32: Unexpected token/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const OPEN_Q2 = `${DATA}/corpus_open/invariant-quiescent-end-q2-blobby-0ce6cd1f.json`;

Deno.test("repro --current-code prints the recorded failure with its sub-code, as corpus list does", async () => {
  // The case as userS23b had it before accepting its fix: expected invariant:quiescent-end,
  // signature invariant:quiescent-end:Q2. Was: "recorded ...: invariant:quiescent-end; now: pass".
  const r = await run("repro", [OPEN_Q2, "--current-code"]);
  assert.match(
    r.out,
    /^recorded \([^)]*\): invariant:quiescent-end:Q2; now: pass$/m,
    r.out + r.err,
  );
});

Deno.test("corpus accept prints the recorded failure with its sub-code", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // A project of its own holding the service and the case (accept rewrites the case).
    await Deno.writeTextFile(`${dir}/deno.json`, "{}\n");
    const root = new URL("../", import.meta.url).href;
    const service = (await Deno.readTextFile(`${DATA}/blobby.ts`))
      .replaceAll('"../../../', `"${root}`);
    await Deno.writeTextFile(`${dir}/blobby.ts`, service);
    await Deno.mkdir(`${dir}/corpus`);
    await Deno.copyFile(OPEN_Q2, `${dir}/corpus/q2.json`);
    const r = await run("corpus", ["accept", "corpus/q2.json"], dir);
    assert.match(
      r.out,
      /^corpus\/q2\.json: recorded invariant:quiescent-end:Q2, now pass \(1 module\(s\) changed\): re-recorded \(without the signature invariant:quiescent-end:Q2: a case that expects pass records none\)$/m,
      r.out + r.err,
    );
    // The fix records no signature (fix31a: a pass case that kept its failure's signature made
    // the next campaign's failure of that signature "known", a lost finding); corpus list shows
    // a plain pass.
    const fixed = JSON.parse(await Deno.readTextFile(`${dir}/corpus/q2.json`));
    assert.equal(fixed.expected, "pass");
    assert.equal(fixed.signature, undefined);
    const list = await run("corpus", ["list"], dir);
    assert.equal(list.code, 0, list.out + list.err);
    assert.match(
      list.out,
      /^q2\.json: scenario, expects pass, 8 decisions, service blobby\.ts$/m,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the vmos: line names every VMO a reopened file held", async () => {
  // blobs.json closes blob "a" and opens it again: vmo1015, then vmo1022. Was:
  // 'vmos: vmo1014 "b", vmo1022 "a", vmo1018 "c"', vmo1015 unnamed though the trace shows it.
  const r = await sim([
    "--service",
    `${DATA}/blobby.ts`,
    "--scenario",
    `${DATA}/blobs.json`,
  ]);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /^vmos: vmo1014 "b", vmo1015 "a", vmo1018 "c", vmo1022 "a"$/m);
});
