/**
 * `sim --trace html` (a README-only user tried it: repro takes html, sim did not) names the repro
 * line that writes the page, and that line, filled in, writes it.
 */
import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";

const deno = (args: string[]) => denoOutput(args);

Deno.test("sim --trace html is refused with the repro line that writes the page, which works", async () => {
  const sim = await deno(["run", "--allow-read", "cli/sim.ts", "--seed", "3", "--trace", "html"]);
  assert.equal(sim.code, 2);
  assert.match(sim.err, /--trace html is repro's: sim writes no files/);
  assert.match(sim.err, /deno task repro --seed N .*--trace html/);
  assert.doesNotMatch(sim.err, /\n\s+at /, "no stack trace");
  const dir = await Deno.makeTempDir({ prefix: "pagersim-html-" });
  try {
    const out = `${dir}/t.html`;
    const repro = await deno([
      "run",
      "--allow-read",
      `--allow-write=${dir}`,
      "cli/repro.ts",
      "--seed",
      "3",
      "--trace",
      "html",
      "--out",
      out,
    ]);
    assert.equal(repro.code, 0, repro.err);
    assert.match(await Deno.readTextFile(out), /<html/i);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
