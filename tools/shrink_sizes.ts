/**
 * How well failures shrink, in replays, decisions and steps (the figures the
 * shrinker's notes quote):
 *
 *     deno run -A tools/shrink_sizes.ts collect DIR
 *       a seed-1 campaign of 3,000 runs against each zoo bug, stopping at the
 *       first finding, with no shrinking: its unshrunk case goes to DIR/ID.json
 *     deno run -A tools/shrink_sizes.ts shrink FILE [MAX_REPLAYS]
 *       shrinks the case in FILE again (default budget: the shrinker's) and
 *       prints one JSON line: decisions and size before, decisions, steps,
 *       size and replays after
 *
 * @module
 */
import { runCampaign } from "../fuzz/orchestrate.ts";
import { bug as seededBug, ZOO } from "../zoo/registry.ts";
import { readCaseFile, resolveContext } from "../case/store.ts";
import { KINDS } from "../case/kinds.ts";
import { investigate } from "../case/investigate.ts";
import { signProgramRun, signScenarioRun } from "../fuzz/engine.ts";

async function collect(out: string): Promise<void> {
  await Deno.mkdir(out, { recursive: true });
  for (const b of ZOO) {
    let saved = false;
    const s = await runCampaign({
      seed: 1,
      shard: { index: 0, count: 1 },
      workers: 1,
      seconds: null,
      runs: 3000,
      servicePath: null,
      known: [],
      maxShrink: 0,
      checkers: seededBug(b.id).checkers,
      bug: b.id,
      stopAfterFindings: 1,
      persist: async (f) => {
        if (f.stage === "unshrunk" && !saved) {
          saved = true;
          await Deno.writeTextFile(`${out}/${b.id}.json`, JSON.stringify(f.case, null, 1));
        }
        return `${out}/${b.id}.json`;
      },
      progress: () => {},
      progressEvery: 600,
    });
    console.log(b.id, s.findings.map((f) => `${f.signature} (from ${f.shrunkFrom})`).join("; "));
  }
}

async function shrinkAgain(file: string, max: number | undefined): Promise<void> {
  const c = await readCaseFile(file);
  const ctx = await resolveContext(c, file);
  const kind = KINDS[c.kind];
  const r = await investigate(kind, c.input, c.decisions, {
    seed: c.seed,
    ctx,
    sign: c.kind === "scenario" ? signScenarioRun : signProgramRun,
    meta: { checkers: c.checkers, found: { by: "shrink_sizes" } },
    maxAttempts: max,
  });
  if (r.status !== "found") {
    console.error(`${file}: ${r.status}`);
    Deno.exit(1);
  }
  const run = kind.run(r.case.input, { seed: c.seed, decisions: r.case.decisions }, ctx);
  console.log(JSON.stringify({
    file: file.split("/").pop(),
    signature: r.signature,
    from: { decisions: c.decisions.length, size: kind.size(c.input) },
    to: { decisions: r.case.decisions.length, steps: run.steps, size: kind.size(r.case.input) },
    replays: r.attempts,
  }));
}

const [mode, arg, max] = Deno.args;
if (mode === "collect" && arg !== undefined) await collect(arg);
else if (mode === "shrink" && arg !== undefined) {
  await shrinkAgain(arg, max === undefined ? undefined : Number(max));
} else {
  console.error("usage: deno run -A tools/shrink_sizes.ts collect DIR | shrink FILE [MAX_REPLAYS]");
  Deno.exit(2);
}
