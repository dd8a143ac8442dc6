// `deno task fuzz` as a user runs it, in a subprocess, for the tests of campaigns whose services
// never yield: Deno 2.9.6's `Worker.terminate()` does not stop a worker busy in a loop
// (tools/busy_worker_terminate.ts), so a campaign run in the test process leaves each stopped
// run's worker spinning for the rest of `deno test` (CI saw eight such threads slow every later
// test file); a subprocess takes them with it when it exits.
import type { CampaignSummary } from "../orchestrate.ts";

/** The deno binary running the tests. */
export const DENO = Deno.execPath();

/** The command line of `deno task fuzz` up to its own flags. */
export const FUZZ = ["run", "--v8-flags=--single-threaded-gc", "-A", "cli/fuzz.ts"];

/** Runs `deno ARGS` in the checkout; its status, output and wall time. */
export async function run(
  args: string[],
): Promise<{ code: number; out: string; err: string; ms: number }> {
  const t0 = performance.now();
  const o = await new Deno.Command(DENO, { args, stdout: "piped", stderr: "piped" }).output();
  return {
    code: o.code,
    out: new TextDecoder().decode(o.stdout),
    err: new TextDecoder().decode(o.stderr),
    ms: performance.now() - t0,
  };
}

/** The JSON summary at the end of `--json` output. */
export function summaryOf(out: string): CampaignSummary {
  return JSON.parse(out.slice(out.indexOf("{"))) as CampaignSummary;
}

/**
 * The flags of a campaign against fuzz/testdata/slow_replay_service.ts (every run fails; the
 * instance that investigates the first failing run says "slow_replay_service: investigating" on
 * stderr and waits 3 s before its case is written), seed 1, one worker, into `corpus`, with
 * `budget` (`--runs N` or `--seconds S`).
 */
export function slowReplayCampaign(corpus: string, budget: string[]): string[] {
  return [
    ...FUZZ,
    "--service",
    "fuzz/testdata/slow_replay_service.ts",
    "--lint-warn", // its module-level timer is the test's window, not a run's input
    "--checkers",
    "kernel+service",
    "--seed",
    "1",
    "--workers",
    "1",
    ...budget,
    "--corpus",
    corpus,
  ];
}

/**
 * Runs `deno ARGS` and reads its `watch` stream as it comes: the first time `when` holds of what
 * it printed there so far, `act(child)` runs (a signal to send, a corpus to take away). Returns
 * both streams, the status and whether it acted.
 */
export async function spawnActing(
  args: string[],
  watch: "stdout" | "stderr",
  when: (text: string) => boolean,
  act: (child: Deno.ChildProcess) => void | Promise<void>,
  env?: Record<string, string>,
): Promise<{ out: string; err: string; status: Deno.CommandStatus; acted: boolean }> {
  const p = new Deno.Command(DENO, { args, env, stdout: "piped", stderr: "piped" }).spawn();
  const other = new Response(watch === "stdout" ? p.stderr : p.stdout).text();
  const reader = p[watch].getReader();
  const decoder = new TextDecoder();
  let text = "";
  let acted = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
    if (!acted && when(text)) {
      acted = true;
      await act(p);
    }
  }
  const status = await p.status;
  const rest = await other;
  return {
    out: watch === "stdout" ? text : rest,
    err: watch === "stdout" ? rest : text,
    status,
    acted,
  };
}
