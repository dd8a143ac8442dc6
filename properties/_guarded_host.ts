/**
 * The child process of {@linkcode guardedPagerProperty} (`properties/guarded_property.ts`), when
 * the test may run `deno`: its main thread is the property's watchdog (`_guarded_runner.ts`
 * `Runner`, the shared cell and the worker as in the test's process), and the property talks to
 * it in JSON lines: the first line on stdin is the worker's data and the limits, each later line
 * a request (`run`, `stop-before`), answered in order by one line on stdout that starts with
 * {@linkcode HOST_MARK} (anything else on stdout, what the service prints, is passed through).
 * The property kills this process (SIGKILL) once a run went past its limit, and when its runs
 * went idle: the worker thread that never yielded goes with it (Deno 2.9.6 cannot stop a thread
 * busy in a loop, tools/busy_worker_terminate.ts; in the test's process it spun until the test
 * process ended, trial36).
 *
 *     deno run --allow-read --no-prompt properties/_guarded_host.ts   (the property starts it)
 *
 * @module
 */

import { type Drawn, type Limits, Runner } from "./_guarded_runner.ts";
import type { GuardedWorkerData } from "./_guarded_worker.ts";
import type { StuckAt } from "../sim/stuck.ts";

/** The start of every reply line on stdout (a service's own output never starts with it). */
export const HOST_MARK = "\u001epagersim-guarded ";

/** The first line the property sends: what the worker is given, and the limits. */
export interface HostInit {
  readonly data: Omit<GuardedWorkerData, "progress">;
  readonly limits: Limits;
}

/** A request the property sends after the first line. */
export type HostRequest =
  | { readonly type: "run"; readonly value: Drawn; readonly limitS: number }
  | {
    readonly type: "stop-before";
    readonly value: Drawn;
    readonly at: StuckAt;
    readonly limitS: number;
  };

/** The lines of `stream`, as they come. */
export async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let pending = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf("\n")) >= 0) {
      yield pending.slice(0, nl);
      pending = pending.slice(nl + 1);
    }
  }
  if (pending !== "") yield pending;
}

/** Writes all of `text` to stdout (a pipe may take a long reply in parts). */
async function writeAll(text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  for (let done = 0; done < bytes.length;) done += await Deno.stdout.write(bytes.subarray(done));
}

if (import.meta.main) {
  let runner: Runner | null = null;
  // Requests run one after another; stdin is read meanwhile, so its end ends this process even in
  // the middle of a run (the property's process ended, killed or interrupted: no orphan left).
  let queue: Promise<void> = Promise.resolve();
  for await (const line of lines(Deno.stdin.readable)) {
    if (runner === null) {
      const init = JSON.parse(line) as HostInit;
      // The property ends this process when its runs go idle: the worker stays up between runs.
      runner = new Runner(init.data, init.limits, false);
      continue;
    }
    const r = runner;
    const request = JSON.parse(line) as HostRequest;
    queue = queue.then(async () => {
      const reply = request.type === "run"
        ? await r.exec(request.value, request.limitS)
        : await r.stopBefore(request.value, request.at, request.limitS);
      await writeAll(`${HOST_MARK}${JSON.stringify(reply)}\n`);
    }).catch(() => Deno.exit(1));
  }
  // stdin closed: the property is done with this process (a spinning worker ends with it).
  Deno.exit(0);
}
