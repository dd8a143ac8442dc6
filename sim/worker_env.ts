/**
 * The environment a `node:worker_threads` Worker is given. Without one it copies the whole
 * environment into its `process.env`: a read of every variable, which a task allowed only
 * `--allow-env=INIT_CWD` answers with a permission prompt on a terminal (every command waited at
 * `Deno requests env access`, userS28c) and with a refusal elsewhere. No worker reads
 * `process.env`; `Deno.env` is the process's, under the task's own permission. Here, below every
 * folder that starts workers (fuzz's and explore's pools, the guarded property), so each names it.
 *
 * @example
 * ```ts
 * import { WORKER_ENV } from "./worker_env.ts";
 * console.assert(Object.keys(WORKER_ENV).length === 0);
 * ```
 *
 * @module
 */

/** The (empty) environment every Worker of pagersim's is given. */
export const WORKER_ENV: Readonly<Record<string, string>> = Object.freeze({});
