import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";
import { readCaseFile, readCorpus, staleCaseFiles, writeCase } from "../case/store.ts";
import type { CaseEnvelope } from "../case/envelope.ts";

const root = new URL("../", import.meta.url);

/** `deno task corpus ARGS` from the project root: its exit code, stdout and stderr together. */
async function corpus(...args: string[]): Promise<{ code: number; out: string }> {
  const r = await denoOutput(
    ["run", "--allow-read", "--allow-write=/tmp", "cli/corpus.ts", ...args],
    root.pathname,
  );
  return { code: r.code, out: r.out + r.err };
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
    // A third shard found B's finding again, with more decisions: left for the smaller case.
    await writeCase(`${tmp}/shard2`, { ...b, decisions: [...b.decisions, 0, 1] });
    // The target already holds A's finding: B's is still news.
    await writeCase(`${tmp}/into`, a);
    const r = await corpus(
      "merge",
      `${tmp}/shard0`,
      `${tmp}/shard1`,
      `${tmp}/shard2`,
      "--into",
      `${tmp}/into`,
    );
    assert.equal(r.code, 0, r.out);
    // Every source case is counted: 1 added + 1 present + 1 left = 3.
    assert.match(
      r.out,
      /merge: 1 added, 1 of a finding already present, 1 left for a smaller case of their finding, 0 invalid skipped/,
    );
    const { cases } = await readCorpus(`${tmp}/into`);
    assert.deepEqual(cases.map((c) => c.case.service?.path).sort(), ["../svc_a.ts", "../svc_b.ts"]);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("corpus merge rewrites a case's module paths for its new directory: the merged case replays as printed", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "pagersim-merge-depth-" });
  try {
    // One source at another depth than the target: corpus/ -> /tmp/.../a/b/into.
    const src = `${tmp}/src`;
    await Deno.mkdir(src);
    const name = "fxfs-no-page-in-barrier.json";
    const c = await readCaseFile(new URL(`corpus/${name}`, root).pathname);
    const fromCorpus = new URL("corpus/", root).pathname;
    // The case as the shard wrote it: its module path relative to the shard's directory.
    const moduleAbs = new URL(`corpus/${c.service?.path}`, root).pathname;
    const rel = (from: string, to: string) => {
      const a = from.split("/").filter(Boolean), b = to.split("/").filter(Boolean);
      let i = 0;
      while (i < a.length && i < b.length && a[i] === b[i]) i++;
      return [...a.slice(i).map(() => ".."), ...b.slice(i)].join("/");
    };
    assert.ok(c.service !== undefined && fromCorpus.length > 0);
    await Deno.writeTextFile(
      `${src}/${name}`,
      JSON.stringify({ ...c, service: { ...c.service, path: rel(src, moduleAbs) } }, null, 2),
    );
    const into = `${tmp}/a/b/into`;
    const r = await corpus("merge", src, "--into", into);
    assert.equal(r.code, 0, r.out);
    const merged = await readCaseFile(`${into}/${name}`);
    assert.equal(merged.service?.path, rel(into, moduleAbs));
    const o = await denoOutput(
      ["run", "--allow-read", "--allow-write=/tmp", "cli/repro.ts", `${into}/${name}`],
      root.pathname,
    );
    const out = o.out + o.err;
    assert.match(out, /reproduced/, out);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("corpus: a mistyped command gets a suggestion; accept of a missing case names it once and exits 2", async () => {
  const typo = await corpus("lst");
  assert.equal(typo.code, 2, typo.out);
  assert.match(typo.out, /^error: unknown command "lst"; did you mean "list"\?$/m);
  const missing = await corpus("accept", "/tmp/pagersim-no-such-case.json");
  assert.equal(missing.code, 2, missing.out);
  assert.match(missing.out, /^error: \/tmp\/pagersim-no-such-case\.json: cannot read: /m);
  assert.doesNotMatch(missing.out, /no-such-case\.json: \/tmp\/pagersim-no-such-case\.json/);
});

// Two bugs of one invariant were both listed as `expects invariant:answers-every-read`: the list
// shows the recorded signature too, as repro prints it.
Deno.test("corpus list tells two cases of one invariant apart by their signatures", async () => {
  const { expectsText } = await import("./corpus.ts");
  const expected = "invariant:answers-every-read";
  assert.equal(
    expectsText({ expected, signature: "lost-wakeup:condvar queue nonempty" }),
    "invariant:answers-every-read (signature lost-wakeup:condvar queue nonempty)",
  );
  assert.equal(
    expectsText({
      expected: "invariant:keeps-port-open",
      signature: "invariant:keeps-port-open:P10",
    }),
    "invariant:keeps-port-open:P10",
  );
  assert.equal(expectsText({ expected, signature: expected }), expected);
  assert.equal(expectsText({ expected: "pass" }), "pass");
});

// A case that expects pass with a failure's signature is what `corpus accept` writes for a fix:
// it was listed as `expects pass (signature invariant:quiescent-end:Q2)`, a pass with a failure.
Deno.test("corpus list names a pass-expected case with a signature as an accepted fix", async () => {
  const { expectsText } = await import("./corpus.ts");
  assert.equal(
    expectsText({ expected: "pass", signature: "invariant:quiescent-end:Q2" }),
    "pass (an accepted fix of invariant:quiescent-end:Q2)",
  );
  // userS23b's case as `corpus accept` left it; its module changed since: stale, which repro
  // refuses as it stands (userS26s: it was counted valid).
  const r = await corpus("list", "case/testdata/userS23b/corpus");
  assert.equal(r.code, 1, r.out);
  assert.match(
    r.out,
    /^invariant-quiescent-end-q2-blobby-0ce6cd1f\.json: scenario, expects pass \(an accepted fix of invariant:quiescent-end:Q2\), 8 decisions, service case\/testdata\/userS23b\/blobby\.ts \(stale: its service module \.\.\/blobby\.ts changed since the fix was accepted /m,
  );
  assert.match(r.out, /^corpus: 0 valid, 1 stale, 0 invalid$/m);
});

// userS26k: `corpus list DIR` said `corpus: 0 valid, 0 invalid` of a DIR whose only cases a
// `--mode programs` campaign had written, under DIR/programs/.
Deno.test("corpus list DIR lists the cases a program campaign wrote under DIR/programs", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "pagersim-list-" });
  try {
    const name = "regress-k14-user-copy-fault-status.json";
    await Deno.mkdir(`${tmp}/programs`);
    await Deno.copyFile(
      new URL(`corpus/programs/${name}`, root).pathname,
      `${tmp}/programs/${name}`,
    );
    const r = await corpus("list", tmp);
    assert.equal(r.code, 0, r.out);
    assert.match(
      r.out,
      new RegExp(`^programs/${name.replaceAll(".", "\\.")}: program, expects pass`, "m"),
    );
    assert.match(
      r.out,
      new RegExp(
        `^corpus: 1 valid, 0 invalid \\(1 valid under ${tmp}/programs, a program campaign's\\)$`,
        "m",
      ),
    );
    // The programs folder listed by itself is listed as before.
    const alone = await corpus("list", `${tmp}/programs`);
    assert.match(alone.out, /^corpus: 1 valid, 0 invalid$/m);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

// userS30b: a campaign's header said "(1 known for this context)" of a corpus whose one case was
// stale (its service changed since), which `corpus list` reported and repro refuses as it
// stands; fuzz now names the known cases that are stale before it runs (staleCaseFiles).
Deno.test("staleCaseFiles names the cases corpus list calls stale, and only those", async () => {
  const stale = "case/testdata/userS23b/corpus/invariant-quiescent-end-q2-blobby-0ce6cd1f.json";
  assert.deepEqual(await staleCaseFiles([stale, "corpus/zoo-duplicate-read.json"]), [stale]);
  assert.deepEqual(await staleCaseFiles(["no/such/case.json"]), []);
});

// Session 33 (fix33a): corpus list printed a case's modules as recorded, relative to the case's
// own folder (`service ../examples/testdata/fxfs_no_barrier.ts` for a case in corpus/), which
// named no file from where the user stood. They are shown from the working directory, and a line
// says so.
Deno.test("corpus list shows module paths from the working directory and says so", async () => {
  const { list } = await import("./corpus.ts");
  const out: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  try {
    await list("case/testdata/userS23b/corpus");
  } finally {
    console.log = log;
  }
  const text = out.join("\n");
  assert.match(text, /, service case\/testdata\/userS23b\/blobby\.ts /);
  assert.doesNotMatch(text, /, service \.\.\//);
  assert.ok(
    out.includes(
      `(service and kernel paths above are from ${Deno.cwd()}, the project root under deno ` +
        "task; a case records them relative to its own file)",
    ),
    text,
  );
});
