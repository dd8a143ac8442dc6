import { strict as assert } from "node:assert";

const SERVICE = "quality/testdata/determinism/random_drop_service.ts";
const LINE = Deno.readTextFileSync(SERVICE).split("\n").findIndex((l) => l.includes("// ✗")) + 1;

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const p = await new Deno.Command(Deno.execPath(), { args, stdout: "piped", stderr: "piped" })
    .output();
  const dec = new TextDecoder();
  return { code: p.code, out: dec.decode(p.stdout), err: dec.decode(p.stderr) };
}

Deno.test("deno task lint-service names the line and exits 1; --warn exits 0", async () => {
  const bad = await run("run", "--allow-read", "tools/lint_service.ts", SERVICE);
  assert.equal(bad.code, 1, bad.err);
  assert.match(
    bad.err,
    new RegExp(`${SERVICE}:${LINE}:\\d+: error: Math\\.random: .*sys\\.random`),
  );
  const warn = await run("run", "--allow-read", "tools/lint_service.ts", SERVICE, "--warn");
  assert.equal(warn.code, 0, warn.err);
  assert.match(warn.err, new RegExp(`${SERVICE}:${LINE}:\\d+: warning: Math\\.random`));
  const help = await run("run", "--allow-read", "tools/lint_service.ts", "--help");
  assert.equal(help.code, 0);
  assert.match(help.out, /^usage: deno task lint-service PATH/);
  assert.doesNotMatch(help.out, /determinism lint: \d+ finding/);
});

Deno.test("deno task sim refuses a nondeterministic --service before running it; --lint-warn runs it", async () => {
  const sim = ["run", "--allow-read", "cli/sim.ts", "--service", SERVICE, "--trace", "none"];
  const bad = await run(...sim);
  assert.equal(bad.code, 2, bad.err);
  assert.match(bad.err, new RegExp(`${SERVICE}:${LINE}:\\d+: error: Math\\.random`));
  assert.match(bad.err, /--lint-warn/);
  assert.doesNotMatch(bad.out, /trace-hash/);
  const warned = await run(...sim, "--lint-warn");
  assert.match(warned.err, /warning: Math\.random/);
  assert.match(warned.out, /trace-hash: [0-9a-f]{16}/);
});

// userS26s: a service's helper module in the user's own folder of a pagersim clone was not linted
// (the lint reported only the service file there): "0 finding(s) in 1 module(s)", exit 0, and
// the campaign then failed to replay a run and sent the user back to this lint.
Deno.test("lint-service lints the local modules a service imports inside the project tree, naming file:line", async () => {
  const svc = "case/testdata/userS26s/linttest/svc3.ts";
  const r = await run("run", "--allow-read", "tools/lint_service.ts", svc);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(
    r.err,
    /^case\/testdata\/userS26s\/linttest\/counter\.ts:2:5: error: let served \(used in a function\)/m,
  );
  assert.match(r.out, /determinism lint: 1 finding\(s\) in 2 module\(s\)/);
  // fuzz lints it the same way before any run, instead of failing to replay run 48.
  const fuzz = await run(
    "run",
    "--allow-read",
    "--allow-run=deno",
    "--allow-write=/tmp",
    "cli/fuzz.ts",
    "--service",
    svc,
    "--runs",
    "1",
    "--workers",
    "1",
    "--corpus",
    "/tmp/ufix26-lint-corpus",
  );
  assert.equal(fuzz.code, 2, fuzz.out + fuzz.err);
  assert.match(fuzz.err, /counter\.ts:2:5: error: let served/);
  assert.doesNotMatch(fuzz.out, /runs 1 of 1/);
});
