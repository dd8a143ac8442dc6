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
  const { url, progress } = workerData as { url: string; progress?: SharedArrayBuffer };
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
