/**
 * The bench's `per-step cost` alone (`bench/figures.ts`: the fixed floor's steps/s, this
 * checkout's `bench/_floor.ts` for every side, ÷ default-workload steps/s, no checkers, best of 3 rounds of about
 * SECONDS each) for this checkout and, if given, other checkouts, each in a
 * process of its own, taking turns; timed in CPU seconds (`process.cpuUsage()`,
 * user + system) where the bench takes wall time, so a loaded machine moves it less:
 *
 *     deno run --allow-read --allow-run=deno tools/step_cost.ts [SECONDS] [CHECKOUT...]
 *
 * @module
 */
import { floorLoop } from "../bench/_floor.ts";
import { cpuSeconds } from "./_bench_runner.ts";

const USAGE =
  "usage: deno run --allow-read --allow-run=deno tools/step_cost.ts [SECONDS] [CHECKOUT...]";

/** Steps per CPU-second of `loop` for about `seconds` of CPU after one warm-up call. */
function rate(loop: () => number, seconds: number): number {
  loop();
  let steps = 0, elapsed = 0;
  const start = cpuSeconds();
  while (elapsed < seconds) {
    steps += loop();
    elapsed = cpuSeconds() - start;
  }
  return steps / elapsed;
}

if (import.meta.main && Deno.args[0] === "one") {
  const root = new URL(Deno.args[1]);
  const seconds = Number(Deno.args[2]);
  const loops = await import(new URL("bench/_loops.ts", root).href);
  const run = await import(new URL("scenario/interpreter.ts", root).href);
  const plain = () => {
    let total = 0;
    for (let s = 1; total < 20_000; s++) {
      total += run.runScenario(loops.DEFAULT, { seed: s, keepTrace: false, monitors: [] }).steps;
    }
    return total;
  };
  const bare = () => floorLoop();
  let b = 0, p = 0;
  for (let round = 0; round < 3; round++) {
    b = Math.max(b, rate(bare, seconds));
    p = Math.max(p, rate(plain, seconds));
  }
  console.log(JSON.stringify({ bare: b, plain: p }));
} else if (import.meta.main) {
  const seconds = Number(Deno.args[0] ?? 1);
  if (!(seconds > 0)) {
    console.error(`error: bad SECONDS "${Deno.args[0]}"\n${USAGE}`);
    Deno.exit(2);
  }
  const roots = [new URL("../", import.meta.url).href];
  for (const d of Deno.args.slice(1)) roots.push(new URL(`file://${d.replace(/\/?$/, "/")}`).href);
  for (const root of roots) {
    const out = await new Deno.Command("deno", {
      args: ["run", "--allow-read", import.meta.url, "one", root, `${seconds}`],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    if (!out.success) {
      console.error(`error: ${root} failed`);
      Deno.exit(1);
    }
    const r = JSON.parse(new TextDecoder().decode(out.stdout));
    console.log(
      `${root}: per-step cost ${(r.bare / r.plain).toFixed(1)}x (bare ${r.bare.toFixed(0)} ` +
        `steps per CPU-second, default workload ${r.plain.toFixed(0)})`,
    );
  }
}
