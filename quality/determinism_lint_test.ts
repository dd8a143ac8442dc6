import { strict as assert } from "node:assert";
import { HOST_FILES, LIBRARY_DIRS, REFERENCE_SERVICES } from "./deciding.ts";
import {
  CATEGORIES,
  formatFinding,
  isPagersimLibrary,
  lint,
  lintDecidingFolders,
  lintServiceModule,
} from "./determinism_lint.ts";
import { NIGHTLY } from "../tools/nightly.ts";

const DIR = "quality/testdata/determinism";
const MARK = "// ✗";
const HOST_SIDE = [...HOST_FILES];

/** Every fixture file, with the lines its ✗ comments mark. */
function fixtures(): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const walk = (dir: string) => {
    for (const e of [...Deno.readDirSync(dir)].sort((a, b) => a.name < b.name ? -1 : 1)) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory) walk(path);
      else if (e.name.endsWith(".ts")) {
        const lines = Deno.readTextFileSync(path).split("\n");
        out.set(path, lines.flatMap((l, i) => l.includes(MARK) ? [i + 1] : []));
      }
    }
  };
  walk(DIR);
  return out;
}

Deno.test("the lint finds every marked nondeterminism pattern at its line, and nothing else", async () => {
  const expected = fixtures();
  const r = await lint({
    roots: [...expected.keys()],
    report: () => true,
    hostSide: HOST_SIDE,
    moduleState: true,
  });
  const found = new Map<string, number[]>();
  for (const f of r.findings) found.set(f.file, [...(found.get(f.file) ?? []), f.line]);
  for (const [file, lines] of expected) {
    assert.deepEqual(
      [...new Set(found.get(file) ?? [])].sort((a, b) => a - b),
      lines,
      `${file}: findings at these lines`,
    );
  }
  assert.deepEqual([...found.keys()].filter((f) => !expected.has(f)), [], "no other file");
  const patterns = [...expected].filter(([f, l]) => !f.includes("/_lib/") && l.length > 0);
  assert.ok(patterns.length >= 15, `at least 15 pattern files, got ${patterns.length}`);
  assert.deepEqual(expected.get(`${DIR}/clean.ts`), [], "the look-alike file has no marks");
});

Deno.test("a finding names file:line:column, what the host decides and the sanctioned alternative", async () => {
  const r = await lintServiceModule(`${DIR}/imported_wrapper.ts`);
  const text = r.findings.map((f) => formatFinding(f));
  assert.ok(
    text.includes(
      `${DIR}/imported_wrapper.ts:4:28: error: jitter → Math.random (via ${DIR}/_lib/wrappers.ts:5): ` +
        `${CATEGORIES.random.what}; instead ${CATEGORIES.random.instead}`,
    ),
    text.join("\n"),
  );
  assert.ok(text.every((t) => / instead /.test(t)));
  assert.match(CATEGORIES.random.instead, /sys\.random/);
  assert.match(CATEGORIES.clock.instead, /virtual ticks/);
  assert.match(formatFinding(r.findings[0], "warning"), /: warning: /);
});

Deno.test("using the wall clock of fuzz/clock.ts from linted code is a finding at the use", async () => {
  const r = await lintServiceModule(`${DIR}/wall_clock_import.ts`);
  const clockLine = Deno.readTextFileSync("fuzz/clock.ts").split("\n")
    .findIndex((l) => l.includes("performance.now()")) + 1;
  assert.deepEqual(r.findings.map((f) => `${f.file}:${f.line} ${f.name} ${f.via}`), [
    `${DIR}/wall_clock_import.ts:3 wallMs → performance fuzz/clock.ts:${clockLine}`,
  ]);
});

// The same lint `deno task check` runs (tools/check.ts), which CI runs before the tests: in CI this
// test was a second pass over every deciding module (28 seconds of its log). `deno task nightly`
// keeps it, with its check that the lint reads kernel/ and sim/.
Deno.test(
  { name: "the project's deciding folders have no finding", ignore: !NIGHTLY },
  async () => {
    const r = await lintDecidingFolders();
    assert.deepEqual(r.findings.map((f) => formatFinding(f)), []);
    assert.ok(
      r.files.some((f) => f.startsWith("kernel/")) && r.files.some((f) => f.startsWith("sim/")),
    );
  },
);

Deno.test("the reference services have no finding", async () => {
  for (const path of REFERENCE_SERVICES) {
    const r = await lintServiceModule(path);
    assert.deepEqual(r.findings.map((f) => formatFinding(f)), [], path);
    // The project's own modules it imports are the check's to lint, not reported here.
    assert.deepEqual(r.files, [path]);
  }
});

Deno.test("module-level state a service's functions change is a finding at its declaration, naming the use and the alternative", async () => {
  const r = await lintServiceModule(`${DIR}/module_state.ts`);
  const text = r.findings.map((f) => formatFinding(f));
  assert.ok(
    text.includes(
      `${DIR}/module_state.ts:8:7: error: const completed (changed in a function) ` +
        `(via ${DIR}/module_state.ts:28): ${CATEGORIES.moduleState.what}; ` +
        `instead ${CATEGORIES.moduleState.instead}`,
    ),
    text.join("\n"),
  );
  assert.match(CATEGORIES.moduleState.instead, /inside the service function/);
  assert.match(CATEGORIES.moduleState.instead, /survives between runs in a worker/);
});

Deno.test("the project's services, zoo and examples keep no module-level state", async () => {
  const roots: string[] = [];
  for (const dir of ["services", "zoo", "examples"]) {
    for (const e of [...Deno.readDirSync(dir)].sort((a, b) => a.name < b.name ? -1 : 1)) {
      if (e.isFile && e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) {
        roots.push(`${dir}/${e.name}`);
      }
    }
  }
  const r = await lint({ roots, hostSide: HOST_SIDE, moduleState: true });
  assert.deepEqual(r.findings.map((f) => formatFinding(f)), []);
  assert.ok(r.files.includes("services/batching.ts") && r.files.includes("zoo/registry.ts"));
});

Deno.test("a service in another project importing pagersim through its deno.json import map is linted with our symbols: dropped generators, the wall clock and module state are found as with a relative import", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-lintmap-" });
  const root = Deno.cwd();
  try {
    // The README's other-project import map, plus a prefix entry; a jsonc comment for good measure.
    await Deno.writeTextFile(
      `${dir}/deno.json`,
      `{
  // the user's project
  "imports": {
    "pagersim": "${root}/mod.ts",
    "pagersim/constants": "${root}/kernel/constants.ts",
    "pagersim/": "${root}/",
  }
}
`,
    );
    await Deno.mkdir(`${dir}/sub`);
    await Deno.writeTextFile(
      `${dir}/sub/svc.ts`,
      `import { CondVar, type Sys, type ServiceContext, type ThreadBody } from "pagersim";
import { ZX_TIME_INFINITE } from "pagersim/constants";
import { wallMs } from "pagersim/fuzz/clock.ts";
let served = 0;
export default function* s(sys: Sys, ctx: ServiceContext): ThreadBody {
  const cv = new CondVar(sys, "c");
  sys.portWait(ctx.port, ZX_TIME_INFINITE);
  cv.signal(sys);
  served += wallMs();
  yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
}
`,
    );
    const r = await lintServiceModule(`${dir}/sub/svc.ts`);
    assert.deepEqual(
      r.findings.map((f) => `${f.line}:${f.column} ${f.category} ${f.name}`),
      [
        "4:5 moduleState let served (used in a function)",
        "7:3 droppedGenerator sys.portWait(...)",
        "8:3 droppedGenerator cv.signal(...)",
        "9:13 clock wallMs → performance",
      ],
    );
    // Our modules reached through the map are not reported on.
    assert.deepEqual(r.files, [`${dir}/sub/svc.ts`]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pagersim's library is every tracked top-level folder but examples/, outside testdata/: a user's folder in a clone is the service's", async () => {
  const git = await new Deno.Command("git", { args: ["ls-files"], stdout: "piped", stderr: "null" })
    .output().catch(() => null);
  if (git !== null && git.success) {
    const dirs = new Set(
      new TextDecoder().decode(git.stdout).split("\n").filter((f) => f.includes("/"))
        .map((f) => f.split("/")[0]).filter((d) => !d.startsWith(".") && d !== "examples"),
    );
    assert.deepEqual([...dirs].sort(), [...LIBRARY_DIRS].sort());
  }
  const root = Deno.cwd();
  assert.ok(isPagersimLibrary(`${root}/mod.ts`, root));
  assert.ok(isPagersimLibrary(`${root}/services/_lib/serve.ts`, root));
  assert.ok(!isPagersimLibrary(`${root}/blobfs/counter.ts`, root));
  assert.ok(!isPagersimLibrary(`${root}/helper.ts`, root));
  assert.ok(!isPagersimLibrary(`${root}/examples/my_service.ts`, root));
  assert.ok(!isPagersimLibrary(`${root}/case/testdata/userS26s/linttest/counter.ts`, root));
  assert.ok(!isPagersimLibrary("/elsewhere/svc.ts", root));
});

// userS26s: svc3.ts's helper counter.ts (a top-level `let`) sits next to it in the project tree;
// the lint reported the service file alone and found nothing.
Deno.test("a service's helper module in the project tree is linted: its module-level state is a finding at its line", async () => {
  const dir = "case/testdata/userS26s/linttest";
  const r = await lintServiceModule(`${dir}/svc3.ts`);
  assert.deepEqual(r.files, [`${dir}/counter.ts`, `${dir}/svc3.ts`]);
  assert.deepEqual(r.findings.map((f) => `${f.file}:${f.line} ${f.name} ${f.via}`), [
    `${dir}/counter.ts:2 let served (used in a function) ${dir}/counter.ts:4`,
  ]);
});
