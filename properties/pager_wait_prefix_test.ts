/**
 * wake-discipline reads a `block` text as a pager wait's by its prefix, `vmo DIGITS: `, character
 * by character (`isPagerWaitText`), where it ran `/^vmo \d+: /` at every block: the two must agree
 * on every text, and on a value that is not a string.
 */

import { strict as assert } from "node:assert";
import fc from "fast-check";
import { isPagerWaitText } from "./wake_discipline.ts";

const PAGER_WAIT = /^vmo \d+: /;

Deno.test("isPagerWaitText agrees with /^vmo \\d+: / on the texts that decide it", () => {
  const texts = [
    "vmo 1005: READ request #3 pages [1,2)",
    "vmo 1005: nothing",
    "vmo 7: ",
    "vmo 0: x",
    "vmo : nothing",
    "vmo 12 : nothing",
    "vmo 12:nothing",
    "vmo 12:",
    "vmo 12",
    "vmo ",
    "vmo",
    "",
    " vmo 12: nothing",
    "VMO 12: nothing",
    "vmo 1a: nothing",
    "vmo ١٢: nothing", // Arabic-Indic digits: `\d` without the `u` flag is 0-9 only
    "vmo 12: \n",
    "port 1004",
    "futex 0x10 owned by t2",
    "signals 0x1 of vmo 1005",
  ];
  for (const t of texts) assert(isPagerWaitText(t) === PAGER_WAIT.test(t), JSON.stringify(t));
  for (const v of [undefined, null, 12, { toString: () => "vmo 3: nothing" }]) {
    assert(isPagerWaitText(v) === PAGER_WAIT.test(v as string), String(v));
  }
});

Deno.test("isPagerWaitText agrees with /^vmo \\d+: / on random texts of its alphabet", () => {
  const text = fc.array(fc.constantFrom("v", "m", "o", " ", ":", "0", "5", "9", "/", "x"), {
    maxLength: 12,
  }).map((cs) => cs.join(""));
  fc.assert(
    fc.property(fc.oneof(text, text.map((t) => `vmo ${t}`)), (t) => {
      return isPagerWaitText(t) === PAGER_WAIT.test(t);
    }),
    { numRuns: 5000, seed: 37 },
  );
});
