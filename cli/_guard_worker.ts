/**
 * The guarded worker of `cli/_guard.ts`: imports a command module and runs
 * its exported `main`, answering with its exit status (bad input is printed
 * as the command would print it, status 2).
 *
 * @module
 */

import { parentPort, workerData } from "node:worker_threads";
import { badInputStatus } from "./args.ts";

if (parentPort !== null && workerData !== undefined && workerData !== null) {
  const port = parentPort;
  const { url, progress, hold } = workerData as {
    url: string;
    progress?: SharedArrayBuffer;
    hold?: boolean;
  };
  // Held output goes to the guard, which prints it once it knows the run is the one to show.
  if (hold === true) {
    const text = (a: unknown[]) =>
      a.map((x) => typeof x === "string" ? x : Deno.inspect(x, { colors: false })).join(" ");
    console.log = (...a: unknown[]) => port.postMessage({ line: text(a), err: false });
    console.info = console.log;
    console.error = (...a: unknown[]) => port.postMessage({ line: text(a), err: true });
    console.warn = console.error;
  }
  const mod = await import(url);
  // Loaded: the guard's run limit counts from here (cli/_guard.ts).
  if (progress !== undefined) Atomics.store(new Int32Array(progress), 2, 1);
  let code: number;
  try {
    code = await mod.main();
  } catch (e) {
    code = badInputStatus(e, mod.USAGE ?? "");
  }
  port.postMessage({ code });
}
