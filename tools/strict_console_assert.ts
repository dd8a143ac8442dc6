/**
 * Preloaded into every run of `deno task test` (deno.json) and so into `.ci/run`: a failed
 * `console.assert` throws. Deno's `console.assert` only prints "Assertion failed", so a doc
 * example asserting with it passed whatever it computed; two had been wrong unseen (CompleteModel's
 * example watched a port the program never made; clipDetail's expected another cut), each
 * printing "Assertion failed" into a CI log that said `ok`. The examples use `console.assert`
 * throughout (they show a reader the call, not a test framework): this keeps them checked.
 *
 * @module
 */

const print = console.assert.bind(console);

console.assert = (condition?: boolean, ...data: unknown[]): void => {
  if (condition) return;
  print(condition, ...data);
  throw new Error(
    `console.assert failed${data.length > 0 ? `: ${data.map((d) => String(d)).join(" ")}` : ""}`,
  );
};
