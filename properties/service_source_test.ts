// trial36: pagerProperty given its buggy copy (`services: { blob: buggy }`) with the correct
// module as `serviceModule` failed, and printed a `replay:` line naming the correct module, which
// replayed a pass with no word of why. The report now says when the function it ran is not in
// the module the line names.
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { checkersOf } from "../case/kinds.ts";
import { pagerProperty, PagerPropertyFailure } from "./pager_property.ts";
import { withContract } from "../scenario/service_contract.ts";
import type { PagerService } from "../services/service.ts";
import { definedIn, moduleDefines } from "./service_source.ts";
import blobPager, { contract } from "./testdata/trial36/blob_pager.ts";
import lostWake from "./testdata/trial36/blob_pager_lostwake.ts";
import throwsService from "./testdata/trial35/throws.ts";

const DATA = "properties/testdata/trial36";

/** The failure report of pagerProperty over `services.blob` with `serviceModule`. */
function report(blob: PagerService, serviceModule: string | URL): string {
  try {
    fc.assert(
      pagerProperty(checkersOf("kernel+service"), {
        scenario: { services: [], customServices: ["blob"] },
        services: { blob },
        serviceModule,
      }),
      { numRuns: 100, seed: 1 },
    );
  } catch (e) {
    const cause = (e as Error).cause;
    assert.ok(cause instanceof PagerPropertyFailure, String(e));
    return cause.message;
  }
  throw new Error("the property passed");
}

const NOTE = /^ {2}\(services\.blob's source is not in (\S+) or a module of yours it imports: /m;

Deno.test("the buggy copy run with the correct module's URL: the replay line is followed by a note that it may not run that function", () => {
  const text = report(
    withContract(lostWake, contract),
    new URL("./testdata/trial36/blob_pager.ts", import.meta.url),
  );
  assert.match(text, /^signature: lost-wakeup:condvar blob queue nonempty$/m);
  const line = /^replay: .* --service '?(\S+?)'? /m.exec(text)?.[1];
  assert.equal(line, `${DATA}/blob_pager.ts`);
  assert.equal(NOTE.exec(text)?.[1], `${DATA}/blob_pager.ts`, text);
  // Right below the line it is about.
  assert.match(text, /^replay: .*\n {2}\(services\.blob's source is not in /m);
  assert.match(text, /Pass as serviceModule the module services\.blob comes from\)$/m);
});

Deno.test("the function the module defines: no note, held by withContract or not, found through an import", () => {
  // Held to the contract (the function given to withContract is the one looked for).
  const held = report(withContract(lostWake, contract), `${DATA}/blob_pager_lostwake.ts`);
  assert.match(held, /^signature: lost-wakeup:condvar blob queue nonempty$/m);
  assert.doesNotMatch(held, /source is not in/);
  // A module that imports the service and exports it as its default.
  const imported = report(withContract(lostWake, contract), `${DATA}/lostwake_export.ts`);
  assert.doesNotMatch(imported, /source is not in/);
  assert.match(imported, /--service '?properties\/testdata\/trial36\/lostwake_export\.ts/);
  // Not held: a service of a module without a contract (trial35's thrower).
  let text = "";
  try {
    fc.assert(
      pagerProperty(checkersOf("kernel+service"), {
        scenario: { services: [], customServices: ["mine"] },
        services: { mine: throwsService },
        serviceModule: new URL("./testdata/trial35/throws.ts", import.meta.url),
      }),
      { numRuns: 100, seed: 1 },
    );
  } catch (e) {
    text = ((e as Error).cause as Error).message;
  }
  assert.match(text, /^replay: /m);
  assert.doesNotMatch(text, /source is not in/);
  // The same thrower with another module's URL: the note, naming its service.
  try {
    fc.assert(
      pagerProperty(checkersOf("kernel+service"), {
        scenario: { services: [], customServices: ["mine"] },
        services: { mine: throwsService },
        serviceModule: "fuzz/testdata/lossy_service.ts",
      }),
      { numRuns: 100, seed: 1 },
    );
  } catch (e) {
    text = ((e as Error).cause as Error).message;
  }
  assert.match(
    text,
    /^ {2}\(services\.mine's source is not in fuzz\/testdata\/lossy_service\.ts /m,
  );
});

Deno.test("a function's source is found through what type-stripping changed, and only its own", async () => {
  // What Deno runs is the module reprinted without its types: found in the TypeScript.
  assert.ok(blobPager.toString() !== Deno.readTextFileSync(`${DATA}/blob_pager.ts`));
  assert.equal(moduleDefines(`${DATA}/blob_pager.ts`, blobPager), true);
  assert.equal(moduleDefines(`${DATA}/reexport.ts`, blobPager), true);
  assert.equal(moduleDefines(`${DATA}/local_export.ts`, blobPager), true);
  // The lost wake-up is one `if` short of the correct pager: not its function, either way round.
  assert.equal(moduleDefines(`${DATA}/blob_pager.ts`, lostWake), false);
  assert.equal(moduleDefines(`${DATA}/blob_pager_lostwake.ts`, blobPager), false);
  // A module that cannot be read: no word.
  assert.equal(moduleDefines(`${DATA}/no_such_module.ts`, blobPager), null);
  // pagersim's reference services (README's examples), each found in its own module.
  let examples = 0;
  for (const entry of Deno.readDirSync("examples")) {
    if (!entry.name.endsWith(".ts") || entry.name.endsWith("_test.ts")) continue;
    const mod = await import(`../examples/${entry.name}`);
    const fn = mod.default ?? mod.service;
    if (typeof fn !== "function") continue;
    assert.equal(moduleDefines(`examples/${entry.name}`, fn), true, entry.name);
    examples++;
  }
  assert.ok(examples >= 5, `${examples} example services`);
  // Type syntax the stripped text lacks: annotations, casts, `!`, generics, optional parameters,
  // parameter properties' modifiers.
  const source =
    "function* f(a?: number, b: Map<string, Array<number>> = new Map<string, Array<number>>()) " +
    "{ const c = (b as unknown as Map<string, number[]>)!.get('x')!; yield <number> c satisfies number; }";
  const ran = "function* f(a, b = new Map()) {\n  const c = b.get('x');\n  yield c;\n}";
  assert.ok(definedIn(ran, source));
  assert.ok(!definedIn(ran.replace("'x'", "'y'"), source));
});
