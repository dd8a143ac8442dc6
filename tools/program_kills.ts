/**
 * Which mutants of `FILE` on lines `FROM`..`TO` (1-based) the campaign judge's programs kill:
 * each mutant is switched on in an instrumented mirror (mutate/mutant_mirror.ts) and the first
 * `N` judge programs (default 300) are run until one that passes unmutated fails. A quick,
 * line-scoped stand-in for `deno task mutate --files FILE` when only program checks changed
 * (the figures "pagerOp 3 -> 14 of 63" and "range checks 3 -> 10 of 18" in docs/mutation.md:
 * run it before and after the change).
 *
 * Each mutant's programs run under the memory limit of `deno task mutate` (mutate/ns.ts,
 * `armMemoryLimit`; `MIB`, default 1024): a mutant whose programs grow this process's heap past
 * it is `memory` (counted as killed, as a hit-limit timeout is), and the next mutant is judged
 * from what is live then. A `vmo_pages.ts:843` mutant grew one run to 10 GB before it had one.
 * With `--v8-flags=--expose-gc` the limit is on live memory (garbage is collected first).
 *
 * @example
 * ```sh
 * deno run -A --v8-flags=--expose-gc tools/program_kills.ts kernel/vmo_pages.ts 923 953
 * ```
 *
 * @module
 */

import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { instrumentFiles } from "../mutate/instrument.ts";
import { mutantKey } from "../mutate/report.ts";
import {
  armHitLimit,
  armMemoryLimit,
  disarmHitLimit,
  disarmMemoryLimit,
  HIT_LIMIT,
  MEMORY_LIMIT_MIB,
  memoryOver,
  settledIsolateBytes,
  strykerNs,
} from "../mutate/ns.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const [file, from, to, count, mib] = Deno.args;
const USAGE = "usage: deno run -A tools/program_kills.ts FILE FROM TO [N [MIB]]";
const whole = (s: string | undefined, fallback: number) => s === undefined ? fallback : Number(s);
const memoryMib = whole(mib, MEMORY_LIMIT_MIB);
if (
  file === undefined || from === undefined || to === undefined ||
  ![whole(from, 1), whole(to, 1), whole(count, 300), memoryMib].every((n) =>
    Number.isSafeInteger(n) && n >= 1
  )
) {
  console.error(`${USAGE}\n(FROM, TO, N and MIB are whole numbers of at least 1)`);
  Deno.exit(2);
}
const { mutants } = await instrumentFiles(ROOT, [file]);
const keys = new Map<string, number>();
for (const m of mutants) keys.set(mutantKey(m), (keys.get(mutantKey(m)) ?? 0) + 1);
/** A fresh mirror: its modules, and so their state, are new (see the memory limit below). */
const fresh = async () => {
  const mirror = await mutantMirror(file);
  const { judgeProgram } = await mirror.load("mutate/judges.ts") as Any;
  const { programMonitors, runProgram } = await mirror.load("program/run.ts") as Any;
  // Drawn afresh for every run, as the judge's `program:K` probe does: a drawn program's
  // schedule is a seeded generator that a run consumes, so a drawing run again schedules
  // differently (program/testdata/program_verdict.ts says the same for the tests).
  const verdict = (k: number): Any => {
    const { program, ...how } = judgeProgram(k);
    return runProgram(program, { ...how, monitors: programMonitors }).verdict;
  };
  return { mirror, verdict };
};
let { mirror, verdict } = await fresh();
const passing = Array.from({ length: Number(count ?? 300) }, (_, k) => k)
  .filter((k) => verdict(k).kind === "pass");
let killed = 0, total = 0;
for (const m of mutants) {
  const line = m.location.start.line + 1;
  const key = mutantKey(m);
  // A key two mutants share names neither (mutant_mirror refuses it).
  if (line < Number(from) || line > Number(to) || keys.get(key) !== 1) continue;
  total++;
  let by = "";
  // Judged from what is live now: what an earlier mutant left is not this one's.
  armMemoryLimit(memoryMib, settledIsolateBytes());
  for (const k of passing) {
    // The judge's hit limit: a mutant that loops is a timeout, not a hung tool.
    armHitLimit(new Int32Array(new SharedArrayBuffer(4)));
    let v: Any;
    try {
      v = mirror.withMutant(key, () => verdict(k));
    } catch (e) {
      v = { kind: "thrown", invariant: String(e).slice(0, 80) };
    }
    if ((strykerNs().hitCount ?? 0) > HIT_LIMIT) v = { kind: "timeout", invariant: "hit limit" };
    if (memoryOver() !== null) v = { kind: "memory", invariant: `over ${memoryMib} MiB` };
    disarmHitLimit();
    if (v.kind !== "pass") {
      by = `program:${k} ${v.kind}:${v.invariant ?? ""}`;
      break;
    }
  }
  // Stopped at its memory limit, the run threw at every mutant site, cleanup code included:
  // module state may be left half-changed (the next mutants' killing programs changed), so the
  // next mutant is judged in a fresh mirror.
  const over = memoryOver() !== null;
  disarmMemoryLimit();
  if (over) {
    mirror.dispose();
    ({ mirror, verdict } = await fresh());
  }
  if (by !== "") killed++;
  console.log(by !== "" ? `KILL ${by} ${key}` : `survive ${key}`);
}
console.log(`${killed} of ${total} killed by programs`);
mirror.dispose();
