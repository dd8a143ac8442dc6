// `sim` and `repro` print a failing run's signature as a campaign signs it (a user trial: sim
// printed none, so a failure seen in sim could not be matched with fuzz's "failing runs by
// signature" lines or the corpus case that holds it).
import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";
import { readCaseFile } from "../case/store.ts";

const root = new URL("../", import.meta.url).pathname;

/** `deno run SCRIPT ARGS` from the project root: its exit code and stdout. */
const run = (script: string, args: string[]) =>
  denoOutput(["run", "--allow-read", "--allow-run=deno", script, ...args], root);

/** The `signature:` lines of an output. */
const signatures = (out: string) =>
  out.split("\n").filter((l) => l.startsWith("signature: ")).map((l) => l.slice(11));

// A case a campaign wrote: its `signature` is what the campaign signed the failing run as.
const CASE = "corpus/invariant-keeps-port-open-9e7f86a99366276a.json";

Deno.test("sim prints a failing run's signature, the one the campaign recorded, after the verdict", async () => {
  const c = await readCaseFile(`${root}${CASE}`);
  assert.ok(c.signature !== undefined && c.expected !== "pass");
  const r = await run("cli/sim.ts", [
    "--scenario",
    CASE,
    "--checkers",
    c.checkers,
    "--seed",
    String(c.seed),
    "--decisions",
    c.decisions.join(","),
  ]);
  assert.equal(r.code, 1, r.out);
  assert.deepEqual(signatures(r.out), [c.signature], r.out);
  const lines = r.out.split("\n");
  const at = lines.findIndex((l) => l.startsWith("verdict: "));
  assert.equal(lines[at + 1], `signature: ${c.signature}`, r.out);
});

Deno.test("repro prints the same signature line for the case", async () => {
  const c = await readCaseFile(`${root}${CASE}`);
  const r = await run("cli/repro.ts", [CASE]);
  assert.equal(r.code, 0, r.out);
  assert.deepEqual(signatures(r.out), [c.signature], r.out);
});

Deno.test("a passing run prints no signature line", async () => {
  const r = await run("cli/sim.ts", ["--scenario", "examples/detach_race.json", "--seed", "1"]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /^verdict: pass/m);
  assert.deepEqual(signatures(r.out), []);
});
