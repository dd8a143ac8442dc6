/**
 * Peak memory of one run under every kernel checker (sampled after every
 * step): `sparse` is the 8 VMOs x
 * 4,096 pages x 64 KiB scenario (2 GiB declared) touching a few pages of
 * each; `budget` touches the whole memory budget (MEMORY_BUDGET_BYTES).
 *
 * Run: `deno run --allow-read bench/memory_probe.ts [sparse|budget]`
 * (bench/memory_test.ts runs `sparse` and requires under 512 MB).
 *
 * @module
 */

import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { MEMORY_BUDGET_BYTES, parseScenario, type ScenarioInput } from "../scenario/schema.ts";

const PAGE = 65536;

/** 8 VMOs x 4,096 pages x 64 KiB; each thread reads, writes, maps, zeroes, clones a few pages. */
export function sparseScenario(): ScenarioInput {
  return {
    name: "8 VMOs x 4096 pages x 64 KiB, a few pages of each touched",
    pageSize: PAGE,
    pagers: [{ name: "fs", threads: 2, service: { kind: "writeback", writebackTicks: 50 } }],
    vmos: Array.from({ length: 8 }, (_, i) => ({
      name: `v${i}`,
      pager: "fs",
      pages: 4096,
      key: i + 1,
      trapDirty: i % 2 === 0,
      resizable: true,
    })),
    threads: Array.from({ length: 8 }, (_, i) => ({
      name: `t${i}`,
      ops: [
        { op: "read" as const, vmo: `v${i}`, page: i * 500, pages: 8 },
        { op: "write" as const, vmo: `v${i}`, page: 4094, pages: 2 },
        { op: "mapRead" as const, vmo: `v${i}`, page: 2000, pages: 4 },
        { op: "zero" as const, vmo: `v${i}`, page: 100, pages: 16 },
        { op: "cloneWrite" as const, vmo: `v${i}`, page: 3010, pages: 2 },
        { op: "commit" as const, vmo: `v${i}`, page: 1000, pages: 4 },
        ...(i < 2
          ? [
            { op: "resize" as const, vmo: `v${i}`, newPages: 0 },
            { op: "resize" as const, vmo: `v${i}`, newPages: 4096 },
          ]
          : []),
        { op: "read" as const, vmo: `v${i}`, page: 4090, pages: 6 },
      ],
    })),
    events: [{ do: "writeback", target: "fs", notBefore: 20 }, {
      do: "evict",
      target: "v1",
      notBefore: 40,
    }],
  };
}

/** Four VMOs whose reads and writes touch the whole memory budget (read-ahead 0). */
export function budgetScenario(): ScenarioInput {
  const pages = MEMORY_BUDGET_BYTES / PAGE / 4;
  return {
    name: "the memory budget, touched whole",
    pageSize: PAGE,
    pagers: [{ name: "fs", service: { kind: "eager", readAhead: 0 } }],
    vmos: Array.from({ length: 4 }, (_, i) => ({ name: `v${i}`, pager: "fs", pages, key: i + 1 })),
    threads: Array.from({ length: 4 }, (_, i) => ({
      name: `t${i}`,
      ops: [
        { op: "read" as const, vmo: `v${i}`, page: 0, pages },
        { op: "write" as const, vmo: `v${i}`, page: 0, pages },
      ],
    })),
  };
}

/**
 * Samples the process's resident set size after every step (a bench
 * observer: it decides nothing). Deno keeps /proc/self from scripts without
 * --allow-all, so the peak is the largest sample: a lower bound, within one
 * step's allocations of the kernel's own high-water mark.
 */
export class RssSampler {
  readonly name = "rss-sampler";
  /** The largest resident set size seen, in bytes. */
  peak: number = Deno.memoryUsage().rss;

  afterStep(): void {
    this.peak = Math.max(this.peak, Deno.memoryUsage().rss);
  }
}

if (import.meta.main) {
  const which = Deno.args[0] ?? "sparse";
  if (which === "--help" || (which !== "sparse" && which !== "budget")) {
    console.log(
      "usage: deno run --allow-read bench/memory_probe.ts [sparse|budget]\n\n" +
        "Runs one scenario under every kernel checker and prints its verdict and peak RSS.",
    );
    Deno.exit(which === "--help" ? 0 : 2);
  }
  const scenario = parseScenario(which === "sparse" ? sparseScenario() : budgetScenario(), which);
  const rss = new RssSampler();
  const r = runScenario(scenario, {
    seed: 1,
    keepTrace: false,
    monitors: [...kernelInvariants(), rss],
  });
  rss.afterStep();
  console.log(
    `${which}: verdict ${r.verdict.kind} after ${r.steps} steps; peak RSS: ${
      (rss.peak / 2 ** 20).toFixed(0)
    } MiB`,
  );
}
