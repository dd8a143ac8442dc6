// sim and explore with --service judge a run as fuzz and repro do (kernel invariants + service
// obligations): a dropped READ is the service's P1, not a pass or a bare kernel hang.
import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";
import { readCaseFile } from "../case/store.ts";

const root = new URL("../", import.meta.url).pathname;
const SCENARIO = "fuzz/testdata/three_reads.json";
const LOSSY = "fuzz/testdata/lossy_service.ts";

const deno = (args: string[]) => denoOutput(["run", "-A", ...args], root);

const verdict = (out: string) => /^verdict: (.+)$/m.exec(out)?.[1];

Deno.test("sim --service checks the service obligations by default, as repro does", async () => {
  const flags = ["--scenario", SCENARIO, "--service", LOSSY, "--seed", "0"];
  const sim = await deno(["cli/sim.ts", ...flags]);
  const repro = await deno(["cli/repro.ts", ...flags]);
  assert.equal(sim.code, 1, sim.out + sim.err);
  assert.match(verdict(sim.out) ?? "", /^invariant answers-every-read broken/, sim.out);
  assert.equal(verdict(sim.out), verdict(repro.out));
  assert.equal(
    /^trace-hash: (\S+)$/m.exec(sim.out)?.[1],
    /^trace-hash: (\S+)$/m.exec(repro.out)?.[1],
  );
  const kernelOnly = await deno(["cli/sim.ts", ...flags, "--checkers", "kernel"]);
  assert.doesNotMatch(verdict(kernelOnly.out) ?? "", /answers-every-read/);
  const bad = await deno(["cli/sim.ts", ...flags, "--checkers", "all"]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--checkers must be kernel or kernel\+service, got "all"/);
});

Deno.test("sim --service says the user's service serves the scenario, not the one the scenario names", async () => {
  const plain = await deno(["cli/sim.ts", "--trace", "none"]);
  assert.match(plain.out, /^scenario: default: two VMOs, eager service, /m);
  const mine = await deno(["cli/sim.ts", "--service", "examples/my_service.ts", "--trace", "none"]);
  assert.equal(mine.code, 0, mine.out + mine.err);
  const line = /^scenario: .*$/m.exec(mine.out)?.[0] ?? "";
  assert.doesNotMatch(line, /eager/);
  assert.match(
    line,
    /^scenario: default: two VMOs, .*; every pager served by examples\/my_service\.ts$/,
  );
  const file = await deno(["cli/sim.ts", "--scenario", SCENARIO, "--service", LOSSY]);
  assert.match(file.out, new RegExp(`^scenario: .*; every pager served by ${LOSSY}$`, "m"));
});

Deno.test("explore --service checks the service obligations by default, and its case replays", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-checkers-" });
  try {
    const r = await deno([
      "cli/explore.ts",
      "--scenario",
      SCENARIO,
      "--service",
      LOSSY,
      "--preemptions",
      "0",
      "--corpus",
      dir,
    ]);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /checkers kernel\+service/);
    assert.match(r.out, /^failing verdict: invariant answers-every-read broken/m);
    const file = /^written: (.+)$/m.exec(r.out)?.[1];
    assert.ok(file !== undefined, r.out);
    assert.equal((await readCaseFile(file)).checkers, "kernel+service");
    const rep = await deno(["cli/repro.ts", file]);
    assert.equal(rep.code, 0, rep.out + rep.err);
    assert.match(rep.out, /: reproduced$/m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a service that throws is its thread's fault, with the stack, under every checker set; the case says so", async () => {
  const flags = [
    "--scenario",
    SCENARIO,
    "--service",
    "fuzz/testdata/throwing_service.ts",
    "--seed",
    "1",
  ];
  for (const checkers of ["kernel+service", "kernel"]) {
    const sim = await deno(["cli/sim.ts", ...flags, "--checkers", checkers]);
    assert.equal(sim.code, 1, sim.out + sim.err);
    assert.match(
      verdict(sim.out) ?? "",
      /^thread t1 "p0\.svc" faulted at step \d+: Error: decompressor: frame table corrupt$/,
    );
    assert.match(sim.out, /at throwingService \(.*throwing_service\.ts:\d+:\d+\)/);
  }
  const corpus = await Deno.makeTempDir({ prefix: "pagersim-throw-" });
  try {
    const fuzz = await deno([
      "cli/fuzz.ts",
      "--service",
      "fuzz/testdata/throwing_service.ts",
      "--runs",
      "20",
      "--workers",
      "1",
      "--seed",
      "1",
      "--corpus",
      corpus,
    ]);
    assert.equal(fuzz.code, 1, fuzz.err);
    const files = [...Deno.readDirSync(corpus)].map((e) => e.name);
    assert.equal(files.length, 1, files.join(", "));
    const c = await readCaseFile(`${corpus}/${files[0]}`);
    assert.match(c.signature ?? "", /^thread-fault:Error@throwing_service\.ts:throwingService$/);
    assert.equal(c.expected, "thread-fault");
  } finally {
    await Deno.remove(corpus, { recursive: true });
  }
});
