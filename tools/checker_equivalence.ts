// deno-lint-ignore-file no-explicit-any
/**
 * Checker equivalence between two checkouts: every verdict (kind, invariant,
 * message, step) and trace hash over every corpus case (with and without
 * `--paranoid`) and `N` random scenarios under every seeded bug, no bug and
 * eight throwaway kernel mutants that corrupt page and dirty states, each also
 * with page-state, dirty-state, packet-discipline and data-integrity alone.
 * Run it on both checkouts and compare the outputs byte for byte: a change
 * meant to make the checkers cheaper must not move a line.
 *
 *     deno run -A tools/checker_equivalence.ts /path/to/old 3000 > old.txt
 *     deno run -A tools/checker_equivalence.ts /path/to/new 3000 > new.txt
 *     cmp old.txt new.txt
 *
 * It loads the checkout's modules by path (either checkout's own API), hence
 * the untyped module values.
 *
 * @module
 */
import fc from "npm:fast-check@4.11.0";
const root = Deno.args[0];
if (root === undefined) {
  console.error("usage: deno run -A tools/checker_equivalence.ts CHECKOUT [N]");
  Deno.exit(2);
}

const N = Number(Deno.args[1] ?? 2000);
const imp = (p: string) => import(`file://${root}/${p}`);
const { scenarioCheckers } = await imp("case/kinds.ts");
const { replayWith } = await imp("case/replay.ts");
const { readCorpus, resolveContext } = await imp("case/store.ts");
const { bug, BUG_IDS, NAMED_SERVICES } = await imp("zoo/registry.ts");
const { scenarioArbitrary } = await imp("properties/arbitraries.ts");
const { checkCase } = await imp("properties/check_case.ts");
const out: string[] = [];
const { kernelInvariants } = await imp("properties/kernel_invariants.ts");
const { shareJournal } = await imp("properties/_step_monitor.ts");
const SOLO = ["page-state", "dirty-state", "packet-discipline", "data-integrity"];
const v = (x: any) =>
  JSON.stringify({ kind: x.kind, invariant: x.invariant, message: x.message, step: x.step });
const cases = [
  ...(await readCorpus(`${root}/corpus`)).cases,
  ...(await readCorpus(`${root}/corpus/programs`)).cases,
];
let nc = 0;
for (const { file, case: c } of cases) {
  const ctx = await resolveContext(c, file);
  for (const paranoid of [false, true]) {
    let r;
    if (c.kind === "scenario") {
      r = replayWith(c, { ...ctx, monitors: scenarioCheckers(c.checkers, { paranoid }) });
    } else if (paranoid) continue;
    else r = replayWith(c, ctx);
    out.push(
      `corpus ${file.split("/").pop()} p=${paranoid} ${
        v(r.run.verdict)
      } ${r.verdict} ${r.traceHash}`,
    );
    nc++;
  }
}
const { Kernel } = (await imp("kernel/kernel.ts")) as { Kernel: any };
// Ad-hoc kernel mutants that break page and dirty states behind the events (after the k-th port wait).
const tamper: Record<string, (k: any) => boolean> = {
  "m-dirty-to-clean": (k) => {
    for (const v of k.pagerVmos) {
      for (const s of v.slots) {
        if (s?.state === "dirty") {
          s.state = "clean";
          return true;
        }
      }
    }
    return false;
  },
  "m-clean-to-dirty": (k) => {
    for (const v of k.pagerVmos) {
      for (const s of v.slots) {
        if (s?.state === "clean") {
          s.state = "dirty";
          return true;
        }
      }
    }
    return false;
  },
  "m-awaiting-to-dirty": (k) => {
    for (const v of k.pagerVmos) {
      for (const s of v.slots) {
        if (s?.state === "awaiting-clean") {
          s.state = "dirty";
          return true;
        }
      }
    }
    return false;
  },
  "m-drop-dirty": (k) => {
    for (const v of k.pagerVmos) {
      for (let p = 0; p < v.slots.length; p++) {
        if (v.slots[p]?.state === "dirty") {
          v.slots[p] = undefined;
          return true;
        }
      }
    }
    return false;
  },
  "m-drop-clean": (k) => {
    for (const v of k.pagerVmos) {
      for (let p = 0; p < v.slots.length; p++) {
        if (v.slots[p]?.state === "clean") {
          v.slots[p] = undefined;
          return true;
        }
      }
    }
    return false;
  },
  "m-modified": (k) => {
    for (const v of k.pagerVmos) {
      if (!v.modified) {
        v.modified = true;
        return true;
      }
    }
    return false;
  },
  "m-unmodified": (k) => {
    for (const v of k.pagerVmos) {
      if (v.modified) {
        v.modified = false;
        return true;
      }
    }
    return false;
  },
  "m-flip-byte": (k) => {
    for (const v of k.pagerVmos) {
      for (const s of v.slots) {
        if (s !== undefined && typeof s.peek === "function") {
          // Borrowed bytes (a supply's, the zero page) are made the page's own first: the
          // flip corrupts this page alone, as it did when every page had bytes of its own.
          if (s.borrowed === true) s.own(new Uint8Array(s.peek()));
          s.peek()[1] ^= 0x5a;
          return true;
        }
      }
    }
    return false;
  },
};
const mutantKernel = (name: string, nth: number) => (o: any) => {
  const K = class extends Kernel {
    n = 0;
    done = false;
    *portWait(...a: any[]): any {
      const r = yield* super.portWait(...a);
      if (!this.done && ++this.n >= nth) this.done = tamper[name](this);
      return r;
    }
  };
  return new (K as any)(o);
};
const MUTS = Object.keys(tamper);
const ids = [...BUG_IDS, "none", ...MUTS];
const samples = fc.sample(
  fc.tuple(
    scenarioArbitrary({
      maxThreads: 4,
      maxOps: 4,
      maxVmos: 3,
      maxPages: 5,
      maxEvents: 3,
      customServices: Object.keys(NAMED_SERVICES),
    }),
    fc.array(fc.nat(7), { maxLength: 60 }),
    fc.nat(100_000),
  ),
  { seed: 20261203, numRuns: N },
);
const counts: Record<string, number> = {};
samples.forEach(([scenario, decisions, seed]: any, i: number) => {
  const id = ids[i % ids.length];
  const b = id === "none"
    ? undefined
    : MUTS.includes(id)
    ? { checkers: "kernel+service", kernel: mutantKernel(id, 1 + (i % 4)) }
    : bug(id);
  for (const paranoid of [false, true]) {
    const r = checkCase({ scenario, decisions, seed }, {
      monitors: scenarioCheckers(b?.checkers ?? "kernel+service", { paranoid }),
      services: { ...NAMED_SERVICES, ...b?.services },
      makeKernel: b?.kernel,
      keepTrace: false,
    });
    const vk = r.verdict.kind === "invariant" ? r.verdict.invariant : r.verdict.kind;
    counts[vk] = (counts[vk] ?? 0) + 1;
    out.push(`rand ${i} ${id} p=${paranoid} ${v(r.verdict)} ${r.run.traceHash}`);
    for (const solo of SOLO) {
      const r2 = checkCase({ scenario, decisions, seed }, {
        monitors: () =>
          shareJournal(kernelInvariants({ paranoid }).filter((m: any) => m.name === solo)),
        services: { ...NAMED_SERVICES, ...b?.services },
        makeKernel: b?.kernel,
        keepTrace: false,
      });
      const vk2 = "solo " +
        (r2.verdict.kind === "invariant" ? r2.verdict.invariant : r2.verdict.kind);
      counts[vk2] = (counts[vk2] ?? 0) + 1;
      out.push(`solo ${solo} ${i} ${id} p=${paranoid} ${v(r2.verdict)} ${r2.run.traceHash}`);
    }
  }
});
console.log(out.join("\n"));
console.error(
  `corpus runs ${nc}, random runs ${samples.length * 2}, bugs ${ids.length}`,
  JSON.stringify(counts),
);
