/**
 * The row runner process of `cli/_conformance_guard.ts`: runs the rows it is given against the
 * `--kernel` variant in a watched worker (`runRows`), printing one JSON line per row's outcome
 * and a last line saying whether all ran or where they were stopped, then exits. A process of
 * its own because Deno 2.9.6 cannot stop a worker busy in code that never yields
 * (`Worker.terminate()` leaves it spinning: tools/busy_worker_terminate.ts); the guard ends this
 * process, and the spinning thread with it, once a row is stopped.
 *
 *     deno run --allow-read cli/_conformance_rows.ts '{"kernel":…,"rows":[…],"limitS":5,"memoryMb":512}'
 *
 * @module
 */

import { ALL_CASES } from "../conformance/cases.ts";
import { type RowsJob, type RowsLine, RowsLoadError, runRows } from "./_conformance_guard.ts";

if (import.meta.main) {
  // Loaded (pagersim's modules and this one): the guard passes on its stderr from here.
  console.log(JSON.stringify({ loaded: true } satisfies RowsLine));
  const job = JSON.parse(Deno.args[0]) as RowsJob;
  const rows = job.rows.map((index) => {
    const c = ALL_CASES[index];
    if (c === undefined) throw new Error(`conformance: no row ${index}`);
    return c;
  });
  let done = 0;
  const print = (line: RowsLine) => console.log(JSON.stringify(line));
  let stop;
  try {
    stop = await runRows(job.kernel, rows, job.limitS, job.memoryMb, (_c, outcome) => {
      print({ row: done++, outcome });
    });
  } catch (e) {
    // The rows' worker did not load (pagersim's code or the variant): one line, no rows.
    if (!(e instanceof RowsLoadError)) throw e;
    print({ loadFailed: e.message });
    Deno.exit(0);
  }
  print({ stop });
  // Ends the worker's thread too, spinning or not.
  Deno.exit(0);
}
