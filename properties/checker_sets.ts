/**
 * The named scenario checker sets as stable functions, so a property that was given one can name
 * it again in its replay command.
 *
 * @module
 */

import type { Monitor } from "../sim/world.ts";
import { kernelInvariants } from "./kernel_invariants.ts";
import { serviceObligations } from "./service_obligations.ts";
import { shareJournal } from "./_step_monitor.ts";

/** Service obligations first (they name a hang's cause more precisely), then the kernel's. */
function kernelAndService(): Monitor[] {
  return shareJournal([...serviceObligations(), ...kernelInvariants()]);
}

function kernelOnly(): Monitor[] {
  return kernelInvariants();
}

const SETS: Readonly<Record<string, () => Monitor[]>> = {
  kernel: kernelOnly,
  "kernel+service": kernelAndService,
};

/**
 * The checkers of a named set ("kernel" or "kernel+service"), or undefined for another name.
 *
 * @example
 * ```ts
 * import { checkerSet, checkerSetName } from "./checker_sets.ts";
 * const set = checkerSet("kernel+service");
 * console.assert(set !== undefined && checkerSetName(set) === "kernel+service");
 * ```
 */
export function checkerSet(name: string): (() => Monitor[]) | undefined {
  return Object.hasOwn(SETS, name) ? SETS[name] : undefined;
}

/** The name of a checker set given as its function (see {@linkcode checkerSet}), or null. */
export function checkerSetName(monitors: () => readonly Monitor[]): string | null {
  for (const [name, f] of Object.entries(SETS)) if (f === monitors) return name;
  return null;
}
