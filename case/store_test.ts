import { strict as assert } from "node:assert";
import { knownCases, readCaseFile, readCorpus, writeCase } from "./store.ts";
import { type CaseEnvelope, type CaseError, caseFileName, legacyCaseFileName } from "./envelope.ts";

async function sample(): Promise<CaseEnvelope> {
  return await readCaseFile(new URL("../corpus/zoo-duplicate-read.json", import.meta.url).pathname);
}

Deno.test("two writes of one signature at once use distinct temp files and leave one valid case", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const c = { ...(await sample()), signature: "invariant:packet-discipline@x" };
    const paths = await Promise.all(Array.from({ length: 8 }, () => writeCase(dir, c)));
    assert.equal(new Set(paths).size, 1);
    const names = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.deepEqual(names, [paths[0].split("/").pop()]);
    assert.equal((await readCaseFile(paths[0])).traceHash, c.traceHash);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a different case never overwrites another: it takes the next free name", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = { ...(await sample()), signature: "sig-a" };
    const first = await writeCase(dir, a, "same.json");
    const b = { ...a, signature: "sig-b" };
    const second = await writeCase(dir, b, "same.json");
    assert.notEqual(first, second);
    assert.ok(second.endsWith("same-2.json"));
    assert.equal((await readCaseFile(first)).signature, "sig-a");
    assert.equal((await readCaseFile(second)).signature, "sig-b");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("one signature: the smaller case wins, and a shrunk case replaces its unshrunk form", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const small = { ...(await sample()), signature: "sig" };
    const big = { ...small, decisions: [...small.decisions, 0, 0, 0] };
    const path = await writeCase(dir, small);
    assert.equal(await writeCase(dir, big), path);
    assert.equal((await readCaseFile(path)).decisions.length, small.decisions.length);
    const dir2 = await Deno.makeTempDir();
    try {
      const unshrunk = { ...big, found: { by: "test", unshrunk: true } };
      const p = await writeCase(dir2, unshrunk);
      await writeCase(dir2, { ...big, decisions: [...big.decisions, 1], found: { by: "test" } });
      assert.equal((await readCaseFile(p)).found?.unshrunk, undefined);
    } finally {
      await Deno.remove(dir2, { recursive: true });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeCase refuses an invalid case, naming the field", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bad = { ...(await sample()), traceHash: "xyz" };
    await assert.rejects(() => writeCase(dir, bad), /traceHash/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a case naming a kernel module replays with it; one outside the project is refused", async () => {
  const repo = new URL("../", import.meta.url);
  // A project of the user's own, in /tmp: its tree is where the working directory's deno.json is.
  // Run from there in a process of its own: the working directory is the whole process's, and a
  // chdir here moved it under every test module running beside this one (deno test --parallel).
  const project = await Deno.makeTempDir({ prefix: "pagersim-project-" });
  try {
    await Deno.writeTextFile(`${project}/deno.json`, "{}\n");
    await Deno.writeTextFile(
      `${project}/variant.ts`,
      `export { duplicateRead as makeKernel } from "${
        new URL("zoo/kernel_bugs.ts", repo).href
      }";\n`,
    );
    const store = new URL("case/store.ts", repo).href;
    await Deno.writeTextFile(
      `${project}/check.ts`,
      `import { strict as assert } from "node:assert";
import { moduleRef, readCaseFile, replayCase, writeCase } from "${store}";
const project = Deno.cwd();
const zoo = await readCaseFile("${new URL("corpus/zoo-duplicate-read.json", repo).pathname}");
const { bug: _, ...rest } = zoo;
const c = { ...rest, kernel: await moduleRef(\`\${project}/variant.ts\`, \`\${project}/corpus\`) };
const file = await writeCase(\`\${project}/corpus\`, c, "k.json");
assert.equal((await readCaseFile(file)).kernel?.path, "../variant.ts");
const r = await replayCase(await readCaseFile(file), file);
assert.ok(r.ok, \`\${r.verdict} \${r.traceHash}\`);
const escaped = { ...c, kernel: { path: "../../../../../../etc/evil.ts", sha256: null } };
await assert.rejects(() => replayCase(escaped, file), /outside the project tree/);
console.log("checked");
`,
    );
    const o = await new Deno.Command(Deno.execPath(), {
      // pagersim's config (its import map), the user's working directory.
      args: [
        "run",
        "--config",
        `${repo.pathname}deno.json`,
        "--allow-read",
        "--allow-write",
        "check.ts",
      ],
      cwd: project,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const out = new TextDecoder().decode(o.stdout) + new TextDecoder().decode(o.stderr);
    assert.equal(o.code, 0, out);
    assert.match(out, /^checked$/m);
  } finally {
    await Deno.remove(project, { recursive: true });
  }
});

Deno.test("two campaigns writing one corpus, 100 times: every file parses, no finding is missing", async () => {
  const base = await sample();
  const campaign = (name: string, extra: number) =>
    [0, 1, 2, 3].map((i) => ({ ...base, signature: `${name}-${i}` })).concat([
      // Both find the shared bug; B's case is bigger.
      { ...base, signature: "shared", decisions: [...base.decisions, ...Array(extra).fill(0)] },
    ]);
  for (let round = 0; round < 100; round++) {
    const dir = await Deno.makeTempDir({ prefix: "pagersim-two-" });
    try {
      const a = campaign("a", 0), b = campaign("b", 2);
      // Interleaved like two processes: each write awaits file I/O, so the others run between.
      await Promise.all([...a.map((c) => writeCase(dir, c)), ...b.map((c) => writeCase(dir, c))]);
      const names = [...Deno.readDirSync(dir)].map((e) => e.name);
      assert.ok(names.every((n) => !n.endsWith(".tmp")), `temp files left: ${names}`);
      const { cases, errors } = await readCorpus(dir);
      assert.deepEqual(errors, []);
      const sigs = cases.map((c) => c.case.signature).sort();
      assert.deepEqual(sigs, ["a-0", "a-1", "a-2", "a-3", "b-0", "b-1", "b-2", "b-3", "shared"]);
      const shared = cases.find((c) => c.case.signature === "shared");
      assert.equal(shared?.case.decisions.length, base.decisions.length, "the smaller case kept");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("two processes writing one corpus at once: both findings kept, every file parses", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-procs-" });
  try {
    const store = new URL("./store.ts", import.meta.url).href;
    const src = new URL("../corpus/zoo-duplicate-read.json", import.meta.url).pathname;
    const script = (tag: string) =>
      `import { readCaseFile, writeCase } from "${store}";
       const c = await readCaseFile("${src}");
       await Promise.all(Array.from({ length: 20 }, (_, i) =>
         writeCase("${dir}", { ...c, signature: "${tag}-" + i }, "same-" + (i % 3) + ".json")));`;
    const run = (tag: string) =>
      new Deno.Command(Deno.execPath(), {
        args: ["eval", "--config", new URL("../deno.json", import.meta.url).pathname, script(tag)],
        stdout: "piped",
        stderr: "piped",
      }).output();
    const [p, q] = await Promise.all([run("p"), run("q")]);
    assert.ok(
      p.success && q.success,
      new TextDecoder().decode(p.stderr) + new TextDecoder().decode(q.stderr),
    );
    const { cases, errors } = await readCorpus(dir);
    assert.deepEqual(errors, []);
    assert.equal(new Set(cases.map((c) => c.case.signature)).size, 40, "no case overwritten");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("knownSignatures knows program cases (issue 12: checked against the scenario schema)", async () => {
  // The committed program case passes (no signature since tools/migrate_corpus.ts): a signed
  // copy that fails (a case that expects pass knows no failure, userS31a).
  const from = new URL("../corpus/programs", import.meta.url).pathname;
  const c = await readCaseFile(`${from}/regress-k14-clone-fault-after-pager-close.json`);
  const dir = await Deno.makeTempDir({ prefix: "pagersim-known-" });
  try {
    const signature = "invariant:syscall-contract:K14";
    await Deno.writeTextFile(
      `${dir}/k14.json`,
      JSON.stringify({ ...c, expected: "invariant:syscall-contract", signature }),
    );
    const { knownSignatures } = await import("./store.ts");
    assert.deepEqual(await knownSignatures(dir), [signature]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("one signature in two contexts is two findings: two files, each known only in its own context", async () => {
  // The new-user trial: a byte-identical copy of a service at another path found the same
  // signature; the corpus counted it as known and wrote nothing.
  const { knownSignatures } = await import("./store.ts");
  const dir = await Deno.makeTempDir({ prefix: "pagersim-context-" });
  try {
    const { bug: _, ...base } = { ...(await sample()), signature: "invariant:data-integrity" };
    const bytes = "ab".repeat(32);
    const a: CaseEnvelope = { ...base, service: { path: "../svc_a.ts", sha256: bytes } };
    const b: CaseEnvelope = { ...base, service: { path: "../svc_b.ts", sha256: bytes } };
    const pa = await writeCase(dir, a);
    // B's case is even smaller: it must still not replace A's (nor be dropped for it).
    const pb = await writeCase(dir, { ...b, decisions: [] });
    assert.notEqual(pa, pb);
    assert.ok(/svc-b-[0-9a-f]{8}\.json$/.test(pb), pb); // its name names its service
    assert.equal((await readCaseFile(pa)).service?.path, "../svc_a.ts");
    assert.equal((await readCaseFile(pb)).service?.path, "../svc_b.ts");
    // A known case of one context is still recognised: a later, bigger case of B is B's finding,
    // kept at B's file (the smaller one stays), not written a third time.
    assert.equal(await writeCase(dir, { ...b, decisions: [...b.decisions, 0] }), pb);
    assert.equal((await readCaseFile(pb)).decisions.length, 0);
    // Another checker set is another context too.
    const pk = await writeCase(dir, { ...a, checkers: "kernel+service" });
    assert.equal(pk, pa.replace(/\.json$/, "-2.json"));
    assert.equal([...Deno.readDirSync(dir)].length, 3);
    const known = (code: Parameters<typeof knownSignatures>[1]) => knownSignatures(dir, code);
    assert.deepEqual(await known({ service: a.service, checkers: "kernel" }), [base.signature]);
    assert.deepEqual(await known({ service: b.service, checkers: "kernel" }), [base.signature]);
    assert.deepEqual(
      await known({ service: { path: "../svc_c.ts", sha256: bytes }, checkers: "kernel" }),
      [],
      "a third copy at another path knows nothing",
    );
    assert.deepEqual(await known({ service: a.service, checkers: "kernel+service" }), [
      base.signature,
    ]);
    assert.deepEqual(await known({ service: { path: "./../svc_a.ts", sha256: bytes } }), [
      base.signature,
    ], "no checkers given: any; the path compared normalised; each signature once");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test('writeCase { keep: "exact" }: a file of the same finding but another replay is not this case', async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-exact-" });
  try {
    const small = { ...(await sample()), signature: "sig" };
    const big = { ...small, decisions: [...small.decisions, 0, 0, 0], description: "explore" };
    const kept = await writeCase(dir, small);
    // The corpus's dedupe keeps the smaller case of the finding and answers with its file...
    assert.equal(await writeCase(dir, big), kept);
    // ...but a writer that prints the file as the replay of what it found gets its own file.
    const own = await writeCase(dir, big, undefined, { keep: "exact" });
    assert.notEqual(own, kept);
    assert.deepEqual((await readCaseFile(own)).decisions, big.decisions);
    assert.deepEqual((await readCaseFile(kept)).decisions, small.decisions, "never overwritten");
    // The same replay again (another description is fine): the file that holds it, no new one.
    assert.equal(
      await writeCase(dir, { ...big, description: "again" }, undefined, { keep: "exact" }),
      own,
    );
    assert.equal(await writeCase(dir, small, undefined, { keep: "exact" }), kept);
    assert.equal([...Deno.readDirSync(dir)].length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a scenario given where a case belongs: one line that names the commands for a scenario", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/scenario.json`;
    const scenario = {
      vmos: [{ name: "a", pages: 1 }],
      threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 1 }] }],
    };
    await Deno.writeTextFile(file, JSON.stringify(scenario));
    await assert.rejects(() => readCaseFile(file), (e: Error) => {
      assert.match(e.message, /a scenario, not a case/);
      assert.match(e.message, /deno task sim --scenario .*scenario\.json --seed N/);
      assert.ok(!e.message.includes("\n"), e.message);
      return true;
    });
    // Anything else still lists the fields that are wrong.
    await Deno.writeTextFile(file, JSON.stringify({ format: "pagersim/case@2" }));
    await assert.rejects(() => readCaseFile(file), /invalid case:\n {2}- /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("knownCases hands back the files that are not valid cases, for fuzz to warn of them", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-skipped-" });
  try {
    await Deno.writeTextFile(`${dir}/bad.json`, "{bad");
    const skipped: CaseError[] = [];
    assert.equal((await knownCases(dir, undefined, skipped)).size, 0);
    assert.deepEqual(skipped.map((e) => [e.file, e.field]), [[`${dir}/bad.json`, "(json)"]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadServiceModule: a JSON file given as a service is named as one, not in Deno's words", async () => {
  const { loadServiceModule, CaseFileError } = await import("./store.ts");
  await assert.rejects(
    () => loadServiceModule("scenario/testdata/does-not-matter.json"),
    (e: unknown) =>
      e instanceof CaseFileError &&
      /^--service scenario\/testdata\/does-not-matter\.json: a JSON file, not a module: a service is a TypeScript or JavaScript module/
        .test(e.message) &&
      !/Attempted to load JSON/.test(e.message),
  );
});

Deno.test("a hang written unconfirmed is not known, and a confirmed case of it replaces it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const base = { ...(await sample()), signature: "service-hang: no yield" };
    const small = { ...base, found: { by: "fuzz", unconfirmed: true } };
    const path = await writeCase(dir, small);
    assert.equal((await knownCases(dir)).has("service-hang: no yield"), false);
    // The confirmed run is larger (another run of the campaign): it still replaces the suspect.
    const confirmed = { ...base, decisions: [...base.decisions, 0, 0], found: { by: "fuzz" } };
    assert.equal(await writeCase(dir, confirmed), path);
    assert.equal((await readCaseFile(path)).found?.unconfirmed, undefined);
    assert.equal((await knownCases(dir)).get("service-hang: no yield"), path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("two services' cases of one signature get different file names, so copying one corpus into another keeps both", async () => {
  // user19 wrote invariant-quiescent-end-q2-01bde2a7.json for two services in two corpora, and
  // `cp c_lw/*.json corpus/` replaced one with the other.
  const a = await Deno.makeTempDir(), b = await Deno.makeTempDir();
  try {
    const base = { ...(await sample()), signature: "invariant:quiescent-end:Q2" };
    delete (base as { bug?: string }).bug;
    const one = { ...base, service: { path: "../bug2_inode_key.ts", sha256: "2".repeat(64) } };
    const two = { ...base, service: { path: "../bug4_lost_wakeup.ts", sha256: "4".repeat(64) } };
    const edited = { ...one, service: { path: "../bug2_inode_key.ts", sha256: "5".repeat(64) } };
    const names = [one, two, edited].map((c) => caseFileName(c));
    assert.equal(new Set(names).size, 3, names.join(" "));
    assert.match(names[0], /^invariant-quiescent-end-q2-bug2-inode-key-[0-9a-f]{8}\.json$/);
    const p1 = await writeCase(a, one), p2 = await writeCase(b, two);
    assert.notEqual(p1.split("/").pop(), p2.split("/").pop());
  } finally {
    await Deno.remove(a, { recursive: true });
    await Deno.remove(b, { recursive: true });
  }
});

Deno.test("a finding stored under its old name is replaced there, not written again under the new one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const base = { ...(await sample()), signature: "invariant:quiescent-end:Q2" };
    delete (base as { bug?: string }).bug;
    const c = { ...base, service: { path: "../svc.ts", sha256: "2".repeat(64) } };
    const big = { ...c, decisions: [...c.decisions, 0, 0] };
    const old = `${dir}/${legacyCaseFileName(c)}`;
    await Deno.writeTextFile(old, JSON.stringify(big, null, 2) + "\n");
    assert.equal(await writeCase(dir, c), old);
    assert.equal((await readCaseFile(old)).decisions.length, c.decisions.length);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), [legacyCaseFileName(c)]);
    // A case of another service takes the new name beside it.
    const other = { ...c, service: { path: "../other.ts", sha256: "3".repeat(64) } };
    assert.equal(await writeCase(dir, other), `${dir}/${caseFileName(other)}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// userS27k: a kernel variant's K6 case was written as
// `kernel-assertion-k6-complete-queued-before-pending-requests--vc2-detach-no-withdraw-52f4b787.json`:
// the signature's slug, cut at 60 characters, ended in a dash before the join's own dash.
const VC2 = {
  signature:
    "kernel-assertion:K6: COMPLETE queued before # pending requests were withdrawn@pager_proxy.ts",
  kernel: {
    path: "../vc2_detach_no_withdraw.ts",
    sha256: "cc91dac4bc2399abd692ba71a36619669137c8aa8fe85fb46387aa55589ac095",
  },
};
const VC2_OLD =
  "kernel-assertion-k6-complete-queued-before-pending-requests--vc2-detach-no-withdraw-52f4b787.json";

Deno.test("case file names join their parts with one dash, and a case stored under the double-dash name is found there", async () => {
  const c = { ...(await sample()), ...VC2 };
  delete (c as { bug?: string }).bug;
  const name = caseFileName(c);
  assert.equal(
    name,
    "kernel-assertion-k6-complete-queued-before-pending-requests-vc2-detach-no-withdraw-52f4b787.json",
  );
  assert.doesNotMatch(legacyCaseFileName(c), /--/);
  for (const sig of ["a".repeat(59) + " b", "x".repeat(80), "hang: " + "y ".repeat(40)]) {
    for (const kernel of [undefined, { path: "../" + "k-".repeat(30) + ".ts", sha256: "1" }]) {
      const n = caseFileName({ signature: sig, expected: "hang", traceHash: "0", kernel });
      assert.doesNotMatch(n, /--|-\.json$|^-/, n);
    }
  }
  const dir = await Deno.makeTempDir();
  try {
    // The old name still loads, and the finding is replaced there, not written a second time.
    const big = { ...c, decisions: [...c.decisions, 0, 0] };
    await Deno.writeTextFile(`${dir}/${VC2_OLD}`, JSON.stringify(big, null, 2) + "\n");
    assert.equal((await readCaseFile(`${dir}/${VC2_OLD}`)).signature, VC2.signature);
    assert.equal(await writeCase(dir, c), `${dir}/${VC2_OLD}`);
    assert.equal((await readCaseFile(`${dir}/${VC2_OLD}`)).decisions.length, c.decisions.length);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), [VC2_OLD]);
    assert.equal((await readCorpus(dir)).cases.length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a case's bytes are forced to disk before its name links to them, and the name after", async () => {
  const dir = await Deno.makeTempDir();
  const events: string[] = [];
  const sync = Deno.FsFile.prototype.sync;
  const link = Deno.link;
  Deno.FsFile.prototype.sync = function (this: Deno.FsFile) {
    events.push("sync");
    return sync.call(this);
  };
  Object.defineProperty(Deno, "link", {
    value: (from: string, to: string) => {
      events.push(`link ${to.split("/").pop()}`);
      return link(from, to);
    },
    configurable: true,
    writable: true,
  });
  try {
    const path = await writeCase(dir, { ...(await sample()), signature: "sig-durable" }, "d.json");
    assert.equal(path.split("/").pop(), "d.json");
    // The temp file's bytes, the link, then the folder entry: a power loss between any two
    // leaves no torn file under d.json.
    assert.deepEqual(events, ["sync", "link d.json", "sync"]);
  } finally {
    Deno.FsFile.prototype.sync = sync;
    Object.defineProperty(Deno, "link", { value: link, configurable: true, writable: true });
    await Deno.remove(dir, { recursive: true });
  }
});
