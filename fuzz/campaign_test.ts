import { strict as assert } from "node:assert";
import { loadCaseFile } from "./corpus_io.ts";
import { executePlan, planRun } from "./campaign.ts";
import { generateScenario } from "../scenario/generate.ts";
import { signScenarioRun } from "./engine.ts";
import { investigate } from "../case/investigate.ts";
import { SCENARIO_KIND } from "../case/kinds.ts";
import type { Scenario } from "../scenario/schema.ts";
import { withService } from "../scenario/bind.ts";
import lossyService from "./testdata/lossy_service.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";

const DENO = Deno.execPath();
const LOSSY = "fuzz/testdata/lossy_service.ts";

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const p = new Deno.Command(DENO, { args, stdout: "piped", stderr: "piped" });
  const o = await p.output();
  return {
    code: o.code,
    out: new TextDecoder().decode(o.stdout),
    err: new TextDecoder().decode(o.stderr),
  };
}

async function corpusFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

Deno.test("run plans are a pure function of (campaign seed, run index)", () => {
  assert.deepEqual(planRun(9, 123), planRun(9, 123));
  assert.deepEqual(generateScenario(planRun(9, 123)), generateScenario(planRun(9, 123)));
  assert.notDeepEqual(planRun(9, 123), planRun(9, 124));
});

Deno.test("a lossy service's hang is shrunk to one thread and a few decisions", async () => {
  const ctx = { monitors: kernelInvariants, services: { user: lossyService } };
  for (let k = 0; k < 500; k++) {
    const plan = planRun(3, k);
    if (plan.swarm.events.length > 0) continue; // keep it about the lost request
    const scenario = withService(generateScenario(plan), "user");
    const outcome = executePlan(plan, scenario, ctx);
    if (outcome.verdict.kind === "pass") continue;
    assert.equal(outcome.signature, "invariant:no-lost-requests");
    const f = await investigate(SCENARIO_KIND, scenario, outcome.decisions, {
      seed: plan.runSeed,
      ctx,
      meta: { checkers: "kernel", found: { by: "test" } },
      sign: signScenarioRun,
      originalTraceHash: outcome.traceHash,
    });
    assert.equal(f.status, "found");
    if (f.status !== "found") return;
    assert.equal(f.signature, "invariant:no-lost-requests");
    assert.equal((f.case.input as Scenario).threads.length, 1);
    assert.ok(
      f.case.decisions.length <= outcome.decisions.length,
      "shrinking never grows the schedule",
    );
    console.log(`run ${k}: ${outcome.decisions.length} decisions -> ${f.case.decisions.length}`);
    return;
  }
  assert.fail("no lossy hang in 500 runs");
});

Deno.test("campaign against a lossy service: finds, shrinks, writes one case; repro is stable", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-corpus-" });
  try {
    const r = await run([
      "run",
      "-A",
      "cli/fuzz.ts",
      "--runs",
      "600",
      "--workers",
      "2",
      "--seed",
      "11",
      "--service",
      LOSSY,
      "--corpus",
      dir,
    ]);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /^ {2}invariant:answers-every-read$/m);
    const lost = (await corpusFiles(dir)).filter((f) =>
      f.startsWith("invariant-answers-every-read")
    );
    assert.equal(lost.length, 1, `one case for the lost-request bug: ${lost}`);
    const file = `${dir}/${lost[0]}`;
    const c = await loadCaseFile(file);
    assert.equal(c.expected, "invariant:answers-every-read");
    const hashes = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const rep = await run([
        "run",
        "-A",
        "cli/repro.ts",
        file, // the case names its service: no flag (another --service is refused)
        "--trace",
        "none",
      ]);
      assert.equal(rep.code, 0, rep.out + rep.err);
      hashes.add(/^trace-hash: ([0-9a-f]+)$/m.exec(rep.out)![1]);
    }
    assert.deepEqual([...hashes], [c.traceHash]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SIGINT mid-campaign leaves every corpus file valid and prints a summary", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-corpus-" });
  try {
    const child = new Deno.Command(DENO, {
      args: [
        "run",
        "-A",
        "cli/fuzz.ts",
        "--seconds",
        "60",
        "--workers",
        "2",
        "--seed",
        "12",
        "--service",
        LOSSY,
        "--corpus",
        dir,
      ],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const reader = child.stdout.getReader();
    let out = "";
    while (!/runs \d+/.test(out)) {
      const { value, done } = await reader.read();
      if (done) break;
      out += new TextDecoder().decode(value);
    }
    child.kill("SIGINT");
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      out += new TextDecoder().decode(value);
    }
    const status = await child.status;
    await child.stderr.cancel();
    assert.ok(status.code === 1 || status.code === 130, `exit ${status.code}`);
    assert.match(out, /\(interrupted\)/);
    assert.match(out, /^runs \d+ in [\d.]+s/m);
    const files = await corpusFiles(dir);
    assert.ok(files.every((f) => f.endsWith(".json")), `no temp files left: ${files}`);
    for (const f of files) await loadCaseFile(`${dir}/${f}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bad flags and unreadable service modules: one error line, usage, exit 2", async () => {
  const cases: [string[], RegExp][] = [
    [["--bogus"], /^error: unknown flag --bogus\n/],
    [["--workers", "0"], /^error: --workers must be between 1 and 256/],
    [["--shard", "3/2"], /^error: --shard 3\/2: need 0 <= I < N/],
    [["--runs", "ten"], /^error: --runs must be an integer/],
    [["--service", "no/such/module.ts"], /^error: --service no\/such\/module.ts: cannot load/],
  ];
  for (const [args, pattern] of cases) {
    const r = await run(["run", "-A", "cli/fuzz.ts", ...args]);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.err, pattern);
    assert.ok(!/\n\s+at /.test(r.err), `no stack trace for ${args.join(" ")}`);
  }
});
