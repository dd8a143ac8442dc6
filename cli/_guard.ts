/**
 * The watchdog of `sim` and `repro`: the command's work runs in a
 * `node:worker_threads` worker with a heap limit, and a run that does not
 * finish within the run limit (user code that never yields) or reaches the
 * heap limit ends the command with a `service-hang` / `out-of-memory`
 * verdict line instead of hanging it or taking the machine's memory — the
 * same limits a campaign's runs have (`fuzz/_worker_pool.ts` says why a
 * worker, and how a stopped worker is told out of memory).
 *
 * @module
 */

import { Worker } from "node:worker_threads";
import { DEFAULT_MEMORY_MB, DEFAULT_RUN_TIMEOUT } from "../fuzz/engine.ts";
import { OUT_OF_MEMORY, SERVICE_HANG } from "../fuzz/signature.ts";

/** How a guarded command ended. */
export type GuardOutcome =
  | { readonly kind: "done"; readonly code: number }
  | { readonly kind: "service-hang" | "out-of-memory" };

/** Reads `--run-timeout S` and `--memory MIB` from raw arguments (the command validates them too). */
export function limitsOf(args: readonly string[]): { runTimeout: number; memoryMb: number } {
  const get = (name: string, fallback: number) => {
    const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (i < 0) return fallback;
    const text = args[i].includes("=") ? args[i].slice(args[i].indexOf("=") + 1) : args[i + 1];
    const n = Number(text);
    return Number.isSafeInteger(n) && n > 0 ? n : fallback;
  };
  return {
    runTimeout: get("run-timeout", DEFAULT_RUN_TIMEOUT),
    memoryMb: get("memory", DEFAULT_MEMORY_MB),
  };
}

/**
 * Runs the `main` export of the command module at `url` in a guarded worker
 * (it reads `Deno.args` as usual); resolves with its exit status, or with
 * the limit it went past.
 */
export function runGuarded(
  url: string,
  limits: { runTimeout: number; memoryMb: number },
): Promise<GuardOutcome> {
  return new Promise((resolve) => {
    const rssAtStart = Deno.memoryUsage().rss;
    const worker = new Worker(new URL("./_guard_worker.ts", import.meta.url), {
      workerData: { url },
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb },
    });
    let settled = false;
    const settle = (o: GuardOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate().then(() => resolve(o));
    };
    const timer = setTimeout(() => {
      const grownMiB = (Deno.memoryUsage().rss - rssAtStart) / 2 ** 20;
      settle({ kind: grownMiB >= limits.memoryMb / 2 ? "out-of-memory" : "service-hang" });
    }, limits.runTimeout * 1000);
    worker.on("message", (m: { code: number }) => settle({ kind: "done", code: m.code }));
    worker.on("error", (e: Error & { code?: string }) => {
      if (e.code === "ERR_WORKER_OUT_OF_MEMORY") settle({ kind: "out-of-memory" });
      else {
        console.error(`error: ${e.message}`);
        settle({ kind: "done", code: 1 });
      }
    });
  });
}

/** The verdict line of a run the guard stopped. */
export function stoppedLine(
  kind: "service-hang" | "out-of-memory",
  limits: { runTimeout: number; memoryMb: number },
): string {
  return kind === "service-hang"
    ? `verdict: ${SERVICE_HANG} (the run did not finish within --run-timeout ${limits.runTimeout}s)`
    : `verdict: ${OUT_OF_MEMORY} (the run reached the --memory ${limits.memoryMb} MiB heap limit)`;
}
