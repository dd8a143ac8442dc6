// userS27k: `deno task explore` printed a counterexample's whole decision list inline (13,932
// entries, ~30 KB, for a 25,000-step hang of a kernel variant), and wrote it unshrunk. Now a long
// list is printed as its first entries where the case file (or the replay line) holds it whole,
// the counterexample is shrunk as fuzz shrinks a case (its signature kept, and no more
// preemptions), and sim's and repro's replay lines of a long run replay it without the list.
// cli/testdata/polling_reader.json with polling_service.ts: two service threads that poll
// and never answer, a 600-step run with 600 decisions (every step a choice of two threads).
import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";

const root = new URL("../", import.meta.url).pathname;
const SCENARIO = "cli/testdata/polling_reader.json";
const SERVICE = "cli/testdata/polling_service.ts";

const run = (script: string, ...args: string[]) =>
  denoOutput(["run", "-A", `cli/${script}.ts`, ...args], root);

/** Runs a printed `replay: deno task X ...` line (its words have no quotes here). */
function replayLine(out: string) {
  const line = /^replay: deno task (\S+) (.*)$/m.exec(out);
  assert.ok(line !== null, out);
  return run(line[1], ...line[2].split(" "), "--trace", "none");
}

const listLine = (out: string) => /^decision-list .*$/m.exec(out)?.[0] ?? "";

Deno.test("explore: a long counterexample's list is printed as its first entries, the case holds it whole, and it is shrunk keeping its signature and preemptions", async () => {
  const corpus = await Deno.makeTempDir({ prefix: "pagersim-long-cx-" });
  try {
    const args = ["--scenario", SCENARIO, "--service", SERVICE, "--preemptions", "0"];
    // As found (no shrinking): the case holds the whole list, the output its first 40 entries.
    const found = await run("explore", ...args, "--corpus", `${corpus}/a`, "--max-shrink", "0");
    assert.equal(found.code, 1, found.out + found.err);
    assert.match(found.out, /^counterexample: 0 preemptions, 600 steps/m);
    assert.match(
      listLine(found.out),
      /^decision-list \(600 entries\): (\d,){40}\.\.\. \(the first 40; the whole list is in the case file\)$/,
    );
    assert.ok(found.out.length < 4000, `${found.out.length} characters`);
    const file = /^written: (.+)$/m.exec(found.out)?.[1] ?? "";
    assert.equal(JSON.parse(await Deno.readTextFile(file)).decisions.length, 600);
    assert.match(found.out, new RegExp(`^replay: deno task repro ${file}$`, "m"));
    const again = await replayLine(found.out);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /^expected: invariant:answers-every-read: reproduced$/m);
    // repro's own line of the long run: its first entries too, its replay line the file.
    assert.match(listLine(again.out), /^decision-list \(600 entries\): .*\(the first 40; /);

    // Shrunk (the default): progress on stderr, the shrunk run in the case, replayed as printed.
    const shrunk = await run("explore", ...args, "--corpus", `${corpus}/b`);
    assert.equal(shrunk.code, 1, shrunk.out + shrunk.err);
    assert.match(shrunk.err, /^shrinking the counterexample \(600 steps, 600 decisions\)/m);
    // Session 29: the first line said "0 candidate runs, 0 s", true of no shrink.
    assert.doesNotMatch(shrunk.err, /\b0 candidate runs/);
    const note =
      /^shrunk: 600 steps, 600 decisions -> (\d+) steps, (\d+) decisions, (\d+) preemptions /m
        .exec(shrunk.out);
    assert.ok(note !== null, shrunk.out);
    assert.ok(Number(note[1]) < 600 && Number(note[2]) < 600, note[0]);
    assert.equal(note[3], "0", "no more preemptions than the counterexample's");
    assert.match(shrunk.out, /^signature: invariant:answers-every-read$/m);
    const small = /^written: (.+)$/m.exec(shrunk.out)?.[1] ?? "";
    const kase = JSON.parse(await Deno.readTextFile(small));
    assert.equal(kase.signature, "invariant:answers-every-read");
    assert.equal(kase.found.shrunkFrom, 600);
    assert.equal([...Deno.readDirSync(`${corpus}/b`)].length, 1, "the unshrunk case is replaced");
    const rep = await replayLine(shrunk.out);
    assert.equal(rep.code, 0, rep.out);
    assert.match(rep.out, /^expected: invariant:answers-every-read: reproduced$/m);
    assert.equal(
      /^verdict: (.+)$/m.exec(rep.out)?.[1],
      /^failing verdict \(shrunk\): (.+)$/m.exec(shrunk.out)?.[1],
    );
  } finally {
    await Deno.remove(corpus, { recursive: true });
  }
});

Deno.test("explore: with no case written, the replay line carries the whole list and works as printed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-long-nocase-" });
  try {
    // A corpus the command may not write in (explore says so at the start and searches on).
    await Deno.mkdir(`${dir}/ro`);
    await Deno.mkdir(`${dir}/tmp`);
    const r = await denoOutput(
      [
        "run",
        "--allow-read",
        `--allow-write=${dir}/tmp`,
        "--allow-env=INIT_CWD",
        "cli/explore.ts",
        "--scenario",
        SCENARIO,
        "--service",
        SERVICE,
        "--preemptions",
        "0",
        "--corpus",
        `${dir}/ro`,
      ],
      root,
    );
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /^error: cannot write the counterexample to /m);
    assert.match(
      listLine(r.out),
      /\(the first 40; the whole list is in the replay line below\)$/,
    );
    const line = /^replay: deno task repro (.*)$/m.exec(r.out)?.[1] ?? "";
    assert.equal(/--decisions (\S+)/.exec(line)?.[1].split(",").length, 600);
    const rep = await replayLine(r.out);
    assert.match(rep.out, /^verdict: invariant answers-every-read broken/m);
    assert.deepEqual([...Deno.readDirSync(`${dir}/ro`)], [], "nothing written to the corpus");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sim: a long run's list is printed as its first entries, and its replay line replays it without the list", async () => {
  const r = await run(
    "sim",
    "--scenario",
    SCENARIO,
    "--service",
    SERVICE,
    "--seed",
    "3",
    "--trace",
    "none",
  );
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(
    listLine(r.out),
    /^decision-list \(600 entries\): .*\(the first 40; the replay line below replays the whole list\)$/,
  );
  assert.match(
    r.out,
    new RegExp(`^replay: deno task sim --scenario ${SCENARIO} --service ${SERVICE} --seed 3$`, "m"),
  );
  const rep = await replayLine(r.out);
  const hash = (out: string) => /^trace-hash: (\w+)$/m.exec(out)?.[1];
  assert.equal(hash(rep.out), hash(r.out));
  assert.notEqual(hash(r.out), undefined);
});
