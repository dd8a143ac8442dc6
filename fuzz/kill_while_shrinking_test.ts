// No finding is lost when a campaign is killed while it shrinks one. `deno task fuzz` runs as a
// user runs it, in a subprocess; its service (fuzz/testdata/slow_shrink_service.ts) fails run 6
// of seed 1 and is slow only in the instances that replay and shrink a failing run, so shrinking
// takes seconds after the unshrunk case is written. The test waits for the line the campaign
// prints the moment the finding is first written (`new failure ... written unshrunk before
// shrinking it: deno task repro FILE`), kills the campaign, and runs that printed command:
//   - SIGKILL (no code runs: no summary): the line and the progress line are all the user saw;
//     the file they name must replay alone, unshrunk.
//   - SIGINT / SIGTERM: the campaign ends cleanly (exit 1: a failure was found), its summary says
//     which case is not shrunk to the end and how it gets shrunk later, and the file replays.
// Before this test the campaign printed nothing between its header and the summary but the
// progress line (`distinct 1 (shrinking 1)`, naming no file): a SIGKILL left a case on disk that
// nothing the user saw named.
import { strict as assert } from "node:assert";
import { readCaseFile } from "../case/store.ts";
import { DENO, FUZZ, spawnActing } from "./testdata/fuzz_cli.ts";
import { NIGHTLY } from "../tools/nightly.ts";

const FOUND = /^new failure (\S+) \(run (\d+)\), written unshrunk before shrinking it: (.+)$/m;

/** Runs the campaign; `when(out)` true sends `signal`; returns what it printed and its status. */
async function campaignKilled(
  dir: string,
  signal: Deno.Signal,
  when: (out: string) => boolean,
): Promise<{ out: string; status: Deno.CommandStatus }> {
  const { out, status, acted } = await spawnActing(
    [
      ...FUZZ,
      "--service",
      "fuzz/testdata/slow_shrink_service.ts",
      "--seed",
      "1",
      "--workers",
      "1",
      "--runs",
      "20",
      "--corpus",
      dir,
    ],
    "stdout",
    when,
    (p) => p.kill(signal),
  );
  assert.ok(acted, `${signal} never sent: ${out}`);
  return { out, status };
}

/** Runs a printed `deno task repro FILE` line as the repro task does; asserts it reproduces. */
async function assertReplays(line: string, what: string): Promise<void> {
  const file = /^deno task repro (\S+)$/.exec(line)?.[1];
  assert.ok(file !== undefined, `${what}: not a case replay line: ${line}`);
  const o = await new Deno.Command(DENO, {
    args: ["run", "--allow-read", "cli/repro.ts", file, "--trace", "none"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(o.stdout) + new TextDecoder().decode(o.stderr);
  assert.match(text, /^expected: invariant:answers-every-read: reproduced$/m, `${what}: ${text}`);
}

async function killedWhileShrinking(signal: Deno.Signal): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: `pagersim-kill-${signal}-` });
  try {
    // SIGKILL waits for a progress line said while shrinking: it must sit under the line that
    // names the case. The others are sent as soon as the case is written.
    const { out, status } = await campaignKilled(
      dir,
      signal,
      (o) => FOUND.test(o) && (signal !== "SIGKILL" || /\(shrinking 1\)/.test(o)),
    );
    const [, signature, k, replay] = FOUND.exec(out)!;
    assert.equal(signature, "invariant:answers-every-read", out);
    const file = replay.slice("deno task repro ".length);
    const files = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.deepEqual(files, [file.slice(dir.length + 1)], `${signal}: one case, no temp file`);
    const c = await readCaseFile(file);
    assert.equal(c.found?.run, Number(k));
    await assertReplays(replay, `${signal}: the line printed before the kill`);
    if (signal === "SIGKILL") {
      assert.equal(status.signal, "SIGKILL");
      assert.equal(c.found?.unshrunk, true, "the case SIGKILL left is the unshrunk run");
      assert.match(out, /^runs \d+ of 20 .* distinct 1 \(shrinking 1\)/m);
      return;
    }
    assert.equal(status.code, 1, `${signal}: a failure was found: ${out}`);
    assert.match(out, /^campaign seed 1, shard 0\/1, 1 workers \(interrupted\)$/m);
    assert.ok(c.found?.shrinkCut === true || c.found?.unshrunk === true, JSON.stringify(c.found));
    const said = /^not shrunk to the end \(the interrupt came first\): run (\d+): (\S+);.*$/m
      .exec(out);
    assert.ok(said !== null, `${signal}: the summary names the unshrunk case: ${out}`);
    assert.deepEqual([said[1], said[2]], [k, file]);
    assert.match(said[0], /this one again \(--seed 1 and the same flags\) meets run 6 again$/);
    const summaryReplay = /^ {4}replay: (.+)$/m.exec(out)?.[1];
    assert.equal(summaryReplay, replay);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name:
    "a campaign killed while shrinking (SIGINT, SIGTERM, SIGKILL) leaves its case, which the line printed before the kill replays",
  ignore: Deno.permissions.querySync({ name: "run" }).state !== "granted",
  async fn() {
    // At once: the service sleeps, so they cost little CPU together. SIGTERM takes the path
    // SIGINT does (one listener): deno task nightly runs it too.
    const signals: Deno.Signal[] = NIGHTLY
      ? ["SIGINT", "SIGTERM", "SIGKILL"]
      : ["SIGINT", "SIGKILL"];
    await Promise.all(signals.map(killedWhileShrinking));
  },
});
