// Seeded scenarios of the campaign judge (mutate/scenarios/) added for blind spots of sample
// cee8f81 (docs/mutation.md): each passes every seed unmutated, and with the mutant on some
// seed fails by a checker or a fault of the service's own code, as a `scenario:NAME:K` probe.
//
// - flaky_overlap_commit: a trap-dirty file under the flaky service, so DIRTY requests reach
//   serveReads (no probe had one: `isDirty` answering false left the writer parked for good).
// - detacher_closed_file: files that come and go under the detacher (README, "Files that come
//   and go"): a READ dequeued after its file was closed names a key the service no longer serves.
// - shrink_to_zero: a shrink to nothing while readers wait on page 0 (every other shrink in the
//   judge kept page 0, so a gap starting there was never cut).
// - backing_word_2_32: a file whose backing key puts the word 2^32 in its first page (every other
//   probe's keys are small: no supplied word had a high half of exactly 1; fresh shard 5 of 8
//   on 2e0fdd0, helper gap23). data-integrity judges the bytes by its own pattern.
import { strict as assert } from "node:assert";
import { mirrorScenarioRun, mutantMirror } from "./mutant_mirror.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const CASES: [
  file: string,
  key: string,
  scenario: string,
  checkers: "kernel" | "kernel+service",
  seed: number,
  fails: RegExp,
][] = [
  [
    "services/service.ts",
    "services/service.ts:185:61:BlockStatement:{}",
    "flaky_overlap_commit",
    "kernel+service",
    1,
    /^no-lost-requests: K29: hang at step \d+: .* waits on vmo \d+: DIRTY request/,
  ],
  [
    "services/detacher.ts",
    "services/detacher.ts:40:9:ConditionalExpression:false",
    "detacher_closed_file",
    "kernel",
    40,
    /^thread-fault: TypeError/,
  ],
  [
    "kernel/vmo_pages.ts",
    "kernel/vmo_pages.ts:1308:25:EqualityOperator:gap <= 0",
    "shrink_to_zero",
    "kernel",
    2,
    /^dirty-state: K21: READ #\d+ \[0,\d\) outlives a shrink$/,
  ],
  [
    "services/backing.ts",
    "services/backing.ts:24:16:EqualityOperator:v > 2 ** 32",
    "backing_word_2_32",
    "kernel+service",
    0,
    /^data-integrity: /,
  ],
];

/** A verdict as one line: `invariant: message`, or `kind: message`. */
function said(v: Any): string {
  return `${v.kind === "invariant" ? v.invariant : v.kind}: ${v.message}`;
}

for (const [file, key, scenario, checkers, seed, fails] of CASES) {
  Deno.test(`scenario ${scenario}: every seed passes unmutated, seed ${seed} fails with ${key}`, async () => {
    const m = await mutantMirror(file);
    try {
      const run = await mirrorScenarioRun(m, checkers);
      for (let k = 0; k < 100; k++) {
        const v: Any = run(scenario, k);
        assert.equal(v.kind, "pass", `seed ${k} unmutated: ${JSON.stringify(v)}`);
      }
      const v: Any = m.withMutant(key, () => run(scenario, seed));
      assert.match(said(v), fails, JSON.stringify(v));
    } finally {
      m.dispose();
    }
  });
}
