/**
 * Prints, as JSON, how much of the young generation a batch of finished runs leaves alive: the
 * bench's campaign runs (generated scenarios under the kernel checkers) from `FROM` to `TO`, then
 * one scavenge. Run with `--v8-flags=--expose-gc,--min-semi-space-size=64` (a young generation
 * large enough that no scavenge comes between the runs), as `fuzz/young_survivors_test.ts` does.
 *
 * @module
 */
import v8 from "node:v8";
import { benchRunner } from "../../tools/_bench_runner.ts";

const gc = (globalThis as { gc?: (o?: { type: "minor" }) => void }).gc;
if (gc === undefined) throw new Error("young_survivors.ts: run with --v8-flags=--expose-gc");
const [from, to] = Deno.args.map(Number);
const young = () =>
  v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space")?.space_used_size ?? 0;
const { runner, record } = await benchRunner(new URL("../../", import.meta.url));
// Warm up (code, memos), then start from an empty young generation.
for (let k = from; k < to; k++) runner.run(k, record);
gc();
gc();
const empty = young();
for (let k = from; k < to; k++) runner.run(k, record);
const allocated = young() - empty;
gc({ type: "minor" });
console.log(JSON.stringify({ allocated, survived: young() }));
