/**
 * The guarded worker of `cli/_guard.ts`: imports a command module and runs
 * its exported `main`, answering with its exit status (bad input is printed
 * as the command would print it, status 2).
 *
 * @module
 */

import { parentPort, workerData } from "node:worker_threads";
import { InputError, UsageError } from "./args.ts";
import { CaseFileError } from "../case/store.ts";

if (parentPort !== null && workerData !== undefined && workerData !== null) {
  const port = parentPort;
  const { url } = workerData as { url: string };
  let code: number;
  try {
    const mod = await import(url);
    code = await mod.main();
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}\n\n${(await import(url)).USAGE ?? ""}`);
      code = 2;
    } else if (e instanceof InputError || e instanceof CaseFileError) {
      console.error(`error: ${e.message}`);
      code = 2;
    } else throw e;
  }
  port.postMessage({ code });
}
