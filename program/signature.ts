/**
 * The failure signature of a program run (`--mode programs`), one place for the campaign that
 * dedupes its findings (fuzz/programs/campaign.ts) and a replay that judges a case against the
 * code as it is now (case/store.ts `replayProblem(..., { currentCode: true })`, `repro
 * --current-code`): the case folder cannot import fuzz/, and a current-code replay signed program
 * cases by their verdict label alone (session 33).
 *
 * @module
 */

import type { Verdict } from "../sim/world.ts";
import { generalize, signatureOf } from "../properties/signature.ts";
import { CONTRACT, LIFETIME } from "./run.ts";

/**
 * The dedupe signature of a program run's verdict; null for a pass: the scenario signature
 * (properties/signature.ts `signatureOf`), and for the program's own oracles the broken promise's
 * words.
 *
 * @example
 * ```ts
 * import { signProgramVerdict } from "./signature.ts";
 * const v = {
 *   kind: "invariant" as const,
 *   invariant: "program-lifetime",
 *   message: "t0#12 handles left open after cleanup: h3, h7",
 *   step: 9,
 *   tid: 1,
 * };
 * console.assert(
 *   signProgramVerdict(v) === "invariant:program-lifetime:handles left open after cleanup",
 * );
 * ```
 */
export function signProgramVerdict(v: Verdict): string | null {
  const base = signatureOf(v);
  if (base === null) return null;
  // The program's own oracles name the broken promise in the message: keep its shape. A lifetime
  // message lists what was left after a colon (which handles, which waits): one root cause leaves
  // different lists, so only the promise before it counts.
  if (v.kind === "invariant" && (v.invariant === CONTRACT || v.invariant === LIFETIME)) {
    const text = v.message.replace(/^t\d+#\d+ /, "");
    const promise = v.invariant === LIFETIME ? text.split(/:\s/)[0] : text;
    return `${base}:${generalize(promise).slice(0, 90)}`;
  }
  return base;
}
