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
