/**
 * `deno task coverage`: the suite it runs is `deno task test`'s, `--raw`
 * renders and gates a recorded run without running the tests again, and the
 * CI script feeds it the folder its one test run wrote.
 */
import { strict as assert } from "node:assert";
import { GATES, testTaskArgs, UNCOVERED_CHILDREN, USAGE } from "./coverage.ts";
import { STEPS } from "./check.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const DENO = Deno.execPath();
const COVERAGE = ["run", "--allow-read", "--allow-write", "--allow-env", "--allow-run=deno"];

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const o = await new Deno.Command(DENO, { args, cwd: ROOT, stdout: "piped", stderr: "piped" })
    .output();
  const text = new TextDecoder();
  return { code: o.code, out: text.decode(o.stdout), err: text.decode(o.stderr) };
}

Deno.test("the coverage run is the suite and permissions of deno task test", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
  const line: string = config.tasks.test;
  assert.deepEqual(
    await testTaskArgs(ROOT),
    line.slice(line.indexOf(" deno test ") + 6).split(" "),
  );
  assert.equal((await testTaskArgs(ROOT))[0], "test");
  assert.ok((await testTaskArgs(ROOT)).includes("--doc"));
});

Deno.test(".ci/run runs every test once: the gated folders' coverers under coverage, rendered; the rest uncovered", async () => {
  const lines = (await Deno.readTextFile(`${ROOT}/.ci/run`)).split("\n");
  const tests = lines.filter((l) => l.startsWith("deno task test"));
  const full = tests.filter((l) => !l.includes("--filter"));
  assert.equal(full.length, 2, `a covered and an uncovered part: ${full.join(" | ")}`);
  const [covered, rest] = full;
  const raw = /--coverage=(\S+)/.exec(covered);
  assert.ok(raw, covered);
  assert.ok(covered.includes("--coverage-raw-data-only"), covered);
  assert.ok(covered.includes(`--preload ${UNCOVERED_CHILDREN}`), "children run uncovered");
  assert.ok(covered.endsWith(" $COVERED"), covered);
  assert.ok(!rest.includes("--coverage"), rest);
  assert.ok(rest.endsWith(" $REST ./*.ts"), rest);
  // A run that skips deno test's type-check stands on deno task check's, earlier in the script:
  // every .ts file and the examples in its TSDoc (`deno check --doc`), the doc tests included.
  const check = lines.indexOf("deno task check");
  for (const t of full.filter((l) => l.includes(" --no-check "))) {
    assert.ok(check >= 0 && check < lines.indexOf(t), `deno task check runs before: ${t}`);
    assert.ok(
      STEPS.some((s) => s[0] === "check" && s.includes("--doc") && s.includes("**/*.ts")),
      `${t}: deno task check type-checks every file and its TSDoc examples`,
    );
  }
  const render = lines.find((l) => l.startsWith("deno task coverage"));
  assert.equal(render, `deno task coverage --raw ${raw[1]}`);
  assert.ok(!lines.some((l) => /^deno task coverage\s*$/.test(l)), "no second, covered test run");
  // The covered part holds every gated folder; the rest is every other folder with code, so
  // no test file is left out (the loop that lists them, run here as .ci/run runs it).
  const list = /^COVERED="([^"]+)"$/m.exec(lines.join("\n"))?.[1].split(" ") ?? [];
  for (const gated of Object.keys(GATES)) assert.ok(list.includes(gated), `${gated}/ covered`);
  const from = lines.findIndex((l) => l.startsWith("COVERED="));
  const script = lines.slice(from, lines.indexOf("done", from) + 1).join("\n");
  const o = await new Deno.Command("bash", {
    args: ["-c", `${script}\necho "$REST"`],
    cwd: ROOT,
    stdout: "piped",
  }).output();
  const restDirs = new TextDecoder().decode(o.stdout).trim().split(/\s+/);
  for await (const e of Deno.readDir(ROOT)) {
    if (!e.isDirectory || e.name.startsWith(".") || e.name === "coverage") continue;
    if (list.includes(e.name)) continue;
    const find = new Deno.Command("find", {
      args: [e.name, "-name", "*.ts"],
      cwd: ROOT,
      stdout: "piped",
    });
    if (new TextDecoder().decode((await find.output()).stdout).trim() === "") continue;
    assert.ok(restDirs.includes(e.name), `${e.name}/ is in neither part: ${restDirs.join(" ")}`);
  }
});

Deno.test("--raw: a folder that is not there or holds no coverage is one error line", async () => {
  const missing = await run([...COVERAGE, "tools/coverage.ts", "--raw", "/nonexistent/raw"]);
  assert.equal(missing.code, 2);
  assert.equal(missing.err.trim().split("\n").length, 1, missing.err);
  assert.match(missing.err, /--raw \/nonexistent\/raw: no such folder/);
  const empty = await Deno.makeTempDir({ prefix: "pagersim-raw-" });
  try {
    const r = await run([...COVERAGE, "tools/coverage.ts", "--raw", empty]);
    assert.equal(r.code, 2);
    assert.match(r.err, /holds no V8 coverage/);
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});

Deno.test("--raw renders a recorded run without running the tests, and its gates judge it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-cov-" });
  try {
    // One small kernel test file, which loads no sim/ or scenario/ module.
    const test = await run([
      "test",
      "--allow-read",
      `--coverage=${dir}/raw`,
      "--coverage-raw-data-only",
      "kernel/assert_test.ts",
    ]);
    assert.equal(test.code, 0, test.err);
    const r = await run([...COVERAGE, "tools/coverage.ts", "--out", dir, "--raw", `${dir}/raw`]);
    assert.equal(r.code, 1, r.err);
    assert.doesNotMatch(r.out + r.err, /running \d+ tests/, "the tests did not run again");
    // What ran is rendered and judged: kernel/assert.ts ran; sim/ and scenario/ did not load.
    assert.match(r.out, /^kernel\s+lines\s+[\d.]+% .*\(gate 90%: ok\)$/m);
    assert.match(r.err, /no coverage data for sim\//);
    assert.match(r.err, /no coverage data for scenario\//);
    // The report is written beside the raw folder, which is kept.
    await Deno.stat(`${dir}/index.html`);
    await Deno.stat(`${dir}/lcov.info`);
    assert.ok((await Array.fromAsync(Deno.readDir(`${dir}/raw`))).length > 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the preload leaves this process covered and its children uncovered", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-pre-" });
  try {
    await Deno.writeTextFile(
      `${dir}/child_test.ts`,
      `Deno.test("c", async () => {
  const o = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "console.log(Deno.env.get('DENO_COVERAGE_DIR') ?? 'none')"],
  }).output();
  console.log("child:" + new TextDecoder().decode(o.stdout).trim());
});
`,
    );
    const r = await run([
      "test",
      "--allow-env",
      "--allow-run",
      `--coverage=${dir}/raw`,
      "--coverage-raw-data-only",
      `--preload=${ROOT}/${UNCOVERED_CHILDREN}`,
      `${dir}/child_test.ts`,
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /child:none/);
    const covered = (await Array.fromAsync(Deno.readDir(`${dir}/raw`))).length;
    assert.ok(covered > 0, "the test process still wrote its coverage");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// A user read `[--raw DIR]` in README's table and `[--out DIR] [--raw RAW]` in --help.
Deno.test("README's command table shows the usage --help prints", async () => {
  const readme = await Deno.readTextFile(`${ROOT}/README.md`);
  const row = /^\| `(deno task coverage[^`]*)` \|/m.exec(readme)?.[1];
  const help = /^usage: (deno task coverage .*)$/m.exec(USAGE)?.[1];
  assert.ok(help !== undefined, USAGE);
  assert.equal(row, help);
});
