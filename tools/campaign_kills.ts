/**
 * Which mutants of one file the whole campaign judge kills, in process, for named mutants: the
 * project is mirrored with `FILE` instrumented (`mutate/mutant_mirror.ts`, coverage marks kept),
 * the judges are loaded from the mirror and every probe of `campaignProbes` (runs, programs,
 * seeded scenarios, explorations, conformance workloads) runs once unmutated to learn which
 * mutants it reaches, then each chosen mutant is switched on and judged by the probes that reach
 * it, in the judge's order, under the hit limit, stopping at the first that fails, as a worker of
 * `deno task mutate --by campaign` judges it (the same code: `mutate/probe_run.ts`). For triage
 * of a survivor, or for checking that a checker change kills it: a minute, not a mutate run.
 *
 * ```sh
 * deno run --allow-read --allow-write=/tmp --allow-env tools/campaign_kills.ts kernel/port.ts --lines 150-155
 * deno run --allow-read --allow-write=/tmp --allow-env tools/campaign_kills.ts kernel/kernel.ts \
 *   --keys kernel/kernel.ts:392:9:BooleanLiteral:o instanceof Event --journal J --was OLD
 * ```
 *
 * The options choose the mutants (`--keys`, `--lines`, `--journal` (the campaign judge's
 * survivors and uncovered mutants of FILE), `--was`, `--list`), as every tool that judges named
 * mutants reads them (`tools/_mutant_args.ts`). Each mutant prints one of `killed`, `timeout`
 * (the hit limit: a loop through the mutant), `survived`, `no coverage` (no probe reaches it) or
 * `equivalent` (`mutate/equivalent.json` or the assertion-message rule: mutate judges none), then
 * its line's text, and for a kill the probe (`killed by program:17: invariant:...`).
 *
 * What differs from a mutate run: one file is instrumented, not all (mutant ids differ, keys
 * do not); no wall-clock limit (a mutant that hangs without passing through its own code hangs
 * the tool; one that only runs long is reported with the judge's first time limit it passed,
 * where mutate judges it again with more time before calling it a timeout); no memory budget.
 *
 * @module
 */

import { mutantMirror } from "../mutate/mutant_mirror.ts";
import { equivalentMutants, loadEquivalents } from "../mutate/equivalents.ts";
import { strykerNs } from "../mutate/ns.ts";
import type { JudgeOutcome } from "../mutate/probe_run.ts";
import { chooseMutants, journalSurvivors, lineOf, mutantCommand } from "./_mutant_args.ts";

type ProbeRun = typeof import("../mutate/probe_run.ts");

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

const USAGE =
  "usage: deno run --allow-read --allow-write=/tmp --allow-env tools/campaign_kills.ts FILE " +
  "[--keys K,K] [--lines A-B] [--journal J] [--was OLD] [--list]";

/** A mutant's status, as `deno task mutate` names it. */
export type CampaignStatus = "killed" | "timeout" | "survived" | "no-coverage" | "equivalent";

/** One chosen mutant's verdict. */
export interface CampaignVerdict {
  readonly key: string;
  readonly status: CampaignStatus;
  /** The killing probe and why (killed, timeout), or the equivalence reason. */
  readonly by?: string;
  /** Probes run, their wall milliseconds, and the judge's first time limit for them. */
  readonly ran: number;
  readonly ms: number;
  readonly limitMs: number;
}

/** The status a mutate run gives a judge's outcome (cli/mutate.ts `toResult`). */
function statusOf(o: JudgeOutcome): CampaignStatus {
  return o.killedBy === null ? "survived" : o.hitLimit ? "timeout" : "killed";
}

/**
 * Judges the mutants `keys` of `file` by the whole campaign judge; `progress` hears each verdict
 * as it comes. The probes' own console lines are dropped while they run (as in a worker).
 */
export async function campaignKills(
  file: string,
  keys: readonly string[] | ((known: readonly string[]) => readonly string[]),
  progress: (v: CampaignVerdict) => void = () => {},
): Promise<CampaignVerdict[]> {
  const quiet = { log: console.log, info: console.info, debug: console.debug };
  const m = await mutantMirror(file, { coverage: true });
  try {
    const chosen = typeof keys === "function" ? keys(m.keys) : keys;
    if (chosen.length === 0) return [];
    const { reasons: equivalent, keyOf } = await equivalentMutants(
      m.mutants,
      new Map([[file, Deno.readTextFileSync(`${ROOT}/${file}`)]]),
      loadEquivalents(ROOT),
    );
    const run = await m.load("mutate/probe_run.ts") as ProbeRun;
    const root = new URL(`file://${m.dir}/`);
    console.log = console.info = console.debug = () => {};
    const serviceMutant = file.startsWith("services/");
    const stop = new Int32Array(new SharedArrayBuffer(4));
    let loaded: Awaited<ReturnType<ProbeRun["loadProbes"]>>;
    const cov = run.emptyCoverage();
    try {
      loaded = await run.loadProbes(root, m.idSpace);
      const all = [...loaded.probes.campaign.keys()];
      run.addCoverage(
        cov,
        "campaign",
        await run.coverageRun(loaded.probes, "campaign", all, m.idSpace),
      );
    } finally {
      Object.assign(console, quiet);
    }
    const probes = [...loaded.probes.campaign.keys()].filter((p) => !cov.broken.has(p));
    const exempt = new Set(cov.exempt);
    const statics = new Set(loaded.staticCoverage);
    /**
     * Judges mutant `key` by `ids`; a static mutant (its code runs while the modules load) in a
     * fresh mirror that loads with it on, as mutate gives it a fresh worker. `null`: the mirror
     * did not load with the mutant on (killed by the load).
     */
    const judgeOne = async (
      key: string,
      isStatic: boolean,
      ids: readonly string[],
    ): Promise<JudgeOutcome | null> => {
      const ns = strykerNs();
      console.log = console.info = console.debug = () => {};
      try {
        if (!isStatic) {
          m.activate(key);
          try {
            return await run.judgeMutant(
              loaded.probes,
              "campaign",
              ids,
              serviceMutant,
              exempt,
              stop,
            );
          } finally {
            m.deactivate();
          }
        }
        const fresh = await mutantMirror(file);
        try {
          const again = await fresh.load("mutate/probe_run.ts") as ProbeRun;
          let probes: typeof loaded.probes;
          try {
            probes = (await again.loadProbes(
              new URL(`file://${fresh.dir}/`),
              m.idSpace,
              String(m.idOf(key)),
            ))
              .probes;
          } catch {
            return null;
          }
          return await again.judgeMutant(probes, "campaign", ids, serviceMutant, exempt, stop);
        } finally {
          ns.activeMutant = undefined;
          fresh.dispose();
        }
      } finally {
        Object.assign(console, quiet);
      }
    };
    const verdicts: CampaignVerdict[] = [];
    for (const key of chosen) {
      const id = String(m.idOf(key));
      const isStatic = statics.has(id);
      const ids = run.probesOfMutant(cov, "campaign", probes, id, isStatic);
      const limitMs = run.timeLimitMs(cov, "campaign", ids);
      const mutant = m.mutants.find((x) => x.id === id);
      const reason = mutant === undefined ? undefined : equivalent.get(keyOf(mutant));
      let v: CampaignVerdict;
      if (reason !== undefined) {
        v = { key, status: "equivalent", by: reason, ran: 0, ms: 0, limitMs };
      } else if (ids.length === 0) {
        v = { key, status: "no-coverage", ran: 0, ms: 0, limitMs };
      } else {
        const o = await judgeOne(key, isStatic, ids);
        v = {
          key,
          status: o === null ? "killed" : statusOf(o),
          by: o === null
            ? "module load"
            : o.killedBy === null
            ? undefined
            : `${o.killedBy.probe}: ${o.killedBy.reason.split("\n")[0].slice(0, 200)}`,
          ran: o?.ran ?? 0,
          ms: o?.ms ?? 0,
          limitMs,
        };
      }
      verdicts.push(v);
      progress(v);
    }
    return verdicts;
  } finally {
    m.dispose();
  }
}

async function main(args: string[]): Promise<number> {
  const cmd = mutantCommand(args, USAGE, (rest) => rest.length === 0);
  if (typeof cmd === "number") return cmd;
  const { a, file } = cmd;
  const text = Deno.readTextFileSync(file).split("\n");
  let gone: string[] = [];
  let bad: string | undefined;
  const pick = (known: readonly string[]) => {
    const c = chooseMutants(file, known, a, (t) => journalSurvivors(t, file, "campaign", true));
    if (typeof c === "string") {
      bad = c;
      return [];
    }
    gone = c.gone;
    if (a.list) {
      for (const k of c.chosen) console.log(`${k}\n    ${text[lineOf(k) - 1]?.trim()}`);
      return [];
    }
    return c.chosen;
  };
  const t0 = performance.now();
  const verdicts = await campaignKills(file, pick, (v) => {
    const by = v.by === undefined ? "" : `\n    ${v.status === "equivalent" ? "" : "by "}${v.by}`;
    const slow = v.ms > v.limitMs
      ? `\n    took ${(v.ms / 1000).toFixed(1)} s, over the judge's first limit of ${
        (v.limitMs / 1000).toFixed(1)
      } s (mutate judges it again with 3 times more, then calls it timeout)`
      : "";
    console.log(
      `${v.status.replace("-", " ").padEnd(11)} ${v.key}\n    ${
        text[lineOf(v.key) - 1]?.trim()
      }${by}${slow}\n    (${v.ran} probes, ${(v.ms / 1000).toFixed(1)} s)`,
    );
  });
  if (bad !== undefined) {
    console.error(bad);
    return 2;
  }
  for (const k of gone) console.log(`gone        ${k} (the file changed above it)`);
  if (a.list) return 0;
  const n = (s: CampaignStatus) => verdicts.filter((v) => v.status === s).length;
  console.log(
    `${n("killed") + n("timeout")} of ${verdicts.length - n("equivalent")} killed by the ` +
      `campaign judge (${n("timeout")} timeout), ${n("survived")} survived, ${
        n("no-coverage")
      } no coverage, ${n("equivalent")} equivalent; ${
        ((performance.now() - t0) / 1000).toFixed(0)
      } s`,
  );
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
