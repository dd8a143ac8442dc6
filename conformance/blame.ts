/**
 * Which checker blames a failing conformance row's cause (trial32b #5: a failing row reported
 * only the test's own hang, `seed 1: hang: main waits on port`, while a checker could name the
 * variant's fault, `K5: ... malformed packet ...`): the row's failing seed is run again under
 * the kernel's checkers alone, as the mutation tool's campaign judge runs a row
 * (`runChecked`), and the first violation is the blame.
 *
 * @module
 */

import { OWN_CONTENT_CASES } from "./cases.ts";
import { runChecked, type RunnableCase, SEEDS } from "./harness.ts";
import { settleVerdict } from "../properties/check_case.ts";
import { kernelInvariants } from "../properties/kernel_invariants.ts";
import { ReadContent } from "../properties/read_content.ts";
import { shareJournal } from "../properties/_step_monitor.ts";

/**
 * What the kernel's checkers say of row `c`'s failing run (its seed read from the row's failure
 * `message`, `seed N: ...`; the first seed if it names none), against the kernel in use
 * (`useKernel`): `seed N: invariant:NAME (message)`, or null when no checker blames anything
 * (or the checked run itself throws). A row that supplies bytes of its own is judged without
 * data-integrity, as the campaign judge judges it.
 *
 * @example
 * ```ts
 * import { checkerBlame } from "./blame.ts";
 * import { ALL_CASES } from "./cases.ts";
 * import { isSkipped } from "./harness.ts";
 * const c = ALL_CASES.find((x) => x.id === "P1" && !isSkipped(x));
 * console.assert(c !== undefined && !isSkipped(c) && checkerBlame(c, "seed 2: x") === null);
 * ```
 */
export function checkerBlame(c: RunnableCase, message: string): string | null {
  const seed = Number(/^seed (\d+):/.exec(message)?.[1] ?? SEEDS[0]);
  const kernel = kernelInvariants();
  const own = OWN_CONTENT_CASES.has(`${c.id} ${c.name}`);
  const monitors = shareJournal([
    ...(own ? kernel.filter((m) => m.name !== "data-integrity") : kernel),
    new ReadContent(),
  ]);
  try {
    const v = settleVerdict(runChecked(c.body, seed, monitors), monitors);
    return v.kind === "invariant" ? `seed ${seed}: invariant:${v.invariant} (${v.message})` : null;
  } catch {
    return null;
  }
}
