import { strict as assert } from "node:assert";
import {
  campaignSummary,
  configFlags,
  serviceFiles,
  withoutCoverageFlag,
} from "./campaign_coverage.ts";

const SERVICE = "quality/testdata/unreachable_service.ts";
const SOURCE = Deno.readTextFileSync(SERVICE).split("\n");
const UNREACHED = SOURCE.findIndex((l) => l.includes("// UNREACHED")) + 1;
const BRANCH = UNREACHED - 1; // the `if` whose body no run enters

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const p = await new Deno.Command("deno", { args, stdout: "piped", stderr: "piped" }).output();
  const dec = new TextDecoder();
  return { code: p.code, out: dec.decode(p.stdout), err: dec.decode(p.stderr) };
}

Deno.test("--coverage is taken out of the arguments the command reruns with", () => {
  assert.deepEqual(withoutCoverageFlag(["--runs", "5", "--coverage", "d", "--seed=1"]), [
    "--runs",
    "5",
    "--seed=1",
  ]);
  assert.deepEqual(withoutCoverageFlag(["--coverage=d", "x"]), ["x"]);
});

Deno.test("fuzz --coverage renders c8 HTML and lcov and names the branch no run reached", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-cov-" });
  const corpus = await Deno.makeTempDir({ prefix: "pagersim-corpus-" });
  try {
    const r = await run([
      "task",
      "fuzz",
      "--service",
      SERVICE,
      "--runs",
      "60",
      // One worker: the service runs only in workers, so its lines prove they are collected.
      "--workers",
      "1",
      "--seed",
      "7",
      "--corpus",
      corpus,
      "--coverage",
      dir,
    ]);
    assert.ok(r.code === 0 || r.code === 1, r.err);
    const m = /coverage: service (\d+\.\d)% lines \((\d+) uncovered\), kernel (\d+\.\d)% lines/
      .exec(r.out);
    assert.ok(m, r.out);
    assert.ok(Number(m[2]) >= 2 && Number(m[3]) > 30, m[0]);
    const listed = new RegExp(
      `${SERVICE}: lines no run reached: ([^;]*); branches no run took: (.*)`,
    ).exec(r.out);
    assert.ok(listed, r.out);
    const ranges = listed[1].split(", ").map((p) => p.split("-").map(Number));
    const inRanges = (line: number) => ranges.some(([a, b]) => line >= a && line <= (b ?? a));
    assert.ok(inRanges(UNREACHED) && inRanges(UNREACHED + 2), `lines ${listed[1]}`);
    assert.ok(listed[2].split(", ").map(Number).includes(BRANCH), `branches ${listed[2]}`);
    assert.ok(!inRanges(SOURCE.findIndex((l) => l.includes("supplyFromBacking(sys")) + 1));
    const html = await Deno.readTextFile(`${dir}/index.html`);
    assert.match(html, /unreachable_service\.ts|testdata/);
    const lcov = await Deno.readTextFile(`${dir}/lcov.info`);
    assert.match(lcov, new RegExp(`SF:.*${SERVICE}\\n`));
    assert.match(lcov, new RegExp(`DA:${UNREACHED},0\\n`));
    assert.match(lcov, /SF:.*kernel\/kernel\.ts\n/);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(corpus, { recursive: true });
  }
});

Deno.test("a service's coverage counts the modules of its own folder it loaded, not only its entry", () => {
  const files = ["/p/kernel/kernel.ts", "/p/mine/core.ts", "/p/mine/svc.ts", "/p/mine/lib/util.ts"];
  const map = { files: () => files } as unknown as Parameters<typeof serviceFiles>[0];
  assert.deepEqual(serviceFiles(map, "/p", "/p/mine/svc.ts"), [
    "/p/mine/svc.ts",
    "/p/mine/core.ts",
    "/p/mine/lib/util.ts",
  ]);
  // A service at the project root counts alone (the root holds the whole project).
  assert.deepEqual(serviceFiles(map, "/p", "/p/svc.ts"), ["/p/svc.ts"]);
});

Deno.test("the coverage rerun keeps the --config of another project's task, so its import map still resolves", () => {
  // README's "In another project" fuzz task, as /proc/self/cmdline shows it.
  const argv = [
    "deno",
    "run",
    "-A",
    "--v8-flags=--single-threaded-gc",
    "--config",
    "deno.json",
    "../pagersim/cli/fuzz.ts",
    "--service",
    "blob_pager.ts",
    "--config",
    "not-deno-s.json",
  ];
  assert.deepEqual(configFlags(argv, "/home/u/blobproj"), ["--config=/home/u/blobproj/deno.json"]);
  assert.deepEqual(
    configFlags(
      ["deno", "run", "-c=a.json", "--seed", "3", "--import-map", "/m.json", "x.ts"],
      "/p",
    ),
    ["--config=/p/a.json", "--import-map=/m.json"],
  );
  assert.deepEqual(configFlags(["deno", "run", "--no-config", "x.ts", "--lock", "l"], "/p"), [
    "--no-config",
  ]);
});

Deno.test("a service that never loaded gets no report line that reads as valid", () => {
  const map = { files: () => ["/p/kernel/kernel.ts"] } as unknown as Parameters<
    typeof campaignSummary
  >[0];
  const lines = campaignSummary(map, "/p", "/u/blob_pager.ts", "/u/cov");
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^coverage: error: the service never loaded \(\/u\/blob_pager\.ts\)/);
  assert.match(lines[0], /no report was written to \/u\/cov/);
  assert.doesNotMatch(lines.join("\n"), /index\.html|kernel \d/);
});
