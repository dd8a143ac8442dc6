// userS26k: verdicts cite rule IDs (K2, K6, K11, K26, R3, ...) that nothing a user reads defined.
// docs/rules.md defines them; this holds it to the IDs the checkers and the kernel model's
// assertions can cite, both ways, so a rule added or dropped cannot leave the page behind.
import { strict as assert } from "node:assert";
import { join } from "node:path";

const root = new URL("../", import.meta.url).pathname;

/** The `.ts` files under `dir` that are code, not tests or test data. */
async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(join(root, dir))) {
    const path = join(dir, e.name);
    if (e.isDirectory && e.name !== "testdata") out.push(...await sources(path));
    else if (e.isFile && e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) out.push(path);
  }
  return out;
}

/**
 * Rule IDs the code can put at the start of a message: a string that is an ID by itself
 * (`this.fail("K26", ...)`, `cause.failing ? "K15" : "K26"`) or begins with one (`"K1: ..."`,
 * `` `K14w: ...` ``).
 */
async function citedIds(): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const dir of ["properties", "kernel"]) {
    for (const file of await sources(dir)) {
      // Code lines only: a doc comment's example names IDs it does not cite.
      const text = (await Deno.readTextFile(join(root, file))).split("\n")
        .filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line)).join("\n");
      for (const m of text.matchAll(/["'`]([A-Z]{1,2}\d+[a-z]?)(?=["'`]|: )/g)) ids.add(m[1]);
    }
  }
  return ids;
}

Deno.test("docs/rules.md defines every rule ID a verdict can cite, and no other", async () => {
  const doc = await Deno.readTextFile(join(root, "docs/rules.md"));
  const defined = [...doc.matchAll(/^\| ([A-Z]{1,2}\d+[a-z]?) \| [a-z-]+ \| .+ \|$/gm)].map((m) =>
    m[1]
  );
  assert.equal(new Set(defined).size, defined.length, "an ID defined twice");
  const cited = await citedIds();
  // The ones the user met (userS26k) are among them: the scan finds fail() codes.
  for (const id of ["K2", "K6", "K11", "K12", "K26", "K27", "R3"]) assert.ok(cited.has(id), id);
  const sort = (s: Iterable<string>) => [...s].sort();
  assert.deepEqual(
    sort(cited).filter((id) => !defined.includes(id)),
    [],
    "cited by a checker but not defined in docs/rules.md",
  );
  assert.deepEqual(
    sort(defined).filter((id) => !cited.has(id)),
    [],
    "defined in docs/rules.md but cited by no checker",
  );
});

Deno.test("the README links the rules page", async () => {
  const readme = await Deno.readTextFile(join(root, "README.md"));
  assert.ok(readme.includes("(docs/rules.md)"), "README links docs/rules.md");
});
