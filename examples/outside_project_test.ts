// Regression (issue 12): importing mod.ts from a project outside the checkout failed with
// `Import "zod" not a dependency`, because library code used bare specifiers that only this
// repository's deno.json maps. Library code now names its npm packages in full.
import { strict as assert } from "node:assert";
import { NIGHTLY } from "../tools/nightly.ts";

const root = new URL("../", import.meta.url);
const mod = new URL("mod.ts", root).href;

Deno.test("a project in another directory imports mod.ts and runs a property on its own service", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-user-" });
  try {
    // The user's project, as the README shows it: its own deno.json maps fast-check and
    // pagersim, nothing of pagersim's own dependencies.
    await Deno.writeTextFile(
      `${dir}/deno.json`,
      JSON.stringify({ imports: { "fast-check": "npm:fast-check@4.11.0", "pagersim": mod } }),
    );
    await Deno.writeTextFile(
      `${dir}/service_test.ts`,
      `import fc from "fast-check";
import {
  checkersOf, isComplete, isDirty, isRead, pagerProperty, type ServiceContext, serveReads,
  supplyFromBacking, type Sys, type ThreadBody,
} from "pagersim";

function mine(sys: Sys, ctx: ServiceContext): ThreadBody {
  return serveReads(sys, ctx, (p, vmo) => supplyFromBacking(sys, ctx, vmo, p.offset, p.length));
}

Deno.test("outside: my service keeps every pager invariant", () => {
  if (isRead(null) || isDirty(null) || isComplete(null)) throw new Error("guards");
  fc.assert(
    pagerProperty(checkersOf("kernel+service"), {
      scenario: { services: [], customServices: ["mine"] },
      services: { mine },
    }),
    { numRuns: 20, seed: 3 },
  );
});
`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      // Resolving the module graph is what failed; type-checking pagersim again from the other
      // project would only repeat `deno task check` (services/type_guards_test.ts types the guards).
      args: ["test", "--quiet", "--no-check", "service_test.ts"],
      cwd: dir,
      env: { NO_COLOR: "1" },
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, text);
    assert.match(text, /outside: my service keeps every pager invariant \.\.\. ok/);
    assert.match(text, /ok \| 1 passed \| 0 failed/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Each task's flags in the other project: the permissions of this project's task of that name. */
const FLAGS = {
  sim: "--allow-run=deno --allow-read --allow-env=INIT_CWD",
  fuzz:
    "--allow-run=deno --v8-flags=--single-threaded-gc --allow-read --allow-write --allow-env=INIT_CWD",
  repro: "--allow-run=deno --allow-read --allow-write --allow-env=INIT_CWD",
  explore: "--allow-run=deno --allow-read --allow-write --allow-env=INIT_CWD",
  conformance: "--allow-run=deno --allow-read --allow-env=INIT_CWD",
  "lint-service": "--allow-read --allow-env=INIT_CWD",
  corpus: "--allow-read --allow-write --allow-env=INIT_CWD",
};

/** The README's other-project deno.json, with pagersim checked out at `checkout` (a path). */
function otherProjectConfig(checkout: string): string {
  const task = (name: keyof typeof FLAGS, module: string) =>
    `deno run ${FLAGS[name]} --config deno.json ${checkout}/${module}`;
  return JSON.stringify({
    imports: {
      "fast-check": "npm:fast-check@4.11.0",
      "pagersim": `${checkout}/mod.ts`,
      "pagersim/constants": `${checkout}/kernel/constants.ts`,
    },
    tasks: {
      sim: task("sim", "cli/sim.ts"),
      fuzz: task("fuzz", "cli/fuzz.ts"),
      repro: task("repro", "cli/repro.ts"),
      explore: task("explore", "cli/explore.ts"),
      conformance: task("conformance", "cli/conformance.ts"),
      "lint-service": task("lint-service", "tools/lint_service.ts"),
      corpus: task("corpus", "cli/corpus.ts"),
      // Your tests, the README's corpus_test.ts among them: they read, and run deno (a guarded
      // property's child process, killed at a hang: cli/trial37_test.ts).
      test: "deno test --allow-read --allow-run=deno",
    },
  });
}

/** Runs `deno args` in `cwd`; stdout and stderr together. */
async function denoIn(cwd: string, args: string[]): Promise<{ code: number; text: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: { NO_COLOR: "1" },
  }).output();
  return {
    code: out.code,
    text: new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr),
  };
}

Deno.test("another project's failing property prints a replay line that runs there as printed, and its tasks run sim and lint-service on a service importing pagersim/constants", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-user-" });
  const checkout = decodeURIComponent(root.pathname).replace(/\/$/, "");
  try {
    await Deno.writeTextFile(`${dir}/deno.json`, otherProjectConfig(checkout));
    // Fails reads past the first page with ZX_ERR_IO (a constant mod.ts does not export) and
    // never answers the first page: answers-every-read fails.
    await Deno.writeTextFile(
      `${dir}/bad_service.ts`,
      `import { type ServiceContext, serveReads, type Sys, type ThreadBody } from "pagersim";
import { ZX_ERR_IO, ZX_PAGER_OP_FAIL } from "pagersim/constants";

export default function* bad(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* serveReads(sys, ctx, function* (p, vmo) {
    if (p.offset === 0) return;
    yield* sys.pagerOpRange(ctx.pager, ZX_PAGER_OP_FAIL, vmo.handle, p.offset, p.length, ZX_ERR_IO);
  });
}
`,
    );
    await Deno.writeTextFile(
      `${dir}/bad_test.ts`,
      `import fc from "fast-check";
import { checkersOf, pagerProperty } from "pagersim";
import bad from "./bad_service.ts";

Deno.test("outside: bad service", () => {
  fc.assert(
    pagerProperty(checkersOf("kernel+service"), {
      scenario: { services: [], customServices: ["mine"] },
      services: { mine: bad },
      serviceModule: new URL("./bad_service.ts", import.meta.url),
    }),
    { numRuns: 50, seed: 3 },
  );
});
`,
    );
    const t = await denoIn(dir, ["test", "-A", "--quiet", "--no-check", "bad_test.ts"]);
    assert.notEqual(t.code, 0, t.text);
    const line = /^replay: (deno task repro .+)$/m.exec(t.text)?.[1];
    assert.ok(line !== undefined, t.text);
    // Relative to the user's project, where its `deno task repro` runs: the same line on any
    // machine (a user trial got an absolute path).
    assert.match(line, / --service 'bad_service\.ts' /, line);
    const r = await denoIn(dir, [
      "eval",
      `
      const sh = new Deno.Command("sh", { args: ["-c", ${JSON.stringify(line)}] });
      const o = await sh.output();
      await Deno.stdout.write(o.stdout); await Deno.stdout.write(o.stderr);
      Deno.exit(o.code);`,
    ]);
    assert.equal(r.code, 1, r.text);
    assert.match(r.text, /answers-every-read|fails-with-valid-codes|invariant/);
    assert.doesNotMatch(r.text, /Task not found|not a dependency/);

    const sim = await denoIn(dir, ["task", "sim", "--service", "bad_service.ts"]);
    assert.match(sim.text, /^replay: deno task sim --service bad_service\.ts /m, sim.text);
    assert.doesNotMatch(sim.text, /not a dependency|outside the project tree/);
    const lint = await denoIn(dir, ["task", "lint-service", "bad_service.ts"]);
    assert.equal(lint.code, 0, lint.text);
    assert.match(lint.text, /0 finding\(s\)/);

    // The README's corpus_test.ts, through the project's `deno task test` (userS29a: the README
    // said findings land in corpus/, which `deno task test` replays, and its deno.json had no
    // test task), on a corpus holding a seeded bug's case.
    const readme = await Deno.readTextFile(new URL("README.md", root));
    const corpusTest = /```ts ignore\n(\/\/ your-project\/corpus_test\.ts[^\n]*\n[\s\S]*?)```/
      .exec(readme)?.[1];
    assert.ok(corpusTest !== undefined, "README shows another project's corpus_test.ts");
    await Deno.writeTextFile(`${dir}/corpus_test.ts`, corpusTest);
    // And its current-code form (userS32a: the regression test while you change your service).
    const currentTest =
      /```ts ignore\n(\/\/ your-project\/corpus_current_test\.ts[^\n]*\n[\s\S]*?)```/
        .exec(readme)?.[1];
    assert.ok(currentTest !== undefined, "README shows the current-code corpus test");
    assert.match(currentTest, /replayProblem\(c, file, \{ currentCode: true \}\)/);
    await Deno.writeTextFile(`${dir}/corpus_current_test.ts`, currentTest);
    await Deno.mkdir(`${dir}/corpus`);
    await Deno.copyFile(new URL("corpus/zoo-duplicate-read.json", root), `${dir}/corpus/zoo.json`);
    // (--no-check: as above, the type check would only repeat pagersim's own.)
    const test = await denoIn(dir, [
      "task",
      "test",
      "--no-check",
      "corpus_test.ts",
      "corpus_current_test.ts",
    ]);
    assert.equal(test.code, 0, test.text);
    assert.match(test.text, /corpus: corpus\/zoo\.json \.\.\. ok/);
    assert.match(test.text, /corpus, current code: corpus\/zoo\.json \.\.\. ok/);
    assert.match(test.text, /ok \| 3 passed \| 0 failed/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the README's other-project deno.json is the one these tests run", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", root));
  const block = /```jsonc\n\/\/ your-project\/deno\.json[^\n]*\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block !== undefined, "README shows another project's deno.json");
  assert.deepEqual(JSON.parse(block), JSON.parse(otherProjectConfig("../pagersim")));
});

// Nightly (session 36: 14 s of CI): in CI, "another project's failing property prints a replay line
// that runs there" covers the other-project layout and examples/kernel_variant_test.ts the variant.
Deno.test(
  "another project runs the README's kernel variant, importing pagersim, through its sim and conformance tasks",
  { ignore: !NIGHTLY },
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "pagersim-user-" });
    const elsewhere = await Deno.makeTempDir({ prefix: "pagersim-elsewhere-" });
    const checkout = decodeURIComponent(root.pathname).replace(/\/$/, "");
    try {
      await Deno.writeTextFile(`${dir}/deno.json`, otherProjectConfig(checkout));
      // examples/kernel_variant.ts as another project writes it (README, "Writing a kernel variant").
      const variant = (await Deno.readTextFile(new URL("examples/kernel_variant.ts", root)))
        .replace('from "../mod.ts"', 'from "pagersim"')
        .replace('from "../kernel/constants.ts"', 'from "pagersim/constants"');
      assert.match(variant, /from "pagersim";\nimport \{ ZX_ERR_IO \} from "pagersim\/constants";/);
      await Deno.writeTextFile(`${dir}/my_kernel.ts`, variant);
      const check = await denoIn(dir, ["check", "my_kernel.ts"]);
      assert.equal(check.code, 0, check.text);
      const sim = await denoIn(dir, ["task", "sim", "--kernel", "my_kernel.ts"]);
      assert.equal(sim.code, 0, sim.text);
      assert.match(sim.text, /^replay: deno task sim --kernel my_kernel\.ts /m);
      const conf = await denoIn(dir, [
        "task",
        "conformance",
        "--kernel",
        "my_kernel.ts",
        "--filter",
        "P1 ",
      ]);
      assert.equal(conf.code, 0, conf.text);
      assert.match(conf.text, /kernel my_kernel\.ts/);
      // Its conformance task refuses a module outside its tree, as sim does (userS24k).
      await Deno.copyFile(`${dir}/my_kernel.ts`, `${elsewhere}/k.ts`);
      const out = await denoIn(dir, ["task", "conformance", "--kernel", `${elsewhere}/k.ts`]);
      assert.equal(out.code, 2, out.text);
      assert.match(out.text, /outside the project tree /);
    } finally {
      await Deno.remove(dir, { recursive: true });
      await Deno.remove(elsewhere, { recursive: true });
    }
  },
);

Deno.test("the other project's tasks have this project's tasks' permissions, no more", async () => {
  const tasks: Record<string, string> = JSON.parse(
    await Deno.readTextFile(new URL("deno.json", root)),
  ).tasks;
  for (const [name, flags] of Object.entries(FLAGS)) {
    const own = /^deno run (.*) \S+\.ts$/.exec(tasks[name])?.[1];
    assert.equal(flags, own, `task ${name}`);
    assert.doesNotMatch(flags, /(^| )(-A|--allow-all|--allow-net|--allow-env)( |$)/, name);
  }
});

Deno.test("a campaign on a service outside the project tree is refused with a pointer to running it from that project", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-user-" });
  try {
    await Deno.writeTextFile(`${dir}/s.ts`, "export default function* s() {}\n");
    const checkout = decodeURIComponent(root.pathname);
    const r = await denoIn(checkout, [
      "run",
      "-A",
      "cli/fuzz.ts",
      "--service",
      `${dir}/s.ts`,
      "--runs",
      "1",
      "--corpus",
      `${dir}/corpus`,
      "--lint-warn",
    ]);
    assert.equal(r.code, 2, r.text);
    assert.match(r.text, /outside the project tree .*run the command from that project/);
    assert.match(r.text, /In another project/);
    assert.doesNotMatch(r.text, /^\s+at /m, "one error line, no stack");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("library code names its npm packages in full, at the versions deno.json maps", async () => {
  const imports: Record<string, string> = JSON.parse(
    await Deno.readTextFile(new URL("deno.json", root)),
  ).imports;
  const bare: string[] = [];
  const stale: string[] = [];
  // Library code is what mod.ts reaches through relative imports: a user's own files in the
  // checkout (a service, a helper of their tests) resolve through this deno.json as they
  // please, and are not walked.
  const seen = new Set<string>();
  const visit = async (url: URL) => {
    if (seen.has(url.href)) return;
    seen.add(url.href);
    const path = url.href.slice(root.href.length);
    const text = await Deno.readTextFile(url);
    for (const m of text.matchAll(/^(?:import|export)\b[^;]*? from "([^"]+)"/gms)) {
      const spec = m[1];
      if (spec.startsWith("./") || spec.startsWith("../")) {
        await visit(new URL(spec, url));
        continue;
      }
      if (spec in imports) bare.push(`${path}: "${spec}"`);
      const pkg = spec.match(/^npm:((?:@[^/]+\/)?[^@/]+)@/)?.[1];
      if (pkg !== undefined && pkg in imports && imports[pkg] !== spec) {
        stale.push(`${path}: ${spec} (deno.json: ${imports[pkg]})`);
      }
    }
  };
  await visit(new URL("mod.ts", root));
  assert.ok(seen.size > 50, `mod.ts reaches ${seen.size} modules`);
  assert.deepEqual(bare, [], "bare specifiers resolve only inside this repository");
  assert.deepEqual(stale, [], "one version of each package");
});
