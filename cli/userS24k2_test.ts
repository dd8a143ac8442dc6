// userS24k wrote kernel variants from the README alone (case/testdata/userS24k2, NOTES.md) and
// reported where `--kernel` and `conformance` told it badly. Each test is one of its reports.
import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";

const DATA = "case/testdata/userS24k2";

/** `deno run` of cli/COMMAND.ts with its task's permissions, in `cwd` (default: the root). */
const run = (command: "conformance" | "sim", args: string[], cwd?: string) =>
  denoOutput([
    "run",
    "--allow-read",
    "--allow-env=INIT_CWD",
    ...(command === "sim" ? ["--allow-run=deno"] : []),
    new URL(`./${command}.ts`, import.meta.url).pathname,
    ...args,
  ], cwd);

/** A variant outside the project tree that says so if it is ever loaded. */
async function outsideVariant(): Promise<{ dir: string; file: string }> {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-outside-" });
  const file = `${dir}/k_outside.ts`;
  const mod = new URL("../mod.ts", import.meta.url).href;
  await Deno.writeTextFile(
    file,
    `console.log("OUTSIDE CODE RAN");\nimport { Kernel } from "${mod}";\n` +
      `export function makeKernel(o: never) { return new Kernel(o); }\n`,
  );
  return { dir, file };
}

Deno.test("conformance refuses a --kernel outside the project tree, as sim does, before loading it", async () => {
  // Was: accepted, and all 242 rows ran against code from /tmp.
  const { dir, file } = await outsideVariant();
  try {
    const conf = await run("conformance", ["--kernel", file]);
    const sim = await run("sim", ["--kernel", file]);
    assert.equal(conf.code, 2, conf.out + conf.err);
    assert.doesNotMatch(conf.out, /OUTSIDE CODE RAN|conformance:/);
    assert.equal(conf.err.trim().split("\n").length, 1, conf.err);
    assert.match(conf.err, /^error: --kernel \S+k_outside\.ts: outside the project tree /);
    assert.equal(conf.err, sim.err, "the same refusal as sim's");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the refusal of a module outside the tree states the rule, why, and what to do, not a case's", async () => {
  // Was (sim, which writes no case): "a module a case names must live inside it".
  const { dir, file } = await outsideVariant();
  try {
    const r = await run("sim", ["--kernel", file]);
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.err, /a module a case names/);
    assert.match(r.err, /load a --service or --kernel module only from inside the project tree/);
    assert.match(r.err, /a replay never loads code from elsewhere/);
    assert.match(r.err, /run the command from that project .*or move the module into this tree/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("conformance --kernel with no such file says so, as sim does, not a throw in store.ts", async () => {
  // Was: "cannot load: the module threw while loading, at .../case/store.ts:749:12: TypeError:
  // Module not found".
  const conf = await run("conformance", ["--kernel", "nonexistent.ts"]);
  const sim = await run("sim", ["--kernel", "nonexistent.ts"]);
  assert.equal(conf.code, 2);
  assert.match(
    conf.err,
    /^error: --kernel nonexistent\.ts: cannot load: no such file \(looked in /,
  );
  assert.doesNotMatch(conf.err, /store\.ts/);
  assert.equal(conf.err, sim.err);
});

Deno.test("conformance --filter that matches no row is an error naming it and the nearest rows", async () => {
  // Was: "0 cases", exit 0: a typo read as a pass.
  const nope = await run("conformance", ["--filter", "NOPE"]);
  assert.equal(nope.code, 2, nope.out + nope.err);
  assert.equal(nope.out, "");
  assert.match(nope.err, /^error: --filter "NOPE": no conformance case matches; /);
  const typo = await run("conformance", ["--filter", "SinglPage"]);
  assert.equal(typo.code, 2);
  assert.match(typo.err, /the nearest rows: P1 SinglePageTestVmar, P1 SinglePageTestVmo/);
  const lower = await run("conformance", ["--filter", "singlepagetestvmo"]);
  assert.equal(lower.code, 2);
  assert.match(lower.err, /--filter is case-sensitive, .*P1 SinglePageTestVmo/);
});

Deno.test("a near-miss makeKernel export gets a did-you-mean; a default export is named as such", async () => {
  // Was: "exports no makeKernel (...)" for both.
  const typo = await run("conformance", ["--kernel", `${DATA}/bad/k_typo_export.ts`]);
  assert.equal(typo.code, 2);
  assert.match(
    typo.err,
    /^error: --kernel case\/testdata\/userS24k2\/bad\/k_typo_export\.ts: exports no makeKernel \(it exports "makeKernal": did you mean "makeKernel"\?\)/,
  );
  const dflt = await run("sim", ["--kernel", `${DATA}/bad/k_default_export.ts`]);
  assert.equal(dflt.code, 2);
  assert.match(
    dflt.err,
    /exports no makeKernel \(it has a default export instead; export it by name/,
  );
});

Deno.test("a service module with a near-miss service export gets a did-you-mean", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-svc-" });
  try {
    await Deno.writeTextFile(`${dir}/deno.json`, "{}\n");
    await Deno.writeTextFile(`${dir}/s.ts`, "export function* servce() {}\n");
    const r = await run("sim", ["--service", "s.ts"], dir);
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(r.err, /exports no service \(it exports "servce": did you mean "service"\?\)/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("conformance runs the user's unchanged variant from a path inside the tree", async () => {
  const r = await run("conformance", ["--filter", "P1 ", "--kernel", `${DATA}/k_same.ts`]);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /kernel case\/testdata\/userS24k2\/k_same\.ts/);
});

Deno.test("a variant whose import does not resolve is blamed, not pagersim's store.ts", async () => {
  // Was: "the module threw while loading, at .../case/store.ts:NNN:12: TypeError: Import ...".
  const dir = await Deno.makeTempDir({ prefix: "pagersim-nomap-" });
  try {
    await Deno.writeTextFile(`${dir}/deno.json`, "{}\n");
    await Deno.writeTextFile(
      `${dir}/k.ts`,
      `import { Kernel } from "pagersim";\nexport function makeKernel(o: never) { return new Kernel(o); }\n`,
    );
    const r = await run("conformance", ["--kernel", "k.ts"], dir);
    assert.equal(r.code, 2, r.out + r.err);
    assert.doesNotMatch(r.err, /store\.ts|threw while loading/);
    assert.match(
      r.err,
      /^error: --kernel k\.ts: cannot load: TypeError: Import "pagersim" not a dependency and not in import map: map "pagersim" in the imports of your deno\.json/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
