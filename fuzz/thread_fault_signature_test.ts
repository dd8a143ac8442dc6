/**
 * A thread fault signs by the file and the function that threw, not the line (session 33): a
 * comment added above the throw in a copy of a test service keeps the signature.
 */
import { strict as assert } from "node:assert";
import { signatureOf, throwSite } from "./signature.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { DEFAULT_SCENARIO, type PagerService, parseScenario, type Scenario } from "../mod.ts";

/** `scenario` with every pager served by the custom service `user`. */
function servedByUser(scenario: Scenario): Scenario {
  return {
    ...scenario,
    pagers: scenario.pagers.map((p) => ({
      ...p,
      service: { ...p.service, kind: "custom" as const, name: "user" },
    })),
  };
}

/** A copy of fuzz/testdata/throwing_service.ts in `dir`, its imports made absolute, `edit`ed. */
async function copyService(dir: string, edit: (text: string) => string): Promise<PagerService> {
  const here = new URL("./testdata/throwing_service.ts", import.meta.url);
  const text = (await Deno.readTextFile(here)).replaceAll(
    /from "(\.\.\/[^"]+)"/g,
    (_m, rel: string) => `from "${new URL(rel, here).href}"`,
  );
  const file = `${dir}/throwing_service.ts`;
  await Deno.writeTextFile(file, edit(text));
  return (await import(`file://${file}`)).default;
}

Deno.test("a comment added above the throw keeps a thread fault's signature", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "fix33b-" });
  try {
    await Deno.mkdir(`${tmp}/a`);
    await Deno.mkdir(`${tmp}/b`);
    const original = await copyService(`${tmp}/a`, (t) => t);
    const commented = await copyService(`${tmp}/b`, (t) => {
      const edited = t.replace(
        '    throw new Error("decompressor',
        '    // the frame table is checked first\n    throw new Error("decompressor',
      );
      assert.notEqual(edited, t);
      return edited;
    });
    const scenario = servedByUser(parseScenario(DEFAULT_SCENARIO));
    const run = (svc: PagerService) => runScenario(scenario, { seed: 1, services: { user: svc } });
    const [a, b] = [run(original), run(commented)];
    assert.ok(a.verdict.kind === "thread-fault" && b.verdict.kind === "thread-fault");
    // The throw moved one line down...
    assert.equal(throwSite(a.verdict.stack), "throwing_service.ts:14");
    assert.equal(throwSite(b.verdict.stack), "throwing_service.ts:15");
    // ...and the signature names the file and the function it threw in, the same.
    assert.equal(signatureOf(a.verdict), "thread-fault:Error@throwing_service.ts:throwingService");
    assert.equal(signatureOf(b.verdict), signatureOf(a.verdict));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
