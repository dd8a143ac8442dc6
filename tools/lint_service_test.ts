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
